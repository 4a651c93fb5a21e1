"""The heatmap's colours: fixed scales, each weight coloured by a few numpy passes, and the items that draw them.

Colours are fixed and symmetric, blue for negative, black for zero, yellow for positive (colorcet's
CET-D6: the blue-yellow axis survives the common red-green colour blindnesses): a weight keeps its
colour from frame to frame, so what changes on screen is the weight, never the scale. The colours
crowd near zero (an arcsinh stretch of the colour table), so that the small random weights of a fresh
model show as noise and the large ones of a trained model still differ. The change view shows how far
each weight moved (`inferno`, perceptually uniform and colour-blind safe; black for no change at all,
and any change, however small, at least a dark purple). Why each piece is as it is, measured: see
BENCHMARKS.md.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGraphicsView

from .mosaic import Mosaic

STRETCH = 0.01  # weights much smaller than this are shown on a linear scale, larger on a log-like one
WEIGHT_LIMIT = 0.5  # weights beyond +-0.5 take the end colours
# Changes beyond this take the brightest colour. About the largest change one step makes to the model,
# which is the running average of the trainer's weights (its 99th percentile measured 5.2e-4..7.0e-4 a step
# over steps 100..600 of seed 1, where the optimiser moved its own weights 2.6e-3..3.9e-3).
CHANGE_LIMIT = 0.0006
# The scale of the change made by teaching it for real (50 steps on the MLP weights): of the weights
# it moved, the median moved 0.022 and the 99th percentile 0.067 ("Mara does the books.", the shipped model).
TEACH_CHANGE_LIMIT = 0.1
# Any change at all takes at least the colour of this fraction of the change scale (a dark purple on the
# black of "did not move"): a weight moved by 1e-7 shows, where its own colour would be black.
CHANGE_FLOOR = 0.12
WEIGHT_TICKS = (-0.5, -0.25, -0.1, 0.0, 0.1, 0.25, 0.5)
LUT_SIZE = 2048  # colours in the weight scale: fine enough near zero, where the scale is steep
BACKGROUND = "#14161b"
GAPS = "#3b404b"  # between the matrices: lighter than any weight near zero, so every tile shows


def stretched_map(base: pg.ColorMap) -> tuple[pg.ColorMap, np.ndarray]:
    """`base` laid over -WEIGHT_LIMIT..WEIGHT_LIMIT with its colours crowded near zero (arcsinh).

    The stretch lives in the colour table, computed once: each frame maps raw weights linearly onto
    it, which is a lookup, not an arcsinh of every weight.
    """
    v = np.linspace(-WEIGHT_LIMIT, WEIGHT_LIMIT, LUT_SIZE)
    t = 0.5 + 0.5 * np.arcsinh(v / STRETCH) / np.arcsinh(WEIGHT_LIMIT / STRETCH)
    colours = base.map(t, mode="byte")
    return pg.ColorMap(np.linspace(0.0, 1.0, LUT_SIZE), colours), colours


def _rgb32(lut: np.ndarray) -> np.ndarray:
    """A colour table (n, 3 or 4 bytes) as one opaque 0xffRRGGBB word per colour (Qt's RGB32)."""
    rgb = np.asarray(lut)[:, :3].astype(np.uint32)
    return np.uint32(0xFF000000) | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]


class MosaicImage(pg.ImageItem):
    """An ImageItem for a picture already coloured: one 0xffRRGGBB word a pixel, handed to Qt as it is.

    pyqtgraph hands 4-byte pixels to Qt as RGBA8888, which Qt converts to its own format on its pooled
    threads at every new step, taking both cores from the trainer; Qt's RGB32 is drawn as it is."""

    def render(self) -> None:
        if self.image is None or self.image.size == 0:
            self._unrenderable = True
            return
        self.qimage = pg.functions.ndarray_to_qimage(np.ascontiguousarray(self.image, dtype=np.uint32),
                                                     QImage.Format.Format_RGB32)
        self._renderRequired = False
        self._unrenderable = False


def opaque(view: pg.GraphicsView) -> None:
    """Let a pyqtgraph view (which fills its background itself) paint without the widgets behind it."""
    view.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
    view.viewport().setAutoFillBackground(False)


