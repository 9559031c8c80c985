"""The REPL pane: a terminal on a board's prompt. Shows a TerminalModel; emits keystrokes.

A thin view that knows no protocol (unlike Mu's REPL pane, which writes paste-mode bytes
itself): text from the board goes in with ``feed()``, and what the user types comes out as
``keys_typed(bytes)``, the bytes a VT100 terminal would send. A paste comes out separately
as ``paste_requested(str)`` so the mode can hand it to the engine's paced paste
(``Board.terminal_paste``), which a micro:bit V1's 64-byte buffer needs.

Keys (what a person presses -> what the board receives):

- text -> UTF-8; Enter -> ``\\r``; Backspace -> DEL ``\\x7f`` (what xterm and miniterm send;
  MicroPython's readline takes DEL and ``\\b`` alike); Tab -> ``\\t`` (the board completes);
  arrows -> ``ESC[A/B/C/D`` (Up/Down walk the board's history); Home/End -> ``ESC[H``/``ESC[F``;
  Delete -> ``ESC[3~``. With Ctrl held the arrows send the plain sequences: the V1 firmware
  would print the ``;5`` of ``ESC[1;5D`` as text.
- Ctrl+A..Ctrl+E always go to the board, even where the window binds them (Ctrl+C
  interrupts, Ctrl+D soft-resets on an empty line, Ctrl+E is paste mode, Ctrl+A raw REPL);
  other Ctrl+letters go to the board only when the window has no shortcut for them.
- Ctrl+C interrupts even when text is selected: on stage, stopping a runaway loop must never
  depend on what happens to be selected. **Ctrl+Shift+C copies** (also Ctrl+Insert), as in
  terminals; Ctrl+Shift+A selects all.
- Paste: Ctrl+Shift+V, Ctrl+V, Shift+Insert, the middle button (the X11 selection), the
  context menu, and ``paste()`` (the window's Paste action) all emit ``paste_requested``.
- Escape sends nothing: a lone ESC would make the line editor swallow the next key.

Repainting is bounded during a flood: ``feed()`` only updates the model; the document is
brought up to date at most once per ``repaint_ms`` and then only from the first changed line
(``TerminalModel.take_changes``), with at most ``max_lines`` lines kept.
"""

from __future__ import annotations

from collections.abc import Mapping

from PyQt5.QtCore import QElapsedTimer, QEvent, QRectF, Qt, QTimer, pyqtSignal
from PyQt5.QtGui import (
    QClipboard,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QInputMethodEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
)
from PyQt5.QtWidgets import QAbstractSlider, QApplication, QPlainTextEdit, QWidget

from presenter.core.ansi import PLAIN, Style
from presenter.core.terminal_screen import TerminalModel
from presenter.core.themes import ANSI_KEYS, DEFAULT_ANSI_LIGHT

DEFAULT_COLOURS: dict[str, str] = {
    "paper": "",  # empty: the palette's (the theme's stylesheet sets it from output.paper)
    "text": "",
    "cursor": "#0b57d0",
    **dict(zip(ANSI_KEYS, DEFAULT_ANSI_LIGHT, strict=True)),
}

# Keys whose bytes do not depend on modifiers (VT100 / xterm sequences readline.c decodes).
_SPECIAL_KEYS: dict[int, bytes] = {
    Qt.Key_Return: b"\r",
    Qt.Key_Enter: b"\r",
    Qt.Key_Backspace: b"\x7f",
    Qt.Key_Delete: b"\x1b[3~",
    Qt.Key_Up: b"\x1b[A",
    Qt.Key_Down: b"\x1b[B",
    Qt.Key_Right: b"\x1b[C",
    Qt.Key_Left: b"\x1b[D",
    Qt.Key_Home: b"\x1b[H",
    Qt.Key_End: b"\x1b[F",
}
# Ctrl+letters the board owns even when the window binds them (Select All, Focus Editor...).
_BOARD_CTRL_KEYS = frozenset({Qt.Key_A, Qt.Key_B, Qt.Key_C, Qt.Key_D, Qt.Key_E})
_CTRL = Qt.ControlModifier | Qt.MetaModifier  # Meta: the physical Ctrl key on macOS


