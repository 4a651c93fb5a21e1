"""The model process from the window's side: its pipe, its one activity, and a new process if it dies.

`ModelLink` starts the model process (`desktop.process.entry`; or, for the benchmark and the tests, a
thread) and talks to it over two pipes, both watched by `QSocketNotifier`s on the window's thread and
neither ever waited on: commands leave as the pipe takes them, and bytes are taken as they come, so a
model process that is busy or descheduled halfway through a message never holds up the window. Each
message, once whole, goes straight to `deliver` (the window's one dispatcher, `Exhibit.routes`). The
framing is `multiprocessing.Connection`'s, which the model process's side reads and writes.

`begin(make)` starts an activity: the one running is asked to stop (training: after its step in
progress) and `make()` builds the next command once its last word has arrived and been delivered, so
the command starts from what that word handed back. Asked twice before then, the later wins. If the
process ends on its own, `ModelGone` is delivered as that activity's last word; the next command
starts another process, at once after a first death and later after more (`restart_delay`): commands
sent meanwhile wait for it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import struct
import threading
import time
from collections import deque
from multiprocessing.reduction import ForkingPickler
from typing import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from ..process import entry
from ..process.frames import FrameSlot
from ..process.protocol import LAST_WORDS, ModelGone, Prepare, Stop

STOP_TIMEOUT_S = 10.0
DEATHS_COUNTED_S = 600.0  # deaths longer ago than this no longer slow the next start
READ_SLICE_S = 0.004  # messages delivered in one go at most this long; the rest at the event loop's next turn


def restart_delay(deaths: list[float], delays: tuple[float, ...], now: float) -> float:
    """Seconds to wait before a new model process, by how many died in the last DEATHS_COUNTED_S
    (`deaths`, time.monotonic() values): `delays[n - 1]` after n deaths, the last of `delays` for any
    more. It never refuses: a kiosk has nobody to press a key."""
    recent = sum(1 for t in deaths if now - t < DEATHS_COUNTED_S)
    return delays[min(recent, len(delays)) - 1] if recent and delays else 0.0


def _framed(obj) -> tuple[bytes, bytes]:
    """`obj` as multiprocessing.Connection sends it: a 4-byte length (or -1 and 8 bytes), then the pickle."""
    payload = ForkingPickler.dumps(obj)
    n = len(payload)
    return (struct.pack("!i", n) if n <= 0x7FFFFFFF else struct.pack("!iQ", -1, n)), payload


class _Inbox:
    """Bytes from the model process as they come, each message read straight into a buffer of its own
    size (its length comes first), and unpickled once whole: one copy from the pipe, one by pickle."""

    def __init__(self, fd: int):
        self.fd, self.ended = fd, False
        self.read = 0  # bytes read so far (the soak's figure of what a reply brings)
        self._head = bytearray()  # the length being read: 4 bytes, or -1 and 8 more
        self._body: bytearray | None = None
        self._got = 0
        os.set_blocking(fd, False)

    def next(self):
        """The next whole message, reading what it needs and never waiting: None until one is whole
        (or, with `ended`, once the pipe has closed)."""
        while not self.ended:
            try:
                if self._body is None:
                    want = (4 if len(self._head) < 4 else 12) - len(self._head)
                    chunk = os.read(self.fd, want)
                    self.ended = not chunk
                    self.read += len(chunk)
                    self._head += chunk
                    self._begin()
                else:
                    with memoryview(self._body) as whole, whole[self._got:] as rest:
                        n = os.readv(self.fd, [rest])
                    self.ended = n == 0
                    self._got += n
                    self.read += n
                    if self._got == len(self._body):
                        body, self._body, self._head = self._body, None, bytearray()
                        return pickle.loads(body)
            except BlockingIOError:
                return None
        return None

    def _begin(self) -> None:
        """Once the length is whole, the buffer the message is read into."""
        if len(self._head) == 4 and (n := struct.unpack("!i", self._head)[0]) != -1:
            self._body, self._got = bytearray(n), 0
        elif len(self._head) == 12:
            self._body, self._got = bytearray(struct.unpack_from("!Q", self._head, 4)[0]), 0


class _Child:
    """The model process (or thread) and the window's ends of its two pipes."""

    def __init__(self, kind: str, boot: dict, lock):
        ctx = mp.get_context("spawn")
        commands_in, self.commands = ctx.Pipe(duplex=False)
        self.messages, messages_out = ctx.Pipe(duplex=False)
        if kind == "process":
            self.runner = ctx.Process(target=entry.process_main, args=(dict(boot), commands_in, messages_out, lock),
                                      name="marginalia-model", daemon=True)
            self.runner.start()
            commands_in.close()  # the child's ends: closing ours makes its exit read as the end of the pipe
            messages_out.close()
        else:
            self.runner = threading.Thread(target=entry.thread_main, args=(commands_in, messages_out, lock),
                                           name="marginalia-model", daemon=True)
            self.runner.start()
        self.pid = self.runner.pid if kind == "process" else None
        os.set_blocking(self.commands.fileno(), False)
        self.inbox = _Inbox(self.messages.fileno())

    def end(self, timeout: float) -> None:
        """Close the pipes (the child reads the end and stops after its step); if it lingers, terminate, kill."""
        self.commands.close()
        self.messages.close()  # a last word it is writing meets a closed pipe instead of a full one
        self.runner.join(timeout)
        if isinstance(self.runner, mp.process.BaseProcess):
            for stop in (self.runner.terminate, self.runner.kill):
                if self.runner.is_alive():
                    stop()
                    self.runner.join(1.0)
            self.runner.close()


