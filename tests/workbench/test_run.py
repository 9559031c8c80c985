"""Run from the window as a speaker does: F5, output, input, Stop, traceback jump."""

from __future__ import annotations

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QMenu


def click_run_button(bench, qtbot) -> None:
    """The big Run/Stop button in the toolbar, clicked with the mouse."""
    button = bench.window.toolbar.widgetForAction(bench.actions["run.run"])
    qtbot.mouseClick(button, Qt.LeftButton)


def choose_menu_item(bench, qtbot, spec_id: str) -> None:
    """Click the menu bar title that holds an action, then the item, as with the mouse."""
    action = bench.actions[spec_id]
    bar = bench.window.menuBar()
    menu = next(m for m in bar.findChildren(QMenu) if action in m.actions())
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(menu.menuAction()).center())
    qtbot.waitUntil(menu.isVisible, timeout=5000)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())


@pytest.mark.sysqt
def test_f5_runs_an_untitled_buffer_without_asking_to_save(bench, qtbot, answers, keyboard):
    editor = bench.window.tabs.current()
    editor.setText("import os\nprint('hello from', os.getpid() > 0)\nraise SystemExit(3)\n")
    run = bench.actions["run.run"]
    keyboard.press("F5")
    assert run.text() == "Stop"
    qtbot.waitUntil(lambda: run.text() == "Run", timeout=15000)
    text = bench.window.output.toPlainText()
    assert "hello from True" in text
    assert "exit code 3" in text
    assert not [a for a in answers.asked if a[0] == "save_path"]
    assert editor.isModified()  # still unsaved: running did not save it


@pytest.mark.sysqt
def test_input_typed_in_the_output_pane_reaches_the_program(bench, qtbot, keyboard):
    editor = bench.window.tabs.current()
    editor.setText("name = input('Name? ')\nprint('Hello', name.upper())\n")
    editor.setFocus()
    keyboard.press("F5")
    output = bench.window.output
    qtbot.waitUntil(lambda: "Name?" in output.toPlainText(), timeout=15000)
    assert output.hasFocus()  # Run moved the typing to the output pane
    keyboard.type("ada")
    keyboard.press("Return")
    qtbot.waitUntil(lambda: "Hello ADA" in output.toPlainText(), timeout=15000)
    qtbot.waitUntil(lambda: bench.actions["run.run"].text() == "Run", timeout=15000)


@pytest.mark.sysqt
def test_stop_button_ends_an_endless_program(bench, qtbot):
    editor = bench.window.tabs.current()
    editor.setText("import time\nprint('looping', flush=True)\nwhile True:\n    time.sleep(0.01)\n")
    run = bench.actions["run.run"]
    click_run_button(bench, qtbot)
    qtbot.waitUntil(lambda: "looping" in bench.window.output.toPlainText(), timeout=15000)
    click_run_button(bench, qtbot)  # the same button, now labelled Stop
    qtbot.waitUntil(lambda: run.text() == "Run", timeout=5000)
    assert not bench.mode.is_running()


def test_traceback_location_jumps_to_the_line_in_the_tab(bench, qtbot, tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("a = 1\nb = 2\nc = 1 / 0\n")
    bench.files.open_path(str(path))
    click_run_button(bench, qtbot)
    output = bench.window.output
    qtbot.waitUntil(lambda: "ZeroDivisionError" in output.toPlainText(), timeout=15000)
    bench.files.new_file("other = True\n")  # move away, then click the traceback
    text = output.toPlainText()
    position = text.index(f'File "{path}", line 3')
    assert output.activate_position(position + 3)
    editor = bench.window.tabs.current()
    assert editor.info.path == str(path)
    assert editor.getCursorPosition()[0] == 2


def test_traceback_in_an_untitled_buffer_jumps_to_its_tab(bench, qtbot):
    editor = bench.window.tabs.current()
    editor.setText("x = 1\n\ny = x / 0\n")
    click_run_button(bench, qtbot)
    output = bench.window.output
    qtbot.waitUntil(lambda: "ZeroDivisionError" in output.toPlainText(), timeout=15000)
    bench.files.new_file("other = True\n")
    text = output.toPlainText()
    position = text.index(", line 3")
    assert output.activate_position(position - 3)
    assert bench.window.tabs.current() is editor
    assert editor.getCursorPosition()[0] == 2


def test_stdout_printed_before_a_traceback_is_shown_before_it(bench, qtbot):
    editor = bench.window.tabs.current()
    editor.setText("for n in range(3):\n    print('line', n)\nraise ValueError('boom')\n")
    output = bench.window.output
    click_run_button(bench, qtbot)
    qtbot.waitUntil(lambda: bench.actions["run.run"].text() == "Run", timeout=15000)
    text = output.toPlainText()
    assert text.index("line 2") < text.index("Traceback") < text.index("ValueError: boom")


def test_the_interpreter_setting_chooses_which_python_runs(bench, qtbot, monkeypatch, tmp_path):
    import sys

    from presenter.qt import dialogs
    from presenter.settings import Settings

    # a wrapper "interpreter" that marks its output, standing in for a demo's venv python
    wrapper = tmp_path / "venv-python"
    wrapper.write_text(f"#!/bin/sh\necho from-the-venv\nexec {sys.executable} \"$@\"\n")
    wrapper.chmod(0o755)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a: str(wrapper))
    choose_menu_item(bench, qtbot, "python.interpreter")
    assert Settings.load().get("modes.python.interpreter") == str(wrapper)
    bench.window.tabs.current().setText("print('hi')\n")
    click_run_button(bench, qtbot)
    qtbot.waitUntil(lambda: bench.actions["run.run"].text() == "Run", timeout=15000)
    text = bench.window.output.toPlainText()
    assert "from-the-venv" in text and "hi" in text

    monkeypatch.setattr(dialogs, "ask_text", lambda *a: str(tmp_path / "no-such-python"))
    choose_menu_item(bench, qtbot, "python.interpreter")
    assert Settings.load().get("modes.python.interpreter") == str(wrapper)
    assert any("no-such-python" in b.text for b in bench.window.banners.banners())


