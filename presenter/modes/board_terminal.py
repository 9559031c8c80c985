"""Joins a Board's REPL passthrough to a ReplPane: keys go to the board, its text to the pane.

A board mode makes one ``BoardTerminal`` per connected board. Wiring it is a few lines::

    terminal = BoardTerminal(board, pane, submit=worker.submit)  # the board's worker thread
    terminal.error_occurred.connect(context.show_message)
    terminal.start()                   # the REPL pane was shown
    terminal.stop(); <run on worker>; terminal.start()   # Run shares the one connection

Threads: every Board call (start/stop the terminal, write keys, paste) is handed to
``submit``, which runs it on the board's worker thread, never the GUI thread (a blocked
write would freeze the stage). Without ``submit`` the terminal runs its own ``CallQueue``.
The board's text arrives on the port's reader thread and crosses to the GUI thread as a
queued signal; chunks are coalesced, so a flood leaves at most one signal waiting, and the
pane is handed at most ``DELIVER_CHARS`` per event-loop turn, so keys, Stop and repaints get
their turn between pieces of a flood (``bench/repl_flood.py`` measures the stall).

Nothing typed is lost: keys typed while the terminal is stopped (a Run is using the
connection) are held and sent once it is started again, in order; a paste is never split
from the keys around it. Pastes with a line break use the engine's echo-paced paste mode
(``Board.terminal_paste``), which a micro:bit V1's 64-byte receive buffer needs, and only from
an empty ``>>>`` prompt (elsewhere a message says what to do; nothing is sent); a single
line is typed at the prompt.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from PyQt5.QtCore import QObject, Qt, pyqtSignal

from presenter.device import Board, DeviceError
from presenter.qt.repl_pane import ReplPane

log = logging.getLogger(__name__)

Submit = Callable[[Callable[[], None]], None]

PENDING_TEXT_CAP = 1 << 20  # characters of board text kept while the GUI thread is busy
PROMPT = ">>> "  # MicroPython's (and CircuitPython's) friendly prompt
DELIVER_CHARS = 1 << 15  # characters handed to the pane per event-loop turn (~10 ms of parsing)
HELD_INPUT_CAP = 1 << 16  # bytes typed/pasted while the terminal is stopped


class CallQueue:
    """Runs callables one after another on one daemon thread: a board's worker in miniature.

    Used when no worker is given (tests, tools); a board mode passes its worker's submit.
    """

    def __init__(self, name: str = "board-terminal") -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def close(self, timeout: float = 5.0) -> None:
        """Finish the queued jobs, then end the thread (waits at most ``timeout`` s)."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()  # BoardTerminal's jobs catch their own errors


