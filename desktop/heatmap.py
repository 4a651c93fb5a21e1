"""The weights heatmap: every weight of the model in one labelled mosaic (a pyqtgraph ImageItem).

Colours are fixed and symmetric, blue for negative, black for zero, yellow for positive (colorcet's
CET-D6: the blue-yellow axis survives the common red-green colour blindnesses): a weight keeps its
colour from frame to frame, so what changes on screen is the weight, never the scale. The
colours crowd near zero (an arcsinh stretch of the colour table), so that the small random weights
of a fresh model show as noise and the large ones of a trained model still differ; the colour bar is
labelled in real weight values. The "change" view shows how far each weight moved since the previous frame (`inferno`,
perceptually uniform and colour-blind safe; black for no change at all, and any change, however small, at
least a dark purple).

The panel draws what the controller hands it (`show_weights`) and repaints on every frame of the
controller's clock (`repaint_frame`). Hovering, a tap, or the keyboard cursor (arrow keys, Shift for
bigger moves, Page Up/Down to jump between matrices) reads one weight: matrix, row, column, value.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QImage, QPen, QTransform
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsRectItem, QGraphicsSimpleTextItem, QGraphicsView, QLabel,
                               QSizePolicy, QVBoxLayout, QWidget)

from .layout import ROW_GAP, TILE_GAP, Mosaic, Tile

STRETCH = 0.01  # weights much smaller than this are shown on a linear scale, larger on a log-like one
WEIGHT_LIMIT = 0.5  # weights beyond +-0.5 take the end colours
# Changes beyond this take the brightest colour. About the largest change one step makes to the model,
# which is the running average of the trainer's weights (its 99th percentile measured 5.2e-4..7.0e-4 a step
# over steps 100..600 of seed 1, where the optimiser moved its own weights 2.6e-3..3.9e-3).
CHANGE_LIMIT = 0.0006
# The scale of the change made by teaching it for real (50 steps on the MLP weights): of the weights
# it moved, the median moved 0.033 and the 99th percentile 0.087 ("Mara does the books.", measured here).
TEACH_CHANGE_LIMIT = 0.1
# Any change at all takes at least the colour of this fraction of the change scale (a dark purple on the
# black of "did not move"): a weight moved by 1e-7 shows, where its own colour would be black.
CHANGE_FLOOR = 0.12
WEIGHT_TICKS = (-0.5, -0.25, -0.1, 0.0, 0.1, 0.25, 0.5)
LUT_SIZE = 2048  # colours in the weight scale: fine enough near zero, where the scale is steep
BACKGROUND = "#14161b"
GAPS = "#3b404b"  # between the matrices: lighter than any weight near zero, so every tile shows


def _tr(text: str) -> str:
    return QCoreApplication.translate("Heatmap", text)


def label_text(key: str, short: bool = False) -> str:
    """The visible, translated text of a layout label key (see desktop.layout._LABELS)."""
    names = {  # key: (label, short label)
        "token embeddings": (_tr("token embeddings (in)"), _tr("embeddings")),
        "attention: query, key, value": (_tr("attention: query · key · value"), _tr("attn q·k·v")),
        "attention: output": (_tr("attention out"), _tr("attn out")),
        "key smear": (_tr("key smear"), _tr("smear")),
        "short convolution": (_tr("short convolution"), _tr("conv")),
        "MLP: in": (_tr("MLP in"), _tr("MLP in")),
        "MLP: out": (_tr("MLP out"), _tr("MLP out")),
        "final norm": (_tr("final norm"), _tr("norm")),
        "norm": (_tr("norm"), _tr("norm")),
        "next-character output": (_tr("output: next character"), _tr("output")),
    }
    pair = names.get(key, (key, key))
    return pair[1] if short else pair[0]


def band_text(key: str) -> str:
    if key.startswith("layer "):
        return _tr("layer {n}").format(n=key.split()[1])
    return {"embeddings": _tr("in"), "output": _tr("out")}.get(key, key)


def stretched_map(base: pg.ColorMap) -> tuple[pg.ColorMap, np.ndarray]:
    """`base` laid over -WEIGHT_LIMIT..WEIGHT_LIMIT with its colours crowded near zero (arcsinh).

    The stretch lives in the colour table, computed once: each frame maps raw weights linearly onto
    it, which is a lookup, not an arcsinh of every weight (7 ms a frame on a busy two-core machine).
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

    pyqtgraph hands 4-byte pixels to Qt as RGBA8888, which Qt converts to its own format, on its
    pooled threads, each time the item's cache is drawn again (every new step): 1.7 ms of the
    window's thread while training, measured here, waiting on threads that take both cores from the
    trainer. Qt's RGB32 is drawn as it is: 0.32 ms on one thread, against 0.51 ms on three."""

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


