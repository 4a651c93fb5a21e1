"""Nothing a visitor types reaches a log: what the terminal (or a kiosk's journal) is told, withheld where
it could carry their words. No Qt.

A problem's technical account goes to the `marginalia` logger (`desktop.i18n.log_problem`): a statement
that was not a correction is the visitor's own sentence, so only its kind is logged; a crash's traceback
keeps where it happened (files, lines, functions, source) and drops every exception's message, which
may quote what was being read. In kiosk mode the same goes for any exception no one caught, in the
window's threads (`install_excepthooks`): systemd writes a service's stderr into its journal, on disk.
"""

from __future__ import annotations

import re
import sys
import threading
import traceback

WITHHELD = "(message withheld: it may hold a visitor's words)"
_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*)(:.*)?$")


def scrub_traceback(text: str) -> str:
    """`text` (a formatted traceback) with every exception's message withheld, the frames kept."""
    out, after_frame = [], False
    for line in text.rstrip().splitlines():
        if line.startswith(("Traceback ", "  ", "During handling", "The above exception")) or not line.strip():
            out.append(line)
            after_frame = line.startswith("  ")
            continue
        match = _EXCEPTION.match(line) if after_frame else None  # the line naming the exception's type
        if match:
            out.append(f"{match.group(1)} {WITHHELD}")
        elif not out or out[-1] != WITHHELD and not out[-1].endswith(WITHHELD):
            out.append(WITHHELD)  # a message's further lines, or anything else: one mark for all
        after_frame = False
    return "\n".join(out)


def withheld(kind: str, detail: str) -> str:
    """A problem's account for the log: a visitor's statement not at all, a traceback without messages."""
    if kind == "not-a-correction":
        return "the statement is the visitor's: not logged"
    if kind == "crash":
        return scrub_traceback(detail)
    return detail.rstrip()  # files and numbers, not words a visitor typed


def install_excepthooks() -> None:
    """Uncaught exceptions, in the main thread and every other, printed without their messages."""

    def hook(exc_type, exc, tb) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        print(scrub_traceback(text), file=sys.stderr, flush=True)

    sys.excepthook = hook
    threading.excepthook = lambda args: hook(args.exc_type, args.exc_value, args.exc_traceback)
