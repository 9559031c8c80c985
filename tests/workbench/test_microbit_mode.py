"""micro:bit mode in the window, against the real V1 firmware in QEMU (the virtual micro:bit).

As a speaker does it: F5 in the focused editor, the Stop button, a click on a traceback line,
keys typed into the REPL pane, the Flash button. The window finds the board through
``PRESENTER_PORT``, as a user names a port by hand.
"""

from __future__ import annotations

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QApplication

from tests.fakes.board_window import (
    LONG,
    click_output_text,
    click_toolbar,
    focus_editor,
    run_text,
    wait_finished,
)

pytestmark = pytest.mark.emulator

PROMPT = ">>> "
PASTE_30 = "".join(f"v{i} = {i} * 3\n" for i in range(29)) + "print('total', sum([v0, v14, v28]))\n"


@pytest.fixture
def microbit_bench(board_bench, microbit_port):
    return board_bench("microbit", port=microbit_port)


def test_f5_runs_the_tab_on_the_board_and_streams_its_output(microbit_bench, qtbot, keyboard,
                                                             microbit_port):
    bench = microbit_bench
    status = bench.mode.board_button.text()
    assert "micro:bit v1.0.1" in status and microbit_port in status
    editor = focus_editor(bench, qtbot)
    editor.setText("import time\nprint('first', 6 * 7)\ntime.sleep(1.5)\nprint('second')\n")
    keyboard.press("F5")
    assert run_text(bench) == "Stop"
    output = bench.window.output
    qtbot.waitUntil(lambda: "first 42" in output.toPlainText(), timeout=LONG)
    assert run_text(bench) == "Stop" and "second" not in output.toPlainText()  # streamed
    wait_finished(bench, qtbot)
    assert output.toPlainText() == "first 42\nsecond\nProgram finished on the micro:bit v1.0.1\n"
    assert editor.isModified()  # nothing was saved, on disk or on the board


def test_input_is_answered_in_the_output_pane_without_a_doubled_echo(microbit_bench, qtbot,
                                                                      keyboard):
    bench = microbit_bench
    editor = focus_editor(bench, qtbot)
    editor.setText("name = input('Name? ')\nprint('Hello', name.upper())\n")
    keyboard.press("F5")
    output = bench.window.output
    qtbot.waitUntil(lambda: "Name? " in output.toPlainText(), timeout=LONG)
    assert output.hasFocus()  # Run moved the typing to where the program listens
    keyboard.type("ada")
    keyboard.press("Return")
    wait_finished(bench, qtbot)
    assert output.toPlainText().startswith("Name? ada\nHello ADA\n")


def test_stop_button_interrupts_an_endless_loop_and_the_board_answers_again(microbit_bench,
                                                                             qtbot):
    bench = microbit_bench
    bench.window.tabs.current().setText("print('looping')\nwhile True:\n    pass\n")
    output = bench.window.output
    click_toolbar(bench, qtbot, "run.run")
    qtbot.waitUntil(lambda: "looping" in output.toPlainText(), timeout=LONG)
    click_toolbar(bench, qtbot, "run.run")  # the same button, now Stop
    wait_finished(bench, qtbot)
    text = output.toPlainText()
    assert "KeyboardInterrupt" in text and "Program stopped on the micro:bit" in text
    bench.window.tabs.current().setText("print('still', 'here')\n")
    click_toolbar(bench, qtbot, "run.run")
    wait_finished(bench, qtbot)
    assert output.toPlainText().startswith("still here\n")


def test_a_board_traceback_line_jumps_to_the_line_of_the_tab(microbit_bench, qtbot, keyboard):
    bench = microbit_bench
    editor = focus_editor(bench, qtbot)
    editor.setText("x = 1\n\ny = x / 0\n")
    title = editor.info.title
    keyboard.press("F5")
    wait_finished(bench, qtbot)
    output = bench.window.output
    assert f'File "{title}", line 3, in <module>' in output.toPlainText()
    assert "<stdin>" not in output.toPlainText()
    bench.files.new_file("other = True\n")
    click_output_text(qtbot, output, f'"{title}", line 3')
    assert bench.window.tabs.current() is editor
    assert editor.getCursorPosition()[0] == 2


def open_repl(bench, qtbot, keyboard):
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+R")
    pane = bench.mode.repl_pane
    qtbot.waitUntil(lambda: pane.isVisible() and pane.toPlainText().endswith(PROMPT), timeout=LONG)
    qtbot.waitUntil(pane.hasFocus, timeout=LONG)
    return pane


def enter_line(pane, qtbot, keyboard, line: str) -> None:
    before = pane.toPlainText().count(PROMPT)
    keyboard.type(line)
    keyboard.press("Return")
    qtbot.waitUntil(lambda: pane.toPlainText().count(PROMPT) > before
                    and pane.toPlainText().endswith(PROMPT), timeout=LONG)


def shown(pane) -> str:
    return "\n".join(line.rstrip() for line in pane.toPlainText().split("\n"))


def test_repl_round_trip_with_history_and_a_30_line_paste(microbit_bench, qtbot, keyboard):
    bench = microbit_bench
    pane = open_repl(bench, qtbot, keyboard)
    assert bench.actions["view.repl"].isChecked()
    assert pane.parent() is bench.window.bottom_area  # beside the output pane
    enter_line(pane, qtbot, keyboard, "answer = 6 * 7")
    enter_line(pane, qtbot, keyboard, "answer")
    assert shown(pane).endswith("answer\n42\n>>>")
    keyboard.press("Up")
    keyboard.press("Up")  # the board's own history: two lines back
    qtbot.waitUntil(lambda: pane.toPlainText().endswith(">>> answer = 6 * 7"), timeout=LONG)
    keyboard.press("Ctrl+C")
    qtbot.waitUntil(lambda: pane.toPlainText().endswith(PROMPT), timeout=LONG)
    QApplication.clipboard().setText(PASTE_30)
    keyboard.press("Ctrl+V")
    qtbot.waitUntil(lambda: "total 126" in pane.toPlainText()
                    and pane.toPlainText().endswith(PROMPT), timeout=LONG)
    echoed = [line[4:] for line in shown(pane).split("\n") if line.startswith("=== ")]
    assert echoed[:30] == PASTE_30.splitlines()  # all 30 lines arrived as pasted
    enter_line(pane, qtbot, keyboard, "v17")
    assert shown(pane).endswith("v17\n51\n>>>")


