"""ReplPane: real keys become terminal bytes, pastes are requests, the model is drawn in theme."""

from __future__ import annotations

import pytest
from PyQt5.QtCore import QEvent, QPoint, Qt
from PyQt5.QtGui import (
    QClipboard,
    QColor,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QTextCursor,
)
from PyQt5.QtWidgets import QAction, QApplication, QMainWindow, QVBoxLayout, QWidget

from presenter.core.ansi import Style
from presenter.core.themes import load_theme
from presenter.qt.repl_pane import ReplPane


@pytest.fixture
def window(qtbot):
    """A window with the real window's clashing shortcuts, a REPL pane and something else."""
    win = QMainWindow()
    body = QWidget(win)
    layout = QVBoxLayout(body)
    pane = ReplPane(body, max_lines=200)
    other = ReplPane(body)  # a second focusable widget: Tab must not move to it
    layout.addWidget(pane)
    layout.addWidget(other)
    win.setCentralWidget(body)
    win.triggered = []
    for name, keys in [("edit.select_all", "Ctrl+A"), ("edit.copy", "Ctrl+C"),
                       ("edit.paste", "Ctrl+V"), ("view.focus_editor", "Ctrl+E"),
                       ("edit.find", "Ctrl+F"), ("run.run", "F5")]:
        action = QAction(name, win)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _c=False, n=name: win.triggered.append(n))
        win.addAction(action)
    win.pane = pane
    qtbot.addWidget(win)
    win.resize(700, 500)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    pane.setFocus()
    qtbot.waitUntil(pane.hasFocus, timeout=3000)
    return win


@pytest.fixture
def pane(window):
    return window.pane


@pytest.fixture
def typed(pane):
    sent: list[bytes] = []
    pane.keys_typed.connect(sent.append)
    return sent


@pytest.fixture
def pasted(pane):
    got: list[str] = []
    pane.paste_requested.connect(got.append)
    return got


def colour_of(pane: ReplPane, text: str) -> str:
    cursor = QTextCursor(pane.document())
    cursor.setPosition(pane.toPlainText().index(text) + 1)
    return cursor.charFormat().foreground().color().name()


# ---- Keys -> bytes


def test_typing_and_enter_send_the_bytes_a_terminal_sends(pane, typed, qtbot):
    qtbot.keyClicks(pane, "1+1")
    qtbot.keyClick(pane, Qt.Key_Return)
    qtbot.keyClick(pane, Qt.Key_Backspace)
    assert typed == [b"1", b"+", b"1", b"\r", b"\x7f"]
    assert pane.toPlainText() == ""  # nothing is echoed locally: the board echoes


@pytest.mark.parametrize("key, expected", [
    (Qt.Key_Up, b"\x1b[A"), (Qt.Key_Down, b"\x1b[B"), (Qt.Key_Right, b"\x1b[C"),
    (Qt.Key_Left, b"\x1b[D"), (Qt.Key_Home, b"\x1b[H"), (Qt.Key_End, b"\x1b[F"),
    (Qt.Key_Delete, b"\x1b[3~"), (Qt.Key_Enter, b"\r"),
])
def test_editing_keys_send_vt100_sequences(pane, typed, qtbot, key, expected):
    qtbot.keyClick(pane, key)
    assert typed == [expected]


def test_ctrl_arrows_send_plain_arrows_the_v1_understands(pane, typed, qtbot):
    qtbot.keyClick(pane, Qt.Key_Left, Qt.ControlModifier)
    assert typed == [b"\x1b[D"]


def test_tab_goes_to_the_board_and_keeps_focus(window, pane, typed, qtbot):
    qtbot.keyClick(pane, Qt.Key_Tab)
    assert typed == [b"\t"]
    assert pane.hasFocus()


