"""The Python REPL in the window, used as a teacher does: keys, clicks, typing into it.

A real IPython kernel every time (started with the interpreter Run uses); nothing mocked.
"""

from __future__ import annotations

import sys

import psutil
import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QApplication

from presenter.settings import Settings
from tests.fakes.board_window import focus_editor
from tests.fakes.child_window import run_in_window
from tests.fakes.processes import has_ended
from tests.qt.test_jupyter_pane import console_images

LONG = 60_000  # ms: a kernel's start on a busy machine; never a speed assertion


def repl_of(bench):
    return bench.mode.repl


def open_repl(bench, qtbot, keyboard):
    """Ctrl+Shift+R from the editor, then wait for the first prompt."""
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+R")
    repl = repl_of(bench)
    qtbot.waitUntil(lambda: repl.pane is not None and repl.pane.is_ready(), timeout=LONG)
    return repl.pane


def wait_for(qtbot, pane, condition, more=lambda: "") -> None:
    """Wait for ``condition``; on a timeout, say what the REPL shows."""
    try:
        qtbot.waitUntil(condition, timeout=LONG)
    except Exception as exc:
        shown = pane.text() if pane is not None else "(no pane)"
        state = (f"ready={pane._ready} busy={pane._busy} input={pane.console.input_buffer!r}"
                 if pane is not None and pane.console is not None else "")
        raise AssertionError(f"REPL shows:\n{shown}\n{state} {more()}") from exc


def type_into_repl(pane, qtbot, keyboard, text: str) -> None:
    """Typed into the REPL as a person does: it has the focus, the keys go there."""
    target = pane.input_widget()
    if QApplication.focusWidget() is not target:
        qtbot.mouseClick(target.viewport(), Qt.LeftButton, pos=target.viewport().rect().center())
    qtbot.waitUntil(target.hasFocus, timeout=LONG)
    keyboard.type(text)
    keyboard.press("Return")


def test_the_repl_opens_with_the_same_python_as_run_and_runs_typed_code(bench, qtbot, keyboard):
    pane = open_repl(bench, qtbot, keyboard)
    assert pane.isVisible() and bench.actions["view.repl"].isChecked()
    assert pane.input_widget().hasFocus()  # ready to type into
    type_into_repl(pane, qtbot, keyboard, "import sys; print(sys.executable)")
    wait_for(qtbot, pane, lambda: "In [2]:" in pane.text())
    assert sys.executable in pane.text()


def test_run_in_repl_leaves_the_programs_variables_to_explore(bench, qtbot, keyboard, tmp_path):
    path = tmp_path / "circle.py"
    path.write_text("radius = 3\narea = 3.14 * radius ** 2\nprint('computed')\n", "utf-8")
    bench.files.open_path(str(path))
    pane = open_repl(bench, qtbot, keyboard)
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+Return")
    wait_for(qtbot, pane, lambda: "computed" in pane.text() and "In [2]:" in pane.text())
    assert "%run circle.py" in pane.text()  # what ran is shown, short and true
    assert pane.input_widget().hasFocus()  # the next thing typed goes to the REPL
    type_into_repl(pane, qtbot, keyboard, "area")
    wait_for(qtbot, pane, lambda: "Out[2]: 28.26" in pane.text())


def test_the_run_file_button_runs_the_tab_in_its_own_folder(bench, qtbot, keyboard, tmp_path):
    """As Run does: the file's folder is the working folder (the REPL goes there first)."""
    first, second = tmp_path / "first", tmp_path / "second folder"
    first.mkdir()
    second.mkdir()
    (first / "a.py").write_text("a = 1\n", "utf-8")
    (second / "numbers.py").write_text("import os\ntotal = sum(range(10))\nhere = os.getcwd()\n",
                                       "utf-8")
    bench.files.open_path(str(first / "a.py"))
    pane = open_repl(bench, qtbot, keyboard)  # started in first/
    bench.files.open_path(str(second / "numbers.py"))
    qtbot.mouseClick(pane.run_button, Qt.LeftButton)
    wait_for(qtbot, pane, lambda: "In [2]:" in pane.text())
    assert f'%cd -q "{second}"\n   ...: %run numbers.py' in pane.text()
    type_into_repl(pane, qtbot, keyboard, "total, here.endswith('second folder')")
    wait_for(qtbot, pane, lambda: "Out[2]: (45, True)" in pane.text())