class ModelLink(QObject):
    restarted = Signal()  # a new model process started once its backoff was over (not one started at once)

    def __init__(self, kind: str, boot: dict, deliver: Callable[[object], None], parent: QObject | None = None,
                 delays: tuple[float, ...] = (0.0,)):
        super().__init__(parent)
        self.kind, self.boot, self.deliver = kind, boot, deliver  # kind: "process" or "thread"
        self.delays = delays  # see restart_delay
        self.activity: type | None = None  # Prepare, Train or Talk: what the model does now
        self.stopping = False  # a Stop was sent; the activity's last word is awaited
        self.deaths: list[float] = []  # when model processes ended on their own lately (time.monotonic())
        self._due = 0.0  # no new model process before this (time.monotonic()): the backoff after a death
        self._waker = QTimer(self)  # starts the next model process when it is due
        self._waker.setSingleShot(True)
        self._waker.timeout.connect(self._on_due)
        self._lock = None  # the frames' lock, shared with every model process; made with the first one
        # (a lock starts multiprocessing's resource tracker, a process of its own: not before the first paint)
        self._child: _Child | None = None
        self._next: Callable[[], object] | None = None
        self._outbox: deque[memoryview] = deque()
        self._reading = False
        self._readable = self._writable = None

    @property
    def pid(self) -> int | None:
        return None if self._child is None else self._child.pid

    @property
    def bytes_read(self) -> int:
        """Bytes read from the model process (the one running now) so far."""
        return 0 if self._child is None else self._child.inbox.read

    @property
    def restart_in(self) -> float:
        """Seconds until the next model process may start (0: at once)."""
        return max(0.0, self._due - time.monotonic())

    def new_frames(self, size: int) -> FrameSlot:
        """Shared memory for the frames of a training run of `size` weights (the caller closes it)."""
        return FrameSlot.create(size, self._lock)

    # --- activities -----------------------------------------------------------------------------
    def begin(self, make: Callable[[], object]) -> None:
        """Start the activity `make()` builds (None: none), once the one running has said its last word."""
        self._next = make
        if self.activity is None:
            self._start_next()
        elif not self.stopping and self.activity is not Prepare:  # preparing ends by itself
            self.stopping = True
            self.send(Stop())

    def _start_next(self) -> None:
        make, self._next = self._next, None
        cmd = make() if make is not None else None
        if cmd is not None:
            self.activity, self.stopping = type(cmd), False
            self.send(cmd)

    # --- the pipes ------------------------------------------------------------------------------
    def send(self, cmd) -> None:
        """Queue `cmd` for the model process (starting one if there is none) and write what the pipe takes."""
        if self._child is None and not self._waker.isActive():
            if self.restart_in > 0:
                self._waker.start(max(1, round(1000 * self.restart_in)))  # the commands wait in the outbox
            else:
                self._start_child()
        self._outbox.extend(memoryview(part) for part in _framed(cmd))
        self._flush()

    def _on_due(self) -> None:
        if self._child is None and self._outbox:
            self._start_child()
            self._flush()
            self.restarted.emit()

    def _flush(self) -> None:
        child = self._child
        while child is not None and self._outbox:
            view = self._outbox[0]
            try:
                n = os.write(child.commands.fileno(), view)
            except BlockingIOError:
                break
            except OSError:
                self._outbox.clear()  # the child has gone: the read side says so
                break
            if n == len(view):
                self._outbox.popleft()
            else:
                self._outbox[0] = view[n:]
        if self._writable is not None:
            self._writable.setEnabled(bool(self._outbox))

    def _start_child(self) -> None:
        if self._lock is None:
            self._lock = mp.get_context("spawn").Lock()
        self._child = _Child(self.kind, self.boot, self._lock)
        self._readable = QSocketNotifier(self._child.messages.fileno(), QSocketNotifier.Type.Read, self)
        self._readable.activated.connect(self._on_readable)
        self._writable = QSocketNotifier(self._child.commands.fileno(), QSocketNotifier.Type.Write, self)
        self._writable.setEnabled(False)
        self._writable.activated.connect(self._flush)

    def _on_readable(self) -> None:
        """Take what has come; deliver each whole message, in order, for at most READ_SLICE_S (the rest
        at the event loop's next turn, so that the window stays responsive under a flood)."""
        child = self._child
        if self._reading or child is None:
            return  # a nested event loop inside a handler: the outer read goes on
        self._reading, t0 = True, time.perf_counter()
        try:
            while self._child is child:
                if time.perf_counter() - t0 >= READ_SLICE_S:
                    QTimer.singleShot(0, self._on_readable)
                    return
                message = child.inbox.next()
                if message is None:
                    break
                last = isinstance(message, LAST_WORDS)
                if last:
                    self.activity, self.stopping = None, False
                self.deliver(message)
                if last and self._child is child:
                    self._start_next()
            if self._child is child and child.inbox.ended:
                self._gone()
        finally:
            self._reading = False

    def _gone(self) -> None:
        """The model process ended on its own (killed, out of memory): its activity's last word is that."""
        activity, now = self.activity, time.monotonic()
        self.deaths = [t for t in self.deaths if now - t < DEATHS_COUNTED_S] + [now]
        self._due = now + restart_delay(self.deaths, self.delays, now)
        self._drop_child(timeout=1.0)
        self.activity, self.stopping = None, False
        self.deliver(ModelGone(activity))
        self._start_next()

    def _drop_child(self, timeout: float) -> None:
        child, self._child = self._child, None
        self._outbox.clear()
        for notifier in (self._readable, self._writable):
            if notifier is not None:
                notifier.setEnabled(False)
                notifier.deleteLater()
        self._readable = self._writable = None
        if child is not None:
            child.end(timeout)

    def close(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """End the model process and forget what was to start next. Safe to call twice."""
        self._next = None
        self.activity, self.stopping = None, False
        self._waker.stop()
        self._drop_child(timeout)