def test_run_while_the_repl_is_open_then_the_repl_comes_back(microbit_bench, qtbot, keyboard):
    bench = microbit_bench
    pane = open_repl(bench, qtbot, keyboard)
    bench.window.tabs.current().setText("import time\ntime.sleep(1)\nprint('from run', 6 * 7)\n")
    keyboard.press("F5")  # from the REPL pane: the window's Run
    assert run_text(bench) == "Stop"
    keyboard.type("3*3")  # typed while the run has the connection: held, not lost
    wait_finished(bench, qtbot)
    assert bench.window.output.toPlainText().startswith("from run 42\n")
    qtbot.waitUntil(lambda: pane.toPlainText().endswith(">>> 3*3"), timeout=LONG)
    keyboard.press("Return")
    qtbot.waitUntil(lambda: shown(pane).endswith("3*3\n9\n>>>"), timeout=LONG)


def test_the_repl_follows_zoom_and_theme(microbit_bench, qtbot, keyboard):
    bench = microbit_bench
    pane = open_repl(bench, qtbot, keyboard)
    size = pane.font().pointSize()
    assert size == bench.appearance.editor_pt
    keyboard.press("Ctrl+=")
    qtbot.waitUntil(lambda: pane.font().pointSize() == size + 1, timeout=LONG)
    keyboard.press("Ctrl+Shift+T")
    theme = bench.appearance.theme
    assert theme.name != "day"
    paper = pane.palette().color(pane.backgroundRole()).name()
    qtbot.waitUntil(lambda: pane.palette().color(pane.backgroundRole()).name()
                    == theme.terminal["paper"], timeout=LONG)
    assert paper  # read once before the wait, so a failure shows what it was


def test_plotter_draws_what_a_board_program_prints(microbit_bench, qtbot):
    bench = microbit_bench
    click_toolbar(bench, qtbot, "view.plotter")
    qtbot.waitUntil(bench.plotter.is_visible, timeout=LONG)
    bench.window.tabs.current().setText(
        "for t in range(40):\n    print((t, t * t % 7, -t))\nprint('done')\n")
    click_toolbar(bench, qtbot, "run.run")
    wait_finished(bench, qtbot)
    model = bench.plotter.model
    qtbot.waitUntil(lambda: model.data_lines == 40, timeout=LONG)
    assert len(model.series) == 3
    assert list(model.series[2].ys)[-3:] == [-37.0, -38.0, -39.0]
    assert list(model.series[0].ys)[:3] == [0.0, 1.0, 2.0]


@pytest.fixture
def fresh_bench(board_bench, fresh_microbit_port):
    """A private virtual micro:bit: Flash writes main.py, which no other test should meet."""
    return board_bench("microbit", port=fresh_microbit_port)


def test_flash_over_serial_then_a_reset_runs_it(fresh_bench, qtbot, keyboard):
    bench = fresh_bench
    pane = open_repl(bench, qtbot, keyboard)
    editor = bench.window.tabs.current()
    editor.setText("print('flashed', 6 * 7)\n")
    messages: list[str] = []
    bench.window.status.messageChanged.connect(messages.append)
    click_toolbar(bench, qtbot, "microbit.flash")
    done = f"Flashed {editor.info.title} to the micro:bit on"
    qtbot.waitUntil(lambda: any(m.startswith(done) for m in messages), timeout=LONG)
    assert any(m.startswith(f"Flashing {editor.info.title}") for m in messages)  # progress
    assert "as main.py" in next(m for m in messages if m.startswith(done))
    # The board restarted after the write: main.py's output is in the REPL already.
    qtbot.waitUntil(lambda: "flashed 42" in pane.toPlainText(), timeout=LONG)
    pane.setFocus()
    qtbot.waitUntil(lambda: pane.toPlainText().endswith(PROMPT), timeout=LONG)
    before = pane.toPlainText().count("flashed 42")
    keyboard.press("Ctrl+D")  # soft reset at the prompt: main.py runs again
    qtbot.waitUntil(lambda: pane.toPlainText().count("flashed 42") == before + 1, timeout=LONG)
    assert "soft reboot" in pane.toPlainText()


def test_paste_from_the_edit_menu_in_the_repl_types_at_the_prompt(microbit_bench, qtbot,
                                                                   keyboard):
    from tests.workbench.test_run import choose_menu_item

    bench = microbit_bench
    pane = open_repl(bench, qtbot, keyboard)
    editor = bench.window.tabs.current()
    editor.setText("kept = True\n")
    QApplication.clipboard().setText("1 + 2")
    pane.setFocus()
    qtbot.waitUntil(pane.hasFocus, timeout=LONG)
    choose_menu_item(bench, qtbot, "edit.paste")
    qtbot.waitUntil(lambda: pane.toPlainText().endswith(">>> 1 + 2"), timeout=LONG)
    assert editor.text() == "kept = True\n"  # the code was not pasted into
    qtbot.keyClick(pane, Qt.Key_Return)
    qtbot.waitUntil(lambda: shown(pane).endswith("1 + 2\n3\n>>>"), timeout=LONG)
