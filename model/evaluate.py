"""The story figures: does the model really tell the story, on names and phrasings it never saw in training?

Each figure is the share of trials a greedy reply gets right, every trial a conversation run through the
same `Engine` the exhibit and `python -m model chat` use. A visitor's words come from a `Phrasing`:
"story" (the live scene's few templates), "train" (the grammar's training parts, with typing noise) or
"held" (sentences with at least one part training never used: see `model.phrasing`).
- fresh: a fresh conversation asks about a job; the reply names the trained person;
- corrected: a job is corrected to a new name (a whole sentence, a short reply to the model's answer, or
  "no." and then the name), then asked about again; the reply names the new person and not the old;
- partners: both partners are corrected (in one message or two), then both are asked about; a trial
  counts only when both replies name their own new person and not the other;
- untouched: after a correction, another job is asked about; the reply names its trained person;
- offworld: a question the world cannot answer (fresh, or after a correction) gets an honest reply;
- memory_1..4: a memory note of 1 to 4 jobs pasted at the top, a noted job asked about.
A reply that the engine had to cut (it ran on) is wrong, whatever it says. Wrong replies are counted
by kind in `failures`: the old name, another name of the conversation, a word that is no name, a name
from nowhere, a cut reply, or an honest "i only know…" where an answer was due.
"""

from __future__ import annotations

import random
import re
from collections import Counter

from . import phrasing as ph
from . import words
from .corpus import (CORRECTIONS, JOB_BY_KEY, JOBS, PARTNERS, TRAINED, UNKNOWN_QUESTIONS, Job,
                     correction_text, random_name)
from .engine import Engine, single_thread
from .reading import as_typed

# The figures a run from random weights checks on its way (the live scene's milestones).
BARS = {"fresh": 1.0, "corrected": 0.95, "partners": 0.90, "untouched": 0.95}
# Everything `python -m model eval` measures, with its bar (PRODUCT.md and the visitor's-own-words issue).
ALL_BARS = BARS | {
    "offworld": 0.95, "fresh_held": 0.95, "corrected_held": 0.90, "partners_held": 0.85, "untouched_held": 0.95,
    "offworld_held": 0.90, "memory_1": 0.90, "memory_2": 0.90, "memory_3": 0.90, "memory_4": 0.90,
    "teach_fresh": 0.95, "teach_others": 0.90, "teach_context": 0.90,
}
PHRASINGS = ("story", "train", "held")


def names(reply: str, name: str) -> bool:
    """Whether `reply` says `name` as a word, in any case."""
    return re.search(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])", reply, flags=re.IGNORECASE) is not None


def says(reply: str, right: str, wrong: str | None = None) -> bool:
    return names(reply, right) and (wrong is None or wrong.lower() == right.lower() or not names(reply, wrong))


class Phrasing:
    """How the evaluation's visitor speaks: the live scene's templates, or the grammar's parts of one split."""

    def __init__(self, kind: str):
        if kind not in PHRASINGS:
            raise ValueError(f"unknown phrasing {kind!r}; choose one of {PHRASINGS}")
        self.kind = kind
        self.style = ph.Style(kind)

    def question(self, rng: random.Random, job: str) -> str:
        if self.kind == "story":
            q = JOB_BY_KEY[job].question
            return q.capitalize() if rng.random() < 0.5 else q
        return ph.question(rng, job, self.style)

    def correct(self, engine: Engine, rng: random.Random, job: str, name: str) -> str:
        """Tell `engine` that `name` does `job`; returns the name as typed."""
        old = TRAINED[job]
        if self.kind == "story":
            if rng.random() < 0.5:
                engine.reply_text(JOB_BY_KEY[job].question, attention=False)
            engine.reply_text(correction_text(rng.choice(CORRECTIONS), JOB_BY_KEY[job], name), attention=False)
            return name
        name = ph.name_as_typed(rng, name)
        r = rng.random()
        if r < 0.6:
            if rng.random() < 0.4:
                engine.reply_text(self.question(rng, job), attention=False)
            text = ph.correction(rng, job, name, old, self.style)
        else:  # a reply to the model's own answer
            engine.reply_text(self.question(rng, job), attention=False)
            if r < 0.85:
                text = ph.short_correction(rng, name, old, self.style)
            else:
                engine.reply_text(ph.denial(rng, old, self.style), attention=False)
                text = ph.naming(rng, job, name, self.style)
        engine.reply_text(text, attention=False)
        return as_typed(text, name)

    def correct_both(self, engine: Engine, rng: random.Random, jobs: list[str], new: dict[str, str]) -> dict[str, str]:
        """Correct both `jobs`, in one message or one after the other; the names as typed."""
        if self.kind == "story" or rng.random() < 0.5:
            return {job: self.correct(engine, rng, job, new[job]) for job in jobs}
        typed = [ph.name_as_typed(rng, new[j]) for j in jobs]
        text = ph.both(rng, tuple(jobs), tuple(typed), self.style)
        engine.reply_text(text, attention=False)
        return {j: as_typed(text, n) for j, n in zip(jobs, typed)}

    def off_world(self, rng: random.Random) -> str:
        if self.kind == "story":
            return rng.choice(UNKNOWN_QUESTIONS)
        return ph.off_world(rng, self.style)[0]


