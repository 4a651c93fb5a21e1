"""The window fits the screen it is on: it opens maximised on a screen smaller than its own size, and at
1280×720 and 1366×768 every control of every scene lies inside it, none squeezed below its height: the
chat's input line, the memory controls, the status line, the colour bar's labels, the toolbar."""

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea

from desktop.control.state import Panel

from .conftest import enter_train, wait_idle


def inside(window, widget) -> bool:
    """Wholly inside the window, and as tall as its text needs (at its width, if it wraps)."""
    r = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    wraps = isinstance(widget, QLabel) and widget.wordWrap()
    needs = widget.heightForWidth(r.width()) if wraps else widget.minimumSizeHint().height()
    return widget.isVisibleTo(window) and window.rect().contains(r) and r.height() >= needs


def scrolled(widget) -> bool:
    """Inside a scroll area: what does not fit is a scroll away."""
    while widget is not None:
        if isinstance(widget, QScrollArea):
            return True
        widget = widget.parentWidget()
    return False


def squeezed(window, root) -> list[str]:
    """The texts of `root`'s visible labels and buttons that are not wholly inside the window."""
    widgets = [x for x in root.findChildren(QLabel) + root.findChildren(QAbstractButton) if x.isVisibleTo(window)
               and not scrolled(x)]
    return [x.text() for x in widgets if not inside(window, x)]


def test_the_window_opens_maximised_on_a_smaller_screen(qtbot, settings):
    from desktop.control.exhibit import Exhibit
    from desktop.window import OPENING_SIZE, MainWindow

    w = MainWindow(Exhibit(settings))
    qtbot.addWidget(w)
    room = w.screen().availableGeometry()
    assert room.width() < OPENING_SIZE[0] or room.height() < OPENING_SIZE[1]  # the offscreen screen is small
    w.open_on_screen()
    qtbot.waitUntil(w.isVisible)
    assert w.isMaximized() and w.width() <= room.width() and w.height() <= room.height()
    w.close()


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)])
def test_every_scene_keeps_its_controls_on_screen(qtbot, window, size):
    w, e = window, window.exhibit
    wait_idle(qtbot, e)
    assert e.talk.ask("who does the books?")
    wait_idle(qtbot, e)
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size)
    t = w.talk_panel
    for panel in (Panel.CHAT, Panel.COST, Panel.CHAT):
        e.show_panel(panel)
        qtbot.wait(50)
        assert squeezed(w, w) == [], panel
        assert inside(w, w.toolbar) and inside(w, w.message) and inside(w, w.heatmap)
        tucked = [a.text() for a in w.toolbar.actions() if a.isVisible() and not a.isSeparator()
                  and not w.toolbar.widgetForAction(a).isVisibleTo(w)]
        assert tucked == []  # none behind the toolbar's » (a click away, and unseen)
    assert inside(w, t.input) and inside(w, t.note)  # the input line, the memory note
    bar, view = w.heatmap.bar, w.heatmap.view  # the colour bar, its ticks and its label "weight"
    assert view.viewport().rect().contains(view.mapFromScene(bar.sceneBoundingRect()).boundingRect())
    enter_train(qtbot, e)
    qtbot.wait(50)
    assert squeezed(w, w) == []
