"""The action table's keys win over every widget's own key bindings.

Qt asks the focused widget first (a ``ShortcutOverride`` event) whether it wants a key
for itself, and only if it declines does a window shortcut fire. Three widgets say yes
to keys the table documents:

* QScintilla's default key map binds Ctrl+L (cut line), Ctrl+Shift+L (delete line),
  Ctrl+Shift+T (copy line), Ctrl+/ (word part), Ctrl+] / Ctrl+[ (paragraphs), Ctrl++ /
  Ctrl+- (its own zoom) and the edit keys. Pressing "Go to line" must never cut a line.
* A QLineEdit (the find bar's fields) claims Undo, Redo, Cut, Copy, Paste, Select All and,
  with X11 key bindings, Ctrl+E (end of line).
* A QPlainTextEdit (the output pane) claims Copy and Select All on some platforms.

The keys come from the table itself (core and mode actions), so a new action's key is
freed everywhere without anyone remembering this module. The editor's bindings that do not
collide (Ctrl+D duplicate, Ctrl+T swap lines, Shift+Del cut, ...) are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import QEvent, QObject, Qt
from PyQt5.QtGui import QKeyEvent, QKeySequence
from PyQt5.QtWidgets import QWidget

from presenter.qt.actions import ActionSpec

_MODIFIERS = int(Qt.KeyboardModifierMask)
# Modifiers a shortcut ignores: the keypad flag (Ctrl with the keypad's + is still Ctrl++).
_IGNORED = int(Qt.KeypadModifier) | int(Qt.GroupSwitchModifier)


def table_key_codes(specs: Iterable[ActionSpec]) -> frozenset[int]:
    """Every key combination the action table binds, as Qt key codes (key | modifiers)."""
    codes: set[int] = set()
    for spec in specs:
        for text in spec.shortcuts:
            sequence = QKeySequence(text)
            if sequence.count():
                codes.add(int(sequence[0]))
    return frozenset(codes)


def event_key_codes(event: QKeyEvent) -> set[int]:
    """The table codes a key press can stand for, as Qt's shortcut map matches them.

    Shift+Tab arrives as Backtab; a symbol typed with Shift (Ctrl++ on a US keyboard is
    Ctrl+Shift+=) also matches the shortcut written without the Shift.
    """
    key = event.key()
    modifiers = int(event.modifiers()) & _MODIFIERS & ~_IGNORED
    if key == Qt.Key_Backtab:
        key, modifiers = Qt.Key_Tab, modifiers | int(Qt.ShiftModifier)
    codes = {int(key) | modifiers}
    if modifiers & int(Qt.ShiftModifier) and not (Qt.Key_A <= key <= Qt.Key_Z) and key < Qt.Key_Escape:
        codes.add(int(key) | (modifiers & ~int(Qt.ShiftModifier)))
    return codes


def free_editor_keys(editor: QsciScintilla, codes: frozenset[int]) -> None:
    """Unbind the editor's own commands from the table's keys (its other keys stay).

    Unbinding (rather than only declining the ShortcutOverride) also covers a disabled
    action: its key then reaches the editor as a plain key press, which must not edit.
    """
    for command in editor.standardCommands().commands():
        if command.key() in codes:
            command.setKey(0)
        if command.alternateKey() in codes:
            command.setAlternateKey(0)


def editor_key_bindings(editor: QsciScintilla) -> dict[int, str]:
    """The editor's remaining key bindings, code -> description (tests check no clash)."""
    bound: dict[int, str] = {}
    for command in editor.standardCommands().commands():
        for code in (command.key(), command.alternateKey()):
            if code:
                bound[code] = command.description()
    return bound


class TableKeysFirst(QObject):
    """Event filter: the watched widget declines the table's keys, so the action fires.

    Only the ShortcutOverride question is answered; if no enabled action takes the key,
    Qt delivers it to the widget as an ordinary key press, as before.
    """

    def __init__(self, codes: frozenset[int], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.codes = codes

    def watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.ShortcutOverride and event_key_codes(event) & self.codes:
            event.ignore()
            return True
        return False
