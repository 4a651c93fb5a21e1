"""Walks the story script (`desktop.control.story`): the attract loop, a guided visit, a presenter's clicker.

`StoryPlayer` holds where the story is (the step, the moves of it still to make) and makes each move
through the controllers once the exhibit is ready for it, waiting until it is done (a poll every
`poll_ms`, on a clock that tests replace). How it walks depends on its `Walk`:

- ATTRACT: every move by itself, each step shown `step_seconds` once played, the whole story in a loop;
- GUIDED: the scene's own moves by themselves; a visitor's moves wait for `make()` (a touch) or for the
  visitor to type them on a keyboard; `next()` plays what is left of the step, then the next one;
- PRESENTER: a step's moves played when it begins; `next()` and `back()` walk; `go(i)` reaches any step
  the same way every time (from the start, the steps before it played at once).

Questions and corrections are typed into the real conversation at `typing_cps` characters a second
(`typed` carries the text so far, for the input line), then asked; the reply is the model's.
"""

from __future__ import annotations

import enum
import time
from collections import deque
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from .state import Panel
from .story import NAMES, STEPS, Ask, Correct, Move, Step, Watch, corrected_name


class Walk(enum.Enum):
    ATTRACT = "attract"
    GUIDED = "guided"
    PRESENTER = "presenter"


