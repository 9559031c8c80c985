"""The table's keys beat a widget's own bindings: the key codes and the event filter."""

from __future__ import annotations

from PyQt5.QtCore import QEvent, Qt
from PyQt5.QtGui import QKeyEvent, QKeySequence
from PyQt5.QtWidgets import QApplication, QLineEdit

from presenter.qt.actions import ActionSpec
from presenter.qt.keymap import TableKeysFirst, event_key_codes, table_key_codes

SPECS = [ActionSpec("a", "A", ("Ctrl+Z", "Ctrl++")), ActionSpec("b", "B", ("Ctrl+Shift+Tab", "F3"))]


def code(text: str) -> int:
    return int(QKeySequence(text)[0])


def override(key, modifiers=Qt.NoModifier) -> QKeyEvent:
    return QKeyEvent(QEvent.ShortcutOverride, key, Qt.KeyboardModifiers(modifiers))


def test_table_codes_cover_every_shortcut_of_every_action():
    assert table_key_codes(SPECS) == {code("Ctrl+Z"), code("Ctrl++"), code("Ctrl+Shift+Tab"), code("F3")}


def test_a_key_press_matches_the_way_keyboards_send_it():
    codes = table_key_codes(SPECS)
    # Shift+Tab arrives as Backtab; Ctrl++ on a US keyboard is Ctrl+Shift+= -> Key_Plus + Shift;
    # the keypad's + carries the keypad flag.
    assert event_key_codes(override(Qt.Key_Backtab, Qt.ControlModifier | Qt.ShiftModifier)) & codes
    assert event_key_codes(override(Qt.Key_Plus, Qt.ControlModifier | Qt.ShiftModifier)) & codes
    assert event_key_codes(override(Qt.Key_Plus, Qt.ControlModifier | Qt.KeypadModifier)) & codes
    # ... but a letter's Shift is part of the shortcut: Ctrl+Shift+Z is not Ctrl+Z.
    assert not event_key_codes(override(Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)) & codes


def test_a_watched_line_edit_declines_table_keys_and_keeps_its_others(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    TableKeysFirst(table_key_codes(SPECS), field).watch(field)
    undo = override(Qt.Key_Z, Qt.ControlModifier)
    undo.ignore()
    QApplication.sendEvent(field, undo)
    assert not undo.isAccepted()  # the window's Ctrl+Z action gets the key
    typing = override(Qt.Key_A)
    typing.ignore()
    QApplication.sendEvent(field, typing)
    assert typing.isAccepted()  # a plain letter is still the field's own
