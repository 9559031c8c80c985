"""Which board a board mode should have open, given what is plugged in: no Qt, no I/O.

A board mode hands this every new board list and asks ``decide()`` what to open. The rules:

* **Precedence** (``pick_board``), as the CLI's ``resolve_port``: the board picked in the status
  bar > ``$PRESENTER_PORT`` > the mode's ``port`` setting > the only candidate. Candidates
  are boards of the mode's kinds plus ports given by hand (kind "unknown": the board says what
  it is once opened). Several and none picked: nothing is opened, the user picks.
* **Keep what works**: a board in use stays in use while it is listed, even when another one
  is plugged in.
* **Reconnect**: a board that was lost (unplugged, reset) is waited for; once it has been seen
  gone and is listed again (same serial number, any port; a port given by hand: the same
  port), it is opened again. Other boards do not take its place meanwhile.
* **No retry loops**: a port that failed to open is not tried again until it leaves the list
  and comes back, or the user picks it (or presses Run).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine is imported when a board mode is activated, not at start-up
    from presenter.device import BoardInfo

HAND_GIVEN = "unknown"  # BoardInfo.kind of a port given by hand, until it is opened


def pick_board(
    boards: list[BoardInfo],
    kinds: tuple[str, ...],
    chosen: str | None,
    setting: str | None,
) -> tuple[BoardInfo | None, list[BoardInfo]]:
    """(the board to use or None, the candidates), in the precedence of ``resolve_port``."""
    from presenter.device.ports import ENV_VAR

    candidates = [b for b in boards if b.kind in kinds or b.kind == HAND_GIVEN]
    for port in (chosen, os.environ.get(ENV_VAR), setting):
        if port:
            match = next((b for b in candidates if b.port == port), None)
            if match is not None:
                return match, candidates
    if len(candidates) == 1:
        return candidates[0], candidates
    return None, candidates


class BoardChoice:
    """The board list as one mode sees it, and what it wants open."""

    def __init__(self, kinds: tuple[str, ...]) -> None:
        self.kinds = kinds
        self.boards: list[BoardInfo] = []
        self.candidates: list[BoardInfo] = []
        self.chosen: str | None = None  # port picked in the status bar
        self.target: BoardInfo | None = None  # the board opened, or being opened
        self.lost: BoardInfo | None = None  # went away: reopened when it is back
        self.failed: dict[str, str] = {}  # port -> why opening it failed
        self._lost_was_absent = False

    # ---- What happened

    def update(self, boards: list[BoardInfo]) -> None:
        """A new board list (from the watcher)."""
        self.boards = list(boards)
        if self.lost is not None and self.find_lost() is None:
            self._lost_was_absent = True
        for port in list(self.failed):
            if all(b.port != port for b in boards):
                del self.failed[port]  # gone: if it comes back, it is worth another try

    def choose(self, port: str) -> None:
        """The user picked this board: it wins, whatever failed or was lost before."""
        self.chosen = port
        self.failed.pop(port, None)
        self.lost = None

    def opening(self, board: BoardInfo) -> None:
        self.target = board
        self.lost = None

    def opened(self, port: str) -> None:
        self.failed.pop(port, None)

    def open_failed(self, reason: str) -> None:
        if self.target is not None:
            self.failed[self.target.port] = reason

    def went_away(self) -> None:
        """The board in use was unplugged (or reset): wait for it to come back."""
        self.lost = self.target
        self._lost_was_absent = self.find_lost() is None

    def assume_gone_and_back(self) -> None:
        """A board that reset itself may never leave the list: treat it as back now."""
        self._lost_was_absent = True

    def let_go(self) -> None:
        """The mode closes on purpose: nothing to reconnect."""
        self.target = self.lost = None

    # ---- What to do

    def decide(self, setting: str | None, in_use: str | None, force: bool = False
               ) -> BoardInfo | None:
        """The board to open now, or None to leave things as they are.

        ``in_use``: the port open (or being opened); ``force``: the user asked (a pick, Run).
        """
        target, self.candidates = pick_board(self.boards, self.kinds, self.chosen, setting)
        if self.lost is not None:
            back = self.find_lost()
            if back is not None and self._lost_was_absent:
                target = back  # the board that went away is back (maybe on a new port)
            elif not force:
                return None
        if target is None or (not force and in_use == target.port):
            return None
        if not force and target.port in self.failed:
            return None
        if not force and in_use is not None and any(b.port == in_use for b in self.boards):
            return None  # keep the board in use while it is there
        return target

    def find_lost(self) -> BoardInfo | None:
        """The lost board in the current list: by serial number, else by port."""
        lost = self.lost
        if lost is None:
            return None
        if lost.serial_number:
            return next((b for b in self.boards if b.serial_number == lost.serial_number), None)
        return next((b for b in self.boards if b.port == lost.port), None)
