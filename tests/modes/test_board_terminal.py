"""The REPL pane on a real board: keys typed into the focused pane, the board's answers shown.

The virtual micro:bit runs the real V1 firmware (its line editor, history, completion, paste
mode, 64-byte receive path); the pty fake boards add what that firmware cannot do on cue: a
receive buffer that drops bytes like a real V1 under load, and an unplugged cable.
"""

from __future__ import annotations

import threading
import time

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QApplication

from presenter.device import Board
from presenter.modes.board_terminal import BoardTerminal, CallQueue
from presenter.qt.repl_pane import ReplPane

PROMPT = ">>> "
PASTE_30 = "".join(f"v{i} = {i} * 3\n" for i in range(29)) + "print('total', sum([v0, v14, v28]))\n"


@pytest.fixture
def pane(qtbot):
    widget = ReplPane()
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=3000)
    return widget


def shown(pane: ReplPane) -> str:
    """What the pane's document shows, trailing blanks of each line removed."""
    return "\n".join(line.rstrip() for line in pane.toPlainText().split("\n"))


def last_line(pane: ReplPane) -> str:
    return pane.toPlainText().split("\n")[-1]


def wait_for_prompt(pane: ReplPane, qtbot, timeout: int = 10000) -> None:
    qtbot.waitUntil(lambda: pane.toPlainText().endswith(PROMPT), timeout=timeout)


def enter_line(pane: ReplPane, qtbot, line: str) -> None:
    """Type a line and Enter, as a person does, then wait for the next prompt."""
    before = pane.toPlainText().count(PROMPT)
    qtbot.keyClicks(pane, line)
    qtbot.keyClick(pane, Qt.Key_Return)
    qtbot.waitUntil(lambda: pane.toPlainText().count(PROMPT) > before
                    and pane.toPlainText().endswith(PROMPT), timeout=10000)


def start(board: Board, pane: ReplPane, qtbot, errors: list[str], **kwargs) -> BoardTerminal:
    terminal = BoardTerminal(board, pane, **kwargs)
    terminal.error_occurred.connect(errors.append)
    with qtbot.waitSignal(terminal.started, timeout=10000):
        terminal.start()
    return terminal


@pytest.fixture
def errors():
    return []


# ---- On the real V1 firmware (QEMU)


@pytest.fixture(scope="module")
def microbit(microbit_port):
    with Board.open(microbit_port, timeout=5.0) as board:
        yield board


@pytest.fixture
def terminal(microbit, pane, qtbot, errors):
    term = start(microbit, pane, qtbot, errors)
    qtbot.keyClick(pane, Qt.Key_Return)  # a fresh prompt whatever the board showed before
    wait_for_prompt(pane, qtbot)
    yield term
    term.close()
    assert errors == []


@pytest.mark.emulator
def test_expression_shows_its_value(terminal, pane, qtbot):
    enter_line(pane, qtbot, "1+1")
    assert shown(pane).endswith(">>> 1+1\n2\n>>>")


@pytest.mark.emulator
def test_up_recalls_the_boards_history(terminal, pane, qtbot):
    enter_line(pane, qtbot, "6*7")
    qtbot.keyClick(pane, Qt.Key_Up)
    qtbot.waitUntil(lambda: last_line(pane) == ">>> 6*7", timeout=5000)
    qtbot.keyClick(pane, Qt.Key_Return)
    qtbot.waitUntil(lambda: shown(pane).count("\n42\n") == 2 and shown(pane).endswith(">>>"),
                    timeout=5000)


@pytest.mark.emulator
def test_tab_completes_and_lists_as_the_board_offers(terminal, pane, qtbot):
    qtbot.keyClicks(pane, "impo")
    qtbot.keyClick(pane, Qt.Key_Tab)
    qtbot.waitUntil(lambda: last_line(pane) == ">>> import ", timeout=5000)
    qtbot.keyClicks(pane, "microbit")
    qtbot.keyClick(pane, Qt.Key_Return)
    wait_for_prompt(pane, qtbot)
    qtbot.keyClicks(pane, "microbit.")
    qtbot.keyClick(pane, Qt.Key_Tab)  # many matches: the board lists them, redraws the line
    qtbot.waitUntil(lambda: last_line(pane) == ">>> microbit." and "button_a" in shown(pane),
                    timeout=5000)
    lines = shown(pane).split("\n")
    assert any(line.startswith("button_b") and "accelerometer" in line for line in lines)
    assert "\x1b" not in pane.toPlainText() and "\b" not in pane.toPlainText()
    qtbot.keyClick(pane, Qt.Key_C, Qt.ControlModifier)
    wait_for_prompt(pane, qtbot)


