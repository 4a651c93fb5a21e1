"""The models the model process holds: prepared at start, frozen for Talk, loaded, proved, saved.

Each function returns fresh objects; what goes to the window is numpy and plain data
(`desktop.process.protocol`). `problem_of` turns what `model/` raises into a `Problem` the window
words in its own language.
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from model import checkpoint
from model.corpus import TRAINED, story
from model.engine import Engine
from model.gpt import GPT, GPTConfig
from model.teach import NotACorrection
from model.tokenizer import Tokenizer
from model.trainer import NonFiniteLoss, TrainConfig, snapshot
from model.training import LIVE_MODEL, LIVE_TRAIN, initial_model, new_model
from resources import shipped_checkpoint

from .protocol import Counters, LiveState, Prepare, Prepared, Problem, ProblemKind, TalkModel
from .weights import flatten, specs_of, unflatten


@dataclass
class Frozen:
    """A model ready to talk to: its engine and where it came from."""

    engine: Engine
    talk: TalkModel  # its reference: the engine's own weights, flat, as it was frozen
    path: str = ""
    mix: str = "story"  # the corpus it learned from, which teaching it replays (see model.corpus)


def problem_of(error: BaseException, subject: str = "") -> Problem:
    """What went wrong, by kind; the English account goes with it for the terminal."""
    kinds = ((checkpoint.CheckpointError, ProblemKind.CHECKPOINT_UNREADABLE),
             (NotACorrection, ProblemKind.NOT_A_CORRECTION), (NonFiniteLoss, ProblemKind.NON_FINITE),
             (OSError, ProblemKind.NOT_SAVED))
    kind = next((k for cls, k in kinds if isinstance(error, cls)), ProblemKind.CRASH)
    detail = str(error) if kind is not ProblemKind.CRASH else traceback.format_exc()
    return Problem(kind, subject, detail)


def _filtered(cls, d: dict | None) -> dict:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in (d or {}).items() if k in names}


def fresh_live(model_config: dict, train_config: dict) -> LiveState:
    """The live run before its first step: random weights from the train config's seed (the same
    `initial_model` that `model.training.new_model` starts from, without building a trainer)."""
    tcfg = TrainConfig(**train_config)
    model = initial_model(GPTConfig(**model_config), tcfg.seed)
    return LiveState(model.config.to_dict(), dataclasses.asdict(tcfg), snapshot(model))


def prepare(cmd: Prepare) -> Prepared:
    """Whether the fully trained model is there and sound, and the live run's first state: the live
    scene's own recipe (`model.training.LIVE_MODEL`, `LIVE_TRAIN`) unless the settings give another."""
    path = str(cmd.checkpoint or shipped_checkpoint())
    problem = None
    if not Path(path).exists():
        problem = Problem(ProblemKind.CHECKPOINT_MISSING, path)
    else:
        try:
            checkpoint.load(path)
        except checkpoint.CheckpointError as e:
            problem = problem_of(e, path)
    live = fresh_live(_filtered(GPTConfig, cmd.model_config or dataclasses.asdict(LIVE_MODEL)),
                      _filtered(TrainConfig, cmd.train_config or dataclasses.asdict(LIVE_TRAIN)))
    s = story()
    question = next(j["question"] for j in s["jobs"] if j["job"] == s["partners"][0])
    return Prepared(live, specs_of(live.weights.items()), question, path, problem)


def build_trainer(state: LiveState, threads: int = 1):
    """A model and trainer (of `threads` threads) with the weights, optimiser state and counters of `state`."""
    c = state.counters
    tcfg = TrainConfig(**state.train_config)
    # After a resume, draw fresh batches rather than replaying the first ones: the trainer keeps
    # no state of its batch generator that could be carried across.
    tcfg = dataclasses.replace(tcfg, seed=tcfg.seed + c.step)
    model, trainer, tok = new_model(GPTConfig(**state.model_config), tcfg, threads=threads)
    trainer.load_training_state(state.weights, torch_tree(state.trainer_state) if state.trainer_state else None)
    trainer.resume(c.step, c.chars, c.flops, c.seconds)
    return model, trainer, tok


