"""Checkpoints round-trip exactly, and a bad file is refused whole with a message naming it."""

import json
import struct

import pytest
import torch
from safetensors.torch import save_file

from model import checkpoint
from model.checkpoint import Checkpoint, CheckpointError
from model.engine import weights_fingerprint


def test_round_trip_keeps_every_bit_and_the_metadata(tmp_path, tiny, tok):
    path = tmp_path / "m.safetensors"
    checkpoint.save(path, Checkpoint(tiny, tok, {"training": {"steps": 7}}))
    back = checkpoint.load(path)
    assert weights_fingerprint(back.model) == weights_fingerprint(tiny)
    assert back.model.config == tiny.config
    assert back.tokenizer.alphabet == tok.alphabet
    assert back.meta["training"] == {"steps": 7}
    assert not list(tmp_path.glob("*.tmp")), "the temporary file of the atomic save was left behind"


def _saved(tmp_path, tiny, tok):
    path = tmp_path / "m.safetensors"
    checkpoint.save(path, Checkpoint(tiny, tok))
    return path


def _header_and_body(path):
    data = path.read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    return json.loads(data[8:8 + n]), data[8 + n:]


def _write(path, header, body):
    h = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(h)) + h + body)


@pytest.mark.parametrize("damage", ["empty", "truncated", "flipped", "text", "foreign", "oversized"])
def test_bad_files_are_refused_with_the_file_named(tmp_path, tiny, tok, damage):
    path = _saved(tmp_path, tiny, tok)
    data = path.read_bytes()
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        path.write_bytes(data[:8] + b"\xff" * 16 + data[24:])
    elif damage == "text":
        path.write_text("hello, I am not a model")
    elif damage == "foreign":
        save_file({"weight": torch.zeros(3, 3)}, str(path))
    elif damage == "oversized":
        with open(path, "ab") as f:
            f.truncate(checkpoint.MAX_BYTES + 1)
    with pytest.raises(CheckpointError, match=str(path.name)):
        checkpoint.load(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CheckpointError, match="cannot read"):
        checkpoint.load(tmp_path / "nowhere.safetensors")


@pytest.mark.parametrize("change", ["shape", "dtype", "vocab", "nan", "missing"])
def test_weights_that_do_not_fit_the_config_are_refused(tmp_path, tiny, tok, change):
    path = _saved(tmp_path, tiny, tok)
    header, body = _header_and_body(path)
    tensors = {k: v.clone() for k, v in tiny.state_dict().items()}
    meta = json.loads(header["__metadata__"]["marginalia"])
    if change == "shape":
        tensors["lm_head.weight"] = torch.zeros(3, 3)
    elif change == "dtype":
        tensors["lm_head.weight"] = tensors["lm_head.weight"].double()
    elif change == "vocab":
        meta["alphabet"] = meta["alphabet"][:-1]
    elif change == "nan":
        tensors["wte.weight"][0, 0] = float("nan")
    elif change == "missing":
        del tensors["ln_f.weight"]
    save_file(tensors, str(path), metadata={"marginalia": json.dumps(meta)})
    with pytest.raises(CheckpointError, match=path.name):
        checkpoint.load(path)


def test_a_failed_save_leaves_the_old_file_whole(tmp_path, tiny, tok, monkeypatch):
    path = _saved(tmp_path, tiny, tok)
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError("disk pulled out")

    monkeypatch.setattr(checkpoint.os, "replace", boom)
    with pytest.raises(OSError):
        checkpoint.save(path, Checkpoint(tiny, tok, {"other": 1}))
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))
