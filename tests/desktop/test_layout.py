"""The weights mosaic places every weight of any model exactly once, and reads each one back."""

import numpy as np
import pytest
import torch

from desktop.process.weights import flatten, specs_of, unflatten
from desktop.widgets.mosaic import Mosaic
from model.gpt import GPT, GPTConfig


def _specs(**cfg):
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=102, **cfg))
    weights = {n: p.detach().numpy().copy() for n, p in model.named_parameters()}
    return specs_of(model.named_parameters()), weights


@pytest.mark.parametrize("cfg", [dict(), dict(n_layer=1, n_head=2, n_embd=32, block_size=64),
                                 dict(n_layer=4, n_head=4, n_embd=48, block_size=128)])
def test_every_weight_is_drawn_once_and_reads_back(cfg):
    specs, weights = _specs(**cfg)
    mosaic = Mosaic(specs)
    flat = flatten(weights, specs)
    assert mosaic.count == flat.size
    image = mosaic.fill(flat)
    assert np.count_nonzero(~np.isnan(image)) == flat.size  # nothing lost, nothing drawn twice
    ys, xs = np.nonzero(~np.isnan(image))
    for k in np.random.default_rng(0).choice(len(xs), 500, replace=False):
        tile, row, col, i = mosaic.locate(int(xs[k]), int(ys[k]))
        assert image[ys[k], xs[k]] == flat[i]
        assert weights[tile.name].reshape(tile.rows, tile.cols)[row, col] == flat[i]


def test_layers_are_bands_in_order_and_named():
    specs, _ = _specs()
    mosaic = Mosaic(specs)
    names = [b.name for b in mosaic.bands]
    n_layer = GPTConfig().n_layer  # the default model's depth (model.gpt owns it)
    assert n_layer >= 2 and names == ["embeddings", "output", *(f"layer {i}" for i in range(1, n_layer + 1))]
    layer_rows = [b.y for b in mosaic.bands if b.name.startswith("layer")]
    assert layer_rows == sorted(layer_rows) and len(set(layer_rows)) == n_layer
    labels = {t.label for t in mosaic.tiles}
    assert {"token embeddings", "attention: query, key, value", "MLP: in", "MLP: out"} <= labels


def test_gaps_read_as_nothing_and_sizes_are_checked():
    specs, weights = _specs()
    mosaic = Mosaic(specs)
    image = mosaic.fill(flatten(weights, specs))
    ys, xs = np.mgrid[0: mosaic.height, 0: mosaic.width]
    gaps = {(int(x), int(y)) for x, y in zip(xs[np.isnan(image)], ys[np.isnan(image)])}
    assert gaps and len(gaps) < image.size
    assert all(mosaic.locate(x, y) is None for x, y in gaps)  # a pixel between matrices reads as nothing
    assert mosaic.locate(-1, 5) is None and mosaic.locate(5, mosaic.height) is None
    with pytest.raises(ValueError):
        mosaic.fill(np.zeros(mosaic.count + 1, dtype=np.float32))


def test_flatten_and_unflatten_are_inverse():
    specs, weights = _specs(n_layer=1, n_embd=32, n_head=2)
    back = unflatten(flatten(weights, specs), specs)
    assert all(np.array_equal(back[n], weights[n]) for n in weights)


def test_every_kind_of_tile_is_filled_where_locate_reads_it():
    # A band of width 4: a matrix as it is, a turned one, one of three dimensions, and vectors
    # shorter than the band and wrapped into columns, the last one partial.
    specs = [("wte.weight", (7, 4)), ("h.0.attn.c_attn.weight", (4, 9)), ("h.0.mlp.c_fc.weight", (3, 2, 4)),
             ("h.0.ln_1.weight", (4,)), ("h.0.attn.smear", (3,)), ("lm_head.bias", (11,))]
    mosaic = Mosaic(specs)
    flat = np.arange(1, mosaic.count + 1, dtype=np.float32)
    image = mosaic.fill(flat)
    ys, xs = np.nonzero(~np.isnan(image))
    assert len(xs) == mosaic.count
    for x, y in zip(xs, ys):
        tile, row, col, i = mosaic.locate(int(x), int(y))
        assert image[y, x] == flat[i] and tile.offset <= i < tile.offset + tile.size
    assert {t.transposed for t in mosaic.tiles} == {True, False}
    assert any(t.cols == 1 and t.rows % t.h for t in mosaic.tiles)  # a partial last column
