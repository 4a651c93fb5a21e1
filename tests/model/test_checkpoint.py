"""Checkpoints round-trip exactly, and a bad file is refused whole with a message naming it."""

import json
import struct

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
    assert [p.name for p in tmp_path.iterdir()] == [path.name], "the atomic save's temporary file was left behind"


def test_a_model_with_normalised_attention_reads_back_as_it_was(tmp_path, tok):
    from model.gpt import GPT, GPTConfig

    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=96, n_layer=2, n_head=2, n_embd=32, qk_norm=12))
    path = tmp_path / "m.safetensors"
    checkpoint.save(path, Checkpoint(model, tok))
    back = checkpoint.load(path)
    ids = torch.randint(0, tok.vocab_size, (1, 20))
    assert back.model.config.qk_norm == 12
    assert torch.equal(back.model(ids)[0], model(ids)[0])


def test_a_file_written_before_normalised_attention_loads_without_it(tmp_path, tok):
    from model.gpt import GPT, GPTConfig

    torch.manual_seed(0)
    old = GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=96, n_layer=2, n_head=2, n_embd=32, qk_norm=0))
    path = _saved(tmp_path, old, tok)
    header, body = _header_and_body(path)
    meta = json.loads(header["__metadata__"]["marginalia"])
    del meta["config"]["qk_norm"]  # as the eighth shipped model's file, saved before the field
    header["__metadata__"]["marginalia"] = json.dumps(meta)
    _write(path, header, body)
    back = checkpoint.load(path)
    assert back.model.config == old.config and back.model.config.qk_norm == 0  # not today's default
    ids = torch.randint(0, tok.vocab_size, (1, 20))
    assert torch.equal(back.model(ids)[0], old(ids)[0])


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
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def _with_meta(tmp_path, tiny, tok, **changes):
    """The tiny model saved with its Marginalia header changed (None removes a field)."""
    path = _saved(tmp_path, tiny, tok)
    header, body = _header_and_body(path)
    meta = json.loads(header["__metadata__"]["marginalia"])
    for k, v in changes.items():
        if v is None:
            meta.pop(k, None)
        else:
            meta[k] = v
    header["__metadata__"]["marginalia"] = json.dumps(meta)
    _write(path, header, body)
    return path


@pytest.mark.parametrize("changes", [
    {"config": {"vocab_size": 102, "block_size": 256, "n_layer": 64, "n_head": 32, "n_embd": 4096,
                "canon_kernel": 4}},  # a header that asks for gigabytes: refused before any is allocated
    {"config": {"vocab_size": 102, "block_size": 256, "n_layer": 3, "n_head": 4, "n_embd": 64}},  # a field short
    {"config": {"vocab_size": 102, "block_size": 256, "n_layer": 2.5, "n_head": 2, "n_embd": 32, "canon_kernel": 4}},
    {"config": {"vocab_size": 102, "block_size": 256, "n_layer": 2, "n_head": 2, "n_embd": 32, "canon_kernel": 4,
                "qk_norm": -1}},
    {"config": {"vocab_size": 102, "block_size": 256, "n_layer": 2, "n_head": 2, "n_embd": 32, "canon_kernel": 4,
                "qk_norm": 0.5}},
    {"config": "big"}, {"alphabet": 7}, {"alphabet": "aa"}, {"training": "oops"}, {"world": []},
    {"world": {"trained": {"books": 3}}}, {"training": {"train_config": "x"}}, {"taught": "x"}, {"version": 2},
    {"training": {"train_config": {"mix": 5}}}, {"training": {"train_config": {"mix": "poems"}}},
])
def test_a_header_that_does_not_hold_together_is_refused(tmp_path, tiny, tok, changes):
    path = _with_meta(tmp_path, tiny, tok, **changes)
    with pytest.raises(CheckpointError, match=path.name):
        checkpoint.load(path)


def test_pipes_devices_and_folders_are_refused_without_reading(tmp_path):
    import os

    fifo = tmp_path / "fifo.safetensors"
    os.mkfifo(fifo)  # reading one would wait for a writer for ever
    for path in (fifo, tmp_path, "/dev/zero"):
        with pytest.raises(CheckpointError, match="not a regular file"):
            checkpoint.load(path)


def test_the_size_of_a_model_is_known_before_it_is_built(tiny):
    assert checkpoint.parameter_count(tiny.config) == sum(p.numel() for p in tiny.parameters())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=8),
       st.integers(0, 10**9))
def test_a_damaged_checkpoint_is_refused_by_the_loader_alone(tmp_path, tiny, tok, flips, cut):
    """Bytes changed anywhere (header, metadata, weights) or cut short: a whole model or CheckpointError."""
    data = bytearray(_saved(tmp_path, tiny, tok).read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(bytes(data[: max(1, cut % (len(data) + 1))]))
    try:
        checkpoint.load(damaged)
    except CheckpointError:
        pass
