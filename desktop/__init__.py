"""Marginalia's window: the Train and Talk scenes of the exhibit, drawn on the `model` package.

Qt-free pieces hold what the window shows (`state`, `layout`, `worker`); Qt views only draw it
(`heatmap`, `train_panel`, `talk_panel`, `context_panel`, `window`); `exhibit` and `conversation` are
the controllers a window, a test, a screenshot script or (later) a kiosk drives. Nothing here computes
anything the model does not: every figure on screen comes from `model/`.

This package must stay importable in a spawned training process without Qt widgets: nothing at this
level imports PySide6.
"""
