"""The memory note: written by a rule from what the visitor says, read by the model as context."""

import random

from hypothesis import given
from hypothesis import strategies as st

from model.corpus import JOB_BY_KEY, JOBS, PARTNERS, TRAINED, random_name
from model.engine import Engine
from model.evaluate import says
from model.memory import NOTE_CHARS, clean, corrections, remember


def test_a_correction_is_written_in_the_answer_form_and_a_newer_one_replaces_it():
    note = remember("", "no, Mara does the books.")
    assert note == "the books: Mara."
    note = remember(note, "actually, the shop: Tomas.")
    assert note == "the books: Mara. the shop: Tomas."
    note = remember(note, "wrong. it is Pia who does the books.")
    assert note == "the shop: Tomas. the books: Pia."


def test_questions_and_small_talk_leave_the_note_as_it_is():
    note = "the books: Mara."
    for text in ("who does the books?", "Who does the books?", "Mara does the books?", "hello", "Nobody does the books.",
                 "thanks!", ""):
        assert remember(note, text) == note, text


def test_every_correction_in_one_message_is_noted():
    assert corrections("No, Mara does the books. And Tomas runs the shop!") == [("books", "Mara"), ("shop", "Tomas")]


def test_a_job_asked_about_and_answered_in_the_next_sentence_is_noted():
    assert corrections("now, my letters? Plimsee brings them.") == [("mail", "Plimsee")]
    assert remember("", "The shop? Ask Kezra.") == "the shop: Kezra."
    assert remember("", "Who does the books? Thanks!") == ""  # a question and small talk: nothing


def test_a_long_note_loses_its_oldest_sentences_first():
    note = ""
    for job in JOBS:
        note = remember(note, f"Abcdefghijkl {job.active}.")
    assert len(note) <= NOTE_CHARS
    assert note.endswith(f"the {JOBS[-1].key}: Abcdefghijkl.") and "the books:" not in note


@given(st.text(max_size=400), st.text(max_size=400))
def test_any_text_gives_a_note_and_never_raises(note, message):
    out = remember(clean(note), message)
    assert isinstance(out, str) and len(out) <= max(NOTE_CHARS, len(clean(note)))
    edited = clean(note + message * 3)
    assert len(edited) <= NOTE_CHARS and "\n" not in edited


def test_the_shipped_model_answers_from_a_pasted_note_with_its_weights_untouched(shipped):
    """Names it never saw, in notes as memory writes them: each noted job gets its noted name."""
    engine = Engine(shipped.model, shipped.tokenizer)
    fingerprint = engine.fingerprint()
    rng = random.Random(3)
    single = partners = untouched = 0
    trials = 20
    for _ in range(trials):
        job = rng.choice(JOBS)
        name = random_name(rng, "test")
        note = remember("", f"no, {name} {job.active}.")
        engine.new_conversation(note=note)
        single += says(engine.reply_text(job.question, attention=False), name, TRAINED[job.key])
        other = rng.choice([j for j in JOBS if j is not job])
        engine.new_conversation(note=note)
        untouched += says(engine.reply_text(other.question, attention=False), TRAINED[other.key], name)
        a, b = (JOB_BY_KEY[k] for k in PARTNERS)
        na, nb = random_name(rng, "test"), random_name(rng, "test")
        engine.new_conversation(note=remember(remember("", f"{na} {a.active}."), f"{nb} {b.active}."))
        asked = rng.sample([(a, na, nb), (b, nb, na)], 2)
        partners += all(says(engine.reply_text(j.question, attention=False), right, wrong) for j, right, wrong in asked)
    assert single / trials >= 0.9 and untouched / trials >= 0.9 and partners / trials >= 0.85, (single, untouched,
                                                                                              partners)
    engine.new_conversation()
    assert says(engine.reply_text("who does the books?", attention=False), TRAINED["books"])  # no note: forgotten
    assert engine.fingerprint() == fingerprint
