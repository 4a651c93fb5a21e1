"""The lifetime counter: replies since installation, kept across restarts and half-finished writes."""

import json
import os

import pytest

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
    (tmp_path / f".{FILE_NAME}.x1y2.tmp").write_text('{"format": "marginalia-lif')  # a cut left one behind
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


@pytest.mark.parametrize("text", ['{"format": "marginalia-lifetime", "installed": "x", "replies": -1, "flops": 0, '
                                  '"cpu_seconds": 0}', '[1, 2]', '{"format": "other"}', "\x00\xff"])
def test_nonsense_in_the_file_is_refused(tmp_path, text):
    (tmp_path / FILE_NAME).write_text(text, encoding="latin-1")
    life, problem = load(tmp_path)
    assert life.replies == 0 and problem


def test_a_folder_that_cannot_be_written_is_said_and_counting_goes_on(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    k = Keeper(blocked / "data")
    k.add_reply(1.0, 0.0)
    k.close()
    assert k.life.replies == 1 and k.error
