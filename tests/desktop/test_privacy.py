"""Privacy: nothing a visitor types reaches the disk or a log, in any mode; the lifetime counter counts
replies, never their text. A crash's traceback keeps where it happened and drops what was being read."""

import json
import logging
import sys
import threading
import traceback

import pytest

from desktop.control.lifetime import FILE_NAME
from desktop.i18n import log_problem
from desktop.privacy import WITHHELD, install_excepthooks, scrub_traceback
from desktop.process.protocol import Problem, ProblemKind

from .conftest import wait_idle

SECRET = "Zebracorn lives at 12 Quiet Lane"  # what a visitor might type: it must appear nowhere


def _read_it(text: str) -> None:
    try:
        int(text)
    except ValueError as e:
        raise RuntimeError(f"could not read {text!r}\nsecond line: {text}") from e


def _traceback() -> str:
    try:
        _read_it(SECRET)
    except RuntimeError:
        return traceback.format_exc()
    raise AssertionError("no exception")


def test_a_traceback_keeps_its_frames_and_loses_every_message():
    raw = _traceback()
    assert SECRET in raw  # what the terminal would have shown
    scrubbed = scrub_traceback(raw)
    assert "Zebracorn" not in scrubbed and "Quiet Lane" not in scrubbed
    assert "_read_it" in scrubbed and "test_privacy.py" in scrubbed and "int(text)" in scrubbed  # where
    assert f"ValueError {WITHHELD}" in scrubbed and f"RuntimeError {WITHHELD}" in scrubbed  # what kind
    assert "The above exception was the direct cause" in scrubbed


@pytest.mark.parametrize("kind", [ProblemKind.NOT_A_CORRECTION, ProblemKind.CRASH])
def test_a_problem_is_logged_without_the_visitors_words(caplog, kind):
    detail = _traceback() if kind is ProblemKind.CRASH else f"no job named in {SECRET!r}"
    with caplog.at_level(logging.WARNING, logger="marginalia"):
        log_problem(Problem(kind, SECRET, detail))
    assert caplog.records and kind.value in caplog.text
    assert "Zebracorn" not in caplog.text


def test_in_kiosk_mode_an_uncaught_exception_is_printed_without_its_message(capsys):
    saved = sys.excepthook, threading.excepthook
    try:
        install_excepthooks()
        thread = threading.Thread(target=_read_it, args=(SECRET,))
        thread.start()
        thread.join()
    finally:
        sys.excepthook, threading.excepthook = saved
    err = capsys.readouterr().err
    assert "_read_it" in err and f"RuntimeError {WITHHELD}" in err
    assert "Zebracorn" not in err


def test_a_conversation_leaves_its_count_on_disk_and_never_its_words(qtbot, window, tmp_path, caplog):
    exhibit = window.exhibit
    talk = exhibit.talk
    qtbot.waitUntil(lambda: talk.conversation.is_open, timeout=30_000)
    with caplog.at_level(logging.DEBUG):
        assert talk.ask(f"who does the books? {SECRET}")
        wait_idle(qtbot, exhibit)
        talk.set_memory(True)
        assert talk.ask("no, Zebracorn does the books.")
        wait_idle(qtbot, exhibit)
        assert talk.memory.note == "the books: Zebracorn."  # the words are in memory, on screen only
        exhibit.cost.close()  # what the counter's thread had pending is written
    counter = json.loads((tmp_path / "data" / FILE_NAME).read_text(encoding="utf-8"))
    assert counter["replies"] == 2 and set(counter) == {"format", "installed", "replies", "flops", "cpu_seconds",
                                                        "last_flops", "last_cpu_seconds"}
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert b"Zebracorn" not in path.read_bytes() and b"zebracorn" not in path.read_bytes(), path
    assert "ebracorn" not in caplog.text
