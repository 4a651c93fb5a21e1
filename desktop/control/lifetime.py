"""The exhibit's lifetime counter: every reply since it was installed, and the compute they took.

Kept in the app's data folder as a small JSON file, rewritten after every reply by `model.atomic`
(a temp file beside it, fsync, rename): a kiosk switched off at the wall mid-write keeps the last
whole file. A file that cannot be read is never written over: it is set aside as
`lifetime.json.unreadable-<time>`, counting starts again, and the exhibit says so
(`desktop.control.cost`). No Qt, no torch.
"""

from __future__ import annotations

import dataclasses
import json
import math
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from model.atomic import atomic_write

FILE_NAME = "lifetime.json"
FORMAT = "marginalia-lifetime"


@dataclass
class Lifetime:
    installed: str  # when counting began (ISO 8601, UTC)
    replies: int = 0
    flops: float = 0.0  # forward FLOPs of those replies, as the model counted them (`Engine.last.flops`)
    cpu_seconds: float = 0.0  # CPU time the model took to write them, as measured
    last_flops: float = 0.0  # the latest reply's
    last_cpu_seconds: float = 0.0

    def add_reply(self, flops: float, cpu_seconds: float) -> None:
        self.replies += 1
        self.flops += flops
        self.cpu_seconds += cpu_seconds
        self.last_flops, self.last_cpu_seconds = flops, cpu_seconds


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass(frozen=True)
class Unreadable:
    """A counter file that could not be read: kept aside as `aside`; counting starts again."""

    path: str
    aside: str
    why: str  # for the terminal


def load(folder: str | Path | None) -> tuple[Lifetime, Unreadable | None]:
    """The counter kept in `folder` (a new one when there is none, or no folder), and what went wrong
    reading it (None when nothing did)."""
    if folder is None:
        return Lifetime(_now()), None
    path = Path(folder) / FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a lifetime counter")
        life = Lifetime(str(data["installed"]), int(data["replies"]), float(data["flops"]),
                        float(data["cpu_seconds"]), float(data.get("last_flops", 0.0)),
                        float(data.get("last_cpu_seconds", 0.0)))
        if life.replies < 0 or not all(math.isfinite(x) and x >= 0 for x in (life.flops, life.cpu_seconds,
                                                                              life.last_flops, life.last_cpu_seconds)):
            raise ValueError("counts out of range")
        return life, None
    except FileNotFoundError:
        return Lifetime(_now()), None
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
        aside = path.with_name(f"{FILE_NAME}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.replace(aside)
        except OSError:
            aside = path
        return Lifetime(_now()), Unreadable(str(path), aside.name, str(e))


def save(folder: str | Path | None, life: Lifetime) -> None:
    """Write the counter into `folder`, whole or not at all (raises OSError when it cannot)."""
    if folder is None:
        return
    atomic_write(Path(folder) / FILE_NAME, json.dumps({"format": FORMAT, **asdict(life)}, indent=1).encode())


class Keeper:
    """The counter and its file. Each change is written by a thread of its own, the newest state each
    time (an fsync can take a while on a kiosk's memory card: the window never waits for it);
    `close` writes what is pending and ends the thread."""

    def __init__(self, folder: str | Path | None):
        self.folder = folder
        self.life, self.problem = load(folder)
        self.error = ""  # why the last write failed ("" when it did not), for the terminal
        self._cond = threading.Condition()
        self._pending: Lifetime | None = None
        self._closing = False
        self._thread: threading.Thread | None = None

    def add_reply(self, flops: float, cpu_seconds: float) -> None:
        self.life.add_reply(flops, cpu_seconds)
        if self.folder is None:
            return
        with self._cond:
            self._pending, self._closing = dataclasses.replace(self.life), False
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lifetime-writer", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closing:
                    self._cond.wait()
                life, self._pending = self._pending, None
                if life is None:
                    return
            try:
                save(self.folder, life)
                self.error = ""
            except OSError as e:
                self.error = f"{type(e).__name__}: {e}"

    def close(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=10)
