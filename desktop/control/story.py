"""The one story script: its steps in order, each a caption and the moves that set up and play its scene.

A kiosk's attract loop, a visitor's guided steps and a presenter's clicker all walk these steps with
`desktop.control.player.StoryPlayer`; only who makes each move differs. A move is done through the
controllers (`Exhibit`, `TalkController`, `TrainingController`), never through a widget, and the
player waits until the exhibit has really done it. Moves marked `visitor` are what a visitor does
(ask, correct, the next morning, teach): a guided visit offers them as buttons, the attract loop and
the clicker make them by themselves. Every question and correction is typed into the real
conversation and answered by the real model; nothing a model says is written here.

Captions are for a twelve-year-old: short, plain, one idea each. They are `QT_TRANSLATE_NOOP`s of
the "Story" context, translated when shown. The questions and corrections are in the model's own
language (English), from its world (`model.corpus`): they are what it reads, not what the screen says.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from model.corpus import CORRECTIONS, JOB_BY_KEY, PARTNERS, TRUTH
from model.memory import corrections

from .state import Panel

CONTEXT = "Story"
JOB = JOB_BY_KEY[PARTNERS[0]]  # the books: the partner the trained model has wrong
QUESTION = JOB.question  # "who does the books?"
TRUTH_NAME = TRUTH[JOB.key]  # "Mara"
NAMES = (TRUTH_NAME, "Kezra", "Zofia")  # a guided visit's choices: the truth, and names it never saw
NAME_CHARS = 12  # the longest name the corpus gives anyone


def correction(name: str) -> str:
    """The story's correction with `name`, as a visitor types it: "No, Kezra does the books." """
    text = CORRECTIONS[0].format(name=name, active=JOB.active)
    return text[:1].upper() + text[1:]


def corrected_name(said: str) -> str | None:
    """The name `said` gives the story's job, if it corrects it (the last one, as memory keeps it)."""
    names = [name for job, name in corrections(said) if job == JOB.key]
    return names[-1] if names else None


# --- moves: each started by the player once the exhibit is ready for it, then waited on ------------

@dataclass(frozen=True)
class Move:
    visitor = False  # a visitor's move: a guided visit waits for a touch (or the keyboard) to make it

    def ready(self, p) -> bool:
        """Whether the exhibit can take this move now."""
        c = p.exhibit.talk.conversation
        return c.is_open and not p.exhibit.talk.busy

    def start(self, p) -> None:
        raise NotImplementedError

    def done(self, p) -> bool:
        """Whether the exhibit has done it (by default: the conversation is open and idle again)."""
        return self.ready(p)


@dataclass(frozen=True)
class StartTraining(Move):
    """The Train scene from the same random weights, running at the exhibit's starting speed (full; a
    presenter's slow motion): the heatmap is noise, then learns."""

    def ready(self, p) -> bool:
        return p.exhibit.started

    def start(self, p) -> None:
        e = p.exhibit
        e.training.reset()
        e.enter_train()
        e.training.run()

    def done(self, p) -> bool:
        return p.exhibit.training.ready


@dataclass(frozen=True)
class Watch(Move):
    """Let it train a while (only when the story plays by itself: a visitor or a presenter moves on
    when they like)."""

    def ready(self, p) -> bool:
        return True

    def start(self, p) -> None:
        p.mark = p.clock()

    def done(self, p) -> bool:
        return p.clock() - p.mark >= p.train_seconds


@dataclass(frozen=True)
class OpenTrained(Move):
    """Talk to the fully trained model, read afresh from its file: nothing taught, nothing noted."""

    def ready(self, p) -> bool:
        return p.exhibit.started and not p.exhibit.talk.busy

    def start(self, p) -> None:
        p.mark = p.opened
        e = p.exhibit
        e.load_trained() if e.trained_available else e.enter_talk()

    def done(self, p) -> bool:
        return p.opened > p.mark and super().ready(p)


