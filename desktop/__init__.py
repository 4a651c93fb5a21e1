"""Marginalia's window: the exhibit's scenes, drawn on the `model` package. The house:

- `process/`: where the model runs (no Qt): the protocol between window and model process, the
  model process's server, its training and talk activities;
- `control/`: the window's controllers and their state (QtCore, no widgets, no torch): the story's
  scene machine (`exhibit`), training, talk (with `conversation`), cost, the link to the model process;
- `scenes/`: one panel per scene (Train, Talk, Cost, side by side); `widgets/`: the heatmap, its
  colours and cursor, the weight mosaic, the context panel;
- `window.py`, `actions.py`, `i18n.py`: the window, its actions, translation; `tools/`: the benchmark
  and the screenshot story (`python -m desktop.bench`, `python -m desktop --screenshots DIR`).

Nothing here computes anything the model does not: every figure on screen comes from `model/`. This
package must stay importable in a spawned model process without Qt: nothing at this level imports
PySide6.
"""
