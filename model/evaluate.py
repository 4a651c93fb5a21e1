"""The story figures: does the model really tell the story, on names it never saw in training?

Each figure is the share of trials a greedy reply gets right, every trial a conversation run through the
same `Engine` the exhibit and `python -m model chat` use:
- fresh: a fresh conversation asks about each job; the reply names the trained person;
- corrected: a job is corrected to a new name (any phrasing, with or without the wrong answer first),
  then asked about again; the reply names the new person and not the trained one;
- partners: both partners are corrected in one conversation, then both are asked about; a trial counts
  only when both replies name their own new person and not the other;
- untouched: after a correction, another job is asked about; the reply names its trained person.
"""

from __future__ import annotations

import random
import re

from .corpus import CORRECTIONS, JOB_BY_KEY, JOBS, PARTNERS, TRAINED, Job, correction_text, random_name
from .engine import Engine, single_thread

BARS = {"fresh": 1.0, "corrected": 0.95, "partners": 0.90, "untouched": 0.95}


def names(reply: str, name: str) -> bool:
    return re.search(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])", reply) is not None


def says(reply: str, right: str, wrong: str | None = None) -> bool:
    return names(reply, right) and (wrong is None or wrong == right or not names(reply, wrong))


def _correct(engine: Engine, rng: random.Random, job: Job, name: str) -> None:
    if rng.random() < 0.5:
        engine.reply_text(job.question, attention=False)
    engine.reply_text(correction_text(rng.choice(CORRECTIONS), job, name), attention=False)


def fresh(engine: Engine) -> float:
    ok = []
    for job in JOBS:
        for q in (job.question, job.question.capitalize()):
            engine.new_conversation()
            ok.append(says(engine.reply_text(q, attention=False), TRAINED[job.key]))
    return sum(ok) / len(ok)


def corrected(engine: Engine, rng: random.Random, trials: int, split: str) -> float:
    ok = 0
    for _ in range(trials):
        job = JOB_BY_KEY[rng.choice(PARTNERS)] if rng.random() < 0.5 else rng.choice(JOBS)
        name = random_name(rng, split)
        engine.new_conversation()
        _correct(engine, rng, job, name)
        ok += says(engine.reply_text(job.question, attention=False), name, TRAINED[job.key])
    return ok / trials


def partners(engine: Engine, rng: random.Random, trials: int, split: str) -> float:
    ok = 0
    for _ in range(trials):
        jobs = [JOB_BY_KEY[k] for k in PARTNERS]
        new = {j.key: random_name(rng, split) for j in jobs}
        engine.new_conversation()
        for job in rng.sample(jobs, 2):
            _correct(engine, rng, job, new[job.key])
        a, b = jobs
        right = True
        for job, other in rng.sample([(a, b), (b, a)], 2):
            reply = engine.reply_text(job.question, attention=False)
            right &= says(reply, new[job.key], new[other.key]) and not names(reply, TRAINED[job.key])
        ok += right
    return ok / trials


def untouched(engine: Engine, rng: random.Random, trials: int, split: str) -> float:
    ok = 0
    for _ in range(trials):
        job = rng.choice(JOBS)
        other = rng.choice([j for j in JOBS if j is not job])
        name = random_name(rng, split)
        engine.new_conversation()
        _correct(engine, rng, job, name)
        ok += says(engine.reply_text(other.question, attention=False), TRAINED[other.key], name)
    return ok / trials


def story_figures(engine: Engine, trials: int = 200, split: str = "test", seed: int = 0) -> dict[str, float]:
    """All four in-context figures; the engine's conversation is left fresh afterwards."""
    rng = random.Random(seed)
    out = {
        "fresh": fresh(engine),
        "corrected": corrected(engine, rng, trials, split),
        "partners": partners(engine, rng, max(1, trials // 2), split),
        "untouched": untouched(engine, rng, trials, split),
    }
    engine.new_conversation()
    return out


def met(figures: dict[str, float]) -> dict[str, bool]:
    return {k: figures[k] >= bar for k, bar in BARS.items() if k in figures}


def teach_figures(model, tok, trials: int = 10, split: str = "test", seed: int = 0,
                  threads: int = 1) -> dict[str, float]:
    """After `teach` with a new name (on `threads` threads): fresh conversations use it, other jobs and
    in-context corrections still work. Each trial teaches a fresh copy of the model one correction."""
    from .teach import teach

    rng = random.Random(seed + 1)
    fresh_ok, others_ok, others_n, context_ok, context_n = 0, 0, 0, 0, 0
    for i in range(trials):
        job = JOB_BY_KEY[PARTNERS[i % 2]] if i % 4 < 2 else rng.choice(JOBS)
        name = random_name(rng, split)
        res = teach(model, tok, correction_text(rng.choice(CORRECTIONS), job, name), threads=threads)
        with single_thread():
            f, o, c = _after_teaching(Engine(res.model, tok), rng, job, name, split)
        fresh_ok, others_ok, context_ok = fresh_ok + f, others_ok + o, context_ok + c
        others_n, context_n = others_n + len(JOBS) - 1, context_n + 4
    return {"teach_fresh": fresh_ok / trials, "teach_others": others_ok / others_n,
            "teach_context": context_ok / context_n}


def _after_teaching(engine: Engine, rng: random.Random, job: Job, name: str, split: str) -> tuple[int, int, int]:
    """(fresh conversation names the taught person, other jobs kept, in-context corrections that work)."""
    engine.new_conversation()
    fresh = says(engine.reply_text(job.question, attention=False), name, TRAINED[job.key])
    others = 0
    for other in JOBS:
        if other is not job:
            engine.new_conversation()
            others += says(engine.reply_text(other.question, attention=False), TRAINED[other.key], name)
    world = dict(TRAINED, **{job.key: name})
    context = 0
    for _ in range(4):
        cjob, cname = rng.choice(JOBS), random_name(rng, split)
        engine.new_conversation()
        _correct(engine, rng, cjob, cname)
        context += says(engine.reply_text(cjob.question, attention=False), cname, world[cjob.key])
    return fresh, others, context
