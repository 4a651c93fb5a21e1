"""Views the scenes share: the weights `heatmap` (with its `colours`, `labels` and `weight_cursor`), the
`mosaic` that places every weight in one image (Qt-free), and the `context` panel."""
