"""The Go to Line dialog as a person meets it: a plain number field, typed into, Enter or Esc."""

from __future__ import annotations

from PyQt5.QtCore import Qt, QTimer
from PyQt5.QtWidgets import QAbstractSpinBox, QApplication, QSpinBox, QWidget

from presenter.qt import dialogs


def answer_when_shown(qtbot, keys: list, seen: dict) -> None:
    """Once the modal dialog is up, look at its field and type ``keys`` into what has focus."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or QApplication.focusWidget() is None:
            QTimer.singleShot(20, act)  # not shown, or not focused, yet
            return
        field = dialog.findChild(QSpinBox)
        seen["title"] = dialog.windowTitle()
        seen["buttons"] = field.buttonSymbols()
        seen["focus_is_field"] = QApplication.focusWidget() is field
        for key in keys:
            target = QApplication.focusWidget()
            if isinstance(key, str):
                qtbot.keyClicks(target, key)
            else:
                qtbot.keyClick(target, key)

    QTimer.singleShot(0, act)


def test_go_to_line_takes_a_typed_number_and_enter(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}
    answer_when_shown(qtbot, ["12", Qt.Key_Return], seen)  # the current value is selected
    assert dialogs.ask_line_number(parent, 5, 40) == 12
    assert seen["title"] == "Go to Line" and seen["focus_is_field"]
    # No spin arrows: on the night theme's dark field they were drawn black, unseen.
    assert seen["buttons"] == QAbstractSpinBox.NoButtons


def test_go_to_line_up_steps_and_escape_cancels(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}
    answer_when_shown(qtbot, [Qt.Key_Up, Qt.Key_Return], seen)
    assert dialogs.ask_line_number(parent, 5, 40) == 6
    answer_when_shown(qtbot, ["7", Qt.Key_Escape], seen)
    assert dialogs.ask_line_number(parent, 5, 40) is None
