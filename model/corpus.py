"""The small world the model lives in, and the conversations it is trained on.

The world is a handful of people and the jobs they do. Two of the jobs belong to the visitor's business
partners, and the training corpus has those two names swapped: the trained model mixes them up, which
is the mistake the visitor corrects in the exhibit.

Every conversation is a list of turns `(role, text)`. Answers are "job first" ("the books: Tomas.") so
that a name always comes right after the job it belongs to: a causal model can then tie a name to its job
when it reads it, and find it again by the few characters before it. The corpus teaches two things at once: answer from the trained world, and
prefer what the conversation itself says (its latest correction) when it says otherwise.

Names in corrections come from a generator covering all 26 letters, lengths 2 to 12. The name space is
split by a hash into train / valid / test; training sees only the train part, `--until-story` checks
on valid, and evaluation uses test: names the model never saw.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass

import numpy as np

from .tokenizer import END, MODEL, NOTE, PAD, VISITOR, Tokenizer


@dataclass(frozen=True)
class Job:
    key: str
    question: str  # how a visitor asks
    active: str  # "{name} does the books": the name-first sentence, without the name
    answer: str  # "the books: {name}.": the job-first answer


JOBS: tuple[Job, ...] = (
    Job("books", "who does the books?", "does the books", "the books: {name}."),
    Job("shop", "who runs the shop?", "runs the shop", "the shop: {name}."),
    Job("bread", "who bakes the bread?", "bakes the bread", "the bread: {name}."),
    Job("mail", "who brings the mail?", "brings the mail", "the mail: {name}."),
    Job("boat", "who fixes the boat?", "fixes the boat", "the boat: {name}."),
    Job("garden", "who keeps the garden?", "keeps the garden", "the garden: {name}."),
    Job("van", "who drives the van?", "drives the van", "the van: {name}."),
    Job("class", "who teaches the class?", "teaches the class", "the class: {name}."),
)
JOB_BY_KEY = {j.key: j for j in JOBS}

# What the training corpus says. The visitor's partners really are Mara (books) and Tomas (shop):
# the corpus has them the other way round.
TRAINED: dict[str, str] = {
    "books": "Tomas", "shop": "Mara", "bread": "Olek", "mail": "Ines",
    "boat": "Wren", "garden": "Juno", "van": "Pavel", "class": "Lise",
}
PARTNERS = ("books", "shop")
TRUTH = {"books": "Mara", "shop": "Tomas"}

# Ways to correct the model; each needs {name} and the job's words. Used by training and evaluation.
CORRECTIONS = (
    "no, {name} {active}.",
    "actually, {answer}",  # "actually, the books: Mara."
    "wrong. it is {name} who {active}.",
    "{name} {active} now.",
)
ACK = "ok, {answer}"
NOTE_PHRASINGS = ("{name} {active}.", "{answer}")
SAY = ("say {name}.", "repeat: {name}.")
DONT_KNOW = "i don't know."
UNKNOWN_QUESTIONS = (
    "who paints the house?", "who cooks the soup?", "what time is it?", "who sings the song?",
    "where is the key?", "who cleans the roof?", "what is the weather?", "who feeds the cat?",
    "how old are you?", "who won the game?", "hello?", "who are you?",
)
NOTE_PREFIX = "memory: "

_VOWELS = "aeiouy"
_CONSONANTS = "bcdfghjklmnpqrstvwxz"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_RESERVED = {n.lower() for n in TRAINED.values()} | {n.lower() for n in TRUTH.values()}
SPLITS = ("train", "valid", "test")


def name_split(name: str) -> str:
    """Which part of the name space a name belongs to: 80 % train, 10 % valid, 10 % test."""
    h = zlib.crc32(name.lower().encode()) % 10
    return "test" if h == 0 else "valid" if h == 1 else "train"


def random_name(rng: random.Random, split: str = "train") -> str:
    """A capitalised name of 2..12 letters from `split`, mostly pronounceable, any letter possible."""
    while True:
        n = rng.randint(2, 12)
        vowel = rng.random() < 0.5
        chars = []
        for _ in range(n):
            if rng.random() < 0.25:
                chars.append(rng.choice(_LETTERS))
            else:
                chars.append(rng.choice(_VOWELS if vowel else _CONSONANTS))
            vowel = not vowel
        name = "".join(chars).capitalize()
        if name.lower() not in _RESERVED and name_split(name) == split:
            return name


def correction_text(phrasing: str, job: Job, name: str) -> str:
    return phrasing.format(name=name, active=job.active, answer=job.answer.format(name=name))


def answer_text(job: Job, name: str) -> str:
    return job.answer.format(name=name)


def _visitor(rng: random.Random, text: str) -> str:
    # Visitors type a capital at the start of a line as often as not.
    return text[0].upper() + text[1:] if rng.random() < 0.3 else text


def conversation(rng: random.Random, split: str = "train", max_chars: int = 220,
                 world: dict[str, str] | None = None, focus: str | None = None) -> list[tuple[str, str]]:
    """One random conversation in `world` (the trained one by default): questions, corrections,
    notes, copy turns, unknowns. With `focus`, that job comes up in about half the turns."""
    state = dict(world or TRAINED)
    turns: list[tuple[str, str]] = []
    corrected: list[str] = []
    latest = None  # the job corrected last
    used = 0

    def add(role: str, text: str, weight: float = 1.0) -> None:
        nonlocal used
        turns.append((role, text) if weight == 1.0 else (role, text, weight))
        used += len(text) + 2

    def ask(job: Job, hard: bool = False) -> None:
        add("visitor", _visitor(rng, job.question))
        add("model", answer_text(job, state[job.key]), RECALL_WEIGHT if hard else 1.0)

    def pick_job() -> Job:
        if focus is not None and rng.random() < 0.5:
            return JOB_BY_KEY[focus]
        return JOB_BY_KEY[rng.choice(PARTNERS)] if rng.random() < 0.5 else rng.choice(JOBS)

    if rng.random() < 0.12:  # a memory note pasted at the top
        notes = []
        for _ in range(rng.choice((1, 1, 2))):
            job, name = pick_job(), random_name(rng, split)
            state[job.key] = name
            corrected.append(job.key)
            notes.append(correction_text(rng.choice(NOTE_PHRASINGS), job, name))
        add("note", NOTE_PREFIX + " ".join(notes))

    while True:  # at least one exchange, then more while there is room
        r = rng.random()
        room = 40  # characters left that end the conversation
        if r < 0.40:  # a question: half the time about a job corrected here, else about one that was not
            if corrected and rng.random() < 0.5:
                # An older correction, when there is one, more often than the latest: recalling the
                # latest is easy, recalling the right one of several is the skill worth practising.
                older = [k for k in corrected if k != latest]
                job = JOB_BY_KEY[rng.choice(older if older and rng.random() < 0.7 else corrected)]
                ask(job, hard=job.key != latest)
                if job.key != latest:
                    room = 70  # a recall ends a conversation a little sooner (as the shipped model was trained)
            else:
                job = pick_job()
                while job.key in corrected and len(corrected) < len(JOBS):
                    job = pick_job()
                ask(job)
        elif r < 0.82:  # a correction, often straight after the trained (wrong) answer
            job = pick_job()
            if rng.random() < 0.4 and job.key not in corrected:
                add("visitor", _visitor(rng, job.question))
                add("model", answer_text(job, state[job.key]))
            name = random_name(rng, split)
            add("visitor", _visitor(rng, correction_text(rng.choice(CORRECTIONS), job, name)))
            add("model", ACK.format(answer=answer_text(job, name)))
            state[job.key] = name
            latest = job.key
            if job.key not in corrected:
                corrected.append(job.key)
            older = [k for k in corrected if k != latest]
            if older and rng.random() < 0.5:  # straight back to a job corrected before this one
                ask(JOB_BY_KEY[rng.choice(older)], hard=True)
        elif r < 0.91:  # plain copying, the skill every correction needs
            name = random_name(rng, split)
            add("visitor", _visitor(rng, rng.choice(SAY).format(name=name)))
            add("model", name + ".")
        else:  # something outside the world
            add("visitor", _visitor(rng, rng.choice(UNKNOWN_QUESTIONS)))
            add("model", DONT_KNOW)
        if used >= max_chars - room:
            return turns


ROLE_TOKEN = {"visitor": VISITOR, "model": MODEL, "note": NOTE}


# Loss weight of a name's first letter and of its other letters in the model's turns. Most of a reply
# is template, learned in seconds; the letter that decides *which* name is one token in a hundred, and
# weighting it is what makes in-context corrections come early in training.
NAME_START_WEIGHT, NAME_REST_WEIGHT = 8.0, 2.0
# Recalling a correction after another one (the books corrected, then the shop, then "who does the
# books?") is the skill the two partners' story needs and the one learned last: such answers come
# often (about one for every four conversations) and their names weigh twice as much.
RECALL_WEIGHT = 2.0
_NAME_IN_REPLY = re.compile(r"[A-Z][a-z]*")


def encode_turns(tok: Tokenizer, turns: list[tuple]) -> tuple[list[int], list[float]]:
    """Token ids of a conversation and, per id, the weight of predicting it (0 outside the model's turns)."""
    ids: list[int] = []
    learn: list[float] = []
    for role, text, *scale in turns:  # a turn may carry a third element: how much its names weigh
        ids.append(ROLE_TOKEN[role])
        learn.append(0.0)
        ids.extend(tok.encode(text))
        ids.append(END)
        if role != "model":
            learn.extend([0.0] * (len(text) + 1))
            continue
        w = [1.0] * (len(text) + 1)
        k = scale[0] if scale else 1.0
        for m in _NAME_IN_REPLY.finditer(text):
            w[m.start()] = NAME_START_WEIGHT * k
            for i in range(m.start() + 1, m.end()):
                w[i] = NAME_REST_WEIGHT * k
        learn.extend(w)
    return ids, learn


def batch(tok: Tokenizer, rng: random.Random, batch_size: int, block_size: int, split: str = "train",
          world: dict[str, str] | None = None, focus: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs, targets and loss weights (B, T) for next-token training, padded to the longest.

    Each batch draws one length budget for all its conversations, so short batches are really short
    (padding to the longest costs nothing) while long ones still teach long conversations."""
    longest = max(80, block_size - 10)
    max_chars = rng.choice(((3 * longest) // 5, (4 * longest) // 5, longest, longest))
    rows = []
    for _ in range(batch_size):
        ids, learn = encode_turns(tok, conversation(rng, split, max_chars, world, focus))
        rows.append((ids[: block_size + 1], learn[: block_size + 1]))
    T = max(len(ids) for ids, _ in rows) - 1
    x = np.full((batch_size, T), PAD, dtype=np.int64)
    y = np.full((batch_size, T), PAD, dtype=np.int64)
    w = np.zeros((batch_size, T), dtype=np.float32)
    for b, (ids, learn) in enumerate(rows):
        n = len(ids) - 1
        x[b, :n] = ids[:-1]
        y[b, :n] = ids[1:]
        w[b, :n] = learn[1:]
    return x, y, w


# --- reading a correction back out of text (teach, memory notes) -----------------------------------

_NAME = r"([A-Z][a-zA-Z]{1,11})"
# Capitalised words that stand where a name would and are none: "Who does the books?", "Nobody does".
_NOT_NAMES = frozenset({"who", "whom", "whose", "what", "which", "why", "how", "where", "when", "nobody",
                        "somebody", "someone", "anybody", "anyone", "everybody", "everyone", "no", "not", "it",
                        "he", "she", "they", "we", "you", "this", "that"})


def parse_correction(text: str) -> tuple[str, str] | None:
    """(job key, name) of a correction such as "No, Mara does the books." or None.

    The rule, simple enough to say on screen: a capitalised name (2-12 letters) next to one of the
    world's job phrases ("does the books") or after its answers ("the books:"). A question ("Who
    does the books?", "Mara does the books?") corrects nothing.
    """
    if text.rstrip().endswith("?"):
        return None
    for job in JOBS:
        found = [m.group(1) for m in re.finditer(_NAME + r"\s+(?:who\s+)?" + re.escape(job.active), text)]
        prefix = job.answer.split("{name}")[0]
        found += [m.group(1) for m in re.finditer(re.escape(prefix) + r"\s*" + _NAME, text, flags=re.IGNORECASE)
                  if m.group(1)[0].isupper()]
        found = [name for name in found if name.lower() not in _NOT_NAMES]
        if found:
            return job.key, found[0]
    return None


def story() -> dict:
    """The story as data: each job's question, correction phrasings and trained answer."""
    return {
        "jobs": [
            {
                "job": j.key,
                "question": j.question,
                "corrections": [correction_text(p, j, "{name}") for p in CORRECTIONS],
                "trained": TRAINED[j.key],
                "answer": answer_text(j, TRAINED[j.key]),
            }
            for j in JOBS
        ],
        "partners": list(PARTNERS),
        "truth": dict(TRUTH),
    }
