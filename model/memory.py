"""A memory note, as a chatbot's "memory" feature keeps one: written by a rule, read as context.

The rule, short enough to show on screen: every sentence of the visitor's that names someone for one
of the world's jobs ("No, Mara does the books.") is written into the note in the model's own answer
form ("the books: Mara."), and a newer one for the same job replaces the older. A question corrects
nothing. The note is pasted at the top of the next conversation (`Engine.new_conversation(note=…)`)
and the model rereads it as part of the context, like any turn. Nothing of it reaches the weights.

The answer form is what the model reads best: pasted in the trained model's notes, "the books: Mara.
the shop: Tomas." kept each name with its job in 58 of 60 conversations about both partners, where
"Mara does the books. Tomas runs the shop." kept none (names never seen in training).

No torch here: the window's process writes the note.
"""

from __future__ import annotations

import re

from .corpus import JOB_BY_KEY, answer_text
from .reading import parse_corrections

NOTE_CHARS = 120  # an engine reads at most half its window of a note, "memory: " included: 128 in the live model
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;\n]*")


def sentences(text: str) -> list[str]:
    """`text` cut after each full stop, exclamation or question mark, semicolon or line break."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def corrections(text: str) -> list[tuple[str, str]]:
    """(job, name) of every correction in `text`, a sentence at a time, in order. A sentence that names
    nobody's job reads with the question before it ("My letters? Plimsee brings them.")."""
    found, said = [], sentences(text)
    for i, s in enumerate(said):
        got = parse_corrections(s)
        if not got and i and said[i - 1].endswith("?"):
            got = parse_corrections(f"{said[i - 1].rstrip('?')}, {s}")
        found += got
    return found


def remember(note: str, message: str) -> str:
    """The note after the visitor said `message`: each correction in it written in, replacing any
    sentence of the note about the same job; past NOTE_CHARS, its oldest sentences go. A message
    that corrects nothing leaves the note as it is."""
    for job, name in corrections(message):
        kept = [s for s in sentences(note) if not any(j == job for j, _ in corrections(s))]
        kept.append(answer_text(JOB_BY_KEY[job], name))
        while len(kept) > 1 and len(" ".join(kept)) > NOTE_CHARS:
            kept.pop(0)
        note = " ".join(kept)
    return note


def clean(note: str) -> str:
    """A note as the visitor edited it, made fit to paste: one line, no longer than NOTE_CHARS."""
    return " ".join(note.split())[:NOTE_CHARS]