def test_a_matplotlib_figure_shows_inline(bench, qtbot, keyboard):
    pytest.importorskip("matplotlib", reason="matplotlib is not installed in this Python")
    pane = open_repl(bench, qtbot, keyboard)
    type_into_repl(pane, qtbot, keyboard,
                   "import matplotlib.pyplot as plt; plt.plot([1, 4, 9]); plt.show()")
    wait_for(qtbot, pane, lambda: "In [2]:" in pane.text())
    assert console_images(pane) == 1
    assert "Error" not in pane.text()


def test_run_in_repl_of_an_untitled_tab_with_unsaved_code_opens_the_repl_itself(bench, qtbot,
                                                                                  keyboard):
    editor = bench.window.tabs.current()
    editor.setText("greeting = 'hello ' * 2\n")
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+Return")  # the REPL was not open: it opens and then runs
    repl = repl_of(bench)
    qtbot.waitUntil(lambda: repl.pane is not None and "In [2]:" in repl.pane.text(),
                    timeout=LONG)
    assert editor.info.title in repl.pane.text()
    type_into_repl(repl.pane, qtbot, keyboard, "greeting.upper()")
    wait_for(qtbot, repl.pane, lambda: "'HELLO HELLO '" in repl.pane.text())


def test_the_interrupt_button_stops_an_endless_loop(bench, qtbot, keyboard):
    pane = open_repl(bench, qtbot, keyboard)
    type_into_repl(pane, qtbot, keyboard, "n = 0")
    wait_for(qtbot, pane, lambda: "In [2]:" in pane.text())
    type_into_repl(pane, qtbot, keyboard, "while True: n += 1")
    wait_for(qtbot, pane, pane.is_busy)
    spinning(qtbot, repl_of(bench).kernel.pid)
    wait_for(qtbot, pane, lambda: _interrupted(pane, qtbot))
    assert "KeyboardInterrupt" in pane.text()
    type_into_repl(pane, qtbot, keyboard, "n > 0")  # the loop ran, and the REPL carries on
    wait_for(qtbot, pane, lambda: "True" in pane.text().split("KeyboardInterrupt")[-1])


def spinning(qtbot, pid: int) -> None:
    """Wait until the kernel has spent a third of a second of CPU in the loop (so Interrupt
    stops a loop that runs, not one that has yet to start)."""
    process = psutil.Process(pid)
    start = sum(process.cpu_times()[:2])
    qtbot.waitUntil(lambda: sum(process.cpu_times()[:2]) - start > 0.3, timeout=LONG)


def _interrupted(pane, qtbot) -> bool:
    """Click Interrupt until the loop is stopped (a click before the loop starts is lost)."""
    if "KeyboardInterrupt" in pane.text() and not pane.is_busy():
        return True
    qtbot.mouseClick(pane.interrupt_button, Qt.LeftButton)
    qtbot.wait(300)
    return "KeyboardInterrupt" in pane.text() and not pane.is_busy()


def test_ctrl_c_in_the_repl_interrupts_running_code(bench, qtbot, keyboard):
    pane = open_repl(bench, qtbot, keyboard)
    type_into_repl(pane, qtbot, keyboard, "import time; n = 0")
    wait_for(qtbot, pane, lambda: "In [2]:" in pane.text())
    type_into_repl(pane, qtbot, keyboard, "while True: time.sleep(0.01)")
    wait_for(qtbot, pane, pane.is_busy)
    qtbot.wait(500)  # let the loop start (pressing earlier is fine, but tests less)

    def pressed() -> bool:
        if not pane.is_busy():
            return True
        keyboard.press("Ctrl+C")
        qtbot.wait(300)
        return not pane.is_busy()

    qtbot.waitUntil(pressed, timeout=LONG)
    assert "KeyboardInterrupt" in pane.text()


def test_restart_gives_a_fresh_python(bench, qtbot, keyboard):
    pane = open_repl(bench, qtbot, keyboard)
    old_pid = repl_of(bench).kernel.pid
    type_into_repl(pane, qtbot, keyboard, "secret = 42")
    wait_for(qtbot, pane, lambda: "In [2]:" in pane.text())
    qtbot.mouseClick(pane.restart_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: repl_of(bench).kernel.pid != old_pid and pane.is_ready(),
                    timeout=LONG)
    assert "Restarted" in pane.text()
    assert has_ended(old_pid)
    type_into_repl(pane, qtbot, keyboard, "'secret' in globals()")
    wait_for(qtbot, pane, lambda: "Out[1]: False" in pane.text())


