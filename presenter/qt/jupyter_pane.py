"""The Python REPL pane: a header (Run File, Interrupt, Restart) over a console or a message.

A thin widget: it shows a console (``jupyter_console.ReplConsole``, qtconsole) connected to
the connection file it is given, or a message in its place (no ipykernel: the exact install
command, selectable; the kernel ended: what it said). Run File, Interrupt and Restart are
requests (signals): the mode owns the kernel process.

This module does not import qtconsole: the pane appears at once on the first click, with
"Starting Python…", while the kernel starts and qtconsole is imported off the GUI thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtGui import QFont
from PyQt5.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from presenter.qt.edit_target import EditTarget

if TYPE_CHECKING:
    from presenter.core.themes import Theme
    from presenter.qt.jupyter_console import ReplConsole

log = logging.getLogger(__name__)


class JupyterPane(QWidget, EditTarget):
    """The REPL pane: a header (state, Interrupt, Restart) over a console or a message."""

    # ---- Signals
    run_file_requested = pyqtSignal()
    """The Run File button: run the current tab in the REPL."""
    interrupt_requested = pyqtSignal()
    """The Interrupt button, or Ctrl+C in the console while code runs."""
    restart_requested = pyqtSignal()
    """The Restart button (or Try again after a message), or Ctrl+. in the console."""
    ready = pyqtSignal()
    """The console shows a prompt (first one after connecting, and after each run)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("JupyterPane")
        self.console: ReplConsole | None = None
        self._busy = False
        self._ready = False
        self._theme: Theme | None = None
        self._font = QFont("DejaVu Sans Mono", 14)

        self.title = QLabel("Python REPL", self)
        self.title.setObjectName("JupyterPaneTitle")
        self.state = QLabel("", self)
        self.state.setObjectName("JupyterPaneState")
        self.run_button = QToolButton(self)
        self.run_button.setObjectName("JupyterRunFile")
        self.run_button.setText("Run File")
        self.run_button.setToolTip("Run the current tab here, then explore its variables "
                                   "(Ctrl+Shift+Return)")
        self.run_button.clicked.connect(self.run_file_requested)
        self.interrupt_button = QToolButton(self)
        self.interrupt_button.setObjectName("JupyterInterrupt")
        self.interrupt_button.setText("Interrupt")
        self.interrupt_button.setToolTip("Stop the code the REPL is running (Ctrl+C in the REPL)")
        self.interrupt_button.clicked.connect(self.interrupt_requested)
        self.restart_button = QToolButton(self)
        self.restart_button.setObjectName("JupyterRestart")
        self.restart_button.setText("Restart")
        self.restart_button.setToolTip("A fresh Python: every variable is forgotten (Ctrl+. in the REPL)")
        self.restart_button.clicked.connect(self.restart_requested)
        header = QHBoxLayout()
        header.setContentsMargins(6, 2, 2, 2)
        header.addWidget(self.title)
        header.addWidget(self.state, 1)
        header.addWidget(self.run_button)
        header.addWidget(self.interrupt_button)
        header.addWidget(self.restart_button)

        self.message = QLabel(self)
        self.message.setObjectName("JupyterMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.command = QLineEdit(self)  # selectable and copyable as one piece, never edited
        self.command.setObjectName("JupyterInstallCommand")
        self.command.setReadOnly(True)
        message_page = QWidget(self)
        message_layout = QVBoxLayout(message_page)
        message_layout.setContentsMargins(12, 12, 12, 12)
        message_layout.addWidget(self.message)
        message_layout.addWidget(self.command)
        message_layout.addStretch(1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(message_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.setFocusProxy(self.restart_button)  # until there is a console to type into
        self.show_message("Starting Python…")

    # ---- Public API
    def show_message(self, text: str, command: str = "") -> None:
        """Show ``text`` in place of the console; ``command`` (to copy) below it."""
        self.message.setText(text)
        self.command.setText(command)
        self.command.setVisible(bool(command))
        self.stack.setCurrentIndex(0)
        self._set_state("")
        self.interrupt_button.setEnabled(False)

    def connect_kernel(self, connection_file: str, restarted: bool = False) -> None:
        """Show a fresh console talking to the kernel described by ``connection_file``.

        The kernel may still be starting: requests wait in their sockets until it answers.
        """
        from presenter.qt.jupyter_console import ReplConsole

        self.disconnect_kernel()
        console = ReplConsole(self, restarted)
        console.custom_interrupt_requested.connect(self.interrupt_requested)
        console.custom_restart_requested.connect(self.restart_requested)
        console.prompt_shown.connect(self._on_prompt)
        console.executing.connect(lambda _source: self._set_busy(True))
        console.connect_to(connection_file)
        self.console = console
        self._apply_look()
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self.stack.addWidget(console)
        self.stack.setCurrentWidget(console)
        self.setFocusProxy(console.input_widget())  # focus on the pane goes where typing goes
        self._ready = False
        self._set_state("starting…")
        self.interrupt_button.setEnabled(True)
        if had_focus:
            self.setFocus()

    def disconnect_kernel(self) -> None:
        """Stop talking to the kernel and drop the console (restart, shutdown)."""
        console, self.console = self.console, None
        if console is not None:
            self.setFocusProxy(self.restart_button)
            console.close_channels()
            self.stack.removeWidget(console)
            console.deleteLater()
        self._ready = self._busy = False

    def execute(self, code: str) -> bool:
        """Run ``code`` as if typed at the prompt; False if the REPL is not at a prompt.

        Whatever was half-typed at the prompt is put back after the run, not lost.
        """
        console = self.console
        if console is None or not self._ready or self._busy:
            return False
        typed = console.input_buffer
        console.execute(code, hidden=False)
        if typed.strip():
            self._restore_after_run = typed
        return True

    def is_ready(self) -> bool:
        """A prompt is up and nothing runs: code can be sent."""
        return self._ready and not self._busy

    def is_busy(self) -> bool:
        return self._busy

    def text(self) -> str:
        """Everything the console shows (tests, and the audience page later)."""
        return self.console.text() if self.console is not None else ""

    def input_widget(self) -> QWidget | None:
        """The widget that takes the keys typed into the console."""
        return self.console.input_widget() if self.console is not None else None

    def edit(self, command: str) -> str:
        """The window's edit commands, in the console: on its text, pasting at the prompt.

        Copy with nothing selected while code runs interrupts it, as Ctrl+C does in a
        terminal (and in qtconsole itself).
        """
        console = self.console
        if console is None:
            return "The REPL is not running yet."
        if command == "copy" and not console.can_copy():
            if self._busy:
                self.interrupt_requested.emit()
                return "Interrupted the code running in the REPL."
            return ""
        action = {"undo": console.undo, "redo": console.redo, "cut": console.cut,
                  "copy": console.copy, "paste": console.paste,
                  "selectAll": console.select_all_smart}[command]
        action()
        return ""

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._apply_look()

    def set_font_size(self, size: int, family: str) -> None:
        self._font = QFont(family, size)
        self._font.setStyleHint(QFont.TypeWriter)
        self._apply_look()

    # ---- Internals
    _restore_after_run = ""

    def _on_prompt(self) -> None:
        first = not self._ready
        self._ready = True
        self._set_busy(False)
        if self._restore_after_run and self.console is not None:
            self.console.input_buffer = self._restore_after_run
            self._restore_after_run = ""
        if first:
            self._set_state("")
        self.ready.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        if self._ready:
            self._set_state("running…" if busy else "")

    def _set_state(self, text: str) -> None:
        self.state.setText(text)

    def _apply_look(self) -> None:
        if self.console is not None:
            self.console.apply_look(self._theme, self._font)
