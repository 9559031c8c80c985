"""The clicker's bare keys while presenting: B and "." blank the screen.

Presentation clickers send Page Down / Page Up for next and back, and B or "." to blank
the screen. A bare letter must never steal ordinary typing, so the rule is:

* B and "." blank (and unblank) the screen only **while presenting**, and only when the
  keyboard focus is **not in a place that takes typing** (the editor, a text field, the
  output pane while a program reads input, the REPL), **or** when something drives the
  talk from the clicker (the demo player sets ``PresentationState.clicker_driving``).
* Anywhere else, and at any time, Ctrl+Shift+B blanks (the action table's key).

The demo player's Next/Back keys are its own; ``takes_typing`` is here for it to reuse.
"""

from __future__ import annotations

from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import QEvent, QObject, Qt
from PyQt5.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from presenter.presenting.state import PresentationState
from presenter.qt.output_pane import OutputPane

BLANK_KEYS = (Qt.Key_B, Qt.Key_Period)
# A clicker's "." may come from the keypad; a capital B (Caps Lock, Shift) still means B.
_HARMLESS_MODIFIERS = Qt.ShiftModifier | Qt.KeypadModifier


def takes_typing(widget: QWidget | None) -> bool:
    """Whether a key typed into ``widget`` now would become text (or program input)."""
    if widget is None:
        return False
    if isinstance(widget, QsciScintilla):
        return not widget.isReadOnly()
    if isinstance(widget, OutputPane):
        return widget.is_running()  # read-only, except for a running program's input
    if widget.objectName() == "ReplPane":
        return True  # read-only document, but every key goes to the board
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return False


class StageKeys(QObject):
    """Application event filter, installed only while presenting."""

    def __init__(self, state: PresentationState, toggle_blank, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._toggle_blank = toggle_blank
        self._installed = False

    def set_active(self, active: bool) -> None:
        app = QApplication.instance()
        if app is None or active == self._installed:
            return
        if active:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._installed = active

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() != QEvent.KeyPress or event.key() not in BLANK_KEYS:
            return False
        if event.modifiers() & ~_HARMLESS_MODIFIERS or event.isAutoRepeat():
            return False
        if not (self._state.is_blank() or self._state.clicker_driving
                or not takes_typing(QApplication.focusWidget())):
            return False
        self._toggle_blank()
        return True