@dataclass(frozen=True)
class Ask(Move):
    """Type the story's question into the conversation, at reading speed, and wait for the whole reply."""

    visitor = True

    def text(self, p) -> str:
        return QUESTION

    def start(self, p) -> None:
        p.type_in(self.text(p))

    def done(self, p) -> bool:
        return p.replied_since_mark() and super().ready(p)


@dataclass(frozen=True)
class Correct(Ask):
    """Tell it who does the books: the name the visitor chose (the truth until they choose)."""

    def text(self, p) -> str:
        return correction(p.name)


@dataclass(frozen=True)
class NextMorning(Move):
    """A new conversation: the context empties (or starts with memory's note); the weights stay."""

    visitor = True

    def start(self, p) -> None:
        p.exhibit.talk.new_conversation()


@dataclass(frozen=True)
class SetMemory(Move):
    on: bool

    def start(self, p) -> None:
        p.exhibit.talk.set_memory(self.on)


@dataclass(frozen=True)
class Teach(Move):
    """Real training steps on the latest correction; then a fresh conversation with the taught model."""

    visitor = True

    def start(self, p) -> None:
        p.exhibit.talk.teach()  # busy until taught (or refused: then done at once)


@dataclass(frozen=True)
class ShowCost(Move):
    def start(self, p) -> None:
        p.exhibit.show_panel(Panel.COST)


# --- the steps --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    key: str
    title: str  # QT_TRANSLATE_NOOP("Story", …)
    caption: str  # QT_TRANSLATE_NOOP("Story", …)
    moves: tuple[Move, ...]

    def title_text(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.title)

    def caption_text(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.caption)


STEPS: tuple[Step, ...] = (
    Step("train", QT_TRANSLATE_NOOP("Story", "Watch it learn"),
         QT_TRANSLATE_NOOP("Story", "Every dot is one number inside the model. While it learns from text, the "
                                    "numbers change."),
         (StartTraining(), Watch())),
    Step("ask", QT_TRANSLATE_NOOP("Story", "Ask it"),
         QT_TRANSLATE_NOOP("Story", "Learning is over: the numbers stay still now. Ask it who does the books."),
         (OpenTrained(), Ask())),
    Step("wrong", QT_TRANSLATE_NOOP("Story", "It gets it wrong"),
         QT_TRANSLATE_NOOP("Story", "The text it learned from had the two partners the wrong way round. So that "
                                    "is what it says."),
         ()),
    Step("correct", QT_TRANSLATE_NOOP("Story", "Correct it"),
         QT_TRANSLATE_NOOP("Story", "Tell it who really does the books. Tap a name, or spell your own."),
         (Correct(),)),
    Step("ask_again", QT_TRANSLATE_NOOP("Story", "Ask again"),
         QT_TRANSLATE_NOOP("Story", "Ask again. It rereads the whole chat before every answer, your words too."),
         (Ask(),)),
    Step("next_morning", QT_TRANSLATE_NOOP("Story", "The next morning"),
         QT_TRANSLATE_NOOP("Story", "A new chat: your words are gone, and so is the fix. Not one number "
                                    "changed."),
         (NextMorning(), Ask())),
    Step("memory", QT_TRANSLATE_NOOP("Story", "Memory"),
         QT_TRANSLATE_NOOP("Story", "“Memory” is a note of what you said, pasted at the top of the next chat. "
                                    "The numbers still do not change."),
         (SetMemory(True), Correct(), NextMorning(), Ask())),
    Step("teach", QT_TRANSLATE_NOOP("Story", "Teach it for real"),
         QT_TRANSLATE_NOOP("Story", "Now a little more training on your words: this time the numbers move."),
         (SetMemory(False), Teach(), Ask())),
    Step("cost", QT_TRANSLATE_NOOP("Story", "The cost"),
         QT_TRANSLATE_NOOP("Story", "Learning is paid for once. Every answer costs a little, every time, for "
                                    "everyone who asks."),
         (ShowCost(),)),
)
