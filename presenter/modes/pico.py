"""Raspberry Pi Pico mode: a Pico or Pico 2 running MicroPython; Save as main.py; Install.

Run, Stop, REPL and the board choice come from ``BoardMode``. This mode adds:

* **Save to board as main.py**: the current tab is written as ``main.py`` (the engine's safe
  write: a temporary name, verified, then renamed), so it runs whenever the Pico starts.
* **Install MicroPython**: a .uf2 the user chooses is copied to a Pico in BOOTSEL mode (the
  RPI-RP2 or RP2350 drive) after checking it is UF2 and its family ID fits the chip
  (``device.uf2``); with no such drive, two lines say how to get one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from presenter.modes.board import BoardMode
from presenter.qt.actions import ActionSpec

SAVE_ACTION = "pico.save_main"
INSTALL_ACTION = "pico.install"
MAIN = "main.py"


class NoBootselDrive(LookupError):
    """No Pico in BOOTSEL mode is mounted."""


class PicoMode(BoardMode):
    id = "pico"
    name = "Raspberry Pi Pico"
    description = "Run code on a Raspberry Pi Pico with MicroPython"
    icon = "chip"
    board_kinds = ("pico",)
    board_noun = "Pico"

    def actions(self) -> list[ActionSpec]:
        return [
            *super().actions(),
            ActionSpec(SAVE_ACTION, "Save to &Board as main.py", (), "upload",
                       "Save this file on the Pico as main.py: it runs whenever the Pico starts",
                       True, menu="Run", extra={"button": "Save to Board"},
                       presenting=True),  # stays on stage in a talk
            ActionSpec(INSTALL_ACTION, "&Install MicroPython…", (), "chip",
                       "Copy a MicroPython .uf2 to a Pico in BOOTSEL mode", menu="Run"),
        ]

    def action_handlers(self) -> dict[str, Callable[[], None]]:
        return {**super().action_handlers(), SAVE_ACTION: self.save_main,
                INSTALL_ACTION: self.install_micropython}

    # ---- Save to board
    def save_main(self) -> None:
        source = self.current_source()
        if source is None:
            return
        text, name = source
        data = text.encode("utf-8")

        def work(board, control):
            return board.files.write(MAIN, data, progress=control.progress, skip_unchanged=True)

        def done(changed) -> None:
            if changed:
                self._message(f"Saved {name} on the Pico as {MAIN} ({len(data):,} bytes): it "
                              "runs whenever the Pico starts (Ctrl+D in the REPL restarts it now).")
            else:
                self._message(f"{MAIN} on the Pico already holds {name}: nothing to copy.")

        started = self.on_board(work, done,
                                lambda exc: self._message(f"Saving {MAIN} failed: {exc}", "error"),
                                f"Saving {name} as {MAIN}")
        if not started:
            self._message(f"No Pico is connected: {self._no_board_advice()}", "warning")

    # ---- Install MicroPython
    def install_micropython(self) -> None:
        context = self.context
        if context is None:
            return
        from presenter.qt import dialogs

        path = dialogs.ask_firmware_path(context.window(), str(Path.home() / "Downloads"))
        if not path:
            return
        firmware = Path(path)

        def work(control):
            from presenter.device import uf2

            data = firmware.read_bytes()
            uf2.families(data, firmware.name)  # not UF2 at all: say so before anything else
            drives = uf2.find_bootsel_drives()
            if not drives:
                raise NoBootselDrive("No Pico in BOOTSEL mode was found.")
            if len(drives) > 1:
                raise LookupError("Several Picos are in BOOTSEL mode ("
                                  + ", ".join(str(d.path) for d in drives)
                                  + "): unplug all but one and try again.")
            uf2.install(firmware, drives[0], control.progress)
            return drives[0]

        self.off_board(work, lambda drive: self._installed(firmware.name, drive),
                       self._install_failed, f"Installing {firmware.name}")

    def _installed(self, name: str, drive) -> None:
        self._message(f"Copied {name} to {drive.path}: the Pico restarts with MicroPython, and "
                      "Presenter connects when its port appears.")

    def _install_failed(self, exc: Exception) -> None:
        from presenter.device.uf2 import BOOTSEL_GUIDANCE

        pane = self.context.output_pane() if self.context is not None else None
        if isinstance(exc, NoBootselDrive):
            self._message(f"{exc} {BOOTSEL_GUIDANCE[0]}", "warning")
            if pane is not None:
                pane.append_info(f"Install MicroPython: {exc}\n{BOOTSEL_GUIDANCE[0]}\n"
                                 f"{BOOTSEL_GUIDANCE[1]}")
            return
        text = str(exc) if not isinstance(exc, OSError) else f"Could not read the file: {exc}"
        self._message(f"MicroPython was not installed: {text}", "error")
