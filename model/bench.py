"""`python -m model bench`: how fast the model trains and talks on this machine (prints figures).

- training: ms per step and characters per second of the real `Trainer`, against a bare loop of the same
  model over the same batches made beforehand (nothing around it: no records, no clipping, no batch
  making; torch's own threads, one per core, sharing every operation, as a plain loop runs), the two
  taking turns of 10 steps (the trainer makes its batches as it goes and splits each over its
  threads, one per core: see `model.trainer.Trainer`), 150 steps each by default: with 60, the same
  code measured 0.98 to 1.03 of the bare loop's speed from run to run; model FLOP utilisation against
  a float32 matmul peak measured in the same run;
- generation: first character after a 200-character context, and characters per second after it, on
  the shipped model (a random one if none is shipped yet).
"""

from __future__ import annotations

import random
import time

import torch

from .corpus import JOBS, batch
from .engine import Engine, single_thread
from .gpt import GPT, GPTConfig
from .tokenizer import Tokenizer
from .trainer import TrainConfig, Trainer


def matmul_peak_flops(n: int = 1024, reps: int = 8) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * n**3 * reps / (time.perf_counter() - t0)


def _bare_loop(cfg: GPTConfig, tcfg: TrainConfig, batches):
    """The same model over the same batches with nothing around it (torch's own AdamW); yields per step."""
    torch.manual_seed(0)
    model = GPT(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=tcfg.lr)
    for b in batches:
        x, y, w = (torch.from_numpy(a) for a in b)
        _, loss = model(x, y, w)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
        yield


def _training_figures(cfg: GPTConfig, tcfg: TrainConfig, tok: Tokenizer, steps: int, cores: int) -> dict:
    """The real `Trainer` and the bare loop, `steps` each, in turns of 10 steps over the same batches:
    this machine's speed drifts by 10 % within a minute, so each turn is compared with its neighbours.
    Each runs as it would alone on `cores` cores: the trainer with that many threads of its own (and
    torch's set to one), the bare loop with torch's."""
    per, rounds = min(10, steps), max(1, steps // 10)
    rng = random.Random(tcfg.seed)  # the very batches the trainer draws, in the same order
    bare = _bare_loop(cfg, tcfg, [batch(tok, rng, tcfg.batch_size, cfg.block_size) for _ in range(per * (rounds + 1))])
    torch.manual_seed(0)
    trainer = Trainer(GPT(cfg), lambda rng: batch(tok, rng, tcfg.batch_size, cfg.block_size), tcfg, cores)
    it = trainer.run()

    def turn(steps, threads: int) -> float:
        torch.set_num_threads(threads)
        t0 = time.perf_counter()
        for _ in range(per):
            next(steps)
        return time.perf_counter() - t0

    turn(it, 1)  # a first turn each, to warm up
    turn(bare, cores)
    chars, flops = trainer.chars, trainer.flops
    wall = bare_wall = 0.0
    for _ in range(rounds):
        wall += turn(it, 1)
        bare_wall += turn(bare, cores)
    trainer.stop()
    it.close()
    torch.set_num_threads(cores)
    n = per * rounds
    return {"train_ms_per_step": round(1000 * wall / n, 2), "train_chars_per_s": round((trainer.chars - chars) / wall),
            "train_flops_per_s": (trainer.flops - flops) / wall, "bare_ms_per_step": round(1000 * bare_wall / n, 2)}


def _generation_figures(engine: Engine, context_chars: int = 200, reply_room: int = 48) -> dict:
    """First character after a conversation of about `context_chars`, and characters per second after it."""
    firsts, contexts, chars, seconds = [], [], 0, 0.0
    for i in range(20):
        engine.new_conversation()
        j = i
        while len(engine.context) + 25 < context_chars:  # earlier exchanges fill the context
            engine.reply_text(JOBS[j % len(JOBS)].question, max_tokens=reply_room, attention=False)
            j += 1
        t0 = time.perf_counter()
        gen = engine.reply(JOBS[j % len(JOBS)].question, max_tokens=reply_room, attention=False)
        next(gen)
        t1 = time.perf_counter()
        contexts.append(len(engine.context))
        rest = sum(len(c) for c in gen)
        t2 = time.perf_counter()
        firsts.append(1000 * (t1 - t0))
        chars += rest
        seconds += t2 - t1
    firsts.sort()
    return {"context_tokens_at_first_char": round(sum(contexts) / len(contexts)),
            "first_char_ms": round(firsts[len(firsts) // 2], 2), "first_char_ms_max": round(firsts[-1], 2),
            "chars_per_s": round(chars / max(seconds, 1e-9))}


def run_bench(steps: int = 150) -> dict:
    tok = Tokenizer()
    tcfg = TrainConfig()
    cfg = GPTConfig(vocab_size=tok.vocab_size)
    cores = torch.get_num_threads()
    peak = matmul_peak_flops()
    out = {"config": cfg.to_dict() | {"batch_size": tcfg.batch_size}, "threads": cores}
    out |= _training_figures(cfg, tcfg, tok, steps, cores)
    out["trainer_vs_bare"] = round(out["bare_ms_per_step"] / out["train_ms_per_step"], 3)
    out["matmul_peak_gflops"] = round(peak / 1e9, 1)
    out["mfu"] = round(out.pop("train_flops_per_s") / peak, 3)
    try:
        from . import checkpoint
        from resources import shipped_checkpoint

        ck = checkpoint.load(shipped_checkpoint())
        engine, which = Engine(ck.model, ck.tokenizer), "shipped"
    except Exception:  # no shipped model yet: a random one generates just as fast
        engine, which = Engine(GPT(cfg), tok), "random"
    out["generation_model"] = which
    with single_thread():  # as `chat` and the window reply
        out |= _generation_figures(engine)
    return out
