"""The app-wide board list, and the status-bar hint that offers the mode for a plugged board.

Why in the workbench and not in a mode: the hint matters most when the active mode does not
know boards at all (Python mode, a speaker plugging in a micro:bit), so it cannot be a mode's
job. The list itself (``modes.board_watcher.BoardWatcher``, a background thread) is shared
with the board modes through ``ModeContext.boards()``, so there is one poller however many
modes look.

Never a dialog: a plugged board gives one line in the status bar, "micro:bit plugged in:
switch to micro:bit mode", which switches when clicked and goes away when the board does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PyQt5.QtWidgets import QApplication

from presenter.qt.board_status import HintButton

if TYPE_CHECKING:
    from presenter.device import BoardInfo
    from presenter.modes.api import Mode
    from presenter.modes.board_watcher import BoardWatcher
    from presenter.workbench.workbench import Workbench


class BoardHints:
    """Owns the board watcher (started after the first frame) and the mode hint."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self._watcher: BoardWatcher | None = None
        self._seen: set[str] = set()  # ports listed at the last change
        self._offered: tuple[str, Mode] | None = None  # (port, mode) the hint offers
        self.button = HintButton(bench.window)
        self.button.clicked.connect(self._accept)
        bench.window.status.addWidget(self.button)

    # ---- Public API

    def watcher(self) -> BoardWatcher:
        """The board list, created and started on first use (import cost after the frame)."""
        if self._watcher is None:
            from presenter.modes.board_watcher import BoardWatcher

            self._watcher = BoardWatcher(self._settings_ports, parent=self.bench.window)
            self._watcher.boards_changed.connect(self._on_boards_changed)
            self._watcher.start()
            # Quitting without closing the window (a signal, the start-up probe) must stop
            # the thread too, before the window and its objects are deleted.
            app = QApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(self.stop)
        return self._watcher

    def start(self) -> None:
        if not self.bench.closing:
            self.watcher()

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()

    def mode_changed(self) -> None:
        """The active mode now handles the offered board: the offer is moot."""
        offered = self._offered
        if offered is not None and offered[1] is self.bench.mode:
            self._withdraw()

    # ---- Internals

    def _settings_ports(self) -> list[str]:
        """Each board mode's ``port`` setting (called on the watcher thread: no Qt here)."""
        ports = []
        for mode in self.bench.modes:
            if mode.board_kinds:
                port = self.bench.settings.section(mode.id).get("port")
                if isinstance(port, str) and port:
                    ports.append(port)
        return ports

    def _on_boards_changed(self, boards: list[BoardInfo]) -> None:
        ports = {b.port for b in boards}
        if self._offered is not None and self._offered[0] not in ports:
            self._withdraw()  # that board was unplugged again
        new = [b for b in boards if b.port not in self._seen]
        self._seen = ports
        current = self.bench.mode
        for board in new:
            if current is not None and board.kind in current.board_kinds:
                continue  # the active mode connects to it by itself
            mode = next((m for m in self.bench.modes if board.kind in m.board_kinds), None)
            if mode is not None:
                self._offer(board, mode)

    def _offer(self, board: BoardInfo, mode: Mode) -> None:
        self._offered = (board.port, mode)
        self.button.offer(f"{board.name} plugged in: switch to {mode.name} mode",
                          f"{board.label()}. Click to switch to {mode.name} mode "
                          "(or choose a mode with Ctrl+Shift+M).")

    def _accept(self) -> None:
        offered = self._offered
        if offered is not None:
            self.bench.switch_mode(offered[1])
            if self.bench.mode is offered[1]:
                self._withdraw()

    def _withdraw(self) -> None:
        self._offered = None
        self.button.withdraw()
