"""The caret and the line it is on can be found from the back row, in every theme.

Checked on the pixels the editor paints (a grab of its viewport), after real key presses
in the focused editor: the caret is as wide as the theme says (wider at a bigger font), and
a solid bar in the theme's colour sits beside the caret's line and follows it.
"""

from __future__ import annotations

import pytest
from PyQt5.Qsci import QsciScintilla
from PyQt5.QtGui import QColor

from presenter.core.themes import BUILT_IN, CURRENT_LINE_BAR
from presenter.qt.editor import MARGIN_LINE_BAR
from tests.fakes.board_window import focus_editor

LONG = 30_000


def caret_run_width(editor, colour: str) -> int:
    """The widest run of caret-coloured pixels across the caret's line, near the caret."""
    position = editor.SendScintilla(QsciScintilla.SCI_GETCURRENTPOS)
    x = editor.SendScintilla(QsciScintilla.SCI_POINTXFROMPOSITION, 0, position)
    y = editor.SendScintilla(QsciScintilla.SCI_POINTYFROMPOSITION, 0, position)
    height = editor.SendScintilla(QsciScintilla.SCI_TEXTHEIGHT, 0)
    image = editor.viewport().grab().toImage()
    target = QColor(colour).rgb()
    row = y + height // 2
    best = run = 0
    for column in range(max(0, x - 30), min(image.width(), x + 30)):
        run = run + 1 if image.pixel(column, row) == target else 0
        best = max(best, run)
    return best


def bar_colour_at_line(editor, line: int) -> str:
    before = sum(editor.marginWidth(margin) for margin in range(MARGIN_LINE_BAR))
    x = before + editor.marginWidth(MARGIN_LINE_BAR) // 2
    position = editor.positionFromLineIndex(line, 0)
    y = editor.SendScintilla(QsciScintilla.SCI_POINTYFROMPOSITION, 0, position)
    y += editor.SendScintilla(QsciScintilla.SCI_TEXTHEIGHT, line) // 2
    return editor.viewport().grab().toImage().pixelColor(x, y).name()


@pytest.mark.parametrize("theme", BUILT_IN)
def test_the_caret_is_as_wide_as_the_theme_says_and_grows_with_the_font(bench, qtbot, keyboard,
                                                                         theme):
    bench.appearance.set_theme(theme)
    editor = focus_editor(bench, qtbot)
    keyboard.type("value = 1")
    caret = bench.appearance.theme.editor["caret"]
    small = editor.caret_width()
    assert small >= bench.appearance.theme.caret_width >= 4
    qtbot.waitUntil(lambda: caret_run_width(editor, caret) >= small, timeout=LONG)

    keyboard.press("Ctrl+=")
    keyboard.press("Ctrl+=")
    keyboard.press("Ctrl+=")
    keyboard.press("Ctrl+=")
    keyboard.type("0")
    big = editor.caret_width()
    assert big > small
    qtbot.waitUntil(lambda: caret_run_width(editor, caret) >= big, timeout=LONG)


@pytest.mark.parametrize("theme", BUILT_IN)
def test_a_bar_in_the_theme_colour_marks_the_caret_line_and_follows_it(bench, qtbot, keyboard,
                                                                        theme):
    bench.appearance.set_theme(theme)
    colours = bench.appearance.theme.editor
    editor = focus_editor(bench, qtbot)
    keyboard.type("a = 1")
    keyboard.press("Return")
    keyboard.type("b = 2")
    keyboard.press("Return")
    keyboard.type("c = 3")
    bar, margin = colours[CURRENT_LINE_BAR], colours["margin_bg"]
    assert editor.marginWidth(MARGIN_LINE_BAR) >= 5
    qtbot.waitUntil(lambda: bar_colour_at_line(editor, 2) == bar, timeout=LONG)
    assert bar_colour_at_line(editor, 0) == margin

    keyboard.press("Up")
    keyboard.press("Up")
    qtbot.waitUntil(lambda: bar_colour_at_line(editor, 0) == bar, timeout=LONG)
    assert bar_colour_at_line(editor, 1) == margin and bar_colour_at_line(editor, 2) == margin

    keyboard.press("Ctrl+Z")  # undo takes the caret (and the bar) to the undone edit
    line = editor.getCursorPosition()[0]
    qtbot.waitUntil(lambda: bar_colour_at_line(editor, line) == bar, timeout=LONG)


def test_the_wide_caret_blinks_when_idle_and_is_solid_while_typing(bench, qtbot, keyboard):
    """Like any caret (a still screen shows where typing goes), but never half of it: when
    the wide caret is off, no thin caret of Scintilla's own is left showing."""
    editor = focus_editor(bench, qtbot)
    keyboard.type("value = 1")
    caret = bench.appearance.theme.editor["caret"]
    width = editor.caret_width()
    qtbot.waitUntil(lambda: caret_run_width(editor, caret) == 0, timeout=LONG)  # off
    qtbot.waitUntil(lambda: caret_run_width(editor, caret) >= width, timeout=LONG)  # on again
    qtbot.waitUntil(lambda: caret_run_width(editor, caret) == 0, timeout=LONG)
    for key in "0123":  # each key brings it back at once, solid (no event loop in between)
        keyboard.type(key)
        assert caret_run_width(editor, caret) >= width
