"""The one story script and its player: the attract loop plays every step by itself, in order, and
again; a guided visit waits for the visitor's moves (a touch, or the keyboard) and Next plays what is
left; a presenter reaches any step the same way every time. The real exhibit and model throughout."""

import re
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication

from desktop import i18n
from desktop.control.player import StoryPlayer, Walk
from desktop.control.state import Mode, Panel
from desktop.control.story import NAMES, QUESTION, STEPS, Ask, Correct, NextMorning, Teach, correction

from .conftest import wait_idle


class Clock:
    """A clock that moves only when the test says."""

    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def player(qtbot, exhibit):
    clock = Clock()
    p = StoryPlayer(exhibit, clock=clock, typing_cps=0, step_seconds=5, train_seconds=20, poll_ms=10)
    p.test_clock = clock
    yield p
    p.stop()


def test_the_steps_tell_the_story_in_order_each_caption_short_and_translated():
    assert [s.key for s in STEPS] == ["train", "ask", "wrong", "correct", "ask_again", "next_morning", "memory",
                                      "teach", "cost"]
    source = ET.parse(i18n.translations_folder() / "marginalia.ts").getroot()
    extracted = {m.findtext("source") for c in source.iter("context") if c.findtext("name") == "Story"
                 for m in c.iter("message")}
    for step in STEPS:
        assert step.title in extracted and step.caption in extracted  # through Qt's translation
        assert len(step.caption) <= 110 and len(re.findall(r"[.!?](\s|$)", step.caption)) <= 2
        assert QCoreApplication.translate("Story", step.caption) == step.caption_text()
    assert correction("Kezra") == "No, Kezra does the books." and QUESTION == "who does the books?"


def test_the_attract_loop_plays_every_step_by_itself_and_starts_again(qtbot, exhibit, player):
    seen, asked, clock, k = [], [], player.test_clock, exhibit.talk
    player.step_changed.connect(lambda i: seen.append((i, k.memory.note, k.conversation.model and
                                                       k.conversation.model.taught, exhibit.panel)))
    k.conversation.started.connect(lambda said: asked.append(said.read))
    panels = []
    exhibit.panel_changed.connect(panels.append)
    player.begin(Walk.ATTRACT)
    qtbot.waitUntil(lambda: exhibit.mode is Mode.TRAIN and exhibit.training.running, timeout=30_000)
    clock.advance(19)
    qtbot.wait(100)
    assert player.index == 0 and asked == []  # still training: 20 s

    def looped():
        clock.advance(1)
        return len(seen) > len(STEPS)

    qtbot.waitUntil(looped, timeout=120_000)
    assert [i for i, *_ in seen] == list(range(len(STEPS))) + [0]
    assert asked == [QUESTION, correction(NAMES[0]), QUESTION, QUESTION, correction(NAMES[0]), QUESTION, QUESTION]
    _, note, taught, panel = seen[8]  # the cost: after memory and teaching
    assert note == "the books: Mara." and taught == ("Mara does the books.",) and panel is Panel.CHAT
    assert panels == [Panel.COST, Panel.CHAT]  # the cost shown, then the chat again for the next loop
    assert not k.memory.on and k.memory.note == ""  # the loop starts again from a clean slate


def test_a_guided_visit_waits_for_the_visitor_and_next_plays_what_is_left(qtbot, exhibit, player):
    k, c = exhibit.talk, exhibit.talk.conversation
    player.begin(Walk.GUIDED)
    qtbot.waitUntil(lambda: player.step_played, timeout=30_000)  # training: no move of the visitor's
    player.next()
    qtbot.waitUntil(lambda: isinstance(player.waiting, Ask), timeout=30_000)
    qtbot.wait(200)
    assert c.proof.replies == 0  # the question waits for the visitor
    player.make()
    qtbot.waitUntil(lambda: player.step_played, timeout=30_000)
    assert c.proof.replies == 1
    player.next()  # "it gets it wrong": nothing to do
    qtbot.waitUntil(lambda: player.index == 2 and player.step_played)
    player.next()
    qtbot.waitUntil(lambda: isinstance(player.waiting, Correct), timeout=30_000)
    assert k.ask("nope, Brellion does the books")  # typed on a real keyboard: the story keeps up
    qtbot.waitUntil(lambda: player.step_played, timeout=30_000)
    assert player.name == "Brellion"
    for index in (4, 5, 6):
        player.next()

        def played():  # each of the visitor's moves made as soon as the story waits for it: a touch each
            if player.waiting is not None:
                player.make()
            return player.index == index and player.step_played

        qtbot.waitUntil(played, timeout=60_000)
    assert isinstance(STEPS[5].moves[0], NextMorning)
    assert k.memory.note == "the books: Brellion."  # the memory step repeated the visitor's own name
    player.next()
    qtbot.waitUntil(lambda: isinstance(player.waiting, Teach), timeout=30_000)
    player.next()  # what is left (teach, ask) is played, then the cost
    qtbot.waitUntil(lambda: player.index == 8 and player.step_played, timeout=60_000)
    assert c.model.taught == ("Brellion does the books.",) and exhibit.panel is Panel.COST
    ended = []
    player.ended.connect(lambda: ended.append(True))
    player.next()
    assert ended == [True]


def test_a_presenter_reaches_any_step_the_same_way_every_time(qtbot, exhibit, player):
    c = exhibit.talk.conversation
    player.begin(Walk.PRESENTER)

    def at_step_6():
        player.go(6)
        qtbot.waitUntil(lambda: player.index == 6 and player.step_played, timeout=60_000)
        wait_idle(qtbot, exhibit)
        return "".join(t.text for t in c.view.tokens), c.proof.fingerprint, exhibit.talk.memory.note

    first = at_step_6()
    player.go(3)
    qtbot.waitUntil(lambda: player.index == 3 and player.step_played, timeout=60_000)
    assert at_step_6() == first
    assert first[0].startswith("<note>memory: the books: Mara.<end>") and first[2] == "the books: Mara."
