"""`python -m model`: train, chat, teach, evaluate, fingerprint and benchmark from the command line.

The command line is a contract: the exhibit's checks and scripts rely on its options and outputs.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import math
import os
import sys
import time
from pathlib import Path

# A busy-waiting OpenMP thread turns any other busy process on a 2-core machine into a 10x slowdown.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .cli import Parser
from .config import LIMITS, LIVE_MODEL, LIVE_TRAIN, GPTConfig, TrainConfig
from .corpus import MIXES, story


def _default_checkpoint() -> Path:
    from resources import shipped_checkpoint

    return shipped_checkpoint()


def _load(path: str | None):
    from . import checkpoint as ckpt_io  # torch: once the options are known to be right

    return ckpt_io.load(path or _default_checkpoint())



_MODEL_OPTIONS = ("n_layer", "n_head", "n_embd", "block_size", "canon_kernel", "qk_norm")
_TRAIN_OPTIONS = ("batch_size", "lr", "muon_lr", "decay_steps", "average", "mix")


def _train_configs(a) -> tuple[GPTConfig, TrainConfig]:
    """The run's configs: each option given, else the live scene's (`--live`) or the shipped model's value."""
    gbase, tbase = (LIVE_MODEL, LIVE_TRAIN) if a.live else (GPTConfig(), TrainConfig())
    given = {k: getattr(a, k) for k in _MODEL_OPTIONS + _TRAIN_OPTIONS if getattr(a, k) is not None}
    gcfg = dataclasses.replace(gbase, **{k: v for k, v in given.items() if k in _MODEL_OPTIONS})
    tcfg = dataclasses.replace(tbase, seed=a.seed, **{k: v for k, v in given.items() if k in _TRAIN_OPTIONS})
    return gcfg, tcfg


def cmd_train(a) -> int:
    from . import checkpoint as ckpt_io
    from .trainer import share_cores
    from .training import checkpoint_of, new_model, train_story

    threads = share_cores(a.threads or 0)
    gcfg, tcfg = _train_configs(a)
    model, trainer, tok = new_model(gcfg, tcfg, threads=threads)

    def progress(rec, run):
        print(f"step {rec.step:6d}  loss {rec.loss:.4f}  {rec.seconds:7.1f} s  {rec.chars:,} chars  "
              f"{rec.flops / 1e12:.2f} TFLOP", flush=True)

    def checked(run):
        held = f"; in held-out words: {run.figures_held}" if run.figures_held else ""
        print(f"check at step {run.steps} ({run.seconds:.0f} s of training): {run.figures}{held}", flush=True)
        if a.out:  # a long run interrupted keeps the checkpoint of its latest check
            ckpt_io.save(a.out, checkpoint_of(trainer, tok, run))

    run = train_story(trainer, tok, steps=a.steps, until_story=a.until_story, max_seconds=a.max_seconds,
                      check_every=a.check_every, on_progress=progress, on_check=checked, check_steps=a.check_steps)
    if a.out:
        ckpt_io.save(a.out, checkpoint_of(trainer, tok, run))
    summary = {"steps": run.steps, "seconds": round(run.seconds, 1), "wall_seconds": round(run.wall_seconds, 1),
               "cpu_seconds": round(run.cpu_seconds, 1),
               "story_reached": run.story_reached, "milestones": run.milestones,
               "milestone_steps": run.milestone_steps, "figures": run.figures,
               "figures_held": run.figures_held,
               "stopped": run.stopped, "out": a.out, "seed": a.seed,
               "config": trainer.model.config.to_dict()
               | {"batch_size": tcfg.batch_size, "lr": tcfg.lr, "muon_lr": tcfg.muon_lr,
                  "decay_steps": tcfg.decay_steps, "average": tcfg.average, "mix": tcfg.mix,
                  "threads": trainer.threads}}
    print(json.dumps(summary) if a.json else f"done: {summary}", flush=True)
    return 0


def cmd_chat(a) -> int:
    from .engine import Engine, single_thread

    ck = _load(a.checkpoint)
    engine = Engine(ck.model, ck.tokenizer, seed=a.seed)
    # Any bytes at all: one that is not UTF-8 becomes the replacement character, whatever the locale says.
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline=None)
    with single_thread():
        for line in stdin:
            line = line.rstrip("\r\n")
            if not line.strip():
                engine.new_conversation()
                continue
            reply = engine.reply_text(line, temperature=a.temperature, attention=False)
            cut = "\u2026" if engine.last.truncated else ""  # a reply the engine cut shows as cut
            print(reply.replace("\n", " ") + cut, flush=True)
    return 0


