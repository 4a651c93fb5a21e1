"""Before `make run`: a system library that Qt's X11 plugin needs and that is missing is named, with the
one line that installs it (simulated: ldd's answer is replaced; the plugin is PySide6's own)."""

import io
import subprocess
import sys

from desktop import system

XCB = {"DISPLAY": ":0"}


def ldd_without(*lost):
    """ldd's answer on the real plugin, as if `lost` were the only libraries not installed (whatever this
    machine really lacks is left out)."""
    real = system.ldd(system.plugin())

    def linked(_path):
        lines = [line for line in real.splitlines()
                 if not any(name in line for name in lost) and "not found" not in line]
        return "\n".join(lines + [f"\t{name} => not found" for name in lost])
    return linked


def test_a_missing_library_is_named_with_the_line_that_installs_it(tmp_path):
    debian = tmp_path / "os-release"
    debian.write_text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n')
    out = io.StringIO()
    lost = ("libxcb-cursor.so.0", "libxcb-keysyms.so.1")
    assert system.check(XCB, ldd_without(*lost), debian, out) == 1
    said = out.getvalue()
    assert "libxcb-cursor.so.0, libxcb-keysyms.so.1" in said
    assert "    sudo apt-get install -y libxcb-cursor0 libxcb-keysyms1\n" in said and "dnf" not in said

    fedora = tmp_path / "fedora"
    fedora.write_text('ID=fedora\n')
    out = io.StringIO()
    assert system.check(XCB, ldd_without("libxcb-icccm.so.4"), fedora, out) == 1
    assert "    sudo dnf install -y xcb-util-wm\n" in out.getvalue() and "apt-get" not in out.getvalue()

    out = io.StringIO()  # another system: both lines
    assert system.check(XCB, ldd_without("libxcb-icccm.so.4"), tmp_path / "none", out) == 1
    assert "apt-get install -y libxcb-icccm4" in out.getvalue() and "dnf install -y xcb-util-wm" in out.getvalue()


def test_nothing_is_said_when_everything_is_there_or_qt_will_not_use_x11(tmp_path):
    out = io.StringIO()
    assert system.check(XCB, lambda _p: "\tlibxcb.so.1 => /lib/libxcb.so.1 (0x1)\n", tmp_path / "none", out) == 0
    assert system.check({"QT_QPA_PLATFORM": "offscreen"}, ldd_without("libxcb-cursor.so.0"), tmp_path, out) == 0
    assert system.check({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ldd_without("libxcb-cursor.so.0"),
                        tmp_path, out) == 0
    assert out.getvalue() == ""


def test_the_check_runs_as_make_run_runs_it_without_loading_qt():
    code = ("import sys, desktop.system as s; s.check({'QT_QPA_PLATFORM': 'offscreen'}); "
            "assert not any(m.startswith('PySide6.Qt') for m in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
    assert system.plugin() is not None and system.plugin().name == "libqxcb.so"
