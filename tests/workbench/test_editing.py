"""Editing as a user does it: typing, indenting, commenting, find and replace, undo."""

from __future__ import annotations

from PyQt5.QtCore import Qt

from presenter.qt.tabs import DIRTY_MARK


def test_typing_marks_the_tab_unsaved(bench, qtbot):
    editor = bench.window.tabs.current()
    assert DIRTY_MARK not in bench.window.tabs.tabText(0)
    qtbot.keyClicks(editor, "x = 1")
    assert editor.text() == "x = 1"
    assert bench.window.tabs.tabText(0).endswith(DIRTY_MARK)


def test_auto_indent_after_a_colon_and_keep_indent(bench, qtbot):
    editor = bench.window.tabs.current()
    qtbot.keyClicks(editor, "def f():")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.keyClicks(editor, "return 1")
    assert editor.text().splitlines() == ["def f():", "    return 1"]
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.keyClicks(editor, "x")
    assert editor.text().splitlines()[2] == "    x"


def test_toggle_comment_round_trips_as_single_undo_steps(bench):
    editor = bench.window.tabs.current()
    editor.setText("if a:\n    b()\n\n    c()\n")
    editor.setSelection(0, 0, 3, 7)
    bench.actions["edit.comment"].trigger()
    assert editor.text() == "# if a:\n#     b()\n\n#     c()\n"
    bench.actions["edit.comment"].trigger()
    assert editor.text() == "if a:\n    b()\n\n    c()\n"
    bench.actions["edit.undo"].trigger()
    assert editor.text() == "# if a:\n#     b()\n\n#     c()\n"
    bench.actions["edit.undo"].trigger()
    assert editor.text() == "if a:\n    b()\n\n    c()\n"
    bench.actions["edit.redo"].trigger()
    assert editor.text().startswith("# if a:")


def test_find_bar_is_not_a_dialog_and_finds_next_with_wraparound(bench, qtbot):
    editor = bench.window.tabs.current()
    editor.setText("alpha beta\nbeta gamma\n")
    editor.setCursorPosition(0, 0)
    bench.actions["edit.find"].trigger()
    bar = bench.window.find_bar
    assert bar.isVisible() and bar.parent() is not None and not bar.isWindow()
    qtbot.keyClicks(bar.find_field, "beta")
    qtbot.keyClick(bar.find_field, Qt.Key_Return)
    assert editor.getSelection() == (0, 6, 0, 10)
    bench.actions["edit.find_next"].trigger()
    assert editor.getSelection() == (1, 0, 1, 4)
    bench.actions["edit.find_next"].trigger()  # wraps to the first one
    assert editor.getSelection() == (0, 6, 0, 10)
    qtbot.keyClicks(bar.find_field, "zzz")
    qtbot.keyClick(bar.find_field, Qt.Key_Return)
    assert bar.status.text() == "Not found"
    qtbot.keyClick(bar.find_field, Qt.Key_Escape)
    assert not bar.isVisible()


def test_replace_and_replace_all_are_undoable(bench, qtbot):
    editor = bench.window.tabs.current()
    editor.setText("cat cat Cat\n")
    editor.setCursorPosition(0, 0)
    bench.actions["edit.replace"].trigger()
    bar = bench.window.find_bar
    assert bar.replace_row.isVisible()
    bar.find_field.setText("cat")
    bar.replace_field.setText("dog")
    bar.case_box.setChecked(True)
    bar.replace_all_button.click()
    assert editor.text() == "dog dog Cat\n"
    assert bar.status.text() == "Replaced 2"
    bench.actions["edit.undo"].trigger()
    assert editor.text() == "cat cat Cat\n"
    bar.case_box.setChecked(False)
    editor.setCursorPosition(0, 0)
    bar.next_button.click()
    bar.replace_button.click()
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


def test_indent_and_dedent_the_selection_in_one_undo_step(bench):
    editor = bench.window.tabs.current()
    editor.setText("a = 1\nb = 2\nc = 3\n")
    editor.setSelection(0, 0, 1, 3)
    bench.actions["edit.indent"].trigger()
    assert editor.text() == "    a = 1\n    b = 2\nc = 3\n"
    bench.actions["edit.dedent"].trigger()
    assert editor.text() == "a = 1\nb = 2\nc = 3\n"
    bench.actions["edit.undo"].trigger()
    assert editor.text() == "    a = 1\n    b = 2\nc = 3\n"
