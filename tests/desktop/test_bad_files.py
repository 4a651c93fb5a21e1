"""The window reads a model file with the command line's loader (model.checkpoint.load) and says the
loader's one line on screen: a damaged, hostile or odd file never leaves it dead or waiting, neither
at start nor when it is loaded in Talk."""

import json
import os
from pathlib import Path

import pytest

from desktop.control.state import Mode

from .conftest import wait_idle


def _with_header(src: Path, dst: Path, change) -> Path:
    """A copy of the checkpoint `src` whose Marginalia header is `change(header)`: the weights as they were."""
    data = src.read_bytes()
    n = int.from_bytes(data[:8], "little")
    outer = json.loads(data[8:8 + n])
    header = json.loads(outer["__metadata__"]["marginalia"])
    change(header)
    outer["__metadata__"]["marginalia"] = json.dumps(header)
    raw = json.dumps(outer).encode()
    raw += b" " * (-len(raw) % 8)
    dst.write_bytes(len(raw).to_bytes(8, "little") + raw + data[8 + n:])
    return dst


def _training_oops(h):
    h["training"] = "oops"


def _huge(h):
    h["config"].update(n_layer=64, n_embd=4096)


def _bad_file(kind: str, tiny: Path, tmp: Path) -> tuple[str, str]:
    """(a path, words of the loader's reason for it)."""
    if kind == "fifo":
        os.mkfifo(tmp / "fifo.safetensors")
        return str(tmp / "fifo.safetensors"), "not a regular file"
    if kind == "device":
        return "/dev/zero", "not a regular file"
    if kind == "metadata":
        return str(_with_header(tiny, tmp / "oops.safetensors", _training_oops)), "bad metadata"
    return str(_with_header(tiny, tmp / "huge.safetensors", _huge)), "bad config: n_layer = 64"


KINDS = ["fifo", "device", "metadata", "huge"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_trained_model_at_start_is_said_in_one_line_and_training_still_works(qtbot, settings, tmp_path,
                                                                                   tiny_checkpoint, kind):
    from desktop.control.exhibit import Exhibit

    path, why = _bad_file(kind, tiny_checkpoint, tmp_path)
    settings.checkpoint = path
    e = Exhibit(settings)
    with qtbot.waitSignal(e.ready, timeout=60_000):
        e.start()
    try:
        said = str(e.status)
        assert e.mode is Mode.TRAIN and not e.trained_available
        assert f"{path} is not a model this exhibit can read" in said and why in said and "\n" not in said
        e.run()
        qtbot.waitUntil(lambda: e.training.live.counters.step >= 2, timeout=60_000)
    finally:
        e.shutdown()


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_file_loaded_in_talk_is_said_and_the_conversation_goes_on(qtbot, exhibit, tmp_path, tiny_checkpoint,
                                                                        kind):
    path, why = _bad_file(kind, tiny_checkpoint, tmp_path)
    exhibit.load(str(tiny_checkpoint))
    wait_idle(qtbot, exhibit)
    fingerprint = exhibit.talk.conversation.proof.fingerprint
    exhibit.load(path)
    qtbot.waitUntil(lambda: "Could not load that model" in str(exhibit.status), timeout=30_000)
    assert why in str(exhibit.status) and "\n" not in str(exhibit.status)
    assert exhibit.mode is Mode.TALK and exhibit.talk.conversation.proof.fingerprint == fingerprint
    assert exhibit.talk.ask("who does the books?")
    wait_idle(qtbot, exhibit)
    assert exhibit.talk.conversation.proof.replies == 1
