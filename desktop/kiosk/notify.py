"""systemd's notify protocol, from the window's own thread: READY=1 once, then WATCHDOG=1 pings.

Under a unit with `Type=notify` and `WatchdogSec=` (`deploy/marginalia-kiosk.service`), systemd hands
the service `$NOTIFY_SOCKET` (a datagram socket; a leading "@" is Linux's abstract namespace) and
`$WATCHDOG_USEC`. The pings come from a timer on the GUI thread, so a window whose event loop is stuck
stops pinging, and systemd restarts it: a frozen window is as dead as a crashed one. The standard
library's socket is enough; nothing is sent when there is no socket. `WATCHDOG_PID` is not checked: a
kiosk compositor (cage) is the unit's main process and the window its child (the unit says
`NotifyAccess=all`). A message that cannot be sent at once is dropped: the window never waits on it.
"""

from __future__ import annotations

import os
import socket

from PySide6.QtCore import QObject, QTimer

from ..i18n import log

MIN_PING_MS = 50


class SystemdNotifier(QObject):
    def __init__(self, environ: dict | None = None, parent: QObject | None = None):
        super().__init__(parent)
        env = os.environ if environ is None else environ
        self.address = _address(env.get("NOTIFY_SOCKET", ""))
        self.sent = 0  # messages sent (the tests' and the soak's count)
        self._sock: socket.socket | None = None
        self._failed = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.ping)
        usec = _int(env.get("WATCHDOG_USEC", ""))
        if self.address is not None and usec > 0:
            self._timer.start(max(MIN_PING_MS, usec // 2000))  # twice per period, as sd_watchdog_enabled advises
            self.ping()

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def interval_ms(self) -> int:
        return self._timer.interval() if self._timer.isActive() else 0

    def ready(self) -> None:
        self.send("READY=1")

    def status(self, text: str) -> None:
        self.send("STATUS=" + text.replace("\n", " "))

    def stopping(self) -> None:
        self._timer.stop()
        self.send("STOPPING=1")

    def ping(self) -> None:
        self.send("WATCHDOG=1")

    def send(self, message: str) -> bool:
        if self.address is None:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                self._sock.setblocking(False)
            self._sock.sendto(message.encode(), self.address)
        except OSError as e:
            if not self._failed:  # said once: a kiosk would otherwise fill its journal
                log.warning("systemd notify socket %s: %s", self.address, e)
            self._failed = True
            return False
        self.sent += 1
        return True

    def close(self) -> None:
        self._timer.stop()
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def _address(value: str):
    if not value or value[0] not in "/@":
        return None
    return "\0" + value[1:] if value[0] == "@" else value


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0