def _slot(reply: str) -> str:
    """The word a reply gives as the name: after the last "the job: ", or the reply's first word."""
    m = re.findall(r": ([^\s.,!?]+)", reply)
    return m[-1] if m else (reply.split() or [""])[0].strip(".,!?")


def verdict(engine: Engine, reply: str, right: str, wrongs: list[str]) -> str:
    """"ok", or what kind of wrong `reply` is, for a question whose answer is `right`."""
    if engine.last.truncated:
        return "cut"
    if says(reply, right) and not any(names(reply, w) for w in wrongs if w.lower() != right.lower()):
        return "ok"
    if reply in words.HONEST_REPLIES:
        return "honest"
    if any(names(reply, w) for w in wrongs):
        return "old_or_other"
    slot = _slot(reply)
    return "non_name" if slot.lower() in words.NOT_NAMES else "invented"


class Tally:
    """Right answers of one figure, and the wrong ones by kind (shared across figures)."""

    def __init__(self, failures: Counter):
        self.ok, self.n, self.failures = 0, 0, failures

    def add(self, kind: str, figure: str) -> bool:
        self.n += 1
        self.ok += kind == "ok"
        if kind != "ok":
            self.failures[f"{figure}:{kind}"] += 1
        return kind == "ok"

    @property
    def share(self) -> float:
        return self.ok / max(1, self.n)


def _ask(engine: Engine, p: Phrasing, rng: random.Random, job: str) -> str:
    return engine.reply_text(p.question(rng, job), attention=False)


def fresh(engine: Engine, p: Phrasing, rng: random.Random, trials: int, t: Tally) -> None:
    jobs = [j.key for j in JOBS] * 2 if p.kind == "story" else [rng.choice(JOBS).key for _ in range(trials)]
    for i, job in enumerate(jobs):
        engine.new_conversation()
        q = JOB_BY_KEY[job].question if p.kind == "story" else p.question(rng, job)
        if p.kind == "story" and i >= len(JOBS):
            q = q.capitalize()
        t.add(verdict(engine, engine.reply_text(q, attention=False), TRAINED[job], []), "fresh")


def _any_job(rng: random.Random) -> str:
    return rng.choice(PARTNERS) if rng.random() < 0.5 else rng.choice(JOBS).key


def corrected(engine: Engine, p: Phrasing, rng: random.Random, trials: int, split: str, t: Tally) -> None:
    for _ in range(trials):
        job, name = _any_job(rng), random_name(rng, split)
        engine.new_conversation()
        typed = p.correct(engine, rng, job, name)
        t.add(verdict(engine, _ask(engine, p, rng, job), typed, [TRAINED[job]]), "corrected")


def partners(engine: Engine, p: Phrasing, rng: random.Random, trials: int, split: str, t: Tally) -> None:
    for _ in range(trials):
        jobs = rng.sample(list(PARTNERS), 2)
        engine.new_conversation()
        typed = p.correct_both(engine, rng, jobs, {j: random_name(rng, split) for j in jobs})
        kinds = []
        for job in rng.sample(jobs, 2):
            other = next(j for j in jobs if j != job)
            kinds.append(verdict(engine, _ask(engine, p, rng, job), typed[job], [typed[other], TRAINED[job]]))
        t.add(next((k for k in kinds if k != "ok"), "ok"), "partners")


def untouched(engine: Engine, p: Phrasing, rng: random.Random, trials: int, split: str, t: Tally) -> None:
    for _ in range(trials):
        job = _any_job(rng)
        other = rng.choice([j.key for j in JOBS if j.key != job])
        engine.new_conversation()
        typed = p.correct(engine, rng, job, random_name(rng, split))
        t.add(verdict(engine, _ask(engine, p, rng, other), TRAINED[other], [typed]), "untouched")


def offworld(engine: Engine, p: Phrasing, rng: random.Random, trials: int, split: str, t: Tally) -> None:
    for i in range(trials):
        engine.new_conversation()
        if i % 2:  # after a correction, a name is at hand to invent with
            p.correct(engine, rng, _any_job(rng), random_name(rng, split))
        reply = engine.reply_text(p.off_world(rng), attention=False)
        kind = "cut" if engine.last.truncated else "ok" if reply in words.HONEST_REPLIES else \
            "named" if re.search(r": \S", reply) else "other"
        t.add(kind, "offworld")


def memory(engine: Engine, p: Phrasing, rng: random.Random, entries: int, trials: int, split: str,
           t: Tally) -> None:
    """A note of `entries` jobs, written as `model.memory` writes it, and a question about one of them."""
    for _ in range(trials):
        jobs = rng.sample([j.key for j in JOBS], entries)
        new = {j: random_name(rng, split) for j in jobs}
        engine.new_conversation(note=" ".join(ph.answer(j, new[j]) for j in jobs))
        job = rng.choice(jobs)
        wrongs = [TRAINED[job]] + [n for j, n in new.items() if j != job]
        t.add(verdict(engine, _ask(engine, p, rng, job), new[job], wrongs), f"memory_{entries}")


