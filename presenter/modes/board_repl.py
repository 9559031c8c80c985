"""A board mode's REPL pane: shown beside the output pane, joined to whichever board is open.

The pane (``qt.repl_pane.ReplPane``) outlives boards: it is made the first time it is shown
and stays; each connected board gets its own ``BoardTerminal`` (the bridge that sends keys on
the connection's worker and shows the board's text), made when the board connects while the
pane is shown and closed when the board goes away or the pane is hidden.

Other work on the connection (a Run, Flash, Save to board) ``pause()``s the terminal and
``resume()``s it afterwards; keys typed meanwhile are held by the terminal and sent after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presenter.modes.api import Look, ModeContext
    from presenter.modes.board_connection import BoardConnection
    from presenter.modes.board_terminal import BoardTerminal
    from presenter.qt.repl_pane import ReplPane


class BoardRepl:
    """Owns the REPL pane and the terminal joining it to the connected board."""

    def __init__(self, connection: BoardConnection, message: Callable[[str, str], None],
                 idle_text: Callable[[], str]) -> None:
        self._connection = connection
        self._message = message
        self._idle_text = idle_text  # why nothing happens when there is no board
        self.pane: ReplPane | None = None
        self._terminal: BoardTerminal | None = None
        self._paused = 0  # jobs using the connection; the terminal starts when none is left

    # ---- Public API

    def is_visible(self) -> bool:
        return self.pane is not None and self.pane.isVisible()

    def set_visible(self, visible: bool, context: ModeContext) -> None:
        """Show (making the pane and placing it on first use) or hide the pane."""
        if visible and self.pane is None:
            from presenter.qt.repl_pane import ReplPane

            self.pane = ReplPane(context.window())
            self.pane.keys_typed.connect(self._typed_without_board)
            self.pane.paste_requested.connect(self._typed_without_board)
            context.place_pane(self.pane, "bottom")
            self.apply_appearance(context.look())
        if self.pane is None:
            return
        self.pane.setVisible(visible)
        if visible:
            self.board_connected()
            self.pane.setFocus()
        else:
            self.board_gone()

    def board_connected(self) -> None:
        """A board is open (or the pane was shown): join the pane to it."""
        connection = self._connection
        if self._terminal is not None or not self.is_visible() or connection.board is None:
            return
        board = connection.session
        if board is None:
            return
        from presenter.modes.board_terminal import BoardTerminal

        terminal = BoardTerminal(board, self.pane, submit=connection.submit)
        terminal.error_occurred.connect(lambda text: self._message(text, "warning"))
        self._terminal = terminal
        if not self._paused:
            terminal.start()

    def board_gone(self) -> None:
        """The board went away (or the pane was hidden): let go of its terminal."""
        terminal, self._terminal = self._terminal, None
        if terminal is not None:
            terminal.close()

    def pause(self) -> None:
        """Something else needs the connection: keys typed from now on are held."""
        self._paused += 1
        # Stopped even before it is active: its start may still be queued on the worker (the
        # board just connected), and the job queued after it must not meet terminal mode.
        if self._paused == 1 and self._terminal is not None:
            self._terminal.stop()

    def resume(self) -> None:
        """The connection is free again: the prompt comes back, held keys are sent."""
        self._paused = max(0, self._paused - 1)
        if not self._paused and self._terminal is not None and self.is_visible():
            self._terminal.start()

    def apply_appearance(self, look: Look) -> None:
        if self.pane is not None:
            self.pane.set_colours(look.theme.terminal)
            self.pane.set_font_size(look.code_pt, look.code_family)

    def hide(self) -> None:
        """Leaving the mode: the terminal goes, the pane hides (it is shown again later)."""
        self.board_gone()
        self._paused = 0
        if self.pane is not None:
            self.pane.hide()

    # ---- Internals

    def _typed_without_board(self, _keys: object) -> None:
        if self._terminal is not None:
            return  # the terminal takes the keys itself
        opening = self._connection.opening
        if opening:
            self._message(f"Connecting to {opening}: type again in a moment.", "info")
        else:
            self._message(f"The REPL has no board to talk to. {self._idle_text()}", "warning")
