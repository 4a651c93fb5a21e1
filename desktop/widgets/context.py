"""The context panel: every token the model rereads to write its next reply.

Visitor and model turns and a memory note are told apart by colour (Okabe-Ito blue, orange and
green, with role marks for whoever cannot tell colours apart), a gauge shows the context used against
the window size, the tokens that fell out of the window are counted, the last of them struck through, and after each
reply the tokens the model attended to most are lit up, the strongest brightest, with their shares
listed below.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QTextBrowser, QVBoxLayout, QWidget

from ..i18n import fixed, number
from ..process.protocol import END_MARK, ContextView, TokenView

# The note's Okabe-Ito bluish green lightened (#009e73 was 5.5:1 on the chat's background), and the quiet grey
# of what the model reads but no one said: each at least 7:1 on black and on the chat's #101216.
ROLE_COLOURS = {"visitor": "#56b4e9", "model": "#e69f00", "note": "#00c896"}
QUIET = "#a9aeb6"
LIT = (240, 228, 66)  # Okabe-Ito yellow: what the model read most
BASE = (30, 33, 40)


def _blend(t: float) -> str:
    r, g, b = (round(a + (c - a) * t) for a, c in zip(BASE, LIT))
    return f"#{r:02x}{g:02x}{b:02x}"


def token_html(tv: TokenView, light: float = 0.0) -> str:
    if tv.special:
        return f'<span style="color:{QUIET}; font-size:small">{html.escape(tv.text)}</span>'
    text = "↵" if tv.text == "\n" else tv.text
    text = html.escape(text)
    colour = ROLE_COLOURS.get(tv.role, "#e6e6e6")
    if light > 0:
        return f'<span style="background-color:{_blend(light)}; color:#111111; font-weight:bold">{text}</span>'
    if tv.text == "\ufffd":
        return f'<span style="background-color:#d55e00; color:#ffffff">{text}</span>'
    return f'<span style="color:{colour}">{text}</span>'


def view_html(tokens, lights: dict[int, float]) -> str:
    out = ['<div style="white-space:pre-wrap">']
    for i, tv in enumerate(tokens):
        out.append(token_html(tv, lights.get(i, 0.0)))
        if tv.special and tv.text == END_MARK:
            out.append("<br>")
    out.append("</div>")
    return "".join(out)


class ContextPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ContextPanel")
        self.view: ContextView | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("PanelTitle")
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        self.gauge = QProgressBar()
        self.gauge.setObjectName("ContextGauge")
        self.gauge.setTextVisible(True)
        lay.addWidget(self.gauge)
        self.dropped = QLabel()
        self.dropped.setObjectName("Dropped")
        self.dropped.setWordWrap(True)
        self.dropped.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.dropped)
        self.tokens = QTextBrowser()
        self.tokens.setObjectName("ContextTokens")
        self.tokens.setOpenLinks(False)
        self.tokens.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lay.addWidget(self.tokens, 1)
        self.attended = QLabel()
        self.attended.setObjectName("Attended")
        self.attended.setWordWrap(True)
        self.attended.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.attended)
        self.legend = QLabel()
        self.legend.setObjectName("Legend")
        lay.addWidget(self.legend)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("What the model rereads before every reply (its context)"))
        self.legend.setText(self.tr('<span style="color:{v}">■ visitor</span> &nbsp; '
                                    '<span style="color:{m}">■ model</span> &nbsp; '
                                    '<span style="color:{n}">■ memory note</span> &nbsp; '
                                    '<span style="background-color:{lit}; color:#111">&nbsp;read most&nbsp;</span>')
                            .format(v=ROLE_COLOURS["visitor"], m=ROLE_COLOURS["model"], n=ROLE_COLOURS["note"],
                                    lit=_blend(1.0)))
        self.show_view(self.view)

    def show_view(self, view: ContextView | None) -> None:
        self.view = view
        size = view.block_size if view else 1
        used = view.used if view else 0
        self.gauge.setRange(0, size)
        self.gauge.setValue(min(used, size))
        self.gauge.setFormat(self.tr("{used} of {size} tokens of the context window").format(
            used=number(used), size=number(size)) if view else self.tr("no conversation"))
        if view is None or not view.tokens:
            empty = html.escape(self.tr("Empty: the model reads nothing."))
            self.tokens.setHtml(f'<p style="color:{QUIET}">{empty}</p>')
        else:
            top = view.top
            lights = {i: 1.0 - 0.7 * rank / max(1, len(top) - 1) for rank, i in enumerate(top)}
            self.tokens.setHtml(view_html(view.tokens, lights))
            self.tokens.verticalScrollBar().setValue(self.tokens.verticalScrollBar().maximum())
        self._show_dropped(view)
        self._show_attended(view)

    def _show_dropped(self, view: ContextView | None) -> None:
        if view is None or not view.dropped:
            self.dropped.setText("")
            self.dropped.setVisible(False)
            return
        self.dropped.setText(self.tr('Fell out of the window, no longer read ({n} tokens): '
                                     '<span style="color:{quiet}; text-decoration:line-through">{text}</span>')
                             .format(n=number(view.dropped), quiet=QUIET, text=html.escape(view.dropped_text)))
        self.dropped.setVisible(True)

    def _show_attended(self, view: ContextView | None) -> None:
        if view is None or not view.top:
            self.attended.setText("")
            return
        parts = []
        for i in view.top[:6]:
            tv = view.tokens[i]
            shown = "␣" if tv.text == " " else "↵" if tv.text == "\n" else tv.text
            parts.append(self.tr("“{token}” {share}%").format(token=html.escape(shown),
                                                                  share=fixed(100 * tv.attention, 0)))
        if view.read_for:
            self.attended.setText(self.tr("Read most while writing “{name}”: {parts}").format(
                name=html.escape(view.read_for), parts=", ".join(parts)))
        else:
            self.attended.setText(self.tr("Read most while writing the last reply: {parts}").format(
                parts=", ".join(parts)))
