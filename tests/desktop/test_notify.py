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
    got: list[str] = []

    def pings_at_least(n):
        got.extend(_received(sock))
        return got.count("WATCHDOG=1") >= n

    try:
        assert notifier.interval_ms == 50  # twice per WATCHDOG_USEC
        notifier.ready()
        notifier.status("kiosk: attract")
        qtbot.waitUntil(lambda: pings_at_least(4), timeout=10_000)
        assert got[:3] == ["WATCHDOG=1", "READY=1", "STATUS=kiosk: attract"]
        _received(sock)
        time.sleep(1.0)  # the window's thread stuck (a slot that never returns): 20 periods go by
        assert _received(sock) == []  # not one ping: systemd's watchdog would fire
        got.clear()
        qtbot.waitUntil(lambda: pings_at_least(3), timeout=10_000)  # the thread free again: alive again
        notifier.stopping()
        assert _received(sock) == ["STOPPING=1"]
        qtbot.wait(200)
        assert _received(sock) == []  # no pings after STOPPING
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
