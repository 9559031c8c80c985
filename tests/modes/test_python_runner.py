"""PythonRunner runs real CPython children into the real OutputPane."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from PyQt5.QtCore import Qt, QTimer
from PyQt5.QtGui import QTextCursor

from presenter.core.themes import DEFAULT_ANSI_LIGHT
from presenter.modes.python_runner import UNTITLED_PREFIX, PythonRunner
from presenter.qt.output_pane import DEFAULT_COLOURS, OutputPane

PROGRAMS = Path(__file__).resolve().parents[1] / "fixtures_programs"
LONG = 30_000  # ms: generous liveness bounds, never performance assertions


@pytest.fixture
def rig(qtbot, tmp_path):
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.resize(800, 500)
    pane.show()
    runner = PythonRunner(untitled_cwd=str(tmp_path))
    runner.attach(pane)
    # The workbench routes the pane's input to the mode; here the runner stands alone.
    pane.input_submitted.connect(runner.send_input)
    pane.eof_requested.connect(runner.close_input)
    yield runner, pane
    runner.shutdown()


def run_to_end(qtbot, runner, source, path=None, title="untitled-1"):
    with qtbot.waitSignal(runner.finished, timeout=LONG) as sig:
        runner.run(source, path, title)
    return sig.args


def colour_at(pane: OutputPane, position: int) -> str:
    cursor = QTextCursor(pane.document())
    cursor.setPosition(position + 1)
    return cursor.charFormat().foreground().color().name()


def click_text(qtbot, pane: OutputPane, text: str, offset: int = 3) -> None:
    """Press the real left mouse button on ``text`` in the pane."""
    cursor = QTextCursor(pane.document())
    cursor.setPosition(pane.toPlainText().index(text) + offset)
    qtbot.mouseClick(pane.viewport(), Qt.LeftButton, pos=pane.cursorRect(cursor).center())


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_stdout_and_stderr_tagged_and_exit_code_shown(qtbot, rig):
    runner, pane = rig
    code, text = run_to_end(
        qtbot, runner, "import sys\nprint('to out')\nprint('to err', file=sys.stderr)\nsys.exit(4)\n"
    )
    assert (code, text) == (4, "Process finished with exit code 4")
    shown = pane.toPlainText()
    assert shown.splitlines()[-1] == "Process finished with exit code 4"
    assert colour_at(pane, shown.index("to err")) == DEFAULT_COLOURS["stderr"]
    assert colour_at(pane, shown.index("to out")) != DEFAULT_COLOURS["stderr"]
    assert not runner.is_running() and not pane.is_running()


def test_saved_file_runs_in_its_folder(qtbot, rig, tmp_path):
    runner, pane = rig
    folder = tmp_path / "talk"
    folder.mkdir()
    script = folder / "demo.py"
    source = "import os\nprint(os.getcwd())\nprint(__file__)\n"
    script.write_text(source)
    assert run_to_end(qtbot, runner, source, str(script), "demo.py")[0] == 0
    lines = pane.toPlainText().splitlines()
    assert lines[0] == str(folder.resolve())
    assert lines[1] == str(script.resolve())  # unmodified: runs in place


def test_unsaved_changes_run_without_saving_and_traceback_maps_back(qtbot, rig, tmp_path):
    runner, pane = rig
    (tmp_path / "helper.py").write_text("VALUE = 42\n")
    script = tmp_path / "demo.py"
    script.write_text("print('old text on disk')\n")
    source = "import os, helper\nprint(os.getcwd(), helper.VALUE)\n\n1 / 0\n"
    code, _ = run_to_end(qtbot, runner, source, str(script), "demo.py")
    assert code == 1
    shown = pane.toPlainText()
    assert f"{tmp_path.resolve()} 42" in shown  # its folder, and its neighbours import
    assert script.read_text() == "print('old text on disk')\n"  # nothing was saved
    assert 'demo.py", line 4' in shown
    with qtbot.waitSignal(pane.location_activated, timeout=2000) as sig:
        assert pane.activate_position(shown.index('demo.py", line 4'))
    assert sig.args == [str(script.resolve()), 4]
    # The audience sees the tab's name, not the temporary copy that ran.
    assert 'File "demo.py", line 4, in <module>' in shown
    assert "presenter-run-" not in shown


def test_untitled_buffer_runs_and_traceback_names_the_tab(qtbot, rig, tmp_path):
    runner, pane = rig
    source = "import os\nprint(os.path.basename(__file__), os.getcwd())\nraise ValueError('x')\n"
    code, _ = run_to_end(qtbot, runner, source, None, "untitled-1")
    assert code == 1
    shown = pane.toPlainText()
    assert f"untitled-1.py {tmp_path}" in shown  # the program itself sees a real file
    assert 'File "untitled-1", line 3, in <module>' in shown  # the audience sees the tab
    assert "presenter-run-" not in shown
    with qtbot.waitSignal(pane.location_activated, timeout=2000) as sig:
        click_text(qtbot, pane, '"untitled-1", line 3')
    assert sig.args == [UNTITLED_PREFIX + "untitled-1", 3]


def test_input_round_trip_through_the_pane(qtbot, rig):
    runner, pane = rig
    source = (
        "name = input('Name? ')\nprint('Hello,', name)\n"
        "try:\n    input()\nexcept EOFError:\n    print('EOF seen')\n"
    )
    with qtbot.waitSignal(runner.started, timeout=LONG):
        runner.run(source, None, "untitled-2")
    qtbot.waitUntil(lambda: pane.toPlainText().endswith("Name? "), timeout=LONG)
    with qtbot.waitSignal(runner.finished, timeout=LONG) as sig:
        qtbot.keyClicks(pane, "Ada")
        qtbot.keyClick(pane, Qt.Key_Return)
        qtbot.waitUntil(lambda: "Hello, Ada" in pane.toPlainText(), timeout=LONG)
        qtbot.keyClick(pane, Qt.Key_D, Qt.ControlModifier)  # Ctrl+D: end of input
    assert sig.args[0] == 0
    lines = pane.toPlainText().splitlines()
    assert lines[:3] == ["Name? Ada", "Hello, Ada", "EOF seen"]
    assert colour_at(pane, 6) == DEFAULT_COLOURS["input"]  # the echoed "Ada"


def stop_and_wait(qtbot, runner):
    with qtbot.waitSignal(runner.finished, timeout=LONG) as sig:
        runner.stop()
    return sig.args


def test_stop_busy_loop(qtbot, rig):
    runner, pane = rig
    runner.run("print('spinning', flush=True)\nwhile True:\n    pass\n", None, "busy")
    qtbot.waitUntil(lambda: "spinning" in pane.toPlainText(), timeout=LONG)
    code, text = stop_and_wait(qtbot, runner)
    assert code is not None and text.startswith("Process stopped")
    assert pane.toPlainText().splitlines()[-1].startswith("Process stopped")


def test_stop_program_ignoring_sigint(qtbot, rig):
    runner, pane = rig
    runner.run(
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint('ready')\n"
        "while True:\n    time.sleep(0.01)\n",
        None,
        "stubborn",
    )
    qtbot.waitUntil(lambda: "ready" in pane.toPlainText(), timeout=LONG)
    code, text = stop_and_wait(qtbot, runner)
    assert code == -15 and text == "Process stopped (SIGTERM)"


@pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX-only")
def test_stop_ends_child_and_grandchild(qtbot, rig, tmp_path):
    runner, pane = rig
    pid_file = tmp_path / "grandchild.pid"
    source = (PROGRAMS / "spawn_grandchild.py").read_text()
    source = source.replace("sys.argv[1]", repr(str(pid_file)))
    runner.run(source, None, "tree")
    qtbot.waitUntil(lambda: "spawned" in pane.toPlainText(), timeout=LONG)
    grandchild = int(pid_file.read_text())
    assert pid_alive(grandchild)
    try:
        stop_and_wait(qtbot, runner)
        qtbot.waitUntil(lambda: not pid_alive(grandchild), timeout=5000)
    finally:
        try:
            os.kill(grandchild, 9)  # never leave it behind, even when the test fails
        except ProcessLookupError:
            pass


def test_flood_keeps_event_loop_turning_and_stop_works(qtbot, tmp_path):
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.show()
    runner = PythonRunner(untitled_cwd=str(tmp_path), max_lines=2000)
    runner.attach(pane)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    try:
        runner.run("i = 0\nwhile True:\n    print(i)\n    i += 1\n", None, "flood")
        # Wait until well past 200k lines: the pane's top note counts what was dropped.
        qtbot.waitUntil(
            lambda: pane.document().firstBlock().text().startswith("…")
            and int(pane.document().firstBlock().text().split()[1].replace(",", "")) > 500_000,
            timeout=120_000,
        )
        during = len(ticks)
        assert during >= 20, f"the event loop turned only {during} times during the flood"
        assert pane.blockCount() <= 2002
        code, text = stop_and_wait(qtbot, runner)
        assert text.startswith("Process stopped")
    finally:
        timer.stop()
        runner.shutdown()


def test_flood_outrunning_the_scrollback_draws_one_slice_a_tick(qtbot, tmp_path):
    # Whatever the pane draws after a big gap is cleared by the next gap, so while the
    # program runs only one slice a tick is drawn; the last lines still all arrive at the end.
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.show()
    runner = PythonRunner(untitled_cwd=str(tmp_path), max_lines=2000, batch_lines=400)
    runner.attach(pane)
    events: list[tuple[int, int] | None] = []  # batches as (lines, dropped); None: a new turn
    runner.output_received.connect(lambda b: events.append((b.lines_taken, b.dropped_lines)))
    marker = QTimer()
    marker.setInterval(1)  # fires between two drains (a drain runs on a 30 ms timer)
    marker.timeout.connect(lambda: events.append(None))
    marker.start()
    source = "for i in range(3_000_000):\n    print(i)\nprint('THE END')\n"
    try:
        with qtbot.waitSignal(runner.finished, timeout=120_000):
            runner.run(source, None, "flood")
            qtbot.waitUntil(lambda: sum(1 for e in events if e and e[1] >= 400) >= 10,
                            timeout=120_000)
            marker.stop()  # the turns to look at: while the program was still printing
            during = list(events)
    finally:
        marker.stop()
        runner.shutdown()
    turns: list[list[tuple[int, int]]] = [[]]
    for event in during:
        if event is None:
            turns.append([])
        else:
            turns[-1].append(event)
    gapped = [turn for turn in turns if any(dropped >= 400 for _lines, dropped in turn)]
    assert len(gapped) >= 10
    for turn in gapped:
        # Nothing more is drawn in a tick after a batch that followed a gap bigger than a tick.
        first_gap = next(i for i, (_lines, dropped) in enumerate(turn) if dropped >= 400)
        assert first_gap == len(turn) - 1, turn
    lines = pane.toPlainText().splitlines()
    assert lines[-4:-1] == ["2999998", "2999999", "THE END"]
    assert lines[-1].startswith("Process finished")


def test_output_is_drawn_when_it_ends_not_at_the_next_poll(qtbot, tmp_path):
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.show()
    runner = PythonRunner(untitled_cwd=str(tmp_path), poll_ms=60_000)  # a poll far away
    runner.attach(pane)
    try:
        runner.run("print('all of it')\n", None, "short")
        qtbot.waitUntil(lambda: "all of it" in pane.toPlainText(), timeout=LONG)
    finally:
        runner.shutdown()


def test_five_megabyte_line_is_truncated_with_note(qtbot, rig):
    runner, pane = rig
    source = (PROGRAMS / "long_line.py").read_text().replace("sys.argv[1]", "'5'")
    source = source.replace("len(sys.argv) > 1", "True")
    assert run_to_end(qtbot, runner, source, None, "long")[0] == 0
    lines = pane.toPlainText().splitlines()
    hidden = 5 * (1 << 20) - 10_000
    assert lines[0] == "x" * 10_000 + f" … line truncated, {hidden:,} characters not shown"
    assert lines[1] == "done"


def test_missing_interpreter_is_reported_not_raised(qtbot, rig, tmp_path):
    runner, pane = rig
    with qtbot.waitSignal(runner.finished, timeout=LONG) as sig:
        runner.run("print(1)\n", None, "x", interpreter=str(tmp_path / "no-python"))
    assert sig.args[0] is None and "Could not start" in sig.args[1]
    assert "Could not start" in pane.toPlainText()
    assert not runner.is_running()


def test_run_while_running_is_refused(qtbot, rig):
    runner, pane = rig
    runner.run("import time\ntime.sleep(30)\n", None, "sleepy")
    with pytest.raises(RuntimeError, match="already running"):
        runner.run("print(1)\n", None, "other")
    stop_and_wait(qtbot, runner)


# ---- Output as the audience expects it


def test_partial_line_then_exception_shows_the_line_before_the_traceback(qtbot, rig):
    runner, pane = rig
    code, _ = run_to_end(qtbot, runner, "print('x', end='')\nraise ValueError('boom')\n")
    assert code == 1
    lines = pane.toPlainText().splitlines()
    assert lines[0] == "xTraceback (most recent call last):"  # what a terminal shows
    assert lines[-2:] == ["ValueError: boom", "Process finished with exit code 1"]


PROGRESS = """\
import sys
total = {n}
for i in range(total + 1):
    filled = 30 * i // total
    sys.stderr.write(f"\\r{{100 * i / total:5.1f}}%|{{'#' * filled:<30}}| {{i}}/{{total}}")
