"""Scenes 4 and 5. Memory: a note of the corrections pasted into the next conversation. Still inference:
the model answers right from its context, and not one weight changes."""

import numpy as np

from desktop.control.state import FULL_SPEED, Panel
from model.memory import NOTE_CHARS

from .conftest import wait_idle


def _say(qtbot, e, text):
    assert e.talk.ask(text)
    wait_idle(qtbot, e)
    return e.talk.conversation.last_reply


def _context_text(e):
    return "".join(t.text for t in e.talk.conversation.view.tokens)


def test_with_memory_on_the_next_conversation_starts_with_the_note_and_the_answer_uses_it(qtbot, shipped_window):
    w = shipped_window
    e = w.exhibit
    fingerprint, image = e.talk.conversation.proof.fingerprint, w.heatmap.values().tobytes()
    assert "Tomas" in _say(qtbot, e, "who does the books?")  # the trained mix-up
    w.actions_by_name["memory"].trigger()
    assert e.talk.memory.on and w.actions_by_name["memory"].isChecked()
    _say(qtbot, e, "no, Mara does the books.")
    _say(qtbot, e, "actually, the shop: Tomas.")
    assert e.talk.memory.note == "the books: Mara. the shop: Tomas."
    assert w.talk_panel.note.text() == e.talk.memory.note
    w.actions_by_name["new_conversation"].trigger()
    wait_idle(qtbot, e)
    tokens = e.talk.conversation.view.tokens
    assert tokens[0].text == "<note>" and all(t.role == "note" for t in tokens[:10])
    assert _context_text(e).startswith("<note>memory: the books: Mara. the shop: Tomas.<end>")
    assert "Mara" in _say(qtbot, e, "who does the books?")
    assert "Tomas" in _say(qtbot, e, "who runs the shop?")
    proof = e.talk.conversation.proof
    assert proof.fingerprint == fingerprint and proof.changed == 0 and proof.replies == 5
    assert w.heatmap.values().tobytes() == image
    assert "0 of" in w.talk_panel.changed.text()


def test_memory_off_forgets_and_a_cleared_note_pastes_nothing(qtbot, shipped_window):
    w = shipped_window
    e = w.exhibit
    e.talk.set_memory(True)
    _say(qtbot, e, "no, Mara does the books.")
    e.talk.set_memory(False)
    _say(qtbot, e, "no, Kip does the van.")  # memory off: not written
    assert e.talk.memory.note == "the books: Mara."
    e.talk.new_conversation()
    wait_idle(qtbot, e)
    assert e.talk.conversation.view.used == 0
    assert "Tomas" in _say(qtbot, e, "who does the books?")  # the next morning, forgotten
    e.talk.set_memory(True)
    w.actions_by_name["clear_note"].trigger()
    assert e.talk.memory.note == "" and w.talk_panel.note.text() == ""
    e.talk.new_conversation()
    wait_idle(qtbot, e)
    assert e.talk.conversation.view.used == 0


def test_the_visitor_can_edit_the_note_and_junk_in_it_is_cut_not_fatal(qtbot, shipped_window):
    w = shipped_window
    e = w.exhibit
    e.talk.set_memory(True)
    note = w.talk_panel.note
    note.setFocus()
    note.setText("the books: Zofia.")
    note.editingFinished.emit()
    assert e.talk.memory.note == "the books: Zofia."
    e.talk.new_conversation()
    wait_idle(qtbot, e)
    assert "Zofia" in _say(qtbot, e, "who does the books?")
    fingerprint = e.talk.conversation.proof.fingerprint
    e.talk.set_note("\U0001F600\x00\u202e\ud800 junk\n\n" + "x" * 1_000_000)
    assert 0 < len(e.talk.memory.note) <= NOTE_CHARS and "\n" not in e.talk.memory.note
    e.talk.new_conversation()
    wait_idle(qtbot, e)
    assert _context_text(e).startswith("<note>memory: ")
    _say(qtbot, e, "who does the books?")
    assert e.talk.conversation.proof.fingerprint == fingerprint and e.talk.conversation.proof.changed == 0


def test_reset_puts_every_piece_back(qtbot, shipped_window):
    w = shipped_window
    e = w.exhibit
    c = e.talk.conversation
    e.talk.set_memory(True)
    e.talk.set_note("the books: Mara.")
    _say(qtbot, e, "no, Mara does the books.")
    e.training.set_speed(0)
    e.training.set_show_change(True)
    e.set_font_scale(1.6)
    e.show_panel(Panel.COST)
    w.actions_by_name["reset"].trigger()
    assert not e.talk.memory.on and e.talk.memory.note == "" and e.panel is Panel.CHAT and not e.talk.correction
    assert w.stack.currentWidget() is w.talk_panel and not w.actions_by_name["cost"].isChecked()
    assert not w.actions_by_name["memory"].isChecked() and w.talk_panel.note.text() == ""
    assert e.training.speed == FULL_SPEED and not e.training.show_change and not w.heatmap.show_change
    assert e.font_scale == 1.0 and e.training.live.counters.step == 0
    qtbot.waitUntil(lambda: c.is_open and c.model.kind == "trained" and not e.talk.busy and c.view.used == 0,
                    timeout=30_000)


# --- scene 5: teach it for real ---------------------------------------------------------------------

