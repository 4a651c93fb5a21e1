"""Reading one weight of the heatmap: hovering, a tap, or the keyboard (nothing assumes a mouse).

Arrow keys move the cursor a weight at a time (Shift: eight), across gaps on to the next matrix;
Page Up/Down jump between matrices; Home goes to the first. The readout says matrix, row, column and
value, and in the change view how far the weight moved.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from ..i18n import number, signed
from .labels import band_text, label_text
from .mosaic import Tile


class WeightCursor:
    """The cursor of a `HeatmapPanel` (which hands it its keys and draws what it describes)."""

    def __init__(self, panel):
        self.panel = panel
        self.position: tuple[int, int] | None = None
        self.item = QGraphicsRectItem(QRectF(0, 0, 1, 1))
        pen = QPen(QColor("#ff4fd8"), 2)
        pen.setCosmetic(True)
        self.item.setPen(pen)
        self.item.setZValue(10)
        self.item.setVisible(False)
        panel.plot.addItem(self.item, ignoreBounds=True)
        panel.view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        panel.view.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def describe(self, x: int, y: int) -> str | None:
        p = self.panel
        if p.mosaic is None or p.flat is None:
            return None
        hit = p.mosaic.locate(x, y)
        if hit is None:
            return None
        tile, row, col, i = hit
        translate = QCoreApplication.translate
        where = translate("WeightCursor", "{band} · {label}").format(band=band_text(tile.band),
                                                                     label=label_text(tile.label))
        idx = [number(int(k)) for k in tile.index_text(row, col)]
        if len(idx) == 1:
            pos = translate("WeightCursor", "entry {i}").format(i=idx[0])
        elif len(idx) == 2:
            pos = translate("WeightCursor", "row {r}, column {c}").format(r=idx[0], c=idx[1])
        else:
            pos = translate("WeightCursor", "index {i}").format(i=", ".join(idx))
        text = QCoreApplication.translate("WeightCursor", "{where} ({name}), {pos}: {value}").format(
            where=where, name=tile.name, pos=pos, value=signed(float(p.flat[i]), 4))
        if p.show_change and p.previous is not None:
            text += QCoreApplication.translate("WeightCursor", ", moved {delta} since the previous frame").format(
                delta=signed(float(p.flat[i] - p.previous[i]), 5))
        return text

    def update_readout(self) -> None:
        if self.position is not None:
            text = self.describe(*self.position)
            if text:
                self.panel.readout.setText(text)

    def set(self, x: int, y: int) -> None:
        m = self.panel.mosaic
        if m is None:
            return
        x, y = max(0, min(m.width - 1, x)), max(0, min(m.height - 1, y))
        self.position = (x, y)
        self.item.setRect(QRectF(x - 0.5, y - 0.5, 2, 2))
        self.item.setVisible(True)
        text = self.describe(x, y) or QCoreApplication.translate("WeightCursor", "(between matrices)")
        self.panel.readout.setText(text)
        self.panel.cursor_moved.emit(text)

    def move(self, dx: int, dy: int) -> None:
        """Move by (dx, dy) weights; across a gap, on to the next matrix that way (never stop in a gap)."""
        m = self.panel.mosaic
        if m is None:
            return
        if self.position is None:
            self.jump_tile(0)
            return
        x, y = self.position[0] + dx, self.position[1] + dy
        ux, uy = (dx > 0) - (dx < 0), (dy > 0) - (dy < 0)
        while 0 <= x < m.width and 0 <= y < m.height and m.locate(x, y) is None:
            x, y = x + ux, y + uy
        if 0 <= x < m.width and 0 <= y < m.height:
            self.set(x, y)

    def jump_tile(self, step: int) -> None:
        """To the top-left weight of the matrix `step` places on in reading order (the first one if none)."""
        m = self.panel.mosaic
        if m is None:
            return
        tile: Tile = m.tiles[0] if self.position is None else m.nearest_tile(*self.position, step)
        self.set(tile.x, tile.y)

    def key(self, event) -> bool:
        """Handle a key press; False if it is not the cursor's."""
        big = 8 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
        moves = {Qt.Key.Key_Left: (-big, 0), Qt.Key.Key_Right: (big, 0),
                 Qt.Key.Key_Up: (0, -big), Qt.Key.Key_Down: (0, big)}
        k = event.key()
        if k in moves:
            self.move(*moves[k])
        elif k in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self.jump_tile(1 if k == Qt.Key.Key_PageDown else -1)
        elif k == Qt.Key.Key_Home:
            self.position = None
            self.jump_tile(0)
        else:
            return False
        return True

    def _on_mouse_moved(self, pos: QPointF) -> None:
        p = self.panel
        if p.mosaic is None or not p.plot.sceneBoundingRect().contains(pos):
            return
        at = p.plot.vb.mapSceneToView(pos)
        text = self.describe(int(np.floor(at.x())), int(np.floor(at.y())))
        if text:
            p.readout.setText(text)

    def _on_mouse_clicked(self, event) -> None:
        at = self.panel.plot.vb.mapSceneToView(event.scenePos())
        self.panel.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set(int(np.floor(at.x())), int(np.floor(at.y())))
