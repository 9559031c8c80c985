"""What every MicroPython board mode shares: the connection, Run/Stop/input, the REPL, status.

A board mode (micro:bit, Pico, an ESP32 plugin) is this class plus a few declarations:
``board_kinds`` (the engine's kinds it works with), ``board_noun`` ("micro:bit") and its own
actions (Flash, Save to board). Nothing here knows a particular board.

How it behaves:

* **Which board.** The app-wide ``BoardWatcher`` lists boards (hot-plug, ~1 s). Candidates are
  the boards of this mode's kinds plus ports given by hand (``PRESENTER_PORT``,
  ``PRESENTER_PORTS``, the mode's ``port`` setting). The one used is the one picked in the
  status bar, else ``PRESENTER_PORT``, else the setting, else the only candidate; with several
  and none picked, the status bar says so and its button lists them (``choose_board``).
* **Connection.** ``self.connection`` (a ``BoardConnection``: one worker thread owns the
  ``Board``) opens the chosen board as soon as it is listed; panes (REPL, Files) use it. An
  unplug is reported in the status bar within about a second; the same board coming back
  (same serial number, maybe another port; for a port given by hand, the same port) is opened
  again with nothing to do.
* **Run** sends the current tab (no write to flash) and streams output (``BoardRun``).
  With the REPL open, the terminal hands the connection over for the run and comes back
  after it; keys typed meanwhile are held (``BoardTerminal``).
* **REPL** (``view.repl``): a ``ReplPane`` beside the output pane, joined to the board by a
  ``BoardTerminal`` on the connection's worker (``BoardRepl``).
* **Files** (``view.files``): the Files pane right of the editor, joined to the connection
  by ``board_files.BoardFiles`` (``FilesToggle`` builds it when first shown); the REPL is
  paused around each file job, as around a Run.

Nothing here runs serial I/O on the GUI thread; the heavy imports (the engine, the panes)
happen in ``activate``, so listing the modes at start-up costs nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from presenter.modes.api import Look, Mode, ModeContext, PaneSpec, mark_pane_toggle
from presenter.modes.board_choice import HAND_GIVEN
from presenter.qt.actions import ActionSpec

if TYPE_CHECKING:
    from presenter.device import Board, BoardInfo
    from presenter.modes.board_choice import BoardChoice
    from presenter.modes.board_connection import BoardConnection, ConnectedBoard
    from presenter.modes.board_files import FilesToggle
    from presenter.modes.board_repl import BoardRepl
    from presenter.modes.board_run import BoardRun
    from presenter.qt.board_status import BoardButton
    from presenter.qt.repl_pane import ReplPane

log = logging.getLogger(__name__)

REPL_ACTION = "view.repl"
REPL_SETTING = "repl_visible"
FILES_ACTION = "view.files"
RETRY_AFTER_LOSS_MS = 1500  # a board that reset itself may still be listed: try it again once


class BoardMode(Mode):
    """Base class of the MicroPython board modes."""

    # ---- Declaration (read without activating)
    board_kinds: tuple[str, ...] = ()
    board_noun = "board"  # what messages call it: "micro:bit", "Pico"
    # What to do when a program ignores Stop; a mode with a Reset action says to use it.
    reset_hint = "press the {noun}'s reset button, or unplug it and plug it in again"
    panes = (PaneSpec("repl", "REPL", REPL_ACTION), PaneSpec("files", "Files", FILES_ACTION, "side"))

    def __init__(self) -> None:
        super().__init__()
        self.connection: BoardConnection | None = None
        self.repl: BoardRepl | None = None
        self.board_button: BoardButton | None = None
        self._runner: BoardRun | None = None
        self.choice: BoardChoice | None = None  # which board, made in activate
        self._run_when_connected = False
        self._drive_worker = None  # a Worker for drive copies, made on first use
        self.files: FilesToggle | None = None  # the Files pane, built when first shown

    # ---- Lifecycle
    def activate(self, context: ModeContext) -> None:
        super().activate(context)
        from presenter.modes.board_choice import BoardChoice
        from presenter.modes.board_connection import BoardConnection
        from presenter.modes.board_repl import BoardRepl
        from presenter.modes.board_run import BoardRun
        from presenter.qt.board_status import BoardButton

        window = context.window()
        if self.choice is None:
            self.choice = BoardChoice(self.board_kinds)
        if self.connection is None:
            self.connection = BoardConnection(window, open_board=self.open_board, name=self.id)
            self.connection.connected.connect(self._on_connected)
            self.connection.disconnected.connect(self._on_disconnected)
            self.connection.connect_failed.connect(self._on_connect_failed)
            self.repl = BoardRepl(self.connection, self._message, self._no_board_advice)
        if self.board_button is None:
            self.board_button = BoardButton(window)
            self.board_button.board_chosen.connect(self.choose_board)
            self.board_button.menu_about_to_show.connect(self._fill_board_menu)
            context.add_status_widget(self.board_button)
        self.board_button.show()
        if self._runner is None:
            self._runner = BoardRun(self.connection, context.output_pane(), window)
            self._runner.started.connect(lambda: self._set_running(True))
            self._runner.finished.connect(self._on_run_finished)
            self._runner.stop_ignored.connect(self._on_stop_ignored)
        watcher = context.boards()
        watcher.boards_changed.connect(self._on_boards)
        self._update_status()
        self._on_boards(watcher.boards())
        if context.settings.get(REPL_SETTING):
            self.set_repl_visible(True, remember=False)
        if self.files is None:
            from presenter.modes.board_files import FilesToggle

            self.files = FilesToggle(self.board_noun)
        self.files.activate(context, self.connection, self.is_running, self._lend_connection)

    def deactivate(self) -> None:
        """Leave the mode: stop the program, let go of the port (other tools may use it)."""
        context = self.context
        if context is not None:
            try:
                context.boards().boards_changed.disconnect(self._on_boards)
            except TypeError:
                pass
        if self._runner is not None and self._runner.is_running():
            self._runner.stop()
        if self.repl is not None:
            self.repl.hide()
        if self.files is not None:
            self.files.deactivate()
        if self.board_button is not None:
            self.board_button.hide()
        if self.choice is not None:
            self.choice.let_go()  # on purpose: nothing to reconnect
        if self.connection is not None:
            # Not waited for: the worker lets go of the port on its own thread (at once when
            # idle), and whoever opens it next retries a port that is still busy.
            self.connection.shutdown(timeout=0.0)
        self._run_when_connected = False
        super().deactivate()

    # ---- Behaviour
    def actions(self) -> list[ActionSpec]:
        return [ActionSpec(REPL_ACTION, "&REPL", ("Ctrl+Shift+R",), "repl",
                           "A terminal on the board's >>> prompt", True, checkable=True,
                           menu="View"),
                ActionSpec(FILES_ACTION, "&Files", ("Ctrl+Shift+F",), "files",
                           "The board's files beside a folder on this computer", True,
                           checkable=True, menu="View")]

    def action_handlers(self) -> dict[str, Callable[[], None]]:
        return {REPL_ACTION: self.toggle_repl, FILES_ACTION: self.toggle_files}

    def run(self) -> None:
        context = self.context
        if context is None or self._runner is None or self.connection is None:
            return
        snapshot = context.current_editor()
        if snapshot is None:
            return
        board = self.connection.board
        if board is None:
            self._run_without_board()
            return
        if self.repl is not None:
            self.repl.pause()  # the run uses the connection; keys typed meanwhile follow
        self._runner.run(snapshot.text, snapshot.path or snapshot.title, board.name)

    def stop(self) -> None:
        self._run_when_connected = False
        if self._runner is not None:
            self._runner.stop()

    def is_running(self) -> bool:
        return bool(self._runner and self._runner.is_running())

    def send_input(self, text: str) -> None:
        if self._runner is not None:
            self._runner.send_input(text)

    def close_input(self) -> None:
        if self._runner is not None:
            self._runner.close_input()

    def status_text(self) -> str:
        return self.name

    def apply_appearance(self, look: Look) -> None:
        if self.repl is not None:
            self.repl.apply_appearance(look)

    def open_board(self, info: BoardInfo) -> Board:
        """Open the chosen board; runs on the connection's worker thread, never the GUI's.

        The engine picks the profile from the USB ids (``BoardInfo.profile``). A mode whose
        boards need their own (a plugin's DTR/RTS handling or pacing) overrides this and
        passes a ``presenter.device.BoardProfile`` to ``Board.open``.
        """
        from presenter.device import Board

        return Board.open(info.port, timeout=5.0)

    def reset_board(self) -> None:
        """Restart the board's chip as its reset button does (``Board.hard_reset``: a serial
        break, the reset line, or ``machine.reset()``), also while a program runs and
        ignores Stop. The result is shown in the status bar."""
        connection = self.connection
        if connection is None or connection.board is None:
            self._message(f"No {self.board_noun} is connected: {self._no_board_advice()}",
                          "warning")
            return
        what = f"Resetting the {self.board_noun}"
        if self.is_running():  # the worker is busy with the program: reset beside it
            self._message(f"{what}…")
            connection.beside(lambda board: board.hard_reset(), done=self._was_reset,
                              failed=self._reset_failed)
            return
        self.on_board(lambda board, _control: board.hard_reset(), self._was_reset,
                      self._reset_failed, what)

    def _was_reset(self, how: object) -> None:
        self._message(f"The {self.board_noun} was reset ({how}): it restarts and runs "
                      "main.py, if it has one.")

    def _reset_failed(self, exc: Exception) -> None:
        self._message(f"The {self.board_noun} could not be reset: {exc}", "error")

    @property
    def repl_pane(self) -> ReplPane | None:
        """The REPL pane, once it was first shown (tests and panes look at it)."""
        return self.repl.pane if self.repl is not None else None

    # ---- Boards
    def choose_board(self, port: str) -> None:
        """The user picked a board in the status bar (also how tests pick one)."""
        if self.is_running():
            self._message("Stop the program before switching boards.", "warning")
            return
        if self.choice is not None:
            self.choice.choose(port)
            self._connect_to_choice(force=True)

    def _on_boards(self, boards: list[BoardInfo]) -> None:
        if self.choice is not None:
            self.choice.update(boards)
            self._connect_to_choice()

    def _setting_port(self) -> str | None:
        return str(self.context.settings.get("port") or "") or None if self.context else None

    def _connect_to_choice(self, force: bool = False) -> None:
        connection, choice = self.connection, self.choice
        if connection is None or choice is None or self.context is None:
            return
        in_use = connection.board.port if connection.board else connection.opening
        target = choice.decide(self._setting_port(), in_use, force)
        if target is not None and not self.is_running():
            self._open(target)
        self._update_status()

    def _open(self, target: BoardInfo) -> None:
        assert self.connection is not None and self.choice is not None
        if self.repl is not None:
            self.repl.board_gone()
        self.choice.opening(target)
        self.connection.open(target)

    def _on_connected(self, board: ConnectedBoard) -> None:
        if self.choice is not None:
            self.choice.opened(board.port)
        self._update_status()
        self._message(f"Connected to the {board.label()}.")
        if self.repl is not None:
            self.repl.board_connected()
        if self._run_when_connected:
            self._run_when_connected = False
            self.run()

    def _on_disconnected(self, reason: str) -> None:
        if self.repl is not None:
            self.repl.board_gone()
        choice = self.choice
        if (choice is not None and choice.target is not None and self.connection is not None
                and self.connection.opening is None):
            # Unplugged (or reset): wait for the same board to come back.
            choice.went_away()
            self._message(f"{reason} Presenter reconnects when the {self.board_noun} is back; "
                          "your code is untouched.", "warning")
            self._schedule_retry()
        self._update_status()

    def _schedule_retry(self) -> None:
        """A board that reset itself may be listed all along: try it once more shortly."""
        from PyQt5.QtCore import QTimer

        def retry() -> None:
            if self.choice is not None and self.choice.lost is not None and self.context:
                self.choice.assume_gone_and_back()
                self._connect_to_choice()

        QTimer.singleShot(RETRY_AFTER_LOSS_MS, retry)

    def _on_connect_failed(self, reason: str) -> None:
        if self.choice is not None:
            self.choice.open_failed(reason)
        self._message(reason, "error")
        if self._run_when_connected:
            self._run_when_connected = False
            self.context and self.context.output_pane().append_info(reason)
        self._update_status()

    def _fill_board_menu(self) -> None:
        if self.board_button is None or self.connection is None or self.choice is None:
            return
        current = self.connection.board.port if self.connection.board else self.connection.opening
        choices = [(b.port, b.label() if b.kind != HAND_GIVEN else f"{b.port}  (given by hand)",
                    b.port == current) for b in self.choice.candidates]
        self.board_button.set_choices(choices, self._no_board_advice())

    def _update_status(self) -> None:
        button, connection, choice = self.board_button, self.connection, self.choice
        if button is None or connection is None or choice is None:
            return
        board = connection.board
        if board is not None:
            button.set_state(f"{board.name} · {board.port}",
                             f"{board.label()}: click to choose another board")
        elif connection.opening:
            button.set_state(f"Connecting to {connection.opening}…")
        elif choice.lost is not None:
            button.set_state(f"{self.board_noun} unplugged: waiting for it",
                             f"The {self.board_noun} on {choice.lost.port} went away; plug it "
                             "in again and Presenter reconnects.")
        elif choice.target is not None and choice.target.port in choice.failed:
            button.set_state(f"{choice.target.port}: could not connect",
                             choice.failed[choice.target.port])
        elif len(choice.candidates) > 1:
            button.set_state(f"{len(choice.candidates)} boards: choose one",
                             "Several boards are plugged in: click to choose one.")
        else:
            button.set_state("no board", self._no_board_advice())
        self._fill_board_menu()

    def _no_board_advice(self) -> str:
        return (f"No {self.board_noun} found: plug one in with a data USB cable (it is noticed "
                f"within 2 s), or give its port by hand: set modes.{self.id}.port in the "
                "settings file, or start Presenter with PRESENTER_PORT=/dev/ttyACM0 "
                "(COM3 on Windows).")

    def _run_without_board(self) -> None:
        assert self.context is not None and self.connection is not None
        pane = self.context.output_pane()
        if self.connection.opening:
            self._run_when_connected = True
            self._message(f"Connecting to {self.connection.opening}: the program runs once "
                          "the board answers.")
            return
        assert self.choice is not None
        target = self.choice.decide(self._setting_port(), None, force=True)
        if target is not None:  # listed, but not open (it failed before, or was unplugged)
            self._run_when_connected = True
            self._open(target)
            self._update_status()
            return
        candidates = self.choice.candidates
        if len(candidates) > 1:
            text = ("Several boards are plugged in: choose one with the board button in the "
                    "status bar, then press Run again.")
        else:
            text = self._no_board_advice()
        pane.append_info(text)
        self._message(text, "warning")

    # ---- Run
    def _set_running(self, running: bool) -> None:
        if self.context is not None:
            self.context.set_running(running)

    def _on_run_finished(self, _description: str) -> None:
        self._set_running(False)
        if self.repl is not None:
            self.repl.resume()

    def _on_stop_ignored(self) -> None:
        hint = self.reset_hint.format(noun=self.board_noun)
        text = f"The program on the {self.board_noun} ignores Stop (Ctrl-C): {hint}."
        self._message(text, "warning")
        if self.context is not None:
            self.context.output_pane().append_info(text)

    # ---- REPL
    def toggle_repl(self) -> None:
        self.set_repl_visible(not (self.repl is not None and self.repl.is_visible()))

    def set_repl_visible(self, visible: bool, remember: bool = True) -> None:
        context = self.context
        if context is None or self.repl is None:
            return
        self.repl.set_visible(visible, context)
        mark_pane_toggle(context, REPL_ACTION, visible, REPL_SETTING, remember)

    # ---- Files
    def toggle_files(self) -> None:
        if self.files is not None:
            self.files.toggle()

    def _lend_connection(self) -> Callable[[], None]:
        """Pause the REPL for a file job on the connection; returns what resumes it."""
        repl = self.repl
        if repl is None:
            return lambda: None
        repl.pause()
        return repl.resume

    # ---- Helpers for the modes' own commands (Flash, Save to board, Install)
    def current_source(self) -> tuple[str, str] | None:
        """(text, name) of the current tab; None (with a message) while a program runs."""
        context = self.context
        if context is None:
            return None
        if self.is_running():
            self._message("Stop the running program first.", "warning")
            return None
        snapshot = context.current_editor()
        if snapshot is None:
            return None
        name = os.path.basename(snapshot.path) if snapshot.path else snapshot.title
        return snapshot.text, name

    def on_board(
        self,
        work: Callable,
        done: Callable[[object], None],
        failed: Callable[[Exception], None],
        what: str,
    ) -> bool:
        """Run ``work(board, control)`` on the connection with the REPL paused around it.

        ``what`` ("Flashing demo.py") is shown in the status bar with the progress. False
        (nothing started) when no board is connected.
        """
        connection = self.connection
        if connection is None or connection.board is None:
            return False
        repl = self.repl
        if repl is not None:
            repl.pause()

        def finish(callback: Callable, value: object) -> None:
            if repl is not None:
                repl.resume()
            callback(value)

        self._message(f"{what}…")
        connection.call(work, done=lambda value: finish(done, value),
                        failed=lambda exc: finish(failed, exc),
                        progress=lambda n, total: self._progress(what, n, total))
        return True

    def off_board(
        self,
        work: Callable,
        done: Callable[[object], None],
        failed: Callable[[Exception], None],
        what: str,
    ) -> None:
        """Run ``work(control)`` on a background thread of its own (a drive copy, no board)."""
        if self._drive_worker is None:
            from presenter.qt.workers import Worker

            self._drive_worker = Worker(f"{self.id}-drive")
        self._message(f"{what}…")
        self._drive_worker.call(work, done=done, failed=failed,
                                progress=lambda n, total: self._progress(what, n, total))

    def _progress(self, what: str, done: int, total: int) -> None:
        if total > 0:
            self._message(f"{what}… {100 * done // total} %")

    # ---- Messages
    def _message(self, text: str, kind: str = "info") -> None:
        if self.context is not None:
            self.context.show_message(text, kind)
