"""The Train scene's panel: the loss curve, the counters, and what the model says now.

Everything comes from the trainer's own counts and the answers sampled from the weights of that
moment (`desktop.control.training`). The FLOP count is the trainer's estimate and the panel says so.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout,
                               QWidget)

from ..control.state import SPEEDS, LiveRun
from ..i18n import fixed, number
from ..widgets.colours import BACKGROUND, opaque

CURVE_POINTS = 400  # points of the loss curve drawn at most (see curve_points)
TITLE_HEIGHT = 30  # the plot's title row, as pyqtgraph sets it, for one line of normal text


def speed_text(index: int) -> str:
    s = SPEEDS[index]
    if s is None:
        return QCoreApplication.translate("TrainPanel", "full speed")
    if s < 1:
        return QCoreApplication.translate("TrainPanel", "slow motion: a step every {n} s").format(n=number(1 / s))
    return QCoreApplication.translate("TrainPanel", "{n} steps a second").format(n=number(s))


def flops_text(flops: float) -> str:
    translate = QCoreApplication.translate
    for unit, scale in ((translate("TrainPanel", "{n} PFLOP"), 1e15), (translate("TrainPanel", "{n} TFLOP"), 1e12),
                        (translate("TrainPanel", "{n} GFLOP"), 1e9), (translate("TrainPanel", "{n} MFLOP"), 1e6)):
        if flops >= scale:
            return unit.format(n=fixed(flops / scale, 2))
    return translate("TrainPanel", "{n} FLOP").format(n=number(flops))


class TrainPanel(QWidget):
    COUNTERS = ("step", "chars", "changed", "total", "flops", "time", "cpu")

    def __init__(self, actions: list, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("TrainPanel")
        self._speed, self._question, self._average = len(SPEEDS) - 1, "", 0.0
        self._live: LiveRun | None = None
        self._total = 0
        self._font, self._big = QFont(), 1.25  # the numbers' size against the text's, until the window says
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        controls = QHBoxLayout()
        for action in actions:
            b = QToolButton()
            b.setDefaultAction(action)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            controls.addWidget(b)
        self.speed = QLabel()
        self.speed.setObjectName("Speed")
        controls.addWidget(self.speed)
        controls.addStretch(1)
        lay.addLayout(controls)
        row = QHBoxLayout()
        lay.addLayout(row, 1)
        self.curve_plot = pg.PlotWidget(background=BACKGROUND)
        opaque(self.curve_plot)
        self.curve_plot.setMenuEnabled(False)
        self.curve_plot.setMouseEnabled(False, False)
        self.curve_plot.hideButtons()
        self.curve_plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.curve = self.curve_plot.plot([], [], pen=pg.mkPen("#56b4e9", width=2))
        # Ranges move in big jumps, not every step: new axis ticks cost more than the curve itself.
        self.curve_plot.disableAutoRange()
        self._x_max = self._y_max = 0.0
        self._losses: tuple[np.ndarray, list | None] = (np.empty((0, 2)), None)  # the curve so far, of which list
        # The curve's height is what the counters leave; its own wish (480 px) would squeeze the buttons above.
        self.curve_plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self._title = ("", "")  # the loss curve's title as set (its lines broken where the plot is narrow), its size
        row.addWidget(self.curve_plot, 3)
        row.addWidget(self._counters(), 3)  # room for its names in two lines at 1280 px
        row.addWidget(self._samples(), 3)
        self.retranslate()

    def _counters(self) -> QWidget:
        box = QFrame()
        box.setObjectName("Counters")
        grid = QGridLayout(box)
        self.names: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for i, key in enumerate(self.COUNTERS):
            label = QLabel()
            label.setObjectName("CounterName")
            label.setWordWrap(True)
            value = QLabel("–")
            value.setObjectName("CounterValue")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            # Numbers change every step: a label of fixed width (see set_font) repaints itself without
            # laying out the window again.
            grid.addWidget(label, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, i, 1, Qt.AlignmentFlag.AlignTop)
            self.names[key], self.values[key] = label, value
        self.note = QLabel()
        self.note.setObjectName("CounterNote")
        self.note.setWordWrap(True)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        grid.addWidget(self.note, len(self.COUNTERS) + 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(len(self.COUNTERS), 1)
        return box

    def _samples(self) -> QWidget:
        box = QFrame()
        box.setObjectName("Samples")
        v = QVBoxLayout(box)
        self.question = QLabel()
        self.question.setObjectName("SampleQuestion")
        self.question.setWordWrap(True)
        v.addWidget(self.question)
        self.sample_labels = []
        for i in range(4):
            label = QLabel()
            label.setObjectName("SampleNewest" if i == 0 else "Sample")
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            v.addWidget(label)
            self.sample_labels.append(label)
        v.addStretch(1)
        return box

    def _show_title(self) -> None:
        """The loss curve's title in the panel's font, in lines no wider than the plot (large text: two)."""
        metrics = QFontMetrics(self._font)
        room = self.curve_plot.width() - 4 * metrics.averageCharWidth()
        lines = [""]
        for word in self.tr("Loss: how wrong its next-character guesses are").split():
            joined = f"{lines[-1]} {word}".strip()
            if lines[-1] and metrics.horizontalAdvance(joined) > room:
                lines.append(word)
            else:
                lines[-1] = joined
        title = ("<br>".join(html.escape(line) for line in lines), f"{self._font.pointSizeF():.1f}pt")
        if title != self._title:  # a resize that changes nothing leaves the plot's layout alone
            self._title = title
            self.curve_plot.setTitle(title[0], color="#e6e6e6", size=title[1])
            height = max(TITLE_HEIGHT, len(lines) * metrics.lineSpacing() + 6)  # pyqtgraph's row is 30 px
            self.curve_plot.getPlotItem().titleLabel.setMaximumHeight(height)
            self.curve_plot.getPlotItem().layout.setRowFixedHeight(0, height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_title()

    def hasHeightForWidth(self) -> bool:
        # Wrapped labels inside would make the window's layout reserve their tallest wrap (hundreds of
        # pixels) and starve the heatmap; the scene's height is set by stretch alone.
        return False

    def retranslate(self) -> None:
        names = (self.tr("Steps"), self.tr("Characters read"), self.tr("Weights changed by the last step"),
                 self.tr("Weights in the model"), self.tr("Compute (estimated)"), self.tr("Training time"),
                 self.tr("CPU time (all cores)"))
        for key, name in zip(self.COUNTERS, names):
            self.names[key].setText(name)
        self.note.setText(self.tr("Compute is the trainer's estimate: 3 × a forward pass per character read."))
        self.curve_plot.setLabel("bottom", self.tr("step"))
        self.curve_plot.setLabel("left", self.tr("loss"))
        self.set_font(self._font)
        self.set_speed(self._speed)
        self.set_question(self._question, self._average)
        self.show_live(self._live, self._total)

    # --- updates ------------------------------------------------------------------------------
    def set_question(self, question: str, average: float = 0.0) -> None:
        """The story's question, and what answers it: `average`, the live run's (see TrainConfig)."""
        self._question, self._average = question, average
        if average:
            text = self.tr("Asked every few seconds, from the weights of that moment (the model is the average "
                           "of the weights of its last {n} steps or so: the heatmap shows it): “{q}”")
        else:
            text = self.tr("Asked every few seconds, from the weights of that moment: “{q}”")
        self.question.setText(text.format(q=question, n=number(round(1 / (1 - average))) if average else 0))

    def set_speed(self, index: int) -> None:
        self._speed = index
        self.speed.setText(self.tr("Speed: {speed}").format(speed=speed_text(index)))

    def show_live(self, live: LiveRun | None, total: int) -> None:
        self._live, self._total = live, total
        if live is None:
            return
        c = live.counters
        shown = {"step": number(c.step), "chars": number(c.chars), "changed": number(c.changed) if c.step else "–",
                 "total": number(total), "flops": flops_text(c.flops),
                 "time": self.tr("{s} s").format(s=fixed(c.seconds, 1)),
                 "cpu": self.tr("{s} s").format(s=fixed(c.cpu_seconds, 1))}
        for key, text in shown.items():
            self.values[key].setText(text)
        self._show_curve(live)
        for label, sample in zip(self.sample_labels, reversed(live.samples)):
            label.setText(self.tr("step {step}: {text}").format(step=number(sample.step), text=_shown(sample.text)))
        for label in self.sample_labels[len(live.samples):]:
            label.setText("")

    def _show_curve(self, live: LiveRun) -> None:
        if not live.losses:
            self.curve.setData([], [])
            self._x_max = self._y_max = 0.0
            self.curve_plot.setRange(xRange=(0, 10), yRange=(0, 5), padding=0)
            return
        steps, losses = curve_points(self._losses_array(live.losses))
        self.curve.setData(steps, losses)
        x_max = _nice_above(steps[-1])
        y_max = float(np.ceil(max(losses.max(), 1.0)))
        if x_max != self._x_max or y_max != self._y_max:
            self._x_max, self._y_max = x_max, y_max
            self.curve_plot.setRange(xRange=(0, x_max), yRange=(0, y_max), padding=0)

    def _losses_array(self, losses: list[tuple[int, float]]) -> np.ndarray:
        """`losses` as an (n, 2) array, converting only what was added since the last call (the whole
        list each redraw grew with the run); again from the start when it was thinned or replaced."""
        have, of = self._losses
        n = len(have)
        if not (of is losses and n <= len(losses) and (n == 0 or tuple(have[-1]) == tuple(losses[n - 1]))):
            have, n = np.empty((0, 2)), 0
        if len(losses) > n:
            have = np.concatenate([have, np.asarray(losses[n:], dtype=np.float64).reshape(-1, 2)])
        self._losses = (have, losses)
        return have

    def set_font(self, font: QFont, big: float | None = None) -> None:
        """The panel's font; `big`: its numbers' size against it (the window's emphasis)."""
        self._font, self._big = QFont(font), big or self._big
        for axis in ("bottom", "left"):
            self.curve_plot.getAxis(axis).setStyle(tickFont=font)
            self.curve_plot.getAxis(axis).label.setFont(font)
        self._show_title()
        mono = QFont("monospace")
        mono.setPointSizeF(font.pointSizeF() * self._big)
        mono.setBold(True)
        width = QFontMetrics(mono).horizontalAdvance("000,000,000,000")  # the widest value
        for value in self.values.values():
            value.setFixedWidth(width)


def curve_points(losses: np.ndarray, most: int = CURVE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """The loss curve as drawn: (step, loss) for each step, or past `most` steps, for each run of k
    steps the mean loss and its last step (k the fewest that keep the points within `most`).

    A curve of every step costs more to draw the longer the run (more than a frame at a few thousand
    steps: see BENCHMARKS.md), and its plot is only a few hundred pixels wide."""
    steps, values = np.asarray(losses, dtype=np.float64).reshape(-1, 2).T  # (step, loss) rows
    if len(steps) <= most:
        return steps, values
    k = -(-len(steps) // most)
    starts = np.arange(0, len(steps), k)
    counts = np.diff(np.append(starts, len(steps)))
    return steps[starts + counts - 1], np.add.reduceat(values, starts) / counts


def _nice_above(x: float) -> float:
    """The next of 10, 20, 50, 100, 200, 500, ... above x: the loss curve's step axis grows in jumps."""
    scale = 10.0
    while True:
        for m in (1, 2, 5):
            if m * scale >= x:
                return m * scale
        scale *= 10


def _shown(text: str) -> str:
    """A sample as one line: newlines and other invisible characters shown, not acted on."""
    shown = "".join("↵" if ch == "\n" else ch if ch.isprintable() else "\ufffd" for ch in text)
    return shown or QCoreApplication.translate("TrainPanel", "(nothing)")
