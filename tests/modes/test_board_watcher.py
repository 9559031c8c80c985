"""The app-wide board list: detected boards, ports given by hand, changes only, off the GUI."""

from __future__ import annotations

import os
import threading

import pytest

from presenter.device import BoardInfo
from presenter.modes import board_watcher
from presenter.modes.board_watcher import BoardWatcher, current_boards, hand_given_ports


def pico(port: str, serial: str = "E661") -> BoardInfo:
    return BoardInfo(port=port, serial_number=serial, kind="pico", name="Raspberry Pi Pico")


def microbit(port: str) -> BoardInfo:
    return BoardInfo(port=port, serial_number="9900", kind="microbit", name="BBC micro:bit V1")


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("PRESENTER_PORT", raising=False)
    monkeypatch.delenv("PRESENTER_PORTS", raising=False)


def test_ports_given_by_hand_come_in_the_clis_order_without_repeats(monkeypatch):
    monkeypatch.setenv("PRESENTER_PORT", "/dev/ttyACM9")
    monkeypatch.setenv("PRESENTER_PORTS", os.pathsep.join(["/dev/a", "/dev/ttyACM9", "/dev/b"]))
    assert hand_given_ports(["/dev/setting", "/dev/a"]) == [
        "/dev/ttyACM9", "/dev/a", "/dev/b", "/dev/setting"]


def test_a_port_given_by_hand_is_listed_while_it_exists(no_env, monkeypatch, fake_modern):
    monkeypatch.setattr(board_watcher, "list_boards", lambda: [microbit("/dev/ttyACM0")])
    monkeypatch.setenv("PRESENTER_PORT", fake_modern.port)
    boards = current_boards(["/dev/does-not-exist", "rfc2217://127.0.0.1:4000"])
    assert [(b.port, b.kind) for b in boards] == [
        ("/dev/ttyACM0", "microbit"), (fake_modern.port, "unknown"),
        ("rfc2217://127.0.0.1:4000", "unknown")]  # a URL cannot be checked without connecting
    fake_modern.disconnect()  # the pty goes away as an unplugged board's port does
    assert fake_modern.port not in [b.port for b in current_boards([])]


def test_a_detected_board_is_not_listed_twice_when_also_given_by_hand(no_env, monkeypatch):
    monkeypatch.setattr(board_watcher, "list_boards", lambda: [pico("/dev/ttyACM0")])
    monkeypatch.setenv("PRESENTER_PORT", "/dev/ttyACM0")
    assert current_boards([]) == [pico("/dev/ttyACM0")]


def test_the_watcher_reports_changes_only_and_on_the_gui_thread(no_env, monkeypatch, qtbot):
    listing = [pico("/dev/ttyACM0")]
    polled = threading.Event()

    def list_boards():
        polled.set()
        return list(listing)

    monkeypatch.setattr(board_watcher, "list_boards", list_boards)
    watcher = BoardWatcher(interval=0.05)
    seen: list[tuple[list[str], bool]] = []
    watcher.boards_changed.connect(
        lambda boards: seen.append(([b.port for b in boards],
                                    threading.current_thread() is threading.main_thread())))
    watcher.start()
    try:
        qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
        polled.clear()
        assert polled.wait(2) and polled.wait(2)  # polling goes on: nothing new to say
        qtbot.wait(200)
        assert seen == [(["/dev/ttyACM0"], True)]
        listing.append(pico("/dev/ttyACM1", "E662"))
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
        listing.clear()
        qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
        assert seen[1:] == [(["/dev/ttyACM0", "/dev/ttyACM1"], True), ([], True)]
        assert watcher.boards() == []
    finally:
        watcher.stop()


def test_a_failing_usb_listing_does_not_stop_the_watcher(no_env, monkeypatch):
    def broken():
        raise OSError("sysfs went away")

    monkeypatch.setattr(board_watcher, "list_boards", broken)
    assert current_boards([]) == []


def test_a_window_deleted_under_the_watcher_is_no_crash(no_env, monkeypatch, qtbot):
    """Quitting deletes the window while the watcher thread may be posting a new list."""
    import itertools
    import time

    from PyQt5 import sip
    from PyQt5.QtCore import QObject

    numbers = itertools.count()
    monkeypatch.setattr(board_watcher, "list_boards",
                        lambda: [pico(f"/dev/ttyACM{next(numbers)}")])  # new every poll
    errors: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    window = QObject()
    watcher = BoardWatcher(interval=0.005, parent=window)
    watcher.start()
    qtbot.waitUntil(lambda: len(watcher.boards()) == 1, timeout=5000)
    sip.delete(window)
    time.sleep(0.3)  # the thread goes on polling and posting for a while
    watcher.stop()
    assert errors == []
