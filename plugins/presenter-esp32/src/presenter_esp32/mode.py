"""ESP32 / generic MicroPython mode: Run, Stop, REPL and Files from ``BoardMode``, plus Reset.

Everything a MicroPython board mode does comes from ``BoardMode`` (the connection on its own
thread, Run/Stop/input, the REPL and Files panes, which board). This mode adds only:

* its declarations (``id``, ``name``, the board kinds it offers itself for);
* ``open_board``: bridges open with ``boards.BRIDGE_PROFILE``, so connecting never resets the
  chip (a program that was running is stopped with Ctrl-C, as in every board mode, and its
  variables are still there);
* **Reset** (toolbar, Run menu): the EN pulse on the reset line, as the board's EN button,
  also while a program ignores Stop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from presenter.modes.api import ActionSpec, BoardMode

if TYPE_CHECKING:  # the engine is imported when the mode opens a board, not at start-up
    from presenter.device import Board, BoardInfo

RESET_ACTION = "esp32.reset"
HERE = Path(__file__).resolve().parent


class Esp32Mode(BoardMode):
    id = "esp32"
    name = "ESP32 / generic MicroPython"
    description = "Run code on an ESP32 (or another MicroPython board) over USB serial"
    icon = str(HERE / "esp32.svg")
    # Bridges (the engine's "usb-uart"), ESP32s with native USB, other MicroPython boards:
    # plugging one in while another mode is active offers this mode.
    board_kinds = ("usb-uart", "esp32", "micropython")
    board_noun = "ESP32"
    reset_hint = "press Reset in the toolbar (the board's reset line)"

    def actions(self) -> list[ActionSpec]:
        return [
            *super().actions(),  # REPL and Files
            ActionSpec(RESET_ACTION, "&Reset Board", (), str(HERE / "reset.svg"),
                       "Restart the ESP32 as its EN button does: main.py runs again", True,
                       menu="Run"),
        ]

    def action_handlers(self) -> dict[str, Callable[[], None]]:
        return {**super().action_handlers(), RESET_ACTION: self.reset_board}

    def open_board(self, info: BoardInfo) -> Board:
        """On the connection's worker thread: bridges get the auto-reset profile."""
        from presenter.device import Board
        from presenter_esp32.boards import profile_for

        return Board.open(info.port, profile=profile_for(info), timeout=5.0)
