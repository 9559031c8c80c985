"""Find boards on USB and decide which port to use.

``list_boards`` asks pyserial and classifies by VID:PID (and, for micro:bit, by the board id in
the serial number).  ``resolve_port`` applies the precedence explicit > $PRESENTER_PORT >
setting > the single detected board, because a pty or an odd adapter never shows up in
``list_ports`` and must always be usable by hand.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from presenter.device.boards import profile_for_usb
from presenter.device.errors import PortNotFound

ENV_VAR = "PRESENTER_PORT"
#: Several ports, separated by os.pathsep (":" on Linux/macOS, ";" on Windows): the boards
#: ``presenter flash --all`` flashes, and boards the window lists beside the detected ones.
PORTS_ENV_VAR = "PRESENTER_PORTS"


@dataclass(frozen=True)
class BoardInfo:
    """One detected (or hand-given) board port."""

    port: str
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    kind: str = "unknown"  # "microbit" | "pico" | "pico-bootsel" | "micropython" | ...
    name: str = "Unknown serial device"
    profile: str = "generic"
    description: str = ""

    def label(self) -> str:
        """One line for lists: ``/dev/ttyACM0  BBC micro:bit V2  (serial 9904...)``."""
        extra = f"  (serial {self.serial_number})" if self.serial_number else ""
        return f"{self.port}  {self.name}{extra}"


def classify(port_info) -> BoardInfo | None:
    """A pyserial ``ListPortInfo`` -> BoardInfo, or None for ports that are no board we know."""
    device = port_info.device
    if device.startswith("/dev/tty.") or "Bluetooth" in device:
        return None  # macOS: prefer the cu.* twin; never the Bluetooth port
    profile = profile_for_usb(port_info.vid, port_info.pid, port_info.serial_number)
    if profile is None:
        return None
    if profile.kind == "circuitpython" and port_info.interface and "CDC2" in port_info.interface:
        return None  # CircuitPython's second (data) channel is not the REPL
    return BoardInfo(
        port=device,
        vid=port_info.vid,
        pid=port_info.pid,
        serial_number=port_info.serial_number,
        kind=profile.kind,
        name=profile.name,
        profile=profile.id,
        description=port_info.description or "",
    )


def _comports() -> Iterable:
    from serial.tools import list_ports

    return list_ports.comports()


def list_boards(comports: Callable[[], Iterable] = _comports) -> list[BoardInfo]:
    """Every connected board we recognise, sorted by port name."""
    boards = [b for b in (classify(p) for p in comports()) if b is not None]
    return sorted(boards, key=lambda b: b.port)


def board_for_port(port: str, boards: Iterable[BoardInfo] | None = None) -> BoardInfo:
    """Describe ``port``: the detected BoardInfo if pyserial knows it, else a generic one."""
    for b in boards if boards is not None else list_boards():
        if b.port == port:
            return b
    return BoardInfo(port=port)


def resolve_port(
    port: str | None,
    setting: str | None = None,
    boards: Callable[[], list[BoardInfo]] = list_boards,
) -> str:
    """Which port to open: explicit > $PRESENTER_PORT > setting > the one detected board.

    Raises PortNotFound when no board is found or several are (naming them, so the teacher can
    pick one with --port).
    """
    for candidate in (port, os.environ.get(ENV_VAR), setting):
        if candidate:
            return candidate
    found = [b for b in boards() if b.kind != "pico-bootsel"]
    if len(found) == 1:
        return found[0].port
    if not found:
        raise PortNotFound(
            "No micro:bit or Pico found: plug the board in with a data USB cable, "
            f"or give the port by hand (--port or ${ENV_VAR})."
        )
    listing = "; ".join(b.label() for b in found)
    raise PortNotFound(
        f"Several boards are connected ({listing}): choose one with --port or ${ENV_VAR}."
    )
