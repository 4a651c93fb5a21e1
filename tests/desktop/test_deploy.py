"""What ships for a kiosk left alone for weeks (`deploy/`): systemd units that restart a crashed or frozen
exhibit but not an operator who left with the PIN, and an example config the exhibit accepts, each of its
keys documented in the README."""

import configparser
import dataclasses
import re
from pathlib import Path

import pytest

from desktop.kiosk import config as kiosk_config
from desktop.kiosk.lockdown import OPERATOR_EXIT

DEPLOY = Path("deploy")
UNITS = sorted(DEPLOY.glob("*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read(path, encoding="utf-8")
    return unit


def test_there_is_a_unit_for_cage_and_one_for_x11():
    assert [p.name for p in UNITS] == ["marginalia-kiosk-x11.service", "marginalia-kiosk.service"]


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_a_unit_restarts_a_crashed_or_frozen_exhibit_but_not_the_operators_exit(path):
    s = _unit(path)["Service"]
    assert s["Type"] == "notify" and s["Restart"] == "always"
    assert s["NotifyAccess"] in ("main", "all")
    watchdog = int(s["WatchdogSec"])
    assert 5 <= watchdog <= 120  # the window pings every watchdog/2 s (desktop.kiosk.notify)
    assert s["RestartPreventExitStatus"].split() == [str(OPERATOR_EXIT)]
    assert _unit(path)["Unit"]["StartLimitIntervalSec"] == "0"  # never gives up restarting
    command = s["ExecStart"]
    assert re.search(r"/python -m desktop --kiosk --config \S+kiosk\.ini$", command)
    if "cage" in command:
        assert s["NotifyAccess"] == "all" and " -s " not in command  # cage's child notifies; no VT switching


def test_the_example_config_is_accepted_and_sets_every_key():
    path = DEPLOY / "kiosk.ini"
    config = kiosk_config.resolve(path, {})
    keys = {f.name for f in dataclasses.fields(kiosk_config.KioskConfig)}
    assert set(kiosk_config.read_file(path)) == keys  # every key, each with a value the exhibit takes
    assert config.operator_pin and config.idle_seconds > config.countdown_seconds


def test_the_readme_documents_every_key_and_the_files():
    readme = Path("README.md").read_text(encoding="utf-8")
    section = readme.split("## Running a kiosk", 1)[1].split("\n## ", 1)[0]
    for field in dataclasses.fields(kiosk_config.KioskConfig):
        assert f"`{field.name}`" in section, field.name
    for path in (*UNITS, DEPLOY / "kiosk.ini", DEPLOY / "90-marginalia-dontzap.conf"):
        assert f"deploy/{path.name}" in section, path
    for words in ("cage", "DontZap", "auto-login", "Ctrl+Alt+Shift+O", "WatchdogSec"):
        assert words in section, words


def test_make_desktop_entry_installs_a_launcher_that_runs_this_folder_with_its_icon(tmp_path, qapp):
    import subprocess

    from PySide6.QtGui import QIcon

    subprocess.run(["make", "--no-print-directory", "desktop-entry", f"XDG_DATA_HOME={tmp_path}"], check=True,
                   capture_output=True, timeout=120)
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(tmp_path / "applications" / "marginalia.desktop", encoding="utf-8")
    e = entry["Desktop Entry"]
    assert e["Type"] == "Application" and e["Name"] == "Marginalia" and e["Terminal"] == "false"
    assert e["Exec"] == f"make -C {Path.cwd()} run"
    icon = QIcon(e["Icon"])
    assert Path(e["Icon"]).is_file() and not icon.pixmap(64, 64).isNull()
