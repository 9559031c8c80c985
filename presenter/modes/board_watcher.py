"""Which boards are plugged in, kept current by a background thread: hot-plug without a dialog.

Why a thread: listing USB serial ports reads sysfs (or asks the OS) and can take tens of
milliseconds; done on the GUI thread every second it would stutter the stage. The thread
polls about once a second and the GUI hears only *changes*, as one queued signal.

What counts as a board:

* every MicroPython board pyserial lists (``device.list_boards``: micro:bit, Pico, ...);
* ports given by hand, because a pty or an odd adapter never shows up in that list: the
  ``PRESENTER_PORT`` environment variable, ``PRESENTER_PORTS`` (several, separated as in
  ``PATH``, as ``presenter flash --all`` reads it) and each board mode's ``port`` setting.
  They are listed while they exist (a path) or always (a URL such as ``rfc2217://``), with
  kind "unknown": the board says what it is once it is opened.

Tests point the watcher at ptys with those variables, or replace ``list_boards`` in this
module (a board that "comes back" on a new port with the same serial number).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from PyQt5.QtCore import QObject, pyqtSignal

from presenter.device import BoardInfo, list_boards
from presenter.device.ports import ENV_VAR, PORTS_ENV_VAR
from presenter.modes.board_choice import HAND_GIVEN
from presenter.qt.workers import GuiPost

log = logging.getLogger(__name__)

POLL_INTERVAL = 1.0  # s; an unplug is noticed within this plus the listing's own time


def hand_given_ports(settings_ports: list[str]) -> list[str]:
    """Ports named by hand, in the CLI's order of precedence, without duplicates."""
    ports = [os.environ.get(ENV_VAR, "")]
    ports += os.environ.get(PORTS_ENV_VAR, "").split(os.pathsep)
    ports += settings_ports
    seen: list[str] = []
    for port in (p.strip() for p in ports):
        if port and port not in seen:
            seen.append(port)
    return seen


def _present(port: str) -> bool:
    """A URL cannot be checked without connecting; a path must exist (a pty vanishes)."""
    return "://" in port or os.path.exists(port)


def current_boards(settings_ports: list[str]) -> list[BoardInfo]:
    """Detected boards, then the ports given by hand that exist (one entry per port)."""
    try:
        detected = list_boards()
    except Exception as exc:  # noqa: BLE001 - a broken USB stack must not kill the watcher
        log.warning("listing boards failed: %s", exc)
        detected = []
    boards = [b for b in detected]
    known = {b.port for b in boards}
    for port in hand_given_ports(settings_ports):
        if port not in known and _present(port):
            boards.append(BoardInfo(port=port, kind=HAND_GIVEN, name="board given by hand",
                                    description="given by hand"))
            known.add(port)
    return boards


class BoardWatcher(QObject):
    """App-wide list of boards; ``boards_changed`` on the GUI thread when it changes."""

    # ---- Signals

    boards_changed = pyqtSignal(object)
    """The list of boards changed: the new ``list[BoardInfo]`` (plugged, unplugged, back)."""

    # ---- Construction

    def __init__(self, settings_ports: Callable[[], list[str]] = list,
                 interval: float = POLL_INTERVAL, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings_ports = settings_ports
        self._interval = interval
        self._boards: list[BoardInfo] = []
        self._post = GuiPost(self)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- Public API (GUI thread)

    def boards(self) -> list[BoardInfo]:
        """The boards as of the last poll (no I/O)."""
        return list(self._boards)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="board-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def refresh(self) -> None:
        """Poll now (a setting changed, the user opened the board menu); returns at once."""
        self._wake.set()

    # ---- Watcher thread

    def _loop(self) -> None:
        previous: list[BoardInfo] | None = None
        while not self._stop.is_set():
            try:
                ports = list(self._settings_ports())
            except Exception:  # noqa: BLE001 - settings being edited: try again next time
                ports = []
            boards = current_boards(ports)
            if boards != previous:
                previous = boards
                self._post.post(self._publish, boards)
            self._wake.wait(self._interval)
            self._wake.clear()

    # ---- GUI thread

    def _publish(self, boards: list[BoardInfo]) -> None:
        if self._stop.is_set():
            return
        self._boards = boards
        self.boards_changed.emit(list(boards))
