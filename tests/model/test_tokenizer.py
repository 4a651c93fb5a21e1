"""The tokenizer takes any text a visitor can produce and never raises."""

from hypothesis import given, settings
from hypothesis import strategies as st

from model.tokenizer import SPECIALS, UNK, UNKNOWN_CHAR, Tokenizer

TOK = Tokenizer()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_encodes_into_the_vocabulary(text):
    enc = TOK.encode_with_report(text)
    assert len(enc.ids) == len(text)
    assert all(0 < t < TOK.vocab_size for t in enc.ids)
    assert all(t >= len(SPECIALS) or t == UNK for t in enc.ids)  # typed text never makes a role or end token
    assert [i for i, _ in enc.replaced] == [i for i, t in enumerate(enc.ids) if t == UNK]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)))
def test_printable_ascii_round_trips(text):
    assert TOK.decode(TOK.encode(text)) == text


def test_unknown_characters_show_as_one_visible_mark_and_are_reported():
    text = "Zoë 👋 \x00\u202e\ud800 done"
    enc = TOK.encode_with_report(text)
    assert [ch for _, ch in enc.replaced] == ["ë", "👋", "\x00", "\u202e", "\ud800"]
    assert TOK.decode(enc.ids) == f"Zo{UNKNOWN_CHAR} {UNKNOWN_CHAR} {UNKNOWN_CHAR}{UNKNOWN_CHAR}{UNKNOWN_CHAR} done"


def test_a_megabyte_paste_encodes():
    text = "ab🙂\n" * 250_000
    assert len(TOK.encode(text)) == 1_000_000
