"""`python -m desktop` (or `marginalia`): open the exhibit's window.

`--screenshots DIR` plays the story in the real window by itself and saves a PNG of each moment.
`--presenter` puts the story on a clicker's keys (`desktop.presenter`); with `--screenshots`, it clicks through.
`--kiosk` makes the window a museum kiosk (`desktop.kiosk`), set up by `--config FILE` and its flags;
under systemd (`$NOTIFY_SOCKET`) the window says when it is ready and pings the watchdog.
Qt is imported inside `main()` only: the spawned model process re-imports the main module of a script
entry point, and must never load Qt widgets. The translator for the system's language is installed
before the window is built (`desktop.i18n`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from model.atomic import Refused, check_regular
from model.cli import Parser

_T0 = time.perf_counter()
START_AFTER_MS = 150
MAX_TRAIN_SECONDS = 3600
MAX_SIDE = 8192  # pixels: an 8K screen's width


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="marginalia", description="Marginalia: training changes a model's "
                                "weights; talking to it never does.")
    p.add_argument("--checkpoint", help="the fully trained model (default: the shipped one)")
    p.add_argument("--screenshots", metavar="DIR", help="play the story by itself, save a PNG of each moment, quit")
    p.add_argument("--train-seconds", type=float, default=20.0,
                   help="with --screenshots: how long to train before talking (default 20)")
    p.add_argument("--worker", choices=("process", "thread"), default="process",
                   help="where the model trains and talks (default: a spawned process; see BENCHMARKS.md)")
    p.add_argument("--full-screen", action="store_true")
    p.add_argument("--size", type=window_size, metavar="WxH", help="the window's size, as 1280x720 (a projector's "
                   "picture, for --screenshots; default: as the screen allows)")
    p.add_argument("--font-scale", type=float, help="the text's size (default 1; a kiosk's: its config's, or what "
                   "reads from two metres on its screen; a presenter's: readable from a hall's back row, 1.47 on a "
                   "1280×720 picture)")
    p.add_argument("--save-dir", help="where Save writes checkpoints (default: the user's data folder)")
    p.add_argument("--data-dir", help="where the lifetime counter of replies is kept (default: the user's data "
                   "folder)")
    p.add_argument("--language", help="the screen's language, as en or de (default: the system's; a kiosk's "
                   "config may say it too)")
    k = p.add_argument_group("kiosk", "A museum kiosk: full screen, touch, an attract loop, idle reset (see the "
                             "README's \"Running a kiosk\"). Each flag overrides the config file's [kiosk] key.")
    k.add_argument("--kiosk", action="store_true", help="run as a kiosk (with --screenshots: play the kiosk)")
    k.add_argument("--config", metavar="FILE", help="an INI file whose [kiosk] section sets the kiosk")
    k.add_argument("--idle-seconds", type=float, help="no input this long: “Still there?” (default 90)")
    k.add_argument("--countdown-seconds", type=float, help="then this long before the reset (default 15)")
    k.add_argument("--operator-pin", help="the PIN that lets an operator out (Ctrl+Alt+Shift+O); other users can "
                   "read a process's flags: prefer the config file")
    p.add_argument("--presenter", action="store_true", help="a clicker walks the story: Page Down/Right/Space "
                   "next, Page Up/Left back, Home the first step, B or . a black screen (see the README)")
    p.add_argument("--exit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    return p


def window_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(n) for n in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x720") from None
    if w < 320 or h < 240:
        raise argparse.ArgumentTypeError(f"{text} is smaller than 320x240")
    if w > MAX_SIDE or h > MAX_SIDE:  # an image that large would take gigabytes for nothing
        raise argparse.ArgumentTypeError(f"{text} is larger than {MAX_SIDE}x{MAX_SIDE}")
    return w, h


def kiosk_config(args, p: argparse.ArgumentParser):
    """The kiosk's settings from the defaults, the file and the flags; a bad one ends here (exit 2)."""
    from .kiosk.config import ConfigError, resolve

    flags = {"idle_seconds": args.idle_seconds, "countdown_seconds": args.countdown_seconds,
             "operator_pin": args.operator_pin, "language": args.language, "font_scale": args.font_scale}
    try:
        return resolve(args.config, flags)
    except ConfigError as e:
        p.error(str(e))


