"""The board engine: find MicroPython boards, run code on them, move files. No Qt, no printing.

Public names for the CLI, modes and plugins; everything else is internal.

How to use it (GUI and CLI)::

    port = resolve_port(None, settings_port)          # or a BoardInfo.port from list_boards()
    board = Board.open(port)                          # blocks ~0.1-1.5 s: worker thread
    board.identity.board_name, board.identity.kind    # "micro:bit v1.0.1", "microbit"
    result = board.run(source, on_stdout, on_stderr)  # blocks until the program ends
    # from the GUI thread, while run() blocks on the worker:
    board.interrupt()                                 # Stop; resent every 0.4 s if swallowed
    board.send_input("Ada\n")                         # a line for input()
    board.files.write("main.py", data, progress=cb)   # False when skipped (unchanged)
    # cancel=threading.Event(): set it from any thread; TransferCancelled says what was left
    board.soft_reset()                                # main.py runs
    board.start_terminal(on_text); board.terminal_write(b"1+1\r"); board.stop_terminal()
    board.close()

Every method blocks and belongs on ONE worker thread per board, except ``interrupt()`` and
``send_input()`` (any thread).  Callbacks run on the worker thread (``run``) or the port's
reader thread (terminal): emit a Qt signal from them, never touch widgets.  Errors are
DeviceError subclasses whose ``str()`` is one sentence naming the port: show it as is.
After ``Disconnected``, ``wait_for_board(info.serial_number, timeout)`` finds the board again
(maybe on a new port) and ``Board.open`` starts a fresh session.
"""

from presenter.device.boards import PROFILES, BoardProfile
from presenter.device.errors import (
    BoardError,
    DeviceError,
    Disconnected,
    NoResponse,
    PermissionDenied,
    PortBusy,
    PortNotFound,
)
from presenter.device.files import FileEntry, TransferCancelled, TransferInterrupted
from presenter.device.ports import BoardInfo, list_boards, resolve_port
from presenter.device.repl import RunResult, State
from presenter.device.session import Board, BoardIdentity
from presenter.device.space import NoSpace
from presenter.device.watcher import wait_for_board

__all__ = [
    "PROFILES",
    "Board",
    "BoardError",
    "BoardIdentity",
    "BoardInfo",
    "BoardProfile",
    "DeviceError",
    "Disconnected",
    "FileEntry",
    "NoResponse",
    "NoSpace",
    "PermissionDenied",
    "PortBusy",
    "PortNotFound",
    "RunResult",
    "State",
    "TransferCancelled",
    "TransferInterrupted",
    "list_boards",
    "resolve_port",
    "wait_for_board",
]
