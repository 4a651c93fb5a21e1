"""The classroom's files: open a model (Ctrl+O), and export what is on screen, each where the user chooses.

`Files` asks for a path in a file dialog (never in kiosk mode: the kiosk switches these actions off)
and hands it on: a model to `Exhibit.load` (the model process reads it; a damaged or foreign file is
refused with one message naming it, and the model on screen stays), an export to the writers below.
The writers take a path and what is on screen, and return the paths they wrote:

- the heatmap: one pixel per weight, at the mosaic's native size, exactly the colours on screen (PNG),
  and the labelled view as it is on screen beside it (`…-view.png`);
- the loss curve: one row per training step (CSV), and the plot as drawn (PNG, pyqtgraph's exporter);
- the training run's replay: its heatmap frames, kept within a budget of memory (`desktop.replay`), as
  an animated GIF;
- the conversation as shown, and the context the model rereads, with the weights' fingerprint (text).

Each file is written beside its place and put there only once whole (`model.atomic.replacing`): an export that fails
or is cancelled leaves no half-written file, and the file there before as it was. The replay, the one
export that takes a while, shows a progress dialog (from PROGRESS_AFTER_MS on) whose Cancel stops it
between two frames; the window goes on drawing meanwhile.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from model.atomic import replacing

from .i18n import status
from .replay import gif_parts

PROGRESS_AFTER_MS = 400  # an export quicker than this shows no dialog


class ExportError(Exception):
    """Nothing to export yet (no weights, no loss, no conversation)."""


class Cancelled(Exception):
    """The user cancelled the export: nothing was written."""


# --- the writers -------------------------------------------------------------------------------------

def heatmap_png(heatmap, path: str | Path) -> list[Path]:
    """The heatmap at one pixel per weight (the gaps between matrices in their colour), and the labelled
    view as on screen beside it."""
    picture = heatmap.image.image
    if picture is None:
        raise ExportError("no weights on screen")
    words = np.ascontiguousarray(picture, dtype=np.uint32)
    h, w = words.shape
    image = QImage(words.data, w, h, 4 * w, QImage.Format.Format_RGB32).copy()  # row 0 at the top, as shown
    path = Path(path)
    view = path.with_name(f"{path.stem}-view.png")
    for where, picture in ((path, image), (view, heatmap.grab())):
        with replacing(where) as part:
            if not picture.save(str(part), "PNG"):
                raise OSError(f"{where} could not be written")
    return [path, view]


def loss_csv(losses: list[tuple[int, float]], path: str | Path) -> Path:
    """One row per training step: step, loss."""
    if not losses:
        raise ExportError("no training steps yet")
    path = Path(path)
    with replacing(path) as part, open(part, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["step", "loss"])
        out.writerows((step, f"{loss:.6g}") for step, loss in losses)
    return path


def loss_png(plot_widget, path: str | Path) -> Path:
    """The loss curve as drawn, through pyqtgraph's image exporter."""
    from pyqtgraph.exporters import ImageExporter

    path = Path(path)
    with replacing(path) as part:
        ImageExporter(plot_widget.getPlotItem()).export(str(part))
    return path


def replay_gif(frames: list[np.ndarray], path: str | Path, progressed: Callable[[int], bool] = lambda n: True
               ) -> Path:
    """The replay's frames as a GIF; `progressed(n)` once n frames are written: False stops it (Cancelled)."""
    path = Path(path)
    with replacing(path) as part, open(part, "wb") as f:
        for i, data in enumerate(gif_parts(frames)):
            f.write(data)
            if 1 <= i <= len(frames) and not progressed(i):
                raise Cancelled
    return path


def conversation_text(window, path: str | Path) -> Path:
    """The conversation as shown, then what the model rereads (its context) and its weights' fingerprint."""
    c = window.exhibit.talk.conversation
    if c.proof is None:
        raise ExportError("no conversation")
    v = c.view
    lines = [window.talk_panel.chat.toPlainText().strip(), "",
             f"--- context: {v.used} of {v.block_size} characters ---", "".join(t.text for t in v.tokens), "",
             f"--- weights: fingerprint {c.proof.fingerprint}, {c.proof.changed} of {c.proof.total} changed ---", ""]
    path = Path(path)
    with replacing(path) as part:
        part.write_text("\n".join(lines), encoding="utf-8")
    return path


