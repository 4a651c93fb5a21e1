"""Training a model from random weights to the story, as `python -m model train` does.

`new_model` builds a fresh model and its trainer from one seed; `train_story` runs it, checks the story
figures on validation names every so often (the time spent checking is not training time), and notes
for each figure the training second at which it first met its bar: the milestones of the live scene.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Callable

import torch

from .checkpoint import Checkpoint
from .config import LIVE_MODEL, LIVE_TRAIN
from .corpus import TRAINED, batch, story
from .engine import Engine, single_thread
from .evaluate import BARS, met, story_figures
from .gpt import GPT, GPTConfig
from .tokenizer import Tokenizer
from .trainer import StepRecord, TrainConfig, Trainer, weight_count




@dataclass
class StoryRun:
    steps: int = 0
    seconds: float = 0.0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of this process over the training steps, all threads (checks excluded)
    chars: int = 0
    flops: float = 0.0
    story_reached: bool = False
    # Training seconds at which each figure first met its bar; "single_correction": fresh, corrected and
    # untouched met at one check (the live scene's first goal); "story": all four at one check.
    milestones: dict = field(default_factory=lambda: {k: None for k in (*BARS, "single_correction", "story")})
    milestone_steps: dict = field(default_factory=dict)  # the same moments in steps (machine-free)
    figures: dict = field(default_factory=dict)  # the last check, on validation names
    figures_held: dict = field(default_factory=dict)  # the same check in held-out words (visitor mix only)
    stopped: str = ""  # why training ended


def initial_model(gcfg: GPTConfig, seed: int, tok: Tokenizer | None = None) -> GPT:
    """The random weights a run from `seed` starts from (step 0), with the vocabulary of `tok`."""
    gcfg = dataclasses.replace(gcfg, vocab_size=(tok or Tokenizer()).vocab_size)
    torch.manual_seed(seed)
    return GPT(gcfg)


def new_model(gcfg: GPTConfig, tcfg: TrainConfig, tok: Tokenizer | None = None,
              threads: int = 1) -> tuple[GPT, Trainer, Tokenizer]:
    tok = tok or Tokenizer()
    model = initial_model(gcfg, tcfg.seed, tok)
    block = min(tcfg.train_window or model.config.block_size, model.config.block_size)  # never past the window
    trainer = Trainer(model, lambda rng: batch(tok, rng, tcfg.batch_size, block, mix=tcfg.mix), tcfg, threads)
    return model, trainer, tok


def train_story(trainer: Trainer, tok: Tokenizer, steps: int | None = None, until_story: bool = False,
                max_seconds: float | None = None, check_every: float = 15.0, check_trials: int = 40,
                on_progress: Callable[[StepRecord, StoryRun], None] | None = None,
                on_check: Callable[[StoryRun], None] | None = None, progress_every: int = 50,
                check_steps: int | None = None) -> StoryRun:
    """Train until `steps`, the story (all four figures met at one check) or `max_seconds` of training.

    Every `check_every` seconds of training (or every `check_steps` steps, which a busy machine does
    not change), and at the end, the story figures are measured on validation names and `on_check` is
    called (to save the checkpoint of that moment, say)."""
    run = StoryRun()
    t0, cpu0, checking_cpu = time.perf_counter(), time.process_time(), 0.0
    next_check = check_every
    for rec in trainer.run(steps):
        run.steps, run.seconds, run.chars, run.flops = rec.step, rec.seconds, rec.chars, rec.flops
        if on_progress is not None and rec.step % progress_every == 0:
            on_progress(rec, run)
        last = steps is not None and rec.step >= steps
        out_of_time = max_seconds is not None and rec.seconds >= max_seconds
        run.cpu_seconds = time.process_time() - cpu0 - checking_cpu
        due = rec.step % check_steps == 0 if check_steps else rec.seconds >= next_check
        if due or last or out_of_time:
            check_cpu0 = time.process_time()
            next_check = rec.seconds + check_every
            run.figures, run.figures_held = _check(trainer, tok, check_trials)
            trainer.model.train()
            ok = met(run.figures)
            ok["single_correction"] = ok["fresh"] and ok["corrected"] and ok["untouched"]
            ok["story"] = run.story_reached = all(ok.values())
            for k, reached in ok.items():
                if reached and run.milestones[k] is None:
                    run.milestones[k] = round(rec.seconds, 1)
                    run.milestone_steps[k] = rec.step
            if on_check is not None:
                on_check(run)
            checking_cpu += time.process_time() - check_cpu0
            if until_story and run.story_reached:
                run.stopped = "story reached"
                break
        if out_of_time:
            run.stopped = "time limit"
            break
    else:
        run.stopped = "steps done"
    run.wall_seconds = time.perf_counter() - t0
    return run


def _check(trainer: Trainer, tok: Tokenizer, trials: int) -> tuple[dict[str, float], dict[str, float]]:
    """The story figures on validation names in the phrasing of the run's own corpus and, for the
    visitor mix, in held-out words too (else {}): a run may learn its own words and not the others,
    and only the second shows that before `eval` does."""
    kinds = ("story",) if trainer.cfg.mix == "story" else ("train", "held")
    engine = Engine(trainer.evaluated_model(), tok)
    with single_thread():
        found = [story_figures(engine, trials=trials, split="valid", phrasing=k) for k in kinds]
    trained, *held = ({k: f[k] for k in BARS} for f in found)
    return trained, held[0] if held else {}


def checkpoint_of(trainer: Trainer, tok: Tokenizer, run: StoryRun) -> Checkpoint:
    meta = {
        "world": {"trained": dict(TRAINED), "story": story()},
        "training": {
            "seed": trainer.cfg.seed, "train_config": dataclasses.asdict(trainer.cfg), "threads": trainer.threads,
            "steps": run.steps, "seconds": round(run.seconds, 1), "cpu_seconds": round(run.cpu_seconds, 1),
            "chars": run.chars, "flops": run.flops,
            "weights": weight_count(trainer.model), "figures_valid": run.figures,
            "figures_valid_held": run.figures_held, "milestones": run.milestones,
            "milestone_steps": run.milestone_steps,
        },
    }
    return Checkpoint(trainer.evaluated_model(), tok, meta)
