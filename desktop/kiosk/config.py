"""The kiosk's settings: the defaults, overridden by the `[kiosk]` section of `--config FILE` (INI),
overridden by the command line's flags. No Qt.

A kiosk runs for weeks from one file nobody rereads: a key it does not know, or a value it cannot use,
is refused at start with one line naming the file, the key and what it wants (`ConfigError`), never
ignored. The README's "Running a kiosk" lists every key.
"""

from __future__ import annotations

import configparser
import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from model.atomic import Refused, read_regular

from ..control.state import FONT_SCALES

SECTION = "kiosk"
MAX_BYTES = 64 * 1024  # a kiosk's settings take a few hundred bytes; a device or a huge file is refused unread
PIN = re.compile(r"[0-9]{4,12}")
LANGUAGE = re.compile(r"[a-z]{2,3}([_-][A-Z]{2})?")


class ConfigError(ValueError):
    """One line: which file or flag, which key, and what it wants."""


@dataclass(frozen=True)
class KioskConfig:
    idle_seconds: float = 90.0  # no touch nor key this long: the "Still there?" countdown
    countdown_seconds: float = 15.0  # then everything back to the start and the attract loop
    operator_pin: str = ""  # 4 to 12 digits; empty: the operator's key chord does nothing
    language: str = ""  # the screen's language at the start and after every reset; empty: the system's
    captions: bool = True  # the story's captions on screen (a visitor may turn them off until the reset)
    font_scale: float = 0.0  # the window's text; 0: two metres' worth, as the screen allows (touch.reading_scale)
    screen_inches: float = 0.0  # the screen's diagonal, where it does not report its size; 0: as it reports
    attract_train_seconds: float = 25.0  # the attract loop trains this long from random weights
    attract_step_seconds: float = 8.0  # and shows each later step this long once it is played
    typing_cps: float = 14.0  # the story types its questions at this many characters a second


# name: (type, check, what it wants): read from the file as text, or from a flag already typed.
_RULES = {
    "idle_seconds": (float, lambda v: 5 <= v <= 86_400, "a number of seconds from 5 to 86400"),
    "countdown_seconds": (float, lambda v: 1 <= v <= 600, "a number of seconds from 1 to 600"),
    "operator_pin": (str, lambda v: v == "" or PIN.fullmatch(v) is not None, "4 to 12 digits"),
    "language": (str, lambda v: v == "" or LANGUAGE.fullmatch(v) is not None, "a language code such as en or de"),
    "captions": (bool, lambda v: True, "on or off"),
    "font_scale": (float, lambda v: v == 0 or FONT_SCALES[0] <= v <= FONT_SCALES[1],
                   f"0 (as the screen allows) or a number from {FONT_SCALES[0]:g} to {FONT_SCALES[1]:g}"),
    "screen_inches": (float, lambda v: v == 0 or 5 <= v <= 200, "the screen's diagonal in inches, 5 to 200"),
    "attract_train_seconds": (float, lambda v: 1 <= v <= 3_600, "a number of seconds from 1 to 3600"),
    "attract_step_seconds": (float, lambda v: 1 <= v <= 600, "a number of seconds from 1 to 600"),
    "typing_cps": (float, lambda v: 0 <= v <= 1_000, "characters a second from 0 (at once) to 1000"),
}
_BOOLEANS = {"on": True, "yes": True, "true": True, "1": True, "off": False, "no": False, "false": False, "0": False}


def _typed(key: str, value, where: str):
    kind, ok, wants = _RULES[key]
    try:
        if isinstance(value, str) and kind is bool:
            v = _BOOLEANS[value.strip().lower()]
        elif isinstance(value, str) and kind is float:
            v = float(value)
        else:
            v = kind(value)
        if isinstance(v, str):
            v = v.strip()
        if ok(v) and (kind is not float or v == v):  # NaN is no number of seconds
            return v
    except (KeyError, ValueError, TypeError):
        pass
    raise ConfigError(f"{where} = {value!r}: wants {wants}")


def read_file(path: str | Path) -> dict:
    """The `[kiosk]` section of an INI file, each value typed and checked (ConfigError otherwise)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(read_regular(path, MAX_BYTES).decode("utf-8"), str(path))
    except Refused as e:
        raise ConfigError(f"{path}: {e}") from None
    except (UnicodeDecodeError, configparser.Error) as e:
        raise ConfigError(f"{path}: cannot be read as an INI file ({type(e).__name__}: {e})".splitlines()[0]) from e
    if not parser.has_section(SECTION):
        raise ConfigError(f"{path}: has no [{SECTION}] section")
    out = {}
    for key, value in parser.items(SECTION):
        if key not in _RULES:
            raise ConfigError(f"{path}: [{SECTION}] {key}: not a setting (the settings: {', '.join(_RULES)})")
        out[key] = _typed(key, value, f"{path}: [{SECTION}] {key}")
    return out


def resolve(path: str | Path | None, flags: dict) -> KioskConfig:
    """The defaults, then the file's `[kiosk]` section, then the flags that were given (None: not given)."""
    values = read_file(path) if path else {}
    for key, value in flags.items():
        if value is not None:
            values[key] = _typed(key, value, "--" + key.replace("_", "-"))
    return dataclasses.replace(KioskConfig(), **values)
