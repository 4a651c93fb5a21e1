"""The exhibit's window: the heatmap above, the scene's panel below, every action in the toolbar.

The window owns no state of the story: it draws what the `Exhibit` controller signals and turns key
presses and clicks into the controller's actions. The font scale applies to every widget and to the
plots, so the back of a hall can read it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QApplication, QLabel, QMainWindow, QSizePolicy, QStackedWidget, QToolBar,
                               QVBoxLayout, QWidget)

import resources

from . import actions as actions_mod
from .conversation import TalkSession
from .compare_panel import ComparePanel
from .cost_panel import CostPanel
from .exhibit import Exhibit
from .heatmap import HeatmapPanel
from .state import Mode
from .talk_panel import TalkPanel
from .train_panel import TrainPanel

BASE_POINT_SIZE = 11.0
FONT_STEP = 0.15
FONT_RULES = """
QWidget {{ font-size: {pt:.1f}pt; }}
QLabel#SceneTitle {{ font-size: {title:.1f}pt; font-weight: bold; }}
QLabel#Changed, QLabel#Fingerprint, QLabel#CounterValue, QLabel#SampleNewest {{ font-size: {big:.1f}pt; }}
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("Window", text)


def scene_text(mode: Mode) -> tuple[str, str]:
    if mode is Mode.TRAIN:
        return (_tr("Training"), _tr("The model reads text and guesses the next character. Every step nudges "
                                     "every weight a little: watch them move."))
    return (_tr("Talking"), _tr("The same weights, frozen. The model only rereads the conversation; nothing "
                                "you say changes a single weight."))


