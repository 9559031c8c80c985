"""Check (F2) and Tidy (Ctrl+Shift+I) in the window, with real keys and the real child process."""

from __future__ import annotations

from PyQt5.QtCore import QTimer

from tests.fakes.board_window import focus_editor
from tests.workbench.test_run import choose_menu_item

LONG = 60_000  # ms: generous under load; never a speed assertion
FLAWED = "import os\nx=1\ndef f():\n    return y\n"
TIDIED = "import os\n\nx = 1\n\n\ndef f():\n    return y\n"


def focused_editor(bench, qtbot, text: str):
    bench.window.tabs.current().setText(text)
    return focus_editor(bench, qtbot)


def test_f2_marks_the_lines_with_findings_and_says_how_many(bench, qtbot, keyboard):
    editor = focused_editor(bench, qtbot, FLAWED)  # an untitled tab: no file needed
    keyboard.press("F2")
    qtbot.waitUntil(lambda: bool(editor.problems.lines()), timeout=LONG)
    assert sorted(editor.problems.lines()) == [1, 2, 3, 4]
    assert editor.problems.annotation(4) == "✖ undefined name 'y'"
    assert editor.problems.annotation(1) == "▲ 'os' imported but unused"
    assert bench.window.status.currentMessage().startswith(
        "Check: 1 error, 1 warning, 2 style points")
    assert editor.text() == FLAWED  # Check never edits


def test_editing_a_marked_line_clears_its_mark(bench, qtbot, keyboard):
    editor = focused_editor(bench, qtbot, FLAWED)
    keyboard.press("F2")
    qtbot.waitUntil(lambda: bool(editor.problems.lines()), timeout=LONG)
    editor.setCursorPosition(3, len("    return y"))
    keyboard.type("es")  # "return yes": still undefined, but the line was edited
    qtbot.waitUntil(lambda: 4 not in editor.problems.lines(), timeout=LONG)
    assert editor.problems.annotation(4) == ""
    assert sorted(editor.problems.lines()) == [1, 2, 3]


def test_clean_code_says_so(bench, qtbot, keyboard):
    focused_editor(bench, qtbot, "print('hello')\n")
    keyboard.press("F2")
    qtbot.waitUntil(lambda: bench.window.status.currentMessage() == "Check: no problems found.",
                    timeout=LONG)


def test_tidy_formats_and_one_undo_restores_exactly(bench, qtbot, keyboard):
    editor = focused_editor(bench, qtbot, FLAWED)
    keyboard.press("Ctrl+Shift+I")
    qtbot.waitUntil(lambda: editor.text() == TIDIED, timeout=LONG)
    assert "Tidied" in bench.window.status.currentMessage()
    keyboard.press("Ctrl+Z")
    assert editor.text() == FLAWED
    keyboard.press("Ctrl+Shift+Z")
    assert editor.text() == TIDIED


def test_tidy_leaves_code_with_a_syntax_error_untouched_and_points_at_the_line(bench, qtbot,
                                                                             keyboard):
    broken = "a = 1\nb = (2,\nc = 3\n"
    editor = focused_editor(bench, qtbot, broken)
    editor.setCursorPosition(0, 0)
    keyboard.press("Ctrl+Shift+I")
    qtbot.waitUntil(lambda: bool(editor.problems.lines()), timeout=LONG)
    assert editor.text() == broken
    assert not editor.isUndoAvailable() or editor.text() == broken
    assert list(editor.problems.lines()) == [2]
    assert "never closed" in editor.problems.annotation(2)
    assert editor.getCursorPosition()[0] == 1  # line 2
    message = bench.window.status.currentMessage()
    assert message.startswith("Tidy changed nothing: line 2:")


def test_already_tidy_code_is_left_alone(bench, qtbot, keyboard):
    editor = focused_editor(bench, qtbot, TIDIED)
    editor.setModified(False)
    keyboard.press("Ctrl+Shift+I")
    qtbot.waitUntil(lambda: "Already tidy" in bench.window.status.currentMessage(), timeout=LONG)
    assert editor.text() == TIDIED and not editor.isModified()


def test_tidy_rechecks_the_findings_it_may_have_fixed(bench, qtbot, keyboard):
    editor = focused_editor(bench, qtbot, FLAWED)
    keyboard.press("F2")
    qtbot.waitUntil(lambda: bool(editor.problems.lines()), timeout=LONG)
    keyboard.press("Ctrl+Shift+I")
    qtbot.waitUntil(lambda: editor.text() == TIDIED, timeout=LONG)
    # black fixed the style points; the unused import and the undefined name remain
    qtbot.waitUntil(lambda: sorted(editor.problems.lines()) == [1, 7], timeout=LONG)


