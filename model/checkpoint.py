"""Checkpoints: the weights as safetensors, with the rest as JSON in the same file's metadata.

One file holds everything a model needs to be used again: config, alphabet, the world it was trained
on and the figures of its training. Loading reads the file once, checks the format, the vocabulary,
every key, shape, dtype and value before building anything, and either returns a whole model or raises
`CheckpointError` naming the file: it never half-loads. Saving is atomic (a temporary file in the same
folder, fsync, `os.replace`), so a kiosk switched off at the wall keeps the old file or the new one.
Nothing here unpickles: a user's file is data, never code.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from .atomic import atomic_write
from .gpt import GPT, GPTConfig
from .tokenizer import Tokenizer

FORMAT = "marginalia-checkpoint"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024  # far above any model of this exhibit; a bigger file is not ours


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used; the message names the file and says why."""


@dataclass
class Checkpoint:
    model: GPT
    tokenizer: Tokenizer
    meta: dict = field(default_factory=dict)  # "world", "training" and anything else worth keeping

    @property
    def mix(self) -> str:
        """The corpus the model was trained on (files from before the visitor mix: the story's)."""
        return ((self.meta.get("training") or {}).get("train_config") or {}).get("mix", "story")


def save(path: str | os.PathLike, ckpt: Checkpoint) -> None:
    tensors = {k: v.detach().cpu().contiguous().clone() for k, v in ckpt.model.state_dict().items()}
    header = dict(ckpt.meta, format=FORMAT, version=VERSION, config=ckpt.model.config.to_dict(),
                  alphabet=ckpt.tokenizer.alphabet)
    atomic_write(path, st_save(tensors, metadata={"marginalia": json.dumps(header)}))


def load(path: str | os.PathLike) -> Checkpoint:
    path = Path(path)

    def fail(why: str) -> CheckpointError:
        return CheckpointError(f"{path}: {why}")

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise fail(f"{size} bytes is too large for a Marginalia checkpoint (at most {MAX_BYTES})")
        data = path.read_bytes()
    except OSError as e:
        raise fail(f"cannot read it ({e.strerror or e})") from None
    header = _read_header(data, fail)
    try:
        tensors = st_load(data)
    except Exception as e:  # safetensors raises its own error types for damaged files
        raise fail(f"not a readable safetensors file ({e})") from None
    try:
        cfg = GPTConfig(**header["config"])
        tok = Tokenizer(header["alphabet"])
    except (TypeError, ValueError, KeyError) as e:
        raise fail(f"bad config or alphabet ({e})") from None
    if cfg.vocab_size != tok.vocab_size:
        raise fail(f"vocabulary of {cfg.vocab_size} tokens does not match its alphabet ({tok.vocab_size})")
    if min(cfg.n_layer, cfg.n_head, cfg.n_embd, cfg.block_size) < 1 or cfg.n_embd % cfg.n_head or \
            (cfg.n_embd // cfg.n_head) % 2 or cfg.n_embd > 4096 or cfg.n_layer > 64 or cfg.block_size > 65536:
        raise fail(f"implausible model shape {cfg}")
    model = GPT(cfg)
    expected = model.state_dict()
    missing, extra = set(expected) - set(tensors), set(tensors) - set(expected)
    if missing or extra:
        raise fail(f"weights do not match the model: missing {sorted(missing)[:3]}, unexpected {sorted(extra)[:3]}")
    for k, want in expected.items():
        got = tensors[k]
        if got.shape != want.shape or got.dtype != want.dtype:
            raise fail(f"{k} is {got.dtype} {tuple(got.shape)}, expected {want.dtype} {tuple(want.shape)}")
        if not torch.isfinite(got).all():
            raise fail(f"{k} holds NaN or infinite values")
    model.load_state_dict(tensors, strict=True)
    meta = {k: v for k, v in header.items() if k not in ("format", "version", "config", "alphabet")}
    return Checkpoint(model, tok, meta)


def _read_header(data: bytes, fail) -> dict:
    if len(data) < 8:
        raise fail("file is empty or truncated")
    n = int.from_bytes(data[:8], "little")
    if n <= 0 or 8 + n > len(data):
        raise fail("file is truncated or not a safetensors file")
    try:
        meta = json.loads(data[8: 8 + n]).get("__metadata__") or {}
        header = json.loads(meta["marginalia"])
    except (ValueError, KeyError, AttributeError, TypeError):
        raise fail("not a Marginalia checkpoint (no Marginalia metadata)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise fail("not a Marginalia checkpoint")
    if header.get("version") != VERSION:
        raise fail(f"checkpoint version {header.get('version')} is not supported (this program reads {VERSION})")
    return header
