"""Run the current tab on a board and show it in the output pane: Run, Stop, input, the ending.

Joins a ``BoardConnection`` (the board's worker thread) to the ``OutputPane``:

* the program is sent with ``Board.run(..., clean=False)``: no soft reset and no re-identify
  per run, so on an open board the first output of a one-line program shows within a few
  milliseconds of Run (``bench/board_window.py``); the tab's path or title is the traceback's
  file name, which the pane turns into links that jump to the tab;
* output arrives on the worker thread as the board sends it and crosses to the GUI thread
  through one coalescing queue (``BoardOutput``): a flood leaves at most one signal waiting,
  and the pane's ``feed`` paints it in bounded batches;
* Stop is ``Board.interrupt`` on a helper thread (never the GUI thread, never behind the
  running job), which the engine resends if the program swallows it;
* ``input()``: the line typed in the pane goes to ``Board.send_input``; MicroPython echoes what
  its ``input()`` reads, and the pane has shown the line already, so the echo is dropped
  (``EchoFilter``); Ctrl+D is ``Board.close_input`` (EOFError in the program).
"""

from __future__ import annotations

import logging
import threading

from PyQt5.QtCore import QObject, Qt, QTimer, pyqtSignal

from presenter.core.output import STDERR, STDOUT
from presenter.device import Board, DeviceError, Disconnected, RunResult
from presenter.modes.board_connection import BoardConnection, JobControl
from presenter.qt.output_pane import OutputPane

log = logging.getLogger(__name__)

PENDING_CAP = 1 << 22  # characters waiting for the GUI thread before the oldest are dropped
# The engine resends Ctrl-C for about 3 s; past that the program ignores it (kbd_intr(-1), a
# bare except in a loop) and only a reset helps: the speaker is told so.
STOP_PATIENCE_MS = 4000


class EchoFilter:
    """Drops the board's echo of lines typed for ``input()`` (the pane shows them already).

    The echo is expected right after the line is sent; text that does not match it means the
    board did not echo (a program not reading yet), and is shown untouched from then on.
    """

    def __init__(self) -> None:
        self._expected = ""

    def expect(self, text: str) -> None:
        self._expected += text

    def filter(self, text: str) -> str:
        if not self._expected:
            return text
        same = 0
        limit = min(len(text), len(self._expected))
        while same < limit and text[same] == self._expected[same]:
            same += 1
        if same == limit:  # all of it was echo (so far), or the echo is complete
            self._expected = self._expected[same:]
            return text[same:]
        self._expected = ""  # not an echo: show everything from the first difference
        return text[same:]


class BoardOutput(QObject):
    """Text from the worker thread, handed to the GUI thread in order with one pending signal."""

    _ready = pyqtSignal()

    def __init__(self, deliver, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._deliver = deliver
        self._lock = threading.Lock()
        self._pieces: list[tuple[str, str]] = []
        self._chars = 0
        self._ready.connect(self.drain, Qt.QueuedConnection)

    def put(self, stream: str, text: str) -> None:
        """Worker thread: queue ``text``; signal only if nothing was waiting."""
        if not text:
            return
        with self._lock:
            first = not self._pieces
            self._pieces.append((stream, text))
            self._chars += len(text)
            while self._chars > PENDING_CAP and len(self._pieces) > 1:
                # The GUI thread is far behind (blocked?): what is dropped would scroll out.
                self._chars -= len(self._pieces.pop(0)[1])
        if first:
            self._ready.emit()

    def drain(self) -> None:
        """GUI thread: everything waiting goes to ``deliver(stream, text)``, in order."""
        with self._lock:
            pieces, self._pieces, self._chars = self._pieces, [], 0
        for stream, text in pieces:
            self._deliver(stream, text)


def describe_ending(result: RunResult, board_name: str) -> str:
    """The info line after a run, in the words of the output pane's Python runs."""
    ending = {
        "normal": "Program finished",
        "exception": "Program ended with an error",
        "interrupted": "Program stopped",
        "soft_reboot": "Program ended and restarted the board (soft reboot)",
        "reset": "The board reset while the program ran",
    }.get(result.ending, f"Program ended ({result.ending})")
    text = f"{ending} on the {board_name}"
    if result.stripped:
        text += " (comments and docstrings were left out to fit its memory; lines unchanged)"
    return text


class BoardRun(QObject):
    """Run/Stop/input for programs on one connection, shown in one output pane."""

    # ---- Signals

    started = pyqtSignal()
    """A program was sent to the board (the pane accepts input)."""

    finished = pyqtSignal(str)
    """The run ended: the info line shown for it."""

    stop_ignored = pyqtSignal()
    """Stop was pressed ``STOP_PATIENCE_MS`` ago and the program still runs (it ignores Ctrl-C)."""

    # ---- Construction

    def __init__(self, connection: BoardConnection, pane: OutputPane,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connection = connection
        self._pane = pane
        self._output = BoardOutput(self._show, self)
        self._echo = EchoFilter()
        self._running = False
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.setInterval(STOP_PATIENCE_MS)
        self._stop_timer.timeout.connect(self._check_stopped)

    # ---- Public API

    def is_running(self) -> bool:
        return self._running

    def run(self, source: str, filename: str, board_name: str) -> None:
        """Send ``source`` (the tab named ``filename``) to the board; returns at once."""
        if self._running:
            return
        self._running = True
        self._echo = EchoFilter()
        pane = self._pane
        pane.clear()
        pane.set_path_aliases({}, {})
        pane.set_running(True)
        output = self._output

        def work(board: Board, control: JobControl) -> RunResult:
            return board.run(source, lambda text: output.put(STDOUT, text),
                             lambda text: output.put(STDERR, text),
                             clean=False, filename=filename)

        self._connection.call(work, done=lambda r: self._end(describe_ending(r, board_name)),
                              failed=lambda exc: self._end(self._failure(exc, board_name)))
        self.started.emit()

    def stop(self) -> None:
        """Ctrl-C to the board (resent while it keeps running); returns at once."""
        if self._running:
            self._connection.interrupt()
            if not self._stop_timer.isActive():
                self._stop_timer.start()

    def send_input(self, line: str) -> None:
        """A line typed in the pane (already shown there) for the program's input()."""
        if self._running:
            self._echo.expect(line + "\n")
            self._connection.send_input(line + "\n")

    def close_input(self) -> None:
        if self._running:
            self._connection.close_input()

    # ---- GUI thread

    def _show(self, stream: str, text: str) -> None:
        if stream == STDOUT:
            text = self._echo.filter(text)
        if text:
            self._pane.feed(stream, text)

    def _check_stopped(self) -> None:
        if self._running:
            self.stop_ignored.emit()

    def _end(self, description: str) -> None:
        self._output.drain()  # everything the board sent comes before the info line
        self._running = False
        self._stop_timer.stop()
        self._pane.set_running(False)
        self._pane.feed_info(description)
        self.finished.emit(description)

    @staticmethod
    def _failure(exc: Exception, board_name: str) -> str:
        if isinstance(exc, Disconnected):
            return (f"The {board_name} was disconnected while the program ran: plug it in "
                    "again and Presenter reconnects. Your code is still in the tab.")
        if isinstance(exc, DeviceError):
            return str(exc)
        log.error("board run failed", exc_info=exc)
        return f"The run failed: {exc}"
