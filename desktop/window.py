"""The exhibit's window: the heatmap above, the scene's panel below, every action in the toolbar.

The window owns no state of the story: it draws what the controllers (`desktop.control`) signal and
turns key presses and clicks into their actions. The font scale applies to every widget and to the
plots, so the back of a hall can read it. A change of language (a translator installed or removed)
re-translates everything on screen (`changeEvent` → `retranslate`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (QApplication, QLabel, QMainWindow, QMenu, QSizePolicy, QStackedWidget, QToolBar,
                               QToolButton, QVBoxLayout, QWidget)

import resources

from . import actions as actions_mod
from .control.exhibit import Exhibit
from .control.state import Mode, Panel
from .files import Files
from .replay import Recorder
from .scenes.compare import ComparePanel
from .scenes.cost import CostPanel
from .scenes.talk import TalkPanel
from .scenes.train import TrainPanel
from .widgets.heatmap import HeatmapPanel
from .widgets.steady import SteadyLabel

OPENING_SIZE = (1440, 900)  # where the screen has room; a smaller screen gets the window maximised
SHORT_WINDOW = 800  # below this height the scene's panel gets more room than the heatmap
BASE_POINT_SIZE = 11.0
FONT_STEP = 0.15
EMPHASIS = (1.6, 1.25)  # the scene's title, and the big numbers, against the text's size
# Points to the hundredth: a kiosk's scale, computed to reach an x-height, is never rounded below it.
FONT_RULES = """
QWidget {{ font-size: {pt:.2f}pt; }}
QLabel#SceneTitle {{ font-size: {title:.2f}pt; font-weight: bold; }}
QLabel#Changed, QLabel#Fingerprint, QLabel#CounterValue, QLabel#SampleNewest {{ font-size: {big:.2f}pt; }}
"""


class MainWindow(QMainWindow):
    def __init__(self, exhibit: Exhibit):
        super().__init__()
        self.exhibit = exhibit
        self.setObjectName("MainWindow")
        self.setWindowIcon(QIcon(str(resources.path("marginalia.svg"))))
        self._base_sheet = resources.read_text("marginalia.qss")
        self._font_sheet = ""  # the style sheet with the font rules last applied
        self._teaching = False
        self.shares: tuple[int, int] | None = None  # heatmap : scene heights, where a mode sets them (the kiosk)
        self.emphasis = EMPHASIS  # (a presenter's is less: its text is large already, and 720 lines are few)
        self.chat_takes_keys = True  # Talk puts the keyboard in the input line (a presenter's clicker: not by itself)
        self.files = Files(self)
        self.recorder = Recorder(exhibit.training, parent=self)  # the training run's frames, for its replay
        self.actions_by_name = actions_mod.build(self, exhibit, {
            "open": self.files.open_model, "export_heatmap": self.files.export_heatmap,
            "export_loss": self.files.export_loss, "export_conversation": self.files.export_conversation,
            "export_replay": self.files.export_replay,
            "focus_chat": self.focus_chat, "focus_heatmap": self.focus_heatmap,
            "bigger": lambda: exhibit.set_font_scale(exhibit.font_scale + FONT_STEP),
            "smaller": lambda: exhibit.set_font_scale(exhibit.font_scale - FONT_STEP),
            "normal_size": lambda: exhibit.set_font_scale(1.0),
            "quit": self.close, "send": lambda: self.talk_panel.submit(),
        })
        for a in self.actions_by_name.values():
            self.addAction(a)  # shortcuts work whether or not the action's button is on screen
        exhibit.keys = actions_mod.key_names(self.actions_by_name)
        self._build()
        self._connect()
        self.retranslate()
        self._on_mode_changed(exhibit.mode)
        self._apply_font(exhibit.font_scale)
        self.resize(*OPENING_SIZE)

    def _build(self) -> None:
        a = self.actions_by_name
        self.toolbar = bar = QToolBar()
        bar.setObjectName("Toolbar")
        bar.setMovable(False)
        bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for name in ("train", "talk", "cost", "compare", None, "restart", "load_trained", "teach", "restore", "save",
                     "open", "export", None, "bigger", "smaller"):
            if name == "export":  # the three exports under one button (the kiosk hides the toolbar whole)
                self.export_button = QToolButton()
                self.export_button.setObjectName("ExportButton")
                self.export_button.setMenu(QMenu(self.export_button))
                self.export_button.menu().addActions([a[f"export_{what}"] for what in
                                                      ("heatmap", "loss", "replay", "conversation")])
                self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
                bar.addWidget(self.export_button)
            else:
                bar.addSeparator() if name is None else bar.addAction(a[name])
        self.addToolBar(bar)
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(10, 6, 10, 6)
        self.title = QLabel()
        self.title.setObjectName("SceneTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("SceneText")
        self.subtitle.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        self.heatmap = HeatmapPanel()
        # Heights by stretch alone (3:2), whatever the plots' size hints ask for. The same in both scenes:
        # resizing the heatmap on a switch re-lays all of it out.
        self.heatmap.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        lay.addWidget(self.heatmap, 3)
        self.stack = QStackedWidget()
        self.train_panel = TrainPanel([a["run"], a["step"], a["slower"], a["faster"], a["change"]])
        self.talk_panel = TalkPanel(self.exhibit.talk, [a["new_conversation"], a["change"]],
                                    [a["memory"], a["clear_note"]])
        self.cost_panel = CostPanel()
        self.compare_panel = ComparePanel()
        self.panels = {Panel.CHAT: self.talk_panel, Panel.COST: self.cost_panel, Panel.COMPARE: self.compare_panel}
        for panel in (self.train_panel, *self.panels.values()):
            self.stack.addWidget(panel)
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        lay.addWidget(self.stack, 2)
        self._layout = lay
        self.setCentralWidget(central)
        self.message = SteadyLabel(lines=2)  # a new message never moves the heatmap
        self.message.setObjectName("Message")
        self.busy = QLabel()
        self.busy.setObjectName("Busy")
        self.statusBar().addWidget(self.message, 1)
        self.statusBar().addPermanentWidget(self.busy)

    def _connect(self) -> None:
        e, t, k, a = self.exhibit, self.exhibit.training, self.exhibit.talk, self.actions_by_name
        e.ready.connect(self._on_ready)
        e.mode_changed.connect(self._on_mode_changed)
        e.panel_changed.connect(self._on_panel_changed)
        e.font_scale_changed.connect(self._apply_font)
        e.status.changed.connect(self._show_status)
        t.running_changed.connect(self._on_running_changed)
        t.speed_changed.connect(self.train_panel.set_speed)
        t.show_change_changed.connect(a["change"].setChecked)
        t.show_change_changed.connect(self.heatmap.set_show_change)
        t.weights_shown.connect(self.heatmap.show_weights)
        t.framed.connect(self.heatmap.repaint_frame)
        t.live_changed.connect(self._on_live_changed)
        k.weights_shown.connect(self.heatmap.show_weights)
        k.weights_taught.connect(self.heatmap.show_taught)
        k.teaching_changed.connect(self._on_teaching_changed)
        k.memory_changed.connect(lambda memory: a["memory"].setChecked(memory.on))
        k.compared.connect(self.compare_panel.show_compared)
        k.conversation.opened.connect(self._on_talk_opened)
        k.taught.connect(lambda _: self.cost_panel.show_talk(k.conversation.model))
        e.cost.lifetime_changed.connect(lambda life: self.cost_panel.show_lifetime(life, e.cost.problem))

    # --- language -----------------------------------------------------------------------------
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text on screen again, in the current language (and numbers in the current locale)."""
        self.setWindowTitle(self.tr("Marginalia: training changes the weights, talking never does"))
        self.toolbar.setWindowTitle(self.tr("Actions"))
        actions_mod.retranslate(self.actions_by_name)
        self.export_button.setText(self.tr("Export"))
        self.export_button.setToolTip(self.tr("Save the heatmap, the loss curve or the conversation to a file"))
        self._on_running_changed(self.exhibit.training.running)
        for panel in (self.heatmap, self.train_panel, self.talk_panel, self.cost_panel, self.compare_panel):
            panel.retranslate()
        self._show_scene_text()
        self._show_status()

    def _show_scene_text(self) -> None:
        if self._teaching:
            title = self.tr("Teaching")
            text = self.tr("Real training steps on your correction: the weights change, and the heatmap shows them "
                           "move.")
        elif self.exhibit.mode is Mode.TRAIN:
            title = self.tr("Training")
            text = self.tr("The model reads text and guesses the next character. Every step nudges every weight a "
                           "little: watch them move.")
        else:
            title = self.tr("Talking")
            text = self.tr("The same weights, frozen. The model only rereads the conversation; nothing you say "
                           "changes a single weight.")
        self.title.setText(title)
        self.subtitle.setText(text)

    def _show_status(self) -> None:
        s = self.exhibit.status
        self.message.setText(str(s))
        self.busy.setText("" if s.busy is None else str(s.busy))

    # --- slots --------------------------------------------------------------------------------
    def _on_ready(self) -> None:
        t = self.exhibit.training
        self.train_panel.set_question(t.question, float(t.live.train_config.get("average") or 0.0))
        self.cost_panel.show_lifetime(self.exhibit.cost.life, self.exhibit.cost.problem)
        self._on_live_changed()
        # Lay out and paint the hidden scene once now, so the first switch to it does not stall.
        QTimer.singleShot(0, lambda: [panel.grab() for panel in (self.train_panel, self.talk_panel)])

    def _on_mode_changed(self, mode: Mode) -> None:
        training = mode is Mode.TRAIN
        self._show_scene_text()
        self.actions_by_name["train" if training else "talk"].setChecked(True)
        self._on_panel_changed(self.exhibit.panel)
        for name in ("run", "step", "slower", "faster", "restart"):
            self.actions_by_name[name].setEnabled(training)
        for name in ("new_conversation", "send", "focus_chat", "teach", "restore", "cost", "compare"):
            self.actions_by_name[name].setEnabled(not training)
        if not training:
            self._follow_chat()

    def _on_panel_changed(self, panel: Panel) -> None:
        self.actions_by_name["cost"].setChecked(panel is Panel.COST)
        self.actions_by_name["compare"].setChecked(panel is Panel.COMPARE)
        talking = self.exhibit.mode is Mode.TALK
        self.stack.setCurrentWidget(self.panels[panel] if talking else self.train_panel)
        if talking and panel is Panel.CHAT:
            self._follow_chat()

    def _on_running_changed(self, running: bool) -> None:
        self.actions_by_name["run"].setChecked(running)
        self.actions_by_name["run"].setText(self.tr("Pause") if running else self.tr("Run"))

    def _on_live_changed(self) -> None:
        live = self.exhibit.training.live
        self.train_panel.show_live(live, 0 if live is None else live.flat.size)

    def _on_talk_opened(self, ready) -> None:
        self.cost_panel.show_talk(ready.talk)
        if self.exhibit.mode is Mode.TALK:
            self._follow_chat()

    def _on_teaching_changed(self, teaching: bool) -> None:
        self._teaching = teaching
        self._show_scene_text()

    def open_on_screen(self) -> None:
        """Shown at OPENING_SIZE where the screen has room for it and its frame; maximised on a smaller
        screen (a laptop's 1366×768, a projector's 1280×720), where the window manager fits the frame."""
        room = self.screen().availableGeometry().size()
        if room.width() < OPENING_SIZE[0] or room.height() < OPENING_SIZE[1] + 40:
            self.resize(room)  # where no window manager maximises it (a bare X server), the screen's room
            self.showMaximized()
        else:
            self.show()

    def add_style(self, rules: str) -> None:
        """Style sheet rules of a mode (the kiosk's finger-sized targets), kept under every font change."""
        self._base_sheet += rules
        self._apply_font(self.exhibit.font_scale)

    def focus_chat(self) -> None:
        if self.exhibit.mode is Mode.TALK:
            self.talk_panel.input.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _follow_chat(self) -> None:
        if self.chat_takes_keys:
            self.focus_chat()

    def focus_heatmap(self) -> None:
        self.heatmap.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _apply_font(self, scale: float) -> None:
        """One font size for every widget (through the style sheet, which otherwise pins each widget's
        font at polish time) and for the plots."""
        pt = BASE_POINT_SIZE * scale
        sheet = self._base_sheet + FONT_RULES.format(pt=pt, title=pt * self.emphasis[0], big=pt * self.emphasis[1])
        if sheet == self._font_sheet:
            return  # the same size and rules again (a kiosk's reset): no widget to restyle and lay out anew
        self._font_sheet = sheet
        app = QApplication.instance()
        if app.styleSheet() != sheet:
            app.setStyleSheet(sheet)
        font = QFont(QApplication.font())
        font.setPointSizeF(pt)
        QApplication.setFont(font)
        self.heatmap.set_font_scale(font)
        self.train_panel.set_font(font, self.emphasis[1])
        self.cost_panel.set_font(font)
        self._share_height()

    def _share_height(self) -> None:
        """Big letters, or a short window (a projector's 720 lines), need room below the heatmap: it gives
        up some height (never on a scene switch); both at once (a presenter's), a third of it."""
        short, big = self.height() < SHORT_WINDOW, self.exhibit.font_scale > 1.2
        heatmap, scene = self.shares or ((1, 2) if short and big else (2, 3) if short else (1, 1) if big else (3, 2))
        lay = self._layout
        if (lay.stretch(lay.indexOf(self.heatmap)), lay.stretch(lay.indexOf(self.stack))) != (heatmap, scene):
            lay.setStretchFactor(self.heatmap, heatmap)  # both: (1, 1) to a mode's (1, 2) keeps the heatmap's
            lay.setStretchFactor(self.stack, scene)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._share_height()

    def closeEvent(self, event) -> None:
        self.exhibit.shutdown()
        super().closeEvent(event)
