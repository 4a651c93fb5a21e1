"""The weights heatmap: every weight of the model in one labelled mosaic (a pyqtgraph ImageItem).

The panel draws what a controller hands it (`show_weights`: the live run's frames, a frozen model's
weights after every reply, each step of teaching) and repaints on every tick of the training clock
(`repaint_frame`). Colours come from `desktop.widgets.colours`; the colour bar is labelled in real
weight values. Hovering, a tap, or the keyboard cursor reads one weight (`desktop.widgets.weight_cursor`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSimpleTextItem, QGraphicsView, QLabel, QSizePolicy, QVBoxLayout, QWidget

from .colours import (BACKGROUND, CHANGE_LIMIT, TEACH_CHANGE_LIMIT, WEIGHT_LIMIT, WEIGHT_TICKS, Colourer, MosaicImage,
                      MosaicView, opaque)
from .mosaic import ROW_GAP, TILE_GAP, Mosaic, Tile
from .labels import band_text, label_text
from .weight_cursor import WeightCursor


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
        self._specs_key = None
        self._labels: list[tuple[QGraphicsSimpleTextItem, Tile]] = []
        self._font = QFont()
        self.colours = Colourer()
        self._build()
        self.cursor = WeightCursor(self)
        self.retranslate()

    def _build(self) -> None:
        self.view = MosaicView()
        self.view.setBackground(BACKGROUND)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Repainted every frame while training, which takes CPU from the trainer: each repaint is one
        # blit of the image's cached pixmap. The view paints every pixel itself, so the window behind
        # it is not painted first; the image is opaque (its gaps are coloured in it), so no background
        # is painted under it; the labels are C++ items that never call into Python while painting.
        opaque(self.view)
        self.view.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.plot = p = self.view.addPlot()
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
        self.bar = pg.ColorBarItem(values=(-WEIGHT_LIMIT, WEIGHT_LIMIT), colorMap=self.colours.weight_map,
                                   interactive=False, colorMapMenu=False, width=18)
        self.bar.axis.enableAutoSIPrefix(False)  # the ticks are real weight values: no "(x0.001)"
        p.layout.addItem(self.bar, 2, 5)  # right of the plot, as ColorBarItem.setImageItem would put it
        p.layout.setColumnFixedWidth(4, 5)
        self.readout = QLabel()
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

    def retranslate(self) -> None:
        if self.cursor.position is None:
            self.readout.setText(self.tr("Hover or tap a weight to read it; or press Ctrl+H, then the arrow keys."))
        else:
            self.cursor.update_readout()
        self._build_labels()
        self._set_bar_ticks()

    # --- what is shown ------------------------------------------------------------------------
    @property
    def paints(self) -> int:
        return self.view.paints

    def show_weights(self, specs, step: int, flat: np.ndarray) -> None:
        key = tuple(specs)
        if key == self._specs_key and flat is self.flat and step == self.step:
            # A reply's proof holding the weights on screen (sent once, then kept): the weights' picture is
            # this already; only the change view, if it showed a change, now shows none.
            redraw = self.show_change and self.previous is not None and self.previous is not flat
            self.previous = flat
            if self._since_teaching:  # the change view's scale and title go back to a frame's
                self._since_teaching = False
                self._set_bar_ticks()
            if redraw:
                self._render()
            return
        if key != self._specs_key:
            self._specs_key, self.mosaic = key, Mosaic(specs)
            self.previous, self._frame_rect = None, None
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
        self.bar.setColorMap(self.colours.change_map if on else self.colours.weight_map)
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
        if self.mosaic is None or self.flat is None:
            return
        limit = self._change_limit() if self.show_change else None
        self.image.setImage(self.colours.picture(self.mosaic, self.flat, self.previous, limit), autoLevels=False)
        self.cursor.update_readout()

    def repaint_frame(self) -> None:
        """One tick of the training clock: repaint the heatmap (from its cache when no new step came).

        The viewport is asked for the mosaic's rectangle there, found once per size and range of the
        view: cheaper than asking the scene to update with the image's bounding rectangle each time."""
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
        locale = QLocale()
        if self.show_change:
            self.bar.setLevels((0.0, self._change_limit()))
            ticks = [(v, locale.toString(float(v), "g", 2)) for v in np.linspace(0, self._change_limit(), 4)]
        else:
            self.bar.setLevels((-WEIGHT_LIMIT, WEIGHT_LIMIT))
            every = [(v, ("+" if v > 0 else "") + locale.toString(float(v), "g", 6)) for v in WEIGHT_TICKS]
            # The ends and zero always; the values between are pyqtgraph's second level, which it leaves out
            # where the bar is too short for them all (a presenter's large text on 720 lines).
            ends = [t for t in every if abs(t[0]) in (0.0, WEIGHT_LIMIT)]
            ticks = [ends, [t for t in every if t not in ends]]
        self.bar.axis.setTicks(ticks if not self.show_change else [ticks, []])
        if not self.show_change:
            label = self.tr("weight")
        else:
            label = self.tr("change made by teaching") if self._since_teaching else self.tr("change per frame")
        self.bar.axis.setLabel(label, color="#e6e6e6")

    # --- the keyboard cursor ------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        if not self.cursor.key(event):
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if self.cursor.position is None and self.mosaic is not None:
            self.cursor.jump_tile(0)
