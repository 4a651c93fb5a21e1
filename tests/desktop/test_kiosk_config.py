"""The kiosk's settings: defaults, then the config file's [kiosk] section, then the flags; anything it
cannot use is refused at start with one line, never ignored for weeks."""

import subprocess
import sys

import pytest

from desktop.kiosk.config import ConfigError, KioskConfig, resolve


def _ini(tmp_path, text: str):
    path = tmp_path / "kiosk.ini"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_overrides_the_defaults_and_the_flags_override_the_file(tmp_path):
    path = _ini(tmp_path, "[kiosk]\nidle_seconds = 45\ncountdown_seconds = 10\noperator_pin = 0420\n"
                          "language = de\ncaptions = off\n")
    assert resolve(None, {}) == KioskConfig()
    config = resolve(path, {"idle_seconds": None, "language": None})
    assert (config.idle_seconds, config.countdown_seconds, config.operator_pin, config.language, config.captions) \
        == (45.0, 10.0, "0420", "de", False)
    config = resolve(path, {"idle_seconds": 120.0, "operator_pin": "97531"})
    assert (config.idle_seconds, config.operator_pin, config.countdown_seconds) == (120.0, "97531", 10.0)


@pytest.mark.parametrize("text, says", [
    ("[kiosk]\nidle_secs = 45\n", "idle_secs: not a setting"),
    ("[kiosk]\nidle_seconds = soon\n", "idle_seconds = 'soon': wants a number of seconds"),
    ("[kiosk]\nidle_seconds = nan\n", "idle_seconds = 'nan'"),
    ("[kiosk]\ncountdown_seconds = 0\n", "countdown_seconds = '0'"),
    ("[kiosk]\noperator_pin = 12\n", "operator_pin = '12': wants 4 to 12 digits"),
    ("[kiosk]\nlanguage = Deutsch\n", "language = 'Deutsch'"),
    ("[kiosk]\ncaptions = maybe\n", "captions = 'maybe': wants on or off"),
    ("[display]\nidle_seconds = 45\n", "has no [kiosk] section"),
    ("idle_seconds = 45\n", "cannot be read as an INI file"),
])
def test_a_bad_file_is_refused_with_one_line_naming_the_key(tmp_path, text, says):
    with pytest.raises(ConfigError) as e:
        resolve(_ini(tmp_path, text), {})
    assert says in str(e.value) and str(tmp_path) in str(e.value) and "\n" not in str(e.value)


def test_a_missing_file_or_a_bad_flag_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="nowhere.ini: cannot read it"):
        resolve(tmp_path / "nowhere.ini", {})
    with pytest.raises(ConfigError, match="--idle-seconds = 2"):
        resolve(None, {"idle_seconds": 2.0})


def test_the_command_line_says_what_is_wrong_and_exits_2(tmp_path):
    path = _ini(tmp_path, "[kiosk]\noperator_pin = abcd\n")
    out = subprocess.run([sys.executable, "-m", "desktop", "--kiosk", "--config", str(path)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2 and "operator_pin = 'abcd': wants 4 to 12 digits" in out.stderr
    assert out.stderr.strip().splitlines()[-1].startswith("error: ")