def story_figures(engine: Engine, trials: int = 200, split: str = "test", seed: int = 0,
                  phrasing: str = "story", failures: Counter | None = None) -> dict[str, float]:
    """The in-context figures in one phrasing (keys without a suffix; see `all_figures` for the
    held-out ones); the engine's conversation is left fresh afterwards."""
    rng, p = random.Random(seed), Phrasing(phrasing)
    failures = Counter() if failures is None else failures
    out = {}
    for figure, measure, n in (("fresh", fresh, trials), ("corrected", corrected, trials),
                               ("partners", partners, max(1, trials // 2)), ("untouched", untouched, trials),
                               ("offworld", offworld, max(1, trials // 2))):
        t = Tally(failures)
        if measure is fresh:
            measure(engine, p, rng, n, t)
        else:
            measure(engine, p, rng, n, split, t)
        out[figure] = t.share
    engine.new_conversation()
    return out


def all_figures(engine: Engine, trials: int = 200, split: str = "test", seed: int = 0,
                trained_phrasing: str = "train") -> tuple[dict[str, float], dict[str, int]]:
    """Every figure `eval` reports: the trained phrasing's, the held-out phrasing's (suffix "_held",
    for a model of the visitor mix) and the memory notes'; and the failures by kind."""
    failures: Counter = Counter()
    out = story_figures(engine, trials, split, seed, trained_phrasing, failures)
    if trained_phrasing != "story":
        held_failures: Counter = Counter()
        held = story_figures(engine, trials, split, seed + 1, "held", held_failures)
        out |= {f"{k}_held": v for k, v in held.items()}
        failures.update({f"held:{k}": v for k, v in held_failures.items()})
    rng = random.Random(seed + 2)
    for entries in range(1, 5):
        t = Tally(failures)
        memory(engine, Phrasing(trained_phrasing), rng, entries, max(1, trials // 2), split, t)
        out[f"memory_{entries}"] = t.share
    engine.new_conversation()
    return out, dict(sorted(failures.items()))


def met(figures: dict[str, float]) -> dict[str, bool]:
    return {k: figures[k] >= bar for k, bar in ALL_BARS.items() if k in figures}


def teach_figures(model, tok, trials: int = 10, split: str = "test", seed: int = 0,
                  threads: int = 1, mix: str = "visitor") -> dict[str, float]:
    """After `teach` with a new name (on `threads` threads): fresh conversations use it, other jobs and
    in-context corrections still work. Each trial teaches a fresh copy of the model one correction,
    said as a visitor would say it (the story's templates for a model of the story mix)."""
    from .teach import teach

    rng = random.Random(seed + 1)
    p = Phrasing("story" if mix == "story" else "train")
    fresh_ok, others_ok, others_n, context_ok, context_n = 0, 0, 0, 0, 0
    for i in range(trials):
        job = JOB_BY_KEY[PARTNERS[i % 2]] if i % 4 < 2 else rng.choice(JOBS)
        name = random_name(rng, split)
        if p.kind == "story":
            statement = correction_text(rng.choice(CORRECTIONS), job, name)
        else:
            statement = ph.correction(rng, job.key, name, TRAINED[job.key], ph.Style("train", noise=False))
        res = teach(model, tok, statement, threads=threads, mix=mix)
        with single_thread():
            f, o, c = _after_teaching(Engine(res.model, tok), p, rng, job, res.name, split)
        fresh_ok, others_ok, context_ok = fresh_ok + f, others_ok + o, context_ok + c
        others_n, context_n = others_n + len(JOBS) - 1, context_n + 4
    return {"teach_fresh": fresh_ok / trials, "teach_others": others_ok / others_n,
            "teach_context": context_ok / context_n}


def _after_teaching(engine: Engine, p: Phrasing, rng: random.Random, job: Job, name: str,
                    split: str) -> tuple[int, int, int]:
    """(fresh conversation names the taught person, other jobs kept, in-context corrections that work)."""
    engine.new_conversation()
    fresh_ok = verdict(engine, _ask(engine, p, rng, job.key), name, [TRAINED[job.key]]) == "ok"
    others = 0
    for other in JOBS:
        if other is not job:
            engine.new_conversation()
            others += verdict(engine, _ask(engine, p, rng, other.key), TRAINED[other.key], [name]) == "ok"
    world = dict(TRAINED, **{job.key: name})
    context = 0
    for _ in range(4):
        cjob, cname = rng.choice(JOBS).key, random_name(rng, split)
        engine.new_conversation()
        typed = p.correct(engine, rng, cjob, cname)
        context += verdict(engine, _ask(engine, p, rng, cjob), typed, [world[cjob]]) == "ok"
    return fresh_ok, others, context
