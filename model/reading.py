"""Reading a correction back out of what a visitor typed: for "teach it for real" and the memory note.

No model here: a rule, short enough to say on screen. A word that is not one of the exhibit's own words
(`model.words.NOT_NAMES`) is a name, and it belongs to the job named nearest to it.
"""

from __future__ import annotations

import re

from . import words

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_DENIED_AFTER = frozenset({"doesn't", "isn't", "don't", "didn't"})  # "Tomas doesn't do the books"
_JOB_OF_NOUN = {n.text: job for job, nouns in words.JOB_NOUNS.items() for n in nouns} | {
    role.split()[-1]: job for job, roles in words.JOB_ROLES.items() for role in roles}


def job_word(word: str) -> str | None:
    """The job a word names: one of its nouns, or one with a letter dropped, doubled, swapped or changed."""
    w = word.lower()
    if w in _JOB_OF_NOUN:
        return _JOB_OF_NOUN[w]
    if len(w) < 3 or w in words.NOT_NAMES:
        return None
    return next((job for noun, job in _JOB_OF_NOUN.items() if len(noun) >= 4 and words.one_edit(w, noun)), None)


def parse_corrections(text: str) -> list[tuple[str, str]]:
    """(job key, name) of each correction in `text`, such as "No! Kezra does the books." or
    "the books: kezra, the shop: Ulo.", in the order said; [] for a question or no correction.

    The rule, simple enough to say on screen: a word that is not one of the exhibit's words is a name,
    and it belongs to the job named nearest to it (a job's word, even with one letter wrong). A name
    after "not" or before "doesn't" is the one being corrected, not the new one. A question ("Who does
    the books?", "Mara does the books?") corrects nothing.
    """
    if text.rstrip().endswith("?"):
        return []
    typed = _WORD.findall(text)
    jobs = [(i, job) for i, w in enumerate(typed) if (job := job_word(w)) is not None]
    jobs = [(i, job) for n, (i, job) in enumerate(jobs) if not n or jobs[n - 1] != (i - 1, job)]  # "mail carrier"
    names = []
    for i, w in enumerate(typed):
        base = w.split("'")[0]
        after = " ".join(typed[i + 1: i + 3]).lower()
        negated = (i and typed[i - 1].lower() == "not") or after.split(" ")[0] in _DENIED_AFTER or \
            after.startswith("does not")
        if (2 <= len(base) <= 12 and base.isalpha() and base.lower() not in words.NOT_NAMES and
                job_word(base) is None and not negated):
            names.append((i, base))
    if not jobs or not names:
        return []
    if len(jobs) == len(names):
        return [(job, name) for (_, job), (_, name) in zip(jobs, names)]
    found = []
    for j, job in jobs:
        i, name = min(names, key=lambda n: (abs(n[0] - j), n[0]))
        if job not in {k for k, _ in found}:
            found.append((job, name))
    return found


def parse_correction(text: str) -> tuple[str, str] | None:
    """The first correction in `text` (see `parse_corrections`), or None."""
    found = parse_corrections(text)
    return found[0] if found else None


def as_typed(text: str, name: str) -> str:
    """`name` as it stands in `text` (the case the visitor typed it in); `name` if it is not there."""
    m = re.search(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])", text, flags=re.IGNORECASE)
    return m.group(0) if m else name

