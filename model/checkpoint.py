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

from .atomic import Refused, atomic_write, read_regular
from .config import LIMITS
from .corpus import MIXES
from .gpt import GPT, GPTConfig
from .tokenizer import Tokenizer

FORMAT = "marginalia-checkpoint"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024  # far above any model of this exhibit; a bigger file is not ours
# Config fields newer than the first checkpoints, with what a file written before them meant (no QK-norm).
ADDED_FIELDS = {"qk_norm": 0}


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


# What a Marginalia model may be: checked on the header's numbers before anything is allocated, so a
# damaged or hostile file costs a few kilobytes of reading, never gigabytes of building.
HEADER_BYTES = 1024 * 1024  # the JSON header of any model of ours is a few kilobytes
# Metadata fields the exhibit reads, and the type each must have when present.
META_TYPES = {"world": dict, "training": dict, "taught": list}
TRAINING_TYPES = {"seed": int, "train_config": dict, "threads": int, "steps": int, "seconds": (int, float),
                  "cpu_seconds": (int, float), "chars": int, "flops": (int, float), "weights": int,
                  "figures_valid": dict, "figures_valid_held": dict, "milestones": dict, "milestone_steps": dict,
                  "saved_at": str}


def load(path: str | os.PathLike) -> Checkpoint:
    """The checkpoint at `path`, every part checked; raises CheckpointError naming the file and why."""
    path = Path(path)

    def fail(why: str) -> CheckpointError:
        return CheckpointError(f"{path}: {why}")

    data = _read(path, fail)
    header = _read_header(data, fail)
    cfg, tok = _config(header, fail)
    if 4 * parameter_count(cfg) > len(data):
        raise fail(f"holds {len(data)} bytes, too few for the model its header describes ({cfg})")
    try:
        tensors = st_load(data)
    except Exception as e:  # safetensors raises its own error types for damaged files
        raise fail(f"not a readable safetensors file ({e})") from None
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
    _check_meta(meta, fail)
    return Checkpoint(model, tok, meta)


def parameter_count(cfg: GPTConfig) -> int:
    """Weights of a `GPT` of `cfg`, from its shapes alone (nothing built)."""
    C, V = cfg.n_embd, cfg.vocab_size
    block = 4 * C + C * cfg.canon_kernel + 3 * C * C + cfg.n_head + C * C + 8 * C * C
    return 2 * V * C + cfg.n_layer * block + 2 * C


def _read(path: Path, fail) -> bytes:
    try:
        return read_regular(path, MAX_BYTES)
    except Refused as e:
        raise fail(f"{e} for a Marginalia checkpoint" if "too large" in str(e) else str(e)) from None


def _config(header: dict, fail) -> tuple[GPTConfig, Tokenizer]:
    raw, alphabet = header.get("config"), header.get("alphabet")
    fields = GPTConfig().to_dict()
    if isinstance(raw, dict):  # a file written before a field was added: the value it meant
        raw = ADDED_FIELDS | raw
    if not isinstance(raw, dict) or set(raw) != set(fields):
        raise fail("bad config (not the fields of a Marginalia model)")
    for k, (lo, hi) in LIMITS.items():
        v = raw[k]
        if type(v) is not int or not lo <= v <= hi:
            raise fail(f"bad config: {k} = {v!r} is not a whole number from {lo} to {hi}")
    cfg = GPTConfig(**raw)
    if cfg.n_embd % cfg.n_head or (cfg.n_embd // cfg.n_head) % 2:
        raise fail(f"implausible model shape: width {cfg.n_embd} does not split into {cfg.n_head} even heads")
    if not isinstance(alphabet, str) or not 1 <= len(alphabet) <= LIMITS["vocab_size"][1]:
        raise fail("bad alphabet")
    try:
        tok = Tokenizer(alphabet)
    except ValueError as e:
        raise fail(f"bad alphabet ({e})") from None
    if cfg.vocab_size != tok.vocab_size:
        raise fail(f"vocabulary of {cfg.vocab_size} tokens does not match its alphabet ({tok.vocab_size})")
    return cfg, tok


def _check_meta(meta: dict, fail) -> None:
    """Each field the exhibit reads has the type it reads it as: a damaged file is refused here, once,
    not met later as an error in the middle of a scene."""
    for k, want in META_TYPES.items():
        if k in meta and not isinstance(meta[k], want):
            raise fail(f"bad metadata: {k!r} is not a {want.__name__}")
    world = meta.get("world", {})
    trained = world.get("trained", {})
    if not isinstance(trained, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in trained.items()):
        raise fail("bad metadata: the world's jobs are not names by job")
    for k, want in TRAINING_TYPES.items():
        v = meta.get("training", {}).get(k)
        if v is not None and (not isinstance(v, want) or isinstance(v, bool)):
            raise fail(f"bad metadata: training {k!r} is {v!r}")
    if not all(isinstance(t, dict) for t in meta.get("taught", [])):
        raise fail("bad metadata: 'taught' is not a list of records")
    mix = (meta.get("training", {}).get("train_config") or {}).get("mix", "story")
    if mix not in MIXES:  # teaching replays this corpus
        raise fail(f"bad metadata: training mix {mix!r} is not one of {', '.join(MIXES)}")


def _read_header(data: bytes, fail) -> dict:
    if len(data) < 8:
        raise fail("file is empty or truncated")
    n = int.from_bytes(data[:8], "little")
    if n <= 0 or n > HEADER_BYTES or 8 + n > len(data):
        raise fail("file is truncated or not a safetensors file")
    try:
        meta = json.loads(data[8: 8 + n]).get("__metadata__") or {}
        header = json.loads(meta["marginalia"])
    except (ValueError, KeyError, AttributeError, TypeError, RecursionError):
        raise fail("not a Marginalia checkpoint (no Marginalia metadata)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise fail("not a Marginalia checkpoint")
    if header.get("version") != VERSION:
        raise fail(f"checkpoint version {header.get('version')!r} is not supported (this program reads {VERSION})")
    return header
