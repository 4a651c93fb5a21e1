"""The heatmap's names for the mosaic's bands and matrices, translated (the mosaic's keys are English)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ..i18n import number

_NAMES = {  # mosaic key: (label, short label), translated when shown
    "token embeddings": (QT_TRANSLATE_NOOP("HeatmapPanel", "token embeddings (in)"),
                         QT_TRANSLATE_NOOP("HeatmapPanel", "embeddings")),
    "attention: query, key, value": (QT_TRANSLATE_NOOP("HeatmapPanel", "attention: query · key · value"),
                                     QT_TRANSLATE_NOOP("HeatmapPanel", "attn q·k·v")),
    "attention: output": (QT_TRANSLATE_NOOP("HeatmapPanel", "attention out"),
                          QT_TRANSLATE_NOOP("HeatmapPanel", "attn out")),
    "key smear": (QT_TRANSLATE_NOOP("HeatmapPanel", "key smear"), QT_TRANSLATE_NOOP("HeatmapPanel", "smear")),
    "short convolution": (QT_TRANSLATE_NOOP("HeatmapPanel", "short convolution"),
                          QT_TRANSLATE_NOOP("HeatmapPanel", "conv")),
    "MLP: in": (QT_TRANSLATE_NOOP("HeatmapPanel", "MLP in"), QT_TRANSLATE_NOOP("HeatmapPanel", "MLP in")),
    "MLP: out": (QT_TRANSLATE_NOOP("HeatmapPanel", "MLP out"), QT_TRANSLATE_NOOP("HeatmapPanel", "MLP out")),
    "final norm": (QT_TRANSLATE_NOOP("HeatmapPanel", "final norm"), QT_TRANSLATE_NOOP("HeatmapPanel", "norm")),
    "norm": (QT_TRANSLATE_NOOP("HeatmapPanel", "norm"), QT_TRANSLATE_NOOP("HeatmapPanel", "norm")),
    "next-character output": (QT_TRANSLATE_NOOP("HeatmapPanel", "output: next character"),
                              QT_TRANSLATE_NOOP("HeatmapPanel", "output")),
}


def label_text(key: str, short: bool = False) -> str:
    """The visible text of a mosaic label key (see desktop.widgets.mosaic._LABELS); a parameter of a
    kind not named here shows by its own name."""
    pair = _NAMES.get(key)
    return key if pair is None else QCoreApplication.translate("HeatmapPanel", pair[1] if short else pair[0])


def band_text(key: str) -> str:
    if key.startswith("layer "):
        return QCoreApplication.translate("HeatmapPanel", "layer {n}").format(n=number(int(key.split()[1])))
    if key == "embeddings":
        return QCoreApplication.translate("HeatmapPanel", "in")
    return QCoreApplication.translate("HeatmapPanel", "out") if key == "output" else key
