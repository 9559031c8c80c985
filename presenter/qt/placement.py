"""Where the main window goes: on one screen, whole, its title bar included.

A projector is often 1280x720. A window asked for 1200x800 there, or one restored from a
bigger monitor, hangs off the screen, and under a real window manager the title bar
(the only handle to move it) is what goes first: ``setGeometry`` places the window's
*contents* at the given point and the manager puts its frame above that, off the top.

So the window is placed by its frame: ``move()`` positions the frame (Qt asks the window
manager for north-west gravity), and the size left for the contents is the frame's size
minus the decoration. The decoration is only known once the manager has framed the window,
so a guess (or the last run's real figures) is used first, and ``KeepOnScreen`` corrects
the window once, when the real frame is reported.
"""

from __future__ import annotations

from PyQt5.QtCore import QCoreApplication, QEvent, QMargins, QObject, QRect, QSize, QTimer
from PyQt5.QtWidgets import QWidget

#: Before a window manager reports its frame: enough for common title bars (openbox 20 px,
#: GNOME and Windows about 30-40 px) and borders.
FRAME_GUESS = QMargins(8, 40, 8, 8)
#: A first window on a big screen; smaller screens get all their available room.
DEFAULT_SIZE = QSize(1200, 800)


def fit_frame(frame: QRect, available: QRect) -> QRect:
    """``frame`` shrunk and moved as little as possible to lie inside ``available``."""
    width = min(frame.width(), available.width())
    height = min(frame.height(), available.height())
    x = min(max(frame.x(), available.left()), available.left() + available.width() - width)
    y = min(max(frame.y(), available.top()), available.top() + available.height() - height)
    return QRect(x, y, width, height)


def default_frame(available: QRect) -> QRect:
    """The first window: DEFAULT_SIZE (or the whole available area if smaller), centred."""
    frame = QRect(0, 0, min(DEFAULT_SIZE.width(), available.width()),
                  min(DEFAULT_SIZE.height(), available.height()))
    frame.moveCenter(available.center())
    return fit_frame(frame, available)


def frame_margins(window: QWidget) -> QMargins:
    """The window manager's decoration around ``window`` (zero until it is framed)."""
    frame, inner = window.frameGeometry(), window.geometry()
    return QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                    frame.right() - inner.right(), frame.bottom() - inner.bottom())


def place(window: QWidget, frame: QRect, margins: QMargins) -> None:
    """Give ``window`` the frame rectangle ``frame``, decoration ``margins`` included."""
    window.resize(max(1, frame.width() - margins.left() - margins.right()),
                  max(1, frame.height() - margins.top() - margins.bottom()))
    window.move(frame.topLeft())  # move() positions the frame, title bar included


class KeepOnScreen(QObject):
    """Pulls a just-shown window back inside its screen once its real frame is known.

    It watches only the first few seconds after start-up: later, a window the user drags
    half off the screen stays where they put it. It also stops when the window hides or the
    application quits: a Python event filter still installed while the interpreter shuts
    down crashed the process at exit.
    """

    MAX_CORRECTIONS = 3

    def __init__(self, window: QWidget, watch_ms: int = 5000) -> None:
        super().__init__(window)
        self.window = window
        self.corrections = 0
        self.done = False
        window.installEventFilter(self)
        self._timer = QTimer(self)  # a child: it cannot fire after the window is gone
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.stop)
        self._timer.start(watch_ms)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def stop(self) -> None:
        if not self.done:
            self.done = True
            self.window.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self.window:
            if event.type() in (QEvent.Show, QEvent.Move, QEvent.Resize):
                self.check()
            elif event.type() in (QEvent.Hide, QEvent.Close):
                self.stop()
        return False

    def check(self) -> None:
        window = self.window
        if self.done or not window.isVisible() or window.isMaximized() or window.isFullScreen():
            return
        screen = window.screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        frame = window.frameGeometry()
        framed = frame != window.geometry()
        if not available.contains(frame):
            if self.corrections >= self.MAX_CORRECTIONS:
                self.stop()  # the window cannot get smaller (its minimum size): give up
                return
            self.corrections += 1
            place(window, fit_frame(frame, available), frame_margins(window))
        elif framed:
            self.stop()  # framed by the window manager and inside the screen: done
