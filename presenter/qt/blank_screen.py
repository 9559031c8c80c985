"""A black cover over the whole window: the projector shows nothing, nothing underneath stops.

Speakers blank the screen to talk without the code competing for attention (clickers send
B or "." for it). A cover, rather than hiding widgets, keeps every widget, its text, its
scroll position and a running program exactly as they were.

While it shows it holds the keyboard focus, so keys pressed in the dark type nothing into
the hidden editor; B, "." and Esc (or a click) ask to take it away, and the owner gives the
focus back to where it was.
"""

from __future__ import annotations

from PyQt5.QtCore import QEvent, QObject, Qt, pyqtSignal
from PyQt5.QtGui import QPainter
from PyQt5.QtWidgets import QWidget

#: Keys that end the blank: the clicker's own and Esc.
WAKE_KEYS = (Qt.Key_B, Qt.Key_Period, Qt.Key_Escape)


class BlankScreen(QWidget):
    """Black, on top of every other child of ``parent``, as large as it."""

    # ---- Signals
    wake_requested = pyqtSignal()
    """B, ".", Esc or a click: the user wants the screen back."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("BlankScreen")
        self.setFocusPolicy(Qt.StrongFocus)
        self.setCursor(Qt.BlankCursor)  # no pointer floating in the dark
        self.hide()
        parent.installEventFilter(self)

    # ---- Public API
    def cover(self) -> None:
        """Cover the whole window and take the keyboard."""
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.setFocus(Qt.OtherFocusReason)

    # ---- Qt events
    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.black)
        painter.end()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.key() in WAKE_KEYS and not event.modifiers() & ~(Qt.ShiftModifier | Qt.KeypadModifier):
            self.wake_requested.emit()
        event.accept()  # nothing typed in the dark reaches the widgets underneath

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        event.accept()
        self.wake_requested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())  # full screen arriving late, a new screen
        return False
