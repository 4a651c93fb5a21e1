"""The window's controllers and their state: each owns one concern, the widgets only observe them.

- `exhibit`: the story's scene machine (which scene is on, start, reset, a model process that died)
  and the window's one dispatcher of the model process's messages (`Exhibit.routes`);
- `training`: the live run and its frame clock; `talk` with `conversation`: talking, memory, teaching,
  side by side; `cost` with `lifetime`: what replies cost, counted since installation;
- `story` with `player`: the one story script and what walks it (an attract loop, a guided visit, a
  clicker); `kiosk`: a kiosk's phases (attract, visit, "Still there?", the reset);
- `link`: the model process from the window's side; `status`: the status line; `state`: Settings and
  the plain data the controllers hold.

QtCore only (signals, timers, socket notifiers): no widgets, no torch.
"""
