"""The board engine: find MicroPython boards, run code on them, move files. No Qt, no printing.

Public names for the CLI, modes and plugins; everything else is internal.
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
from presenter.device.files import FileEntry
from presenter.device.ports import BoardInfo, list_boards, resolve_port
from presenter.device.repl import RunResult, State
from presenter.device.session import Board, BoardIdentity
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
    "PermissionDenied",
    "PortBusy",
    "PortNotFound",
    "RunResult",
    "State",
    "list_boards",
    "resolve_port",
    "wait_for_board",
]
