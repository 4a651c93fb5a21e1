"""The house's import contract: the window's process never imports torch, the model process's side never
imports Qt, the controllers import no widgets. Each is checked in a fresh interpreter, so nothing imported
by another test can hide a breach."""

import pkgutil
import subprocess
import sys

import pytest

import desktop

MODULES = sorted(m.name for m in pkgutil.walk_packages(desktop.__path__, "desktop."))


def _imported(modules: list[str]) -> set[str]:
    """The top-level packages a fresh interpreter holds after importing `modules`."""
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(' '.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return set(out.stdout.split())


def _of(prefix: str) -> list[str]:
    return [m for m in MODULES if m == prefix or m.startswith(prefix + ".")]


def test_the_house_has_the_folders_the_readme_names():
    for folder in ("desktop.process", "desktop.control", "desktop.scenes", "desktop.widgets", "desktop.tools"):
        assert _of(folder), f"{folder} is missing"


# What the window's process imports: everything but the model process's own modules and the tools.
WINDOW = [m for m in MODULES if not m.startswith("desktop.tools")
          and m not in ("desktop.process.server", "desktop.process.training", "desktop.process.talk",
                        "desktop.process.models")]


@pytest.mark.parametrize("banned", ["torch", "safetensors"])
def test_the_window_imports_no_torch(banned):
    assert banned not in _imported(WINDOW + ["desktop.__main__", "desktop.bench"])


def test_the_model_process_side_imports_no_qt():
    imported = _imported(_of("desktop.process"))
    assert not {m for m in imported if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph")}
    assert "torch" in imported  # the contract is about Qt: the process side is where torch lives


def test_the_controllers_import_no_widgets():
    imported = _imported(_of("desktop.control") + ["desktop.i18n"])
    assert not {m for m in imported if m in ("PySide6.QtWidgets", "PySide6.QtGui", "pyqtgraph")}
    assert "torch" not in imported
