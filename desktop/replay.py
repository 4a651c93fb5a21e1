"""A replay of the training run: its heatmap frames kept while it trains, at a fixed budget of memory,
written as an animated GIF (Ctrl+Shift+G), so a lesson can show it again without training again.

`Recorder` keeps a frame of the live run at every `spacing`-th step, each as one byte a weight (the
weight's colour among 255, in the mosaic's layout; the gaps a 256th). When the frames would pass
`budget` bytes, every other one goes and the spacing doubles: however long it trains, the replay
covers the whole run, evenly, within the budget. Restarting from random weights starts a new replay.

`gif_parts` makes the frames, with the heatmap's own colours at one pixel per weight, into a GIF89a that
loops, one part a frame, so that a writer can say how far it is and stop between two frames
(`desktop.files.replay_gif`). Its LZW data is "uncompressed" (a clear code every few codes, so every code
is a pixel): larger than a compressor's, but made by numpy in moments, with no image library.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from PySide6.QtCore import QObject

from .widgets.colours import WEIGHT_LIMIT, Colourer
from .widgets.mosaic import Mosaic

BUDGET = 48 * 1024 * 1024  # bytes of frames kept at most
LEVELS = 255  # colours of weights; index 255 is the gaps between matrices
GAP = 255
CLEAR_EVERY = 250  # codes between clear codes: the code width never grows past 9 bits


class Recorder(QObject):
    def __init__(self, training, budget: int = BUDGET, parent: QObject | None = None):
        super().__init__(parent)
        self.budget = budget
        self.frames: list[tuple[int, np.ndarray]] = []  # (step, one byte a weight, in the mosaic's layout)
        self.spacing = 1
        self.mosaic: Mosaic | None = None
        self._specs = None
        self._training = training
        training.weights_shown.connect(self._on_weights_shown)

    def stop(self) -> None:
        """Keep nothing (a kiosk: no replay is ever written there)."""
        self._training.weights_shown.disconnect(self._on_weights_shown)
        self.clear()

    @property
    def size(self) -> int:
        return sum(f.nbytes for _, f in self.frames)

    def clear(self) -> None:
        self.frames, self.spacing = [], 1

    def _on_weights_shown(self, specs, step: int, flat: np.ndarray) -> None:
        key = tuple(specs)
        if key != self._specs:
            self._specs, self.mosaic = key, Mosaic(specs)
            self.clear()
        if self.frames and step <= self.frames[-1][0]:
            if step < self.frames[-1][0]:
                self.clear()  # trained again from random weights: a new run
            else:
                return
        if step % self.spacing and self.frames:
            return
        self.frames.append((step, self._levels(flat)))
        while self.size > self.budget and len(self.frames) > 2:
            self.spacing *= 2
            self.frames = [f for i, f in enumerate(self.frames) if f[0] % self.spacing == 0 or i == 0]

    def _levels(self, flat: np.ndarray) -> np.ndarray:
        idx = np.clip((flat + WEIGHT_LIMIT) * ((LEVELS - 1) / (2 * WEIGHT_LIMIT)), 0, LEVELS - 1).astype(np.uint8)
        out = np.full((self.mosaic.height, self.mosaic.width), GAP, dtype=np.uint8)
        self.mosaic.fill(idx, out)
        return out


def palette() -> np.ndarray:
    """The heatmap's colours: 255 along its weight scale, evenly in value, and the gaps' colour (256, 3)."""
    c = Colourer()
    lut = c.weight_lut32[np.round(np.linspace(0, len(c.weight_lut32) - 1, LEVELS)).astype(int)]
    words = np.append(lut, c.gap32).astype(np.uint32)
    return np.stack([(words >> 16) & 255, (words >> 8) & 255, words & 255], axis=1).astype(np.uint8)


def _lzw(pixels: np.ndarray) -> bytes:
    """8-bit pixels as GIF LZW data in sub-blocks, one code a pixel (a clear code every CLEAR_EVERY)."""
    clear, end = 256, 257
    n = pixels.size
    runs = np.arange(0, n, CLEAR_EVERY)
    codes = np.insert(pixels.ravel().astype(np.uint16), runs, clear)
    codes = np.append(codes, end)
    # 9 bits a code, least significant first: eight codes fill nine bytes exactly.
    groups = np.zeros(-(-codes.size // 8) * 8, dtype=np.uint64)
    groups[: codes.size] = codes
    groups = groups.reshape(-1, 8)
    low = np.zeros(len(groups), dtype=np.uint64)
    for i in range(7):
        low |= groups[:, i] << np.uint64(9 * i)
    low |= (groups[:, 7] & np.uint64(1)) << np.uint64(63)
    high = (groups[:, 7] >> np.uint64(1)).astype(np.uint8)
    data = np.concatenate([low.astype("<u8").view(np.uint8).reshape(-1, 8), high[:, None]], axis=1).tobytes()
    blocks = [bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, len(data), 255)]
    return bytes([8]) + b"".join(blocks) + b"\x00"


def gif_parts(frames: list[np.ndarray], delay_cs: int = 8) -> Iterator[bytes]:
    """`frames` (each (height, width) bytes, colours as `palette`) as a looping GIF, `delay_cs` hundredths
    of a second each: its header, then one part a frame, then its last byte."""
    if not frames:
        raise ValueError("no frames")
    h, w = frames[0].shape
    yield (b"GIF89a" + np.array([w, h], dtype="<u2").tobytes() + bytes([0xF7, 0, 0])  # 256 colours
           + palette().tobytes() + b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")  # loop for ever
    for f in frames:
        yield (b"\x21\xf9\x04\x00" + np.array([delay_cs], dtype="<u2").tobytes() + b"\x00\x00"
               + b"\x2c" + np.array([0, 0, w, h], dtype="<u2").tobytes() + b"\x00" + _lzw(f))
    yield b"\x3b"
