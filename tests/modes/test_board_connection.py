"""BoardConnection: the contract the board modes and the Files pane build on, on a pty fake.

Every check runs against a real pty (tests/fakes/fake_board.py) with the real engine, so what
is proven is the threading: board calls on the worker, results on the GUI thread, progress
coalesced, an unplug noticed while nothing runs.
"""

from __future__ import annotations

import threading

import pytest

from presenter.device import BoardInfo, Disconnected
from presenter.modes.board_connection import BoardConnection, ConnectedBoard
from tests.fakes.fake_board import FakeBoard


@pytest.fixture
def connection(qtbot):
    conn = BoardConnection()
    yield conn
    conn.shutdown(timeout=2.0)


def open_fake(connection: BoardConnection, board: FakeBoard, qtbot) -> ConnectedBoard:
    with qtbot.waitSignal(connection.connected, timeout=10000) as blocker:
        connection.open(BoardInfo(port=board.port, serial_number="FAKE1"))
    return blocker.args[0]


def test_open_identifies_the_board_without_blocking_the_gui_thread(connection, fake_modern, qtbot):
    with qtbot.waitSignal(connection.connected, timeout=10000) as blocker:
        connection.open(BoardInfo(port=fake_modern.port))
        assert not connection.is_connected()  # open() returned before any serial I/O
        assert connection.opening == fake_modern.port
        assert fake_modern.received == b""  # nothing was sent from this thread
    info = blocker.args[0]
    assert isinstance(info, ConnectedBoard)
    assert (info.port, info.name, info.kind, info.flat_fs) == (
        fake_modern.port, "Raspberry Pi Pico", "pico", False)
    assert connection.is_connected() and connection.board is info


def test_v1_board_reports_a_flat_file_system(connection, fake_v1, qtbot):
    info = open_fake(connection, fake_v1, qtbot)
    assert (info.kind, info.flat_fs, info.name) == ("microbit", True, "micro:bit v1.0.1")
    assert info.serial_number == "FAKE1"


def test_call_runs_on_the_worker_and_answers_on_the_gui_thread(connection, fake_modern, qtbot):
    open_fake(connection, fake_modern, qtbot)
    threads = {}
    results = []

    def work(board, control):
        threads["work"] = threading.current_thread()
        return board.eval("6 * 7")

    def done(value):
        threads["done"] = threading.current_thread()
        results.append(value)

    connection.call(work, done=done)
    qtbot.waitUntil(lambda: results == [42], timeout=10000)
    assert threads["work"] is not threading.main_thread()
    assert threads["done"] is threading.main_thread()


def test_board_errors_arrive_in_failed(connection, fake_modern, qtbot):
    open_fake(connection, fake_modern, qtbot)
    errors = []
    connection.call(lambda board, control: board.exec("1/0"), failed=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=10000)
    assert "ZeroDivisionError" in str(errors[0])
    assert connection.is_connected()  # an error in the code is no disconnect


def test_without_a_board_failed_says_so(connection, qtbot):
    errors = []
    connection.call(lambda board, control: 1, failed=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], Disconnected)
    assert "No board is connected" in str(errors[0])


def test_progress_is_coalesced_and_the_last_report_comes_before_done(connection, fake_modern, qtbot):
    open_fake(connection, fake_modern, qtbot)
    reports: list[tuple[int, int]] = []
    finished = []

    def work(board, control):
        for i in range(1, 20001):
            control.progress(i, 20000)
        return "ok"

    connection.call(work, progress=lambda d, t: reports.append((d, t)),
                    done=lambda r: finished.append((r, list(reports))))
    qtbot.waitUntil(lambda: bool(finished), timeout=10000)
    result, seen_before_done = finished[0]
    assert result == "ok"
    assert seen_before_done[-1] == (20000, 20000)
    assert len(reports) < 2000  # 20,000 reports, far fewer deliveries
    assert reports == sorted(reports)


def test_cancel_sets_the_event_the_work_looks_at(connection, fake_modern, qtbot):
    open_fake(connection, fake_modern, qtbot)
    started = threading.Event()
    outcome = []

    def work(board, control):
        started.set()
        return control.cancelled.wait(10)

    job = connection.call(work, done=outcome.append)
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == [True] and job.cancelled and job.finished


def test_unplug_while_idle_is_noticed_within_two_seconds(connection, fake_modern, qtbot):
    open_fake(connection, fake_modern, qtbot)
    with qtbot.waitSignal(connection.disconnected, timeout=2000) as blocker:
        fake_modern.disconnect()
    assert fake_modern.port in blocker.args[0]
    assert not connection.is_connected()


def test_unplug_during_a_call_gives_disconnected_then_failed(connection, fake_modern, qtbot):
    open_fake(connection, fake_modern, qtbot)
    events = []
    connection.disconnected.connect(lambda reason: events.append("disconnected"))
    connection.call(lambda board, control: board.run("while True:\n    pass\n", print, print),
                    failed=lambda exc: events.append(type(exc).__name__))
    qtbot.wait(300)
    fake_modern.disconnect()
    qtbot.waitUntil(lambda: len(events) == 2, timeout=3000)
    assert events == ["disconnected", "Disconnected"]


def test_stop_and_input_reach_a_running_program(connection, fake_modern, qtbot):
    open_fake(connection, fake_modern, qtbot)
    out = []
    results = []
    connection.call(
        lambda board, control: board.run("print(input('? ').upper())\nwhile True:\n    pass\n",
                                         out.append, out.append, clean=False),
        done=results.append)
    qtbot.waitUntil(lambda: "? " in "".join(out), timeout=5000)
    connection.send_input("ada\n")
    qtbot.waitUntil(lambda: "ADA" in "".join(out), timeout=5000)
    connection.interrupt()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0].ending == "interrupted"


def test_open_failure_is_reported_and_nothing_is_connected(connection, qtbot, tmp_path):
    with qtbot.waitSignal(connection.connect_failed, timeout=5000) as blocker:
        connection.open(BoardInfo(port=str(tmp_path / "ttyNOPE")))
    assert "does not exist" in blocker.args[0]
    assert not connection.is_connected() and connection.opening is None


def test_close_lets_go_of_the_port(connection, fake_modern, qtbot):
    open_fake(connection, fake_modern, qtbot)
    with qtbot.waitSignal(connection.disconnected, timeout=2000):
        connection.close("bye")
    # The port can be opened again at once: the old session let go of it.
    open_fake(connection, fake_modern, qtbot)
    assert connection.is_connected()


def test_a_port_still_being_let_go_of_is_retried_not_refused(connection, fake_modern, qtbot):
    from presenter.device.transport import open_serial

    holder = open_serial(fake_modern.port)  # the mode switched away from, closing a moment late
    threading.Timer(0.6, holder.close).start()
    with qtbot.waitSignal(connection.connected, timeout=10000):
        connection.open(BoardInfo(port=fake_modern.port))


def test_a_port_held_for_good_is_reported_busy(connection, fake_modern, qtbot):
    from presenter.device.transport import open_serial

    holder = open_serial(fake_modern.port)  # another program (Thonny, a terminal) has it
    try:
        with qtbot.waitSignal(connection.connect_failed, timeout=10000) as blocker:
            connection.open(BoardInfo(port=fake_modern.port))
        assert "in use by another program" in blocker.args[0]
    finally:
        holder.close()