class ReplPane(QPlainTextEdit):
    """A terminal view of a board's REPL."""

    # ---- Signals

    keys_typed = pyqtSignal(bytes)
    """Bytes to send to the board for keys the user pressed (already VT100-encoded)."""

    paste_requested = pyqtSignal(str)
    """The user pasted this text: send it with the engine's paced paste, not as raw keys."""

    # ---- Construction

    def __init__(
        self,
        parent: QWidget | None = None,
        max_lines: int = 5000,
        repaint_ms: int = 30,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ReplPane")
        self.setUndoRedoEnabled(False)
        self.setReadOnly(True)  # the document mirrors the model; keys go to the board
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setAttribute(Qt.WA_InputMethodEnabled, True)  # dead keys and input methods type too
        self.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.model = TerminalModel(max_lines=max_lines)
        self._colours = dict(DEFAULT_COLOURS)
        self._formats: dict[int, QTextCharFormat] = {}  # Style.code -> format
        self._rerender = True
        self._follow = True  # scroll to the cursor at the next repaint
        self._repaint_ms = repaint_ms
        self._since_render = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self.flush()

    # ---- Public API

    def feed(self, text: str) -> None:
        """Show text the board printed; the view catches up within ``repaint_ms``."""
        self.model.feed(text)
        self._schedule()

    def flush(self) -> None:
        """Bring the view up to date with the model now."""
        self._timer.stop()
        self._since_render.start()
        changes = self.model.take_changes()
        doc = self.document()
        bar = self.verticalScrollBar()
        follow = self._follow or bar.value() >= bar.maximum() - 2
        first = changes.first_dirty
        if self._rerender or changes.reset or changes.trimmed >= doc.blockCount():
            self._rerender = False
            first = 0
        elif changes.trimmed:
            cursor = QTextCursor(doc)
            cursor.setPosition(doc.findBlockByNumber(changes.trimmed).position(), QTextCursor.KeepAnchor)
            cursor.removeSelectedText()
        if first is not None:
            self._rewrite_from(min(first, doc.blockCount()))  # never leave a gap of lines
        if follow:
            bar.setValue(bar.maximum())
        self._follow = False
        self.viewport().update()  # the cursor may have moved without any text changing

    def clear(self) -> None:
        """Forget everything shown (the board is not told)."""
        self.model.clear()
        self.flush()

    def paste(self) -> None:
        """The window's Paste action while the pane has focus: ask for a paced paste."""
        self._request_paste(QApplication.clipboard().text())

    def set_font_size(self, pt: int, family: str | None = None) -> None:
        """Zoom: one font for the whole pane, like the output pane.

        Set as the pane's own style sheet because the window's sheet gives every QWidget the
        UI size, and a sheet wins over ``setFont``; the widget's own sheet wins over both.
        """
        font = QFont(self.font())
        if family:
            font.setFamily(family)
        font.setPointSize(max(4, int(pt)))
        self.setFont(font)
        self.setStyleSheet(
            f'QPlainTextEdit#ReplPane {{ font-family: "{font.family()}"; '
            f"font-size: {font.pointSize()}pt; }}"
        )
        self.viewport().update()

    def set_colours(self, colours: Mapping[str, str]) -> None:
        """Theme colours: paper, text, cursor and the 16 ANSI names (``Theme.terminal``)."""
        self._colours.update({k: v for k, v in colours.items() if k in DEFAULT_COLOURS})
        palette = self.palette()
        if self._colours["paper"]:
            palette.setColor(QPalette.Base, QColor(self._colours["paper"]))
        if self._colours["text"]:
            palette.setColor(QPalette.Text, QColor(self._colours["text"]))
        self.setPalette(palette)
        self._formats.clear()
        self._rerender = True  # text already shown takes the new colours too
        self.flush()

    def format_for(self, style: Style) -> QTextCharFormat:
        """The character format drawn for ``style`` (tests check theme colours through this)."""
        fmt = self._formats.get(style.code)  # an int key: hashed without a Python call
        if fmt is None:
            fmt = self._formats[style.code] = self._build_format(style)
        return fmt

    # ---- Qt event handlers

    def event(self, event: QEvent) -> bool:  # noqa: D102 (Qt override)
        if event.type() == QEvent.ShortcutOverride and self._claims(event):
            event.accept()  # the key comes to keyPressEvent instead of a window shortcut
            return True
        if (event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Tab, Qt.Key_Backtab)
                and not event.modifiers() & _CTRL):
            self.keyPressEvent(event)  # Tab completes on the board; it must not move focus
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key = event.key()
        mods = event.modifiers()
        ctrl, shift = bool(mods & _CTRL), bool(mods & Qt.ShiftModifier)
        if _is_copy(key, ctrl, shift):
            self.copy()
        elif _is_paste(key, ctrl, shift):
            self.paste()
        elif ctrl and shift and key == Qt.Key_A:
            self.selectAll()
        elif key in (Qt.Key_PageUp, Qt.Key_PageDown):
            self.verticalScrollBar().triggerAction(
                QAbstractSlider.SliderPageStepSub if key == Qt.Key_PageUp
                else QAbstractSlider.SliderPageStepAdd)
        else:
            data = key_bytes(event)
            if data is None:
                event.ignore()
                return
            self._type(data)
        event.accept()

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802 (Qt name)
        if event.commitString():
            self._type(event.commitString().encode("utf-8"))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() == Qt.MiddleButton:
            clipboard = QApplication.clipboard()
            mode = QClipboard.Selection if clipboard.supportsSelection() else QClipboard.Clipboard
            self._request_paste(clipboard.text(mode))
            event.accept()
            return
        super().mousePressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt name)
        menu = self.createStandardContextMenu()
        action = menu.addAction("Paste")
        action.setEnabled(bool(QApplication.clipboard().text()))
        action.triggered.connect(self.paste)
        menu.exec_(event.globalPos())
        menu.deleteLater()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        self._paint_cursor()

    # ---- Internals

    def _type(self, data: bytes) -> None:
        self._follow = True  # show where the typing lands, even if scrolled back
        self.keys_typed.emit(data)
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _request_paste(self, text: str) -> None:
        if text:
            self._follow = True
            self.paste_requested.emit(text)

    def _claims(self, event: QKeyEvent) -> bool:
        key = event.key()
        mods = event.modifiers()
        ctrl, shift = bool(mods & _CTRL), bool(mods & Qt.ShiftModifier)
        if _is_copy(key, ctrl, shift) or _is_paste(key, ctrl, shift):
            return True
        if ctrl:
            return (key in _BOARD_CTRL_KEYS and not shift) or (shift and key == Qt.Key_A)
        return key_bytes(event) is not None

    def _schedule(self) -> None:
        if self._timer.isActive():
            return
        waited = self._since_render.elapsed()
        if waited >= self._repaint_ms:
            self.flush()  # quiet line: show the echo at once
        else:
            self._timer.start(self._repaint_ms - waited)

    def _rewrite_from(self, first: int) -> None:
        """Replace the document from block ``first`` to the end with the model's lines."""
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        if first < doc.blockCount():
            cursor.setPosition(doc.findBlockByNumber(first).position())
            cursor.movePosition(QTextCursor.End, QTextCursor.KeepAnchor)
            cursor.removeSelectedText()
            prefix = ""
        else:
            cursor.movePosition(QTextCursor.End)
            prefix = "\n"
        plain = self.format_for(PLAIN)
        pending: list[str] = []  # consecutive plain lines go in with one insertText
        for i, line in enumerate(self.model.lines[first:]):
            sep = prefix if i == 0 else "\n"
            if line.styles is None:
                pending.append(sep + line.text)
                continue
            if pending:
                cursor.insertText("".join(pending), plain)
                pending.clear()
            cursor.insertText(sep, plain)
            for text, style in line.runs():
                cursor.insertText(text, self.format_for(style))
        if pending:
            cursor.insertText("".join(pending), plain)
        cursor.endEditBlock()

    def _colour(self, index: int | None, fallback: str) -> QColor:
        if index is not None:
            return QColor(self._colours[ANSI_KEYS[index]])
        name = self._colours[fallback]
        if name:
            return QColor(name)
        return self.palette().color(QPalette.Base if fallback == "paper" else QPalette.Text)

    def _build_format(self, style: Style) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fg, bg = style.fg, style.bg
        if style.inverse:
            fmt.setForeground(self._colour(bg, "paper"))
            fmt.setBackground(self._colour(fg, "text"))
        else:
            if fg is not None:
                fmt.setForeground(self._colour(fg, "text"))
            if bg is not None:
                fmt.setBackground(self._colour(bg, "paper"))
        if style.bold:
            fmt.setFontWeight(QFont.Bold)
        if style.italic:
            fmt.setFontItalic(True)
        if style.underline:
            fmt.setFontUnderline(True)
        return fmt

    def _paint_cursor(self) -> None:
        """A block cursor where the board's cursor is: visible from the back of a hall."""
        doc = self.document()
        row, col = self.model.cursor
        block = doc.findBlockByNumber(min(row, doc.blockCount() - 1))
        text = block.text()
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + min(col, len(text)))
        rect = self.cursorRect(cursor)
        metrics = QFontMetricsF(self.font())
        char = text[col] if col < len(text) else " "
        x = rect.left() + max(0, col - len(text)) * metrics.horizontalAdvance(" ")
        box = QRectF(x, rect.top(), max(2.0, metrics.horizontalAdvance(char)), rect.height())
        colour = QColor(self._colours["cursor"])
        painter = QPainter(self.viewport())
        if self.hasFocus():
            painter.fillRect(box, colour)
            painter.setPen(self._colour(None, "paper"))
            painter.setFont(self.font())
            painter.drawText(box, Qt.AlignLeft | Qt.AlignVCenter, char)
        else:
            painter.setPen(colour)
            painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()


def key_bytes(event: QKeyEvent) -> bytes | None:
    """The bytes a terminal sends for this key press, or None for keys the board never gets."""
    key = event.key()
    mods = event.modifiers()
    ctrl, alt = bool(mods & _CTRL), bool(mods & Qt.AltModifier)
    if key in _SPECIAL_KEYS:
        return _SPECIAL_KEYS[key]
    if key == Qt.Key_Tab and not ctrl:
        return b"\t"
    if ctrl and not alt and Qt.Key_A <= key <= Qt.Key_Z:
        return bytes([key - Qt.Key_A + 1])
    text = event.text()
    if text and text.isprintable() and (not ctrl or alt):  # Ctrl+Alt = AltGr on Windows
        return text.encode("utf-8")
    return None


def _is_copy(key: int, ctrl: bool, shift: bool) -> bool:
    return ctrl and ((shift and key == Qt.Key_C) or (not shift and key == Qt.Key_Insert))


def _is_paste(key: int, ctrl: bool, shift: bool) -> bool:
    return (ctrl and key == Qt.Key_V) or (shift and not ctrl and key == Qt.Key_Insert)
