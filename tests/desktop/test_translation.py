"""Translation: every string on screen is extracted into the English source, and a change of language
re-translates the live window. A pseudo-translation (every text wrapped in « ») stands in for German."""

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QAbstractButton, QLabel

from desktop import i18n
from desktop.control.state import Panel

from .conftest import enter_train, wait_idle

TOOLS = Path(sys.executable).parent
SOURCE = i18n.translations_folder() / "marginalia.ts"


def _messages(ts: Path) -> set[tuple[str, str]]:
    root = ET.parse(ts).getroot()
    return {(c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")}


def test_the_english_source_holds_every_string_of_the_code(tmp_path):
    """`make translations` has been run since the last string changed: its .ts is the code's."""
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in Path("desktop").rglob("*.py"))
    subprocess.run([str(TOOLS / "pyside6-lupdate"), *files, "-locations", "none", "-no-obsolete",
                    "-source-language", "en", "-ts", str(fresh)], check=True, capture_output=True, timeout=120)
    assert _messages(SOURCE) == _messages(fresh), "run `make translations`"
    assert len(_messages(SOURCE)) >= 200


@pytest.fixture
def pseudo(tmp_path):
    """A German translation in which every text is its English source in « »."""
    tree = ET.parse(SOURCE)
    tree.getroot().set("language", "de")
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        translation.attrib.pop("type", None)
        translation.text = f"«{message.findtext('source')}»"
    tree.write(tmp_path / "marginalia_de.ts", encoding="utf-8", xml_declaration=True)
    subprocess.run([str(TOOLS / "pyside6-lrelease"), str(tmp_path / "marginalia_de.ts")], check=True,
                   capture_output=True, timeout=120)
    yield tmp_path
    i18n.install(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))


def _visible_texts(window) -> list[str]:
    texts = [w.text() for w in window.findChildren(QLabel) if w.isVisibleTo(window)]
    texts += [w.text() for w in window.findChildren(QAbstractButton) if w.isVisibleTo(window)]
    texts += [a.toolTip() for a in window.actions_by_name.values()]
    return [t for t in texts if any(ch.isalpha() for ch in t)]


def test_a_change_of_language_retranslates_the_live_window(qtbot, shipped_window, pseudo):
    w = shipped_window
    e = w.exhibit
    assert e.talk.ask("who does the books?")
    wait_idle(qtbot, e)
    english = w.windowTitle(), w.title.text(), w.message.text(), w.talk_panel.fingerprint.text()
    assert not any("«" in t for t in english)
    assert i18n.install(QLocale(QLocale.Language.German, QLocale.Country.Germany), pseudo)
    # Nothing is rebuilt: the window heard LanguageChange and said everything again.
    assert w.windowTitle().startswith("«") and w.title.text() == "«Talking»"
    assert w.message.text().startswith("«Talking to the fully trained model")
    assert re.search(r"\b\d{1,3}\.\d{3} steps", w.message.text())  # numbers in the locale's notation (36.000)
    assert w.talk_panel.fingerprint.text().startswith("«Fingerprint of all")
    assert w.actions_by_name["teach"].text() == "«Teach it for real»"
    untranslated = [t for t in _visible_texts(w) if "«" not in t]
    assert not untranslated, f"on screen but not translated: {untranslated}"
    for panel in (Panel.COST, Panel.COMPARE):  # the other panels of Talk
        e.show_panel(panel)
        qtbot.waitUntil(lambda: not e.talk.busy, timeout=30_000)
        untranslated = [t for t in _visible_texts(w) if "«" not in t]
        assert not untranslated, f"on screen but not translated: {untranslated}"
    t = enter_train(qtbot, e)  # the other scene, in the new language too
    qtbot.waitUntil(lambda: bool(t.live.samples), timeout=30_000)
    qtbot.waitUntil(lambda: w.train_panel.sample_labels[0].text().startswith("«step"), timeout=10_000)
    untranslated = [t for t in _visible_texts(w) if "«" not in t]
    assert not untranslated, f"on screen but not translated: {untranslated}"
    i18n.install(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    assert w.title.text() == "Training" and "«" not in w.message.text()


def test_problems_from_the_model_are_worded_here_by_kind():
    from desktop.process.protocol import Problem, ProblemKind

    texts = {kind: str(i18n.problem_text(Problem(kind, "x.safetensors", "a technical account"))) for kind in ProblemKind}
    unreadable = texts.pop(ProblemKind.CHECKPOINT_UNREADABLE)
    assert all("technical" not in text for text in texts.values())  # the account goes to the terminal only
    # but a file's: the loader's one line, as the command line says it (model.checkpoint.CheckpointError)
    line = i18n.problem_text(Problem(ProblemKind.CHECKPOINT_UNREADABLE, "x.safetensors",
                                     "x.safetensors: bad metadata: training 'steps' is 'oops'\n  more"))
    assert str(line) == "x.safetensors is not a model this exhibit can read: bad metadata: training 'steps' is 'oops'"
    assert "x.safetensors" in unreadable and unreadable not in texts.values()
    assert len(set(texts.values())) == len(ProblemKind) - 1


def test_the_source_translation_is_shipped_with_the_package():
    assert SOURCE.exists() and shutil.which(str(TOOLS / "pyside6-lupdate"))
    assert "translations/*" in Path("pyproject.toml").read_text()
