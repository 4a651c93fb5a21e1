"""The window on a stage (`python -m desktop --presenter`): a clicker walks the story script, step by step.

`Presenter` puts the story (`desktop.control.story`, walked by `StoryPlayer` in Walk.PRESENTER) on a
clicker's keys: Page Down, Right and Space the next step, Page Up and Left the step before, Home the
first, B and `.` a black screen (a clicker's "blank" button). Each step sets up its scene through the
controllers, the same way every time: its question typed into the real conversation at reading speed,
then asked and answered by the real model; going back plays the story from the start to the step
before, its earlier steps at once. Before the first click the exhibit waits on the shipped model; the
first Next (or Home) begins the story.

The window's Space and `.` (run, one step) are the clicker's here: training runs by P (Ctrl+Right
still takes one step). The keyboard stays out of the chat's input line until the speaker asks for it
(Ctrl+K or a click): there they type freely (Space, the arrows, B and `.` are the line's), Page Up and
Page Down still walk, Escape gives the keys back to the clicker, and the next step picks the story up
again. A small counter in the status bar says which step is on, for the speaker.

The projector theme: black backgrounds, near-white text at 7:1 or more (resources/projector.qss), and
text large enough for a hall's back row (`projector_font_scale`, measured by `desktop.readable`) on a
picture as many lines high as the screen (1.47 on a 1280×720 projector's), unless `--font-scale` says
otherwise; the scene's title and big numbers stand out by less, the speaker's toolbar and status line
keep the normal size, so that 720 lines hold it all.

Training runs in slow motion here (`state.SLOW_MOTION`, three steps a second, each one's frame shown),
from the start and after every reset, so a hall sees the weights move step by step; `]` goes faster.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

import resources

from . import actions as actions_mod
from .control.player import StoryPlayer, Walk
from .control.state import FONT_SCALES, SLOW_MOTION
from .readable import READABLE_ARCMIN, hall_arcmin
from .window import BASE_POINT_SIZE

KEYS = {
    "next": ("PgDown", "Right", "Space"),
    "back": ("PgUp", "Left"),
    "first": ("Home",),
    "black": ("B", "."),
}
TAKEN = {"run": ("P",), "step": ("Ctrl+Right",)}  # the window's actions whose keys the clicker takes
PROJECTOR_LINES = 720  # the smallest picture the presenter's window is made for: a 1280×720 projector
PROJECTOR_EMPHASIS = (1.3, 1.1)  # the title and the big numbers stand out by less: every text is large here


def projector_font_scale(lines: int = PROJECTOR_LINES) -> float:
    """The smallest font scale (in hundredths) at which the window's text reaches READABLE_ARCMIN from a
    hall's back row, on a picture `lines` high, in both families it draws (the context's tokens are
    monospace)."""
    fonts = [QFont(QApplication.font()), QFont("monospace")]
    scale = 1.0
    while scale < FONT_SCALES[1]:
        for font in fonts:
            font.setPointSizeF(BASE_POINT_SIZE * scale)
        if min(hall_arcmin(font, lines) for font in fonts) >= READABLE_ARCMIN:
            break
        scale = round(scale + 0.01, 2)
    return scale


def projector_theme(window, font_scale: float) -> None:
    """The window dressed for a projector: its style, its text at `font_scale` (which a reset keeps), and
    what the speaker says aloud left out."""
    window.emphasis = PROJECTOR_EMPHASIS
    window.add_style(resources.read_text("projector.qss"))
    window.exhibit.settings.font_scale = font_scale
    window.exhibit.set_font_scale(font_scale)
    window.cost_panel.put_labels_above(True)  # large text: one row of labelled controls is too wide
    # The room goes to what the hall reads: how compute is estimated ("(estimated)" says it in a word)
    # and the memory note's rule are the speaker's to say.
    window.train_panel.note.setVisible(False)
    window.talk_panel.memory_rule.setVisible(False)


class BlackScreen(QWidget):
    """Black over the whole window; a click or any presenter key lifts it."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("BlackScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#BlackScreen { background: black; }")
        self.setVisible(False)

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.setVisible(True)

    def mousePressEvent(self, event) -> None:
        self.setVisible(False)


