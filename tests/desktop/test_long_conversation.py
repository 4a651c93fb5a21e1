"""A long conversation costs what a short one does: what crosses to the window per reply stays the same
size, the part of the conversation that fell out of the window is a count and a short summary, and
the CPU-seconds counted for a reply are the model's own work."""

import pickle
import time
import types

import numpy as np
import pytest

from desktop.process import protocol as p
from desktop.process import talk as talk_module
from desktop.process.talk import TalkRun

from .conftest import wait_idle


def _run(tiny_checkpoint) -> tuple[TalkRun, list]:
    sent: list = []
    run = TalkRun((str(tiny_checkpoint),), sent.append)
    assert run.opened
    return run, sent


def _reply_bytes(run: TalkRun, sent: list, text: str) -> int:
    """Bytes of everything the model process sends for one reply, pickled as the pipe carries them."""
    sent.clear()
    run.ask(p.Ask(text, len(text)))
    assert isinstance(sent[-1], p.Replied)
    return sum(len(pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL)) for m in sent)


def test_a_reply_at_reply_60_sends_no_more_than_the_first_replies_and_no_unchanged_weights(tiny_checkpoint):
    run, sent = _run(tiny_checkpoint)
    weights_bytes = 4 * run.talk.weights
    sizes = [_reply_bytes(run, sent, "who does the books?") for _ in range(60)]
    # A reply's messages follow the context, from three quarters of the window to all of it: the largest
    # of replies 41-60 is no larger than the largest of replies 1-20.
    early, late = max(sizes[:20]), max(sizes[40:])
    assert late <= 1.05 * early, f"a reply's messages grew: at most {early} bytes at replies 1-20, {late} at 41-60"
    assert sizes[59] < weights_bytes / 4, "the unchanged weights were sent again with the reply"
    view = sent[-1].context
    assert view.dropped > 500, "the test's conversation never outgrew the window"
    assert len(view.dropped_text) <= 161 and view.dropped_text.startswith("…")


def test_the_proof_still_reads_the_weights_after_every_reply(tiny_checkpoint):
    """The weights travel only when they change, but the fingerprint and the count are read every time."""
    run, sent = _run(tiny_checkpoint)
    ready = sent[0]
    reads = []
    original = talk_module.verify
    talk_module.verify = lambda *a: (reads.append(1), original(*a))[1]
    try:
        for _ in range(3):
            run.ask(p.Ask("who?", 4))
    finally:
        talk_module.verify = original
    proof = sent[-1].proof
    assert len(reads) == 3 and proof.fingerprint == ready.proof.fingerprint and proof.changed == 0
    assert proof.replies == 3 and proof.total == ready.proof.flat.size


def _cpu_of_a_reply(tiny_checkpoint, monkeypatch, view_costs: float) -> float:
    """The CPU-seconds a reply reports on a clock of the test's (each reading moves it on by a millisecond),
    when drawing up the context for the window costs `view_costs` seconds on that clock."""
    run, sent = _run(tiny_checkpoint)
    cpu = [0.0]

    def thread_time():
        cpu[0] += 0.001
        return cpu[0]

    monkeypatch.setattr(talk_module, "time", types.SimpleNamespace(thread_time=thread_time,
                                                                   process_time=time.process_time,
                                                                   perf_counter=time.perf_counter))
    original = talk_module.context_view

    def costly_view(*a, **kw):
        cpu[0] += view_costs
        return original(*a, **kw)

    monkeypatch.setattr(talk_module, "context_view", costly_view)
    run.ask(p.Ask("who does the books?", 19))
    return sent[-1].cpu_seconds


def test_the_cpu_seconds_of_a_reply_leave_out_what_the_window_is_sent(tiny_checkpoint, monkeypatch):
    """Drawing up the context for the window is not the model's work: an hour spent there leaves the
    reply's count as it was (the same reply, read on the same clock)."""
    without = _cpu_of_a_reply(tiny_checkpoint, monkeypatch, 0.0)
    with_an_hour = _cpu_of_a_reply(tiny_checkpoint, monkeypatch, 3600.0)
    assert without > 0 and with_an_hour == pytest.approx(without, rel=1e-6)


@pytest.mark.slow
def test_in_the_window_a_long_conversation_shows_what_fell_out_and_the_same_weights(qtbot, window):
    e, c = window.exhibit, window.exhibit.talk.conversation
    qtbot.waitUntil(lambda: c.is_open, timeout=30_000)
    image = window.heatmap.values().tobytes()
    for _ in range(8):
        assert e.talk.ask("who does the books?")
        wait_idle(qtbot, e)
    panel = window.talk_panel.context
    assert c.view.dropped > 0 and panel.dropped.isVisible()
    assert f"({c.view.dropped} tokens)" in panel.dropped.text()
    assert c.proof.flat is not None and window.heatmap.values().tobytes() == image
    assert np.array_equal(c.proof.flat, c.model.reference)
