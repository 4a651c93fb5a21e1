"""Background jobs: loading, freezing and saving models without holding up the window.

A job is a plain function run on a short-lived Python thread; its result (or error) comes back to
the window's thread as a queued Qt signal and is handed to the callback given with it. Jobs never
touch a widget. `wait()` joins every job still running, so closing the window or ending a test
leaves no thread behind.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot


class Jobs(QObject):
    # A job ended: its number, and (True, result) or (False, the error's text).
    ended = Signal(int, bool, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable, Callable | None]] = {}
        self._threads: dict[int, threading.Thread] = {}
        self.ended.connect(self._on_ended)

    def submit(self, fn: Callable, *args, done: Callable, failed: Callable | None = None) -> int:
        """Run `fn(*args)` off the window's thread; then `done(result)` or `failed(text)` on it."""
        job = next(self._ids)
        self._callbacks[job] = (done, failed)
        t = threading.Thread(target=self._run, args=(job, fn, args), name=f"marginalia-job-{job}", daemon=True)
        self._threads[job] = t
        t.start()
        return job

    def _run(self, job: int, fn: Callable, args: tuple) -> None:
        try:
            result = fn(*args)
        except Exception as e:  # reported on the window, never raised into Qt's event loop
            self.ended.emit(job, False, f"{e}\n{traceback.format_exc()}" if not str(e) else str(e))
            return
        self.ended.emit(job, True, result)

    @Slot(int, bool, object)
    def _on_ended(self, job: int, ok: bool, payload) -> None:
        t = self._threads.pop(job, None)
        if t is not None:
            t.join()
        done, failed = self._callbacks.pop(job, (None, None))
        if ok and done is not None:
            done(payload)
        elif not ok and failed is not None:
            failed(payload)

    def cancel_all(self) -> None:
        """Forget the callbacks of running jobs (their results are dropped when they end)."""
        self._callbacks.clear()

    @property
    def pending(self) -> int:
        return len(self._threads)

    def wait(self, timeout: float = 30.0) -> None:
        for t in list(self._threads.values()):
            t.join(timeout)