# --- the dialogs -------------------------------------------------------------------------------------

class Files(QObject):
    progressed = Signal(int, int)  # an export's units done (the replay's frames), of how many

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        self.progress: QProgressDialog | None = None  # the export under way's, while one is

    def open_model(self) -> None:
        e = self.window.exhibit
        start = e.settings.save_dir or self.folder
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open a model"), start,
                                              self.tr("Models (*.safetensors);;All files (*)"))
        if path:
            e.load(path)

    def export_heatmap(self) -> None:
        self._export(self.tr("Export the heatmap"), "marginalia-weights.png", self.tr("PNG pictures (*.png)"),
                     lambda path: heatmap_png(self.window.heatmap, path))

    def export_loss(self) -> None:
        def write(path: str) -> list[Path]:
            base = Path(path).with_suffix("")
            written = [loss_csv(self.window.exhibit.training.live.losses, base.with_suffix(".csv"))]
            return written + [loss_png(self.window.train_panel.curve_plot, base.with_suffix(".png"))]

        self._export(self.tr("Export the loss curve"), "marginalia-loss.csv", self.tr("CSV tables (*.csv)"), write)

    def export_replay(self) -> None:
        frames = list(self.window.recorder.frames)  # as they are now: training may go on while they are written

        def write(path: str) -> list[Path]:
            if not frames:
                raise ExportError("no training frames")
            progressed = self._progressed(self.tr("Writing the replay's frames…"), len(frames))
            return [replay_gif([f for _, f in frames], path, progressed)]

        written = self._export(self.tr("Export the training replay"), "marginalia-training.gif",
                               self.tr("GIF pictures (*.gif)"), write)
        if written:
            self.window.exhibit.status.say(status(QT_TRANSLATE_NOOP(
                "Status", "Exported a replay of {frames} frames, steps {first} to {last}, to {path}"),
                frames=len(frames), first=frames[0][0], last=frames[-1][0], path=str(written[0])))

    def export_conversation(self) -> None:
        self._export(self.tr("Export the conversation"), "marginalia-conversation.txt",
                     self.tr("Text (*.txt)"), lambda path: [conversation_text(self.window, path)])

    def _export(self, title: str, name: str, kinds: str, write) -> list[Path] | None:
        """Ask where, write there, and say what was written (or why not); the paths written, if any."""
        say = self.window.exhibit.status.say
        if self.progress is not None:
            return None  # one export at a time (the window's keys still work while one is written)
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(Path(self.folder) / name), kinds)
        if not path:
            return None
        try:
            written = write(path)
        except ExportError:
            say(status(QT_TRANSLATE_NOOP("Status", "Nothing to export yet.")))
            return None
        except Cancelled:
            say(status(QT_TRANSLATE_NOOP("Status", "Export cancelled: nothing was written to {path}."), path=path))
            return None
        except OSError as e:
            say(status(QT_TRANSLATE_NOOP("Status", "Could not export to {path}: {why}"), path=path,
                       why=e.strerror or str(e)))
            return None
        finally:
            self._progress_done()
        self.folder = str(Path(path).parent)
        say(status(QT_TRANSLATE_NOOP("Status", "Exported to {paths}"), paths=", ".join(str(p) for p in written)))
        return written

    def _progressed(self, label: str, total: int) -> Callable[[int], bool]:
        """A progress dialog for `total` units, and what a writer tells of each: True to go on. The dialog
        is modal to the window, so its updates let the window draw (and a training run go on) meanwhile."""
        self.progress = dialog = QProgressDialog(label, self.tr("Cancel"), 0, total, self.window)
        dialog.setObjectName("ExportProgress")
        dialog.setWindowTitle(self.tr("Exporting"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        dialog.setValue(0)

        def progressed(done: int) -> bool:
            self.progressed.emit(done, total)
            dialog.setValue(done)
            return not dialog.wasCanceled()

        return progressed

    def _progress_done(self) -> None:
        if self.progress is not None:
            self.progress.deleteLater()
            self.progress = None
