"""Blank: B and "." black out the presentation screen and bring it back, losing nothing;
a program keeps running behind it; B and "." never steal ordinary typing."""

from __future__ import annotations

from PyQt5.QtCore import QPoint, Qt
from PyQt5.QtWidgets import QApplication

from presenter.presenting.stage_keys import takes_typing

LONG = 30_000


def ready(bench, qtbot, text: str = "x = 1\ny = 2\n"):
    window = bench.window
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    editor = window.tabs.current()
    editor.setText(text)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    return editor


def present(bench, qtbot, keyboard) -> None:
    keyboard.press("F11")
    qtbot.waitUntil(lambda: bench.window.geometry() == bench.window.screen().geometry(),
                    timeout=LONG)


def is_black(bench) -> bool:
    """The window, as painted now, is black all over (the cover is on top of everything)."""
    image = bench.window.grab().toImage()
    points = [(x, y) for x in range(5, image.width(), image.width() // 7)
              for y in range(5, image.height(), image.height() // 7)]
    return all(image.pixelColor(x, y).name() == "#000000" for x, y in points)


def test_b_and_dot_blank_and_unblank_when_the_keyboard_is_not_typing(bench, qtbot, keyboard):
    editor = ready(bench, qtbot)
    present(bench, qtbot, keyboard)
    keyboard.press("Ctrl+Shift+O")  # the output pane, no program reading input
    output = bench.window.output
    qtbot.waitUntil(output.hasFocus, timeout=LONG)
    assert not takes_typing(output)
    text, output_text = editor.text(), output.toPlainText()

    keyboard.press("B")
    blank = bench.presentation.blank
    assert blank.is_blank() and bench.presentation.state.is_blank()
    assert is_black(bench)
    keyboard.type("oops")  # typed in the dark: nowhere
    keyboard.press(".")
    assert not blank.is_blank() and not is_black(bench)
    assert QApplication.focusWidget() is output  # the focus is back where it was
    assert editor.text() == text and output.toPlainText() == output_text

    keyboard.press(".")
    assert blank.is_blank()
    keyboard.press("Esc")
    assert not blank.is_blank()
    keyboard.press("B")
    qtbot.mouseClick(blank.cover(), Qt.LeftButton, pos=QPoint(20, 20))  # a click wakes it too
    assert not blank.is_blank()


def test_b_and_dot_type_in_the_editor_and_do_nothing_outside_a_talk(bench, qtbot, keyboard):
    editor = ready(bench, qtbot, "")
    keyboard.type("b.")  # not presenting: ordinary keys everywhere
    keyboard.press("Ctrl+Shift+O")
    qtbot.waitUntil(bench.window.output.hasFocus, timeout=LONG)
    keyboard.press("B")
    assert not bench.presentation.blank.is_blank()
    keyboard.press("Ctrl+E")
    present(bench, qtbot, keyboard)
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    keyboard.type("ab.c")  # presenting, typing code: still just typing
    assert not bench.presentation.blank.is_blank()
    assert editor.text() == "b.ab.c"


def test_a_clicker_driving_the_talk_blanks_even_from_the_editor(bench, qtbot, keyboard):
    editor = ready(bench, qtbot)
    present(bench, qtbot, keyboard)
    bench.presentation.state.clicker_driving = True  # as the demo player sets it
    text = editor.text()
    keyboard.press("B")
    assert bench.presentation.blank.is_blank()
    keyboard.press("B")
    assert not bench.presentation.blank.is_blank()
    assert editor.text() == text and QApplication.focusWidget() is editor


def test_a_program_keeps_running_behind_the_blank_and_nothing_is_lost(bench, qtbot, keyboard):
    code = "".join(f"step_{n} = {n}\n" for n in range(60))
    code += ("import time\nfor tick in range(100000):\n"
             "    print('tick', tick, flush=True)\n    time.sleep(0.05)\n")
    editor = ready(bench, qtbot, code)
    editor.setCursorPosition(30, 0)
    editor.setFirstVisibleLine(20)
    keyboard.type("# note ")  # an undoable edit
    present(bench, qtbot, keyboard)
    keyboard.press("F5")
    output = bench.window.output
    qtbot.waitUntil(lambda: "tick 2" in output.toPlainText(), timeout=LONG)
    focus = QApplication.focusWidget()
    before = {"text": editor.text(), "cursor": editor.getCursorPosition(),
              "first visible": editor.firstVisibleLine(), "undo": editor.isUndoAvailable(),
              "modified": editor.isModified()}

    keyboard.press("Ctrl+Shift+B")  # the output pane takes typing now: B would be input
    blank = bench.presentation.blank
    assert blank.is_blank() and is_black(bench)
    ticks = output.toPlainText().count("tick")
    qtbot.waitUntil(lambda: output.toPlainText().count("tick") >= ticks + 5, timeout=LONG)
    assert bench.is_running()  # still running behind the black
    keyboard.press("Ctrl+Shift+B")
    assert not blank.is_blank()
    assert QApplication.focusWidget() is focus
    assert {"text": editor.text(), "cursor": editor.getCursorPosition(),
            "first visible": editor.firstVisibleLine(), "undo": editor.isUndoAvailable(),
            "modified": editor.isModified()} == before
    assert output.pending_input() == ""  # nothing typed into the program while dark
    keyboard.press("F11")  # leaving mid-run
    qtbot.waitUntil(lambda: not bench.window.isFullScreen(), timeout=LONG)
    assert bench.is_running()
    bench.stop()
    qtbot.waitUntil(lambda: not bench.is_running(), timeout=LONG)


def test_leaving_presentation_mode_brings_the_screen_back(bench, qtbot, keyboard):
    ready(bench, qtbot)
    present(bench, qtbot, keyboard)
    keyboard.press("Ctrl+Shift+B")
    assert bench.presentation.blank.is_blank()
    keyboard.press("F11")
    assert not bench.presentation.blank.is_blank()
    assert not bench.presentation.blank.cover().isVisible()
