"""The lifetime counter: replies since installation, kept across restarts and half-finished writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from desktop.control.lifetime import FILE_NAME, Keeper, load, save


def test_the_count_survives_a_restart(tmp_path):
    k = Keeper(tmp_path)
    for _ in range(3):
        k.add_reply(1e6, 0.01)
    k.close()
    again = Keeper(tmp_path)
    assert (again.life.replies, again.life.flops) == (3, 3e6) and again.life.installed == k.life.installed
    assert again.problem is None
    again.close()


def test_a_write_interrupted_half_way_leaves_the_last_whole_count(tmp_path, monkeypatch):
    life, _ = load(tmp_path)
    life.add_reply(5.0, 0.1)
    save(tmp_path, life)
    life.add_reply(5.0, 0.1)

    def power_cut(src, dst):  # the new file is written, the switch-over never happens
        raise OSError("the power went")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError):
        save(tmp_path, life)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no half-written file left beside it
    assert load(tmp_path)[0].replies == 1
    (tmp_path / f".{Path(FILE_NAME).stem}.x1y2.part{Path(FILE_NAME).suffix}").write_text('{"format": "marginalia-lif')  # a cut left one behind
    assert load(tmp_path)[0].replies == 1


def test_a_damaged_file_is_set_aside_never_overwritten_and_counting_goes_on(tmp_path):
    (tmp_path / FILE_NAME).write_text('{"format": "marginalia-lifetime", "replies": 4')  # cut off mid-write
    k = Keeper(tmp_path)
    assert k.life.replies == 0 and k.problem.path == str(tmp_path / FILE_NAME)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(FILE_NAME + ".unreadable-")]
    assert len(aside) == 1 and aside[0].read_text().endswith('"replies": 4') and k.problem.aside == aside[0].name
    k.add_reply(2.0, 0.0)
    k.close()
    assert json.loads((tmp_path / FILE_NAME).read_text())["replies"] == 1


def _counter(**fields) -> str:
    return json.dumps(dict({"format": "marginalia-lifetime", "installed": "2026-01-01T00:00:00Z", "replies": 4,
                            "flops": 1e6, "cpu_seconds": 0.5}, **fields))


@pytest.mark.parametrize("text", [_counter(replies=-1), _counter(replies=1e300), _counter(replies=10**15),
                                  _counter(replies=True), _counter(flops=float("nan")), _counter(cpu_seconds=1e300),
                                  _counter(installed=5), _counter(last_flops="x"), '[1, 2]', '{"format": "other"}',
                                  "\x00\xff", "[" * 100_000])
def test_nonsense_in_the_file_is_set_aside_and_counting_starts_again(tmp_path, text):
    """`replies: 1e300` once broke the cost chart with tracebacks at every reply."""
    (tmp_path / FILE_NAME).write_text(text, encoding="latin-1")
    life, problem = load(tmp_path)
    assert life.replies == 0 and life.flops == 0 and problem
    assert not (tmp_path / FILE_NAME).exists() and (tmp_path / problem.aside).read_text(encoding="latin-1") == text


def test_a_sound_file_with_large_honest_counts_is_read(tmp_path):
    (tmp_path / FILE_NAME).write_text(_counter(replies=123_456_789, flops=3.2e17, cpu_seconds=9.9e5))
    life, problem = load(tmp_path)
    assert problem is None and (life.replies, life.flops) == (123_456_789, 3.2e17)


def test_a_fifo_in_place_of_the_file_never_blocks_and_is_set_aside(tmp_path):
    """A FIFO there once stopped the window from opening: reading it waits for a writer that never comes."""
    os.mkfifo(tmp_path / FILE_NAME)
    k = Keeper(tmp_path)
    assert k.life.replies == 0 and k.problem and "regular" in k.problem.why
    k.add_reply(1.0, 0.0)
    k.close()
    assert json.loads((tmp_path / FILE_NAME).read_text())["replies"] == 1


def test_two_windows_on_one_folder_count_every_reply(tmp_path):
    """Each window once wrote its own count over the other's: 10 replies each, and the file said 10."""
    first, second = Keeper(tmp_path), Keeper(tmp_path)
    for _ in range(10):
        first.add_reply(2.0, 0.01)
        second.add_reply(3.0, 0.01)
    first.close()
    second.close()
    data = json.loads((tmp_path / FILE_NAME).read_text())
    assert data["replies"] == 20 and data["flops"] == 50.0
    assert Keeper(tmp_path).life.replies == 20


_COUNT = """
import sys
from pathlib import Path
from desktop.control.lifetime import Lifetime, merge
one = Lifetime("")
one.add_reply(1.0, 0.0)
for _ in range(int(sys.argv[2])):
    merge(sys.argv[1], one)
"""


def test_two_processes_writing_at_once_lose_no_reply(tmp_path):
    """The folder's lock: without it, reading, adding and writing back at the same time lose counts."""
    n = 150
    procs = [subprocess.Popen([sys.executable, "-c", _COUNT, str(tmp_path), str(n)]) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert json.loads((tmp_path / FILE_NAME).read_text())["replies"] == 2 * n


def test_a_folder_that_cannot_be_written_is_said_and_counting_goes_on(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    k = Keeper(blocked / "data")
    k.add_reply(1.0, 0.0)
    k.close()
    assert k.life.replies == 1 and k.error


@pytest.fixture
def cost_and_said():
    """A cost controller on a folder, and every text its status line showed."""
    from desktop.control.cost import CostController
    from desktop.control.status import StatusLine

    made, said = [], []

    def make(folder):
        line = StatusLine()
        line.changed.connect(lambda: said.append(str(line)))
        made.append(CostController(str(folder), line))
        return made[-1]

    yield make, said
    for cost in made:
        cost.close()


def test_a_folder_that_cannot_be_used_is_said_once_and_counting_goes_on(tmp_path, cost_and_said):
    make, said = cost_and_said
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    cost = make(blocked / "data")
    for _ in range(3):
        cost.add_reply(1.0, 0.0)
    notes = [s for s in said if "lifetime counter cannot be kept" in s]
    assert cost.life.replies == 3 and len(notes) == 1 and str(blocked / "data") in notes[0]


def test_a_folder_lost_while_the_exhibit_runs_is_said_once(qtbot, tmp_path, cost_and_said):
    """The write fails in the keeper's thread, after the reply was counted: it was once never said."""
    make, said = cost_and_said
    data = tmp_path / "data"
    cost = make(data)
    cost.add_reply(1.0, 0.0)
    qtbot.waitUntil(lambda: (data / FILE_NAME).exists(), timeout=10_000)
    (data / FILE_NAME).unlink()
    data.rmdir()
    data.write_text("")  # a file where the folder was
    for _ in range(3):
        cost.add_reply(1.0, 0.0)
        qtbot.waitUntil(lambda: any("lifetime counter cannot be kept" in s for s in said), timeout=10_000)
    cost.close()  # its thread tries a last time and ends: every word it had is queued for this thread
    QCoreApplication.processEvents()
    assert len([s for s in said if "lifetime counter cannot be kept" in s]) == 1 and cost.life.replies == 4
