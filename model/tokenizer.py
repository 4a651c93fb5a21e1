"""Character-level tokenizer.

One token per character of printable ASCII plus newline, and a few special tokens that no typed text
can produce: the roles of a conversation (visitor, model, note), the end of a turn, padding, and one
visible "unknown" token that stands in for every character outside the alphabet (emoji, accents,
control characters, lone surrogates...). `encode` accepts any Python `str` and never raises.
"""

from __future__ import annotations

from dataclasses import dataclass

PAD, UNK, VISITOR, MODEL, NOTE, END = range(6)
SPECIALS = ("<pad>", "<unk>", "<visitor>", "<model>", "<note>", "<end>")
UNKNOWN_CHAR = "\ufffd"  # what an unknown token decodes to: the standard replacement character
DEFAULT_ALPHABET = "\n" + "".join(chr(c) for c in range(32, 127))


@dataclass(frozen=True)
class Encoded:
    """Token ids of a text, and which characters of it were replaced by the unknown token."""

    ids: list[int]
    replaced: list[tuple[int, str]]  # (index in the text, the character that was replaced)


class Tokenizer:
    """Maps text to token ids and back; the alphabet is part of every checkpoint."""

    def __init__(self, alphabet: str = DEFAULT_ALPHABET):
        if len(set(alphabet)) != len(alphabet):
            raise ValueError("alphabet has repeated characters")
        self.alphabet = alphabet
        self._stoi = {ch: i + len(SPECIALS) for i, ch in enumerate(alphabet)}
        self._itos = {i: ch for ch, i in self._stoi.items()}

    @property
    def vocab_size(self) -> int:
        return len(SPECIALS) + len(self.alphabet)

    def encode_with_report(self, text: str) -> Encoded:
        ids: list[int] = []
        replaced: list[tuple[int, str]] = []
        get = self._stoi.get
        for i, ch in enumerate(text):
            t = get(ch)
            if t is None:
                t = UNK
                replaced.append((i, ch))
            ids.append(t)
        return Encoded(ids, replaced)

    def encode(self, text: str) -> list[int]:
        get = self._stoi.get
        return [get(ch, UNK) for ch in text]

    def decode(self, ids, specials: bool = False) -> str:
        """Text of `ids`; special tokens are dropped unless `specials`, where they show by name."""
        out = []
        for t in ids:
            t = int(t)
            ch = self._itos.get(t)
            if ch is not None:
                out.append(ch)
            elif t == UNK:
                out.append(UNKNOWN_CHAR)
            elif specials and 0 <= t < len(SPECIALS):
                out.append(SPECIALS[t])
        return "".join(out)

    def token_text(self, t: int) -> str:
        """How one token shows on screen: its character, the unknown mark, or the special's name."""
        t = int(t)
        if t in self._itos:
            return self._itos[t]
        if t == UNK:
            return UNKNOWN_CHAR
        return SPECIALS[t] if 0 <= t < len(SPECIALS) else f"<{t}>"
