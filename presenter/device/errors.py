"""Errors raised by the board engine.

Every message is one sentence a teacher can act on and names the port, because the CLI prints
``str(e)`` as one line and the GUI shows it in the status bar; nobody reads tracebacks on stage.
"""

from __future__ import annotations


class DeviceError(Exception):
    """Base class: anything that went wrong talking to a board."""

    def __init__(self, message: str, port: str | None = None) -> None:
        super().__init__(message)
        self.port = port


class Disconnected(DeviceError):
    """The port vanished (board unplugged, cable, USB reset) or was closed under us."""


class NoResponse(DeviceError):
    """The board did not answer in time; ``received`` holds whatever did arrive."""

    def __init__(self, message: str, port: str | None = None, received: bytes = b"") -> None:
        super().__init__(message, port)
        self.received = received


class PortBusy(DeviceError):
    """Another program (or another Presenter window) holds the port open."""


class PermissionDenied(DeviceError):
    """The operating system refused access to the port (Linux: not in the dialout group)."""


class PortNotFound(DeviceError):
    """No such port, or no board could be found to pick automatically."""


class BoardError(DeviceError):
    """Code we ran on the board raised; ``traceback`` holds the board's error text."""

    def __init__(self, message: str, port: str | None = None, traceback: str = "") -> None:
        super().__init__(message, port)
        self.traceback = traceback

    @property
    def last_line(self) -> str:
        """The exception line (e.g. ``OSError: [Errno 2] ENOENT``), for friendly messages."""
        lines = [ln for ln in self.traceback.strip().splitlines() if ln.strip()]
        return lines[-1].strip() if lines else ""
