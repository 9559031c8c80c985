"""Find a board again after it was unplugged, by serial number (the port name may change).

Polls ``list_boards`` with back-off (0.1 s growing to 1 s) and sleeps on an Event, never a
busy loop; ``stop`` lets the GUI cancel a wait at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from presenter.device.ports import BoardInfo
from presenter.device.ports import list_boards as _list_boards


def wait_for_board(
    serial_number: str,
    timeout: float,
    list_boards: Callable[[], list[BoardInfo]] = _list_boards,
    stop: threading.Event | None = None,
    first_delay: float = 0.1,
    max_delay: float = 1.0,
) -> BoardInfo | None:
    """The board with ``serial_number`` once it is (back) on USB, or None after ``timeout``."""
    stop = stop or threading.Event()
    deadline = time.monotonic() + timeout
    delay = first_delay
    while True:
        for board in list_boards():
            if board.serial_number == serial_number:
                return board
        remaining = deadline - time.monotonic()
        if remaining <= 0 or stop.is_set():
            return None
        if stop.wait(min(delay, remaining)):
            return None
        delay = min(max_delay, delay * 2)


def wait_for_port_gone(port: str, timeout: float, list_boards=_list_boards) -> bool:
    """True once ``port`` has disappeared from the board list (e.g. after a reset to BOOTSEL)."""
    deadline = time.monotonic() + timeout
    delay = 0.1
    while time.monotonic() < deadline:
        if all(b.port != port for b in list_boards()):
            return True
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(1.0, delay * 2)
    return False
