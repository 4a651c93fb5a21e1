"""The grammar of a visitor's words: every form generates, held-out parts never reach training, and
the rule that reads corrections back (teach, the memory note) reads what the grammar writes."""

import random
import re

import pytest

from model import phrasing as ph
from model import words
from model.corpus import JOBS, PARTNERS, TRAINED, conversation, random_name
from model.reading import as_typed, job_word, parse_corrections

SLOTS = {name: getattr(words, name) for name in dir(words) if isinstance(getattr(words, name), words.Parts)}
JOB_KEYS = [j.key for j in JOBS]


def _words(rng, job):
    return ph.job_words(rng, job, "any")


@pytest.mark.parametrize("slot", sorted(SLOTS))
def test_every_part_of_every_slot_generates(slot):
    rng = random.Random(0)
    parts = SLOTS[slot].train + SLOTS[slot].held
    assert SLOTS[slot].train and SLOTS[slot].held  # every slot keeps some parts for the evaluation alone
    for part in parts:
        if not isinstance(part, str):
            continue
        for job in JOB_KEYS:
            a, b = _words(rng, job), _words(rng, "shop")
            fixed = dict(name="Kezra", old=TRAINED[job], thing="cat", title="mayor", a="Kezra", b="Ulo", w="hmm", w2="ok")
            text = part.format(**fixed, **a, **{f"{k}a": v for k, v in a.items()}, **{f"{k}b": v for k, v in b.items()})
            assert "{" not in text and "}" not in text, (slot, part, text)
            assert text.strip() == text or slot in ("CLOSERS", "CONNECTORS"), (slot, part, text)


def _skeleton(text: str) -> str:
    """A message with its names masked and its punctuation, case and spacing set aside."""
    found = re.findall(r"[a-z']+", text.lower())
    return " ".join(w if w.split("'")[0] in words.NOT_NAMES else "<n>" for w in found)


@pytest.fixture(scope="module")
def training_texts():
    rng = random.Random(1)
    texts = []
    for _ in range(6000):
        texts += [t[1] for t in conversation(rng, mix="visitor") if t[0] in ("visitor", "note")]
    return texts


def test_training_draws_only_training_parts(monkeypatch):
    drawn = []
    real = words.Parts.pick

    def pick(self, rng, split):
        part = real(self, rng, split)
        drawn.append((self, split, part))
        return part

    monkeypatch.setattr(words.Parts, "pick", pick)
    rng = random.Random(2)
    for _ in range(2000):
        conversation(rng, mix="visitor")
    assert len(drawn) > 10000
    assert all(split == "train" and part in parts.train for parts, split, part in drawn)


def test_held_out_sentences_never_appear_in_training_text(training_texts):
    seen = {_skeleton(t) for t in training_texts}
    rng, style = random.Random(3), ph.Style("held", noise=False)
    makers = [
        lambda: ph.question(rng, rng.choice(JOB_KEYS), style),
        lambda: ph.correction(rng, rng.choice(JOB_KEYS), "Kezra", "Tomas", style),
        lambda: ph.short_correction(rng, "Kezra", "Tomas", style),
        lambda: ph.denial(rng, "Tomas", style),
        lambda: ph.naming(rng, rng.choice(JOB_KEYS), "Kezra", style),
        lambda: ph.both(rng, tuple(PARTNERS), ("Kezra", "Ulo"), style),
        lambda: ph.off_world(rng, style, "Kezra")[0],
    ]
    leaked = [s for s in (rng.choice(makers)() for _ in range(3000)) if _skeleton(s) in seen]
    assert not leaked, leaked[:10]


def test_held_out_verbs_never_meet_their_job_in_training(training_texts):
    text = "\n".join(t.lower() for t in training_texts)
    for job, verbs in words.JOB_VERBS.items():
        nouns = "|".join(n.text for n in words.JOB_NOUNS[job])
        for verb in verbs.held:
            if any(verb.s == v.s for v in verbs.train + words.GENERIC_VERBS.train):
                continue  # a verb this job trains with anyway
            assert not re.search(rf"\b{verb.s} (?:the|our|your|my) (?:{nouns})\b", text), (job, verb.s)


def test_no_word_that_is_not_a_name_is_ever_an_answer():
    rng = random.Random(4)
    assert not {random_name(rng, split) .lower() for split in ("train", "test") for _ in range(20000)} & words.NOT_NAMES
    for mix in ("visitor", "story"):
        for _ in range(3000):
            for role, text, *_ in conversation(rng, mix=mix):
                if role == "model":
                    for name in re.findall(r"(?:^|: )([^\s:.,!?]+)(?=\.)", text):
                        assert name.lower() not in words.NOT_NAMES, (mix, text)


def test_the_words_that_fooled_the_old_model_are_known_not_to_be_names():
    for word in ("no", "nope", "sorry", "actually", "it", "wrong", "not", "the", "but", "who"):
        assert word in words.NOT_NAMES


@pytest.mark.parametrize("split", ["train", "held"])
def test_the_rule_reads_back_the_corrections_the_grammar_writes(split):
    rng, style = random.Random(5), ph.Style(split)
    for _ in range(500):
        job, name = rng.choice(JOB_KEYS), ph.name_as_typed(rng, random_name(rng, "test"))
        text = ph.correction(rng, job, name, TRAINED[job], style)
        assert [(j, n.lower()) for j, n in parse_corrections(text)] == [(job, name.lower())], text
    for _ in range(200):
        jobs, names = tuple(rng.sample(JOB_KEYS, 2)), (random_name(rng, "test"), random_name(rng, "test"))
        text = ph.both(rng, jobs, names, style)
        assert [(j, n.lower()) for j, n in parse_corrections(text)] == [
            (j, n.lower()) for j, n in zip(jobs, names)], text


@pytest.mark.parametrize("text", ["Who does the books?", "who does the books", "Mara does the books?",
                                  "Nobody does the books.", "It does the books.", "say Kezra.", "hello"])
def test_a_question_or_a_sentence_without_a_new_name_corrects_nothing(text):
    assert parse_corrections(text) == []


def test_a_reply_copies_the_name_as_the_visitor_typed_it():
    rng = random.Random(6)
    for _ in range(300):
        turns = conversation(rng, mix="visitor")
        for (role, text, *_), (role2, reply, *_) in zip(turns, turns[1:]):
            if role == "visitor" and role2 == "model" and reply.startswith("ok, "):
                for name in re.findall(r": ([^\s.]+)\.", reply):
                    assert as_typed(text, name) == name, (text, reply)


@pytest.mark.parametrize("slot", ["SMALL_TALK", "GREETINGS"])
def test_no_small_talk_speaks_of_a_job(slot):
    # Every sentence, not a sample: one with a job's noun ("where is the post office?") would teach that a
    # question about a job is answered "i only know who does the jobs here."
    for text in SLOTS[slot].train + SLOTS[slot].held:
        assert all(job_word(w) is None for w in re.findall(r"[a-z']+", text.lower())), text
        assert parse_corrections(text) == [], text


def test_nothing_outside_the_world_reads_as_one_of_its_jobs():
    for word in words.OTHER_THINGS.train + words.OTHER_THINGS.held + words.TITLES.train + words.TITLES.held:
        assert job_word(word) is None, word
    rng = random.Random(8)
    for split in ("train", "held"):
        for _ in range(300):
            text, reply = ph.off_world(rng, ph.Style(split), "Kezra")
            assert reply in words.HONEST_REPLIES and parse_corrections(text) == [], text