class MainWindow(QMainWindow):
    def __init__(self, exhibit: Exhibit):
        super().__init__()
        self.exhibit = exhibit
        self.setWindowTitle(_tr("Marginalia: training changes the weights, talking never does"))
        self.setObjectName("MainWindow")
        self._base_sheet = resources.read_text("marginalia.qss")
        self.actions_by_name = actions_mod.build(self, exhibit, {
            "focus_chat": self.focus_chat, "focus_heatmap": self.focus_heatmap,
            "bigger": lambda: exhibit.set_font_scale(exhibit.state.font_scale + FONT_STEP),
            "smaller": lambda: exhibit.set_font_scale(exhibit.state.font_scale - FONT_STEP),
            "normal_size": lambda: exhibit.set_font_scale(1.0),
            "quit": self.close, "send": lambda: self.talk_panel.submit(),
        })
        for a in self.actions_by_name.values():
            self.addAction(a)  # shortcuts work whether or not the action's button is on screen
        self._build()
        self._connect()
        self._on_mode_changed(exhibit.state.mode)
        self._apply_font(exhibit.state.font_scale)
        self.resize(1440, 900)

    def _build(self) -> None:
        a = self.actions_by_name
        bar = QToolBar(_tr("Actions"))
        bar.setObjectName("Toolbar")
        bar.setMovable(False)
        bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for name in ("train", "talk", "cost", "compare", None, "restart", "load_trained", "teach", "restore", "save", None,
                     "bigger", "smaller"):
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
        # resizing the heatmap on a switch re-lays all of it out (200 ms on a busy two-core machine).
        self.heatmap.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        lay.addWidget(self.heatmap, 3)
        self.stack = QStackedWidget()
        self.train_panel = TrainPanel([a["run"], a["step"], a["slower"], a["faster"], a["change"]])
        self.talk_panel = TalkPanel(self.exhibit.ask, [a["new_conversation"], a["change"]],
                                    [a["memory"], a["clear_note"]], self.exhibit.set_note)
        self.cost_panel = CostPanel()
        self.compare_panel = ComparePanel()
        self.stack.addWidget(self.train_panel)
        self.stack.addWidget(self.talk_panel)
        self.stack.addWidget(self.cost_panel)
        self.stack.addWidget(self.compare_panel)
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        lay.addWidget(self.stack, 2)
        self._layout = lay
        self.setCentralWidget(central)
        self.message = QLabel()
        self.message.setObjectName("Message")
        self.message.setWordWrap(True)
        self.busy = QLabel()
        self.busy.setObjectName("Busy")
        self.statusBar().addWidget(self.message, 1)
        self.statusBar().addPermanentWidget(self.busy)

    def _connect(self) -> None:
        e = self.exhibit
        e.mode_changed.connect(self._on_mode_changed)
        e.running_changed.connect(self.actions_by_name["run"].setChecked)
        e.running_changed.connect(self._on_running_changed)
        e.speed_changed.connect(self.train_panel.set_speed)
        e.show_change_changed.connect(self.actions_by_name["change"].setChecked)
        e.show_change_changed.connect(self.heatmap.set_show_change)
        e.font_scale_changed.connect(self._apply_font)
        e.weights_shown.connect(self.heatmap.show_weights)
        e.weights_taught.connect(self.heatmap.show_taught)
        e.framed.connect(self.heatmap.repaint_frame)
        e.live_changed.connect(self._on_live_changed)
        e.talk_started.connect(self._on_talk_started)
        e.memory_changed.connect(self._on_memory_changed)
        e.lifetime_changed.connect(self.cost_panel.show_lifetime)
        e.show_cost_changed.connect(self._on_show_cost_changed)
        e.show_compare_changed.connect(self._on_show_compare_changed)
        e.teaching_changed.connect(self._on_teaching_changed)
        e.compared.connect(self.compare_panel.show_compared)
        e.message_changed.connect(self.message.setText)
        e.busy_changed.connect(self.busy.setText)
        e.ready.connect(self._on_ready)

    # --- slots --------------------------------------------------------------------------------
    def _on_ready(self) -> None:
        live = self.exhibit.state.live
        self.train_panel.set_question(self.exhibit.question, float(live.train_config.get("average") or 0.0))
        self.cost_panel.show_lifetime(self.exhibit.lifetime.life, self.exhibit.lifetime.problem)
        self._on_live_changed()
        # Lay out and paint the hidden scene once now, so the first switch to it does not stall.
        QTimer.singleShot(0, lambda: [panel.grab() for panel in (self.train_panel, self.talk_panel)])

    def _on_mode_changed(self, mode: Mode) -> None:
        title, text = scene_text(mode)
        self.title.setText(title)
        self.subtitle.setText(text)
        training = mode is Mode.TRAIN
        self.actions_by_name["train" if training else "talk"].setChecked(True)
        self._show_panel()
        for name in ("run", "step", "slower", "faster", "restart"):
            self.actions_by_name[name].setEnabled(training)
        for name in ("new_conversation", "send", "focus_chat", "teach", "restore", "cost", "compare"):
            self.actions_by_name[name].setEnabled(not training)
        if not training:
            self.focus_chat()

    def _on_running_changed(self, running: bool) -> None:
        self.actions_by_name["run"].setText(_tr("Pause") if running else _tr("Run"))

    def _on_live_changed(self) -> None:
        total = self.exhibit.live_flat.size if self.exhibit.live_flat is not None else 0
        self.train_panel.show_live(self.exhibit.state.live, total)

    def _on_talk_started(self, session: TalkSession) -> None:
        self.talk_panel.attach(session)
        self.cost_panel.show_talk(session.talk)
        if self.exhibit.state.mode is Mode.TALK:
            self.focus_chat()

    def _show_panel(self) -> None:
        state = self.exhibit.state
        if state.mode is Mode.TRAIN:
            self.stack.setCurrentWidget(self.train_panel)
        elif state.show_cost:
            self.stack.setCurrentWidget(self.cost_panel)
        else:
            self.stack.setCurrentWidget(self.compare_panel if state.show_compare else self.talk_panel)

    def _on_show_cost_changed(self, on: bool) -> None:
        self.actions_by_name["cost"].setChecked(on)
        self._show_panel()
        if not on and self.exhibit.state.mode is Mode.TALK:
            self.focus_chat()

    def _on_teaching_changed(self, teaching: bool) -> None:
        mode = self.exhibit.state.mode
        self.title.setText(_tr("Teaching") if teaching else scene_text(mode)[0])
        self.subtitle.setText(_tr("Real training steps on your correction: the weights change, and the heatmap shows "
                                  "them move.") if teaching else scene_text(mode)[1])

    def _on_show_compare_changed(self, on: bool) -> None:
        self.actions_by_name["compare"].setChecked(on)
        self._show_panel()
        if not on and self.exhibit.state.mode is Mode.TALK:
            self.focus_chat()

    def _on_memory_changed(self, memory) -> None:
        self.actions_by_name["memory"].setChecked(memory.on)
        self.talk_panel.show_memory(memory)

    def focus_chat(self) -> None:
        if self.exhibit.state.mode is Mode.TALK:
            self.talk_panel.input.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_heatmap(self) -> None:
        self.heatmap.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _apply_font(self, scale: float) -> None:
        """One font size for every widget (through the style sheet, which otherwise pins each widget's
        font at polish time) and for the plots."""
        pt = BASE_POINT_SIZE * scale
        sheet = self._base_sheet + FONT_RULES.format(pt=pt, title=pt * 1.6, big=pt * 1.25)
        app = QApplication.instance()
        if app.styleSheet() != sheet:
            app.setStyleSheet(sheet)
        font = QFont(QApplication.font())
        font.setPointSizeF(pt)
        QApplication.setFont(font)
        self.heatmap.set_font_scale(font)
        self.train_panel.set_font(font)
        # Big letters need room below the heatmap: it gives up some height (never on a scene switch).
        self._layout.setStretchFactor(self.heatmap, 3 if scale <= 1.2 else 1)
        self._layout.setStretchFactor(self.stack, 2 if scale <= 1.2 else 1)

    def closeEvent(self, event) -> None:
        self.exhibit.shutdown()
        super().closeEvent(event)
