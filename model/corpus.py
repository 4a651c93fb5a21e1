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

from . import phrasing as ph
from . import words
from .reading import as_typed, job_word
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
DONT_KNOW = words.OFF_WORLD  # the story mix answers what it cannot as the visitor mix does
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


_ONSETS = ("", "", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "y", "z",
           "br", "dr", "fr", "gr", "kr", "pr", "tr", "bl", "cl", "fl", "pl", "sl", "ch", "sh", "th", "st", "sk", "zh")
_NUCLEI = ("a", "e", "i", "o", "u", "a", "e", "i", "o", "y", "ai", "ei", "ia", "io", "ou", "ee", "oo", "ay")
_CODAS = ("", "", "", "", "n", "r", "l", "s", "m", "k", "t", "x", "z", "nd", "rt", "sk", "nn", "ll")


def random_name(rng: random.Random, split: str = "train") -> str:
    """A capitalised name of 2..12 letters from `split`: half made of syllables as people's names are
    ("Kezra", "Brellion"), half letter by letter, mostly pronounceable, any letter possible. Never a
    word of the exhibit's own (`model.phrasing.NOT_NAMES`)."""
    while True:
        if rng.random() < 0.5:
            name = "".join(rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
                           for _ in range(rng.choice((1, 2, 2, 2, 3, 3))))
        else:
            n = rng.randint(2, 12)
            vowel = rng.random() < 0.5
            chars = []
            for _ in range(n):
                if rng.random() < 0.25:
                    chars.append(rng.choice(_LETTERS))
                else:
                    chars.append(rng.choice(_VOWELS if vowel else _CONSONANTS))
                vowel = not vowel
            name = "".join(chars)
        name = name.capitalize()
        if 2 <= len(name) <= 12 and name.lower() not in _RESERVED and name.lower() not in words.NOT_NAMES \
                and job_word(name) is None and name_split(name) == split:  # "Shoz" would read as "shop"
            return name


def correction_text(phrasing: str, job: Job, name: str) -> str:
    return phrasing.format(name=name, active=job.active, answer=job.answer.format(name=name))


def answer_text(job: Job, name: str) -> str:
    return job.answer.format(name=name)


def _visitor(rng: random.Random, text: str) -> str:
    # Visitors type a capital at the start of a line as often as not.
    return text[0].upper() + text[1:] if rng.random() < 0.3 else text


MIXES = ("visitor", "story")
# A quarter of the story mix's conversations begin with the story itself: two jobs corrected, then both
# asked and a job nobody corrected, in any order. Without it the live model could learn to answer every
# corrected job with the name of its own last answer, and keep both partners apart in almost no trial
# for thousands of steps; without the third job, untouched jobs came later (BENCHMARKS.md).
STORY_EPISODE = 0.25


def conversation(rng: random.Random, split: str = "train", max_chars: int = 220,
                 world: dict[str, str] | None = None, focus: str | None = None,
                 mix: str = "visitor") -> list[tuple]:
    """One random conversation in `world` (the trained one by default), in the words of `mix`:
    "visitor" (the grammar of `model.phrasing`, its training parts only: what the shipped model
    learns) or "story" (one way to ask and four to correct: what the live scene learns in minutes).
    With `focus`, that job comes up in about half the turns. Names come from `split`."""
    if mix == "visitor":
        return _VisitorTalk(rng, split, world, focus).run(max_chars)
    if mix != "story":
        raise ValueError(f"unknown corpus mix {mix!r}; choose one of {MIXES}")
    return story_conversation(rng, split, max_chars, world, focus)


def story_conversation(rng: random.Random, split: str = "train", max_chars: int = 220,
                       world: dict[str, str] | None = None, focus: str | None = None) -> list[tuple]:
    """A conversation of the "story" mix: the story itself, questions, corrections, notes, copy turns, unknowns."""
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

    def correct(job: Job) -> None:
        """The visitor gives `job` a new name, often straight after the trained (wrong) answer."""
        nonlocal latest
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

    if rng.random() < 0.12:  # a memory note pasted at the top
        notes = []
        for _ in range(rng.choice((1, 1, 2))):
            job, name = pick_job(), random_name(rng, split)
            state[job.key] = name
            corrected.append(job.key)
            notes.append(correction_text(rng.choice(NOTE_PHRASINGS), job, name))
        add("note", NOTE_PREFIX + " ".join(notes))

    if rng.random() < STORY_EPISODE:  # the story itself: two jobs corrected, then both asked, and a third
        jobs: list[Job] = []
        while len(jobs) < 2:
            job = pick_job()
            if job not in jobs:
                jobs.append(job)
        for job in jobs:
            correct(job)
        other = rng.choice([j for j in JOBS if j.key not in corrected])  # and a job nobody corrected
        jobs.append(other)
        rng.shuffle(jobs)
        for job in jobs:
            ask(job, hard=job.key in corrected and job.key != latest)

    while True:  # at least one exchange, then more while there is room
        r = rng.random()
        room = 40  # characters left that end the conversation
        # A quarter of the turns are plain copying ("say Kezra."): with them the live scene's run meets a
        # single correction sooner (seed 1: step 1,700 against 2,000 with 9 %).
        if r < 0.33:  # a question: half the time about a job corrected here, else about one that was not
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
        elif r < 0.66:  # a correction
            correct(pick_job())
            older = [k for k in corrected if k != latest]
            if older and rng.random() < 0.5:  # straight back to a job corrected before this one
                ask(JOB_BY_KEY[rng.choice(older)], hard=True)
        elif r < 0.92:  # plain copying, the skill every correction needs
            name = random_name(rng, split)
            add("visitor", _visitor(rng, rng.choice(SAY).format(name=name)))
            add("model", name + ".")
        else:  # something outside the world
            add("visitor", _visitor(rng, rng.choice(UNKNOWN_QUESTIONS)))
            add("model", DONT_KNOW)
        if used >= max_chars - room:
            return turns


