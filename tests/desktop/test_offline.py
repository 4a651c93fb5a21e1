"""No network: the visitor's whole cycle, in the real window and its model process, under an audit
hook (PEP 578) that records and refuses any socket that is not local (a Unix socket, or an address
on this machine). A kiosk may stand where there is no network at all, or one it must not use."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

# Installed in every Python process of the run (the window, and its spawned model process, which
# inherits the environment): `sitecustomize` is imported at start-up from PYTHONPATH.
HOOK = textwrap.dedent('''
    import os, socket, sys

    LOG = os.environ["OFFLINE_LOG"]
    LOCAL = ("127.", "::1", "localhost", "0.0.0.0", "::")

    def _note(line):
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(line + "\\n")

    def _local(host):
        return host is None or isinstance(host, bytes) or str(host).startswith(LOCAL) or str(host) == ""

    def _hook(event, args):
        if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
            address = args[-1] if event != "socket.sendmsg" else args[1]
            if isinstance(address, tuple) and address and not _local(address[0]):
                _note(f"refused {event} {address!r} in {os.getpid()}")
                raise PermissionError(f"offline: {event} {address!r}")
        elif event == "socket.getaddrinfo" and not _local(args[0]):
            _note(f"refused {event} {args[0]!r} in {os.getpid()}")
            raise PermissionError(f"offline: getaddrinfo {args[0]!r}")

    sys.addaudithook(_hook)
    _note(f"hooked {os.getpid()}")
''')


@pytest.mark.slow
def test_the_visitors_cycle_touches_no_network(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(HOOK)
    log = tmp_path / "offline.log"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OFFLINE_LOG=str(log),
               PYTHONPATH=os.pathsep.join([str(tmp_path / "site"), os.getcwd()]))
    env.pop("NOTIFY_SOCKET", None)
    out = subprocess.run([sys.executable, "-m", "desktop.soak", "--minutes", "0.01", "--warmup", "0", "--json"],
                         capture_output=True, text=True, timeout=200, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1])["replies"] >= 10  # the whole cycle was played
    lines = log.read_text().splitlines()
    assert not [line for line in lines if line.startswith("refused")], lines
    assert len([line for line in lines if line.startswith("hooked")]) >= 2  # the window and a model process


def test_the_hook_would_see_a_connection_to_the_network(tmp_path):
    """The check above can fail: the same hook refuses and records an outside address."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(HOOK)
    log = tmp_path / "offline.log"
    env = dict(os.environ, OFFLINE_LOG=str(log), PYTHONPATH=str(tmp_path / "site"))
    code = "import socket; s = socket.socket(); s.settimeout(0.1); s.connect(('192.0.2.1', 80))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode != 0 and "offline: socket.connect" in out.stderr
    assert any(line.startswith("refused socket.connect ('192.0.2.1', 80)") for line in log.read_text().splitlines())