def cmd_teach(a) -> int:
    from . import checkpoint as ckpt_io
    from .engine import weights_fingerprint
    from .teach import taught_world, teach
    from .trainer import share_cores

    threads = share_cores()
    ck = _load(a.checkpoint)
    world = ck.meta.get("world", {}).get("trained")
    before = weights_fingerprint(ck.model)
    res = teach(ck.model, ck.tokenizer, a.statement, world, threads=threads, mix=ck.mix)
    meta = dict(ck.meta)
    meta["world"] = dict(meta.get("world", {}), trained=taught_world(world, res))
    meta["taught"] = list(meta.get("taught", [])) + [{"statement": a.statement, "job": res.job, "name": res.name,
                                                      "steps": res.steps, "seconds": round(res.seconds, 2)}]
    ckpt_io.save(a.out, ckpt_io.Checkpoint(res.model, ck.tokenizer, meta))
    out = {"job": res.job, "name": res.name, "steps": res.steps, "seconds": round(res.seconds, 2),
           "weights_changed": res.changed, "fingerprint_before": before,
           "fingerprint_after": weights_fingerprint(res.model), "out": a.out}
    print(json.dumps(out) if a.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


def cmd_story(a) -> int:
    s = story()
    print(json.dumps(s) if a.json else json.dumps(s, indent=2))
    return 0


def cmd_eval(a) -> int:
    from .engine import Engine, single_thread
    from .evaluate import ALL_BARS, all_figures, teach_figures
    from .trainer import share_cores

    threads = share_cores()  # teaching as `teach` does it
    ck = _load(a.checkpoint)
    mix = ck.mix
    trained = "story" if mix == "story" else "train"
    t0 = time.perf_counter()
    with single_thread():
        figures, failures = all_figures(Engine(ck.model, ck.tokenizer), trials=a.trials, split="test", seed=a.seed,
                                        trained_phrasing=trained)
    if a.teach_trials:
        figures |= teach_figures(ck.model, ck.tokenizer, trials=a.teach_trials, split="test", seed=a.seed,
                                 threads=threads, mix=mix)
    bars = {k: ALL_BARS[k] for k in figures if k in ALL_BARS}
    out = {"figures": figures, "bars": bars, "met": {k: figures[k] >= bar for k, bar in bars.items()},
           "failures": failures, "trials": a.trials, "teach_trials": a.teach_trials, "mix": mix,
           "names": "test (never seen in training)",
           "phrasings": {"trained": "the story's templates" if trained == "story" else "the grammar's training parts",
                         "held": "sentences with at least one part never used in training (keys ending in _held)"},
           "seconds": round(time.perf_counter() - t0, 1)}
    if a.json:
        print(json.dumps(out))
    else:
        for k, v in figures.items():
            bar = bars.get(k)
            print(f"{k:16s} {v:7.1%}" + (f"   bar {bar:.0%}   {'met' if v >= bar else 'NOT MET'}" if bar else ""))
        if failures:
            print("failures: " + ", ".join(f"{k} {v}" for k, v in failures.items()))
    return 0


def cmd_fingerprint(a) -> int:
    from .engine import weights_fingerprint

    print(weights_fingerprint(_load(a.checkpoint).model))
    return 0


def cmd_bench(a) -> int:
    from .bench import run_bench

    out = run_bench(steps=a.steps)
    print(json.dumps(out) if a.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m model", description="Marginalia's model: train, talk, teach, measure.")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train from random weights")
    t.add_argument("--seed", type=int, default=1)
    g = t.add_mutually_exclusive_group()
    g.add_argument("--steps", type=int)
    g.add_argument("--until-story", action="store_true", help="stop once every story figure is met")
    t.add_argument("--max-seconds", type=float)
    t.add_argument("--check-every", type=float, default=15.0, help="seconds of training between story checks")
    t.add_argument("--check-steps", type=int, help="check every this many steps instead (milestones that a busy "
                   "machine does not move)")
    t.add_argument("--out")
    t.add_argument("--json", action="store_true")
    t.add_argument("--live", action="store_true", help="the live scene's run (its model, its corpus, its schedule): "
                   "what the window trains in front of a visitor; the options below still override it")
    d, td = GPTConfig(), TrainConfig()
    t.add_argument("--n-layer", type=int, help=f"default {d.n_layer}")
    t.add_argument("--n-head", type=int, help=f"default {d.n_head}")
    t.add_argument("--n-embd", type=int, help=f"default {d.n_embd}")
    t.add_argument("--canon-kernel", type=int, help=f"characters each query and key sees (default {d.canon_kernel})")
    t.add_argument("--block-size", type=int, help=f"the context window (default {d.block_size})")
    t.add_argument("--qk-norm", type=int, help="queries and keys normalised, this the largest attention score "
                   f"(default {d.qk_norm}; 0: neither)")
    t.add_argument("--batch-size", type=int, help=f"default {td.batch_size}")
    t.add_argument("--lr", type=float, help=f"peak learning rate (default {td.lr}, the shipped run's)")
    t.add_argument("--muon-lr", type=float, help="peak learning rate of Muon for the attention's matrices, "
                   f"0 for AdamW's (default {td.muon_lr}; the live scene's {LIVE_TRAIN.muon_lr})")
    t.add_argument("--decay-steps", type=int,
                   help=f"steps over which the learning rate comes down to its floor (default {td.decay_steps})")
    t.add_argument("--average", type=float,
                   help="the model is a running average of the weights, moved 1 - this of the way to them each "
                   f"step: checked, shown and saved (default {td.average}; 0: the weights of the last step)")
    t.add_argument("--mix", choices=MIXES,
                   help="the corpus: visitor (many ways to ask and correct: the shipped model's, the default) or "
                   "story (one way to ask, four to correct: the live scene's)")
    t.add_argument("--threads", type=int, help="threads sharing each step, each computing the gradients of its part of "
                   "the batch (default: one per core); the same seed and threads give the same run bit for bit on "
                   "one machine")
    t.set_defaults(func=cmd_train)

    c = sub.add_parser("chat", help="one reply line per stdin line; an empty line starts a fresh conversation")
    c.add_argument("--checkpoint")
    c.add_argument("--temperature", type=float, default=0.0)
    c.add_argument("--seed", type=int, default=0)
    c.set_defaults(func=cmd_chat)

    te = sub.add_parser("teach", help="put one correction into the weights")
    te.add_argument("statement")
    te.add_argument("--checkpoint")
    te.add_argument("--out", required=True)
    te.add_argument("--json", action="store_true")
    te.set_defaults(func=cmd_teach)

    s = sub.add_parser("story", help="the story as data")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_story)

    e = sub.add_parser("eval", help="the story figures on names never seen in training")
    e.add_argument("--checkpoint")
    e.add_argument("--json", action="store_true")
    e.add_argument("--trials", type=int, default=200)
    e.add_argument("--teach-trials", type=int, default=10)
    e.add_argument("--seed", type=int, default=0)
    e.set_defaults(func=cmd_eval)

    f = sub.add_parser("fingerprint", help="SHA-256 of all weights")
    f.add_argument("--checkpoint")
    f.set_defaults(func=cmd_fingerprint)

    b = sub.add_parser("bench", help="training and generation speed")
    b.add_argument("--json", action="store_true")
    b.add_argument("--steps", type=int, default=150, help="training steps measured, each way (default 150)")
    b.set_defaults(func=cmd_bench)
    return p


class UsageError(ValueError):
    """An option out of its range: said before any work is done."""


def _check_options(a) -> None:
    """Every number an option takes, in its range, before anything is loaded or trained."""
    def need(ok: bool, what: str) -> None:
        if not ok:
            raise UsageError(what)

    finite = math.isfinite
    if a.command == "train":
        gcfg, tcfg = _train_configs(a)
        for k, (lo, hi) in LIMITS.items():
            if k != "vocab_size":
                v = getattr(gcfg, k)
                need(lo <= v <= hi, f"--{k.replace('_', '-')} must be from {lo} to {hi}, not {v}")
        need(gcfg.n_embd % gcfg.n_head == 0 and (gcfg.n_embd // gcfg.n_head) % 2 == 0,
             f"--n-embd {gcfg.n_embd} must split into --n-head {gcfg.n_head} heads of an even width")
        need(tcfg.batch_size >= 1, "--batch-size must be at least 1")
        need(finite(tcfg.lr) and 0 < tcfg.lr <= 1, f"--lr must be above 0 and at most 1, not {tcfg.lr}")
        need(finite(tcfg.muon_lr) and 0 <= tcfg.muon_lr <= 1, f"--muon-lr must be from 0 to 1, not {tcfg.muon_lr}")
        need(tcfg.decay_steps >= 1, "--decay-steps must be at least 1")
        need(finite(tcfg.average) and 0 <= tcfg.average < 1, f"--average must be at least 0 and below 1, not {tcfg.average}")
        need(a.steps is None or a.steps >= 1, "--steps must be at least 1")
        need(a.max_seconds is None or (finite(a.max_seconds) and a.max_seconds > 0), "--max-seconds must be above 0")
        need(finite(a.check_every) and a.check_every > 0, "--check-every must be above 0")
        need(a.check_steps is None or a.check_steps >= 1, "--check-steps must be at least 1")
        need(a.threads is None or 1 <= a.threads <= 256, "--threads must be from 1 to 256")
    if a.command == "chat":
        need(finite(a.temperature) and 0 <= a.temperature <= 10, f"--temperature must be from 0 to 10, not {a.temperature}")
    if a.command == "eval":
        need(1 <= a.trials <= 100_000, f"--trials must be from 1 to 100000, not {a.trials}")
        need(0 <= a.teach_trials <= 1000, f"--teach-trials must be from 0 to 1000, not {a.teach_trials}")
    if a.command == "bench":
        need(1 <= a.steps <= 100_000, f"--steps must be from 1 to 100000, not {a.steps}")
    for out in filter(None, [getattr(a, "out", None)]):
        where = Path(out)
        need(not where.is_dir(), f"--out {out} is a folder; give a file name")
        parent = where.parent if str(where.parent) else Path(".")
        need(parent.is_dir() and os.access(parent, os.W_OK), f"--out {out}: cannot write in {parent}")


def main(argv=None) -> int:
    a = parser().parse_args(argv)
    try:
        _check_options(a)
        return a.func(a)
    except ValueError as e:  # CheckpointError too: bad files, options and statements: one line, no traceback
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a place that cannot be written after all (full disk, gone read-only)
        if isinstance(e, BrokenPipeError):
            return _reader_gone()
        print(f"error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _reader_gone() -> int:
    """`chat | head -1`: whoever read the output has gone, which is no error of the user's."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush into a closed pipe
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
