"""Check's findings in the editor: margin markers, messages under the line, cleared by editing."""

from __future__ import annotations

import pytest
from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QColor

from presenter.core.checks import check_source
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
