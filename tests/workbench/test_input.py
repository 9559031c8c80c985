"""input() from the window as a speaker does it: F5, then lines typed in the output pane."""

from __future__ import annotations

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QApplication

LONG = 30_000  # ms: generous under load; never a speed assertion

THREE_QUESTIONS = (
    "name = input('Name? ')\n"
    "age = int(input('Age? '))\n"
    "colour = input('Colour? ')\n"
    "print(f'{name} is {age + 1} next year and likes {colour}')\n"
)


def focused():
    return QApplication.focusWidget()


def press_run(bench, qtbot) -> None:
    """F5 in the editor, as the speaker presses it."""
    editor = bench.window.tabs.current()
    editor.setFocus()
    qtbot.waitUntil(lambda: focused() is editor, timeout=LONG)
    qtbot.keyClick(editor, Qt.Key_F5)


def answer(bench, qtbot, prompt: str, line: str) -> None:
    output = bench.window.output
    qtbot.waitUntil(lambda: output.toPlainText().endswith(prompt) or not bench.is_running(),
                    timeout=LONG)
    assert output.toPlainText().endswith(prompt)  # else: the program ended, see its output
    assert focused() is output  # Run moved the typing there
    qtbot.keyClicks(output, line)
    qtbot.keyClick(output, Qt.Key_Return)


def test_three_input_calls_each_get_their_line_exactly_once(bench, qtbot):
    bench.window.activateWindow()
    qtbot.waitActive(bench.window)
    bench.window.tabs.current().setText(THREE_QUESTIONS)
    press_run(bench, qtbot)
    answer(bench, qtbot, "Name? ", "Ada")
    answer(bench, qtbot, "Age? ", "36")
    answer(bench, qtbot, "Colour? ", "green")
    qtbot.waitUntil(lambda: bench.actions["run.run"].text() == "Run", timeout=LONG)
    lines = bench.window.output.toPlainText().splitlines()
    assert lines == ["Name? Ada", "Age? 36", "Colour? green", "Ada is 37 next year and likes green",
                     "Process finished with exit code 0"]


def test_ctrl_d_ends_the_input_once_and_every_line_arrives_once(bench, qtbot):
    bench.window.activateWindow()
    qtbot.waitActive(bench.window)
    bench.window.tabs.current().setText(
        "import sys\nprint('ready')\nlines = sys.stdin.readlines()\nprint('got', lines)\n"
        "print('again', repr(sys.stdin.read()))\n")
    press_run(bench, qtbot)
    output = bench.window.output
    qtbot.waitUntil(lambda: "ready" in output.toPlainText(), timeout=LONG)
    for line in ("one", "two"):
        qtbot.keyClicks(output, line)
        qtbot.keyClick(output, Qt.Key_Return)
    qtbot.keyClick(output, Qt.Key_D, Qt.ControlModifier)
    qtbot.waitUntil(lambda: bench.actions["run.run"].text() == "Run", timeout=LONG)
    text = output.toPlainText()
    assert "got ['one\\n', 'two\\n']" in text
    assert "again ''" in text
    assert "exit code 0" in text


def test_ctrl_v_in_the_output_pane_types_the_clipboard_into_the_input(bench, qtbot, keyboard):
    bench.window.tabs.current().setText("print('Hello', input('Name? ').upper())\n")
    press_run(bench, qtbot)
    output = bench.window.output
    qtbot.waitUntil(lambda: output.toPlainText().endswith("Name? "), timeout=LONG)
    QApplication.clipboard().setText("grace")
    keyboard.press("Ctrl+V")
    assert output.pending_input() == "grace"
    keyboard.press("Return")
    qtbot.waitUntil(lambda: not bench.is_running(), timeout=LONG)
    assert output.toPlainText().splitlines()[:2] == ["Name? grace", "Hello GRACE"]