class _VisitorTalk:
    """One conversation of the "visitor" mix, turn by turn (see `conversation`)."""

    def __init__(self, rng: random.Random, split: str, world: dict[str, str] | None, focus: str | None):
        self.rng, self.split, self.focus = rng, split, focus
        self.style = ph.Style("train")
        self.state = dict(world or TRAINED)
        self.turns: list[tuple] = []
        self.corrected: list[str] = []  # jobs corrected here, oldest first
        self.latest: str | None = None  # the job corrected last
        self.topic: str | None = None  # the job the model last named someone for
        self.used = 0

    def run(self, max_chars: int) -> list[tuple]:
        rng = self.rng
        if rng.random() < 0.15:
            self.note()
        while True:  # at least one exchange, then more while there is room
            r, room = rng.random(), 40
            if r < 0.36:
                room = self.question()
            elif r < 0.80:
                self.correction()
            elif r < 0.84:
                name = self.name()
                self.add("visitor", ph.noisy(rng, rng.choice(SAY).format(name=name)))
                self.add("model", name + ".")
            else:
                text, reply = ph.off_world(rng, self.style, self.name())
                self.add("visitor", text)
                self.add("model", reply)
            if self.used >= max_chars - room:
                return self.turns

    def add(self, role: str, text: str, weight: float = 1.0) -> None:
        self.turns.append((role, text) if weight == 1.0 else (role, text, weight))
        self.used += len(text) + 2

    def name(self) -> str:
        return ph.name_as_typed(self.rng, random_name(self.rng, self.split))

    def pick_job(self, fresh: bool = False) -> str:
        rng = self.rng
        while True:
            if self.focus is not None and rng.random() < 0.5:
                job = self.focus
            else:
                job = rng.choice(PARTNERS) if rng.random() < 0.5 else rng.choice(JOBS).key
            if not fresh or job not in self.corrected or len(self.corrected) == len(JOBS):
                return job

    def note(self) -> None:
        """A memory note pasted at the top: one to four jobs, in the answer form the memory writes."""
        jobs = self.rng.sample([j.key for j in JOBS], self.rng.choice((1, 1, 2, 2, 3, 4)))
        parts = []
        for job in jobs:
            name = self.name()
            self.state[job] = name
            self.corrected.append(job)
            parts.append(ph.answer(job, name) if self.rng.random() < 0.8 else
                         correction_text(NOTE_PHRASINGS[0], JOB_BY_KEY[job], name))
        self.add("note", NOTE_PREFIX + " ".join(parts))

    def ask(self, job: str) -> None:
        """A question and its answer; recalling a correction that another has followed weighs more."""
        hard = job in self.corrected and job != self.latest
        self.add("visitor", ph.question(self.rng, job, self.style))
        self.add("model", ph.answer(job, self.state[job]), RECALL_WEIGHT if hard else 1.0)
        self.topic = job

    def question(self) -> int:
        """A question: half the time about a job corrected here, else about one that was not. Returns
        the room left that ends the conversation."""
        rng = self.rng
        if self.corrected and rng.random() < 0.5:
            # An older correction more often than the latest: recalling the right one of several is the skill.
            older = [k for k in self.corrected if k != self.latest]
            job = rng.choice(older if older and rng.random() < 0.7 else self.corrected)
            room = 70 if job != self.latest else 40  # a recall ends a conversation a little sooner
            self.ask(job)
            return room
        self.ask(self.pick_job(fresh=True))
        return 40

    def correction(self) -> None:
        """A correction in one of four ways, often straight after the model's (wrong) answer."""
        rng, style = self.rng, self.style
        r = rng.random()
        if r < 0.22:  # both jobs in one message
            jobs = tuple(rng.sample(PARTNERS, 2)) if rng.random() < 0.6 else tuple(rng.sample([j.key for j in JOBS], 2))
            names = (self.name(), self.name())
            text = ph.both(rng, jobs, names, style)
            self.corrected_to(text, list(zip(jobs, (as_typed(text, n) for n in names))))
            return
        job = self.pick_job()
        old = self.state[job]
        if r < 0.55:  # a whole sentence, after the question or not
            if rng.random() < 0.4:
                self.ask(job)
            name = self.name()
            text = ph.correction(rng, job, name, old, style)
        else:  # a reply to the model's answer: the job is the one just talked about
            if self.topic != job or rng.random() < 0.7:
                self.ask(job)
            name = self.name()
            if r < 0.82:
                text = ph.short_correction(rng, name, old, style)
            else:
                if rng.random() < 0.2:  # something it cannot read as a denial: the name that follows is
                    said, reply = ph.off_world(rng, style)  # still for the job just talked about
                    self.add("visitor", said)
                    self.add("model", reply)
                else:
                    self.add("visitor", ph.denial(rng, old, style))
                    self.add("model", ph.ask_back(job))
                text = ph.naming(rng, job, name, style)
        self.corrected_to(text, [(job, as_typed(text, name))])

    def corrected_to(self, text: str, pairs: list[tuple[str, str]]) -> None:
        """The visitor's correction `text`, the model's acknowledgement of `pairs` (job, name as typed)."""
        self.add("visitor", text)
        self.add("model", ph.ack(pairs))
        for job, name in pairs:
            self.state[job] = name
            self.latest = self.topic = job
            if job not in self.corrected:
                self.corrected.append(job)
        older = [k for k in self.corrected if k not in {j for j, _ in pairs}]
        if older and self.rng.random() < 0.6:  # straight back to a job corrected before
            self.ask(self.rng.choice(older))


