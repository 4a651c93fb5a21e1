"""The models the exhibit holds, made where the model runs (`desktop.worker`): no Qt here.

- `prepare`: at start, whether the fully trained checkpoint is there and sound, and the live run's
  first state: random weights from a seed;
- `freeze_live`: the live run's weights as they stand, frozen into an `Engine` for Talk;
- `load_trained`: a checkpoint from disk, frozen the same way, with how long it was trained;
- `verify`: the proof shown after every reply: a fingerprint of the engine's own weights and how many
  of them differ from the weights training left;
- `save`: the weights on screen as a checkpoint.
Each returns fresh objects; the window only ever receives copies, and never imports torch.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .layout import flatten, specs_of
from .state import Settings, TalkModel
from .loop import WorkerState


@dataclass
class Frozen:
    """A model ready to talk to: its engine and where it came from."""

    engine: object  # model.engine.Engine
    talk: TalkModel  # its reference: the engine's own weights, flat, as it was frozen
    path: str = ""


@dataclass
class Prepared:
    """What the window needs before it can show anything: all numpy and plain data."""

    live: WorkerState  # the live run before its first step
    specs: list[tuple[str, tuple[int, ...]]]
    question: str  # the story's question the live run is asked as it learns
    trained_available: bool
    trained_error: str  # why there is no trained model ("" when there is one)
    trained_path: str


def _filtered(cls, d: dict | None) -> dict:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in (d or {}).items() if k in names}


def fresh_live(model_config: dict, train_config: dict) -> WorkerState:
    """The live run before its first step: random weights from the train config's seed (the same
    `initial_model` that `model.training.new_model` starts from, without building a trainer)."""
    from model.gpt import GPTConfig
    from model.trainer import TrainConfig, snapshot
    from model.training import initial_model

    tcfg = TrainConfig(**train_config)
    model = initial_model(GPTConfig(**model_config), tcfg.seed)
    return WorkerState(model.config.to_dict(), dataclasses.asdict(tcfg), snapshot(model))


def engine_flat(engine, specs) -> np.ndarray:
    return flatten({n: p.detach().numpy() for n, p in engine.model.named_parameters()}, specs)


def verify(engine, reference: np.ndarray, specs) -> tuple[str, int, np.ndarray]:
    """(fingerprint, weights differing from `reference`, the engine's weights flat), all read afresh."""
    flat = engine_flat(engine, specs)
    return engine.fingerprint(), int(np.count_nonzero(flat != reference)), flat


def _frozen(model, tok, kind: str, training: dict, path: str = "") -> Frozen:
    from model.engine import Engine

    engine = Engine(model, tok)
    engine.new_conversation()  # a fresh Engine's caches are only made here
    specs = specs_of(engine.model.named_parameters())
    flat = engine_flat(engine, specs)
    cpu = training.get("cpu_seconds")
    talk = TalkModel(kind, int(training.get("steps") or 0), float(training.get("seconds") or 0.0),
                     int(training.get("chars") or 0), float(training.get("flops") or 0.0), flat.size, flat,
                     cpu_seconds=None if cpu is None else float(cpu),
                     threads=int(training["threads"]) if isinstance(training.get("threads"), int) else None)
    return Frozen(engine, talk, path)  # the proof (fingerprint and all) is read where Talk runs


def freeze_live(state: WorkerState) -> Frozen:
    import torch

    from model.gpt import GPT, GPTConfig
    from model.tokenizer import Tokenizer

    model = GPT(GPTConfig(**state.model_config))
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(torch.from_numpy(np.asarray(state.weights[n])))
    c = state.counters
    return _frozen(model, Tokenizer(), "live", {"steps": c.get("step"), "seconds": c.get("seconds"),
                                               "chars": c.get("chars"), "flops": c.get("flops"),
                                               "cpu_seconds": c.get("cpu_seconds")})


def load_trained(path: str | Path) -> Frozen:
    """The checkpoint at `path` frozen for Talk; raises CheckpointError."""
    from model import checkpoint

    ck = checkpoint.load(path)
    return _frozen(ck.model, ck.tokenizer, "trained", ck.meta.get("training") or {}, str(path))


def prepare(settings: Settings) -> Prepared:
    """Everything the window needs before it can show a model (run where the model runs)."""
    from model import checkpoint
    from model.corpus import story
    from model.gpt import GPTConfig
    from model.trainer import TrainConfig
    from resources import shipped_checkpoint

    path = str(settings.checkpoint or shipped_checkpoint())
    error, model_config, train_config = "", {}, {}
    if Path(path).exists():
        try:
            ck = checkpoint.load(path)
        except checkpoint.CheckpointError as e:
            error = str(e)
        else:
            model_config = dataclasses.asdict(ck.model.config)
            train_config = dict((ck.meta.get("training") or {}).get("train_config") or {})
    else:
        error = f"{path}: not found"
    model_config = _filtered(GPTConfig, settings.model_config or model_config)
    train_config = _filtered(TrainConfig, settings.train_config or train_config)
    live = fresh_live(model_config, train_config)
    specs = [(n, tuple(w.shape)) for n, w in live.weights.items()]
    s = story()
    question = next(j["question"] for j in s["jobs"] if j["job"] == s["partners"][0])
    return Prepared(live, specs, question, not error, error, path)


def save(path: str | Path, weights: dict[str, np.ndarray], model_config: dict, training: dict) -> Path:
    """Write `weights` as a checkpoint (atomically, by model.checkpoint) and return where."""
    import torch

    from model import checkpoint
    from model.corpus import TRAINED, story
    from model.gpt import GPT, GPTConfig
    from model.tokenizer import Tokenizer

    model = GPT(GPTConfig(**model_config))
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(torch.from_numpy(np.asarray(weights[n])))
    meta = {"world": {"trained": dict(TRAINED), "story": story()},
            "training": dict(training, saved_at=time.strftime("%Y-%m-%dT%H:%M:%S"))}
    checkpoint.save(path, checkpoint.Checkpoint(model, Tokenizer(), meta))
    return Path(path)