class _MosaicView(pg.GraphicsLayoutWidget):
    """A view that paints its background only where the mosaic (opaque, gaps included) does not cover.

    Each frame of training repaints the mosaic's area; painting the background under it first (or
    copying it from a cached picture, pyqtgraph's default) was a third of a frame's cost."""

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


class HeatmapPanel(QWidget):
    cursor_moved = Signal(str)  # the readout of the weight under the cursor

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setObjectName("HeatmapPanel")
        self.mosaic: Mosaic | None = None
        self.flat: np.ndarray | None = None  # the weights on screen
        self.previous: np.ndarray | None = None  # the weights of the previous (different) frame
        self.step = -1
        self.show_change = False
        self._since_teaching = False  # the change view compares with the weights before teaching
        self.cursor: tuple[int, int] | None = None
        self._specs_key = None
        self._scratch: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # _render's buffers
        self._pictures: list[np.ndarray] | None = None  # _render's two pictures (see there)
        self._labels: list[tuple[QGraphicsSimpleTextItem, Tile]] = []
        self._font = QFont()
        self._build()

    def _build(self) -> None:
        self.view = _MosaicView()
        self.view.setBackground(BACKGROUND)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Repainted every frame while training, which takes CPU from the trainer: each repaint of the
        # mosaic is one blit of the image's cached pixmap. The view paints every pixel itself, so the
        # window behind it is not painted first (that halved the cost of a frame); the image is opaque
        # (its gaps are coloured in it), so no background is painted under it; the labels are C++
        # items that never call into Python while painting.
        opaque(self.view)
        self.view.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.plot = self.view.addPlot()
        p = self.plot
        p.setMenuEnabled(False)
        p.setMouseEnabled(False, False)
        p.hideButtons()
        p.invertY(True)
        p.setAspectLocked(True)
        p.hideAxis("bottom")
        p.vb.sigResized.connect(self._fit_labels)
        p.getAxis("left").setPen(pg.mkPen("#9aa0aa"))
        p.getAxis("left").setTextPen(pg.mkPen("#e6e6e6"))
        self.image = MosaicImage(axisOrder="row-major")
        # Frames with no new step repaint from a cache at screen resolution (a copy, not a rescale of
        # the image): new weights invalidate it through setImage.
        self.image.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        p.addItem(self.image)
        self.view.opaque_item = self.image
        self._build_scale()
        self._cursor_item = QGraphicsRectItem(QRectF(0, 0, 1, 1))
        self._build_cursor()
        self.readout = QLabel(_tr("Hover or tap a weight to read it; or press Ctrl+H, then the arrow keys."))
        self.readout.setObjectName("Readout")
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the window
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.readout)
        self._frame_rect = None  # where the mosaic is on the view's viewport, for repaint_frame
        p.vb.sigTransformChanged.connect(self._forget_frame_rect)
        p.vb.sigResized.connect(self._forget_frame_rect)
        self.view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.view.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self._set_bar_ticks()

    def _build_scale(self) -> None:
        """The fixed colour scales (weights, and change) and the colour bar beside the mosaic."""
        p = self.plot
        self.weight_map, self.weight_lut = stretched_map(pg.colormap.get("CET-D6"))
        self.change_map = pg.colormap.get("inferno")
        self.weight_lut32 = _rgb32(self.weight_lut)
        self.gap32 = _rgb32(np.array([QColor(GAPS).getRgb()[:3]], dtype=np.uint8))[0]
        self.change_lut32 = _rgb32(self.change_map.getLookupTable(nPts=512, alpha=False))
        self.bar = pg.ColorBarItem(values=(-WEIGHT_LIMIT, WEIGHT_LIMIT), colorMap=self.weight_map,
                                   interactive=False, colorMapMenu=False, width=18)
        self.bar.axis.enableAutoSIPrefix(False)  # the ticks are real weight values: no "(x0.001)"
        p.layout.addItem(self.bar, 2, 5)  # right of the plot, as ColorBarItem.setImageItem would put it
        p.layout.setColumnFixedWidth(4, 5)

    def _build_cursor(self) -> None:
        pen = QPen(QColor("#ff4fd8"), 2)
        pen.setCosmetic(True)
        self._cursor_item.setPen(pen)
        self._cursor_item.setZValue(10)
        self._cursor_item.setVisible(False)
        self.plot.addItem(self._cursor_item, ignoreBounds=True)

    # --- what is shown ------------------------------------------------------------------------
    @property
    def paints(self) -> int:
        return self.view.paints

    def show_weights(self, specs, step: int, flat: np.ndarray) -> None:
        key = tuple(specs)
        if key != self._specs_key:
            self._specs_key, self.mosaic = key, Mosaic(specs)
            self.previous, self._pictures, self._frame_rect = None, None, None
            self._build_labels()
        else:  # frames come only with new weights (or a reply's proof): the previous frame is the last call
            self.previous = self.flat
        self.flat, self.step = flat, step
        if self._since_teaching:
            self._since_teaching = False
            self._set_bar_ticks()
        self._render()

    def show_taught(self, specs, flat: np.ndarray, before: np.ndarray) -> None:
        """The weights teaching left, compared (in the change view) with the weights before it began:
        what one action of the visitor's changed, whatever the frames of its steps showed."""
        self.show_weights(specs, -1, flat)
        if self.mosaic is not None and before.shape == flat.shape:
            self.previous, self._since_teaching = before, True
            self._set_bar_ticks()
            self._render()

    def set_show_change(self, on: bool) -> None:
        self.show_change = on
        self.bar.setColorMap(self.change_map if on else self.weight_map)
        self._set_bar_ticks()
        self._render()

    def shown(self) -> np.ndarray | None:
        """Per weight, what the picture shows: its value, or in the change view how far it moved."""
        if self.flat is None:
            return None
        if not self.show_change:
            return self.flat
        return np.zeros_like(self.flat) if self.previous is None else np.abs(self.flat - self.previous)

    def values(self) -> np.ndarray | None:
        """The mosaic of what is shown, before colouring (NaN between matrices): what tests compare."""
        data = self.shown()
        return None if data is None or self.mosaic is None else self.mosaic.fill(data)

    def rendered(self) -> np.ndarray | None:
        """The coloured picture itself, as the ImageItem holds it, in RGBA bytes (height, width, 4)."""
        words = self.image.image
        if words is None:
            return None
        channels = [(words >> 16) & 255, (words >> 8) & 255, words & 255, words >> 24]  # R, G, B, A
        return np.stack(channels, axis=-1).astype(np.uint8)

    def _render(self) -> None:
        """Colour every weight through the fixed scale and place it: a few numpy passes over the weights.

        pyqtgraph would colour the float image itself, through a generic (and here, slow) path. Here each
        weight is coloured in place, in buffers kept from frame to frame: a pass that allocated its
        result took a fresh, zero-filled mapping of a megabyte each time (the process's malloc hands
        big blocks to mmap), 3.4 ms a new step against 0.9 ms.
        """
        if self.mosaic is None or self.flat is None:
            return
        lo, hi, lut = (0.0, self._change_limit(), self.change_lut32) if self.show_change else \
            (-WEIGHT_LIMIT, WEIGHT_LIMIT, self.weight_lut32)
        if self._scratch is None or self._scratch[0].size != self.flat.size:
            n = self.flat.size
            self._scratch = (np.empty(n, np.float32), np.empty(n, np.intp), np.empty(n, np.uint32))
        idx, whole, colours = self._scratch
        if not self.show_change:
            np.subtract(self.flat, np.float32(lo), out=idx)
        elif self.previous is None:
            idx.fill(0.0)
        else:
            np.subtract(self.flat, self.previous, out=idx)
            np.abs(idx, out=idx)
        np.multiply(idx, np.float32((len(lut) - 1) / (hi - lo)), out=idx)
        if self.show_change:  # a weight that moved at all shows: black is only for one that did not move
            floor = np.float32(CHANGE_FLOOR * (len(lut) - 1))
            np.copyto(idx, floor, where=(idx > 0) & (idx < floor))
        np.clip(idx, 0, len(lut) - 1, out=idx)
        whole[...] = idx  # rounds towards zero, as astype would
        np.take(lut, whole, out=colours)
        # Two pictures in turn: the image item holds the one it was handed last, which is not written
        # to until it has been handed the other (a fresh picture each time, zero-filled pages from the
        # system, cost 0.5 ms more).
        shape = (self.mosaic.height, self.mosaic.width)
        if self._pictures is None:  # a new mosaic
            self._pictures = [np.full(shape, self.gap32, dtype=np.uint32) for _ in range(2)]
        self._pictures.reverse()
        picture = self._pictures[0]
        self.mosaic.fill(colours, picture)  # the gaps between matrices keep their colour
        self.image.setImage(picture, autoLevels=False)
        self._update_readout()

    def repaint_frame(self) -> None:
        """One frame of the clock: repaint the heatmap (from its cache when no new step came).

        The viewport is asked for the mosaic's rectangle there, found once per size and range of the
        view: a frame with no new step costs 1.6 ms of the window's thread (measured here, 30 ms
        apart as the clock's are; 0.4 ms back to back), and asking the scene to update (with the
        image's bounding rectangle, each time) cost 0.2 ms of that."""
        if self._frame_rect is None:
            rect = self.view.mapFromScene(self.image.sceneBoundingRect()).boundingRect()
            self._frame_rect = rect.adjusted(-1, -1, 1, 1)  # the edge pixels the image only partly covers
        self.view.viewport().update(self._frame_rect)

    def _forget_frame_rect(self, *_) -> None:
        self._frame_rect = None

    # --- labels and fonts ---------------------------------------------------------------------
    def set_font_scale(self, font: QFont) -> None:
        self._font = QFont(font)
        self._build_labels()
        for ax in (self.plot.getAxis("left"), self.bar.axis):
            ax.setStyle(tickFont=self._font)
            ax.label.setFont(self._font)
            ax.setWidth(None)  # None: as wide as the new tick labels need

    def _build_labels(self) -> None:
        for item, _ in self._labels:
            self.plot.removeItem(item)
        self._labels = []
        if self.mosaic is None:
            return
        rows: dict[int, list[str]] = {}
        for band in self.mosaic.bands:
            rows.setdefault(band.y + band.h // 2, []).append(band_text(band.name))
        self.plot.getAxis("left").setTicks([[(y, " / ".join(names)) for y, names in rows.items()], []])
        above: set[tuple[int, str]] = set()
        for t in self.mosaic.tiles:
            if t.w < 24 or (t.x, t.label) in above:
                continue  # thin strips are named by the readout; later layers share the first one's labels
            above.add((t.x, t.label))
            # Drawn at the screen's scale whatever the zoom, its bottom-left corner just above the tile.
            item = QGraphicsSimpleTextItem(label_text(t.label))
            item.setBrush(QBrush(QColor("#dfe3ea")))
            item.setFont(self._font)
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            item.setTransform(QTransform.fromTranslate(0, -QFontMetrics(self._font).height()))
            item.setPos(t.x, t.y - 0.5)
            self.plot.addItem(item, ignoreBounds=True)
            self._labels.append((item, t))
        self.plot.setRange(xRange=(0, self.mosaic.width), yRange=(0, self.mosaic.height), padding=0.01)
        self._fit_labels()

    def _fit_labels(self) -> None:
        """Long labels where they fit over their matrix, short ones where not, none where neither fits."""
        if self.mosaic is None or not self._labels:
            return
        (x0, x1), (y0, y1) = self.plot.vb.viewRange()
        px_per_col = self.plot.vb.width() / max(1.0, x1 - x0)
        px_per_row = self.plot.vb.height() / max(1.0, y1 - y0)
        metrics = QFontMetrics(self._font)
        fits_between_rows = metrics.height() <= ROW_GAP * px_per_row + 2
        for item, t in self._labels:
            if not fits_between_rows:  # the heatmap is small (Talk): the row names and the readout remain
                item.setVisible(False)
                continue
            room = (t.w + TILE_GAP) * px_per_col
            for short in (False, True):
                text = label_text(t.label, short)
                if metrics.horizontalAdvance(text) <= room:
                    item.setText(text)
                    item.setVisible(True)
                    break
            else:
                item.setVisible(False)

    def _change_limit(self) -> float:
        return TEACH_CHANGE_LIMIT if self._since_teaching else CHANGE_LIMIT

    def _set_bar_ticks(self) -> None:
        if self.show_change:
            self.bar.setLevels((0.0, self._change_limit()))
            ticks = [(v, f"{v:.2g}") for v in np.linspace(0, self._change_limit(), 4)]
        else:
            self.bar.setLevels((-WEIGHT_LIMIT, WEIGHT_LIMIT))
            ticks = [(v, f"{v:+g}" if v else "0") for v in WEIGHT_TICKS]
        self.bar.axis.setTicks([ticks, []])
        label = (_tr("change made by teaching") if self._since_teaching else _tr("change per frame")) \
            if self.show_change else _tr("weight")
        self.bar.axis.setLabel(label, color="#e6e6e6")

    # --- reading one weight -------------------------------------------------------------------
    def describe(self, x: int, y: int) -> str | None:
        if self.mosaic is None or self.flat is None:
            return None
        hit = self.mosaic.locate(x, y)
        if hit is None:
            return None
        tile, row, col, i = hit
        where = _tr("{band} · {label}").format(band=band_text(tile.band), label=label_text(tile.label))
        idx = tile.index_text(row, col)
        pos = (_tr("entry {i}").format(i=idx[0]) if len(idx) == 1 else
               _tr("row {r}, column {c}").format(r=idx[0], c=idx[1]) if len(idx) == 2 else
               _tr("index {i}").format(i=", ".join(str(int(k)) for k in idx)))
        text = _tr("{where} ({name}), {pos}: {value:+.4f}").format(where=where, name=tile.name, pos=pos,
                                                                    value=float(self.flat[i]))
        if self.show_change and self.previous is not None:
            text += _tr(", moved {delta:+.5f} since the previous frame").format(
                delta=float(self.flat[i] - self.previous[i]))
        return text

    def _update_readout(self) -> None:
        if self.cursor is not None:
            text = self.describe(*self.cursor)
            if text:
                self.readout.setText(text)

    def set_cursor(self, x: int, y: int) -> None:
        if self.mosaic is None:
            return
        x = max(0, min(self.mosaic.width - 1, x))
        y = max(0, min(self.mosaic.height - 1, y))
        self.cursor = (x, y)
        self._cursor_item.setRect(QRectF(x - 0.5, y - 0.5, 2, 2))
        self._cursor_item.setVisible(True)
        text = self.describe(x, y) or _tr("(between matrices)")
        self.readout.setText(text)
        self.cursor_moved.emit(text)

    def move_cursor(self, dx: int, dy: int) -> None:
        """Move by (dx, dy) weights; across a gap, on to the next matrix that way (never stop in a gap)."""
        if self.mosaic is None:
            return
        if self.cursor is None:
            self.jump_tile(0)
            return
        m = self.mosaic
        x, y = self.cursor[0] + dx, self.cursor[1] + dy
        ux, uy = (dx > 0) - (dx < 0), (dy > 0) - (dy < 0)
        while 0 <= x < m.width and 0 <= y < m.height and m.locate(x, y) is None:
            x, y = x + ux, y + uy
        if 0 <= x < m.width and 0 <= y < m.height:
            self.set_cursor(x, y)

    def jump_tile(self, step: int) -> None:
        """To the top-left weight of the matrix `step` places on in reading order (the first one if none)."""
        if self.mosaic is None:
            return
        tile: Tile = self.mosaic.tiles[0] if self.cursor is None else self.mosaic.nearest_tile(*self.cursor, step)
        self.set_cursor(tile.x, tile.y)

    def keyPressEvent(self, event) -> None:
        big = 8 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
        moves = {Qt.Key.Key_Left: (-big, 0), Qt.Key.Key_Right: (big, 0),
                 Qt.Key.Key_Up: (0, -big), Qt.Key.Key_Down: (0, big)}
        k = event.key()
        if k in moves:
            self.move_cursor(*moves[k])
        elif k == Qt.Key.Key_PageDown:
            self.jump_tile(1)
        elif k == Qt.Key.Key_PageUp:
            self.jump_tile(-1)
        elif k == Qt.Key.Key_Home:
            self.cursor = None
            self.jump_tile(0)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if self.cursor is None and self.mosaic is not None:
            self.jump_tile(0)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        if self.mosaic is None or not self.plot.sceneBoundingRect().contains(pos):
            return
        p = self.plot.vb.mapSceneToView(pos)
        text = self.describe(int(np.floor(p.x())), int(np.floor(p.y())))
        if text:
            self.readout.setText(text)

    def _on_mouse_clicked(self, event) -> None:
        p = self.plot.vb.mapSceneToView(event.scenePos())
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set_cursor(int(np.floor(p.x())), int(np.floor(p.y())))
