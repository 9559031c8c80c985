"""One connected board, owned by one worker thread; results and events reach the GUI by signal.

Why: every ``Board`` call blocks (serial I/O, waiting for the board), and the stage must never
freeze, so a board belongs to exactly one worker thread (``qt.workers.Worker``). Opening,
identifying, running, file transfers and the REPL terminal all go through it, one at a time,
in the order asked. Nothing here runs serial I/O on the GUI thread, and only the three calls
the engine allows from any thread (``interrupt``, ``send_input``, ``close_input``) skip the
queue: they go to a small helper thread of their own, because even they write to the port.

**The contract panes build on** (the Files pane, the REPL, the board modes)::

    connection = mode.connection                      # a BoardConnection, stable for the mode
    connection.connected.connect(on_connected)        # ConnectedBoard: port, name, kind, flat_fs
    connection.disconnected.connect(on_disconnected)  # str: one sentence saying why
    connection.is_connected()                         # the GUI thread's view, no I/O
    connection.board                                  # the ConnectedBoard, or None
    job = connection.call(work, done=..., failed=..., progress=...)
    job.cancel()                                      # sets JobControl.cancelled for work()

``work(board, control)`` runs on the worker thread with the open ``presenter.device.Board``;
``control.progress(done, total)`` reports progress (delivered coalesced, newest figures only)
and ``control.cancelled`` is a ``threading.Event``. ``done(result)``, ``failed(exc)`` and
``progress(done, total)`` run on the GUI thread, in order (the last progress before ``done``).
A ``DeviceError`` (``Disconnected``, ``NoResponse``, ``BoardError``...) raised by ``work``
arrives in ``failed``; with no board connected ``failed`` gets ``Disconnected`` at once.
When the board goes away (unplugged, reset, cable) ``disconnected`` is emitted once, within
about 0.3 s of the engine noticing, also while nothing is running. ``submit(job)`` runs a
plain callable on the worker (no board argument, no callbacks).

Opening is asynchronous: ``open(info)`` returns at once; ``connected`` or ``connect_failed``
follows. Reconnecting after an unplug is the mode's decision (it watches the board list);
the connection only opens and closes what it is told.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PyQt5.QtCore import QObject, pyqtSignal

from presenter.device import (
    Board,
    BoardIdentity,
    BoardInfo,
    DeviceError,
    Disconnected,
    PortBusy,
)
from presenter.modes.board_terminal import CallQueue
from presenter.qt.workers import Job, JobControl, Worker

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = ["BoardConnection", "ConnectedBoard", "Job", "JobControl"]

OpenBoard = Callable[[BoardInfo], Board]
BUSY_PATIENCE = 2.5  # s a busy port is retried before "in use by another program" is shown


@dataclass(frozen=True)
class ConnectedBoard:
    """What is known about the open board, for status lines and panes.

    ``name`` is what the firmware calls the board ("micro:bit v1.0.1", "Raspberry Pi Pico
    with RP2040" → "Raspberry Pi Pico"), ``kind`` the engine's family ("microbit", "pico",
    "esp32", "micropython"), ``flat_fs`` True when the board has no folders (micro:bit).
    """

    port: str
    name: str
    kind: str
    flat_fs: bool
    serial_number: str | None
    identity: BoardIdentity

    def label(self) -> str:
        """``micro:bit v1.0.1 on /dev/ttyACM0``: the status bar's words."""
        return f"{self.name} on {self.port}"


def _open(info: BoardInfo) -> Board:
    return Board.open(info.port, timeout=5.0)


