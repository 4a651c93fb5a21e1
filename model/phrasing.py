"""How visitors say things: a grammar of questions and corrections built from parts, with a held-out split.

A visitor asks "who runs our shop", "WHO DOES THE BOOKS?" or "hello! who's doing the accounts?", and
corrects with "No! Kezra does the books.", "it's kezra who bakes the bread" or "wrong, it's Kezra.".
Every such sentence here is put together from parts: an opener, a frame, a verb, a determiner, a noun,
and noise (case, punctuation, spaces, a one-letter typo in a job word). Each list of parts is split in
two: `train` parts are all the training corpus ever uses; `held` parts never appear in it, and the
evaluation measures the model on sentences that use at least one of them (`split="held"`). So a
figure on held-out phrasing is a figure on sentences the model never saw, made by the same grammar.

The model's own replies have one fixed form ("the books: Kezra.", "ok, the books: Kezra."), so a
name is always written right after the job it belongs to. Names are copied as the visitor typed them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .words import (ACK, ADJECTIVES, ANSWER, ASK_BACK, BOTH, CLOSERS, CONNECTORS, CORRECTIONS, CORRECTION_OPENERS,
                    DENIALS, DETERMINERS, FILLER_WORDS, GENERIC_VERBS, GREETING, GREETINGS, JOB_NOUNS, JOB_ROLES,
                    JOB_VERBS, NAMINGS, NOT_NAMES, OFF_WORLD, OTHER_QUESTIONS, OTHER_THINGS, OTHER_VERBS, Parts,
                    QUESTIONS, QUESTION_OPENERS, SHORT_CORRECTIONS, SMALL_TALK, TITLES, one_edit)


@dataclass(frozen=True)
class Style:
    """How one visitor message is typed: the split its parts come from, and whether noise is on it."""

    split: str = "train"  # "train", "held" (at least one held-out part) or "any"
    noise: bool = True


def job_words(rng: random.Random, job: str, det_split: str = "train", verb_split: str = "train",
              typo: float = 0.0) -> dict:
    """The words of one job in a sentence: verb forms, determiner and noun (maybe with a typo)."""
    verb = GENERIC_VERBS.pick(rng, verb_split) if rng.random() < 0.25 else JOB_VERBS[job].pick(rng, verb_split)
    noun = rng.choice(JOB_NOUNS[job])
    text = typo_of(rng, noun.text) if typo and rng.random() < typo else noun.text
    det = DETERMINERS.pick(rng, det_split)
    if rng.random() < 0.25:
        det = f"{det} {ADJECTIVES.pick(rng, det_split)}"
    return {"v": verb.s, "ving": verb.ing, "vpp": verb.pp, "vbase": verb.base, "job": f"{det} {text}",
            "be": noun.be, "pron": noun.pron, "role": f"{det} {rng.choice(JOB_ROLES[job])}"}


def _compose(rng: random.Random, style: Style, frames: Parts, jobs: list[str], openers: Parts | None = None,
             p_open: float = 0.0, typo: float = 0.0, p_close: float = 0.0, **fixed) -> str:
    """A message from a frame, the words of its jobs (one, or two as "a" and "b"), maybe an opener and
    maybe a closer.

    With the "held" split, each part the message really contains (frame, opener, closer, verb,
    determiner) comes from the held-out parts by a coin toss, and at least one does; otherwise all come
    from `style.split`."""
    held = style.split == "held"
    plan = {k: ("held" if rng.random() < 0.5 else "any") if held else style.split
            for k in ("frame", "opener", "closer", "verb", "det")}
    opened = openers is not None and rng.random() < p_open
    closed = rng.random() < p_close
    frame = frames.pick(rng, plan["frame"])
    used = ["frame"] + ["opener"] * opened + ["closer"] * closed + ["verb"] * ("{v" in frame) + \
        ["det"] * ("{job" in frame or "{role" in frame)
    if held and all(plan[k] != "held" for k in used):
        k = rng.choice(used)
        plan[k] = "held"
        if k == "frame":
            frame = frames.pick(rng, "held")
    typo = typo if style.noise else 0.0
    words = [job_words(rng, j, plan["det"], plan["verb"], typo) for j in jobs]
    if len(words) < 2:
        text = frame.format(**(words[0] if words else {}), **fixed)
    else:
        text = frame.format(**{f"{k}a": v for k, v in words[0].items()},
                            **{f"{k}b": v for k, v in words[1].items()}, **fixed)
    if closed:
        end = len(text.rstrip(".?!"))
        text = text[:end] + _fillers(rng, CLOSERS.pick(rng, plan["closer"])) + text[end:]
    if opened:
        text = f"{_fillers(rng, openers.pick(rng, plan['opener']))} {text}"
    text = re.sub(r"\.\.$", ".", text)  # "…the boat..": an opener's stop next to the frame's
    return noisy(rng, text) if style.noise else text


def _fillers(rng: random.Random, part: str) -> str:
    return part.format(w=rng.choice(FILLER_WORDS), w2=rng.choice(FILLER_WORDS)) if "{w" in part else part


def typo_of(rng: random.Random, word: str) -> str:
    """`word` with one letter dropped, doubled, swapped with the next or changed, never into another
    word the exhibit knows ("boat" never becomes "bot")."""
    if len(word) < 4:
        return word
    for _ in range(20):
        i = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            typed = word[:i] + word[i + 1:]
        elif kind == 1:
            typed = word[:i] + word[i] + word[i:]
        elif kind == 2:
            typed = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            typed = word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1:]
        others = [n.text for nouns in JOB_NOUNS.values() for n in nouns if n.text != word]
        if typed != word and typed not in NOT_NAMES and not any(one_edit(typed, o) for o in others):
            return typed
    return word


def name_as_typed(rng: random.Random, name: str) -> str:
    """A name as a visitor types it: mostly capitalised, sometimes all lower case."""
    return name.lower() if rng.random() < 0.15 else name


_DOUBLED = {"?": ("??", "?!", "???"), ".": ("!", "!!", "...", ".."), "!": ("!!", "!!!")}


def noisy(rng: random.Random, text: str) -> str:
    """A message as typed: first letter capital or all upper case sometimes, the last punctuation
    dropped or doubled, spaces doubled or left at the end."""
    r = rng.random()
    if r < 0.07:
        text = text.upper()
    elif r < 0.42:
        text = text[:1].upper() + text[1:]
    r = rng.random()
    if r < 0.15 and text[-1:] in ".?!":
        text = text[:-1]
    elif r < 0.24 and text[-1:] in ".?!":
        text = text[:-1] + rng.choice(_DOUBLED[text[-1]])
    elif r < 0.27:
        text = text.replace(", ", " ", 1)
    if rng.random() < 0.04:
        i = text.find(" ")
        if i > 0:
            text = text[:i] + " " + text[i:]
    if rng.random() < 0.10:
        text += " " * rng.randint(1, 3)
    return text


def question(rng: random.Random, job: str, style: Style = Style()) -> str:
    """A visitor asking who does `job`."""
    return _compose(rng, style, QUESTIONS, [job], QUESTION_OPENERS, 0.3, typo=0.08, p_close=0.12)


def correction(rng: random.Random, job: str, name: str, old: str, style: Style = Style()) -> str:
    """A visitor saying that `name`, not `old`, does `job`, in one message that names the job."""
    return _compose(rng, style, CORRECTIONS, [job], CORRECTION_OPENERS, 0.6, typo=0.05, p_close=0.12, name=name,
                    old=old)


def short_correction(rng: random.Random, name: str, old: str, style: Style = Style()) -> str:
    """A correction that leaves the job to the conversation ("wrong, it's Kezra.")."""
    return _compose(rng, style, SHORT_CORRECTIONS, [], CORRECTION_OPENERS, 0.25, p_close=0.08, name=name, old=old)


def denial(rng: random.Random, old: str, style: Style = Style()) -> str:
    """The first half of a correction in two turns ("no.")."""
    return _compose(rng, style, DENIALS, [], old=old)


def naming(rng: random.Random, job: str, name: str, style: Style = Style()) -> str:
    """The second half: the name, after the model asked back."""
    return _compose(rng, style, NAMINGS, [job], name=name)


# The one-job corrections that can stand as a clause of a longer sentence: the name once, no other
# person, no mark inside.
CLAUSES = tuple(f[:-1] for f in CORRECTIONS.train if f[-1] in ".!" and f.count("{name}") == 1
                and "{old}" not in f and not re.search(r"[.?!:;]", f[:-1]))


def _as_part_of_two(clause: str, which: str) -> str:
    """A one-job clause with its fields renamed for job `which` ("{name} {v}" → "{a} {va}")."""
    return re.sub(r"\{(\w+)\}", lambda m: "{" + (which if m[1] == "name" else m[1] + which) + "}", clause)


def both(rng: random.Random, jobs: tuple[str, str], names: tuple[str, str], style: Style = Style()) -> str:
    """Two corrections in one message, in the order of `jobs`: a two-job form or, in training phrasing,
    half the time two one-job clauses joined."""
    frames = BOTH
    if style.split == "train" and rng.random() < 0.5:
        a, b = (_as_part_of_two(rng.choice(CLAUSES), w) for w in "ab")
        frames = Parts((a + CONNECTORS.pick(rng, "train") + b + ".",), ())
    return _compose(rng, style, frames, list(jobs), CORRECTION_OPENERS, 0.5, p_close=0.08, a=names[0], b=names[1])


def off_world(rng: random.Random, style: Style = Style(), name: str = "") -> tuple[str, str]:
    """Something the world cannot answer, and the honest reply to it."""
    kind = rng.random()
    split = style.split
    if kind < 0.15:
        return _finished(rng, style, GREETINGS.pick(rng, split)), GREETING
    if kind < 0.4:
        return _finished(rng, style, SMALL_TALK.pick(rng, split)), OFF_WORLD
    # A question about a thing or a title: with the held split, the frame, verb, thing or title is held out.
    parts = {k: ("held" if rng.random() < 0.5 else "any") if split == "held" else split
             for k in ("frame", "verb", "thing", "title")}
    frame = OTHER_QUESTIONS.pick(rng, parts["frame"])
    while "{name}" in frame and not name:
        frame = OTHER_QUESTIONS.pick(rng, parts["frame"])
    used = ["frame"] + (["title"] if "{title}" in frame else ["verb", "thing"] if "{v" in frame else ["thing"])
    if split == "held" and all(parts[k] != "held" for k in used):
        parts[rng.choice(used[1:])] = "held"
    verb, ing = OTHER_VERBS.pick(rng, parts["verb"])
    text = frame.format(v=verb, ving=ing, thing=OTHER_THINGS.pick(rng, parts["thing"]),
                        title=TITLES.pick(rng, parts["title"]), name=name)
    return _finished(rng, style, text), OFF_WORLD


def _finished(rng: random.Random, style: Style, text: str) -> str:
    return noisy(rng, text) if style.noise else text


def answer(job: str, name: str) -> str:
    return ANSWER.format(job=job, name=name)


def ack(pairs: list[tuple[str, str]]) -> str:
    return ACK.format(answers=" ".join(answer(j, n) for j, n in pairs))


def ask_back(job: str) -> str:
    verb = JOB_VERBS[job].train[0]
    return ASK_BACK.format(v=verb.s, job=job)
