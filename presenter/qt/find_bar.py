"""Find and replace as a bar above the output pane, never a dialog.

A dialog would cover the code the audience is reading; a bar keeps it in view. The bar
emits requests; the window applies them to the current editor.
"""

from __future__ import annotations

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class FindBar(QWidget):
    """Find field, optional replace field, options and a close button."""

    # ---- Signals
    find_requested = pyqtSignal(str, bool)
    """Pattern and direction (True = forward) for Find Next / Previous."""
    replace_requested = pyqtSignal(str, str)
    """Pattern and replacement for the current match."""
    replace_all_requested = pyqtSignal(str, str)
    closed = pyqtSignal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("FindBar")
        self.find_field = QLineEdit(self)
        self.find_field.setObjectName("FindField")
        self.find_field.setPlaceholderText("Find")
        self.find_field.setClearButtonEnabled(True)
        self.replace_field = QLineEdit(self)
        self.replace_field.setObjectName("ReplaceField")
        self.replace_field.setPlaceholderText("Replace with")
        self.case_box = QCheckBox("Aa", self)
        self.case_box.setToolTip("Match case")
        self.word_box = QCheckBox("Word", self)
        self.word_box.setToolTip("Whole words only")
        self.regex_box = QCheckBox(".*", self)
        self.regex_box.setToolTip("Regular expression")
        self.previous_button = QPushButton("Previous", self)
        self.next_button = QPushButton("Next", self)
        self.replace_button = QPushButton("Replace", self)
        self.replace_all_button = QPushButton("Replace All", self)
        self.status = QLabel("", self)
        self.close_button = QPushButton("✕", self)
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.setFlat(True)

        top = QHBoxLayout()
        for widget in (self.find_field, self.case_box, self.word_box, self.regex_box,
                       self.previous_button, self.next_button, self.status, self.close_button):
            top.addWidget(widget)
        top.setStretch(0, 1)
        self.replace_row = QWidget(self)
        bottom = QHBoxLayout(self.replace_row)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.replace_field, 1)
        bottom.addWidget(self.replace_button)
        bottom.addWidget(self.replace_all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.replace_row)

        self.find_field.returnPressed.connect(lambda: self._find(True))
        self.find_field.textChanged.connect(lambda _text: self.status.clear())
        self.next_button.clicked.connect(lambda: self._find(True))
        self.previous_button.clicked.connect(lambda: self._find(False))
        self.replace_field.returnPressed.connect(self._replace)
        self.replace_button.clicked.connect(self._replace)
        self.replace_all_button.clicked.connect(
            lambda: self.replace_all_requested.emit(self.find_field.text(), self.replace_field.text()))
        self.close_button.clicked.connect(self.close_bar)
        self.hide()

    # ---- Public API
    def open_find(self, initial: str = "", replace: bool = False) -> None:
        if initial and "\n" not in initial:
            self.find_field.setText(initial)
        self.replace_row.setVisible(replace)
        self.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def options(self) -> dict[str, bool]:
        return {"case": self.case_box.isChecked(), "whole_word": self.word_box.isChecked(),
                "regex": self.regex_box.isChecked()}

    def show_result(self, text: str) -> None:
        self.status.setText(text)

    def pattern(self) -> str:
        return self.find_field.text()

    # ---- Internals
    def _find(self, forward: bool) -> None:
        self.find_requested.emit(self.find_field.text(), forward)

    def _replace(self) -> None:
        self.replace_requested.emit(self.find_field.text(), self.replace_field.text())

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.key() == Qt.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)
