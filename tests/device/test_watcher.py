"""Finding a board again by serial number, with back-off polling."""

from __future__ import annotations

import threading
import time

from presenter.device import BoardInfo
from presenter.device.watcher import wait_for_board


def test_board_returns_on_new_port():
    calls = []
    start = time.monotonic()

    def boards():
        calls.append(time.monotonic() - start)
        if time.monotonic() - start > 0.5:
            return [BoardInfo("/dev/ttyACM1", serial_number="other"), BoardInfo("/dev/ttyACM2", serial_number="abc")]
        return []

    found = wait_for_board("abc", 3.0, list_boards=boards)
    assert found is not None and found.port == "/dev/ttyACM2"
    assert len(calls) < 10  # back-off, not a busy loop


def test_timeout_and_stop():
    start = time.monotonic()
    assert wait_for_board("abc", 0.5, list_boards=lambda: []) is None
    assert 0.4 < time.monotonic() - start < 1.5
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    start = time.monotonic()
    assert wait_for_board("abc", 10, list_boards=lambda: [], stop=stop) is None
    assert time.monotonic() - start < 1.5
