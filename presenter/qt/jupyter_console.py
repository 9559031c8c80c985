"""The console inside the Python REPL pane: qtconsole's RichJupyterWidget, made fit for stage.

Imported only when the REPL is first opened, and then first on the REPL's worker thread while
the kernel starts (importing creates no Qt objects), so the ~0.4 s import of qtconsole, jupyter_client and
pygments overlaps the kernel's own start instead of freezing the window on the first click.

What qtconsole would otherwise get wrong on stage:

* its own shortcuts (Ctrl+S "Save as HTML", Ctrl+Shift+P "Print", Ctrl++ / Ctrl+- / Ctrl+0
  font size, Ctrl+Shift+A) collide with the window's action table, and two shortcuts on one
  key fire neither: they are removed, so zoom is the app's one zoom level;
* its kernel management (and its modal "Restart kernel?" question): switched off with
  ``custom_interrupt`` / ``custom_restart``, the pane asks the mode instead;
* its colours and font: the theme's terminal colours (the board REPL's too), the editor's
  token colours for code, the editor's font at the app's zoom; text already shown is
  recoloured when the theme changes (qtconsole fixes colours as it writes).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PyQt5.QtCore import QTimer, pyqtSignal
from PyQt5.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PyQt5.QtWidgets import QWidget
from qtconsole.ansi_code_processor import QtAnsiCodeProcessor
from qtconsole.client import QtKernelClient
from qtconsole.rich_jupyter_widget import RichJupyterWidget

from presenter.core.ansi import palette_slot
from presenter.core.themes import ANSI_KEYS

if TYPE_CHECKING:
    from presenter.core.themes import Theme

log = logging.getLogger(__name__)

KNOCK_MS = 250  # how often to ask a starting kernel for kernel_info until it broadcasts
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
    """RichJupyterWidget on a kernel someone else owns, saying when a prompt is up."""

    prompt_shown = pyqtSignal()
    """An ``In [n]:`` prompt is up: the kernel answered and waits for input."""

    def __init__(self, parent: QWidget | None = None, restarted: bool = False) -> None:
        super().__init__(parent=parent, custom_interrupt=True, custom_restart=True,
                         confirm_restart=False, buffer_size=SCROLLBACK_LINES)
        self.setObjectName("JupyterConsole")
        self.banner = "Restarted: a fresh Python, earlier variables are gone.\n" if restarted else ""
        self._ansi_processor = ThemeAnsi()
        self._shown_colours: list[str] = []  # the text colour and palette text is drawn in
        self._client: QtKernelClient | None = None
        self._knock: QTimer | None = None
        for action in (self.print_action, self.export_action, self.select_all_action,
                       self.increase_font_size, self.decrease_font_size,
                       self.reset_font_size):
            action.setShortcut(QKeySequence())  # the window's table owns these keys

    # ---- Public API
    def connect_to(self, connection_file: str) -> None:
        """Talk to the kernel the connection file describes (it may still be starting).

        The console is attached only once the kernel's broadcasts (IOPub) arrive: a
        subscriber misses what is published before its subscription reaches the kernel
        (ZeroMQ's "slow joiner"), and a prompt shown earlier could lose the output of the
        first thing typed. Until then it asks for kernel_info, which the kernel answers
        with a broadcast too (as jupyter_client's wait_for_ready does).
        """
        client = QtKernelClient(connection_file=connection_file)
        client.load_connection_file()
        # No heartbeat: the mode watches the kernel process itself, and the heartbeat
        # reports a kernel that is still importing as dead.
        client.start_channels(hb=False)
        self._client = client
        client.iopub_channel.message_received.connect(self._on_first_broadcast)
        self._knock = QTimer(self)
        self._knock.setInterval(KNOCK_MS)
        self._knock.timeout.connect(client.kernel_info)
        self._knock.start()
        client.kernel_info()

    def close_channels(self) -> None:
        """Stop talking to the kernel (restart, shutdown)."""
        if self._knock is not None:
            self._knock.stop()
        client, self._client = self._client, None
        if client is not None:
            try:
                client.stop_channels()
            except Exception:  # channels of a kernel that is gone: nothing to close cleanly
                log.exception("stopping the REPL's channels")
        self.kernel_client = None

    def text(self) -> str:
        return self._control.toPlainText()

    def input_widget(self) -> QWidget:
        """The widget that takes the keys typed into the console."""
        return self._control

    def apply_look(self, theme: Theme | None, font: QFont) -> None:
        """The theme's colours and the zoomed font, for new text and (colours) old text."""
        family, size = font.family(), font.pointSize()
        if theme is not None:
            terminal = theme.terminal
            paper, text = terminal.get("paper", "#ffffff"), terminal.get("text", "#000000")
            green, red = terminal.get("green", "#116b35"), terminal.get("red", "#b3261e")
            selection_bg = theme.editor.get("selection_bg", "#3399ff")
            selection_fg = theme.editor.get("selection_fg", "#ffffff")
            # The console's own stylesheet: a widget's sheet beats the application's, and
            # its font rule must be here too, or the app's sheet keeps the UI size.
            self.style_sheet = (
                f"QPlainTextEdit, QTextEdit {{ background-color: {paper}; color: {text}; "
                f"selection-background-color: {selection_bg}; selection-color: {selection_fg}; "
                f'font-family: "{family}"; font-size: {size}pt; }}\n'
                f".inverted {{ background-color: {text}; color: {paper}; }}\n"
                f".error {{ color: {red}; }}\n"
                f".in-prompt {{ color: {green}; }}\n"
                f".in-prompt-number {{ color: {green}; font-weight: bold; }}\n"
                f".out-prompt {{ color: {red}; }}\n"
                f".out-prompt-number {{ color: {red}; font-weight: bold; }}\n")
            self._highlighter.set_style(_pygments_style(theme, paper))
            # Programs' ANSI colours (and IPython's tracebacks) in the theme's palette,
            # chosen to read on this paper, as in the output pane.
            palette = [terminal.get(key, colour) for key, colour in
                       zip(ANSI_KEYS, theme.ansi_palette(), strict=True)]
            ansi = self._ansi_processor
            ansi.default_color_map = dict(enumerate(palette))
            ansi.color_map.update(ansi.default_color_map)
            self._highlighter.rehighlight()
            colours = [text, *palette]  # what text already shown may be drawn in
            if self._shown_colours and self._shown_colours != colours:
                _recolour(self._control.document(), self._shown_colours, colours)
            self._shown_colours = colours
        self.font = font

    # ---- Internals
    def _on_first_broadcast(self, _message) -> None:
        client = self._client
        if client is None or self.kernel_client is not None:
            return
        self._knock.stop()
        client.iopub_channel.message_received.disconnect(self._on_first_broadcast)
        self.kernel_client = client  # qtconsole asks for kernel_info, then shows the prompt

    # ---- qtconsole's hooks
    def _show_interpreter_prompt(self, number=None) -> None:
        super()._show_interpreter_prompt(number)
        if number is not None:  # None only asks the kernel for the number
            self.prompt_shown.emit()


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
