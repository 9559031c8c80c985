"""Debug from the window as a teacher does: click the margin, press F6, step with the keys.

Every program runs in a real child process under the real debugger; clicks go to the real
margin and keys to whichever widget has the focus.
"""

from __future__ import annotations

import textwrap

from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import QPoint, Qt

from presenter.qt.editor import MARGIN_BREAKPOINTS, Editor
from presenter.qt.variables_pane import GLOBALS, LOCALS, VariablesPane

LONG = 30_000  # ms: generous under load; never a speed assertion

PROGRAM = textwrap.dedent("""\
    def square(n):
        result = n * n
        return result


    total = 0
    for i in range(3):
        total += square(i)
    print("total", total)
""")


def click_margin(qtbot, editor: Editor, line: int) -> None:
    """A left click in the breakpoint margin beside ``line`` (1-based), as with the mouse."""
    x = sum(editor.marginWidth(m) for m in range(MARGIN_BREAKPOINTS)) \
        + editor.marginWidth(MARGIN_BREAKPOINTS) // 2
    position = editor.positionFromLineIndex(line - 1, 0)
    y = editor.SendScintilla(QsciScintilla.SCI_POINTYFROMPOSITION, 0, position) \
        + editor.textHeight(line - 1) // 2
    qtbot.mouseClick(editor.viewport(), Qt.LeftButton, pos=QPoint(x, y))


def pane(bench) -> VariablesPane:
    found = bench.window.findChild(VariablesPane)
    assert found is not None, "no variables pane"
    return found


def debugger(bench):
    return bench.mode.debugger


def wait_paused(bench, qtbot, line: int | None = None) -> None:
    def paused() -> bool:
        d = debugger(bench)
        editor = d.paused_editor() if d is not None else None
        return editor is not None and (line is None or editor.paused_line() == line)

    qtbot.waitUntil(paused, timeout=LONG)


def wait_ended(bench, qtbot) -> None:
    qtbot.waitUntil(lambda: not bench.is_running(), timeout=LONG)


def start(bench, qtbot, keyboard, source: str, breakpoints: list[int]) -> Editor:
    editor = bench.window.tabs.current()
    editor.setText(source)
    for line in breakpoints:
        click_margin(qtbot, editor, line)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    keyboard.press("F6")
    return editor


def test_a_margin_click_sets_a_breakpoint_and_debug_stops_there(bench, qtbot, keyboard,
                                                                answers):
    editor = bench.window.tabs.current()
    assert editor.info.path is None  # an untitled tab: debugged without a Save dialog
    editor.setText(PROGRAM)
    click_margin(qtbot, editor, 2)
    click_margin(qtbot, editor, 8)
    click_margin(qtbot, editor, 8)  # a second click clears it
    assert editor.breakpoint_lines() == [2]
    editor.setFocus()
    keyboard.press("F6")
    wait_paused(bench, qtbot, 2)
    assert editor.paused_line() == 2  # highlighted
    shown = pane(bench)
    assert shown.isVisible()
    assert shown.where.text() == "Breakpoint at line 2 in square(), called from line 8"
    assert shown.rows(LOCALS) == [("n", "0")]
    assert dict(shown.rows(GLOBALS))["total"] == "0"
    assert not bench.actions["python.debug"].isEnabled()  # one program at a time
    assert bench.actions["run.run"].text() == "Stop"
    assert not [a for a in answers.asked if a[0] == "save_path"]
    assert editor.isModified()


