"""The notes strip: speaker notes inside the window, for a speaker with one screen.

With one screen the audience sees whatever the speaker sees, so the strip is off until the
speaker asks for it (F9) and off again with the same key: a glance at the notes, then back
to the code. It shows the current step's notes, the next step's title and the countdown.
"""

from __future__ import annotations

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from presenter.core.talk_clock import TalkClock
from presenter.presenting.countdown import CountdownLabel
from presenter.qt.labels import ElidedLabel


class NotesStrip(QFrame):
    """A band above the step bar: notes on the left, next step and countdown on the right."""

    # ---- Signals
    pause_clicked = pyqtSignal()

    def __init__(self, clock: TalkClock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NotesStrip")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.notes_label = QLabel("", self)
        self.notes_label.setObjectName("NotesText")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.PlainText)
        self.notes_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.next_label = ElidedLabel("", self)
        self.next_label.setObjectName("NotesNext")
        self.countdown = CountdownLabel(clock, self)
        self.pause_button = QToolButton(self)
        self.pause_button.setText("Pause")
        self.pause_button.setToolTip("Pause or resume the talk's countdown")
        self.pause_button.setFocusPolicy(Qt.NoFocus)  # the speaker's keys stay in the editor
        self.pause_button.clicked.connect(lambda _checked=False: self.pause_clicked.emit())
        clock_row = QHBoxLayout()
        clock_row.addWidget(self.countdown, 1)
        clock_row.addWidget(self.pause_button)
        side = QVBoxLayout()
        side.addLayout(clock_row)
        side.addWidget(self.next_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.notes_label, 3)
        layout.addLayout(side, 1)

    def show_step(self, notes: str, next_title: str) -> None:
        self.notes_label.setText(notes or "(no notes for this step)")
        self.next_label.setText(f"Next: {next_title}" if next_title else "Next: (the end)")

    def apply_appearance(self, ui: dict[str, str], ui_pt: int) -> None:
        text, panel = ui.get("text", "#1b1f24"), ui.get("panel", "#e4ded0")
        self.setStyleSheet(f"QFrame#NotesStrip {{ background: {panel}; color: {text}; "
                           f"border-top: 1px solid {ui.get('border', text)}; }}")
        self.countdown.set_point_size(ui_pt + 2)
        self.countdown.set_colours(text, "transparent", ui.get("stop_text", "#ffffff"),
                                   ui.get("stop_bg", "#b3261e"))
