"""Every action of the window as a `QAction` with a keyboard shortcut, bound to the controller.

A clicker, a kiosk, a test or a visitor with only a keyboard can drive the whole story through these;
each is bound to the controller that owns it (`desktop.control`). Printable-key shortcuts (Space,
`.`, `[`, `]`, `D`) only reach the window when no text field has the keyboard: typing in the chat
never pauses training.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from .control.exhibit import Exhibit

@dataclass(frozen=True)
class Spec:
    name: str
    text: str
    keys: tuple[str, ...]
    tip: str
    checkable: bool = False


def specs() -> list[Spec]:
    """Every action: its name, text, keys and tip (the texts in the current language)."""
    translate = QCoreApplication.translate
    return [
        Spec("train", translate("Actions", "Train"), ("Ctrl+1",), translate("Actions", "Training: the weights change")),
        Spec("talk", translate("Actions", "Talk"), ("Ctrl+2",),
             translate("Actions", "Talking: the weights are frozen; talk to them as they stand")),
        Spec("cost", translate("Actions", "Cost"), ("Ctrl+3",),
             translate("Actions", "What training cost, once, against what every reply costs"), True),
        Spec("compare", translate("Actions", "Side by side"), ("Ctrl+4",),
             translate("Actions", "In context or in the weights: one question to the original model, to it with the "
                                  "memory note, and to the taught model"), True),
        Spec("run", translate("Actions", "Run"), ("Space",), translate("Actions", "Run or pause training"), True),
        Spec("step", translate("Actions", "Step"), (".", "Ctrl+Right"),
             translate("Actions", "One training step, then pause")),
        Spec("slower", translate("Actions", "Slower"), ("[", "Ctrl+Down"),
             translate("Actions", "Slower: down to slow motion")),
        Spec("faster", translate("Actions", "Faster"), ("]", "Ctrl+Up"),
             translate("Actions", "Faster: up to full speed")),
        Spec("change", translate("Actions", "Show change"), ("D",),
             translate("Actions", "Show how far each weight moved since the previous frame"), True),
        Spec("restart", translate("Actions", "Restart"), ("Ctrl+R",),
             translate("Actions", "Start training again from the same random weights")),
        Spec("new_conversation", translate("Actions", "New conversation"), ("Ctrl+N",),
             translate("Actions", "Next morning: empty the context; the weights stay as they are")),
        Spec("memory", translate("Actions", "Memory"), ("Ctrl+M",),
             translate("Actions", "Memory: a note of your corrections, pasted at the top of the next conversation "
                                  "(still no weight changes)"), True),
        Spec("clear_note", translate("Actions", "Clear note"), ("Ctrl+Shift+M",),
             translate("Actions", "Empty the memory note")),
        Spec("teach", translate("Actions", "Teach it for real"), ("Ctrl+T",),
             translate("Actions", "Train on your latest correction: a few real training steps change the weights")),
        Spec("restore", translate("Actions", "Restore original"), ("Ctrl+Shift+T",),
             translate("Actions", "Back to the model as it was before teaching, read afresh")),
        Spec("load_trained", translate("Actions", "Load trained model"), ("Ctrl+L",),
             translate("Actions", "Talk to the fully trained model instead of the live one")),
        Spec("send", translate("Actions", "Send"), ("Ctrl+Return",),
             translate("Actions", "Send the message (Enter in the input line does too)")),
        Spec("focus_chat", translate("Actions", "Type"), ("Ctrl+K",),
             translate("Actions", "Put the keyboard in the chat's input line")),
        Spec("focus_heatmap", translate("Actions", "Inspect weights"), ("Ctrl+H",),
             translate("Actions", "Read single weights: arrow keys move, Shift moves further, Page Up/Down jump")),
        Spec("save", translate("Actions", "Save"), ("Ctrl+S",),
             translate("Actions", "Save the weights on screen as a checkpoint")),
        Spec("open", translate("Actions", "Open…"), ("Ctrl+O",),
             translate("Actions", "Talk to a model saved in a file (a checkpoint)")),
        Spec("export_heatmap", translate("Actions", "Heatmap as PNG…"), ("Ctrl+E",),
             translate("Actions", "Save the heatmap as a picture: one pixel per weight, and the labelled view as on "
                                  "screen")),
        Spec("export_loss", translate("Actions", "Loss curve as CSV and PNG…"), ("Ctrl+Shift+E",),
             translate("Actions", "Save the loss curve: a table with one row per training step, and its picture")),
        Spec("export_replay", translate("Actions", "Training replay as GIF…"), ("Ctrl+Shift+G",),
             translate("Actions", "Save the training run's heatmap frames as an animated picture, to show again "
                                  "without training again")),
        Spec("export_conversation", translate("Actions", "Conversation as text…"), ("Ctrl+Shift+C",),
             translate("Actions", "Save the conversation and the context the model rereads as text")),
        Spec("reset", translate("Actions", "Reset exhibit"), ("Ctrl+Shift+R",),
             translate("Actions", "Everything back as it was at the start")),
        Spec("bigger", translate("Actions", "A+"), ("Ctrl++", "Ctrl+="), translate("Actions", "Bigger text")),
        Spec("smaller", translate("Actions", "A−"), ("Ctrl+-",), translate("Actions", "Smaller text")),
        Spec("normal_size", translate("Actions", "A"), ("Ctrl+0",), translate("Actions", "Normal text size")),
        Spec("quit", translate("Actions", "Quit"), ("Ctrl+Q",), translate("Actions", "Close the window")),
    ]


def build(parent: QObject, exhibit: Exhibit, extra: dict[str, Callable[[], None]]) -> dict[str, QAction]:
    """The window's actions; `extra` binds the ones the window itself handles (focus, font, quit, send)."""
    t, k = exhibit.training, exhibit.talk
    slots: dict[str, Callable] = {
        "train": exhibit.enter_train, "talk": exhibit.enter_talk, "run": exhibit.toggle_run, "step": t.step_once,
        "slower": t.slower, "faster": t.faster, "change": t.toggle_change, "restart": t.restart,
        "new_conversation": k.new_conversation, "load_trained": exhibit.load_trained,
        "memory": k.toggle_memory, "clear_note": k.clear_note, "teach": k.teach, "restore": k.restore,
        "cost": exhibit.toggle_cost, "compare": exhibit.toggle_compare, "save": exhibit.save, "reset": exhibit.reset,
    }
    slots.update(extra)
    actions: dict[str, QAction] = {}
    modes = QActionGroup(parent)
    for s in specs():
        a = QAction(parent)
        a.setObjectName(f"action_{s.name}")
        a.setShortcuts([QKeySequence(k) for k in s.keys])
        a.setCheckable(s.checkable or s.name in ("train", "talk"))
        if s.name in ("train", "talk"):
            modes.addAction(a)
        slot = slots[s.name]
        a.triggered.connect(lambda _checked=False, f=slot: f())
        actions[s.name] = a
    retranslate(actions)
    return actions


def retranslate(actions: dict[str, QAction]) -> None:
    """Every action's text and tip in the current language, each tip with its keys (as a mode set them)."""
    for s in specs():
        a = actions[s.name]
        shown = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts())
        a.setText(s.text)
        a.setToolTip(f"{s.tip} ({shown})" if shown else s.tip)  # no status tip: it would cover the status line


TRAINING_KEYS = ("run", "step", "slower", "faster", "change")  # what the Train scene's status line names


def key_names(actions: dict[str, QAction], names=TRAINING_KEYS) -> dict[str, str]:
    """The first key of each action, as the status line names it ("Space", “.”: a lone mark in quotes)."""
    out = {}
    for name in names:
        keys = actions[name].shortcuts()
        key = keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
        out[name] = f"“{key}”" if len(key) == 1 and not key.isalnum() else key
    return out
