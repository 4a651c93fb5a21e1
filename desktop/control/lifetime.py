"""The exhibit's lifetime counter: every reply since it was installed, and the compute they took.

Kept in the app's data folder as a small JSON file, rewritten after every reply by `model.atomic`
(a temp file beside it, fsync, rename): a kiosk switched off at the wall mid-write keeps the last
whole file. Each write adds this window's new replies to what the file holds, under a lock on the
folder (`flock`), so two windows on one folder count every reply of both. A file that cannot be read
(damaged, counts out of range, not a regular file) is never written over: it is set aside as
`lifetime.json.unreadable-<time>`, counting starts again, and the exhibit says so
(`desktop.control.cost`); so it does, once, when the folder cannot be written. No Qt, no torch.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from model.atomic import atomic_write

FILE_NAME = "lifetime.json"
FORMAT = "marginalia-lifetime"
MAX_BYTES = 64 * 1024  # a counter is a few hundred bytes; anything bigger is not one
# Beyond these a count is damage, not use: a reply a second for 30,000 years; FLOPs and CPU-seconds to match.
LIMITS = {"replies": 10**12, "flops": 1e30, "cpu_seconds": 1e12, "last_flops": 1e18, "last_cpu_seconds": 1e6}
LOCK_WAIT_S = 5.0  # another window writing holds the lock for milliseconds; past this, try after the next reply


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

    def merge(self, added: Lifetime) -> None:
        """Count the replies of `added` too (its latest is the latest, if it has any)."""
        self.replies += added.replies
        self.flops += added.flops
        self.cpu_seconds += added.cpu_seconds
        if added.replies:
            self.last_flops, self.last_cpu_seconds = added.last_flops, added.last_cpu_seconds


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass(frozen=True)
class Unreadable:
    """A counter file that could not be read: kept aside as `aside`; counting starts again."""

    path: str
    aside: str
    why: str  # for the terminal


def _read(path: Path) -> str:
    """The file's text: a regular file only (a FIFO or a device could block or never end), at most MAX_BYTES."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise ValueError("not a regular file")
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"more than {MAX_BYTES} bytes")
    return data.decode("utf-8")


def _parse(text: str) -> Lifetime:
    """The counter in `text`, every field typed and in range; raises ValueError."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a lifetime counter")
    installed, replies = data.get("installed"), data.get("replies")
    if not isinstance(installed, str) or not 0 < len(installed) <= 40:
        raise ValueError(f"installed = {installed!r} is not a date")
    if type(replies) is not int or not 0 <= replies <= LIMITS["replies"]:
        raise ValueError(f"replies = {replies!r} is not a whole number from 0 to {LIMITS['replies']}")
    values = {k: data.get(k, 0.0 if k.startswith("last_") else None) for k in LIMITS if k != "replies"}
    for k, v in values.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= LIMITS[k]:  # NaN fails too
            raise ValueError(f"{k} = {v!r} is not a number from 0 to {LIMITS[k]:g}")
    return Lifetime(installed, replies, **{k: float(v) for k, v in values.items()})


def load(folder: str | Path | None) -> tuple[Lifetime, Unreadable | None]:
    """The counter kept in `folder` (a new one when there is none, or no folder), and what went wrong
    reading it (None when nothing did)."""
    if folder is None:
        return Lifetime(_now()), None
    path = Path(folder) / FILE_NAME
    try:
        return _parse(_read(path)), None
    except FileNotFoundError:
        return Lifetime(_now()), None
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as e:
        aside = path.with_name(f"{FILE_NAME}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.replace(aside)
        except OSError:
            aside = path
        return Lifetime(_now()), Unreadable(str(path), aside.name, str(e))


@contextmanager
def _locked(folder: Path):
    """The folder's lock (`flock` on the folder itself: no lock file to leave behind or to damage),
    made first if it is not there. Raises OSError when the folder cannot be had or written."""
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise PermissionError(f"{folder} is read-only")
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{folder} stayed locked by another program") from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # and the lock with it


def merge(folder: str | Path, added: Lifetime | None = None) -> tuple[Lifetime, Unreadable | None]:
    """Under the folder's lock: the counter kept there with the replies of `added` counted in, written
    back (without `added`: only read). Returns it and a file set aside, if one was. Raises OSError."""
    folder = Path(folder)
    with _locked(folder):
        life, problem = load(folder)
        if added is not None and added.replies:
            life.merge(added)
            save(folder, life)
    return life, problem


def save(folder: str | Path | None, life: Lifetime) -> None:
    """Write the counter into `folder`, whole or not at all (raises OSError when it cannot)."""
    if folder is None:
        return
    atomic_write(Path(folder) / FILE_NAME, json.dumps({"format": FORMAT, **asdict(life)}, indent=1).encode())


class Keeper:
    """The counter and its file. This window's new replies are added to the file by a thread of its own
    (an fsync can take a while on a kiosk's memory card: the window never waits for it), and `life`
    becomes the file's total, with other windows' replies; `close` writes what is pending and ends the
    thread. `failed(why)` is called, from that thread, each time the folder cannot be written: the
    replies are kept and written with the next."""

    def __init__(self, folder: str | Path | None, failed: Callable[[str], None] | None = None):
        self.folder, self.failed = folder, failed
        self.life, self.problem = Lifetime(_now()), None
        self.error = ""  # why the folder could not be used lately ("" when it could), for the terminal
        if folder is not None:
            try:
                self.life, self.problem = merge(folder)
            except OSError as e:
                self.error = _why(e)
        self._cond = threading.Condition()
        self._unsaved = Lifetime("")  # replies counted here and not yet in the file
        self._fresh = False  # a reply came since the last write began
        self._closing = False
        self._thread: threading.Thread | None = None

    def add_reply(self, flops: float, cpu_seconds: float) -> None:
        with self._cond:
            self.life.add_reply(flops, cpu_seconds)
            if self.folder is None:
                return
            self._unsaved.add_reply(flops, cpu_seconds)
            self._fresh, self._closing = True, False
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lifetime-writer", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._fresh and not self._closing:
                    self._cond.wait()
                if not self._fresh:
                    return
                added, self._unsaved, self._fresh = self._unsaved, Lifetime(""), False
            try:
                total, problem = merge(self.folder, added)
            except OSError as e:
                with self._cond:
                    added.merge(self._unsaved)
                    self._unsaved, self.error = added, _why(e)  # kept for the next write
                if self.failed is not None:
                    self.failed(self.error)
                continue
            with self._cond:
                total.merge(self._unsaved)  # replies counted while it wrote
                self.life, self.error = total, ""
                self.problem = problem or self.problem

    def close(self) -> None:
        with self._cond:
            self._closing = True
            self._fresh = self._fresh or (self._thread is not None and self._unsaved.replies > 0)  # a last try
            self._cond.notify()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=LOCK_WAIT_S + 5)


def _why(e: OSError) -> str:
    return f"{type(e).__name__}: {e}"
