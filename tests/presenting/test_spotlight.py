"""Spotlight: the current line or the selected lines stay bright, the rest dims; nothing
about the document changes, and Esc (or the demo player's next step) ends it."""

from __future__ import annotations

from PyQt5.Qsci import QsciScintilla
from PyQt5.QtGui import QColor

from presenter.presenting.spotlight import INDICATOR_DIM

LONG = 30_000
CODE = "".join(f"line_{n} = {n}\n" for n in range(10))


def ready(bench, qtbot, keyboard):
    window = bench.window
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    editor = window.tabs.current()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    for line in CODE.splitlines():  # typed, so there is undo history to keep
        keyboard.type(line)
        keyboard.press("Return")
    return editor


def dimmed_lines(editor) -> list[int]:
    """Lines whose code is under the dimming indicator."""
    lines = []
    for line in range(editor.lines()):
        start = editor.positionFromLineIndex(line, 0)
        if editor.text(line).strip() and editor.SendScintilla(
                QsciScintilla.SCI_INDICATORVALUEAT, INDICATOR_DIM, start):
            lines.append(line)
    return lines


def state_of(editor) -> dict:
    return {"text": editor.text(), "cursor": editor.getCursorPosition(),
            "selection": editor.getSelection(), "modified": editor.isModified(),
            "undo": editor.isUndoAvailable(), "redo": editor.isRedoAvailable(),
            "first visible": editor.firstVisibleLine()}


def darkest_in_line(editor, line: int) -> int:
    """The lightness of the darkest pixel of a line's code (lower: more ink)."""
    image = editor.viewport().grab().toImage()
    position = editor.positionFromLineIndex(line, 0)
    x0 = editor.SendScintilla(QsciScintilla.SCI_POINTXFROMPOSITION, 0, position)
    y0 = editor.SendScintilla(QsciScintilla.SCI_POINTYFROMPOSITION, 0, position)
    height = editor.SendScintilla(QsciScintilla.SCI_TEXTHEIGHT, line)
    width = editor.SendScintilla(QsciScintilla.SCI_TEXTWIDTH, 0, b"line_0 = 0")
    return min(QColor(image.pixel(x, y)).lightness()
               for x in range(x0, x0 + width) for y in range(y0, y0 + height))


def test_the_current_line_stays_bright_the_rest_dims_and_the_document_is_untouched(
        bench, qtbot, keyboard):
    editor = ready(bench, qtbot, keyboard)
    keyboard.press("Ctrl+Home")
    for _ in range(4):
        keyboard.press("Down")
    before = state_of(editor)

    keyboard.press("Ctrl+Shift+H")
    spotlight = bench.presentation.spotlight
    assert spotlight.lit_lines() == (4, 4)
    assert dimmed_lines(editor) == [0, 1, 2, 3, 5, 6, 7, 8, 9]
    assert state_of(editor) == before
    qtbot.waitUntil(lambda: darkest_in_line(editor, 0) > darkest_in_line(editor, 4) + 60,
                    timeout=LONG)  # day theme: dimmed ink is visibly paler

    keyboard.press("Esc")
    assert not spotlight.is_active() and dimmed_lines(editor) == []
    assert state_of(editor) == before  # that Esc ended the spotlight and did nothing else
    editor.undo()
    assert editor.text() != before["text"]  # the history was still there to undo


def test_a_selection_lights_its_whole_lines_and_typing_still_works(bench, qtbot, keyboard):
    editor = ready(bench, qtbot, keyboard)
    editor.setSelection(2, 3, 5, 2)
    keyboard.press("Ctrl+Shift+H")
    assert bench.presentation.spotlight.lit_lines() == (2, 5)
    assert dimmed_lines(editor) == [0, 1, 6, 7, 8, 9]
    keyboard.press("End")
    keyboard.type("  # here")
    assert editor.text(5).rstrip("\n") == "line_5 = 5  # here"
    keyboard.press("Ctrl+Shift+H")  # the key again: off
    assert dimmed_lines(editor) == []


def test_the_demo_player_clears_it_and_esc_works_from_the_output_pane(bench, qtbot, keyboard):
    editor = ready(bench, qtbot, keyboard)
    spotlight = bench.presentation.spotlight
    seen: list[bool] = []
    spotlight.changed.connect(seen.append)
    keyboard.press("Ctrl+Shift+H")
    spotlight.clear()  # what the demo player calls on its next step
    assert dimmed_lines(editor) == [] and seen == [True, False]
    spotlight.clear()  # twice is harmless
    assert seen == [True, False]

    keyboard.press("Ctrl+Shift+H")
    keyboard.press("Ctrl+Shift+O")  # focus the output pane
    qtbot.waitUntil(bench.window.output.hasFocus, timeout=LONG)
    keyboard.press("Esc")
    assert not spotlight.is_active() and dimmed_lines(editor) == []


def test_a_new_theme_dims_with_its_own_paper(bench, qtbot, keyboard):
    editor = ready(bench, qtbot, keyboard)
    keyboard.press("Ctrl+Shift+H")
    keyboard.press("Ctrl+Shift+T")  # night: dark paper
    paper = QColor(bench.appearance.theme.editor["paper"])
    bgr = editor.SendScintilla(QsciScintilla.SCI_INDICGETFORE, INDICATOR_DIM)
    assert (bgr & 0xFF, (bgr >> 8) & 0xFF, (bgr >> 16) & 0xFF) == (paper.red(), paper.green(),
                                                                  paper.blue())
    assert editor.getCursorPosition()[0] == 10  # the empty line after the code, lit
    assert dimmed_lines(editor) == list(range(10))  # the spotlight itself stays
