"""micro:bit mode: a BBC micro:bit (V1 or V2) running MicroPython, and Flash.

Everything a board mode does (Run, Stop, REPL, which board) comes from ``BoardMode``; this
mode adds what only a micro:bit has: **Flash** makes the current tab run at power-on. Over
serial when MicroPython answers (main.py is written and the board soft-resets: seconds, and
other files stay), otherwise as a uflash .hex copied to the MICROBIT drive (replaces every
file; DAPLink's FAIL.TXT is checked). The engine's ``flash_target`` chooses; the work runs
off the GUI thread with its progress and result in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from presenter.modes.board import BoardMode
from presenter.qt.actions import ActionSpec

FLASH_ACTION = "microbit.flash"


class _Borrowed:
    """The mode's open Board as ``flash_target`` wants one (a context manager), left open."""

    def __init__(self, board) -> None:
        self.board = board

    def __enter__(self):
        return self.board

    def __exit__(self, *exc) -> None:
        return None


class MicrobitMode(BoardMode):
    id = "microbit"
    name = "micro:bit"
    description = "Run code on a BBC micro:bit"
    icon = "microbit"
    board_kinds = ("microbit",)
    board_noun = "micro:bit"

    def actions(self) -> list[ActionSpec]:
        return [
            *super().actions(),
            ActionSpec(FLASH_ACTION, "&Flash", (), "flash",
                       "Make this file run whenever the micro:bit starts (written as main.py)",
                       True, menu="Run", presenting=True),  # stays on stage in a talk
        ]

    def action_handlers(self) -> dict[str, Callable[[], None]]:
        return {**super().action_handlers(), FLASH_ACTION: self.flash}

    def flash(self) -> None:
        """Flash the current tab: over serial if connected, else to a MICROBIT drive."""
        source = self.current_source()
        if source is None:
            return
        text, name = source
        script = text.encode("utf-8")
        what = f"Flashing {name}"
        connection = self.connection
        board = connection.board if connection is not None else None
        if board is not None:
            serial = board.serial_number

            def on_board(engine_board, control):
                from presenter.device.flash import (
                    FlashTarget,
                    drive_serial_number,
                    find_drives,
                    flash_target,
                )

                drive = None
                if serial:  # the same board's drive, a fallback if serial writing fails
                    drive = next((d for d in find_drives()
                                  if drive_serial_number(d) == serial.upper()), None)
                target = FlashTarget(engine_board.port, drive, serial)
                return flash_target(target, script, control.progress,
                                    open_board=lambda _port: _Borrowed(engine_board))

            self.on_board(on_board, lambda r: self._flashed(r, name), self._flash_failed, what)
            return

        def to_drive(control):
            from presenter.device.flash import FlashTarget, find_drives, flash_target

            drives = find_drives()
            if not drives:
                raise LookupError(
                    "No micro:bit found to flash: plug one in with a data USB cable (its "
                    "MICROBIT drive or its serial port), or give its port by hand "
                    f"(modes.{self.id}.port in the settings, or PRESENTER_PORT).")
            if len(drives) > 1:
                raise LookupError(f"Several MICROBIT drives are mounted ({', '.join(map(str, drives))}): "
                                  "unplug the others, or connect to one over serial first.")
            return flash_target(FlashTarget(drive=Path(drives[0])), script, control.progress)

        self.off_board(to_drive, lambda r: self._flashed(r, name), self._flash_failed, what)

    # ---- Internals
    def _flashed(self, result, name: str) -> None:
        from presenter.device.flash import UNCHANGED

        target = result.target.label
        if not result.ok:
            self._message(f"Flashing {name} failed: {result.message}", "error")
        elif result.method == "drive":
            self._message(f"Flashed {name} to the micro:bit on {target} as a .hex: it restarts "
                          "and runs it at power-on from now on.")
        elif result.message == UNCHANGED:
            self._message(f"main.py on the micro:bit on {target} already held {name}; the "
                          "board was reset, so it runs again now.")
        else:
            note = result.message[2:].strip() if result.message != "ok" else ""
            self._message(f"Flashed {name} to the micro:bit on {target} as main.py: it runs "
                          f"now and at every power-on.{' ' + note if note else ''}")

    def _flash_failed(self, exc: Exception) -> None:
        self._message(f"Flashing failed: {exc}", "error")
