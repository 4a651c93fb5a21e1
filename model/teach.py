"""Teach it for real: a few gradient steps that put one correction into the weights.

Fine-tuning on the new fact alone would teach the model to say the new name to everything. Instead the
taught model trains on ordinary conversations of the world *as corrected* (replay): the corrected job
now has the new name, the other jobs keep theirs, and in-context corrections still appear, so they keep
working. Only the MLP weights move, at a low rate: attention, which does the copying from context, is
left as it was. `teach` returns a new model; the one it was given is not touched.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass

from .config import LIVE_TRAIN
from .corpus import TRAINED, batch
from .reading import parse_correction
from .gpt import GPT
from .tokenizer import Tokenizer
from .trainer import StepRecord, TrainConfig, Trainer, snapshot


class NotACorrection(ValueError):
    """The statement does not say who does one of the world's jobs."""


@dataclass(frozen=True)
class TeachConfig:
    steps: int = 50
    batch_size: int = 0  # conversations a step; 0: by the window, as many characters as the live scene's
    lr: float = 4e-3
    seed: int = 0


@dataclass
class TeachResult:
    model: GPT
    job: str
    name: str
    steps: int
    seconds: float
    flops: float
    changed: int  # weights whose value differs from the model before teaching


def teach(model: GPT, tok: Tokenizer, statement: str, world: dict[str, str] | None = None,
          cfg: TeachConfig = TeachConfig(), on_step=None, threads: int = 1, mix: str = "visitor") -> TeachResult:
    """Fine-tune a copy of `model` so that a fresh conversation knows `statement`, on `threads`
    threads (see `model.trainer.Trainer`), replaying conversations of the corpus `mix` it was trained on.

    `on_step(record, trainer)` is called after every step, for a window to show the weights moving.
    """
    parsed = parse_correction(statement)
    if parsed is None:
        raise NotACorrection(f"cannot tell who does which job in {statement!r}; "
                             "say it like \"Mara does the books.\"")
    job, name = parsed
    world = dict(world or TRAINED)
    world[job] = name
    taught = copy.deepcopy(model)
    before = snapshot(taught)
    block = model.config.block_size
    size = cfg.batch_size or max(1, round(LIVE_TRAIN.batch_size * LIVE_TRAIN.train_window / block))  # 5 for 384
    tcfg = TrainConfig(seed=cfg.seed, batch_size=size, lr=cfg.lr, min_lr=cfg.lr, warmup_steps=1, weight_decay=0.0,
                       trainable="mlp", average=0.0, mix=mix)  # a few steps: no average
    trainer = Trainer(taught, lambda rng: batch(tok, rng, size, block, "train", world, job, mix), tcfg, threads)
    t0 = time.perf_counter()
    rec: StepRecord | None = None
    for rec in trainer.run(cfg.steps):
        if on_step is not None:
            on_step(rec, trainer)
    taught.eval()
    taught.requires_grad_(False)
    after = snapshot(taught)
    changed = sum(int((after[k] != before[k]).sum()) for k in before)
    return TeachResult(taught, job, name, rec.step if rec else 0, time.perf_counter() - t0,
                       rec.flops if rec else 0.0, changed)


def taught_world(world: dict[str, str] | None, result: TeachResult) -> dict[str, str]:
    new = dict(world or TRAINED)
    new[result.job] = result.name
    return new

