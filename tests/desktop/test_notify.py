"""systemd's notify protocol from the window's thread: READY once, WATCHDOG pings that stop when the
window's thread is stuck (so systemd restarts a frozen window), nothing at all without a socket."""

import socket
import time

import pytest

from desktop.kiosk.notify import SystemdNotifier


@pytest.fixture
def systemd(tmp_path):
    """A datagram socket where systemd would listen, and the environment it would hand the service."""
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    yield sock, {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "100000"}  # a ping every 50 ms
    sock.close()


def _received(sock) -> list[str]:
    out = []
    while True:
        try:
            out.append(sock.recv(4096).decode())
        except BlockingIOError:
            return out


def test_ready_and_pings_reach_the_socket_and_stop_while_the_window_thread_is_stuck(qtbot, systemd):
    sock, env = systemd
    notifier = SystemdNotifier(env)
    try:
        notifier.ready()
        notifier.status("kiosk: attract")
        qtbot.wait(300)
        first = _received(sock)
        assert first[:3] == ["WATCHDOG=1", "READY=1", "STATUS=kiosk: attract"]
        assert first.count("WATCHDOG=1") >= 4
        time.sleep(1.0)  # the window's thread stuck: a slot that never returns, a deadlock
        assert _received(sock) == []  # not one ping: systemd's watchdog would fire
        qtbot.wait(300)
        assert _received(sock).count("WATCHDOG=1") >= 3  # alive again
        notifier.stopping()
        assert _received(sock) == ["STOPPING=1"]
        qtbot.wait(200)
        assert _received(sock) == []
    finally:
        notifier.close()


def test_without_a_socket_nothing_is_sent(qtbot):
    notifier = SystemdNotifier({"WATCHDOG_USEC": "100000"})
    assert not notifier.enabled and notifier.interval_ms == 0
    assert not notifier.send("READY=1") and notifier.sent == 0


def test_an_abstract_socket_address_is_understood():
    notifier = SystemdNotifier({"NOTIFY_SOCKET": "@/org/freedesktop/systemd1/notify"})
    assert notifier.address == "\0/org/freedesktop/systemd1/notify"
    assert SystemdNotifier({"NOTIFY_SOCKET": "relative"}).address is None
