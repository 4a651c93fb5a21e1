"""The training corpus practises what the story needs, read back from the conversations themselves."""

import random
import re

import pytest

from model import corpus
from model.corpus import NAME_WEIGHTS, RECALL_WEIGHT, conversation, encode_turns
from model.tokenizer import Tokenizer

_ANSWER = re.compile(r"the (\w+): ([^\s.]+)\.")


def _recalls(turns):
    """Answers that name a job's corrected person after another job was corrected since, read from the
    model's own turns: its acknowledgements ("ok, the books: Mara.") and its answers."""
    corrected, latest, out = {}, None, []
    for i, (role, text, *_) in enumerate(turns):
        if role != "model":
            continue
        pairs = _ANSWER.findall(text)
        if text.startswith("ok, "):
            corrected.update(pairs)
            latest = pairs[-1][0] if pairs else latest
        elif len(pairs) == 1 and pairs[0][0] in corrected and pairs[0][0] != latest and \
                corrected[pairs[0][0]] == pairs[0][1]:
            out.append(i)
    return out


@pytest.mark.parametrize("mix", ["visitor", "story"])
def test_a_quarter_of_conversations_recall_a_correction_another_has_followed(mix):
    rng = random.Random(0)
    convs = [conversation(rng, mix=mix) for _ in range(2000)]
    share = sum(bool(_recalls(c)) for c in convs) / len(convs)
    assert share >= 0.15, share


def _both_asked(turns) -> bool:
    """Whether two answers in a row name two corrected jobs' new people: the story's both partners asked."""
    corrected, previous = {}, None
    for role, text, *_ in turns:
        if role != "model":
            continue
        pairs = _ANSWER.findall(text)
        if text.startswith("ok, "):
            corrected.update(pairs)
            previous = None
            continue
        answer = pairs[0] if len(pairs) == 1 and corrected.get(pairs[0][0]) == pairs[0][1] else None
        if answer and previous and answer[0] != previous[0] and answer[1] != previous[1]:
            return True
        previous = answer
    return False


def test_the_live_mix_asks_two_corrected_jobs_in_a_row():
    """A model that answers every corrected job with the name it said last must be wrong often enough
    to unlearn it: the story mix asks two corrected jobs one after the other in one talk in eight."""
    rng = random.Random(0)
    convs = [conversation(rng, mix="story") for _ in range(2000)]
    share = sum(_both_asked(c) for c in convs) / len(convs)
    assert share >= 0.12, share


@pytest.mark.parametrize("mix", ["visitor", "story"])
def test_those_answers_weigh_more_than_the_rest(mix):
    rng, tok = random.Random(1), Tokenizer()
    seen = 0
    for _ in range(500):
        turns = conversation(rng, mix=mix)
        ids, learn = encode_turns(tok, turns, name_weights=NAME_WEIGHTS[mix])
        starts = [0]
        for role, text, *_ in turns:
            starts.append(starts[-1] + len(text) + 2)  # role token, text, end token
        for i in _recalls(turns):
            text = turns[i][1]
            first = starts[i] + 1 + text.index(": ") + 2  # the name's first letter
            assert learn[first] == NAME_WEIGHTS[mix][0] * RECALL_WEIGHT
            assert learn[first + 1] == NAME_WEIGHTS[mix][1] * RECALL_WEIGHT  # every name has two letters or more
            seen += 1
    assert seen > 50


def test_each_mix_trains_with_its_own_name_weights(monkeypatch):
    monkeypatch.setitem(NAME_WEIGHTS, "story", (8.0, 3.5))  # a weight no other part of a batch has
    tok = Tokenizer()
    story = corpus.batch(tok, random.Random(0), 8, 256, mix="story")[2]
    visitor = corpus.batch(tok, random.Random(0), 8, 256, mix="visitor")[2]
    assert (story == 3.5).sum() > 20 and (story == 7.0).any()  # names' other letters, plain and recalled
    assert not (visitor == 3.5).any()


def test_a_name_after_a_message_it_answered_honestly_is_for_the_job_just_talked_about():
    """"who does the books?" / "the books: Tomas." / "incorrect." (read as off-world) / "it's Kezra.":
    the corpus acknowledges Kezra for the books, the job of the model's last answer."""
    from model.reading import job_word
    from model.words import HONEST_REPLIES

    rng, seen = random.Random(2), 0
    for _ in range(3000):
        turns = [(role, text) for role, text, *_ in conversation(rng, mix="visitor")]
        for i in range(1, len(turns) - 3):
            answer, honest, naming, ack = turns[i], turns[i + 2], turns[i + 3], turns[i + 4:i + 5]
            names_no_job = not any(job_word(w) for w in re.findall(r"[A-Za-z]+", naming[1]))
            if answer[0] == "model" and _ANSWER.fullmatch(answer[1]) and honest[1] in HONEST_REPLIES and \
                    names_no_job and ack and ack[0][1].startswith("ok, "):
                assert _ANSWER.findall(ack[0][1])[0][0] == _ANSWER.fullmatch(answer[1])[1], turns[i:i + 5]
                seen += 1
    assert seen > 20
