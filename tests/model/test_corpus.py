"""The training corpus practises what the story needs, read back from the conversations themselves."""

import random

from model.corpus import (ACK, JOB_BY_KEY, NAME_START_WEIGHT, RECALL_WEIGHT, conversation, encode_turns,
                          parse_correction)
from model.tokenizer import Tokenizer


def _recalls(turns):
    """Answers that name a job's corrected person after another job was corrected since."""
    corrected, latest, out = {}, None, []
    for i, (role, text, *_) in enumerate(turns):
        got = parse_correction(text) if role == "visitor" else None
        if got is not None and i + 1 < len(turns) and turns[i + 1][1].startswith(ACK.split("{")[0]):
            corrected[got[0]], latest = got[1], got[0]
        elif role == "model" and i and turns[i - 1][0] == "visitor":
            job = next((k for k, j in JOB_BY_KEY.items() if turns[i - 1][1].lower() == j.question), None)
            if job in corrected and job != latest and corrected[job] in text:
                out.append(i)
    return out


def test_a_quarter_of_conversations_recall_a_correction_another_has_followed():
    rng = random.Random(0)
    convs = [conversation(rng) for _ in range(2000)]
    share = sum(bool(_recalls(c)) for c in convs) / len(convs)
    assert share >= 0.15, share


def test_those_answers_weigh_more_than_the_rest():
    rng, tok = random.Random(1), Tokenizer()
    seen = 0
    for _ in range(500):
        turns = conversation(rng)
        ids, learn = encode_turns(tok, turns)
        starts = [0]
        for role, text, *_ in turns:
            starts.append(starts[-1] + len(text) + 2)  # role token, text, end token
        for i in _recalls(turns):
            text = turns[i][1]
            first = starts[i] + 1 + text.index(": ") + 2  # the name's first letter
            assert learn[first] == NAME_START_WEIGHT * RECALL_WEIGHT
            seen += 1
    assert seen > 50
