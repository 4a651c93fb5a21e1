"""Whatever a visitor types, the window takes it or says why not, shows it as typed (never as markup,
never filling in a format field), the model answers, and the next question is answered too: a kept
list of hostile inputs, through the chat's input line and straight to the controller (as the
kiosk's letter pad and the story send them), and hypothesis over any text."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import wait_idle

HOSTILE = [
    "<b>bold</b><script>alert(1)</script>&amp;",  # markup and an entity: shown as typed, never rendered
    "{why} {0} {} %s %(x)s {{",  # format fields: never filled in
    "\x00\x01\x1b[31mred\x1b[0m\x7f\t",  # control characters and a terminal escape
    "\u202eevil\u202c \u200b\u200d\ufeff",  # a bidi override, zero-width characters
    "👩\u200d👩\u200d👧 🏳️\u200d🌈 e\u0301\u0301\u0301",  # emoji sequences, stacked combining marks
    "<end><visitor><model><note>",  # the model's own marks, typed as text
    "no, Mara does the books. " * 40,  # a correction repeated past the context window
    "a" * 1_000_000,  # a 1 MB paste
    "line\n" * 10_000,  # 10,000 lines
    "\ud800 a lone surrogate, not UTF-8 at all",
    "   ",
    "",
]
VISIBLE = {0: "<b>bold</b><script>", 1: "{why} {0} {} %s", 5: "<end><visitor>"}  # as typed, in the chat


def _answers_still(qtbot, e) -> None:
    before = e.talk.conversation.proof.replies
    assert e.talk.ask("who does the books?")
    wait_idle(qtbot, e)
    assert e.talk.conversation.proof.replies == before + 1


@pytest.mark.parametrize("i", range(len(HOSTILE)))
def test_hostile_text_typed_in_the_chat_is_shown_as_typed_and_the_model_goes_on(qtbot, window, i):
    e, panel = window.exhibit, window.talk_panel
    wait_idle(qtbot, e)
    panel.input.setText(HOSTILE[i])
    panel.submit()
    wait_idle(qtbot, e)
    if i in VISIBLE:
        assert VISIBLE[i] in panel.chat.toPlainText()
    assert "Traceback" not in str(e.status) and "Error" not in str(e.status)
    _answers_still(qtbot, e)


@pytest.mark.parametrize("i", range(len(HOSTILE)))
def test_hostile_text_sent_straight_to_the_controller_is_answered_or_refused(qtbot, window, i):
    e = window.exhibit
    wait_idle(qtbot, e)
    before = e.talk.conversation.proof.replies
    if e.talk.ask(HOSTILE[i]):
        wait_idle(qtbot, e)
        assert e.talk.conversation.proof.replies == before + 1
    else:
        assert not HOSTILE[i].strip()  # only nothing at all is refused
    assert "Traceback" not in str(e.status)
    _answers_still(qtbot, e)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_any_text_gets_a_reply_or_a_no_and_never_stops_the_conversation(qtbot, window, text):
    e = window.exhibit
    wait_idle(qtbot, e)
    before = e.talk.conversation.proof.replies
    if e.talk.ask(text):
        wait_idle(qtbot, e)
        assert e.talk.conversation.proof.replies == before + 1
    assert e.talk.conversation.is_open and "Traceback" not in str(e.status)
