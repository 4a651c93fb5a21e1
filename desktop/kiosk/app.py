"""The window made a kiosk (`python -m desktop --kiosk`): the story's bars, the overlays, the lockdown.

`Kiosk` wraps the window's own contents between the caption bar and the touch bar, hides the toolbar
(its buttons are a desk's, not a finger's) and the scene's subtitle (the caption says it for a
twelve-year-old), moves the scene's title into the caption bar (a line of height less), makes every
touch target finger-sized and every text readable from two metres for the screen it is on
(`touch`), switches off Save and Quit, and puts the `Lockdown` filter on the application. It draws
the `KioskController`'s phases: the attract loop, a visit, "Still there?", "Starting over…". After a
reset it drops what the views still hold of the last visitor: the input line and its undo history, the
letter pad, side by side's replies, the captions switched back as configured.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

import resources

from ..control.kiosk import KioskController, Phase
from ..control.player import StoryPlayer
from . import touch
from .bars import CaptionBar, TouchBar
from .lockdown import OPERATOR_EXIT, OPERATOR_KEYS, Lockdown, OperatorExit
from .overlays import CountdownOverlay, PinOverlay
from .pad import LetterPad

SWITCHED_OFF = ("save", "quit", "open", "export_heatmap", "export_loss", "export_replay", "export_conversation")  # a visitor must
# never read or write a file nor end the exhibit


class Kiosk(QObject):
    def __init__(self, window, config, clock=None, leave=None):
        super().__init__(window)
        self.window, self.config = window, config
        e = window.exhibit
        timing = {} if clock is None else {"clock": clock}
        self.player = StoryPlayer(e, typing_cps=config.typing_cps, step_seconds=config.attract_step_seconds,
                                  train_seconds=config.attract_train_seconds, parent=self, **timing)
        self.controller = KioskController(e, self.player, config, parent=self, **timing)
        self.operator = OperatorExit(config.operator_pin, leave or self.leave, parent=self, **timing)
        screen = window.screen()
        self.dpi = touch.dots_per_inch(screen, config.screen_inches)
        self.height_px = screen.size().height()  # full screen: the window's height
        self._size_text(config.font_scale or touch.reading_scale(self.dpi, self.height_px,
                                                                 screen.logicalDotsPerInchY()))
        self._build()
        self._lock_down()
        self._connect()

    def _size_text(self, scale: float) -> None:
        """The window's text at `scale`, now and after every reset (the config's, or two metres' worth)."""
        e = self.window.exhibit
        e.settings.font_scale = scale
        e.set_font_scale(scale)

    def _build(self) -> None:
        w = self.window
        w.toolbar.setVisible(False)
        w.subtitle.setVisible(False)
        w.message.set_lines(1, wrap=False)  # one line of status, cut where it runs long: the panels need the height
        w.shares = (1, 2)  # two metres' text and finger-sized rows: the scene's panel needs the height more
        w.cost_panel.put_labels_above(True)  # finger-sized spin boxes: one row of them is too wide
        w.add_style(resources.read_text("kiosk.qss") + touch.style(self.dpi, self.height_px))
        w.title.parentWidget().layout().removeWidget(w.title)
        inner = w.takeCentralWidget()
        outer = QWidget()
        lay = QVBoxLayout(outer)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.caption = CaptionBar(self.player, self.config.captions, w.title)
        self.touch_bar = TouchBar(self.player)
        self.pad = LetterPad(w.talk_panel.input, self._send_line)
        self.pad.setVisible(False)
        lay.addWidget(self.caption)
        lay.addWidget(inner, 1)
        lay.addWidget(self.touch_bar)
        lay.addWidget(self.pad)
        w.setCentralWidget(outer)
        self.countdown = CountdownOverlay(w, self.controller.keep_going, self.controller.start_over)
        self.pin = PinOverlay(w, self.operator)

    def _lock_down(self) -> None:
        w = self.window
        for name in SWITCHED_OFF:
            action = w.actions_by_name[name]
            action.setEnabled(False)
            action.setShortcuts([])
        self.operator_action = QAction(w)
        self.operator_action.setObjectName("action_operator")
        self.operator_action.setShortcut(QKeySequence(OPERATOR_KEYS))
        self.operator_action.triggered.connect(self.pin.open)
        w.addAction(self.operator_action)
        w.recorder.stop()  # no replay to write: its frames would only take memory
        self.lockdown = Lockdown(w, self.controller.touched, self)
        QApplication.instance().installEventFilter(self.lockdown)
        w.installEventFilter(self)  # the language changes: say everything again

    def _connect(self) -> None:
        c = self.controller
        c.phase_changed.connect(self._on_phase_changed)
        c.countdown_changed.connect(self.countdown.show_left)
        c.forgotten.connect(self._on_forgotten)
        self.player.typed.connect(self._on_typed)
        self.touch_bar.own_name_asked.connect(self._open_pad)
        self.pad.closed.connect(self._on_pad_closed)

    # --- what the kiosk says ------------------------------------------------------------------
    def _on_phase_changed(self, phase: Phase) -> None:
        self.touch_bar.set_phase(phase)
        if phase is Phase.RESETTING:
            self.countdown.show_resetting()
        elif phase is not Phase.COUNTDOWN:
            self.countdown.setVisible(False)
        if phase is not Phase.VISIT and phase is not Phase.COUNTDOWN:
            self._close_pad()
            self.pin.dismiss()  # an operator's pad left open is not the next visitor's

    def _on_forgotten(self) -> None:
        """The last visitor's words, wherever a view still holds them, and their choices, gone."""
        self._close_pad()
        self.window.talk_panel.forget()
        self.window.compare_panel.forget()
        self.caption.set_on(self.config.captions)

    def _on_typed(self, text: str) -> None:
        line = self.window.talk_panel.input
        if text or line.text():
            line.setText(text)

    def _open_pad(self) -> None:
        """The pad takes the touch bar's place, and the heatmap's (frozen in Talk: nothing to miss) for room."""
        self.touch_bar.setVisible(False)
        self.window.heatmap.setVisible(False)
        self.pad.open()

    def _on_pad_closed(self) -> None:
        self.touch_bar.setVisible(True)
        self.window.heatmap.setVisible(True)

    def _close_pad(self) -> None:
        if self.pad.isVisible():
            self.pad.close_pad()

    def _send_line(self) -> bool:
        line = self.window.talk_panel.input
        text = line.text()
        if text.strip() and self.window.exhibit.talk.ask(text):
            line.setText("")
            return True
        return False

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Close and self.lockdown.allow_close:
            self.controller.stop()  # the story's timers would otherwise go on driving a shut exhibit
        if obj is self.window and event.type() == QEvent.Type.LanguageChange:
            for view in (self.caption, self.touch_bar, self.pad, self.countdown, self.pin):
                view.retranslate()
        return False

    # --- the operator's way out ---------------------------------------------------------------
    def leave(self) -> None:
        """The right PIN: the window closes, and the exhibit ends with OPERATOR_EXIT (no restart)."""
        self.lockdown.allow_close = True
        self.window.close()
        QTimer.singleShot(0, lambda: QApplication.exit(OPERATOR_EXIT))