def test_closing_the_window_while_a_program_runs_ends_it(bench, qtbot, tmp_path):
    import os

    marker = tmp_path / "pid"
    editor = bench.window.tabs.current()
    editor.setText(f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\n"
                   "print('running', flush=True)\nwhile True:\n    time.sleep(0.05)\n")
    editor.setModified(False)
    click_run_button(bench, qtbot)
    qtbot.waitUntil(lambda: "running" in bench.window.output.toPlainText(), timeout=15000)
    pid = int(marker.read_text())
    bench.window.close()
    assert not bench.window.isVisible()

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie waiting to be reaped counts as ended
            return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            return True

    qtbot.waitUntil(gone, timeout=3000)


def press_run(bench, qtbot, keyboard) -> None:
    """F5 in the editor, as the speaker presses it, then wait for the run to end."""
    editor = bench.window.tabs.current()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=5000)
    keyboard.press("F5")
    assert bench.actions["run.run"].text() == "Stop"  # F5 started it
    qtbot.waitUntil(lambda: bench.actions["run.run"].text() == "Run", timeout=15000)


def click_output_text(qtbot, output, text: str, offset: int = 3) -> None:
    """The real left mouse button on ``text`` in the output pane."""
    from PyQt5.QtGui import QTextCursor

    cursor = QTextCursor(output.document())
    cursor.setPosition(output.toPlainText().index(text) + offset)
    qtbot.mouseClick(output.viewport(), Qt.LeftButton, pos=output.cursorRect(cursor).center())


@pytest.mark.sysqt
def test_untitled_traceback_names_the_tab_and_a_click_jumps_there(bench, qtbot, keyboard):
    editor = bench.window.tabs.current()
    editor.setText("x = 1\n\ny = x / 0\n")
    press_run(bench, qtbot, keyboard)
    output = bench.window.output
    title = editor.info.title
    text = output.toPlainText()
    assert f'File "{title}", line 3, in <module>' in text
    assert "presenter-run-" not in text  # no temporary path on the projector
    bench.files.new_file("other = True\n")
    click_output_text(qtbot, output, f'"{title}", line 3')
    assert bench.window.tabs.current() is editor
    assert editor.getCursorPosition()[0] == 2


def test_program_colours_follow_the_theme(bench, qtbot, keyboard):
    from PyQt5.QtGui import QTextCursor

    source = "print('\\x1b[31mred alert\\x1b[0m and \\x1b[1mbold\\x1b[0m')\n"
    bench.window.tabs.current().setText(source)
    press_run(bench, qtbot, keyboard)
    output = bench.window.output

    def colour_of(text: str) -> str:
        cursor = QTextCursor(output.document())
        cursor.setPosition(output.toPlainText().index(text) + 1)
        return cursor.charFormat().foreground().color().name()

    assert output.toPlainText().startswith("red alert and bold\n")
    for name in ("night", "high-contrast", "day"):
        bench.appearance.set_theme(name)
        assert colour_of("red alert") == bench.appearance.theme.ansi["red"], name
