"""Where the model runs: everything torch does for the window, in one model process. No Qt here.

- `protocol`: every message between the window and the model process (frozen dataclasses);
- `entry`: how the model process (or, for the benchmark and tests, a thread) starts, set up for training;
- `server`: the model process's one dispatcher, its one activity at a time, and saving;
- `training`: the live run's real trainer, stepped as the window asks, each step written as a frame;
- `talk`: a frozen engine: replies streamed, proved after each, teaching, side by side;
- `models`: the models it holds (prepared, frozen, loaded, saved); `frames`, `weights`: the data both sides share.

Only `protocol`, `frames`, `weights` and `entry` are imported by the window; they import no torch.
"""
