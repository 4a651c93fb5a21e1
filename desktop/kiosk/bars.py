"""The kiosk's two bars: the story's caption above the heatmap, the visitor's big buttons below it.

`CaptionBar` shows the step on screen (its title and caption, large, and "3 of 9") with a button
that turns the captions off and on; the scene's name (the window's title) sits under the count.
`TouchBar` is what a finger needs to walk the story: while the attract loop plays, "Touch the screen
to begin"; in a visit, the move the story waits for (the suggested question, a choice of names and
"Your own name…", the next morning, teaching) and Next.
Both draw what the `StoryPlayer` says; a touch calls it back, nothing else.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ..control.kiosk import Phase
from ..control.player import StoryPlayer
from ..control.story import NAMES, QUESTION, Ask, Correct, NextMorning, Teach
from ..i18n import number


def _button(slot, name: str = "") -> QPushButton:
    b = QPushButton()
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the chat's input line
    if name:
        b.setObjectName(name)
    b.clicked.connect(lambda _=False: slot())
    return b


class CaptionBar(QFrame):
    def __init__(self, player: StoryPlayer, on: bool, scene: QLabel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("StoryBar")
        self.player = player
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 10, 4)
        self.counter = QLabel()
        self.counter.setObjectName("StoryCounter")
        left = QVBoxLayout()
        left.setSpacing(0)
        left.addWidget(self.counter)
        left.addWidget(scene)  # the window's title (Training, Talking, Teaching), moved here: one line less
        left.addStretch(1)
        self.caption = QLabel()
        self.caption.setObjectName("StoryCaption")
        self.caption.setWordWrap(True)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.toggle = _button(lambda: self.set_on(not self.on), "CaptionsToggle")
        self.toggle.setCheckable(True)
        lay.addLayout(left)
        lay.addWidget(self.caption, 1)
        lay.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        self.on = on
        player.step_changed.connect(lambda _: self.retranslate())
        self.set_on(on)

    def set_on(self, on: bool) -> None:
        self.on = on
        self.toggle.setChecked(on)
        self.caption.setVisible(on)
        self.retranslate()

    def retranslate(self) -> None:
        self.toggle.setText(self.tr("Captions on") if self.on else self.tr("Captions off"))
        step = self.player.step
        if step is None:
            self.counter.setText("")
            self.caption.setText("")
            return
        self.counter.setText(self.tr("{i} of {n}").format(i=number(self.player.index + 1),
                                                          n=number(len(self.player.steps))))
        self.caption.setText(f"<b>{html.escape(step.title_text())}.</b> {html.escape(step.caption_text())}")
        self._fit_caption()

    def _fit_caption(self) -> None:
        """The bar as tall as the caption's lines at its width: a wrapped label's height for its width is
        not asked by the window's layout, which would otherwise size the bar by the title beside it."""
        self.caption.setMinimumHeight(max(0, self.caption.heightForWidth(self.caption.width())))  # -1: no text

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_caption()


class TouchBar(QFrame):
    own_name_asked = Signal()  # "Your own name…": the letter pad opens

    def __init__(self, player: StoryPlayer, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("TouchBar")
        self.player = player
        self.phase = Phase.STARTING
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(12)
        self.hint = QLabel()
        self.hint.setObjectName("TouchHint")
        self.move_button = _button(player.make, "Primary")
        self.names = [_button(lambda i=i: player.make(self.names[i].text())) for i in range(len(NAMES) + 1)]
        self.own = _button(self.own_name_asked.emit, "OwnName")
        self.next = _button(player.next, "Next")
        lay.addWidget(self.hint)
        lay.addWidget(self.move_button)
        for b in (*self.names, self.own):
            lay.addWidget(b)
        lay.addStretch(1)
        self._spacer = lay.count() - 1
        lay.addWidget(self.next)
        player.moved.connect(self.refresh)
        player.step_changed.connect(lambda _: self.refresh())
        self.refresh()

    def set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.refresh()

    def refresh(self) -> None:
        """What a finger can do now, in the current language."""
        visiting = self.phase in (Phase.VISIT, Phase.COUNTDOWN) and self.player.playing
        waiting = self.player.waiting if visiting else None
        correcting = isinstance(waiting, Correct)
        self.hint.setVisible(not visiting or correcting)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft if visiting else Qt.AlignmentFlag.AlignCenter)
        self.layout().setStretchFactor(self.hint, 0 if visiting else 1)
        self.layout().setStretch(self._spacer, 1 if visiting else 0)  # the attract loop's hint: in the middle
        self.hint.setText(self.tr("Tell it:") if visiting else self.tr("Touch the screen to begin"))
        self.move_button.setVisible(waiting is not None and not correcting)
        self.move_button.setText(self._move_text(waiting))
        names = list(NAMES) + ([self.player.name] if self.player.name not in NAMES else [])
        for i, b in enumerate(self.names):
            b.setText(names[i] if i < len(names) else "")
            b.setVisible(correcting and i < len(names))
        self.own.setText(self.tr("Your own name…"))
        self.own.setVisible(correcting)
        last = self.player.index == len(self.player.steps) - 1
        self.next.setText(self.tr("Start over") if last else self.tr("Next ▶"))
        self.next.setVisible(visiting)

    retranslate = refresh

    def _move_text(self, move) -> str:
        if isinstance(move, Ask):
            return self.tr("Ask: “{question}”").format(question=QUESTION)
        if isinstance(move, NextMorning):
            return self.tr("Next morning: a new chat")
        if isinstance(move, Teach):
            return self.tr("Teach it for real")
        return ""
