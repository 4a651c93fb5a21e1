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
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QScrollArea,
                               QSizePolicy, QSpinBox, QVBoxLayout, QWidget)

from .cost import FLOPS_PER_PARAMETER_TOKEN, FLOPS_SOURCE, PUBLISHED, project, replies_to_overtake, si
from .heatmap import opaque
from .lifetime import Lifetime
from .state import TalkModel

TRAINING_COLOUR = "#e69f00"  # Okabe-Ito orange
INFERENCE_COLOUR = "#56b4e9"  # Okabe-Ito sky blue
MARK_COLOUR = "#f0e442"  # Okabe-Ito yellow
# CPU-seconds per second of training of a one-thread trainer: `make model`'s command for 1,500 steps,
# alone on this 2-core machine (2026-11-29), recorded 101.1 CPU-seconds for 100.9 s of training. For
# files that predate the record.
ONE_THREAD_CPU_PER_SECOND = 1.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("CostPanel", text)


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
        self.problem = ""
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
        self.plot.setLabel("bottom", _tr("replies written"))
        self.plot.setLabel("left", _tr("compute, FLOPs (all so far)"))
        self.plot.addLegend(offset=(-10, -10))  # bottom right, away from both lines
        self.training_curve = self.plot.plot(pen=pg.mkPen(TRAINING_COLOUR, width=3), name=_tr("training (paid once)"))
        self.measured_curve = self.plot.plot(pen=pg.mkPen(INFERENCE_COLOUR, width=3),
                                             name=_tr("replies (measured)"))
        self.projected_curve = self.plot.plot(pen=pg.mkPen(INFERENCE_COLOUR, width=2, style=Qt.PenStyle.DashLine),
                                              name=_tr("replies (at the measured average)"))
        self.crossing_mark = self.plot.plot(pen=None, symbol="o", symbolSize=14, symbolBrush=MARK_COLOUR)
        self.crossing_text = pg.TextItem(color=MARK_COLOUR, anchor=(1.0, 1.2))
        self.plot.addItem(self.crossing_text)
        lay.addWidget(self.plot, 2)

    def hasHeightForWidth(self) -> bool:
        return False  # as the other scenes: the height is set by stretch alone (see desktop.talk_panel)

    def _projection_box(self) -> QGroupBox:
        box = QGroupBox(_tr("At real scale (an estimate)"))
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
        row = QHBoxLayout()  # one row of controls: the answer below stays in sight
        for text, control in ((_tr("Model"), self.published), (_tr("Replies a day"), self.per_day),
                              (_tr("Tokens a reply"), self.tokens)):
            label = QLabel(text)
            label.setBuddy(control)
            row.addWidget(label)
            row.addWidget(control, 1)
        form.addRow(row)
        self.projection = _label("ProjectionText")
        form.addRow(self.projection)
        for signal in (self.published.currentIndexChanged, self.per_day.valueChanged, self.tokens.valueChanged):
            signal.connect(self._show_projection)
        self._show_projection()
        return box

    # --- what is shown ------------------------------------------------------------------------
    def show_talk(self, talk: TalkModel) -> None:
        self.talk = talk
        self._show_measured()

    def show_lifetime(self, life: Lifetime, problem: str = "") -> None:
        self.life, self.problem = life, problem or self.problem
        self._show_measured()

    def _show_measured(self) -> None:
        t, life = self.talk, self.life
        if t is None or life is None:
            return
        which = _tr("the fully trained model") if t.kind == "trained" else _tr("the live model, as it stood")
        if t.cpu_seconds is not None:
            cpu = _tr("{cpu:,.0f} CPU-seconds").format(cpu=t.cpu_seconds)
        elif t.threads == 1:
            cpu = _tr("about {cpu:,.0f} CPU-seconds (an estimate: its file records {s:,.0f} s of training on one "
                      "thread, not the CPU-seconds; a one-thread run measured here used {r:.2f} CPU-seconds a second)"
                      ).format(cpu=ONE_THREAD_CPU_PER_SECOND * t.seconds, s=t.seconds, r=ONE_THREAD_CPU_PER_SECOND)
        else:
            cpu = _tr("{s:,.0f} s of training (its file does not record the CPU-seconds)").format(s=t.seconds)
        self.training.setText(_tr("<b style='color:{c}'>Training</b>, paid once: {which} took {flops} FLOPs "
                                  "(the trainer's count) and {cpu}, over {steps:,} steps.").format(
            c=TRAINING_COLOUR, which=which, flops=si(t.flops), cpu=cpu, steps=t.steps))
        average = life.flops / life.replies if life.replies else 0.0
        self.replies.setText(_tr("<b style='color:{c}'>Replies</b>, paid every time: {n:,} written by this exhibit "
                                 "since {since}, {flops} FLOPs and {cpu:.2f} CPU-seconds in all (each measured as it "
                                 "was written): {avg} FLOPs a reply on average; the latest, {last} FLOPs and {ms:.1f} ms of CPU.").format(
            c=INFERENCE_COLOUR, n=life.replies, since=html.escape(life.installed[:10]), flops=si(life.flops),
            cpu=life.cpu_seconds, avg=si(average), last=si(life.last_flops), ms=1000 * life.last_cpu_seconds) + (f"<br><i>{html.escape(self.problem)}</i>" if self.problem else ""))
        self.overtake = replies_to_overtake(t.flops, average)
        if not life.replies:
            self.crossing.setText(_tr("No replies yet: ask the model something, and its cost is counted here."))
        elif t.flops <= 0:
            self.crossing.setText(_tr("This model was not trained at all: replies cost more than its training "
                                      "from the first one."))
        else:
            self.crossing.setText(_tr("Replies cost as much as the training run after <b>{n}</b> of them, at the "
                                      "measured average: {pct:.5f} % of the way there.").format(
                n=si(math.ceil(self.overtake)), pct=100 * life.replies / self.overtake))
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
            self.crossing_text.setText(_tr("replies overtake training: {n}").format(n=si(math.ceil(self.overtake))))
            self.crossing_text.setPos(math.log10(self.overtake), math.log10(training))
            self.crossing_text.setVisible(True)
        else:
            self.crossing_mark.clear()
            self.crossing_text.setVisible(False)

    def _show_projection(self) -> None:
        model = PUBLISHED[max(0, self.published.currentIndex())]
        p = project(model, self.per_day.value(), self.tokens.value())
        self.projection.setText(_tr(
            "<b>Estimate:</b> inference overtakes training after about <b>{days}</b> days.<br>"
            "Training: {train} FLOPs, {params} parameters ({source}). A reply: {per_token:.0f} FLOPs per parameter "
            "per generated token ({flops_source}) × {tokens:,} tokens = {reply} FLOPs; {day} FLOPs a day.<br>"
            "<i>How it was made: training compute ÷ compute a day. It leaves out the prompt's tokens, batching and "
            "the hardware's efficiency; real figures differ.</i>").format(
            days=f"{p.days:,.0f}" if math.isfinite(p.days) else "∞", train=si(model.training_flops),
            params=si(model.parameters), source=html.escape(model.source), per_token=FLOPS_PER_PARAMETER_TOKEN,
            flops_source=html.escape(FLOPS_SOURCE), tokens=self.tokens.value(), reply=si(p.flops_per_reply),
            day=si(p.flops_per_day)))