def test_the_steps_and_continue_with_their_keys_from_any_focus(bench, qtbot, keyboard):
    editor = start(bench, qtbot, keyboard, PROGRAM, [8])
    wait_paused(bench, qtbot, 8)
    shown = pane(bench)
    output = bench.window.output
    assert output.hasFocus()  # as with Run: typing goes where the program reads input
    keyboard.press("F7")  # step into square
    wait_paused(bench, qtbot, 2)
    assert shown.rows(LOCALS) == [("n", "0")]
    keyboard.press("F10")  # step over
    wait_paused(bench, qtbot, 3)
    assert shown.rows(LOCALS) == [("n", "0"), ("result", "0")]
    assert shown.changed_names() == ["result"]  # drawn bold: it just changed
    editor.setFocus()
    keyboard.press("Shift+F7")  # step out: back at the call, the line not finished yet
    wait_paused(bench, qtbot, 8)
    assert shown.tree.topLevelItem(0).isHidden()  # module level: no Locals group
    keyboard.press("F8")  # continue to the breakpoint, next time round
    wait_paused(bench, qtbot, 8)
    assert dict(shown.rows(GLOBALS))["i"] == "1"
    click_margin(qtbot, editor, 8)  # cleared while paused: continue runs to the end
    keyboard.press("F8")
    wait_ended(bench, qtbot)
    assert "total 5" in output.toPlainText()
    assert editor.paused_line() is None
    assert shown.where.text().startswith("The program ended.")
    for action_id in ("python.continue", "python.step_over", "python.step_into",
                      "python.step_out"):
        assert not bench.actions[action_id].isEnabled()
    assert bench.actions["python.debug"].isEnabled()


def test_the_pane_buttons_step(bench, qtbot, keyboard):
    start(bench, qtbot, keyboard, PROGRAM, [6])
    wait_paused(bench, qtbot, 6)
    buttons = {b.defaultAction().objectName(): b for b in pane(bench).buttons}
    qtbot.mouseClick(buttons["python.step_over"], Qt.LeftButton)
    wait_paused(bench, qtbot, 7)
    qtbot.mouseClick(buttons["run.stop"], Qt.LeftButton)
    wait_ended(bench, qtbot)
    assert "Process stopped" in bench.window.output.toPlainText()


def test_values_are_repr_text_cut_and_a_failing_repr_says_so(bench, qtbot, keyboard):
    source = textwrap.dedent("""\
        class Loud:
            def __repr__(self):
                raise ValueError("no repr for you")


        class Huge:
            def __repr__(self):
                return "Huge(" + "x" * 1000000 + ")"


        huge = Huge()
        words = "word " * 10000
        loud = Loud()
        numbers = [3, 1, 4, 1, 5]
        done = True
    """)
    start(bench, qtbot, keyboard, source, [15])
    wait_paused(bench, qtbot, 15)
    shown = pane(bench)
    values = dict(shown.rows(GLOBALS))
    assert values["huge"].startswith("Huge(xxx") and len(values["huge"]) <= 100
    assert values["numbers"] == "[3, 1, 4, 1, 5]"
    assert values["loud"] == "<repr failed: ValueError: no repr for you>"
    assert values["words"].startswith("'word word") and len(values["words"]) <= 100
    assert values["words"].endswith("\u2026")
    assert "Loud" in values  # the class itself, as its repr


def test_input_typed_in_the_output_pane_while_debugging(bench, qtbot, keyboard):
    source = "name = input('Name? ')\ngreeting = 'Hello ' + name\nprint(greeting)\n"
    start(bench, qtbot, keyboard, source, [2])
    output = bench.window.output
    qtbot.waitUntil(lambda: "Name?" in output.toPlainText(), timeout=LONG)
    assert output.hasFocus()
    keyboard.type("Ada")
    keyboard.press("Return")
    wait_paused(bench, qtbot, 2)
    assert dict(pane(bench).rows(GLOBALS))["name"] == "'Ada'"
    keyboard.press("F8")
    wait_ended(bench, qtbot)
    assert "Hello Ada" in output.toPlainText()