def test_teaching_changes_the_weights_and_the_fresh_answer_and_restore_brings_back_the_original(qtbot,
                                                                                              shipped_window):
    w = shipped_window
    e = w.exhibit
    original = e.talk.conversation.proof.fingerprint
    assert "Tomas" in _say(qtbot, e, "who does the books?")
    _say(qtbot, e, "no, Mara does the books.")
    steps, images, titles = [], [], []
    e.talk.teaching.connect(lambda s: (steps.append(s), images.append(w.heatmap.values().tobytes()),
                                          titles.append(w.title.text())))
    w.actions_by_name["teach"].trigger()
    qtbot.waitUntil(lambda: not e.talk.busy and bool(e.talk.conversation.model.taught), timeout=60_000)
    assert e.talk.conversation.model.taught == ("Mara does the books.",)
    assert [s.step for s in steps] == list(range(1, steps[0].steps + 1))  # every step shown, live
    assert len(set(images)) == len(images)  # each a different picture
    assert set(titles) == {"Teaching"} and w.title.text() == "Talking"  # the scene says what happens
    proof = e.talk.conversation.proof
    assert proof.fingerprint != original and proof.changed == steps[-1].changed > 0
    assert f"{proof.changed:,} of" in w.talk_panel.changed.text()
    assert e.talk.conversation.view.used == 0  # a fresh conversation: nothing in the context
    # The change view lights up exactly the weights teaching moved, and nothing else.
    w.actions_by_name["change"].trigger()
    assert e.training.show_change
    lit = w.heatmap.shown() > 0
    assert "teaching" in w.heatmap.bar.axis.labelText
    assert np.array_equal(lit, proof.flat != e.talk.conversation.model.reference) and 0 < lit.sum() < lit.size
    with np.errstate(invalid="ignore"):
        moved = w.heatmap.values() > 0  # on the picture (NaN between the matrices)
    brightness = w.heatmap.rendered()[..., :3].astype(int).sum(axis=-1)
    assert moved.sum() == lit.sum() and (brightness[moved] > 60).all()  # however little it moved, it shows
    top = int(w.heatmap.colours.change_lut32[-1])
    top = (top >> 16 & 255) + (top >> 8 & 255) + (top & 255)
    assert (brightness[moved] == top).mean() < 0.05  # on a scale of its own: how far each moved, not all at the top
    w.actions_by_name["change"].trigger()
    assert "Mara" in _say(qtbot, e, "who does the books?")  # from the weights now: no note, no context
    assert not e.talk.memory.on
    w.actions_by_name["restore"].trigger()
    qtbot.waitUntil(lambda: e.talk.conversation.is_open and not e.talk.conversation.model.taught
                    and not e.talk.busy, timeout=60_000)
    assert e.talk.conversation.proof.fingerprint == original and e.talk.conversation.proof.changed == 0
    assert "Tomas" in _say(qtbot, e, "who does the books?")
    assert "same as before teaching" in str(e.status)


def test_teach_without_a_correction_says_how_and_changes_nothing(qtbot, shipped_window):
    e = shipped_window.exhibit
    fingerprint = e.talk.conversation.proof.fingerprint
    e.talk.teach()
    assert "Correct the model first" in str(e.status) and not e.talk.busy
    e.talk.restore()
    assert "nothing has been taught" in str(e.status)
    assert e.talk.conversation.proof.fingerprint == fingerprint


# --- in context or in the weights, side by side ---------------------------------------------------

def test_side_by_side_only_the_taught_model_has_other_weights_and_memory_only_other_context(qtbot,
                                                                                          shipped_window):
    w = shipped_window
    e = w.exhibit
    original = e.talk.conversation.proof.fingerprint
    e.talk.set_memory(True)
    _say(qtbot, e, "no, Mara does the books.")
    e.talk.teach()
    qtbot.waitUntil(lambda: not e.talk.busy and bool(e.talk.conversation.model.taught), timeout=60_000)
    taught = e.talk.conversation.proof.fingerprint
    _say(qtbot, e, "who runs the shop?")
    talk_context = _context_text(e)
    replies = e.cost.life.replies
    w.actions_by_name["compare"].trigger()
    qtbot.waitUntil(lambda: not e.talk.busy and bool(w.compare_panel.shown), timeout=30_000)
    assert w.stack.currentWidget() is w.compare_panel
    by_kind = {c.kind: c for c in w.compare_panel.shown}
    assert set(by_kind) == {"original", "memory", "taught"}
    assert "Tomas" in by_kind["original"].reply and by_kind["original"].fingerprint == original
    assert "Mara" in by_kind["memory"].reply and by_kind["memory"].fingerprint == original
    assert by_kind["memory"].changed == by_kind["original"].changed == 0
    assert "Mara" in by_kind["taught"].reply and by_kind["taught"].fingerprint == taught
    assert by_kind["taught"].changed == e.talk.conversation.proof.changed > 0
    assert "".join(t.text for t in by_kind["memory"].context.tokens).startswith("<note>memory: the books: Mara.")
    assert by_kind["original"].context.tokens[0].text == "<visitor>"
    assert "who does the books?" in w.compare_panel.question.text()
    assert _context_text(e) == talk_context  # Talk's own conversation is left as it was
    assert e.cost.life.replies == replies + 3  # three replies written, three counted
    w.actions_by_name["compare"].trigger()
    assert w.stack.currentWidget() is w.talk_panel


def test_teach_and_side_by_side_while_a_reply_is_written_say_to_wait(qtbot, shipped_window):
    w = shipped_window
    e = w.exhibit
    _say(qtbot, e, "no, Mara does the books.")
    assert e.talk.ask("who does the books?")
    assert e.talk.busy
    e.talk.teach()
    assert "busy" in str(e.status) and not e.talk.conversation.model.taught
    w.actions_by_name["compare"].trigger()
    assert "busy" in str(e.status) and e.panel is Panel.CHAT
    assert not w.actions_by_name["compare"].isChecked() and w.stack.currentWidget() is w.talk_panel
    wait_idle(qtbot, e)
