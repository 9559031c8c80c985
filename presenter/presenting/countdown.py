"""A label showing the talk's countdown: red from zero on, then counting up.

Both the presenter screen and the one-screen notes strip show one; they read the same
``TalkClock``, so pausing in one pauses both. The label refreshes itself on a timer only
while it is visible, and the clock is read, not ticked, so a late refresh never drifts.
"""

from __future__ import annotations

from PyQt5.QtCore import Qt, QTimer
from PyQt5.QtWidgets import QLabel, QWidget

from presenter.core.talk_clock import TalkClock

REFRESH_MS = 250


class CountdownLabel(QLabel):
    """``09:58``; ``+00:12`` on red once the talk is over time; ``(paused)`` when paused."""

    def __init__(self, clock: TalkClock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Countdown")
        self.setAlignment(Qt.AlignCenter)
        self.clock = clock
        self._colours = ("#1b1f24", "transparent", "#ffffff", "#b3261e")
        self._point_size = 14
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.refresh()

    @property
    def overtime(self) -> bool:
        return bool(self.property("overtime"))

    def set_colours(self, text: str, paper: str, alarm_text: str, alarm_paper: str) -> None:
        """The theme's colours: ordinary ones, and the alarm (red) pair for over time."""
        self._colours = (text, paper, alarm_text, alarm_paper)
        self._restyle()

    def set_point_size(self, points: int) -> None:
        """In the label's own stylesheet: the window's sheet would win over setFont()."""
        self._point_size = points
        self._restyle()

    def refresh(self) -> None:
        clock = self.clock
        text = clock.text()
        if clock.paused:
            text += " ❚❚"
        elif not clock.started:
            text += " ▷"
        if text != self.text():
            self.setText(text)
        over = clock.overtime()
        if over != self.overtime:
            self.setProperty("overtime", over)
            self._restyle()
        self.setToolTip("Talk time left: starts with the first step; click Pause to stop "
                        "it" if clock.length_s else "Talk time so far")

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().hideEvent(event)
        self._timer.stop()

    def _restyle(self) -> None:
        text, paper, alarm_text, alarm_paper = self._colours
        if self.overtime:
            text, paper = alarm_text, alarm_paper
        self.setStyleSheet(f"QLabel#Countdown {{ color: {text}; background: {paper}; "
                           f"font-size: {self._point_size}pt; font-weight: bold; "
                           "border-radius: 6px; padding: 0 8px; }")