class StoryPlayer(QObject):
    step_changed = Signal(int)  # a step began: its index in `steps`
    moved = Signal()  # a move began or ended: what waits for a visitor may have changed
    typed = Signal(str)  # the question or correction typed so far ("" once it is sent)
    ended = Signal()  # a guided visit went past its last step

    def __init__(self, exhibit, clock: Callable[[], float] = time.monotonic, typing_cps: float = 14.0,
                 step_seconds: float = 8.0, train_seconds: float = 25.0, poll_ms: int = 50,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.exhibit, self.clock = exhibit, clock
        self.typing_cps, self.step_seconds, self.train_seconds = typing_cps, step_seconds, train_seconds
        self.steps: tuple[Step, ...] = STEPS
        self.walk = Walk.GUIDED
        self.index = -1  # the step on screen; -1 before the story begins or once stopped
        self.name = NAMES[0]  # who the story's corrections name: the truth until a visitor says otherwise
        self.mark = 0.0  # what the move in progress waits from (a count, or a time)
        self.opened = self.finished = 0  # conversations opened, replies finished (counts since start)
        self._queue: deque[Move] = deque()
        self._current: Move | None = None  # the move made, not yet done
        self._granted = False  # a visitor asked for the next of their moves
        self._advance = False  # the step's remaining moves are played, then the next step begins
        self._fast_to = -1  # steps before this one are played at once (go)
        self._step_done_at: float | None = None
        self._typing: tuple[str, float] | None = None  # the text being typed, and since when
        self._sent = False  # the next reply to begin is the player's own message
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)
        c = exhibit.talk.conversation
        c.opened.connect(self._on_opened)
        c.started.connect(self._on_started)
        c.finished.connect(self._on_finished)

    # --- what is on ---------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.index >= 0

    @property
    def step(self) -> Step | None:
        return self.steps[self.index] if self.playing else None

    @property
    def waiting(self) -> Move | None:
        """The visitor's move the story waits for (a guided visit's button), if any."""
        if self._current is None and self._typing is None and self._queue and self._queue[0].visitor \
                and not self._plays(self._queue[0]):
            return self._queue[0]
        return None

    @property
    def step_played(self) -> bool:
        """Every move of the step on screen is done."""
        return self.playing and not self._queue and self._current is None

    # --- walking ------------------------------------------------------------------------------
    def begin(self, walk: Walk) -> None:
        """From the start: memory off and empty, nothing corrected, the chat below the heatmap, step 1."""
        self.stop()
        self.walk, self.name = walk, NAMES[0]
        e = self.exhibit
        e.talk.reset()
        e.show_panel(Panel.CHAT)
        self._enter(0)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.index, self._current, self._typing, self._sent, self._fast_to = -1, None, None, False, -1
        self._queue.clear()
        self.typed.emit("")

    def next(self) -> None:
        """What is left of this step is played, then the next step begins (past the last: `ended`)."""
        if self.playing:
            self._advance = True
            self.poll()

    def back(self) -> None:
        if self.index > 0:
            self.go(self.index - 1)

    def go(self, index: int) -> None:
        """Step `index`, set up the same way every time: from the start, every step before it played at once."""
        walk = self.walk
        self.begin(walk)
        self._fast_to = max(0, min(index, len(self.steps) - 1))
        self.poll()

    def make(self, name: str | None = None) -> None:
        """A visitor's touch: their next move of this step (a correction naming `name`, if given)."""
        if name:
            self.name = name
        if self.waiting is not None:
            self._granted = True
            self.poll()

    def _enter(self, index: int) -> None:
        self.index = index
        self._queue = deque(self.steps[index].moves)
        self._current, self._advance, self._granted, self._step_done_at = None, False, False, None
        self.step_changed.emit(index)

    def _plays(self, move: Move) -> bool:
        """Whether the player makes `move` itself now (rather than wait for a visitor)."""
        return not move.visitor or self.walk is not Walk.GUIDED or self._advance or self._granted or \
            self.index < self._fast_to

    # --- the poll -----------------------------------------------------------------------------
    def poll(self) -> None:
        """One look: type on, see whether the move in progress is done, make the next, or move on."""
        if not self.playing:
            return
        if self._typing is not None:
            self._type_on()
        elif self._current is not None:
            if self._current.done(self):
                self._current = None
                self._queue.popleft()
                self.moved.emit()
                self.poll()
        elif self._queue:
            self._try(self._queue[0])
        else:
            self._step_over()

    def _try(self, move: Move) -> None:
        fast = self.index < self._fast_to
        if isinstance(move, Watch) and (fast or self.walk is not Walk.ATTRACT):
            self._queue.popleft()  # only the attract loop waits while it trains
            self.poll()
        elif self._plays(move) and move.ready(self):
            self._current, self._granted = move, False
            move.start(self)
            self.moved.emit()
            self.poll()

    def _step_over(self) -> None:
        now = self.clock()
        if self._step_done_at is None:
            self._step_done_at = now
            self.moved.emit()
        dwelt = self.walk is Walk.ATTRACT and now - self._step_done_at >= self.step_seconds
        if self.index < self._fast_to or self._advance or dwelt:
            if self.index + 1 < len(self.steps):
                self._enter(self.index + 1)
                self.poll()
            elif self.walk is Walk.ATTRACT:
                self.begin(Walk.ATTRACT)  # the loop starts again
            elif self._advance:
                self._advance = False
                self.ended.emit()

    # --- typing into the conversation ---------------------------------------------------------
    def type_in(self, text: str) -> None:
        self.mark = self.finished
        self._typing = (text, self.clock())

    def _type_on(self) -> None:
        text, since = self._typing
        fast = self.typing_cps <= 0 or self.index < self._fast_to
        shown = len(text) if fast else min(len(text), 1 + int((self.clock() - since) * self.typing_cps))
        if shown < len(text):
            self.typed.emit(text[:shown])
        elif self.exhibit.talk.ask(text):
            self._typing, self._sent = None, True
            self.typed.emit("")
        else:
            self.typed.emit(text)  # the model is not ready yet: it is sent at the next poll

    def replied_since_mark(self) -> bool:
        return self.finished > self.mark

    # --- what the conversation says -----------------------------------------------------------
    def _on_opened(self, _ready) -> None:
        self.opened += 1

    def _on_started(self, said) -> None:
        name = corrected_name(said.read)
        if name:
            self.name = name[:1].upper() + name[1:]
        if self._sent:
            self._sent = False
            return
        move = self._queue[0] if self._queue and self._current is None and self._typing is None else None
        if isinstance(move, Ask) and (name or not isinstance(move, Correct)):
            self._current, self.mark = move, self.finished  # the visitor typed it: the story keeps up
            self.moved.emit()

    def _on_finished(self, _text: str, _cut: bool) -> None:
        self.finished += 1