def test_the_edit_menu_and_toolbar_offer_check_and_tidy(bench, qtbot):
    editor = focused_editor(bench, qtbot, FLAWED)
    choose_menu_item(bench, qtbot, "code.tidy")
    qtbot.waitUntil(lambda: editor.text() == TIDIED, timeout=LONG)
    button = bench.window.toolbar.widgetForAction(bench.actions["code.check"])
    assert button is not None and button.text() == "Check"


def test_a_big_file_is_checked_and_tidied_while_the_window_keeps_working(bench, qtbot, keyboard):
    """Both run in a child process: the event loop turns all the while (counted, not timed)."""
    source = "".join(f"def f{n}( a,b ):\n    return {{'a':a,'b':[b,1,2]}}\n" for n in range(1200))
    editor = focused_editor(bench, qtbot, source)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(editor.text() == source))
    timer.start(5)
    try:
        keyboard.press("F2")
        assert editor.problems.lines() == {}  # the key returned before any result
        qtbot.waitUntil(lambda: bool(editor.problems.lines()), timeout=LONG)
        during_check = len(ticks)
        keyboard.press("Ctrl+Shift+I")
        assert editor.text() == source
        qtbot.waitUntil(lambda: editor.text() != source, timeout=LONG)
    finally:
        timer.stop()
    assert during_check >= 3 and len(ticks) - during_check >= 3
    assert "def f1199(a, b):" in editor.text()


# ---- Thousands of findings are shown a slice at a time: edits, F2 and closing meanwhile

COMMENTED = 6000  # lines, one finding each (E261): more than one turn of the loop can mark
SPACED = "".join(f"value_{n} = {n} # note\n" for n in range(COMMENTED))
NOTE = "■ at least two spaces before inline comment (E261)"


def f2_until_marking(bench, qtbot, keyboard, editor) -> None:
    """Press F2 and wait for the check's answer, which starts showing its findings."""
    keyboard.press("F2")
    with qtbot.waitSignal(bench.mode.checks.checked, timeout=LONG):
        pass
    assert editor.problems.marking()  # the rest come in later turns of the event loop


def all_marked(editor, count: int) -> bool:
    return not editor.problems.marking() and len(editor.problems.lines()) == count


def test_typing_while_findings_are_shown_clears_that_line_and_checks_again(bench, qtbot,
                                                                            keyboard):
    editor = focused_editor(bench, qtbot, SPACED)
    editor.setCursorPosition(9, len("value_9 = 9"))
    f2_until_marking(bench, qtbot, keyboard, editor)
    keyboard.type(" ")  # "value_9 = 9  # note": nothing to say about line 10 any more
    qtbot.waitUntil(lambda: all_marked(editor, COMMENTED - 1), timeout=LONG)
    assert 10 not in editor.problems.lines() and editor.problems.annotation(10) == ""
    assert editor.problems.annotation(COMMENTED) == NOTE
    assert editor.problems.annotation(1) == NOTE


def test_a_new_line_while_findings_are_shown_leaves_none_on_the_wrong_line(bench, qtbot,
                                                                         keyboard):
    editor = focused_editor(bench, qtbot, SPACED)
    editor.setCursorPosition(9, len("value_9 = 9 # note"))
    f2_until_marking(bench, qtbot, keyboard, editor)
    keyboard.press("Return")  # every line below moves down one
    qtbot.waitUntil(lambda: all_marked(editor, COMMENTED), timeout=LONG)
    assert 11 not in editor.problems.lines()  # the new, empty line
    assert sorted(editor.problems.lines()) == [*range(1, 11), *range(12, COMMENTED + 2)]
    assert editor.problems.annotation(COMMENTED + 1) == NOTE


def test_f2_again_while_findings_are_shown_replaces_them(bench, qtbot, keyboard):
    editor = focused_editor(bench, qtbot, SPACED)
    f2_until_marking(bench, qtbot, keyboard, editor)
    keyboard.press("F2")
    with qtbot.waitSignal(bench.mode.checks.checked, timeout=LONG):
        pass
    qtbot.waitUntil(lambda: all_marked(editor, COMMENTED), timeout=LONG)
    assert all(editor.problems.annotation(n) == NOTE for n in (1, 2, COMMENTED // 2, COMMENTED))
    assert bench.window.status.currentMessage().startswith(f"Check: {COMMENTED} style points")


def test_closing_the_tab_while_findings_are_shown_is_safe(bench, qtbot, keyboard):
    editor = focused_editor(bench, qtbot, SPACED)
    f2_until_marking(bench, qtbot, keyboard, editor)
    keyboard.press("Ctrl+W")  # unsaved: the scripted answer is "discard"
    qtbot.waitUntil(lambda: bench.window.tabs.current() is not editor, timeout=LONG)
    qtbot.wait(200)  # the turns in which the closed tab's findings would have been shown
    other = focused_editor(bench, qtbot, FLAWED)
    keyboard.press("F2")
    qtbot.waitUntil(lambda: sorted(other.problems.lines()) == [1, 2, 3, 4], timeout=LONG)
