"""Editing as a user does it: typing, indenting, commenting, find and replace, undo.

Keys go to the focused widget (the ``keyboard`` fixture), buttons get mouse clicks.
"""

from __future__ import annotations

import pytest
from PyQt5.QtCore import Qt

from presenter.qt.tabs import DIRTY_MARK


def painted(editor) -> None:
    """Paint the editor now, as the screen does after each key: Scintilla styles the text
    it paints, and its own auto-indent only knew a ':' once it was styled (so a test that
    never painted missed the double indent)."""
    editor.viewport().repaint()


def test_typing_marks_the_tab_unsaved(bench, keyboard):
    editor = bench.window.tabs.current()
    assert DIRTY_MARK not in bench.window.tabs.tabText(0)
    keyboard.type("x = 1")
    assert editor.text() == "x = 1"
    assert bench.window.tabs.tabText(0).endswith(DIRTY_MARK)


def test_auto_indent_after_a_colon_and_keep_indent(bench, keyboard):
    editor = bench.window.tabs.current()
    keyboard.type("def f():")
    painted(editor)
    keyboard.press("Return")
    keyboard.type("return 1")
    assert editor.text().splitlines() == ["def f():", "    return 1"]
    keyboard.press("Return")
    keyboard.type("x")
    assert editor.text().splitlines()[2] == "    x"


@pytest.mark.sysqt
def test_enter_after_a_colon_adds_exactly_one_unit_at_every_depth(bench, keyboard):
    editor = bench.window.tabs.current()
    for line in ("class A:", "def f(self):", "for i in range(3):  # count", "if i:"):
        keyboard.type(line)
        painted(editor)
        keyboard.press("Return")
    keyboard.type("print(i)")
    keyboard.press("Return")
    keyboard.type("i += 1")
    assert editor.text().splitlines() == [
        "class A:", "    def f(self):", "        for i in range(3):  # count", "            if i:",
        "                print(i)", "                i += 1"]
    keyboard.press("Ctrl+Z")  # Enter and its indent are one step; typing is another
    keyboard.press("Ctrl+Z")
    assert editor.text().splitlines()[-1] == "                print(i)"


@pytest.mark.sysqt
def test_backspace_in_the_indent_removes_one_unit_and_tab_goes_to_the_next(bench, keyboard):
    editor = bench.window.tabs.current()
    keyboard.type("if a:")
    painted(editor)
    keyboard.press("Return")
    keyboard.type("if b:")
    keyboard.press("Return")  # 8 spaces
    keyboard.press("Backspace")  # back to 4: one unit, not one space
    keyboard.type("c()")
    keyboard.press("Return")
    keyboard.press("Backspace")
    keyboard.type("d")
    keyboard.press("Tab")  # "d" + spaces up to column 4
    keyboard.type("= 1")
    assert editor.text().splitlines() == ["if a:", "    if b:", "    c()", "d   = 1"]


def test_a_file_indented_with_two_spaces_keeps_its_unit(bench, keyboard, tmp_path):
    path = tmp_path / "two.py"
    path.write_text("def f():\n  if x:\n    return 1\n", encoding="utf-8")
    editor = bench.files.open_path(str(path))
    editor.setFocus()
    editor.setCursorPosition(1, len("  if x:"))
    painted(editor)
    keyboard.press("Return")
    keyboard.type("y")
    assert editor.text(2) == "    y\n"  # 2 + 2, not 2 + 4
    keyboard.press("Return")
    keyboard.press("Backspace")
    keyboard.type("z")
    assert editor.text(3) == "  z\n"
    keyboard.press("Tab")
    assert editor.text(3) == "  z \n"  # up to column 4, the next two-space stop


def test_a_file_indented_with_tabs_gets_tabs(bench, keyboard, tmp_path):
    path = tmp_path / "tabs.py"
    path.write_text("def f():\n\treturn 1\n", encoding="utf-8")
    editor = bench.files.open_path(str(path))
    editor.setFocus()
    editor.setCursorPosition(1, len("\treturn 1"))
    keyboard.press("Return")
    keyboard.type("if x:")
    painted(editor)
    keyboard.press("Return")
    keyboard.type("y")
    assert editor.text().splitlines()[1:] == ["\treturn 1", "\tif x:", "\t\ty"]


def test_tab_and_shift_tab_shift_the_selected_lines(bench, keyboard):
    editor = bench.window.tabs.current()
    editor.setText("a = 1\nb = 2\nc = 3\n")
    editor.setCursorPosition(0, 1)
    keyboard.press("Shift+End")  # a selection within one line still shifts the line
    keyboard.press("Tab")
    assert editor.text() == "    a = 1\nb = 2\nc = 3\n"
    keyboard.press("Shift+Down")
    keyboard.press("Tab")
    assert editor.text() == "        a = 1\n    b = 2\nc = 3\n"
    keyboard.press("Shift+Tab")
    keyboard.press("Shift+Tab")
    assert editor.text() == "a = 1\nb = 2\nc = 3\n"


