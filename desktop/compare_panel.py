"""In context or in the weights, side by side (for presenters): one question, each in a fresh
conversation of its own, to the original model, to the original model with the memory note pasted,
and to the taught model, each with the context it read and the fingerprint of the weights it used.

Everything is asked afresh where the model runs when the view opens (`Exhibit.set_show_compare`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget

from .context_panel import ROLE_COLOURS, view_html
from .talk_loop import Compared


def _tr(text: str) -> str:
    return QCoreApplication.translate("ComparePanel", text)


def titles() -> dict[str, tuple[str, str]]:
    return {
        "original": (_tr("The original model"), _tr("A fresh conversation: nothing in the context.")),
        "memory": (_tr("The original model, with memory"),
                   _tr("The same weights; the note pasted at the top of the context.")),
        "taught": (_tr("The taught model"), _tr("Weights changed by teaching; nothing in the context.")),
    }


class _Column(QWidget):
    def __init__(self, kind: str):
        super().__init__()
        self.setObjectName(f"Compare_{kind}")
        title, text = titles()[kind]
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        self.title = QLabel(f"<b>{html.escape(title)}</b>")
        self.what = QLabel(text)
        self.fingerprint = QLabel()
        self.reply = QLabel()
        self.reply.setObjectName("CompareReply")
        self.context = QTextBrowser()
        self.context.setObjectName("ContextTokens")
        self.context.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for w in (self.title, self.what, self.fingerprint, self.reply):
            w.setWordWrap(True)
            w.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            lay.addWidget(w)
        lay.addWidget(self.context, 1)

    def show(self, c: Compared | None) -> None:
        if c is None:
            self.fingerprint.setText(_tr("Nothing taught yet: teach it for real (Ctrl+T), then look again."))
            self.reply.setText("")
            self.context.clear()
            return
        self.fingerprint.setText(_tr("Fingerprint {fp}… · weights changed since training: {n:,}").format(
            fp=" ".join(c.fingerprint[i: i + 4] for i in range(0, 16, 4)), n=c.changed))
        self.reply.setText(_tr('Answers: <b style="color:{colour}">{reply}</b>').format(
            colour=ROLE_COLOURS["model"], reply=html.escape(c.reply) or _tr("(nothing)")))
        self.reply.setTextFormat(Qt.TextFormat.RichText)
        self.context.setHtml(view_html(c.context.tokens, {}))


class ComparePanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ComparePanel")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.question = QLabel()
        self.question.setObjectName("PanelTitle")
        self.question.setWordWrap(True)
        self.question.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        lay.addWidget(self.question)
        row = QHBoxLayout()
        lay.addLayout(row, 1)
        self.columns = {kind: _Column(kind) for kind in titles()}
        for column in self.columns.values():
            row.addWidget(column, 1)
        self.shown: list[Compared] = []

    def hasHeightForWidth(self) -> bool:
        return False  # as the other scenes: the height is set by stretch alone

    def show_compared(self, compared: list[Compared], question: str) -> None:
        self.shown = list(compared)
        self.question.setText(_tr("The same question, “{q}”, three ways. Only teaching changed the weights; memory "
                                  "only changed what the model reads.").format(q=question))
        by_kind = {c.kind: c for c in compared}
        for kind, column in self.columns.items():
            column.show(by_kind.get(kind))
        memory = by_kind.get("memory")
        pasted = memory is not None and memory.context.tokens and memory.context.tokens[0].role == "note"
        self.columns["memory"].what.setText(titles()["memory"][1] if pasted else
                                            _tr("The memory note is empty: nothing was pasted (Ctrl+M turns memory "
                                                "on; corrections then fill the note)."))
