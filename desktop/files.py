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
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QStandardPaths
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from .i18n import status
from .replay import write_gif


class ExportError(Exception):
    """Nothing to export yet (no weights, no loss, no conversation)."""


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
    if not image.save(str(path), "PNG") or not heatmap.grab().save(str(view), "PNG"):
        raise OSError(f"{path} could not be written")
    return [path, view]


def loss_csv(losses: list[tuple[int, float]], path: str | Path) -> Path:
    """One row per training step: step, loss."""
    if not losses:
        raise ExportError("no training steps yet")
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["step", "loss"])
        out.writerows((step, f"{loss:.6g}") for step, loss in losses)
    return path


def loss_png(plot_widget, path: str | Path) -> Path:
    """The loss curve as drawn, through pyqtgraph's image exporter."""
    from pyqtgraph.exporters import ImageExporter

    path = Path(path)
    exporter = ImageExporter(plot_widget.getPlotItem())
    exporter.export(str(path))
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
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# --- the dialogs -------------------------------------------------------------------------------------

class Files(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

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
        def write(path: str) -> list[Path]:
            frames = [f for _, f in self.window.recorder.frames]
            if not frames:
                raise ExportError("no training frames")
            return [write_gif(frames, path)]

        frames = self.window.recorder.frames
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
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(Path(self.folder) / name), kinds)
        if not path:
            return None
        try:
            written = write(path)
        except ExportError:
            say(status(QT_TRANSLATE_NOOP("Status", "Nothing to export yet.")))
            return None
        except OSError as e:
            say(status(QT_TRANSLATE_NOOP("Status", "Could not export to {path}: {why}"), path=path,
                       why=e.strerror or str(e)))
            return None
        self.folder = str(Path(path).parent)
        say(status(QT_TRANSLATE_NOOP("Status", "Exported to {paths}"), paths=", ".join(str(p) for p in written)))
        return written