class Presenter(QObject):
    def __init__(self, window, typing_cps: float = 14.0, speed: int = SLOW_MOTION, font_scale: float | None = None,
                 lines: int = PROJECTOR_LINES, **timing):
        super().__init__(window)
        self.window = window
        e = window.exhibit
        projector_theme(window, font_scale or projector_font_scale(lines))
        e.settings.start_speed = speed  # the story's training step, and every reset, start at this pace
        e.training.set_speed(speed)
        self.player = StoryPlayer(e, typing_cps=typing_cps, parent=self, **timing)
        self.black = BlackScreen(window)
        self.counter = QLabel()
        self.counter.setObjectName("StepCounter")
        window.statusBar().addPermanentWidget(self.counter)
        window.chat_takes_keys = False  # the clicker's keys are not typed into the chat by themselves
        w = window.actions_by_name
        for name, keys in TAKEN.items():
            w[name].setShortcuts([QKeySequence(k) for k in keys])
        actions_mod.retranslate(w)  # their tips name their new keys
        e.keys = actions_mod.key_names(w)  # and so does the Train scene's status line
        self.actions_by_name: dict[str, QAction] = {}
        for name, slot in (("next", self.next), ("back", self.back), ("first", self.first),
                           ("black", self.toggle_black)):
            a = QAction(window)
            a.setObjectName(f"action_presenter_{name}")
            a.setShortcuts([QKeySequence(k) for k in KEYS[name]])
            a.triggered.connect(lambda _checked=False, f=slot: f())
            window.addAction(a)
            self.actions_by_name[name] = a
        self.player.step_changed.connect(self._on_step_changed)
        self.player.typed.connect(self._on_typed)
        for line in window.findChildren(QLineEdit):  # the chat's input line, memory's note
            line.installEventFilter(self)
        window.installEventFilter(self)
        self.retranslate()
        self.give_keys_back()

    # --- the clicker ------------------------------------------------------------------------------
    def next(self) -> None:
        """The next step (the first, before the story began). On a black screen: only the light back."""
        if self._lift_black():
            return
        if self.player.playing:
            self.player.next()
        elif self.window.exhibit.started:
            self.first()

    def back(self) -> None:
        """The step before, set up as it always is (from the start, the steps before it at once)."""
        if not self._lift_black():
            self.player.back()

    def first(self) -> None:
        if not self._lift_black() and self.window.exhibit.started:
            self.player.begin(Walk.PRESENTER)

    def toggle_black(self) -> None:
        self.black.setVisible(False) if self.black.isVisible() else self.black.cover()

    def stop(self) -> None:
        self.player.stop()

    def _lift_black(self) -> bool:
        if self.black.isVisible():
            self.black.setVisible(False)
            return True
        return False

    def give_keys_back(self) -> None:
        """The keyboard out of the input line: Space, the arrows, B and `.` are the clicker's again."""
        self.window.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- what it shows ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        i, n = self.player.index, len(self.player.steps)
        if i < 0:
            self.counter.setText(self.tr("Page Down begins the story"))
        else:
            self.counter.setText(self.tr("{i} / {n}: {title}").format(i=i + 1, n=n,
                                                                      title=self.player.step.title_text()))

    def _on_step_changed(self, _index: int) -> None:
        self.retranslate()
        self.give_keys_back()

    def _on_typed(self, text: str) -> None:
        line = self.window.talk_panel.input
        if text or line.text():
            line.setText(text)

    def eventFilter(self, obj, event) -> bool:
        t = event.type()
        if obj is self.window:
            if t == QEvent.Type.Resize and self.black.isVisible():
                self.black.setGeometry(self.window.rect())
            elif t == QEvent.Type.LanguageChange:
                self.retranslate()
            elif t == QEvent.Type.Close:
                self.player.stop()  # the story's timer would otherwise go on driving a shut exhibit
        elif t == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.give_keys_back()
            return True
        elif t == QEvent.Type.FocusIn and event.reason() == Qt.FocusReason.ActiveWindowFocusReason:
            self.give_keys_back()  # the window activated gives a field the keys: the clicker keeps them
        return False