class MosaicView(pg.GraphicsLayoutWidget):
    """A view that paints its background only where the mosaic (opaque, gaps included) does not cover.

    Each frame of training repaints the mosaic's area; painting the background under it first (or
    copying it from a cached picture, pyqtgraph's default) cost a third of a frame."""

    def __init__(self):
        super().__init__()
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.opaque_item: pg.ImageItem | None = None
        self.paints = 0  # paints of the view: the benchmark's frames per second

    def drawBackground(self, painter, rect: QRectF) -> None:
        self.paints += 1  # once in every paint of the view, as the background is not cached
        item = self.opaque_item
        if item is None or item.image is None or not item.isVisible():
            return super().drawBackground(painter, rect)
        inner = item.sceneBoundingRect().intersected(rect)
        if inner.isEmpty():
            return super().drawBackground(painter, rect)
        brush = self.backgroundBrush()
        for strip in (QRectF(rect.left(), rect.top(), rect.width(), inner.top() - rect.top()),
                      QRectF(rect.left(), inner.bottom(), rect.width(), rect.bottom() - inner.bottom()),
                      QRectF(rect.left(), inner.top(), inner.left() - rect.left(), inner.height()),
                      QRectF(inner.right(), inner.top(), rect.right() - inner.right(), inner.height())):
            if strip.width() > 0 and strip.height() > 0:
                painter.fillRect(strip, brush)


class Colourer:
    """Colours a frame's weights (or how far each moved) through a fixed scale into the mosaic's picture.

    pyqtgraph would colour the float image itself, through a generic (and here, slow) path. Here each
    weight is coloured in place, in buffers kept from frame to frame (a pass that allocated its result
    took a fresh, zero-filled mapping each time), into two pictures used in turn: the image item holds
    the one it was handed last, which is not written to until it has been handed the other.
    """

    def __init__(self):
        self.weight_map, self.weight_lut = stretched_map(pg.colormap.get("CET-D6"))
        self.change_map = pg.colormap.get("inferno")
        self.weight_lut32 = _rgb32(self.weight_lut)
        self.gap32 = _rgb32(np.array([QColor(GAPS).getRgb()[:3]], dtype=np.uint8))[0]
        self.change_lut32 = _rgb32(self.change_map.getLookupTable(nPts=512, alpha=False))
        self._scratch: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._pictures: list[np.ndarray] | None = None
        self._mosaic: Mosaic | None = None

    def picture(self, mosaic: Mosaic, flat: np.ndarray, previous: np.ndarray | None, change_limit: float | None
                ) -> np.ndarray:
        """`flat` coloured as weights, or (with a `change_limit`) as how far each moved since `previous`."""
        change = change_limit is not None
        lo, hi, lut = (0.0, change_limit, self.change_lut32) if change else \
            (-WEIGHT_LIMIT, WEIGHT_LIMIT, self.weight_lut32)
        if self._scratch is None or self._scratch[0].size != flat.size:
            n = flat.size
            self._scratch = (np.empty(n, np.float32), np.empty(n, np.intp), np.empty(n, np.uint32))
        idx, whole, colours = self._scratch
        if not change:
            np.subtract(flat, np.float32(lo), out=idx)
        elif previous is None:
            idx.fill(0.0)
        else:
            np.subtract(flat, previous, out=idx)
            np.abs(idx, out=idx)
        np.multiply(idx, np.float32((len(lut) - 1) / (hi - lo)), out=idx)
        if change:  # a weight that moved at all shows: black is only for one that did not move
            floor = np.float32(CHANGE_FLOOR * (len(lut) - 1))
            np.copyto(idx, floor, where=(idx > 0) & (idx < floor))
        np.clip(idx, 0, len(lut) - 1, out=idx)
        whole[...] = idx  # rounds towards zero, as astype would
        np.take(lut, whole, out=colours)
        if self._pictures is None or self._mosaic is not mosaic:  # a new mosaic: the gaps keep their colour
            self._mosaic = mosaic
            self._pictures = [np.full((mosaic.height, mosaic.width), self.gap32, dtype=np.uint32) for _ in range(2)]
        self._pictures.reverse()
        picture = self._pictures[0]
        mosaic.fill(colours, picture)
        return picture