def check_options(args, p: argparse.ArgumentParser) -> None:
    """Options no window can use end here, before any work (exit 2, one line): files and folders that
    cannot be what they are named for, numbers out of range. A damaged model file is the loader's to
    say, on screen; an unusable data folder, the lifetime counter's."""
    if args.checkpoint:
        try:  # a typo or a device
            check_regular(args.checkpoint)
        except Refused as e:
            p.error(f"--checkpoint {args.checkpoint}: {e}")
    if not 0 < args.train_seconds <= MAX_TRAIN_SECONDS:  # NaN too
        p.error(f"--train-seconds = {args.train_seconds}: wants a number of seconds above 0, at most "
                f"{MAX_TRAIN_SECONDS}")
    for flag, folder in (("--screenshots", args.screenshots), ("--save-dir", args.save_dir)):
        if folder and os.path.exists(folder) and not os.path.isdir(folder):
            p.error(f"{flag} {folder}: not a folder")
    if args.screenshots:
        try:
            os.makedirs(args.screenshots, exist_ok=True)
        except OSError as e:
            p.error(f"--screenshots {args.screenshots}: cannot make the folder ({e.strerror or e})")


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    config = kiosk_config(args, p)
    if args.kiosk and args.presenter:
        p.error("--kiosk and --presenter are two different places: choose one")
    check_options(args, p)
    # Sleeping, not spinning, OpenMP threads: a spinning pool stalls whenever another thread wants a core.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from PySide6.QtCore import QLocale, QStandardPaths, QTimer
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
    i18n.install(QLocale(config.language) if config.language else None)
    data_dir = args.data_dir or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    save_dir = None if args.kiosk else args.save_dir or os.path.join(data_dir, "saved")
    # A kiosk sizes its text itself, from its config or its screen (desktop.kiosk.app); a presenter's
    # follows the projected picture's height where the command line leaves it open (desktop.presenter).
    font_scale = 1.0 if args.kiosk else args.font_scale or 1.0
    settings = Settings(checkpoint=args.checkpoint, worker=args.worker, save_dir=save_dir, data_dir=data_dir,
                        font_scale=font_scale)
    exhibit = Exhibit(settings)
    window = MainWindow(exhibit)
    _quit_on_signals(app)
    if args.exit_after_first_paint:
        _exit_after_first_paint(window)
    kiosk = _kiosk(window, config) if args.kiosk else None
    if args.presenter:
        from .presenter import Presenter

        # The projected picture is the screen (or the size asked for): its height sets the text's.
        lines = args.size[1] if args.size else app.primaryScreen().geometry().height()
        window.presenter = Presenter(window, font_scale=args.font_scale, lines=lines)
    if args.full_screen or args.kiosk:
        window.setGeometry(window.screen().geometry())  # the whole screen where no window manager sizes it
        window.showFullScreen()
    elif args.size:
        window.resize(*args.size)
        window.show()
    else:
        window.open_on_screen()
    notifier = _systemd(exhibit, kiosk)
    # The model process (torch, seconds of imports) starts once the window has painted: on two cores
    # it would otherwise hold up the first picture.
    QTimer.singleShot(START_AFTER_MS, exhibit.start)
    if args.screenshots:
        _screenshots(args, window, kiosk)
    rc = app.exec()
    notifier.stopping()
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
    # exit(), not quit(): quit asks the windows first, and a kiosk's window refuses to close
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: app.exit(0))


def _kiosk(window, config):
    """The window as a kiosk: frameless, its story's bars and overlays, locked down."""
    import faulthandler

    from PySide6.QtCore import Qt

    from .kiosk.app import Kiosk
    from .privacy import install_excepthooks

    faulthandler.enable()  # a watchdog's abort leaves every thread's stack in the journal (no data)
    install_excepthooks()  # and an uncaught exception its frames, not its message (desktop.privacy)
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    return Kiosk(window, config)


def _systemd(exhibit, kiosk):
    """READY once the exhibit is ready, WATCHDOG pings from this thread, and what the kiosk is doing."""
    from .kiosk.notify import SystemdNotifier

    notifier = SystemdNotifier(parent=exhibit)
    exhibit.ready.connect(notifier.ready)
    if kiosk is not None:
        kiosk.controller.phase_changed.connect(lambda phase: notifier.status(f"kiosk: {phase.value}"))
    return notifier


def _screenshots(args, window, kiosk) -> None:
    if kiosk is not None:
        from .tools.kiosk_screenshots import KioskScreenshots

        driver = KioskScreenshots(window, kiosk, args.screenshots)
    elif args.presenter:
        from .tools.presenter_screenshots import PresenterScreenshots

        driver = PresenterScreenshots(window, window.presenter, args.screenshots, train_seconds=args.train_seconds)
    else:
        from .tools.screenshots import StoryScreenshots

        driver = StoryScreenshots(window, window.exhibit, args.screenshots, train_seconds=args.train_seconds)
    window.exhibit.ready.connect(driver.start)


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