def test_exit_in_the_repl_gives_a_fresh_python_instead_of_a_dead_pane(bench, qtbot, keyboard):
    pane = open_repl(bench, qtbot, keyboard)
    old_pid = repl_of(bench).kernel.pid
    type_into_repl(pane, qtbot, keyboard, "exit()")
    qtbot.waitUntil(lambda: repl_of(bench).kernel.pid != old_pid and pane.is_ready(),
                    timeout=LONG)
    assert "fresh one" in bench.window.status.currentMessage()
    type_into_repl(pane, qtbot, keyboard, "1 + 1")
    wait_for(qtbot, pane, lambda: "Out[1]: 2" in pane.text())


def test_without_ipykernel_the_pane_shows_the_install_command(make_bench, qtbot, keyboard,
                                                              python_without_ipykernel):
    settings = Settings.load()
    settings.section("python")["interpreter"] = python_without_ipykernel
    settings.save()
    bench = make_bench()
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+R")
    repl = repl_of(bench)
    qtbot.waitUntil(lambda: repl.pane is not None and repl.pane.command.isVisible(),
                    timeout=LONG)
    assert repl.pane.command.text() == f"{python_without_ipykernel} -m pip install ipykernel"
    assert "ipykernel" in repl.pane.message.text()
    assert repl.pane.console is None
    assert "ipykernel" in bench.window.status.currentMessage()  # no dialog, no traceback


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")
def test_closing_the_window_ends_the_kernel(make_bench, qtbot, keyboard, answers):
    bench = make_bench()
    open_repl(bench, qtbot, keyboard)
    pid = repl_of(bench).kernel.pid
    answers.save_changes = "discard"
    bench.window.close()
    qtbot.waitUntil(lambda: has_ended(pid), timeout=LONG)


def test_the_repl_follows_zoom_and_theme(bench, qtbot, keyboard):
    pane = open_repl(bench, qtbot, keyboard)
    before = pane.console.font.pointSize()
    assert before == bench.appearance.editor_pt
    keyboard.press("Ctrl+=")  # pressed in the REPL: the window's zoom, not qtconsole's own
    assert pane.console.font.pointSize() == bench.appearance.editor_pt == before + 1
    keyboard.press("Ctrl+Shift+T")
    paper = bench.appearance.theme.terminal["paper"]
    assert f"background-color: {paper}" in pane.console.style_sheet
    prompt_colour = _colour_of(pane, "In [")
    assert prompt_colour == bench.appearance.theme.terminal["green"]  # old text recoloured


def _colour_of(pane, text: str) -> str:
    document = pane.input_widget().document()
    cursor = document.find(text)
    assert not cursor.isNull()
    return cursor.charFormat().foreground().color().name()


def test_window_keys_work_from_the_repl(bench, qtbot, keyboard, tmp_path, answers):
    """Save and Run are the table's keys wherever the focus is, the REPL included."""
    pane = open_repl(bench, qtbot, keyboard)
    editor = bench.window.tabs.current()
    editor.setText("print('saved and run')\n")
    answers.save_path = str(tmp_path / "from_repl.py")
    pane.input_widget().setFocus()
    keyboard.press("Ctrl+S")
    assert (tmp_path / "from_repl.py").read_text(encoding="utf-8") == "print('saved and run')\n"
    keyboard.press("F5")
    qtbot.waitUntil(lambda: "saved and run" in bench.window.output.toPlainText(), timeout=LONG)


def test_the_window_starts_without_the_repl_machinery_and_loads_it_on_first_open(tmp_path):
    """qtconsole, jupyter_client and the kernel code cost start-up time: only the REPL pays."""
    result = run_in_window("""
        watched = ("qtconsole", "jupyter_client", "zmq", "presenter.qt.jupyter_pane",
                   "presenter.modes.python_repl", "presenter.local.kernel", "black",
                   "pyflakes", "pycodestyle", "presenter.modes.python_checks")
        print("at start:", sorted(m for m in watched if m in sys.modules))
        import presenter.qt.jupyter_pane  # the pane's frame shows at once, without qtconsole
        print("pane module:", "qtconsole" in sys.modules)
        bench.actions["view.repl"].trigger()  # not a GUI test: only what gets imported
        import time
        deadline = time.monotonic() + 60
        while bench.mode.repl.pane.console is None and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        print("repl shown:", sorted(m for m in watched[:6] if m in sys.modules))
        bench.mode.repl.close()
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "at start: []" in result.stdout
    assert "pane module: False" in result.stdout
    assert ("repl shown: ['jupyter_client', 'presenter.local.kernel', "
            "'presenter.modes.python_repl', 'presenter.qt.jupyter_pane', 'qtconsole', 'zmq']"
            in result.stdout), result.stdout
