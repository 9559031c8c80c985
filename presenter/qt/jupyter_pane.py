"""The Python REPL pane: qtconsole's RichJupyterWidget on a kernel someone else started.

Imported only when the REPL is first opened: qtconsole, jupyter_client and pygments cost
start-up time and memory a talk without a REPL should not pay (tests check it).

A thin widget: it shows a console connected to the connection file it is given, or a
message in its place (no ipykernel: the exact install command, selectable; the kernel
ended: what it said). Interrupt and Restart are requests (signals): the mode owns the kernel
process, so qtconsole's own kernel management (and its modal "Restart kernel?" question)
is switched off with ``custom_interrupt`` / ``custom_restart``.

What qtconsole would otherwise get wrong on stage:

* its own shortcuts (Ctrl+S "Save as HTML", Ctrl+Shift+P "Print", Ctrl++ / Ctrl+- / Ctrl+0
  font size, Ctrl+Shift+A) collide with the window's action table, and two shortcuts on one
  key fire neither: they are removed, so zoom is the app's one zoom level;
* its colours and font: the theme's terminal colours (the board REPL's too), its syntax
  colours from the editor's tokens, and the editor's font at the app's zoom;
* a restarted kernel leaves the console waiting for a reply the old kernel never sent, so
  each (re)start gets a fresh console and client.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
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
from qtconsole.ansi_code_processor import QtAnsiCodeProcessor
from qtconsole.client import QtKernelClient
from qtconsole.rich_jupyter_widget import RichJupyterWidget

from presenter.core.ansi import palette_slot
from presenter.core.themes import ANSI_KEYS
from presenter.qt.edit_target import EditTarget

if TYPE_CHECKING:
    from presenter.core.themes import Theme

log = logging.getLogger(__name__)

SCROLLBACK_LINES = 5000  # qtconsole keeps 500 by default: too few for a class session
# Theme token names -> pygments token paths (the console highlights with pygments).
_PYGMENTS_TOKENS = {
    "default": "Token", "comment": "Comment", "number": "Number", "string": "String",
    "keyword": "Keyword", "class_name": "Name.Class", "function_name": "Name.Function",
    "operator": "Operator", "identifier": "Name", "decorator": "Name.Decorator",
    "triple_string": "String.Doc",
}


class ThemeAnsi(QtAnsiCodeProcessor):
    """qtconsole's SGR reader, drawing 256-colour and RGB requests in the nearest palette slot.

    IPython's tracebacks colour code with 256-colour pygments styles (``ESC[38;5;28m``):
    mapped to the theme's palette they keep its contrast, as in the output pane.
    """

    def get_color(self, color, intensity=0):  # qtconsole's hook
        if isinstance(color, int) and color >= 16:
            color = palette_slot(color)
        elif isinstance(color, (tuple, list)) and len(color) == 3:
            color = palette_slot(rgb=(color[0], color[1], color[2]))
        return super().get_color(color, intensity)


class ReplConsole(RichJupyterWidget):
    """RichJupyterWidget that says when a prompt is up, without qtconsole's own shortcuts."""

    prompt_shown = pyqtSignal()
    """An ``In [n]:`` prompt is up: the kernel answered and waits for input."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, custom_interrupt=True, custom_restart=True,
                         confirm_restart=False, buffer_size=SCROLLBACK_LINES)
        self._ansi_processor = ThemeAnsi()
        for action in (self.print_action, self.export_action, self.select_all_action,
                       self.increase_font_size, self.decrease_font_size,
                       self.reset_font_size):
            action.setShortcut(QKeySequence())  # the window's table owns these keys

    def _show_interpreter_prompt(self, number=None) -> None:  # qtconsole's hook
        super()._show_interpreter_prompt(number)
        if number is not None:  # None only asks the kernel for the number
            self.prompt_shown.emit()


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
        self._client: QtKernelClient | None = None
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
        self.disconnect_kernel()
        console = ReplConsole(self)
        console.setObjectName("JupyterConsole")
        console.banner = ("Restarted: a fresh Python, earlier variables are gone.\n"
                          if restarted else "")
        console.custom_interrupt_requested.connect(self.interrupt_requested)
        console.custom_restart_requested.connect(self.restart_requested)
        console.prompt_shown.connect(self._on_prompt)
        console.executing.connect(lambda _source: self._set_busy(True))
        client = QtKernelClient(connection_file=connection_file)
        client.load_connection_file()
        # No heartbeat: the mode watches the kernel process itself, and the heartbeat
        # reports a kernel that is still importing as dead.
        client.start_channels(hb=False)
        console.kernel_client = client
        self.console, self._client = console, client
        self._shown_colours = []
        self._apply_look()
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self.stack.addWidget(console)
        self.stack.setCurrentWidget(console)
        self.setFocusProxy(console._control)  # focus on the pane goes where typing goes
        self._ready = False
        self._set_state("starting…")
        self.interrupt_button.setEnabled(True)
        if had_focus:
            self.setFocus()

    def disconnect_kernel(self) -> None:
        """Stop talking to the kernel and drop the console (restart, shutdown)."""
        client, self._client = self._client, None
        console, self.console = self.console, None
        if client is not None:
            try:
                client.stop_channels()
            except Exception:  # channels of a kernel that is gone: nothing to close cleanly
                log.exception("stopping the REPL's channels")
        if console is not None:
            self.setFocusProxy(self.restart_button)
            console.kernel_client = None
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
        return self.console._control.toPlainText() if self.console is not None else ""

    def input_widget(self) -> QWidget | None:
        """The widget that takes the keys typed into the console."""
        return self.console._control if self.console is not None else None

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
    _shown_colours: list[str] = []  # the text colour and palette the console's text uses

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
        console = self.console
        if console is None:
            return
        family = self._font.family()
        size = self._font.pointSize()
        theme = self._theme
        if theme is not None:
            terminal = theme.terminal
            paper, text = terminal.get("paper", "#ffffff"), terminal.get("text", "#000000")
            green, red = terminal.get("green", "#116b35"), terminal.get("red", "#b3261e")
            selection_bg = theme.editor.get("selection_bg", "#3399ff")
            selection_fg = theme.editor.get("selection_fg", "#ffffff")
            # The console's own stylesheet: a widget's sheet beats the application's, and
            # its font rule must be here too, or the app's sheet keeps the UI size.
            console.style_sheet = (
                f"QPlainTextEdit, QTextEdit {{ background-color: {paper}; color: {text}; "
                f"selection-background-color: {selection_bg}; selection-color: {selection_fg}; "
                f'font-family: "{family}"; font-size: {size}pt; }}\n'
                f".inverted {{ background-color: {text}; color: {paper}; }}\n"
                f".error {{ color: {red}; }}\n"
                f".in-prompt {{ color: {green}; }}\n"
                f".in-prompt-number {{ color: {green}; font-weight: bold; }}\n"
                f".out-prompt {{ color: {red}; }}\n"
                f".out-prompt-number {{ color: {red}; font-weight: bold; }}\n")
            console._highlighter.set_style(_pygments_style(theme, paper))
            # Programs' ANSI colours (and IPython's tracebacks) in the theme's palette,
            # chosen to read on this paper, as in the output pane.
            palette = [terminal.get(key, colour) for key, colour in
                       zip(ANSI_KEYS, theme.ansi_palette(), strict=True)]
            ansi = console._ansi_processor
            ansi.default_color_map = dict(enumerate(palette))
            ansi.color_map.update(ansi.default_color_map)
            console._highlighter.rehighlight()
            colours = [text, *palette]  # what text already shown may be drawn in
            if self._shown_colours and self._shown_colours != colours:
                _recolour(console._control.document(), self._shown_colours, colours)
            self._shown_colours = colours
        console.font = self._font


def _recolour(document: QTextDocument, old: list[str], new: list[str]) -> None:
    """Redraw text already shown in the new theme: prompts and program output keep the
    colour they were written in (qtconsole resolves it then), so map old to new."""
    mapping = {QColor(a).rgb(): QColor(b) for a, b in zip(old, new, strict=True)}
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            colour = fragment.charFormat().foreground().color()
            if fragment.charFormat().hasProperty(QTextFormat.ForegroundBrush) \
                    and colour.rgb() in mapping:
                change = QTextCharFormat()
                change.setForeground(mapping[colour.rgb()])
                cursor.setPosition(fragment.position())
                cursor.setPosition(fragment.position() + fragment.length(),
                                   QTextCursor.KeepAnchor)
                cursor.mergeCharFormat(change)
            iterator += 1
        block = block.next()
    cursor.endEditBlock()


def _pygments_style(theme: Theme, paper: str):
    """A pygments style with the editor's token colours, so code looks the same in both."""
    from pygments.style import Style
    from pygments.token import string_to_tokentype

    styles = {}
    for name, path in _PYGMENTS_TOKENS.items():
        spec = theme.tokens.get(name)
        if spec is None:
            continue
        parts = ["bold" if spec.bold else "", "italic" if spec.italic else "", spec.color]
        styles[string_to_tokentype(path)] = " ".join(p for p in parts if p)
    return type("PresenterTheme", (Style,), {"background_color": paper, "styles": styles})