def engine_flat(engine: Engine, specs) -> np.ndarray:
    return flatten({n: p.detach().numpy() for n, p in engine.model.named_parameters()}, specs)


def verify(engine: Engine, reference: np.ndarray, specs) -> tuple[str, int, np.ndarray]:
    """(fingerprint, weights differing from `reference`, the engine's weights flat), all read afresh."""
    flat = engine_flat(engine, specs)
    return engine.fingerprint(), int(np.count_nonzero(flat != reference)), flat


def _frozen(model: GPT, tok: Tokenizer, kind: str, training: dict, path: str = "", mix: str = "story") -> Frozen:
    engine = Engine(model, tok)
    engine.new_conversation()  # a fresh Engine's caches are only made here
    flat = engine_flat(engine, specs_of(engine.model.named_parameters()))
    cpu = training.get("cpu_seconds")
    talk = TalkModel(kind, int(training.get("steps") or 0), float(training.get("seconds") or 0.0),
                     int(training.get("chars") or 0), float(training.get("flops") or 0.0), flat.size, flat,
                     cpu_seconds=None if cpu is None else float(cpu),
                     threads=int(training["threads"]) if isinstance(training.get("threads"), int) else None)
    return Frozen(engine, talk, path, mix)


def _model_with(model_config: dict, weights: dict[str, np.ndarray]) -> GPT:
    model = GPT(GPTConfig(**model_config))
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(torch.from_numpy(np.asarray(weights[n])))
    return model


def freeze_live(state: LiveState) -> Frozen:
    c: Counters = state.counters
    return _frozen(_model_with(state.model_config, state.weights), Tokenizer(), "live",
                   {"steps": c.step, "seconds": c.seconds, "chars": c.chars, "flops": c.flops,
                    "cpu_seconds": c.cpu_seconds}, mix=TrainConfig(**state.train_config).mix)


def with_weights(frozen: Frozen, flat: np.ndarray, taught: tuple[str, ...]) -> Frozen:
    """`frozen` with the weights `flat` (a taught model's, as the window showed them) and what was taught
    to it; the reference stays the weights training left, so "changed since training" still counts from
    there. Raises ValueError if `flat` does not fit the model."""
    specs = specs_of(frozen.engine.model.named_parameters())
    if flat.size != sum(int(np.prod(s)) for _, s in specs):
        raise ValueError(f"{flat.size} weights do not fit a model of {frozen.talk.weights}")
    engine = Engine(_model_with(frozen.engine.model.config.to_dict(), unflatten(flat, specs)), frozen.engine.tok)
    engine.new_conversation()
    return dataclasses.replace(frozen, engine=engine, talk=dataclasses.replace(frozen.talk, taught=taught))


def load_trained(path: str | Path) -> Frozen:
    """The checkpoint at `path` frozen for Talk; raises CheckpointError."""
    ck = checkpoint.load(path)
    return _frozen(ck.model, ck.tokenizer, "trained", ck.meta.get("training") or {}, str(path), ck.mix)


def save(path: str | Path, weights: dict[str, np.ndarray], model_config: dict, training: dict) -> Path:
    """Write `weights` as a checkpoint (atomically, by model.checkpoint) and return where."""
    meta = {"world": {"trained": dict(TRAINED), "story": story()},
            "training": dict(training, saved_at=time.strftime("%Y-%m-%dT%H:%M:%S"))}
    checkpoint.save(path, checkpoint.Checkpoint(_model_with(model_config, weights), Tokenizer(), meta))
    return Path(path)


def numpy_tree(x):
    """Tensors anywhere in `x` (dicts, lists, tuples) as numpy copies: what crosses to the window."""
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy().copy()
    if isinstance(x, dict):
        return {k: numpy_tree(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(numpy_tree(v) for v in x)
    return x


def torch_tree(x):
    if isinstance(x, np.ndarray):
        return torch.from_numpy(x.copy())
    if isinstance(x, dict):
        return {k: torch_tree(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(torch_tree(v) for v in x)
    return x
