"""The kiosk with nobody near: attract loop, a visit by touch alone, "Still there?", the reset to the
shipped model with its fingerprint checked, the lockdown, the operator's PIN, touch-sized targets.
Time is a fake clock: the tests move it; nothing waits for real minutes."""

import dataclasses
import math
import threading

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QScreen
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractButton, QApplication, QFileDialog, QLabel, QLineEdit, QMessageBox, QProgressBar,
                               QTextEdit, QWidget)

from desktop import i18n, readable
from desktop.control.kiosk import Phase
from desktop.control.player import Walk
from desktop.control.state import Mode, Panel
from desktop.control.story import Ask, Correct, NextMorning, Teach
from desktop.kiosk import touch
from desktop.kiosk.config import KioskConfig
from desktop.kiosk.lockdown import LOCKED_S, OPERATOR_KEYS
from desktop.tools.kiosk_screenshots import tap

from .conftest import wait_idle
from .test_story import Clock

CONFIG = KioskConfig(idle_seconds=60, countdown_seconds=10, operator_pin="2468", language="en_GB", typing_cps=0,
                     attract_train_seconds=5, attract_step_seconds=3, screen_inches=15.6)


def _kiosk(qtbot, settings, config, size=(1366, 768)):
    """The window made a kiosk on the tiny model, on a clock of the test's, its way out recorded."""
    from desktop.control.exhibit import Exhibit
    from desktop.kiosk.app import Kiosk
    from desktop.window import MainWindow

    e = Exhibit(settings)
    w = MainWindow(e)
    qtbot.addWidget(w)
    clock, left = Clock(), []
    k = Kiosk(w, config, clock=clock, leave=lambda: left.append(True))
    k.test_clock, k.left = clock, left
    w.resize(*size)
    w.show()
    with qtbot.waitSignal(e.ready, timeout=60_000):
        e.start()
    qtbot.waitUntil(lambda: k.controller.phase is Phase.ATTRACT, timeout=90_000)
    return k


def _close(k):
    QApplication.instance().removeEventFilter(k.lockdown)
    k.lockdown.allow_close = True
    k.window.close()


@pytest.fixture
def kiosk(qtbot, settings):
    k = _kiosk(qtbot, settings, CONFIG)
    yield k
    _close(k)


def _visit(qtbot, k):
    """A touch on the attract loop: the visit begins at the story's first step."""
    tap(k.window.heatmap)
    assert k.controller.phase is Phase.VISIT
    qtbot.waitUntil(lambda: k.player.index == 0 and k.player.step_played, timeout=30_000)


def _idle(qtbot, k, seconds):
    k.test_clock.advance(seconds)
    k.controller.poll()


def test_idle_shows_still_there_and_keep_going_goes_on(qtbot, kiosk):
    k, c = kiosk, kiosk.controller
    _visit(qtbot, k)
    _idle(qtbot, k, CONFIG.idle_seconds - 1)
    assert c.phase is Phase.VISIT and not k.countdown.isVisible()
    _idle(qtbot, k, 2)
    assert c.phase is Phase.COUNTDOWN and k.countdown.isVisible()
    assert k.countdown.title.text() == "Still there?" and "Starting over in 10 s" in k.countdown.text.text()
    _idle(qtbot, k, 3.5)
    assert "Starting over in 7 s" in k.countdown.text.text()
    tap(k.countdown.keep)
    assert c.phase is Phase.VISIT and not k.countdown.isVisible() and k.player.index == 0
    _idle(qtbot, k, CONFIG.idle_seconds - 1)
    assert c.phase is Phase.VISIT  # the idle time counts from "Keep going"
    _idle(qtbot, k, 2)
    assert c.phase is Phase.COUNTDOWN
    QTest.keyClick(k.window, Qt.Key.Key_Space)  # a key says someone is there, too
    assert c.phase is Phase.VISIT