def test_unicode_text_is_sent_as_utf8(pane, typed, qtbot):
    # QTest's key clicks are ASCII-only (they abort on "é"): deliver the key event a keyboard
    # with an é key produces, press and release, to the focused pane.
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QApplication.sendEvent(pane, QKeyEvent(kind, Qt.Key_Eacute, Qt.NoModifier, "é"))
    # A character composed by an input method (dead keys, compose, IMEs) arrives as a commit.
    event = QInputMethodEvent()
    event.setCommitString("✓")
    QApplication.sendEvent(pane, event)
    assert typed == ["é".encode(), "✓".encode()]


@pytest.mark.parametrize("key, byte", [
    (Qt.Key_A, b"\x01"), (Qt.Key_B, b"\x02"), (Qt.Key_C, b"\x03"), (Qt.Key_D, b"\x04"),
    (Qt.Key_E, b"\x05"),
])
def test_ctrl_a_to_e_reach_the_board_not_the_window(window, pane, typed, qtbot, key, byte):
    qtbot.keyClick(pane, key, Qt.ControlModifier)
    assert typed == [byte]
    assert window.triggered == []  # Select All / Copy / Focus Editor did not fire


def test_other_window_shortcuts_still_work_from_the_pane(window, pane, typed, qtbot):
    qtbot.keyClick(pane, Qt.Key_F, Qt.ControlModifier)
    qtbot.keyClick(pane, Qt.Key_F5)
    assert window.triggered == ["edit.find", "run.run"]
    assert typed == []


def test_escape_sends_nothing(pane, typed, qtbot):
    qtbot.keyClick(pane, Qt.Key_Escape)
    assert typed == []


def test_ctrl_c_interrupts_even_with_a_selection_and_ctrl_shift_c_copies(pane, typed, qtbot):
    pane.feed(">>> print('hello')\r\nhello\r\n>>> ")
    pane.flush()
    pane.selectAll()
    QApplication.clipboard().setText("before")
    qtbot.keyClick(pane, Qt.Key_C, Qt.ControlModifier)
    assert typed == [b"\x03"]
    assert QApplication.clipboard().text() == "before"
    qtbot.keyClick(pane, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    assert QApplication.clipboard().text() == ">>> print('hello')\nhello\n>>> "
    assert typed == [b"\x03"]


# ---- Paste -> a request, never raw keys


@pytest.mark.parametrize("key, mods", [
    (Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier),
    (Qt.Key_V, Qt.ControlModifier),
    (Qt.Key_Insert, Qt.ShiftModifier),
])
def test_paste_keys_request_a_paste(window, pane, typed, pasted, qtbot, key, mods):
    QApplication.clipboard().setText("for i in range(3):\n    print(i)\n")
    qtbot.keyClick(pane, key, mods)
    assert pasted == ["for i in range(3):\n    print(i)\n"]
    assert typed == [] and window.triggered == []


def test_middle_click_pastes_the_selection(pane, pasted, qtbot):
    clipboard = QApplication.clipboard()
    clipboard.setText("from clipboard")
    if clipboard.supportsSelection():
        clipboard.setText("from selection", QClipboard.Selection)
    qtbot.mouseClick(pane.viewport(), Qt.MiddleButton, pos=QPoint(20, 20))
    expected = "from selection" if clipboard.supportsSelection() else "from clipboard"
    assert pasted == [expected]


def test_the_windows_paste_action_requests_a_paste(pane, pasted):
    QApplication.clipboard().setText("x = 1")
    pane.paste()  # what Edit > Paste calls on the focused pane
    assert pasted == ["x = 1"]


def test_an_empty_clipboard_pastes_nothing(pane, pasted, qtbot):
    QApplication.clipboard().clear()
    qtbot.keyClick(pane, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)
    assert pasted == []


# ---- Board text -> what is shown


def test_line_editor_redraws_are_interpreted_not_printed(pane, qtbot):
    pane.feed(">>> abcdefghij" + "\b" * 6)
    pane.feed("\b       \b\b\b\b\b\b\befghij\b\b\b\b\b\b")  # V1: Backspace mid-line
    qtbot.waitUntil(lambda: pane.toPlainText().rstrip() == ">>> abcefghij", timeout=2000)
    assert "\b" not in pane.toPlainText()


def test_colours_come_from_the_theme_and_follow_a_switch(pane, qtbot):
    pane.set_colours(load_theme("day").terminal)
    pane.feed("\x1b[31mred\x1b[0m plain\r\n>>> ")
    pane.flush()
    assert pane.toPlainText() == "red plain\n>>> "
    assert colour_of(pane, "red") == load_theme("day").terminal["red"]
    night = load_theme("night").terminal
    pane.set_colours(night)
    assert colour_of(pane, "red") == night["red"]  # text already shown is recoloured
    assert pane.format_for(Style(fg=12)).foreground().color().name() == night["bright_blue"]
    inverse = pane.format_for(Style(inverse=True))
    assert inverse.background().color().name() == night["text"]
    assert inverse.foreground().color().name() == night["paper"]


def test_zoom_survives_the_windows_stylesheet_being_reapplied(pane, qtbot):
    app = QApplication.instance()
    previous = app.styleSheet()
    app.setStyleSheet(load_theme("day").stylesheet(11))  # gives every QWidget 11pt
    try:
        pane.set_font_size(26, "DejaVu Sans Mono")
        # A theme switch re-sets the window's sheet, which repolishes every widget: a plain
        # setFont() would fall back to the sheet's 11pt here.
        app.setStyleSheet(load_theme("night").stylesheet(11))
        qtbot.wait(50)
        assert pane.font().pointSize() == 26
        assert pane.font().family().startswith("DejaVu Sans Mono")
        big = pane.fontMetrics().height()
        pane.set_font_size(13)
        app.setStyleSheet(load_theme("day").stylesheet(11))
        qtbot.wait(50)
        assert pane.font().pointSize() == 13 and pane.fontMetrics().height() < big
    finally:
        app.setStyleSheet(previous)


def test_block_cursor_is_drawn_where_the_board_cursor_is(pane, qtbot):
    pane.set_colours({"cursor": "#ff00ff", "paper": "#ffffff", "text": "#000000"})
    pane.feed(">>> abcdef\b\b\b")  # cursor on the "d"
    pane.flush()
    qtbot.waitUntil(pane.hasFocus, timeout=2000)
    block = pane.document().firstBlock()
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + 7)
    rect = pane.cursorRect(cursor)
    image = pane.viewport().grab().toImage()
    probe = image.pixelColor(rect.left() + 1, rect.top() + 1)
    assert probe == QColor("#ff00ff")
    elsewhere = image.pixelColor(rect.left() - pane.fontMetrics().horizontalAdvance("x") * 2,
                                 rect.top() + 1)
    assert elsewhere != QColor("#ff00ff")


