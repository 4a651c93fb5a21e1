"""All of a model's weights as one flat vector, in parameter order: what the heatmap draws and the frames carry.

`specs` is [(name, shape)] in `named_parameters()` order; both sides use it to turn a {name: array}
dict into one float32 vector and back. No Qt, no torch.
"""

from __future__ import annotations

import numpy as np

Specs = tuple[tuple[str, tuple[int, ...]], ...]


def specs_of(named) -> Specs:
    """(name, shape) of a module's `named_parameters()`, or of a {name: array} dict's `items()`."""
    return tuple((n, tuple(int(d) for d in p.shape)) for n, p in named)


def flatten(weights: dict[str, np.ndarray], specs: Specs) -> np.ndarray:
    """All weights of `weights` as one float32 vector, in the order of `specs`."""
    return np.concatenate([np.asarray(weights[n], dtype=np.float32).ravel() for n, _ in specs])


def unflatten(flat: np.ndarray, specs: Specs) -> dict[str, np.ndarray]:
    out, off = {}, 0
    for n, s in specs:
        size = int(np.prod(s, dtype=np.int64))
        out[n] = flat[off: off + size].reshape(s).copy()
        off += size
    return out