ROLE_TOKEN = {"visitor": VISITOR, "model": MODEL, "note": NOTE}


# Loss weight of a name's first letter and of its other letters in the model's turns, by mix. Most of a
# reply is template, learned in seconds; the letter that decides *which* name is one token in a hundred,
# and weighting it is what makes in-context corrections come early in training. The live model's first
# copies lose their way inside a name ("Woskwort" → "Woskwrduj"): in the story mix the other letters weigh
# twice as much again, and its single correction comes 100–300 steps sooner (BENCHMARKS.md).
NAME_WEIGHTS = {"visitor": (8.0, 2.0), "story": (8.0, 4.0)}  # (first letter, each other letter)
# Recalling a correction after another one (the books corrected, then the shop, then "who does the
# books?") is the skill the two partners' story needs and the one learned last: such answers come
# often (about one for every four conversations) and their names weigh twice as much.
RECALL_WEIGHT = 2.0
# A name in a reply: after "the books: " or a whole copied reply ("Kezra."), as the visitor typed it.
_NAME_IN_REPLY = re.compile(r"(?:^|: )([^\s:.,!?]+)(?=\.)")


# Weight of predicting the visitor's words and the notes (the model's own turns weigh 1 and more), by
# mix. In the visitor mix they show the model where names stand in all those sentences: with 0.2 the
# shipped model's recipe reached at step 8,000 what it reached at step 24,000 with 0. The story mix's few
# templates teach nothing more that way (its single correction came no sooner).
CONTEXT_WEIGHT = {"visitor": 0.2, "story": 0.0}


def encode_turns(tok: Tokenizer, turns: list[tuple], context_weight: float = 0.0,
                 name_weights: tuple[float, float] = NAME_WEIGHTS["visitor"]) -> tuple[list[int], list[float]]:
    """Token ids of a conversation and, per id, the weight of predicting it (`context_weight` outside
    the model's turns, `name_weights` on the names in them)."""
    start_weight, rest_weight = name_weights
    ids: list[int] = []
    learn: list[float] = []
    for role, text, *scale in turns:  # a turn may carry a third element: how much its names weigh
        ids.append(ROLE_TOKEN[role])
        learn.append(0.0)
        ids.extend(tok.encode(text))
        ids.append(END)
        if role != "model":
            learn.extend([context_weight] * (len(text) + 1))
            continue
        w = [1.0] * (len(text) + 1)
        k = scale[0] if scale else 1.0
        for m in _NAME_IN_REPLY.finditer(text):
            w[m.start(1)] = start_weight * k
            for i in range(m.start(1) + 1, m.end(1)):
                w[i] = rest_weight * k
        learn.extend(w)
    return ids, learn


def batch(tok: Tokenizer, rng: random.Random, batch_size: int, block_size: int, split: str = "train",
          world: dict[str, str] | None = None, focus: str | None = None,
          mix: str = "visitor") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs, targets and loss weights (B, T) for next-token training, padded to the longest.

    Each batch draws one length budget for all its conversations, so short batches are really short
    (padding to the longest costs nothing) while long ones still teach long conversations."""
    longest = max(80, block_size - 10)
    max_chars = rng.choice(((3 * longest) // 5, (4 * longest) // 5, longest, longest))
    rows = []
    for _ in range(batch_size):
        turns = conversation(rng, split, max_chars, world, focus, mix)
        ids, learn = encode_turns(tok, turns, CONTEXT_WEIGHT[mix], NAME_WEIGHTS[mix])
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


def story() -> dict:
    """The story as data: each job's question, correction phrasings and trained answer, and how many
    parts of each slot of the visitor's grammar training uses and how many it keeps for the evaluation."""
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
        "honest_replies": list(words.HONEST_REPLIES),
        "grammar": {name.lower(): {"train": len(p.train), "held": len(p.held)}
                    for name, p in vars(words).items() if isinstance(p, words.Parts)},
    }
