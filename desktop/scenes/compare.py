"""In context or in the weights, side by side (for presenters): one question, each in a fresh
conversation of its own, to the original model, to the original model with the memory note pasted,
and to the taught model, each with the context it read and the fingerprint of the weights it used.

Everything is asked afresh where the model runs when the view opens (`desktop.control.talk`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget

from ..i18n import number
from ..process.protocol import Column
from ..widgets.context import ROLE_COLOURS, view_html

KINDS = ("original", "memory", "taught")


def titles() -> dict[str, tuple[str, str]]:
    translate = QCoreApplication.translate
    return {
        "original": (translate("ComparePanel", "The original model"),
                     translate("ComparePanel", "A fresh conversation: nothing in the context.")),
        "memory": (translate("ComparePanel", "The original model, with memory"),
                   translate("ComparePanel", "The same weights; the note pasted at the top of the context.")),
        "taught": (translate("ComparePanel", "The taught model"),
                   translate("ComparePanel", "Weights changed by teaching; nothing in the context.")),
    }


class _Column(QWidget):
    def __init__(self, kind: str):
        super().__init__()
        self.setObjectName(f"Compare_{kind}")
        self.kind = kind
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        self.title = QLabel()
        self.what = QLabel()
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

    def show_column(self, c: Column | None) -> None:
        title, text = titles()[self.kind]
        self.title.setText(f"<b>{html.escape(title)}</b>")
        self.what.setText(text)
        translate = QCoreApplication.translate
        if c is None:
            self.fingerprint.setText(translate("ComparePanel", "Nothing taught yet: teach it for real (Ctrl+T), then "
                                                               "look again."))
            self.reply.setText("")
            self.context.clear()
            return
        self.fingerprint.setText(translate("ComparePanel", "Fingerprint {fp}… · weights changed since training: {n}")
                                 .format(fp=" ".join(c.fingerprint[i: i + 4] for i in range(0, 16, 4)),
                                         n=number(c.changed)))
        self.reply.setText(translate("ComparePanel", 'Answers: <b style="color:{colour}">{reply}</b>').format(
            colour=ROLE_COLOURS["model"], reply=html.escape(c.reply) or translate("ComparePanel", "(nothing)")))
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
        self.columns = {kind: _Column(kind) for kind in KINDS}
        for column in self.columns.values():
            row.addWidget(column, 1)
        self.shown: list[Column] = []
        self._question = ""
        self.retranslate()

    def hasHeightForWidth(self) -> bool:
        return False  # as the other scenes: the height is set by stretch alone

    def retranslate(self) -> None:
        self.show_compared(self.shown, self._question)

    def forget(self) -> None:
        """Nothing compared (a kiosk's reset: the replies held the last visitor's names)."""
        self.show_compared([], "")

    def show_compared(self, compared: list[Column], question: str) -> None:
        self.shown, self._question = list(compared), question
        self.question.setText(self.tr("The same question, “{q}”, three ways. Only teaching changed the weights; "
                                      "memory only changed what the model reads.").format(q=question))
        by_kind = {c.kind: c for c in compared}
        for kind, column in self.columns.items():
            column.show_column(by_kind.get(kind))
        memory = by_kind.get("memory")
        pasted = memory is not None and memory.context.tokens and memory.context.tokens[0].role == "note"
        if memory is not None and not pasted:
            self.columns["memory"].what.setText(self.tr("The memory note is empty: nothing was pasted (Ctrl+M turns "
                                                        "memory on; corrections then fill the note)."))
