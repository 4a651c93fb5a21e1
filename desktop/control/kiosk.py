"""The kiosk's days: an attract loop while nobody is there, a visit, "Still there?", and a reset.

`KioskController` moves between its phases on touches and on a clock (a poll every `poll_ms`; tests
hand it a clock of their own):

- STARTING: until the shipped model has opened once; its fingerprint is the original, kept;
- ATTRACT: the story plays by itself (`StoryPlayer`, Walk.ATTRACT) until a touch or a key;
- VISIT: a guided visit from the story's first step; no input for `idle_seconds` and …
- COUNTDOWN: "Still there?" for `countdown_seconds`: `keep_going()` (or a key) goes back to the visit,
  `start_over()` (or the end of the countdown) resets;
- RESETTING: everything back to the start (`Exhibit.reset`: conversation, memory and its note,
  correction, the live run, text size; the shipped model read afresh), the language too; the views
  forget what they hold (`forgotten`); once the model has opened again and its fingerprint has been
  checked against the original (`verified`), the attract loop begins again. A reset that has not
  opened the model within RESET_RETRY_S is asked for again.
"""

from __future__ import annotations

import enum
import math
import time
from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, QObject, QTimer, Signal

from .. import i18n
from ..i18n import log, status
from .player import StoryPlayer, Walk


RESET_RETRY_S = 30.0  # a reset whose model has not opened by then is asked for again


class Phase(enum.Enum):
    STARTING = "starting"
    ATTRACT = "attract"
    VISIT = "visit"
    COUNTDOWN = "countdown"
    RESETTING = "resetting"


class KioskController(QObject):
    phase_changed = Signal(object)  # Phase
    countdown_changed = Signal(int)  # whole seconds left before the reset
    forgotten = Signal()  # the last visitor's words are gone from the controllers: views drop theirs
    verified = Signal(bool)  # the shipped model, read afresh: whether its fingerprint is the original

    def __init__(self, exhibit, player: StoryPlayer, config, clock: Callable[[], float] = time.monotonic,
                 poll_ms: int = 250, parent: QObject | None = None):
        super().__init__(parent)
        self.exhibit, self.player, self.config, self.clock = exhibit, player, config, clock
        self.phase = Phase.STARTING
        self.original = ""  # the shipped model's fingerprint when the kiosk started
        self.resets = self.resets_verified = 0
        self.reset_began = 0.0  # when the last reset began (self.clock())
        self.left = 0  # whole seconds of the countdown left
        self._last_input = clock()
        self._countdown_since = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        exhibit.talk.conversation.opened.connect(self._on_opened)
        exhibit.ready.connect(self._on_ready)
        player.ended.connect(self.start_over)

    # --- input ----------------------------------------------------------------------------------
    def touched(self, key: bool = False) -> bool:
        """Someone touched the screen (or pressed a key: `key`). True if that only woke the kiosk, from
        the attract loop or (a key) out of the countdown: then it goes no further. A touch during the
        countdown is the countdown's own ("Keep going", "Start over", or around them: keep going)."""
        self._last_input = self.clock()
        if self.phase is Phase.ATTRACT:
            self._set_phase(Phase.VISIT)
            self.player.begin(Walk.GUIDED)
            return True
        if self.phase is Phase.COUNTDOWN:
            if key:
                self.keep_going()
            return key
        return self.phase in (Phase.STARTING, Phase.RESETTING)

    def keep_going(self) -> None:
        if self.phase is Phase.COUNTDOWN:
            self._last_input = self.clock()
            self._set_phase(Phase.VISIT)

    def start_over(self) -> None:
        """Everything back to the start, the shipped model read afresh and checked; then the attract loop."""
        if self.phase in (Phase.STARTING, Phase.RESETTING):
            return
        self.reset_began = self.clock()
        self.resets += 1
        self._set_phase(Phase.RESETTING)
        self.player.stop()
        self.exhibit.reset()
        self.install_language()
        self.forgotten.emit()
        if not self.exhibit.trained_available:
            self._attract()  # nothing to read afresh: the live run is the whole story

    def stop(self) -> None:
        """The window is closing: no more polls, no more story."""
        self._timer.stop()
        self.player.stop()

    def install_language(self) -> None:
        lang = self.config.language
        i18n.install(QLocale(lang) if lang else None)

    # --- the clock ------------------------------------------------------------------------------
    def poll(self) -> None:
        now = self.clock()
        if self.phase is Phase.RESETTING and now - self.reset_began >= RESET_RETRY_S:
            # The shipped model has not opened again: a message lost between the window and the model's
            # process must not leave "Starting over…" on screen for weeks. Asked again, and said so.
            log.warning("kiosk: no model opened %.0f s after the reset began: resetting again",
                        now - self.reset_began)
            self.reset_began = now
            self.exhibit.reset()
        if self.phase is Phase.VISIT and now - self._last_input >= self.config.idle_seconds:
            self._countdown_since = now
            self.left = math.ceil(self.config.countdown_seconds)
            self._set_phase(Phase.COUNTDOWN)
            self.countdown_changed.emit(self.left)
        elif self.phase is Phase.COUNTDOWN:
            left = self.config.countdown_seconds - (now - self._countdown_since)
            if left <= 0:
                self.start_over()
            elif math.ceil(left) != self.left:
                self.left = math.ceil(left)
                self.countdown_changed.emit(self.left)

    # --- the model ------------------------------------------------------------------------------
    def _on_ready(self) -> None:
        if not self.exhibit.trained_available:
            self._attract()  # no shipped model to check: the story trains from random weights

    def _on_opened(self, ready) -> None:
        """A model opened in Talk: the shipped one, read afresh, is checked against the original."""
        if ready.talk.kind != "trained" or ready.talk.taught:
            return
        fingerprint = ready.proof.fingerprint
        if not self.original:
            self.original = fingerprint
        same = fingerprint == self.original
        if not same:
            log.error("kiosk: the shipped model read afresh has the fingerprint %s, not the original %s",
                      fingerprint, self.original)
            self.exhibit.status.say(status(QT_TRANSLATE_NOOP("Status", "The model's file has changed since the "
                                                                       "exhibit started (fingerprint {fp}…)."),
                                           fp=fingerprint[:16]))
        self.verified.emit(same)
        if self.phase in (Phase.STARTING, Phase.RESETTING):
            self.resets_verified += same and self.phase is Phase.RESETTING
            self._attract()

    def _attract(self) -> None:
        self._set_phase(Phase.ATTRACT)
        self.player.begin(Walk.ATTRACT)

    def _set_phase(self, phase: Phase) -> None:
        if phase is not self.phase:
            self.phase = phase
            self.phase_changed.emit(phase)
