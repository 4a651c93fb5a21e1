"""Translation: the translator installed at start-up, numbers in the reader's locale, status texts.

Every visible string is a literal `self.tr("…")` or `QCoreApplication.translate("Context", "…")`, or,
for the status line, a `QT_TRANSLATE_NOOP("Status", "…")` kept as a `Text` and translated each time
it is shown, so that a change of language re-translates it too. `make translations` extracts them all
into `resources/translations/marginalia.ts` (English, the source language); a translation beside it
(`marginalia_de.qm`, made by `pyside6-lrelease`) is loaded for the system's language. Problems that
`model/` reports come as kinds (`desktop.process.protocol.ProblemKind`), worded here. QtCore only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

import resources

from .privacy import withheld
from .process.protocol import Problem, ProblemKind

log = logging.getLogger("marginalia")
CONTEXT = "Status"  # every status-line text's context
_installed: list[QTranslator] = []


# --- numbers ---------------------------------------------------------------------------------------

def number(n: int | float) -> str:
    """A count with the locale's digit grouping: 12,000 (12.000 in German)."""
    return QLocale().toString(int(n))


def fixed(x: float, places: int) -> str:
    """A decimal with `places` places, in the locale's notation: 1.5 (1,5 in German)."""
    return QLocale().toString(float(x), "f", places)


def signed(x: float, places: int) -> str:
    return ("+" if x >= 0 else "") + fixed(x, places)


@dataclass(frozen=True)
class Fixed:
    """A value shown with `places` decimals, formatted when its text is shown."""

    value: float
    places: int = 1


# --- status texts ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    """A status-line text: its English source (extracted where it is written, as
    `QT_TRANSLATE_NOOP("Status", …)`) and its values, translated and formatted when shown."""

    source: str
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.source).format(**{k: _shown(v) for k, v in self.values})


def status(source: str, **values) -> Text:
    return Text(source, tuple(values.items()))


def _shown(v) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, Fixed, Problem)):
        return str(v)
    if isinstance(v, Problem):
        return str(problem_text(v))
    return fixed(v.value, v.places) if isinstance(v, Fixed) else number(v)


def problem_text(p: Problem) -> Text:
    """What went wrong, in the reader's language; the technical account goes to the terminal (`log_problem`)."""
    texts = {
        ProblemKind.CHECKPOINT_MISSING: QT_TRANSLATE_NOOP("Status", "there is no file at {subject}"),
        # The loader's own reason (model.checkpoint.CheckpointError, in English) follows, as the command line says it.
        ProblemKind.CHECKPOINT_UNREADABLE: QT_TRANSLATE_NOOP("Status", "{subject} is not a model this exhibit can "
                                                                       "read: {why}"),
        ProblemKind.NOT_A_CORRECTION: QT_TRANSLATE_NOOP("Status", "it cannot tell who does which job in “{subject}”; "
                                                                  "say it like “Mara does the books.”"),
        ProblemKind.NON_FINITE: QT_TRANSLATE_NOOP("Status", "the loss became infinite; the weights of the last good "
                                                            "step are kept"),
        ProblemKind.LIVE_MISFIT: QT_TRANSLATE_NOOP("Status", "the live model's weights do not fit its shape"),
        ProblemKind.NOT_SAVED: QT_TRANSLATE_NOOP("Status", "{subject} could not be written"),
        ProblemKind.MODEL_GONE: QT_TRANSLATE_NOOP("Status", "the model process ended without a word"),
        ProblemKind.CRASH: QT_TRANSLATE_NOOP("Status", "an error in the model process (the terminal shows it)"),
    }
    why = p.detail.strip().removeprefix(f"{p.subject}: ").splitlines()[0] if p.detail.strip() else "?"
    return status(texts[p.kind], subject=p.subject, why=why)


def log_problem(p: Problem | None) -> None:
    """The technical account, for the terminal: never the visitor's words (`desktop.privacy`)."""
    if p is not None and p.detail:
        log.warning("%s: %s", p.kind.value, withheld(p.kind.value, p.detail))


# --- the translator ----------------------------------------------------------------------------------

def translations_folder() -> Path:
    return resources.path("translations")


def install(locale: QLocale | None = None, folder: Path | None = None) -> bool:
    """Use `locale` (the system's by default) for numbers and, where a translation is there, for the
    text; the window re-translates itself (it receives LanguageChange). True if one was loaded."""
    locale = QLocale.system() if locale is None else locale
    if locale.language() == QLocale.Language.C:
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)  # digits grouped, as in English
    QLocale.setDefault(locale)
    app = QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    loaded = False
    for name, where in (("marginalia", folder or translations_folder()),
                        ("qtbase", Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))):
        translator = QTranslator(app)
        found = translator.load(locale, name, "_", str(where))
        if found or name == "marginalia":  # ours always (empty in English, the source language)
            app.installTranslator(translator)
            _installed.append(translator)
            loaded = loaded or (found and name == "marginalia")
    app.sendPostedEvents(None, QEvent.Type.LanguageChange)  # the windows say everything again now
    return loaded