def test_idle_resets_everything_to_the_attract_loop_on_the_original_model(qtbot, kiosk):
    k, e = kiosk, kiosk.window.exhibit
    talk, conv, panel = e.talk, e.talk.conversation, kiosk.window.talk_panel
    original = k.controller.original
    assert len(original) == 64
    _visit(qtbot, k)
    k.player.next()
    qtbot.waitUntil(lambda: isinstance(k.player.waiting, Ask), timeout=30_000)
    talk.set_memory(True)
    assert talk.ask("no, Quentor does the books.")
    wait_idle(qtbot, e)
    talk.teach()
    qtbot.waitUntil(lambda: not talk.busy and bool(conv.model.taught), timeout=60_000)
    assert conv.proof.fingerprint != original and talk.memory.note == "the books: Quentor."
    panel.input.setText("half a question from the last visitor")
    i18n.install(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    k.caption.set_on(False)
    verified = []
    k.controller.verified.connect(verified.append)
    _idle(qtbot, k, CONFIG.idle_seconds + 1)
    _idle(qtbot, k, CONFIG.countdown_seconds + 1)
    assert k.controller.phase in (Phase.RESETTING, Phase.ATTRACT)
    qtbot.waitUntil(lambda: k.controller.phase is Phase.ATTRACT, timeout=90_000)
    assert verified == [True] and k.controller.resets_verified == 1
    assert conv.model.kind == "trained" and not conv.model.taught and conv.proof.fingerprint == original
    assert conv.view.used == 0 and conv.proof.changed == 0  # an empty context on the original weights
    assert not talk.memory.on and talk.memory.note == "" and talk.correction == ""
    assert QLocale().name() == "en_GB" and k.caption.on and k.caption.caption.isVisible()
    assert panel.input.text() == "" and panel.chat.toPlainText() == ""
    panel.input.undo()
    assert panel.input.text() == ""  # not even an undo brings the last visitor's words back
    assert k.player.index == 0 and e.training.live.counters.step == 0  # the attract loop, from random weights


def test_no_dialog_no_menu_and_no_way_to_quit_for_a_visitor_through_the_whole_story(qtbot, kiosk, monkeypatch):
    k, w = kiosk, kiosk.window
    reached = []
    for cls, names in ((QFileDialog, ("exec", "open", "getOpenFileName", "getSaveFileName", "getExistingDirectory")),
                       (QMessageBox, ("exec", "open", "information", "warning", "critical", "question")),
                       (QApplication, ("quit", "exit", "closeAllWindows"))):
        for name in names:
            monkeypatch.setattr(cls, name, lambda *a, _n=f"{cls.__name__}.{name}", **kw: reached.append(_n))
    _visit(qtbot, k)

    def try_everything():
        for key, mods in ((Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier),  # open, the exports
                          (Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
                          (Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
                          (Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
                          (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
                          (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)):
            QTest.keyClick(w.talk_panel.input if w.talk_panel.input.isVisible() else w, key, mods)
        for target in (w.talk_panel.input, w.talk_panel.chat.viewport(), w.heatmap.view.viewport(), k.touch_bar.next,
                       w.talk_panel.note):
            if target.isVisible():
                QTest.mouseClick(target, Qt.MouseButton.RightButton, pos=QPoint(5, 5))
        assert QApplication.activePopupWidget() is None  # no menu opened
        assert not w.close() and w.isVisible() and w.isFullScreen() is w.isFullScreen()

    try_everything()
    steps = []
    while k.player.index < len(k.player.steps) - 1:
        k.player.next()
        qtbot.waitUntil(lambda: k.player.step_played or k.player.waiting is not None, timeout=60_000)
        steps.append(k.player.index)
        try_everything()
    assert steps == list(range(1, len(k.player.steps)))
    k.player.next()  # past the last step: start over
    qtbot.waitUntil(lambda: k.controller.phase is Phase.ATTRACT, timeout=90_000)
    try_everything()
    assert reached == [] and w.isVisible()
    assert not w.actions_by_name["save"].isEnabled() and not w.actions_by_name["quit"].isEnabled()
    assert not (k.window.exhibit.settings.save_dir and any(__import__("pathlib").Path(
        k.window.exhibit.settings.save_dir).glob("*")))


def test_the_operator_leaves_only_with_the_pin(qtbot, kiosk):
    k, w = kiosk, kiosk.window
    chord = k.operator_action.shortcut()
    assert chord.toString() == OPERATOR_KEYS
    k.operator_action.trigger()  # what the chord does (QTest cannot press four keys at once)
    assert k.pin.isVisible() and "Enter the PIN" in k.pin.text.text()
    QTest.keyClicks(k.pin.pin, "1357")
    QTest.keyClick(k.pin.pin, Qt.Key.Key_Return)
    assert k.left == [] and k.pin.text.text() == "Wrong PIN." and k.pin.pin.text() == ""
    for d in "2468":
        tap(next(b for b in k.pin.digits if b.text() == d))
    tap(k.pin.leave)
    assert k.left == [True]
    for _ in range(3):
        k.operator.attempt("0000")
    assert "wait a minute" in k.pin.text.text()
    k.operator.attempt("2468")
    assert k.left == [True]  # three wrong tries: even the right PIN waits
    k.test_clock.advance(LOCKED_S + 1)
    k.operator.attempt("2468")
    assert k.left == [True, True]
    tap(k.pin.cancel)
    assert not k.pin.isVisible() and w.isVisible()
    k.operator_action.trigger()
    QTest.keyClicks(k.pin.pin, "24")
    _idle(qtbot, k, CONFIG.idle_seconds + 1)
    _idle(qtbot, k, CONFIG.countdown_seconds + 1)
    qtbot.waitUntil(lambda: k.controller.phase is Phase.ATTRACT, timeout=90_000)
    assert not k.pin.isVisible() and k.pin.pin.text() == ""  # left open: gone with the reset


def test_a_visit_by_touch_alone_walks_the_whole_story(qtbot, kiosk):
    k, e, bar = kiosk, kiosk.window.exhibit, kiosk.touch_bar
    conv, said = e.talk.conversation, []
    conv.started.connect(lambda s: said.append(s.read))
    original = k.controller.original

    def touch_until(widget, condition, timeout=60_000):
        tap(widget)
        qtbot.waitUntil(condition, timeout=timeout)

    waits = lambda kind: lambda: isinstance(k.player.waiting, kind)  # noqa: E731
    played = lambda i: lambda: k.player.index == i and k.player.step_played  # noqa: E731
    touch_until(k.window.heatmap, lambda: k.controller.phase is Phase.VISIT and e.mode is Mode.TRAIN)
    touch_until(bar.next, waits(Ask))
    touch_until(bar.move_button, played(1))
    touch_until(bar.next, played(2))
    touch_until(bar.next, waits(Correct))
    assert [b.text() for b in bar.names if b.isVisible()] == ["Mara", "Kezra", "Zofia"] and bar.own.isVisible()
    touch_until(bar.own, lambda: k.pad.isVisible())
    for letter in "NOOR":
        tap(k.pad.keys[letter])
    assert k.window.talk_panel.input.text() == "No, Noor"  # spelled into the real conversation
    touch_until(k.pad.done, played(3))
    touch_until(bar.next, waits(Ask))
    touch_until(bar.move_button, played(4))
    touch_until(bar.next, waits(NextMorning))
    touch_until(bar.move_button, waits(Ask))
    touch_until(bar.move_button, played(5))
    touch_until(bar.next, waits(Correct))
    touch_until(next(b for b in bar.names if b.text() == "Noor"), waits(NextMorning))
    touch_until(bar.move_button, waits(Ask))
    touch_until(bar.move_button, played(6))
    touch_until(bar.next, waits(Teach))
    touch_until(bar.move_button, waits(Ask))
    touch_until(bar.move_button, played(7))
    touch_until(bar.next, played(8))
    assert said == ["who does the books?", "No, Noor does the books.", "who does the books?", "who does the books?",
                    "No, Noor does the books.", "who does the books?", "who does the books?"]
    assert conv.model.taught == ("Noor does the books.",) and e.panel is Panel.COST
    assert bar.next.text() == "Start over"
    touch_until(bar.next, lambda: k.controller.phase is Phase.ATTRACT)
    qtbot.waitUntil(lambda: e.mode is Mode.TRAIN, timeout=30_000)
    assert conv.proof.fingerprint == original and k.controller.resets_verified == 1


def _walk(qtbot, k, check):
    """Every kind of screen a visit shows, `check(where)` at each: the attract loop, Train, a question
    answered, the names, the letter pad, the cost, the operator's PIN, "Still there?"."""
    w = k.window
    check("attract, training")
    _visit(qtbot, k)
    check("visit, training")
    k.player.next()
    qtbot.waitUntil(lambda: isinstance(k.player.waiting, Ask), timeout=30_000)
    check("visit, talking")
    k.player.next()  # a second Next while the question is still being answered would be one press, not two
    qtbot.waitUntil(lambda: k.player.index == 2 and k.player.step_played, timeout=30_000)
    check("answered")
    k.player.next()
    qtbot.waitUntil(lambda: isinstance(k.player.waiting, Correct), timeout=30_000)
    check("names")
    tap(k.touch_bar.own)
    check("letter pad")
    tap(k.pad.cancel)
    w.exhibit.show_panel(Panel.COST)
    check("cost")
    w.exhibit.show_panel(Panel.CHAT)
    k.operator_action.trigger()
    check("operator's PIN")
    tap(k.pin.cancel)
    _idle(qtbot, k, CONFIG.idle_seconds + 1)
    check("still there?")


def _touchable(k, where):
    """Every touch target at least 9 mm, and no button narrower than its words."""
    w = k.window
    QApplication.processEvents()
    widget, side = touch.smallest(w)
    assert touch.targets(w) and side >= touch.pixels(k.dpi, touch.MIN_TOUCH_MM), \
        f"{where}: {widget.objectName() or widget} is {side} px"
    squeezed = [b.text() for b in w.findChildren(QAbstractButton)
                if b.isVisible() and b.fontMetrics().horizontalAdvance(b.text()) > b.width() - 8]  # 2 px borders
    assert not squeezed, f"{where}: narrower than their words: {squeezed}"


def test_every_touch_target_is_at_least_9_mm_on_this_screen(qtbot, kiosk):
    assert kiosk.dpi == pytest.approx(800 * 2 ** 0.5 / 15.6)  # the offscreen screen, said to be 15.6 inches
    _walk(qtbot, kiosk, lambda where: _touchable(kiosk, where))


LINES_SHOWN = 4  # of the conversation and of the context, at least, in the space they are given
# What shows words: labels, buttons, the input lines, the chat and the context, the context's gauge.
TEXTS = (QLabel, QAbstractButton, QLineEdit, QTextEdit, QProgressBar)


def _too_small(k, panels: float) -> list[str]:
    """Each text on screen now whose x-height subtends less, at two metres, than READABLE_ARCMIN (the
    bars', the pad's, the overlays' few words) or than `panels` (everything else)."""
    w, mm_per_px = k.window, touch.millimetres(k.dpi, 1.0)
    bars = (k.caption, k.touch_bar, k.pad, k.countdown, k.pin)
    texts = [x for x in w.findChildren(QWidget) if isinstance(x, TEXTS) and x.isVisible()
             and not (isinstance(x, (QLabel, QAbstractButton)) and not x.text())]
    fonts = [(x.objectName() or type(x).__name__, x.font(), readable.READABLE_ARCMIN if any(
        bar.isAncestorOf(x) for bar in bars) else panels) for x in texts]
    if w.heatmap.isVisible():  # the rows' and the colour bar's words
        fonts += [("heatmap's rows", w.heatmap.plot.getAxis("left").style["tickFont"], panels),
                  ("colour bar", w.heatmap.bar.axis.style["tickFont"], panels)]
    cost = w.cost_panel
    if cost.isVisible():  # the chart's words: its axes' titles, the crossing's note, its legend
        fonts += [(f"cost's {side} axis", cost.plot.getAxis(side).label.font(), panels) for side in ("left", "bottom")]
        fonts.append(("crossing", cost.crossing_text.textItem.font(), panels))
        for _, label in cost.legend.items:
            font = QFont()
            font.setPointSizeF(float(label.opts["size"].removesuffix("pt")))  # drawn as HTML at this size
            fonts.append(("legend", font, panels))
    return [f"{name} {readable.kiosk_arcmin(font, mm_per_px):.2f}′" for name, font, least in fonts
            if readable.kiosk_arcmin(font, mm_per_px) < least]


@pytest.mark.parametrize("size, inches, two_metres", [((1920, 1080), 24.0, True), ((1366, 768), 14.0, False)])
def test_every_text_reads_as_far_as_the_screen_allows_and_none_is_cut(qtbot, settings, monkeypatch, size, inches,
                                                                      two_metres):
    """The kiosk's promise on a 24-inch 1920×1080 monitor: lower case of 7 minutes of arc at 2 m for the
    caption, the conversation, the context, the bars, the pad, the overlays, the status line, the
    weights' labels and the cost chart's alike. A 14-inch laptop's 768 px hold less: the panels' text as large as fits, the
    bars' words still two metres' worth. Either way every label whole, the input line and the heatmap
    on screen."""
    from .test_fit import inside, squeezed

    screen = QSize(*size)  # what the screen says of itself (the offscreen one is 800×800)
    monkeypatch.setattr(QScreen, "size", lambda self: screen)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(QPoint(0, 0), screen))
    k = _kiosk(qtbot, settings, dataclasses.replace(CONFIG, screen_inches=inches), size=size)
    w = k.window
    panels = readable.READABLE_ARCMIN

    def check(where):
        _touchable(k, where)
        assert _too_small(k, panels) == [], where
        assert squeezed(w, w) == [], where
        assert inside(w, w.message), where
        if w.talk_panel.isVisible():  # the input line whole; the conversation and the context a few lines each
            t = w.talk_panel
            for x in (t.chat, t.context.tokens):
                assert w.rect().contains(QRect(x.mapTo(w, QPoint(0, 0)), x.size())), where
                assert x.viewport().height() >= LINES_SHOWN * x.fontMetrics().lineSpacing(), where
            assert inside(w, t.input), where
        if not k.pad.isVisible():  # the pad takes the heatmap's place; elsewhere it stays, and large
            assert inside(w, w.heatmap) and w.heatmap.view.height() >= w.height() // 5, where

    try:
        if not two_metres:  # what the panels' font reaches on this screen, less
            font = QFont()
            font.setPixelSize(touch.panel_px(k.dpi, size[1]))
            panels = readable.kiosk_arcmin(font, touch.millimetres(k.dpi, 1.0))
            assert panels < readable.READABLE_ARCMIN
        _walk(qtbot, k, check)
    finally:
        _close(k)


def test_on_a_14_inch_laptop_the_cost_panel_fits_its_width(qtbot, settings):
    """1366×768 at 112 dots per inch: finger-sized spin boxes must not push the cost's text out of sight."""
    from PySide6.QtWidgets import QScrollArea

    screen = QApplication.primaryScreen().size()
    laptop = dataclasses.replace(CONFIG, screen_inches=math.hypot(screen.width(), screen.height()) / 111.9)
    k = _kiosk(qtbot, settings, laptop)
    try:
        assert k.dpi == pytest.approx(111.9)
        _visit(qtbot, k)
        k.player.next()
        qtbot.waitUntil(lambda: isinstance(k.player.waiting, Ask), timeout=30_000)
        k.window.exhibit.show_panel(Panel.COST)
        qtbot.waitUntil(lambda: k.window.cost_panel.isVisible())
        QApplication.processEvents()
        scroll = k.window.cost_panel.findChild(QScrollArea, "CostText")
        needs, has = scroll.widget().minimumSizeHint().width(), scroll.viewport().width()
        assert needs <= has, f"the cost's text needs {needs} px and has {has}: cut off on the right"
    finally:
        _close(k)


def test_a_visitor_who_walks_away_while_it_trains_is_reset_too(qtbot, kiosk):
    k = kiosk
    _visit(qtbot, k)
    assert k.window.exhibit.mode is Mode.TRAIN
    _idle(qtbot, k, CONFIG.idle_seconds + 1)
    _idle(qtbot, k, CONFIG.countdown_seconds + 1)
    qtbot.waitUntil(lambda: k.controller.phase is Phase.ATTRACT, timeout=90_000)
    assert k.controller.resets_verified == 1 and not k.countdown.isVisible()


def test_a_reset_that_goes_unanswered_is_asked_for_again(qtbot, kiosk, monkeypatch, caplog):
    from desktop.control.kiosk import RESET_RETRY_S

    k, e = kiosk, kiosk.window.exhibit
    _visit(qtbot, k)
    real_reset, asked = e.reset, []
    monkeypatch.setattr(e, "reset", lambda: asked.append(True) if len(asked) == 0 else real_reset())  # one lost
    _idle(qtbot, k, CONFIG.idle_seconds + 1)
    _idle(qtbot, k, CONFIG.countdown_seconds + 1)
    qtbot.wait(300)
    assert k.controller.phase is Phase.RESETTING and k.countdown.title.text() == "Starting over…"
    _idle(qtbot, k, RESET_RETRY_S - 1)
    assert asked == [True]
    _idle(qtbot, k, 2)
    qtbot.waitUntil(lambda: k.controller.phase is Phase.ATTRACT, timeout=90_000)
    assert k.controller.resets_verified == 1 and "resetting again" in caplog.text


def test_once_the_window_has_closed_nothing_starts_the_model_again(qtbot, kiosk):
    k, e = kiosk, kiosk.window.exhibit
    _visit(qtbot, k)
    _close(k)
    assert not k.window.isVisible() and e.link.pid is None
    k.player.begin(Walk.ATTRACT)  # what a late tick of the story would do
    e.enter_train()
    e.load_trained()
    qtbot.wait(300)
    assert e.link.pid is None and not [t for t in threading.enumerate() if t.name == "marginalia-model"]
    assert not k.controller._timer.isActive()
