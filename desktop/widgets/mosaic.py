"""The weights mosaic: where every weight of the model sits in one image (no Qt, no torch).

Built generically from the parameters' names and shapes, so the mosaic follows the model as it
changes. Parameters are grouped into bands (the embeddings, each layer, the output); each band is a
row of tiles, one tile per parameter. A matrix is turned so that its side of the model's width
(n_embd, the most common dimension) runs down the band, which keeps every band equally tall and
every tile readable; a vector is a thin vertical strip. Parameters of more than two dimensions are
shown as matrices of (first dimension, the rest).

`Mosaic.fill(flat)` writes a flat vector of all weights (in `named_parameters()` order) into an
image, a block copy per tile; `Mosaic.locate(x, y)` answers which weight a pixel shows. Gaps between
tiles are NaN (the heatmap colours them as gaps). Label keys are English; the heatmap translates them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

TILE_GAP = 2  # columns between tiles of one band
BAND_GAP = 10  # columns between bands sharing a row
ROW_GAP = 14  # rows between rows of bands: room for the tile labels
MAX_ROW_WIDTH_FLOOR = 64

# (pattern on the parameter name, label key). Keys are English; views translate them.
_LABELS = (
    (r"^wte\.", "token embeddings"),
    (r"attn\.c_attn\.", "attention: query, key, value"),
    (r"attn\.c_proj\.", "attention: output"),
    (r"attn\.smear", "key smear"),
    (r"canon", "short convolution"),
    (r"mlp\.c_fc\.", "MLP: in"),
    (r"mlp\.c_proj\.", "MLP: out"),
    (r"^ln_f\.", "final norm"),
    (r"ln_\d+\.", "norm"),
    (r"^lm_head\.", "next-character output"),
)


@dataclass(frozen=True)
class Tile:
    name: str  # the parameter's name, as named_parameters() gives it
    label: str  # label key (English), see _LABELS
    band: str  # "embeddings", "layer 1", ..., "output"
    shape: tuple[int, ...]  # the parameter's own shape
    rows: int  # as a matrix: shape[0] ...
    cols: int  # ... and the product of the rest (1 for a vector)
    transposed: bool  # matrix rows run across the image (x), matrix columns down (y)
    x: int  # left column of the tile in the image
    y: int  # top row
    w: int
    h: int
    offset: int  # where the parameter starts in the flat vector

    @property
    def size(self) -> int:
        return self.rows * self.cols

    def matrix_index(self, lx: int, ly: int) -> tuple[int, int] | None:
        """(row, column) of the weight at (lx, ly) inside the tile, or None in the unused corner."""
        if self.cols == 1 and not self.transposed:  # a vector, wrapped into columns of h
            i = lx * self.h + ly
            return (i, 0) if i < self.rows else None
        return (lx, ly) if self.transposed else (ly, lx)

    def position(self, row: int, col: int) -> tuple[int, int]:
        """(lx, ly) inside the tile of matrix entry (row, col)."""
        if self.cols == 1 and not self.transposed:
            return divmod(row, self.h)
        return (row, col) if self.transposed else (col, row)

    def index_text(self, row: int, col: int) -> tuple[int, ...]:
        """The entry's index in the parameter's own shape."""
        if len(self.shape) <= 1:
            return (row,)
        return (row, *np.unravel_index(col, self.shape[1:]))


@dataclass(frozen=True)
class Band:
    name: str
    tiles: tuple[Tile, ...]
    x: int
    y: int
    w: int
    h: int


def band_of(name: str, seen_layer: bool) -> str:
    m = re.match(r"^h\.(\d+)\.", name)
    if m:
        return f"layer {int(m.group(1)) + 1}"
    return "output" if seen_layer else "embeddings"


def label_of(name: str) -> str:
    for pattern, label in _LABELS:
        if re.search(pattern, name):
            return label
    return name


def _as_matrix(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) == 0:
        return 1, 1
    return shape[0], int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1


class Mosaic:
    """Every weight of a model placed in one image; `specs` is [(name, shape)] in parameter order."""

    def __init__(self, specs: list[tuple[str, tuple[int, ...]]]):
        self.specs = [(n, tuple(int(d) for d in s)) for n, s in specs]
        self.count = sum(_as_matrix(s)[0] * _as_matrix(s)[1] for _, s in self.specs)
        dims = Counter(d for _, s in self.specs for d in s if d > 1)
        self.thickness = dims.most_common(1)[0][0] if dims else 1
        self.tiles, self.bands = self._place()
        self.width = max(b.x + b.w for b in self.bands)
        self.height = max(b.y + b.h for b in self.bands)
        self._owner = np.full((self.height, self.width), -1, dtype=np.int32)
        for i, t in enumerate(self.tiles):
            rr, cc = np.divmod(np.arange(t.size), t.cols)
            lx, ly = t.position(rr, cc)
            self._owner[t.y + ly, t.x + lx] = i

    # --- placing --------------------------------------------------------------------------------
    def _tile_box(self, rows: int, cols: int) -> tuple[bool, int, int]:
        """(transposed, w, h) of a matrix of rows x cols in a band `thickness` tall."""
        H = self.thickness
        if cols == 1:  # a vector: a strip down the band, wrapped into more columns if longer
            return False, max(1, math.ceil(rows / H)), min(rows, H)
        if rows == H:
            return False, cols, rows
        if cols == H or rows > cols:
            return True, rows, cols
        return False, cols, rows

    def _place(self) -> tuple[list[Tile], list[Band]]:
        groups: dict[str, list] = {}
        offset, seen_layer = 0, False
        for name, shape in self.specs:
            band = band_of(name, seen_layer)
            seen_layer = seen_layer or band.startswith("layer")
            rows, cols = _as_matrix(shape)
            groups.setdefault(band, []).append((name, shape, rows, cols, offset))
            offset += rows * cols
        boxes = {b: [(it, *self._tile_box(it[2], it[3])) for it in items] for b, items in groups.items()}
        widths = {b: sum(w for _, _, w, _ in bx) + TILE_GAP * (len(bx) - 1) for b, bx in boxes.items()}
        max_width = max(MAX_ROW_WIDTH_FLOOR, *widths.values())
        rows_used: list[list[str]] = []  # first fit: a short band shares a row with another
        for b in groups:
            for row in rows_used:
                if sum(widths[o] for o in row) + BAND_GAP * len(row) + widths[b] <= max_width:
                    row.append(b)
                    break
            else:
                rows_used.append([b])
        tiles, bands, y = [], [], ROW_GAP
        for row in rows_used:
            height = max(h for b in row for *_, h in boxes[b])
            x = 0
            for k, b in enumerate(row):
                if k == len(row) - 1 and k > 0:  # the last band of a shared row ends at the right: in ... out
                    x = max_width - widths[b]
                band_tiles, bx = [], x
                for (name, shape, r, c, off), transposed, w, h in boxes[b]:
                    tile = Tile(name, label_of(name), b, shape, r, c, transposed, bx, y, w, h, off)
                    band_tiles.append(tile)
                    bx += w + TILE_GAP
                tiles.extend(band_tiles)
                bands.append(Band(b, tuple(band_tiles), x, y, widths[b], height))
                x += widths[b] + BAND_GAP
            y += height + ROW_GAP
        return tiles, bands

    # --- using ----------------------------------------------------------------------------------
    def empty(self) -> np.ndarray:
        return np.full((self.height, self.width), np.nan, dtype=np.float32)

    def fill(self, flat: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """The image of `flat` (all weights in parameter order), written into `out` if given.

        `flat` may hold anything per weight (values, or colours as uint32): `out` must match its dtype.
        """
        if flat.shape != (self.count,):
            raise ValueError(f"expected {self.count} weights, got {flat.shape}")
        out = self.empty() if out is None else out
        # A block copy per tile, as `Tile.position` places its weights, at every new step: cheaper
        # than one fancy-indexed assignment of every weight (see BENCHMARKS.md).
        for t in self.tiles:
            part = flat[t.offset: t.offset + t.size]
            if t.cols == 1 and not t.transposed:  # a vector: down columns of h, the last one partial
                full, rest = divmod(t.rows, t.h)
                out[t.y: t.y + t.h, t.x: t.x + full] = part[: full * t.h].reshape(full, t.h).T
                if rest:
                    out[t.y: t.y + rest, t.x + full] = part[full * t.h:]
            elif t.transposed:
                out[t.y: t.y + t.cols, t.x: t.x + t.rows] = part.reshape(t.rows, t.cols).T
            else:
                out[t.y: t.y + t.rows, t.x: t.x + t.cols] = part.reshape(t.rows, t.cols)
        return out

    def locate(self, x: int, y: int) -> tuple[Tile, int, int, int] | None:
        """(tile, row, column, flat index) of the weight drawn at image column x, row y; None in a gap."""
        if not (0 <= x < self.width and 0 <= y < self.height):
            return None
        i = int(self._owner[y, x])
        if i < 0:
            return None
        t = self.tiles[i]
        rc = t.matrix_index(x - t.x, y - t.y)
        if rc is None:
            return None
        return t, rc[0], rc[1], t.offset + rc[0] * t.cols + rc[1]

    def center(self, tile: Tile) -> tuple[int, int]:
        return tile.x + tile.w // 2, tile.y + tile.h // 2

    def nearest_tile(self, x: int, y: int, step: int) -> Tile:
        """The tile `step` places after (or before) the one at or nearest to (x, y), in reading order."""
        here = self.locate(x, y)
        if here is not None:
            i = self.tiles.index(here[0])
        else:
            i = min(range(len(self.tiles)), key=lambda k: abs(self.center(self.tiles[k])[0] - x)
                    + abs(self.center(self.tiles[k])[1] - y))
        return self.tiles[(i + step) % len(self.tiles)]