@pytest.mark.emulator
def test_backspace_in_the_middle_of_a_line(terminal, pane, qtbot):
    qtbot.keyClicks(pane, "'abcdefghij'")
    for _ in range(7):
        qtbot.keyClick(pane, Qt.Key_Left)
    qtbot.keyClick(pane, Qt.Key_Backspace)  # deletes the "d"
    qtbot.waitUntil(lambda: last_line(pane).rstrip() == ">>> 'abcefghij'", timeout=5000)
    assert pane.model.cursor[1] == len(">>> 'abc")
    qtbot.keyClick(pane, Qt.Key_Return)
    qtbot.waitUntil(lambda: shown(pane).endswith("'abcefghij'\n>>>"), timeout=5000)


@pytest.mark.emulator
def test_ctrl_c_interrupts_an_endless_loop(terminal, pane, qtbot):
    qtbot.keyClicks(pane, "while True: pass")
    qtbot.keyClick(pane, Qt.Key_Return)
    qtbot.waitUntil(lambda: pane.toPlainText().endswith("... "), timeout=5000)
    qtbot.keyClick(pane, Qt.Key_Return)  # the empty line ends the block: the loop runs
    qtbot.wait(300)
    assert not pane.toPlainText().endswith(PROMPT)
    qtbot.keyClick(pane, Qt.Key_C, Qt.ControlModifier)
    qtbot.waitUntil(lambda: "KeyboardInterrupt" in pane.toPlainText()
                    and pane.toPlainText().endswith(PROMPT), timeout=5000)
    enter_line(pane, qtbot, "2+3")
    assert shown(pane).endswith("2+3\n5\n>>>")


@pytest.mark.emulator
def test_ctrl_d_soft_resets(terminal, pane, qtbot):
    enter_line(pane, qtbot, "before_reset = 1")
    qtbot.keyClick(pane, Qt.Key_D, Qt.ControlModifier)
    qtbot.waitUntil(lambda: "soft reboot" in pane.toPlainText()
                    and pane.toPlainText().endswith(PROMPT), timeout=10000)
    enter_line(pane, qtbot, "before_reset")
    assert "NameError" in pane.toPlainText().split("soft reboot")[-1]


@pytest.mark.emulator
def test_a_30_line_paste_arrives_intact_and_runs(terminal, pane, qtbot):
    QApplication.clipboard().setText(PASTE_30)
    qtbot.keyClick(pane, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: "total 126" in pane.toPlainText()
                    and pane.toPlainText().endswith(PROMPT), timeout=20000)
    echoed = [line[4:] for line in shown(pane).split("\n") if line.startswith("=== ")]
    assert echoed[:30] == PASTE_30.splitlines()  # every line arrived as it was pasted
    enter_line(pane, qtbot, "v17")
    assert shown(pane).endswith("v17\n51\n>>>")


@pytest.mark.emulator
def test_run_while_the_repl_is_open_then_the_repl_comes_back(microbit, pane, qtbot, errors):
    worker = CallQueue("microbit worker")  # stands in for the mode's one worker per board
    terminal = start(microbit, pane, qtbot, errors, submit=worker.submit)
    try:
        terminal.stop()
        done = threading.Event()
        output: list[str] = []
        worker.submit(lambda: (microbit.run("print('from run', 6 * 7)", output.append,
                                            output.append), done.set()))
        qtbot.keyClicks(pane, "3*3")  # typed while Run has the connection: kept, not lost
        qtbot.waitUntil(done.is_set, timeout=15000)
        assert "".join(output) == "from run 42\n"
        with qtbot.waitSignal(terminal.started, timeout=10000):
            terminal.start()
        qtbot.waitUntil(lambda: last_line(pane) == ">>> 3*3", timeout=10000)
        qtbot.keyClick(pane, Qt.Key_Return)
        qtbot.waitUntil(lambda: shown(pane).endswith("3*3\n9\n>>>"), timeout=10000)
        assert "MicroPython v1.9.2" in pane.toPlainText()  # the REPL came back with its banner
    finally:
        terminal.close()
        worker.close()
    assert errors == []


# ---- On the pty fake boards


@pytest.mark.sysqt
def test_a_paste_survives_a_v1_receive_buffer_that_drops_bytes(fake_v1, pane, qtbot, errors):
    with Board.open(fake_v1.port, "microbit-v1", timeout=5.0) as board:
        terminal = start(board, pane, qtbot, errors)
        QApplication.clipboard().setText(PASTE_30)
        qtbot.keyClick(pane, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)
        qtbot.waitUntil(lambda: "total 126" in pane.toPlainText(), timeout=20000)
        terminal.close()
    assert fake_v1.submissions[-1].decode() == PASTE_30
    assert fake_v1.dropped == 0
    assert errors == []


