"""`python -m desktop` (or `marginalia`): open the exhibit's window.

`--screenshots DIR` plays the story in the real window by itself and saves a PNG of each moment.
Qt is imported inside `main()` only: the spawned model process re-imports the main module of a script
entry point, and must never load Qt widgets. The translator for the system's language is installed
before the window is built (`desktop.i18n`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

_T0 = time.perf_counter()
START_AFTER_MS = 150


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="marginalia", description="Marginalia: training changes a model's "
                                "weights; talking to it never does.")
    p.add_argument("--checkpoint", help="the fully trained model (default: the shipped one)")
    p.add_argument("--screenshots", metavar="DIR", help="play the story by itself, save a PNG of each moment, quit")
    p.add_argument("--train-seconds", type=float, default=20.0,
                   help="with --screenshots: how long to train before talking (default 20)")
    p.add_argument("--worker", choices=("process", "thread"), default="process",
                   help="where the model trains and talks (default: a spawned process; see BENCHMARKS.md)")
    p.add_argument("--full-screen", action="store_true")
    p.add_argument("--font-scale", type=float, default=1.0)
    p.add_argument("--save-dir", help="where Save writes checkpoints (default: the user's data folder)")
    p.add_argument("--data-dir", help="where the lifetime counter of replies is kept (default: the user's data "
                   "folder)")
    p.add_argument("--exit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Sleeping, not spinning, OpenMP threads: a spinning pool stalls whenever another thread wants a core.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from PySide6.QtCore import QStandardPaths, QTimer
    from PySide6.QtWidgets import QApplication

    from . import i18n
    from .control.exhibit import Exhibit
    from .control.state import Settings
    from .process.entry import limit_heap
    from .window import MainWindow

    limit_heap(Settings.mmap_threshold)  # the window's heap too: one arena, big blocks given back
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Marginalia")
    app.setOrganizationName("Marginalia")
    i18n.install()
    data_dir = args.data_dir or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    save_dir = args.save_dir or os.path.join(data_dir, "saved")
    settings = Settings(checkpoint=args.checkpoint, worker=args.worker, save_dir=save_dir, data_dir=data_dir)
    exhibit = Exhibit(settings)
    window = MainWindow(exhibit)
    _quit_on_signals(app)
    exhibit.set_font_scale(args.font_scale)
    if args.exit_after_first_paint:
        _exit_after_first_paint(window)
    window.showFullScreen() if args.full_screen else window.show()
    # The model process (torch, seconds of imports) starts once the window has painted: on two cores
    # it would otherwise hold up the first picture.
    QTimer.singleShot(START_AFTER_MS, exhibit.start)
    if args.screenshots:
        from .tools.screenshots import StoryScreenshots

        driver = StoryScreenshots(window, exhibit, args.screenshots, train_seconds=args.train_seconds)
        exhibit.ready.connect(driver.start)
    rc = app.exec()
    exhibit.shutdown()
    return rc


def _quit_on_signals(app) -> None:
    """SIGTERM (how systemd stops a service) and SIGINT (Ctrl+C) end the exhibit as Ctrl+Q does: the
    model process ends and the training frames' shared memory is removed. Python runs a handler only
    between bytecodes and Qt's event loop runs none while it waits, so the signal's byte on a pipe
    (`signal.set_wakeup_fd`) wakes it."""
    import signal

    from PySide6.QtCore import QSocketNotifier

    wake, woken = os.pipe()
    os.set_blocking(wake, False)
    os.set_blocking(woken, False)
    signal.set_wakeup_fd(woken)
    notifier = QSocketNotifier(wake, QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda: os.read(wake, 512))  # Python runs again: the handler below with it
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: app.quit())


def _exit_after_first_paint(window) -> None:
    """For the benchmark: say when the window first painted (seconds since this module ran), then leave."""
    from PySide6.QtCore import QEvent, QObject

    class Watch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                print(f"first-paint {time.perf_counter() - _T0:.3f}", flush=True)
                os._exit(0)  # nothing to clean up yet; waiting for the model to load would only blur the figure
            return False

    window._first_paint_watch = Watch(window)
    window.installEventFilter(window._first_paint_watch)


if __name__ == "__main__":
    sys.exit(main())
