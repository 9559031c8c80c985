"""What presentation mode hides, and how the window is put back exactly as it was.

Hidden by an explicit list, never "everything but the editor": the menu bar, the main
toolbar (the stage toolbar with a talk's few controls replaces it), the tab bar, the find
bar and the status bar. Side panes beside the editor are hidden by the caller (the plotter
through its own toggle, so a speaker can still show it on purpose). Anything not on the
list, such as a demo step bar, stays where it is.

Before anything changes, the window's geometry (normal, maximized or full screen), every
listed widget's visibility, the side panes, the splitters' shares and the focus are
recorded; ``restore`` puts them back (a side pane opened during the talk is closed with
it). The side and bottom splitters are set again once the window has its old size back:
a window manager restores the size a moment after Qt asks, and a splitter resized in
between would share out the difference its own way.
"""

from __future__ import annotations

from dataclasses import dataclass

from PyQt5 import sip
from PyQt5.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PyQt5.QtWidgets import QApplication, QWidget

from presenter.qt.mainwindow import MainWindow

#: How long restore keeps waiting for the window manager to give the old size back.
SETTLE_MS = 3000


def chrome(window: MainWindow) -> list[QWidget]:
    """The widgets presentation mode hides: the explicit list."""
    return [window.menuBar(), window.toolbar, window.tabs.tabBar(), window.find_bar, window.status]


def side_panes(window: MainWindow) -> list[QWidget]:
    """Panes beside the editor and output (the plotter, and any added later)."""
    area = window.side_area
    return [area.widget(i) for i in range(area.count()) if area.widget(i) is not window.splitter]


@dataclass
class WindowBefore:
    """The window as it was when presentation mode began."""

    normal: QRect
    maximized: bool
    full_screen: bool
    shown: list[tuple[QWidget, bool]]
    panes: list[tuple[QWidget, bool]]
    side_sizes: list[int]
    bottom_sizes: list[int]  # the output pane and a mode's panes beside it (the REPL)
    output_share: float
    focus: QWidget | None = None


def capture(window: MainWindow) -> WindowBefore:
    return WindowBefore(
        normal=QRect(window.normalGeometry() if window.isMaximized() or window.isFullScreen()
                     else window.geometry()),
        maximized=window.isMaximized(),
        full_screen=window.isFullScreen(),
        shown=[(w, w.isVisibleTo(window)) for w in chrome(window)],
        panes=[(w, w.isVisibleTo(window)) for w in side_panes(window)],
        side_sizes=window.side_area.sizes(),
        bottom_sizes=window.bottom_area.sizes(),
        output_share=window.splitter.output_share,
        focus=QApplication.focusWidget(),
    )


def hide_chrome(window: MainWindow) -> None:
    for widget in chrome(window):
        widget.hide()


def restore(window: MainWindow, before: WindowBefore, move_window: bool = True) -> None:
    """Everything ``capture`` recorded, back as it was."""
    if move_window:
        if before.full_screen:
            window.showFullScreen()
        elif before.maximized:
            window.showMaximized()
        else:
            window.showNormal()
            # The contents' own rectangle, not restoreGeometry(): that one re-derives the
            # contents from a frame it may only guess, and lands a title bar's height off.
            window.setGeometry(before.normal)
    for widget, shown in before.shown:
        if not sip.isdeleted(widget):
            widget.setVisible(shown)
            _repolish(widget)
    known = {widget for widget, _shown in before.panes}
    for widget, shown in before.panes:
        if not sip.isdeleted(widget):
            widget.setVisible(shown)
    for widget in side_panes(window):
        if widget not in known:
            widget.hide()  # opened during the talk: it goes with the talk
    window.splitter.set_output_share(before.output_share)
    if move_window:
        _SplitterSettler(window, before)
    focus = before.focus
    if focus is not None and not sip.isdeleted(focus) and focus.isVisible():
        focus.setFocus()


def _repolish(widget: QWidget) -> None:
    """Style ``widget`` and its children afresh. Hidden widgets miss a theme change made
    while they were hidden (a talk's theme), and a status bar sizes itself from its hidden
    children too: one styled for the talk's theme would leave it a border's width taller."""
    for part in (widget, *widget.findChildren(QWidget)):
        style = part.style()
        style.unpolish(part)
        style.polish(part)
        part.updateGeometry()


class _SplitterSettler(QObject):
    """Sets the side and bottom splitters' sizes now, and again once the window has its old
    size."""

    def __init__(self, window: MainWindow, before: WindowBefore) -> None:
        super().__init__(window)
        self._window = window
        self._sizes = {window.side_area: list(before.side_sizes),
                       window.bottom_area: list(before.bottom_sizes)}
        self._target: QSize | None = None if before.maximized or before.full_screen \
            else before.normal.size()
        self._finished = False
        self._apply()
        window.installEventFilter(self)
        QTimer.singleShot(SETTLE_MS, self._done)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Resize:
            QTimer.singleShot(0, self._apply)  # after the layout has handed out the new size
        return False

    def _apply(self) -> None:
        if self._finished or sip.isdeleted(self._window):
            return
        for area, sizes in self._sizes.items():
            if len(sizes) == area.count() and sum(sizes) > 0:
                area.setSizes(sizes)
        if self._target is not None and self._window.size() == self._target:
            self._done()

    def _done(self) -> None:
        if self._finished:
            return
        self._finished = True
        if not sip.isdeleted(self._window):
            self._window.removeEventFilter(self)
        self.deleteLater()
