"""A demo for the micro:bit, given on the virtual micro:bit (the real V1 firmware in QEMU).

The window starts in Python mode, as a speaker's laptop would be; opening the demo switches
to micro:bit mode, which finds the board through ``PRESENTER_PORT`` (a user naming a port),
and each step's Run goes to the board.
"""

from __future__ import annotations

import pytest

from tests.fakes.board_window import LONG, wait_connected, wait_finished
from tests.presenting.test_demo_mode import open_demo

pytestmark = pytest.mark.emulator

BOARD_DEMO = """\
# %% demo: On the board
# %% mode: microbit
# %% file: main.py

# %% step: Hello
# %% run
print("hello", 6 * 7)

# %% step: Again
# %% replace: print("hello"
# %% run
print("again", 7 * 7)
"""


def test_a_micro_bit_demo_switches_to_the_board_and_runs_each_step_there(
        make_bench, qtbot, answers, keyboard, tmp_path, monkeypatch, microbit_port):
    monkeypatch.setenv("PRESENTER_PORT", microbit_port)
    bench = make_bench()
    bench.settings.set("demo.speed", 0)
    assert bench.mode.id == "python"
    open_demo(bench, qtbot, answers, keyboard, tmp_path, BOARD_DEMO, "board.demo.py")
    qtbot.waitUntil(lambda: bench.mode.id == "microbit", timeout=LONG)
    wait_connected(bench, qtbot)
    editor = bench.window.tabs.current()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    output = bench.window.output
    keyboard.press("PgDown")
    qtbot.waitUntil(lambda: "hello 42" in output.toPlainText(), timeout=LONG)
    wait_finished(bench, qtbot)
    keyboard.press("PgDown")
    qtbot.waitUntil(lambda: "again 49" in output.toPlainText(), timeout=LONG)
    wait_finished(bench, qtbot)
    assert editor.text() == 'print("again", 7 * 7)\n'
    assert output.toPlainText().endswith("Program finished on the micro:bit v1.0.1\n")
    keyboard.press("PgUp")
    assert editor.text() == 'print("hello", 6 * 7)\n' and bench.mode.id == "microbit"