def test_toggle_comment_round_trips_as_single_undo_steps(bench, keyboard):
    editor = bench.window.tabs.current()
    editor.setText("if a:\n    b()\n\n    c()\n")
    editor.setSelection(0, 0, 3, 7)
    keyboard.press("Ctrl+/")
    assert editor.text() == "# if a:\n#     b()\n\n#     c()\n"
    keyboard.press("Ctrl+/")
    assert editor.text() == "if a:\n    b()\n\n    c()\n"
    keyboard.press("Ctrl+Z")
    assert editor.text() == "# if a:\n#     b()\n\n#     c()\n"
    keyboard.press("Ctrl+Z")
    assert editor.text() == "if a:\n    b()\n\n    c()\n"
    keyboard.press("Ctrl+Shift+Z")
    assert editor.text().startswith("# if a:")


def test_find_bar_is_not_a_dialog_and_finds_next_with_wraparound(bench, keyboard):
    editor = bench.window.tabs.current()
    editor.setText("alpha beta\nbeta gamma\n")
    editor.setCursorPosition(0, 0)
    keyboard.press("Ctrl+F")
    bar = bench.window.find_bar
    assert bar.isVisible() and bar.parent() is not None and not bar.isWindow()
    assert bar.find_field.hasFocus()
    keyboard.type("beta")
    keyboard.press("Return")
    assert editor.getSelection() == (0, 6, 0, 10)
    keyboard.press("F3")
    assert editor.getSelection() == (1, 0, 1, 4)
    keyboard.press("F3")  # wraps to the first one
    assert editor.getSelection() == (0, 6, 0, 10)
    keyboard.press("Shift+F3")
    assert editor.getSelection() == (1, 0, 1, 4)
    keyboard.type("zzz")
    keyboard.press("Return")
    assert bar.status.text() == "Not found"
    keyboard.press("Ctrl+Z")  # undoes the typing in the field, not the code
    assert "zzz" not in bar.find_field.text()
    assert editor.text() == "alpha beta\nbeta gamma\n"
    keyboard.press("Escape")
    assert not bar.isVisible()
    assert editor.hasFocus()


def test_replace_and_replace_all_are_undoable(bench, qtbot, keyboard):
    editor = bench.window.tabs.current()
    editor.setText("cat cat Cat\n")
    editor.setCursorPosition(0, 0)
    keyboard.press("Ctrl+H")
    bar = bench.window.find_bar
    assert bar.replace_row.isVisible()
    keyboard.type("cat")
    qtbot.mouseClick(bar.replace_field, Qt.LeftButton)
    keyboard.type("dog")
    qtbot.mouseClick(bar.case_box, Qt.LeftButton)
    assert bar.case_box.isChecked()
    qtbot.mouseClick(bar.replace_all_button, Qt.LeftButton)
    assert editor.text() == "dog dog Cat\n"
    assert bar.status.text() == "Replaced 2"
    keyboard.press("Ctrl+Z")  # the focus is on the button: undo acts on the code
    assert editor.text() == "cat cat Cat\n"
    qtbot.mouseClick(bar.case_box, Qt.LeftButton)
    editor.setCursorPosition(0, 0)
    qtbot.mouseClick(bar.next_button, Qt.LeftButton)
    qtbot.mouseClick(bar.replace_button, Qt.LeftButton)
    assert editor.text() == "dog cat Cat\n"


def test_go_to_line_from_a_traceback_location(bench, tmp_path):
    path = tmp_path / "demo.py"
    path.write_text("".join(f"x{n} = {n}\n" for n in range(100)), encoding="utf-8")
    bench.files.open_path(str(path))
    bench.files.new_file("other")
    bench.go_to(str(path), 42)
    editor = bench.window.tabs.current()
    assert editor.info.path == str(path)
    assert editor.getCursorPosition()[0] == 41


def test_go_to_an_untitled_buffer_by_its_title(bench):
    first = bench.window.tabs.current()
    first.setText("a\nb\nc\n")
    bench.files.new_file("other")
    bench.go_to(first.info.title, 3)
    assert bench.window.tabs.current() is first
    assert first.getCursorPosition()[0] == 2


def test_indent_and_dedent_the_selection_in_one_undo_step(bench, keyboard):
    editor = bench.window.tabs.current()
    editor.setText("a = 1\nb = 2\nc = 3\n")
    editor.setSelection(0, 0, 1, 3)
    keyboard.press("Ctrl+]")
    assert editor.text() == "    a = 1\n    b = 2\nc = 3\n"
    keyboard.press("Ctrl+[")
    assert editor.text() == "a = 1\nb = 2\nc = 3\n"
    keyboard.press("Ctrl+Z")
    assert editor.text() == "    a = 1\n    b = 2\nc = 3\n"


def test_reloading_a_file_changed_on_disk_takes_its_new_unit(bench, qtbot, keyboard, tmp_path):
    path = tmp_path / "shared.py"
    path.write_text("if a:\n    b()\n", encoding="utf-8")
    editor = bench.files.open_path(str(path))
    path.write_text("if a:\n  b()\nif c:\n  d()\n", encoding="utf-8")  # a colleague re-indented it
    bench.disk_watcher.check()
    banner = next(b for b in bench.window.banners.banners() if "changed on disk" in b.text)
    qtbot.mouseClick(banner.buttons["Reload"], Qt.LeftButton)
    editor.setFocus()
    editor.setCursorPosition(2, len("if c:"))
    painted(editor)
    keyboard.press("Return")
    keyboard.type("e()")
    assert editor.text(3) == "  e()\n"
