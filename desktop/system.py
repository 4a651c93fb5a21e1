"""Before `make run`: the system libraries Qt's X11 platform plugin needs, named, with the one line that
installs what is missing (`python -m desktop.system`; exit status 1 when something is missing).

On a fresh Debian machine with an X server, Qt stopped with "Could not load the Qt platform plugin
xcb" and nothing more until libxcb-cursor0, libxcb-icccm4 and libxcb-keysyms1 were installed. The
truth is asked of the plugin itself: `ldd` on PySide6's `libqxcb.so` lists every library it links
that the system cannot find; each is named by its package on Debian/Ubuntu and on Fedora. Standard
library only, and no Qt loaded: it runs where Qt cannot start.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

# A library the xcb plugin links, and its package on (Debian/Ubuntu, Fedora).
PACKAGES = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}


def plugin() -> Path | None:
    """PySide6's X11 platform plugin, found without loading Qt."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return path if path.exists() else None


def ldd(path: Path) -> str:
    return subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=30).stdout


def missing(path: Path, linked: Callable[[Path], str] = ldd) -> list[str]:
    """The libraries `path` links that the system cannot find ("libfoo.so.1 => not found" in ldd's words)."""
    out = []
    for line in linked(path).splitlines():
        name, _, where = line.strip().partition("=>")
        if where.strip() == "not found" and name.strip() not in out:
            out.append(name.strip())
    return out


def distribution(os_release: Path = Path("/etc/os-release")) -> str:
    """"debian" (Debian, Ubuntu and their kin), "fedora" (Fedora, RHEL and theirs), or "" (another)."""
    try:
        fields = dict(line.split("=", 1) for line in os_release.read_text().splitlines() if "=" in line)
    except OSError:
        return ""
    ids = " ".join(fields.get(k, "").strip('"') for k in ("ID", "ID_LIKE")).split()
    return next((d for d in ("debian", "fedora") if d in ids or (d == "debian" and "ubuntu" in ids)
                 or (d == "fedora" and ("rhel" in ids or "centos" in ids))), "")


def install_lines(libraries: list[str], distro: str) -> list[str]:
    """The one line that installs `libraries` on `distro` (both lines, for another system)."""
    lines = []
    for name, column, tool in (("debian", 0, "sudo apt-get install -y"), ("fedora", 1, "sudo dnf install -y")):
        if distro in (name, ""):
            packages = dict.fromkeys(PACKAGES.get(lib, (lib, lib))[column] for lib in libraries)
            lines.append(f"{tool} {' '.join(packages)}")
    return lines


def needs_xcb(env=os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will use its X11 plugin: on Linux, unless told another platform or in a Wayland session."""
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def check(env=os.environ, linked: Callable[[Path], str] = ldd, os_release: Path = Path("/etc/os-release"),
          out=sys.stderr) -> int:
    """0 if Qt's X11 plugin has every library it needs (or is not what Qt will use); else 1, having
    said which are missing and the line that installs them."""
    path = plugin()
    if path is None or not needs_xcb(env):
        return 0
    lost = missing(path, linked)
    if not lost:
        return 0
    print(f"Marginalia needs system libraries that are not installed: {', '.join(lost)}", file=out)
    print("Qt cannot open a window without them. Install them with:", file=out)
    for line in install_lines(lost, distribution(os_release)):
        print(f"    {line}", file=out)
    return 1


if __name__ == "__main__":
    sys.exit(check())
