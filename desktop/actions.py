"""Every action of the window as a `QAction` with a keyboard shortcut, bound to the controller.

A clicker, a kiosk, a test or a visitor with only a keyboard can drive the whole story through these.
Printable-key shortcuts (Space, `.`, `[`, `]`, `D`) only reach the window when no text field has
the keyboard: typing in the chat never pauses training.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from .exhibit import Exhibit


def _tr(text: str) -> str:
    return QCoreApplication.translate("Actions", text)


@dataclass(frozen=True)
class Spec:
    name: str
    text: str
    keys: tuple[str, ...]
    tip: str
    checkable: bool = False


def specs() -> list[Spec]:
    return [
        Spec("train", _tr("Train"), ("Ctrl+1",), _tr("Training: the weights change")),
        Spec("talk", _tr("Talk"), ("Ctrl+2",), _tr("Talking: the weights are frozen; talk to them as they stand")),
        Spec("cost", _tr("Cost"), ("Ctrl+3",), _tr("What training cost, once, against what every reply costs"), True),
        Spec("compare", _tr("Side by side"), ("Ctrl+4",),
             _tr("In context or in the weights: one question to the original model, to it with the memory note, "
                 "and to the taught model"), True),
        Spec("run", _tr("Run"), ("Space",), _tr("Run or pause training"), True),
        Spec("step", _tr("Step"), (".", "Ctrl+Right"), _tr("One training step, then pause")),
        Spec("slower", _tr("Slower"), ("[", "Ctrl+Down"), _tr("Slower: down to slow motion")),
        Spec("faster", _tr("Faster"), ("]", "Ctrl+Up"), _tr("Faster: up to full speed")),
        Spec("change", _tr("Show change"), ("D",), _tr("Show how far each weight moved since the previous frame"),
             True),
        Spec("restart", _tr("Restart"), ("Ctrl+R",), _tr("Start training again from the same random weights")),
        Spec("new_conversation", _tr("New conversation"), ("Ctrl+N",),
             _tr("Next morning: empty the context; the weights stay as they are")),
        Spec("memory", _tr("Memory"), ("Ctrl+M",),
             _tr("Memory: a note of your corrections, pasted at the top of the next conversation (still no "
                 "weight changes)"), True),
        Spec("clear_note", _tr("Clear note"), ("Ctrl+Shift+M",), _tr("Empty the memory note")),
        Spec("teach", _tr("Teach it for real"), ("Ctrl+T",),
             _tr("Train on your latest correction: a few real training steps change the weights")),
        Spec("restore", _tr("Restore original"), ("Ctrl+Shift+T",),
             _tr("Back to the model as it was before teaching, read afresh")),
        Spec("load_trained", _tr("Load trained model"), ("Ctrl+L",),
             _tr("Talk to the fully trained model instead of the live one")),
        Spec("send", _tr("Send"), ("Ctrl+Return",), _tr("Send the message (Enter in the input line does too)")),
        Spec("focus_chat", _tr("Type"), ("Ctrl+K",), _tr("Put the keyboard in the chat's input line")),
        Spec("focus_heatmap", _tr("Inspect weights"), ("Ctrl+H",),
             _tr("Read single weights: arrow keys move, Shift moves further, Page Up/Down jump")),
        Spec("save", _tr("Save"), ("Ctrl+S",), _tr("Save the weights on screen as a checkpoint")),
        Spec("reset", _tr("Reset exhibit"), ("Ctrl+Shift+R",), _tr("Everything back as it was at the start")),
        Spec("bigger", _tr("A+"), ("Ctrl++", "Ctrl+="), _tr("Bigger text")),
        Spec("smaller", _tr("A−"), ("Ctrl+-",), _tr("Smaller text")),
        Spec("normal_size", _tr("A"), ("Ctrl+0",), _tr("Normal text size")),
        Spec("quit", _tr("Quit"), ("Ctrl+Q",), _tr("Close the window")),
    ]


def build(parent: QObject, exhibit: Exhibit, extra: dict[str, Callable[[], None]]) -> dict[str, QAction]:
    """The window's actions; `extra` binds the ones the window itself handles (focus, font, quit, send)."""
    slots: dict[str, Callable] = {
        "train": exhibit.enter_train, "talk": exhibit.enter_talk, "run": exhibit.toggle_run,
        "step": exhibit.step_once, "slower": exhibit.slower, "faster": exhibit.faster,
        "change": exhibit.toggle_change, "restart": exhibit.restart,
        "new_conversation": exhibit.new_conversation, "load_trained": exhibit.load_trained,
        "memory": exhibit.toggle_memory, "clear_note": exhibit.clear_note,
        "teach": exhibit.teach, "restore": exhibit.restore, "cost": exhibit.toggle_cost,
        "compare": exhibit.toggle_compare,
        "save": exhibit.save, "reset": exhibit.reset,
    }
    slots.update(extra)
    actions: dict[str, QAction] = {}
    modes = QActionGroup(parent)
    for s in specs():
        a = QAction(s.text, parent)
        a.setObjectName(f"action_{s.name}")
        a.setShortcuts([QKeySequence(k) for k in s.keys])
        shown = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in s.keys)
        a.setToolTip(f"{s.tip} ({shown})")
        a.setStatusTip(s.tip)
        a.setCheckable(s.checkable or s.name in ("train", "talk"))
        if s.name in ("train", "talk"):
            modes.addAction(a)
        slot = slots[s.name]
        a.triggered.connect(lambda _checked=False, f=slot: f())
        actions[s.name] = a
    return actions
