"""Check's findings in the editor: margin markers, messages under the line, cleared by editing."""

from __future__ import annotations

import pytest
from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import Qt, QTimer
from PyQt5.QtGui import QColor

from presenter.core.checks import ERROR, STYLE, Problem, check_source
from presenter.core.themes import load_theme
from presenter.qt.editor import Editor
from presenter.qt.problem_markers import CHECK_MARGIN, CHECK_MARKERS

SOURCE = "import os\nx=1\ndef f():\n    return y\n"
LONG = 10_000


@pytest.fixture
def editor(qtbot):
    widget = Editor()
    qtbot.addWidget(widget)
    widget.setText(SOURCE)
    widget.show()
    qtbot.waitExposed(widget)
    widget.problems.set_colours(load_theme("day").banner)
    widget.problems.show(check_source(widget.text()))
    return widget


def markers_on(editor: Editor, line: int) -> set[str]:
    bits = editor.markersAtLine(line - 1)
    return {kind for kind, number in CHECK_MARKERS.items() if bits & (1 << number)}


def test_each_finding_gets_a_marker_of_its_kind_and_its_message_under_the_line(editor):
    assert {n: markers_on(editor, n) for n in range(1, 5)} == {
        1: {"warning"}, 2: {"style"}, 3: {"style"}, 4: {"error"}}
    assert editor.problems.annotation(1) == "▲ 'os' imported but unused"
    assert editor.problems.annotation(4) == "✖ undefined name 'y'"
    assert editor.marginWidth(CHECK_MARGIN) > 0


def test_the_margin_shows_only_checks_markers(editor):
    """Margin 1 is Check's: markers 8-15 only (the debugger's 16-23 go in margin 2)."""
    assert editor.marginMarkerMask(CHECK_MARGIN) == 0xFF << 8


def test_typing_on_a_line_clears_its_marker_and_message_only(editor, qtbot):
    editor.setFocus()
    editor.setCursorPosition(1, 1)  # "x|=1"
    qtbot.keyClicks(editor, " ")
    qtbot.waitUntil(lambda: 2 not in editor.problems.lines(), timeout=LONG)
    assert markers_on(editor, 2) == set()
    assert editor.problems.annotation(2) == ""
    assert sorted(editor.problems.lines()) == [1, 3, 4]
    assert editor.problems.annotation(4) == "✖ undefined name 'y'"


def test_a_line_added_above_moves_the_markers_with_their_lines(editor, qtbot):
    editor.setFocus()
    editor.setCursorPosition(0, 0)
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: 5 in editor.problems.lines(), timeout=LONG)
    assert sorted(editor.problems.lines()) == [2, 3, 4, 5]
    assert editor.problems.annotation(5) == "✖ undefined name 'y'"
    assert markers_on(editor, 5) == {"error"}


def test_messages_follow_the_zoom_and_the_theme(editor):
    style = 40  # the error messages' Scintilla style
    editor.apply_font("DejaVu Sans Mono", 30)
    assert editor.SendScintilla(QsciScintilla.SCI_STYLEGETSIZE, style) == 30
    night = load_theme("night").banner
    editor.problems.set_colours(night)
    back = editor.SendScintilla(QsciScintilla.SCI_STYLEGETBACK, style)
    expected = QColor(night["error"]["bg"])
    assert back == expected.red() | expected.green() << 8 | expected.blue() << 16
    assert editor.problems.annotation(4) == "✖ undefined name 'y'"  # still shown


def test_clear_and_a_clean_result_remove_everything(editor):
    editor.problems.show([])
    assert editor.problems.lines() == {}
    assert all(markers_on(editor, n) == set() for n in range(1, 5))
    assert editor.problems.annotation(4) == ""
    assert editor.marginWidth(CHECK_MARGIN) == 0


def test_many_editors_each_show_their_own_findings(qtbot):
    """Scintilla styles are per editor: twenty tabs with findings do not run out of them."""
    editors = []
    for n in range(20):
        widget = Editor()
        qtbot.addWidget(widget)
        widget.setText(f"print(undefined_{n})\n")
        widget.problems.show(check_source(widget.text()))
        editors.append(widget)
    assert [e.problems.annotation(1) for e in editors] == [
        f"✖ undefined name 'undefined_{n}'" for n in range(20)]


def test_an_edit_away_from_the_cursor_clears_its_mark_once_editing_pauses(editor, qtbot):
    """Undo, paste or replace can change lines the cursor is not on: they are looked at too."""
    editor.setCursorPosition(4, 0)  # the empty last line: no finding there
    editor.insertAt("#", 3, 4)  # "    #return y", the cursor stays where it was
    qtbot.waitUntil(lambda: 4 not in editor.problems.lines(), timeout=LONG)
    assert sorted(editor.problems.lines()) == [1, 2, 3]


