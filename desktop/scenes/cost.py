"""Scene 6's panel: the compute of training (once) against the compute of replies (every time).

What is measured is said to be measured: the training run of the model on screen (its FLOPs and
CPU-seconds), and every reply this exhibit has written since it was installed (the lifetime counter).
The chart puts both on one scale, replies along the bottom, and marks where the replies' compute,
at their measured average, equals the training run's. The projection to real scale is labelled an
estimate, with its sources and how it was made.
"""

from __future__ import annotations

import html
import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QScrollArea, QSizePolicy, QSpinBox, QVBoxLayout, QWidget)

from ..control.cost import FLOPS_PER_PARAMETER_TOKEN, FLOPS_SOURCE, PUBLISHED, project, replies_to_overtake
from ..control.lifetime import Lifetime
from ..i18n import Text, fixed, number
from ..process.protocol import TalkModel
from ..widgets.colours import opaque

TRAINING_COLOUR = "#e69f00"  # Okabe-Ito orange
INFERENCE_COLOUR = "#56b4e9"  # Okabe-Ito sky blue
MARK_COLOUR = "#f0e442"  # Okabe-Ito yellow
# CPU-seconds per second of training of a one-thread trainer, measured (BENCHMARKS.md): for files that
# predate the record of CPU-seconds.
ONE_THREAD_CPU_PER_SECOND = 1.0


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def si(x: float) -> str:
    """A count with a readable power of ten: "2.29 × 10¹³"; below a million, written out."""
    if not math.isfinite(x):
        return "∞"
    if x == 0:
        return "0"
    e = math.floor(math.log10(abs(x)))
    if 0 <= e < 6:
        return number(round(x))
    return f"{fixed(x / 10 ** e, 2)} × 10{str(e).translate(_SUPERSCRIPT)}"


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class CostPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("CostPanel")
        self.talk: TalkModel | None = None
        self.life: Lifetime | None = None
        self.problem: Text | None = None  # what went wrong reading the lifetime counter
        self.overtake = math.inf  # replies at which inference has cost as much as training
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # The text scrolls rather than asking for height: the scene's height is the heatmap's to keep.
        scroll = QScrollArea()
        scroll.setObjectName("CostText")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setObjectName("CostTextInner")
        left = QVBoxLayout(inner)
        left.setContentsMargins(0, 0, 4, 0)
        scroll.setWidget(inner)
        lay.addWidget(scroll, 3)
        self.training = _label("CostTraining")
        self.replies = _label("CostReplies")
        self.crossing = _label("CostCrossing")
        for w in (self.training, self.replies, self.crossing):
            left.addWidget(w)
        left.addWidget(self._projection_box())
        left.addStretch(1)
        lay.addWidget(self._chart(), 2)
        self.retranslate()

    def _chart(self) -> pg.PlotWidget:
        self.plot = pg.PlotWidget()
        opaque(self.plot)
        self.plot.setObjectName("CostPlot")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setLogMode(True, True)
        self.plot.setMinimumHeight(0)
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).enableAutoSIPrefix(False)  # powers of ten, never "x1e+12"
        self.legend = self.plot.addLegend(offset=(-10, -10))  # bottom right, away from both lines
        self.training_curve = self.plot.plot(pen=pg.mkPen(TRAINING_COLOUR, width=3), name="training")
        self.measured_curve = self.plot.plot(pen=pg.mkPen(INFERENCE_COLOUR, width=3), name="measured")
        self.projected_curve = self.plot.plot(pen=pg.mkPen(INFERENCE_COLOUR, width=2, style=Qt.PenStyle.DashLine),
                                              name="projected")
        self.crossing_mark = self.plot.plot(pen=None, symbol="o", symbolSize=14, symbolBrush=MARK_COLOUR)
        self.crossing_text = pg.TextItem(color=MARK_COLOUR, anchor=(1.0, 1.2))
        self.plot.addItem(self.crossing_text)
        return self.plot

    def set_font(self, font: QFont) -> None:
        """The chart's words at the window's text size: its axes' titles, its legend, the crossing's note
        (its tick labels follow the widget's font by themselves)."""
        for side in ("left", "bottom"):
            self.plot.getAxis(side).label.setFont(font)
        size = f"{font.pointSizeF():.2f}pt"
        self.legend.setLabelTextSize(size)
        for _, label in self.legend.items:
            label.setText(label.text)  # drawn again at the new size
        self.crossing_text.setFont(font)

    def hasHeightForWidth(self) -> bool:
        return False  # as the other scenes: the height is set by stretch alone (see desktop.scenes.talk)

    def _projection_box(self) -> QGroupBox:
        self.projection_box = box = QGroupBox()
        box.setObjectName("Projection")
        form = QFormLayout(box)
        self.published = QComboBox()
        self.published.setObjectName("PublishedModel")
        for p in PUBLISHED:
            self.published.addItem(p.name)
        self.per_day = QSpinBox()
        self.per_day.setObjectName("RepliesPerDay")
        self.per_day.setRange(1, 2_000_000_000)
        self.per_day.setValue(10_000_000)
        self.per_day.setGroupSeparatorShown(True)
        self.per_day.setSingleStep(1_000_000)
        self.tokens = QSpinBox()
        self.tokens.setObjectName("TokensPerReply")
        self.tokens.setRange(1, 100_000)
        self.tokens.setValue(300)
        self.tokens.setSingleStep(50)
        self.controls = QGridLayout()  # one row of controls: the answer below stays in sight
        self.control_labels = []
        for control in (self.published, self.per_day, self.tokens):
            label = QLabel()
            label.setBuddy(control)
            self.control_labels.append(label)
        self.put_labels_above(False)
        form.addRow(self.controls)
        self.projection = _label("ProjectionText")
        form.addRow(self.projection)
        for signal in (self.published.currentIndexChanged, self.per_day.valueChanged, self.tokens.valueChanged):
            signal.connect(self._show_projection)
        return box

    def put_labels_above(self, above: bool) -> None:
        """Each control's label beside it (one row), or above it: a kiosk's finger-sized spin boxes need
        the width."""
        grid = self.controls
        for i, (label, control) in enumerate(zip(self.control_labels, (self.published, self.per_day, self.tokens))):
            grid.removeWidget(label)
            grid.removeWidget(control)
            grid.addWidget(label, 0, i if above else 2 * i)
            grid.addWidget(control, 1 if above else 0, i if above else 2 * i + 1)
        for column in range(6):
            grid.setColumnStretch(column, int(column < 3) if above else column % 2)  # the controls take the room

    def retranslate(self) -> None:
        self.projection_box.setTitle(self.tr("At real scale (an estimate)"))
        for label, text in zip(self.control_labels, (self.tr("Model"), self.tr("Replies a day"),
                                                     self.tr("Tokens a reply"))):
            label.setText(text)
        self.plot.setLabel("bottom", self.tr("replies written"))
        self.plot.setLabel("left", self.tr("compute, FLOPs (all so far)"))
        for curve, name in ((self.training_curve, self.tr("training (paid once)")),
                            (self.measured_curve, self.tr("replies (measured)")),
                            (self.projected_curve, self.tr("replies (at the measured average)"))):
            self.legend.getLabel(curve).setText(name)
        self._show_projection()
        self._show_measured()

    # --- what is shown ------------------------------------------------------------------------
    def show_talk(self, talk: TalkModel) -> None:
        self.talk = talk
        self._show_measured()

    def show_lifetime(self, life: Lifetime, problem: Text | None = None) -> None:
        self.life, self.problem = life, problem or self.problem
        self._show_measured()

    def _training_cpu(self, t: TalkModel) -> str:
        if t.cpu_seconds is not None:
            return self.tr("{cpu} CPU-seconds").format(cpu=number(round(t.cpu_seconds)))
        if t.threads == 1:
            return self.tr("about {cpu} CPU-seconds (an estimate: its file records {s} s of training on one thread, "
                           "not the CPU-seconds; a one-thread run measured here used {r} CPU-seconds a second)"
                           ).format(cpu=number(round(ONE_THREAD_CPU_PER_SECOND * t.seconds)),
                                    s=number(round(t.seconds)), r=fixed(ONE_THREAD_CPU_PER_SECOND, 2))
        return self.tr("{s} s of training (its file does not record the CPU-seconds)").format(s=number(round(t.seconds)))

    def _show_measured(self) -> None:
        t, life = self.talk, self.life
        if t is None or life is None:
            return
        which = self.tr("the fully trained model") if t.kind == "trained" else self.tr("the live model, as it stood")
        self.training.setText(self.tr("<b style='color:{c}'>Training</b>, paid once: {which} took {flops} FLOPs "
                                      "(the trainer's count) and {cpu}, over {steps} steps.").format(
            c=TRAINING_COLOUR, which=which, flops=si(t.flops), cpu=self._training_cpu(t), steps=number(t.steps)))
        average = life.flops / life.replies if life.replies else 0.0
        problem = f"<br><i>{html.escape(str(self.problem))}</i>" if self.problem else ""
        self.replies.setText(self.tr("<b style='color:{c}'>Replies</b>, paid every time: {n} written by this "
                                     "exhibit since {since}, {flops} FLOPs and {cpu} CPU-seconds in all (each measured "
                                     "as it was written): {avg} FLOPs a reply on average; the latest, {last} FLOPs "
                                     "and {ms} ms of CPU.").format(
            c=INFERENCE_COLOUR, n=number(life.replies), since=html.escape(life.installed[:10]), flops=si(life.flops),
            cpu=fixed(life.cpu_seconds, 2), avg=si(average), last=si(life.last_flops),
            ms=fixed(1000 * life.last_cpu_seconds, 1)) + problem)
        self.overtake = replies_to_overtake(t.flops, average)
        if not life.replies:
            self.crossing.setText(self.tr("No replies yet: ask the model something, and its cost is counted here."))
        elif t.flops <= 0:
            self.crossing.setText(self.tr("This model was not trained at all: replies cost more than its training "
                                          "from the first one."))
        else:
            self.crossing.setText(self.tr("Replies cost as much as the training run after <b>{n}</b> of them, at the "
                                          "measured average: {pct} % of the way there.").format(
                n=si(math.ceil(self.overtake)), pct=fixed(100 * life.replies / self.overtake, 5)))
        self._plot(t.flops, life.replies, life.flops, average)

    def _plot(self, training: float, replies: int, spent: float, average: float) -> None:
        end = max(10.0, 10 * self.overtake if math.isfinite(self.overtake) else 10 * max(replies, 1))
        if training > 0:
            self.training_curve.setData([1, end], [training, training])
        else:
            self.training_curve.clear()
        if replies and average > 0:
            self.measured_curve.setData([1, replies], [average, spent])
            self.projected_curve.setData([replies, end], [spent, average * end])
        else:
            self.measured_curve.clear()
            self.projected_curve.clear()
        if replies and average > 0 and training > 0 and math.isfinite(self.overtake):
            self.crossing_mark.setData([self.overtake], [training])
            self.crossing_text.setText(self.tr("replies overtake training: {n}").format(n=si(math.ceil(self.overtake))))
            self.crossing_text.setPos(math.log10(self.overtake), math.log10(training))
            self.crossing_text.setVisible(True)
        else:
            self.crossing_mark.clear()
            self.crossing_text.setVisible(False)

    def _show_projection(self) -> None:
        model = PUBLISHED[max(0, self.published.currentIndex())]
        p = project(model, self.per_day.value(), self.tokens.value())
        self.projection.setText(self.tr(
            "<b>Estimate:</b> inference overtakes training after about <b>{days}</b> days.<br>"
            "Training: {train} FLOPs, {params} parameters ({source}). A reply: {per_token} FLOPs per parameter "
            "per generated token ({flops_source}) × {tokens} tokens = {reply} FLOPs; {day} FLOPs a day.<br>"
            "<i>How it was made: training compute ÷ compute a day. It leaves out the prompt's tokens, batching and "
            "the hardware's efficiency; real figures differ.</i>").format(
            days=number(round(p.days)) if math.isfinite(p.days) else "∞", train=si(model.training_flops),
            params=si(model.parameters), source=html.escape(model.source),
            per_token=number(FLOPS_PER_PARAMETER_TOKEN), flops_source=html.escape(FLOPS_SOURCE),
            tokens=number(self.tokens.value()), reply=si(p.flops_per_reply), day=si(p.flops_per_day)))
