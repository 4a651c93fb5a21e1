"""Marginalia's resources: the shipped checkpoint, stylesheets and icons, found through one loader.

Everything is read with `importlib.resources`, never by a path relative to the working directory, so
the exhibit finds its files however and wherever it is started.
"""

from __future__ import annotations

from importlib import resources as _res
from pathlib import Path

CHECKPOINT = "marginalia.safetensors"


def path(name: str) -> Path:
    """The file `name` among the resources, as a real path on disk."""
    return Path(str(_res.files(__name__).joinpath(name)))


def shipped_checkpoint() -> Path:
    """The fully trained model the exhibit starts from (see the README for the command that made it)."""
    return path(CHECKPOINT)


def read_text(name: str) -> str:
    return _res.files(__name__).joinpath(name).read_text(encoding="utf-8")
