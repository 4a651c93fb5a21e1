"""Files written whole or not at all, and read only when they are regular files of a bounded size (no
torch here: the window's process uses it too)."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """A file to write in `path`'s folder (its suffix kept: a writer may pick its format by it), put in
    `path`'s place once the block ends well, so that a crash, a power cut or an error at any moment
    leaves either the old file or the new one, whole: fsync, `os.replace`, then the folder fsynced.
    The file is removed if the block raises (a cancelled export too)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".part{path.suffix}", dir=path.parent)
    os.close(fd)
    part = Path(name)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(part, 0o666 & ~umask)  # mkstemp makes it private; these files are for everyone to read
        yield part
        fd = os.open(part, os.O_RDONLY)  # the writer has closed it: its bytes to the disk before the rename
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    try:  # make the rename itself durable
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (`replacing`)."""
    with replacing(path) as part:
        part.write_bytes(data)


class Refused(ValueError):
    """A file that is not read: why, in a few words (the caller names the file)."""


def check_regular(path: str | os.PathLike, max_bytes: int | None = None) -> os.stat_result:
    """Whether `path` may be read: a regular file (a pipe or a device could hang or never end) of at most
    `max_bytes` (None: any size). Raises Refused."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise Refused(f"cannot read it ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):
        raise Refused("not a regular file")
    if max_bytes is not None and st.st_size > max_bytes:
        raise Refused(f"{st.st_size} bytes is too large (at most {max_bytes})")
    return st


def read_regular(path: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of `path` once `check_regular` allows it, at most `max_bytes` of them whatever the file
    becomes meanwhile (swapped for a device, or growing). Raises Refused."""
    check_regular(path, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped for something else since the stat
                raise Refused("not a regular file")
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise Refused(f"cannot read it ({e.strerror or e})") from None
    if len(data) > max_bytes:
        raise Refused(f"too large (more than {max_bytes} bytes)")
    return data
