"""A large caption of the command just used ("Ctrl+S  Save"), over the window, fading away.

The audience cannot see the speaker's hands: this shows what they pressed. It is a child of
the main window that takes neither the focus nor the mouse, so it can never steal a
keystroke or a click from the code underneath, and it fades out after two seconds.
"""

from __future__ import annotations

from PyQt5.QtCore import QPropertyAnimation, Qt, QTimer
from PyQt5.QtWidgets import QGraphicsOpacityEffect, QLabel, QWidget

#: How long a caption stays before it fades, and how long the fade takes (milliseconds).
HOLD_MS = 2000
FADE_MS = 400
#: Distance from the bottom of the window, in caption heights.
BOTTOM_GAP = 0.6


class KeystrokeView(QLabel):
    """The caption. ``flash(text, points)`` shows it; it hides itself after the fade."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("KeystrokeView")
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.NoFocus)
        self.setAlignment(Qt.AlignCenter)
        self._opacity = QGraphicsOpacityEffect(self)
        self.setGraphicsEffect(self._opacity)
        self._fade = QPropertyAnimation(self._opacity, b"opacity", self)
        self._fade.setDuration(FADE_MS)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.finished.connect(self.hide)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.setInterval(HOLD_MS)
        self._hold.timeout.connect(self._fade.start)
        self.hide()

    # ---- Public API
    def flash(self, text: str, points: int) -> None:
        """Show ``text`` at ``points`` (white on near-black, readable on any theme)."""
        self._fade.stop()
        self._opacity.setOpacity(1.0)
        # Its own sheet: the caption looks the same whatever the theme, and the selector
        # outranks the theme's QLabel and QWidget rules.
        self.setStyleSheet(
            "QLabel#KeystrokeView { background: rgba(20, 20, 20, 220); color: #ffffff; "
            f"border: 2px solid #ffffff; border-radius: {points // 2}px; "
            f"padding: {points // 3}px {points}px; font-size: {points}pt; font-weight: bold; }}")
        self.setText(text)
        self.adjustSize()
        parent = self.parentWidget()
        x = (parent.width() - self.width()) // 2
        y = parent.height() - self.height() - round(self.height() * BOTTOM_GAP)
        self.move(max(0, x), max(0, y))
        self.raise_()
        self.show()
        self._hold.start()

    def dismiss(self) -> None:
        """Gone at once (the overlay was switched off)."""
        self._hold.stop()
        self._fade.stop()
        self.hide()