class BoardTerminal(QObject):
    """The REPL pane's connection to one board."""

    # ---- Signals

    error_occurred = pyqtSignal(str)
    """A board call failed; one sentence naming the port (DeviceError text), for the status bar."""

    started = pyqtSignal()
    """The terminal is on: the board's text now reaches the pane and keys reach the board."""

    _text_ready = pyqtSignal()  # reader thread -> GUI thread: pending text to show
    _start_done = pyqtSignal(int, bool)  # worker -> GUI thread: (generation, succeeded)

    # ---- Construction

    def __init__(self, board: Board, pane: ReplPane, submit: Submit | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._board = board
        self._pane = pane
        self._own_queue = CallQueue(f"board-terminal {board.port}") if submit is None else None
        self._submit: Submit = submit or self._own_queue.submit  # type: ignore[union-attr]
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._pending_chars = 0
        self._open_keys: bytearray | None = None  # a queued write that can still take more keys
        self._active = False  # GUI thread's view: keys go to the board (else they are held)
        self._generation = 0  # bumped by start() and stop(): a late start must not win
        self._held: list[bytes | str] = []  # bytes = keys, str = a paste
        self._held_size = 0
        self._text_ready.connect(self._deliver, Qt.QueuedConnection)
        self._start_done.connect(self._on_started, Qt.QueuedConnection)
        pane.keys_typed.connect(self.type_keys)
        pane.paste_requested.connect(self.paste)

    # ---- Public API

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> None:
        """Show the board's prompt in the pane (after connecting, after a Run)."""
        self._generation += 1
        generation = self._generation
        self._submit(lambda: self._start_on_worker(generation))

    def stop(self) -> None:
        """Hand the connection back (before a Run, a file transfer, hiding the pane).

        Keys typed from now on are held until ``start()``.
        """
        self._active = False
        self._generation += 1
        with self._lock:
            self._open_keys = None
        self._submit(self._guarded(self._board.stop_terminal))

    def close(self) -> None:
        """Stop and let go of the pane; the board stays open (it belongs to the mode)."""
        try:
            self._pane.keys_typed.disconnect(self.type_keys)
            self._pane.paste_requested.disconnect(self.paste)
        except TypeError:
            pass  # already disconnected
        self.stop()
        if self._own_queue is not None:
            self._own_queue.close()

    def type_keys(self, data: bytes) -> None:
        """Keys from the pane: sent on the worker; consecutive keys share one paced write."""
        if not self._active:
            self._hold(data)
            return
        with self._lock:
            if self._open_keys is not None:
                self._open_keys.extend(data)
                return
            buffer = self._open_keys = bytearray(data)
        self._submit(lambda: self._write_keys(buffer))

    def paste(self, text: str) -> None:
        """A paste from the pane: echo-paced paste mode for code, typed for a single line."""
        if not self._active:
            self._hold(text)
            return
        multi_line = "\n" in text or "\r" in text
        if multi_line and not self._at_empty_prompt():
            # Paste mode (Ctrl-E) only starts on an empty >>> line; elsewhere the board takes
            # Ctrl-E as "end of line" and the paste would time out with a puzzling message.
            self.error_occurred.emit(
                "Paste code at an empty >>> prompt: press Ctrl+C to clear the line (or stop "
                "the program), then paste again.")
            return
        with self._lock:
            self._open_keys = None  # keys typed after the paste must follow it
        if multi_line:
            job = self._guarded(lambda: self._board.terminal_paste(text))
        else:
            data = text.encode("utf-8")
            job = self._guarded(lambda: self._board.terminal_write(data))
        self._submit(job)

    def _at_empty_prompt(self) -> bool:
        """Does the pane show the cursor right after a bare ``>>> `` (nothing typed)?"""
        model = self._pane.model
        row, col = model.cursor
        line = model.lines[row].text
        return line[:col] == PROMPT and not line[col:].strip()

    # ---- Worker thread

    def _start_on_worker(self, generation: int) -> None:
        try:
            self._board.start_terminal(self._on_board_text)
        except DeviceError as exc:
            self.error_occurred.emit(str(exc))
            self._start_done.emit(generation, False)
            return
        except Exception as exc:  # noqa: BLE001 - a bug must reach the user, not kill the worker
            log.exception("starting the REPL on %s", self._board.port)
            self.error_occurred.emit(f"The REPL on {self._board.port} could not start: {exc}")
            self._start_done.emit(generation, False)
            return
        self._start_done.emit(generation, True)

    def _write_keys(self, buffer: bytearray) -> None:
        with self._lock:
            if self._open_keys is buffer:
                self._open_keys = None  # closed: later keys start a new write
            data = bytes(buffer)
        self._guarded(lambda: self._board.terminal_write(data))()

    def _guarded(self, call: Callable[[], object]) -> Callable[[], None]:
        """``call`` with failures turned into ``error_occurred`` (the worker must live on)."""

        def job() -> None:
            try:
                call()
            except DeviceError as exc:
                self.error_occurred.emit(str(exc))
            except Exception as exc:  # noqa: BLE001
                log.exception("REPL call on %s", self._board.port)
                self.error_occurred.emit(f"The REPL on {self._board.port} failed: {exc}")

        return job

    # ---- Reader thread -> GUI thread

    def _on_board_text(self, text: str) -> None:
        """Called on the port's reader thread for every read: queue it, signal once."""
        with self._lock:
            first = not self._pending
            self._pending.append(text)
            self._pending_chars += len(text)
            while self._pending_chars > PENDING_TEXT_CAP and len(self._pending) > 1:
                # The GUI has fallen far behind a flood: older text would scroll out anyway.
                self._pending_chars -= len(self._pending.pop(0))
        if first:
            self._text_ready.emit()

    def _deliver(self) -> None:
        with self._lock:
            text = "".join(self._pending)
            if len(text) > DELIVER_CHARS:  # the rest after other events had their turn
                text, rest = text[:DELIVER_CHARS], text[DELIVER_CHARS:]
                self._pending[:] = [rest]
                self._pending_chars = len(rest)
            else:
                self._pending.clear()
                self._pending_chars = 0
            more = bool(self._pending)
        if more:
            self._text_ready.emit()  # queued: runs after what is already waiting
        if text:
            self._pane.feed(text)

    # ---- GUI thread

    def _hold(self, item: bytes | str) -> None:
        size = len(item)
        if self._held_size + size > HELD_INPUT_CAP:
            self.error_occurred.emit("The REPL is not connected: what you typed could not be kept.")
            return
        self._held.append(item)
        self._held_size += size

    def _on_started(self, generation: int, ok: bool) -> None:
        if not ok or generation != self._generation:
            return  # failed (already reported), or stop() came after this start
        self._active = True
        held, self._held, self._held_size = self._held, [], 0
        for item in held:
            if isinstance(item, bytes):
                self.type_keys(item)
            else:
                self.paste(item)
        self.started.emit()
