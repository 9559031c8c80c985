"""Which screen the speaker looks at, followed while screens come and go.

The window (editor and output) is on the projector; the presenter screen goes on another
screen, the first one the window is not on. A projector plugged in during the talk, one
unplugged, or the window dragged to the other screen all change the answer: Qt reports
them as ``screenAdded``/``screenRemoved`` and the window's ``screenChanged``, and
``changed`` follows each, once the event is over (during ``screenRemoved`` the screen is
still in Qt's list).
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt5.QtCore import QObject, QTimer, pyqtSignal
from PyQt5.QtGui import QGuiApplication, QScreen
from PyQt5.QtWidgets import QWidget


def speaker_screen(window_screen: QScreen | None, screens: list[QScreen]) -> QScreen | None:
    """The screen for the presenter screen: the first one the window is not on; None with one."""
    others = [screen for screen in screens if screen is not window_screen]
    return others[0] if others and window_screen is not None else None


class ScreenFollower(QObject):
    """Watches the screens and the window's screen; ``changed`` when the answer may differ."""

    # ---- Signals
    changed = pyqtSignal()
    """Screens or the window's screen changed: place the speaker's views again."""
    screen_added = pyqtSignal()
    """A screen was plugged in (a projector arrived: the presenter screen may show)."""

    def __init__(self, window: QWidget,
                 screens: Callable[[], list[QScreen]] = QGuiApplication.screens) -> None:
        super().__init__(window)
        self.window = window
        self._screens = screens
        self._added_pending = False
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._on_added)
        app.screenRemoved.connect(self._on_screens_changed)
        self._watched_handle = None
        self._watch_window_screen()

    def screens(self) -> list[QScreen]:
        return list(self._screens())

    def window_screen(self) -> QScreen | None:
        """The window's screen (before it is first shown: where its geometry puts it)."""
        handle = self.window.windowHandle()
        return handle.screen() if handle is not None else self.window.screen()

    def speaker_screen(self) -> QScreen | None:
        self._watch_window_screen()
        return speaker_screen(self.window_screen(), self.screens())

    # ---- Internals
    def _watch_window_screen(self) -> None:
        handle = self.window.windowHandle()
        if handle is not None and handle is not self._watched_handle:
            handle.screenChanged.connect(self._on_screens_changed)
            self._watched_handle = handle

    def _on_screens_changed(self, _screen: QScreen) -> None:
        self._soon()

    def _on_added(self, _screen: QScreen) -> None:
        self._added_pending = True
        self._soon()

    def _soon(self) -> None:
        QTimer.singleShot(0, self._emit)

    def _emit(self) -> None:
        self._watch_window_screen()
        added, self._added_pending = self._added_pending, False
        if added:
            self.screen_added.emit()
        self.changed.emit()