def test_a_flood_keeps_the_newest_lines_and_follows_the_end(pane, qtbot):
    for chunk in range(50):
        pane.feed("".join(f"line {chunk * 100 + i}\r\n" for i in range(100)))
    pane.feed(">>> ")
    qtbot.waitUntil(lambda: pane.toPlainText().endswith("line 4999\n>>> "), timeout=3000)
    assert pane.document().blockCount() == 200 == len(pane.model.lines)
    assert pane.toPlainText().startswith("line 4801\n")
    bar = pane.verticalScrollBar()
    assert bar.value() == bar.maximum()


def test_reading_back_is_not_interrupted_by_output_but_typing_returns(pane, typed, qtbot):
    pane.feed("".join(f"old {i}\r\n" for i in range(150)))
    pane.flush()
    bar = pane.verticalScrollBar()
    bar.setValue(10)
    pane.feed("new output\r\n")
    pane.flush()
    assert bar.value() == 10  # the presenter is reading back: no jump
    qtbot.keyClick(pane, Qt.Key_X)
    assert typed == [b"x"] and bar.value() == bar.maximum()


def test_page_keys_scroll_locally(pane, typed, qtbot):
    pane.feed("".join(f"old {i}\r\n" for i in range(150)))
    pane.flush()
    bar = pane.verticalScrollBar()
    bottom = bar.value()
    qtbot.keyClick(pane, Qt.Key_PageUp)
    assert bar.value() < bottom and typed == []
