"""The presenter screen: the speaker's window on the second screen.

It shows what the audience does not see: the current step's notes, the next step's code,
the time of day and the talk's countdown (red at zero, then counting up; Pause stops it).
Everything is large and grows with the window's zoom. It never takes the focus when it
appears (the speaker's keys stay in the editor), and if the speaker clicks it anyway the
clicker's keys still drive the demo from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PyQt5.QtCore import Qt, QTimer, pyqtSignal
from PyQt5.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from presenter.core.talk_clock import TalkClock
from presenter.presenting.countdown import REFRESH_MS, CountdownLabel
from presenter.qt.editor import Editor

#: Sizes relative to the editor's font, so the whole screen follows the zoom.
NOTES_SCALE, TITLE_SCALE, CLOCK_SCALE = 1.5, 1.25, 2.2


class PresenterScreen(QWidget):
    """A top-level window: notes, next code, clock and countdown, for the speaker only."""

    # ---- Signals
    next_clicked = pyqtSignal()
    back_clicked = pyqtSignal()
    pause_clicked = pyqtSignal()
    closed_by_user = pyqtSignal()
    """The window manager's close button: the speaker does not want it now."""

    def __init__(self, clock: TalkClock, wall: Callable[[], datetime] = datetime.now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.Window)
        self.setObjectName("PresenterScreen")
        self.setWindowTitle("Presenter screen — Presenter")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setAttribute(Qt.WA_ShowWithoutActivating, True)
        self.setAttribute(Qt.WA_QuitOnClose, False)  # closing the main window ends the app
        self.setFocusPolicy(Qt.StrongFocus)  # keys pressed here come to the window itself
        self._wall = wall
        self._closing_from_code = False

        self.title_label = QLabel("", self)
        self.title_label.setObjectName("PresenterTitle")
        self.title_label.setWordWrap(True)
        self.wall_label = QLabel("", self)
        self.wall_label.setObjectName("PresenterWallClock")
        self.countdown = CountdownLabel(clock, self)
        self.pause_button = self._button("Pause", "Pause or resume the talk's countdown",
                                         self.pause_clicked)
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.wall_label)
        top.addWidget(self.countdown)
        top.addWidget(self.pause_button)

        self.notes_label = QLabel("", self)
        self.notes_label.setObjectName("PresenterNotes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.notes_label.setTextFormat(Qt.PlainText)
        notes_scroll = QScrollArea(self)
        notes_scroll.setObjectName("PresenterNotesArea")
        notes_scroll.setWidgetResizable(True)
        notes_scroll.setFocusPolicy(Qt.NoFocus)
        notes_scroll.setWidget(self.notes_label)

        self.next_title = QLabel("", self)
        self.next_title.setObjectName("PresenterNextTitle")
        self.next_title.setWordWrap(True)
        self.next_where = QLabel("", self)
        self.next_where.setObjectName("PresenterNextWhere")
        self.next_where.setWordWrap(True)
        self.next_code = Editor(self)
        self.next_code.setObjectName("PresenterNextCode")
        self.next_code.setReadOnly(True)
        self.next_code.setFocusPolicy(Qt.NoFocus)
        self.next_code.setCaretWidth(0)
        self.next_code.setWrapMode(Editor.WrapWord)  # the whole step in view, never scrolled
        self.next_code.setWrapIndentMode(Editor.WrapIndentIndented)
        self.next_code.SendScintilla(Editor.SCI_SETHSCROLLBAR, False)
        next_column = QVBoxLayout()
        next_column.addWidget(self.next_title)
        next_column.addWidget(self.next_where)
        next_column.addWidget(self.next_code, 1)

        middle = QHBoxLayout()
        middle.addWidget(notes_scroll, 11)
        middle.addLayout(next_column, 9)

        self.back_button = self._button("◀ Back", "Previous step (Page Up)", self.back_clicked)
        self.next_button = self._button("Next ▶", "Next step (Page Down)", self.next_clicked)
        self.keys_hint = QLabel("Page Down, → or Space: next · Page Up or ←: back", self)
        self.keys_hint.setObjectName("PresenterKeysHint")
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.next_button)
        bottom.addWidget(self.keys_hint, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)

        self._wall_timer = QTimer(self)
        self._wall_timer.setInterval(REFRESH_MS * 4)
        self._wall_timer.timeout.connect(self._show_wall_time)
        self._show_wall_time()

    # ---- Public API
    def show_step(self, count: str, title: str, notes: str, next_title: str,
                  next_code: str, next_where: str = "") -> None:
        """What the speaker needs now: where they are, what to say, what comes next
        (``next_where``: where the next step lands and whether it runs)."""
        self.title_label.setText(f"{count}  {title}")
        self.notes_label.setText(notes or "(no notes for this step)")
        self.next_title.setText(f"Next: {next_title}" if next_title else "Next: (the end)")
        self.next_where.setText(next_where)
        self.next_where.setVisible(bool(next_where))
        if self.next_code.text() != next_code:
            self.next_code.setText(next_code)

    def apply_appearance(self, ui: dict[str, str], editor_pt: int,
                         style_editor: Callable[[Editor], None]) -> None:
        """Theme colours and sizes from the zoom: notes and the countdown larger still."""
        text, paper = ui.get("text", "#1b1f24"), ui.get("window", "#ece7dc")
        muted = ui.get("muted_text", text)
        notes_pt = round(editor_pt * NOTES_SCALE)
        title_pt = round(editor_pt * TITLE_SCALE)
        self.setStyleSheet(
            f"QWidget#PresenterScreen {{ background: {paper}; color: {text}; }}\n"
            f"QLabel {{ color: {text}; }}\n"
            f"QLabel#PresenterNotes {{ font-size: {notes_pt}pt; background: {paper}; }}\n"
            f"QScrollArea#PresenterNotesArea {{ border: none; background: {paper}; }}\n"
            f"QLabel#PresenterTitle, QLabel#PresenterNextTitle, QLabel#PresenterWallClock "
            f"{{ font-size: {title_pt}pt; font-weight: bold; }}\n"
            f"QLabel#PresenterKeysHint, QLabel#PresenterNextWhere {{ color: {muted}; }}\n"
            f"QToolButton {{ font-size: {title_pt}pt; }}\n")
        self.countdown.set_point_size(round(editor_pt * CLOCK_SCALE))
        self.countdown.set_colours(text, "transparent", ui.get("stop_text", "#ffffff"),
                                   ui.get("stop_bg", "#b3261e"))
        style_editor(self.next_code)

    def close_from_code(self) -> None:
        """Hide without counting as the speaker's choice (one screen left, demo ended)."""
        self._closing_from_code = True
        self.hide()
        self._closing_from_code = False

    # ---- Qt events
    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._show_wall_time()
        self._wall_timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().hideEvent(event)
        self._wall_timer.stop()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().closeEvent(event)
        if not self._closing_from_code:
            self.closed_by_user.emit()

    # ---- Internals
    def _show_wall_time(self) -> None:
        self.wall_label.setText(self._wall().strftime("%H:%M"))

    def _button(self, text: str, tip: str, signal) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.NoFocus)
        button.clicked.connect(lambda _checked=False: signal.emit())
        return button