sys.stderr.write("\\n")
print("done")
"""


def test_progress_bar_of_100k_updates_shows_one_line_in_few_document_edits(qtbot, rig):
    runner, pane = rig
    edits = []
    pane.document().contentsChange.connect(lambda *args: edits.append(args))
    code, _ = run_to_end(qtbot, runner, PROGRESS.format(n=100_000))
    assert code == 0
    assert pane.toPlainText().splitlines() == [
        "100.0%|" + "#" * 30 + "| 100000/100000",
        "done",
        "Process finished with exit code 0",
    ]
    # Updates the pane had no time to show were collapsed before they reached it.
    assert len(edits) < 5000, len(edits)


def test_colours_from_a_program_use_the_theme_palette(qtbot, rig):
    runner, pane = rig
    code, _ = run_to_end(qtbot, runner,
                         "print('\\x1b[32mPASSED\\x1b[0m 3 tests, \\x1b[1;31m1 FAILED\\x1b[0m')\n")
    assert code == 0
    shown = pane.toPlainText()
    assert shown.splitlines()[0] == "PASSED 3 tests, 1 FAILED"
    assert colour_at(pane, shown.index("PASSED")) == DEFAULT_ANSI_LIGHT[2]
    palette = [f"#{i:02x}{i:02x}{i + 100:02x}" for i in range(16)]
    pane.set_ansi_palette(palette)  # as a theme switch does
    assert colour_at(pane, shown.index("PASSED")) == palette[2]
    assert colour_at(pane, shown.index("FAILED")) == palette[1]


def test_progress_after_an_answered_prompt_starts_on_its_own_line(qtbot, rig):
    runner, pane = rig
    source = (
        "import time\nname = input('Name? ')\n"
        "for i in range(5):\n    print(f'\\rstep {i}', end='', flush=True)\n    time.sleep(0.02)\n"
        "print()\nprint('bye', name)\n"
    )
    with qtbot.waitSignal(runner.started, timeout=LONG):
        runner.run(source, None, "untitled-3")
    qtbot.waitUntil(lambda: pane.toPlainText().endswith("Name? "), timeout=LONG)
    with qtbot.waitSignal(runner.finished, timeout=LONG):
        qtbot.keyClicks(pane, "Ada")
        qtbot.keyClick(pane, Qt.Key_Return)
    assert pane.toPlainText().splitlines()[:3] == ["Name? Ada", "step 4", "bye Ada"]