def test_stop_while_paused_ends_the_whole_process_tree(bench, qtbot, keyboard, tmp_path):
    marker = tmp_path / "grandchild.pid"
    source = textwrap.dedent(f"""\
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        open({str(marker)!r}, "w").write(str(child.pid))
        print("spawned", flush=True)
        paused_here = True
    """)
    start(bench, qtbot, keyboard, source, [5])
    wait_paused(bench, qtbot, 5)
    grandchild = int(marker.read_text())
    child = bench.mode.runner.process.pid
    button = bench.window.toolbar.widgetForAction(bench.actions["run.run"])
    qtbot.mouseClick(button, Qt.LeftButton)  # the Run button, reading Stop
    wait_ended(bench, qtbot)
    qtbot.waitUntil(lambda: not _alive(grandchild) and not _alive(child), timeout=LONG)
    assert debugger(bench).channel is None


def test_a_step_that_runs_long_shows_running_and_stop_still_works(bench, qtbot, keyboard):
    source = "import time\nstarted = True\nwhile True:\n    time.sleep(0.01)\n"
    start(bench, qtbot, keyboard, source, [2])
    wait_paused(bench, qtbot, 2)
    keyboard.press("F8")  # runs for ever
    shown = pane(bench)
    qtbot.waitUntil(lambda: shown.where.text().startswith("Running"), timeout=LONG)
    assert not shown.tree.isEnabled()  # the values shown are from the last stop
    keyboard.press("Shift+F5")
    wait_ended(bench, qtbot)


def test_debugging_a_saved_file_that_imports_a_helper_steps_into_it(bench, qtbot, keyboard,
                                                                   tmp_path):
    helper = tmp_path / "helper.py"
    helper.write_text("def double(x):\n    doubled = x * 2\n    return doubled\n")
    main = tmp_path / "main.py"
    main.write_text("import helper\n\nvalue = helper.double(21)\nprint(value)\n")
    bench.files.open_path(str(main))
    editor = bench.window.tabs.current()
    click_margin(qtbot, editor, 3)
    editor.setFocus()
    keyboard.press("F6")
    wait_paused(bench, qtbot, 3)
    keyboard.press("F7")
    qtbot.waitUntil(lambda: bench.window.tabs.current().info.path == str(helper), timeout=LONG)
    wait_paused(bench, qtbot, 2)
    helper_tab = bench.window.tabs.current()
    assert helper_tab.paused_line() == 2 and editor.paused_line() is None
    assert pane(bench).where.text() == "Paused at helper.py line 2 in double(), called from line 3"
    keyboard.press("F8")
    wait_ended(bench, qtbot)
    assert "42" in bench.window.output.toPlainText()


def test_a_breakpoint_on_a_blank_line_moves_to_the_next_code(bench, qtbot, keyboard):
    editor = start(bench, qtbot, keyboard, PROGRAM, [4])  # blank line between the two parts
    wait_paused(bench, qtbot, 6)
    assert editor.breakpoint_lines() == [6]


def test_the_pane_follows_zoom_and_theme(bench, qtbot, keyboard):
    editor = start(bench, qtbot, keyboard, PROGRAM, [2])
    wait_paused(bench, qtbot, 2)
    shown = pane(bench)
    before = shown.tree.font().pointSize()
    assert before == bench.appearance.editor_pt
    for _ in range(3):
        keyboard.press("Ctrl+=")
    assert shown.tree.font().pointSize() == before + 3 == bench.appearance.editor_pt
    assert shown.buttons[0].iconSize().width() > 0
    keyboard.press("Ctrl+Shift+T")  # the next theme: the paused line takes its colour
    line = bench.appearance.theme.debug["paused_line"]
    assert editor.debug_colours()["paused_line"] == line
    keyboard.press("Shift+F5")
    wait_ended(bench, qtbot)


def test_run_hides_the_pane_and_ignores_breakpoints(bench, qtbot, keyboard):
    editor = start(bench, qtbot, keyboard, PROGRAM, [2])
    wait_paused(bench, qtbot, 2)
    keyboard.press("Shift+F5")
    wait_ended(bench, qtbot)
    editor.setFocus()
    keyboard.press("F5")
    wait_ended(bench, qtbot)
    assert "total 5" in bench.window.output.toPlainText()
    assert not pane(bench).isVisible()
    assert editor.breakpoint_lines() == [2]  # kept for the next Debug


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