class BoardConnection(QObject):
    """The mode's connection to its board: open/close, and every board call, off the GUI."""

    # ---- Signals

    connected = pyqtSignal(object)
    """A board was opened and identified: the ``ConnectedBoard``."""

    disconnected = pyqtSignal(str)
    """The open board went away or was closed: one sentence saying why (for the status bar)."""

    connect_failed = pyqtSignal(str)
    """``open()`` did not succeed: the engine's one-sentence reason (port busy, no answer...)."""

    # ---- Construction

    def __init__(self, parent: QObject | None = None, open_board: OpenBoard = _open,
                 name: str = "board") -> None:
        super().__init__(parent)
        self._open_board = open_board
        self._name = name
        self._worker: Worker | None = None
        self._helper: CallQueue | None = None  # Stop and input: never behind a long job
        # Worker thread's state: the open Board and the generation it was opened for.
        self._board: Board | None = None
        self._lost_reported = False
        # GUI thread's view.
        self._info: ConnectedBoard | None = None
        self._opening: str | None = None  # port being opened
        self._generation = 0  # bumped by open() and close(): late results of old ones are dropped

    # ---- Public API (GUI thread)

    @property
    def board(self) -> ConnectedBoard | None:
        """The connected board, or None (also while opening)."""
        return self._info

    @property
    def opening(self) -> str | None:
        """The port being opened right now, if any."""
        return self._opening

    def is_connected(self) -> bool:
        return self._info is not None

    @property
    def session(self) -> Board | None:
        """The open engine ``Board``, for helpers that queue their own jobs with ``submit``
        (the REPL's ``BoardTerminal``). Call its methods on the worker thread only."""
        return self._board if self._info is not None else None

    def open(self, info: BoardInfo) -> None:
        """Close the current board (if any) and open ``info.port`` on the worker."""
        self._generation += 1
        generation = self._generation
        had_board = self._info is not None
        self._info = None
        self._opening = info.port
        worker = self._ensure_worker()
        if had_board:
            self.disconnected.emit("Switched to another board.")
        worker.submit(lambda: self._open_on_worker(info, generation))

    def close(self, reason: str = "") -> None:
        """Close the board (a running program keeps running on it); ``disconnected`` if open."""
        self._generation += 1
        self._opening = None
        was_open = self._info is not None
        self._info = None
        if self._worker is not None:
            self._worker.submit(self._close_on_worker)
        if was_open:
            self.disconnected.emit(reason or "Disconnected from the board.")

    def shutdown(self, timeout: float = 0.0) -> None:
        """Close the board and end the threads (leaving the mode, closing the window).

        ``timeout`` > 0 waits that long for the worker to finish (tools and tests); the
        window never waits.
        """
        self.close("Presenter let go of the board.")
        if self._worker is not None:
            self._worker.close(timeout)
            self._worker = None
        if self._helper is not None:
            self._helper.close(0.0)
            self._helper = None

    def submit(self, job: Callable[[], None]) -> None:
        """Run ``job()`` on the board's worker thread, after what is queued already."""
        worker = self._ensure_worker()
        worker.submit(lambda: self._after(job))

    def call(
        self,
        work: Callable[[Board, JobControl], T],
        *,
        done: Callable[[T], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Job[T]:
        """Run ``work(board, control)`` on the worker; callbacks on the GUI thread."""
        worker = self._ensure_worker()

        def run(control: JobControl) -> T:
            board = self._board
            if board is None or not board.connected:
                raise Disconnected("No board is connected: plug one in (or give its port by hand).")
            try:
                return work(board, control)
            finally:
                self._check_lost()

        return worker.call(run, done=done, failed=failed, progress=progress)

    def interrupt(self) -> None:
        """Stop the running program (Ctrl-C, resent by the engine if swallowed); returns at once."""
        self._on_helper(lambda board: board.interrupt())

    def send_input(self, text: str) -> None:
        """Text for the running program's input(), sent in order with other input."""
        self._on_helper(lambda board: board.send_input(text))

    def close_input(self) -> None:
        """End of input for the running program (its input() raises EOFError)."""
        self._on_helper(lambda board: board.close_input())

    def beside(
        self,
        work: Callable[[Board], T],
        *,
        done: Callable[[T], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``work(board)`` beside the worker's job (a running program), as Stop is.

        Only for the engine calls that may overlap ``Board.run``: ``interrupt``, input,
        ``hard_reset`` (a program that ignores Stop keeps the worker busy for good, and that
        is when a reset is wanted). ``done``/``failed`` run on the GUI thread; with no board,
        ``failed`` gets ``Disconnected``.
        """
        board = self._board
        worker = self._ensure_worker()
        if board is None:
            if failed is not None:
                failed(Disconnected("No board is connected: plug one in (or give its port by hand)."))
            return
        if self._helper is None:
            self._helper = CallQueue(f"{self._name}-input")

        def job() -> None:
            try:
                value = work(board)
            except Exception as exc:  # noqa: BLE001 - reported to the caller, not lost
                if failed is not None:
                    worker.post.post(failed, exc)
                return
            if done is not None:
                worker.post.post(done, value)

        self._helper.submit(job)

    # ---- Worker thread

    def _ensure_worker(self) -> Worker:
        if self._worker is None:
            self._worker = Worker(f"{self._name}-worker", idle=self._check_lost,
                                  idle_interval=0.2, parent=self)
        return self._worker

    def _on_helper(self, call: Callable[[Board], object]) -> None:
        board = self._board
        if board is None:
            return
        if self._helper is None:
            self._helper = CallQueue(f"{self._name}-input")

        def job() -> None:
            try:
                call(board)
            except DeviceError as exc:
                log.info("board call on %s: %s", board.port, exc)

        self._helper.submit(job)

    def _after(self, job: Callable[[], None]) -> None:
        try:
            job()
        finally:
            self._check_lost()

    def _open_on_worker(self, info: BoardInfo, generation: int) -> None:
        self._close_on_worker()
        board: Board | None = None
        try:
            board = self._open_retrying_busy(info)
            identity = board.identity or board.identify()
        except DeviceError as exc:
            if board is not None:
                board.close()
            self._post(self._on_open_failed, generation, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a bug must reach the user, not kill the worker
            log.exception("opening %s", info.port)
            if board is not None:
                board.close()
            self._post(self._on_open_failed, generation, f"Could not open {info.port}: {exc}")
            return
        self._board = board
        self._lost_reported = False
        # "micro:bit with nRF51822" (no banner) reads as "micro:bit": the chip is noise here.
        name = (identity.board_name or "").split(" with ")[0] or board.profile.name
        connected = ConnectedBoard(
            port=info.port,
            name=name,
            kind=identity.kind,
            flat_fs=board.profile.flat_fs or "mkdir" not in identity.features,
            serial_number=info.serial_number,
            identity=identity,
        )
        self._post(self._on_opened, generation, connected)

    def _open_retrying_busy(self, info: BoardInfo) -> Board:
        """Open ``info.port``; while it is busy, try again for a moment.

        The mode that had the board a moment ago (a switch between board modes) or a tool
        that just quit may still be letting go of the port: that is no reason to give up.
        """
        deadline = time.monotonic() + BUSY_PATIENCE
        while True:
            try:
                return self._open_board(info)
            except PortBusy:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _close_on_worker(self) -> None:
        board, self._board = self._board, None
        if board is not None:
            try:
                board.close()
            except Exception:  # noqa: BLE001 - closing a vanished port may complain
                log.debug("closing %s", board.port, exc_info=True)

    def _check_lost(self) -> None:
        """Worker thread, between jobs and when idle: did the port go away?"""
        board = self._board
        if board is None or board.connected or self._lost_reported:
            return
        self._lost_reported = True
        reason = (f"The board on {board.port} was disconnected (unplugged or reset): "
                  "plug it in again.")
        self._close_on_worker()
        self._post(self._on_lost, board.port, reason)

    def _post(self, call: Callable[..., None], *args) -> None:
        worker = self._worker
        if worker is not None:
            worker.post.post(call, *args)

    # ---- GUI thread

    def _on_opened(self, generation: int, info: ConnectedBoard) -> None:
        if generation != self._generation:
            return  # closed or reopened meanwhile; the worker closes it with the next job
        self._opening = None
        self._info = info
        self.connected.emit(info)

    def _on_open_failed(self, generation: int, reason: str) -> None:
        if generation != self._generation:
            return
        self._opening = None
        self.connect_failed.emit(reason)

    def _on_lost(self, port: str, reason: str) -> None:
        if self._info is None or self._info.port != port:
            return
        self._info = None
        self.disconnected.emit(reason)