# ---- Thousands of findings: shown a slice at a time, the lines in view first

MANY = 6000  # lines, each with two findings: more than one turn of the event loop can mark


def many_findings() -> list[Problem]:
    return [Problem(n, column, message, STYLE, code) for n in range(1, MANY + 1)
            for column, message, code in ((2, "missing whitespace around operator (E225)",
                                           "E225"),
                                          (4, "missing whitespace after ',' (E231)", "E231"))]


@pytest.fixture
def big_editor(qtbot):
    widget = Editor()
    qtbot.addWidget(widget)
    widget.setText("x=1,2\n" * MANY)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.problems.set_colours(load_theme("day").banner)
    widget.setFirstVisibleLine(3000)  # the speaker is reading the middle of the file
    return widget


def test_thousands_of_findings_are_all_shown_the_lines_in_view_first(big_editor, qtbot):
    editor = big_editor
    in_view = set(range(3000, 3000 + editor.SendScintilla(QsciScintilla.SCI_LINESONSCREEN)))
    marked_in_order = []
    add_marker = editor.markerAdd
    editor.markerAdd = lambda line, number: marked_in_order.append(line) or add_marker(line,
                                                                                      number)
    turns = []  # turns of the event loop while the findings were being shown
    ticker = QTimer()
    ticker.timeout.connect(lambda: turns.append(editor.problems.marking()))
    ticker.start(0)
    try:
        editor.problems.show(many_findings())
        qtbot.waitUntil(lambda: len(editor.problems.lines()) == MANY, timeout=LONG)
    finally:
        ticker.stop()
    assert set(marked_in_order[:len(in_view)]) == in_view
    assert turns.count(True) >= 2  # the window kept turning while they were marked
    assert not editor.problems.marking()
    both = ("■ missing whitespace around operator (E225)\n"
            "■ missing whitespace after ',' (E231)")
    assert editor.problems.annotation(1) == both and editor.problems.annotation(MANY) == both
    assert editor.problems.annotation(3001) == both


def test_the_view_stays_on_its_line_as_messages_appear_above_it(big_editor, qtbot):
    editor = big_editor
    editor.problems.show(many_findings())
    qtbot.waitUntil(lambda: not editor.problems.marking(), timeout=LONG)
    top = editor.SendScintilla(QsciScintilla.SCI_DOCLINEFROMVISIBLE, editor.firstVisibleLine())
    assert top == 3000  # 3,000 lines' messages above it did not push it away
    editor.problems.clear()
    top = editor.SendScintilla(QsciScintilla.SCI_DOCLINEFROMVISIBLE, editor.firstVisibleLine())
    assert top == 3000


def test_an_edit_before_all_are_shown_drops_the_rest_and_says_so(big_editor, qtbot):
    """The findings still to show are about lines that may have moved: Check runs again."""
    editor = big_editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    editor.setCursorPosition(3001, 0)
    stale = []
    editor.problems.show(many_findings(), on_stale=lambda: stale.append(True))
    qtbot.waitUntil(lambda: bool(editor.problems.lines()), timeout=LONG)  # those in view
    assert editor.problems.marking()  # thousands to go: more than a couple of turns
    qtbot.keyClick(editor, Qt.Key_Return)  # every line below moves down one
    qtbot.waitUntil(lambda: not editor.problems.marking(), timeout=LONG)
    assert stale == [True]
    shown = editor.problems.lines()
    assert 0 < len(shown) < MANY and 1 not in shown  # the lines above the view come last
    for line in shown:  # what was shown stays on its own text
        assert editor.text(line - 1) == "x=1,2\n"


def test_a_second_show_before_the_first_is_done_replaces_it(big_editor, qtbot):
    editor = big_editor
    editor.problems.show(many_findings())
    assert editor.problems.marking()
    editor.problems.show([Problem(7, 1, "undefined name 'y'", ERROR, "UndefinedName")])
    assert not editor.problems.marking()
    qtbot.wait(100)  # turns of the event loop in which the first would have gone on
    assert editor.problems.lines() == {
        7: [Problem(7, 1, "undefined name 'y'", ERROR, "UndefinedName")]}
    assert editor.problems.annotation(1) == ""
    assert editor.markerFindNext(0, 0xFF << 8) == 6 and editor.markerFindNext(7, 0xFF << 8) < 0
