"""The heatmap's colours are the colour bar's: each weight's pixel has the colour of its value (or, in
the change view, of how far it moved), whatever came before."""

import numpy as np
import pytest

from desktop.widgets.colours import CHANGE_LIMIT, WEIGHT_LIMIT
from desktop.widgets.heatmap import HeatmapPanel

from .test_layout import _specs


def _pixel(panel: HeatmapPanel, i: int) -> np.ndarray:
    """RGB of the pixel that shows weight i."""
    ys, xs = np.nonzero(panel.mosaic.fill(np.arange(panel.mosaic.count, dtype=np.float32)) == i)
    return panel.rendered()[ys[0], xs[0], :3]


def _expected(lut: np.ndarray, value: float, lo: float, hi: float) -> np.ndarray:
    k = int(np.clip((value - lo) / (hi - lo) * (len(lut) - 1), 0, len(lut) - 1))
    return np.asarray(lut)[k, :3]


@pytest.fixture
def panel(qtbot):
    p = HeatmapPanel()
    qtbot.addWidget(p)
    return p


def test_each_weight_has_its_values_colour_and_extremes_take_the_end_colours(panel):
    specs, weights = _specs(n_layer=1, n_head=2, n_embd=32, block_size=64)
    flat = np.concatenate([weights[n].ravel() for n, _ in specs]).astype(np.float32)
    flat[:4] = (-3.0, 3.0, 0.0, WEIGHT_LIMIT / 3)
    panel.show_weights(specs, 1, flat)
    lut = panel.colours.weight_lut
    for i in (0, 1, 2, 3, 10, 500, flat.size - 1):
        assert (_pixel(panel, i) == _expected(lut, flat[i], -WEIGHT_LIMIT, WEIGHT_LIMIT)).all(), i
    assert (_pixel(panel, 0) == np.asarray(lut)[0, :3]).all() and (_pixel(panel, 1) == np.asarray(lut)[-1, :3]).all()


def test_the_change_view_colours_how_far_each_weight_moved(panel):
    specs, weights = _specs(n_layer=1, n_head=2, n_embd=32, block_size=64)
    before = np.concatenate([weights[n].ravel() for n, _ in specs]).astype(np.float32)
    after = before.copy()
    after[1] += CHANGE_LIMIT / 2
    after[2] -= 10 * CHANGE_LIMIT
    panel.set_show_change(True)
    panel.show_weights(specs, 1, before)
    change = panel.colours.change_map.getLookupTable(nPts=512, alpha=False)
    assert (_pixel(panel, 1) == change[0]).all()  # no previous frame: nothing moved yet
    panel.show_weights(specs, 2, after)
    assert (_pixel(panel, 0) == change[0]).all()
    assert (_pixel(panel, 1) == _expected(change, CHANGE_LIMIT / 2, 0.0, CHANGE_LIMIT)).all()
    assert (_pixel(panel, 2) == change[-1]).all()
    panel.set_show_change(False)  # and back: the values again, not what moved
    assert (_pixel(panel, 2) == _expected(panel.colours.weight_lut, after[2], -WEIGHT_LIMIT, WEIGHT_LIMIT)).all()


def test_a_reply_after_teaching_shows_no_change_then_the_same_picture(panel):
    # What teaching moved stays on screen until the next reply; that reply moved nothing, and says so.
    specs, weights = _specs(n_layer=1, n_head=2, n_embd=32, block_size=64)
    before = np.concatenate([weights[n].ravel() for n, _ in specs]).astype(np.float32)
    taught = before.copy()
    taught[1] += CHANGE_LIMIT
    panel.show_weights(specs, -1, before)
    panel.set_show_change(True)
    panel.show_taught(specs, taught, before)
    change = panel.colours.change_map.getLookupTable(nPts=512, alpha=False)
    assert (_pixel(panel, 1) != change[0]).any() and (_pixel(panel, 0) == change[0]).all()
    assert panel.bar.axis.labelText == "change made by teaching"
    panel.show_weights(specs, -1, taught)  # the reply's proof: the weights on screen, not sent again
    assert (_pixel(panel, 1) == change[0]).all() and panel.bar.axis.labelText == "change per frame"
    picture = panel.rendered().copy()
    panel.show_weights(specs, -1, taught)  # and the reply after it
    assert (panel.rendered() == picture).all()
