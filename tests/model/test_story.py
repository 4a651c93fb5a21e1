"""The shipped model really tells the story, on names it never saw in training.

The same measurement as `python -m model eval`, with fewer trials so the suite stays quick; greedy
replies and seeded names make it repeatable.
"""

import pytest

from model.corpus import TRAINED, TRUTH, name_split, random_name
from model.engine import Engine
from model.evaluate import BARS, story_figures, teach_figures


@pytest.fixture(scope="module")
def figures(shipped):
    return story_figures(Engine(shipped.model, shipped.tokenizer), trials=80, split="test", seed=1)


@pytest.mark.parametrize("figure", ["fresh", "corrected", "untouched"])
def test_the_shipped_model_reaches_the_single_correction_figures(figures, figure):
    assert figures[figure] >= BARS[figure], figures


def test_the_shipped_model_keeps_both_partners_apart(figures):
    assert figures["partners"] >= BARS["partners"], figures


def test_the_story_as_a_visitor_sees_it(shipped):
    engine = Engine(shipped.model, shipped.tokenizer)
    fingerprint = engine.fingerprint()
    assert TRAINED["books"] in engine.reply_text("who does the books?")  # the trained mix-up
    engine.reply_text(f"no, {TRUTH['books']} does the books.")
    assert TRUTH["books"] in engine.reply_text("who does the books?")  # corrected in context
    engine.new_conversation()  # the next morning
    assert TRAINED["books"] in engine.reply_text("who does the books?")  # forgotten
    assert engine.fingerprint() == fingerprint


def test_evaluation_names_are_never_training_names():
    import random

    rng = random.Random(0)
    assert all(name_split(random_name(rng, "test")) == "test" for _ in range(200))
    assert all(name_split(random_name(rng, "train")) == "train" for _ in range(200))


@pytest.mark.slow
def test_teaching_puts_the_correction_into_the_weights_and_keeps_the_rest(shipped):
    figures = teach_figures(shipped.model, shipped.tokenizer, trials=3, split="test", seed=2)
    assert figures["teach_fresh"] >= 0.95 and figures["teach_others"] >= 0.90 and figures["teach_context"] >= 0.90, figures


def test_writing_the_corrected_name_it_reads_the_correction(shipped):
    """The lit-up context is honest and tells the story: among what the model read most while writing
    the new name are letters of that name where the conversation said it."""
    import random

    import numpy as np

    engine = Engine(shipped.model, shipped.tokenizer)
    for i in range(4):
        name = random_name(random.Random(i), "test")
        engine.new_conversation()
        engine.reply_text(f"no, {name} does the books.")
        assert name in engine.reply_text("who does the books?")
        info = engine.last
        assert info.name == name and info.name_attention is not None
        ids = engine.context
        text = "".join(engine.tok.token_text(t)[:1] or "\0" for t in ids)  # one character a token
        before_reply = len(ids) - len(engine.turns[-1].ids)
        said = {j for s in range(before_reply) if text.startswith(name, s) for j in range(s, s + len(name))}
        top = np.argsort(-info.name_attention)[:12]
        assert sum(int(t) in said for t in top) >= 2, (name, [text[t] for t in top])