@pytest.mark.sysqt
def test_keys_reach_a_modern_board_and_its_output_is_shown(fake_modern, pane, qtbot, errors):
    with Board.open(fake_modern.port, timeout=5.0) as board:
        terminal = start(board, pane, qtbot, errors)
        wait_for_prompt(pane, qtbot)
        enter_line(pane, qtbot, "print(6 * 7)")
        assert shown(pane).endswith(">>> print(6 * 7)\n42\n>>>")
        terminal.close()
    assert errors == []


@pytest.mark.sysqt
def test_an_unplugged_board_is_reported_not_raised(fake_modern, pane, qtbot, errors):
    with Board.open(fake_modern.port, timeout=5.0) as board:
        terminal = start(board, pane, qtbot, errors)
        wait_for_prompt(pane, qtbot)
        fake_modern.disconnect()
        # The first write after an unplug can still land in the OS buffer before the port's
        # reader notices the hang-up, so keep typing as a person would until it is reported.
        for _ in range(25):
            qtbot.keyClicks(pane, "x")
            if errors:
                break
            qtbot.wait(200)
        qtbot.waitUntil(lambda: bool(errors), timeout=5000)
        assert "disconnected" in errors[0] and fake_modern.port in errors[0]
        qtbot.keyClick(pane, Qt.Key_Return)  # the pane stays usable; more errors, no crash
        terminal.close()


def test_a_stop_after_a_start_wins(fake_modern, pane, qtbot, errors):
    with Board.open(fake_modern.port, timeout=5.0) as board:
        terminal = BoardTerminal(board, pane)
        terminal.start()
        terminal.stop()  # before the worker has even started the terminal
        qtbot.keyClicks(pane, "1")
        qtbot.wait(500)
        assert not terminal.active
        assert b"1" not in bytes(fake_modern.received)  # held, not sent to a stopped terminal
        terminal.close()
    assert errors == []


def test_a_coloured_flood_arrives_whole_in_bounded_pieces(fake_modern, pane, qtbot, errors):
    """More text than one delivery: the pieces join up, colour codes cut in two included."""
    with Board.open(fake_modern.port, timeout=5.0) as board:
        terminal = start(board, pane, qtbot, errors)
        wait_for_prompt(pane, qtbot)
        qtbot.keyClicks(pane, "for i in range(4000): print('\\x1b[32mline\\x1b[0m', i)")
        qtbot.keyClick(pane, Qt.Key_Return)
        qtbot.waitUntil(lambda: last_line(pane) == "... ", timeout=5000)  # a for loop: as a
        qtbot.keyClick(pane, Qt.Key_Return)  # real board, it runs after an empty line
        # Keep the GUI thread busy (no events) until the board has printed everything, as a
        # slow repaint would: all ~80 kB then waits at once and must go over in pieces.
        qtbot.waitUntil(lambda: fake_modern.mode == "running", timeout=5000)
        deadline = time.monotonic() + 20
        while fake_modern.mode == "running" and time.monotonic() < deadline:
            time.sleep(0.01)
        qtbot.waitUntil(lambda: pane.toPlainText().endswith("line 3999\n>>> "), timeout=20000)
        terminal.close()
    lines = pane.toPlainText().split("\n")
    numbers = [int(line[5:]) for line in lines if line.startswith("line ")]
    assert numbers == list(range(numbers[0], 4000))  # none lost, none out of order
    output = [line for line in lines if not line.startswith(">>> ")]  # not the typed command
    assert not any("[0m" in line or "[32m" in line or "\x1b" in line for line in output)
    assert errors == []


def test_a_paste_onto_a_half_typed_line_says_what_to_do(fake_modern, pane, qtbot, errors):
    with Board.open(fake_modern.port, timeout=5.0) as board:
        terminal = start(board, pane, qtbot, errors)
        wait_for_prompt(pane, qtbot)
        qtbot.keyClicks(pane, "x = ")
        qtbot.waitUntil(lambda: last_line(pane) == ">>> x = ", timeout=5000)
        QApplication.clipboard().setText(PASTE_30)
        qtbot.keyClick(pane, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)
        qtbot.waitUntil(lambda: bool(errors), timeout=5000)
        assert errors == ["Paste code at an empty >>> prompt: press Ctrl+C to clear the line "
                          "(or stop the program), then paste again."]
        assert bytes(fake_modern.received).endswith(b"x = ")  # nothing of the paste was sent
        errors.clear()
        qtbot.keyClick(pane, Qt.Key_C, Qt.ControlModifier)  # as the message says
        wait_for_prompt(pane, qtbot)
        qtbot.keyClick(pane, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)
        qtbot.waitUntil(lambda: "total 126" in pane.toPlainText(), timeout=20000)
        terminal.close()
    assert errors == []
