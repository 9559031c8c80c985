"""The output pane: shows a program's output, takes its input, makes tracebacks clickable.

A thin view. It knows nothing about processes: a mode hands it tagged chunks
(``core.output`` batches) and listens to its requests (``input_submitted``,
``eof_requested``, ``location_activated``).

Why it stays responsive in a flood: chunks arrive in bounded batches, consecutive chunks of
one stream go in with a single ``insertText`` on a document with undo disabled, the block
count is capped, and when a batch says older lines were dropped the content is replaced
rather than appended (inserting into a full document makes Qt delete blocks from the top,
which costs far more than starting again).

Input: while a program runs the user types at the end of the pane; the typed text is kept as
a "pending input" tail that program output is inserted *before*, so nothing typed is lost or
interleaved. Enter submits the line, Ctrl+D asks for end-of-file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PyQt5.QtCore import QPoint, Qt, QTimer, pyqtSignal
from PyQt5.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PyQt5.QtWidgets import QApplication, QPlainTextEdit, QWidget

from presenter.core.output import INFO, INPUT, STDERR, STDOUT, OutputBuffer, dropped_note
from presenter.core.tracebacks import find_locations, location_at

ROLE_PROPERTY = QTextFormat.UserProperty + 1  # which stream a piece of text came from
LINK_PROPERTY = QTextFormat.UserProperty + 2  # a clickable traceback location

DEFAULT_COLOURS: dict[str, str] = {
    "stdout": "",  # empty: the palette's text colour, so any theme reads well
    "stderr": "#e0443e",
    "info": "#7f8c8d",
    "link": "#3d8fd6",
    "input": "#2fa84f",
}


class OutputPane(QPlainTextEdit):
    """Program output with an input line at the end and clickable traceback locations."""

    # ---- Signals

    input_submitted = pyqtSignal(str)
    """The user pressed Enter: the typed line, without the newline."""

    eof_requested = pyqtSignal()
    """The user pressed Ctrl+D: close the program's stdin."""

    location_activated = pyqtSignal(str, int)
    """A traceback location was clicked: (path, line). Paths pass through ``set_path_aliases``."""

    output_appended = pyqtSignal(list)
    """Output just shown, as ``(stream, text)`` chunks: one emission per painted batch, never
    per line, so a listener (the plotter) sees every mode's output at a bounded rate."""

    cleared = pyqtSignal()
    """The output was cleared (a new run starts, or the user cleared it)."""

    # ---- Construction

    def __init__(
        self,
        parent: QWidget | None = None,
        max_lines: int = 20000,
        max_line_chars: int = 10000,
        batch_lines: int = 4000,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("OutputPane")
        self.setUndoRedoEnabled(False)
        self.setReadOnly(True)  # every edit goes through this class, at the end only
        self.setTextInteractionFlags(
            Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard  # type: ignore[arg-type]
        )
        self.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.viewport().setMouseTracking(True)
        self._max_lines = max_lines
        self.setMaximumBlockCount(max_lines + 2)  # + the note line + the unfinished line
        self._colours = dict(DEFAULT_COLOURS)
        self._formats: dict[str, QTextCharFormat] = {}
        self._link_format = QTextCharFormat()
        self._rebuild_formats()
        self._running = False
        self._pending_input = ""  # typed but not yet submitted; always the document's tail
        self._at_line_start = True  # does the output (before pending input) end with "\n"?
        self._total_lines = 0  # complete output lines received since clear()
        self._path_aliases: dict[str, str] = {}
        # feed(): for callers that get output as signals on the GUI thread (board modes).
        self._feed_buffer = OutputBuffer(max_lines, max_line_chars)
        self._batch_lines = batch_lines
        self._feed_timer = QTimer(self)
        self._feed_timer.setInterval(30)
        self._feed_timer.timeout.connect(self.flush_feed)

    # ---- Public API

    def append_chunks(self, chunks: Iterable[tuple[str, str]], dropped_lines: int = 0) -> None:
        """Show ``(stream, text)`` chunks; ``dropped_lines`` > 0 means older output was lost.

        When lines were dropped before these chunks, everything shown so far is older than
        the gap, so the content is replaced by a note and the new chunks.
        """
        groups = _merge(chunks)
        new_lines = sum(text.count("\n") for _, text in groups)
        if not groups and not dropped_lines:
            return
        self._total_lines += dropped_lines + new_lines
        bar = self.verticalScrollBar()
        scrolled_to = bar.value()
        follow = scrolled_to >= bar.maximum() - 2
        doc = self.document()
        if dropped_lines:
            doc.clear()
            cursor = QTextCursor(doc)
            cursor.beginEditBlock()
            note = dropped_note(self._total_lines - new_lines, self._max_lines)  # all but these
            cursor.insertText(note + "\n", self._formats[INFO])
            self._insert_groups(cursor, groups)
            if self._pending_input:
                cursor.insertText(self._pending_input, self._formats[INPUT])
            cursor.endEditBlock()
        else:
            cursor = self._output_cursor()
            cursor.beginEditBlock()
            self._insert_groups(cursor, groups)
            cursor.endEditBlock()
        if doc.blockCount() >= self.maximumBlockCount():
            # Qt trimmed the oldest lines: keep saying so in the (new) first line.
            self._write_top_note()
        if groups:
            self._at_line_start = groups[-1][1].endswith("\n")
        if follow:
            bar.setValue(bar.maximum())
        elif dropped_lines:
            bar.setValue(min(scrolled_to, bar.maximum()))  # reading back: don't jump to the top
        if groups:
            self.output_appended.emit(groups)

    def feed(self, stream: str, text: str) -> None:
        """Queue output that arrives piecemeal (e.g. a signal per serial read).

        It goes through a bounded ``OutputBuffer`` (line cap, long-line truncation) and is
        painted in bounded batches on a timer, so a board printing in a tight loop can't
        freeze the window. ``append_chunks`` is the direct path for callers that batch already.
        """
        self._feed_buffer.append(stream, text)
        if not self._feed_timer.isActive():
            self._feed_timer.start()

    def flush_feed(self, everything: bool = False) -> None:
        """Paint one batch of fed output now (all of it with ``everything``, e.g. at the end)."""
        if everything:
            self._feed_buffer.end_line()
        batch = self._feed_buffer.take(None if everything else self._batch_lines)
        if batch.chunks or batch.dropped_lines:
            self.append_chunks(batch.chunks, batch.dropped_lines)
        if not len(self._feed_buffer):
            self._feed_timer.stop()

    def append_info(self, text: str) -> None:
        """An info line (exit status, "Running…"), always on a line of its own."""
        prefix = "" if self._at_line_start else "\n"
        self.append_chunks([(INFO, prefix + text + "\n")])

    def clear(self) -> None:
        """Clear the output (typed-but-unsent input survives)."""
        self._feed_buffer.clear()
        self.document().clear()
        self._total_lines = 0
        self._at_line_start = True
        if self._pending_input:
            cursor = QTextCursor(self.document())
            cursor.insertText(self._pending_input, self._formats[INPUT])
        self.cleared.emit()

    def set_running(self, running: bool) -> None:
        """Input is accepted only while a program runs; stopping keeps typed text visible."""
        self._running = running
        if not running and self._pending_input:
            self._pending_input = ""  # it stays on screen as plain history
            self._at_line_start = False
        if running:
            self.moveCursor(QTextCursor.End)

    def is_running(self) -> bool:
        return self._running

    def pending_input(self) -> str:
        """What the user has typed since the last Enter."""
        return self._pending_input

    def set_colours(self, colours: Mapping[str, str]) -> None:
        """Theme colours by role: stdout, stderr, info, link, input ("" = palette text)."""
        self._colours.update({k: v for k, v in colours.items() if k in DEFAULT_COLOURS})
        self._rebuild_formats()
        self._recolour_existing()

    def set_font_size(self, pt: int) -> None:
        """Zoom: every character in the pane uses one font, so this is all it takes."""
        font = QFont(self.font())
        font.setPointSize(max(4, int(pt)))
        self.setFont(font)

    def set_max_lines(self, max_lines: int) -> None:
        self._max_lines = max_lines
        self.setMaximumBlockCount(max_lines + 2)
        self._feed_buffer.max_lines = max_lines

    def set_path_aliases(self, aliases: Mapping[str, str]) -> None:
        """Report clicks on ``path`` as ``aliases[path]`` (a temp copy -> its editor tab)."""
        self._path_aliases = dict(aliases)

    def activate_position(self, position: int) -> bool:
        """Act on a click at document ``position``: emit ``location_activated`` if it is a link."""
        block = self.document().findBlock(position)
        if not block.isValid():
            return False
        found = location_at(block.text(), position - block.position())
        if found is None:
            return False
        path = self._path_aliases.get(found.path, found.path)
        self.location_activated.emit(path, found.line)
        return True

    # ---- Qt event handlers

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if not self._running:
            super().keyPressEvent(event)
            return
        key = event.key()
        mods = event.modifiers()
        ctrl = bool(mods & (Qt.ControlModifier | Qt.MetaModifier))
        if key in (Qt.Key_Return, Qt.Key_Enter):
            self.submit_input()
        elif ctrl and key == Qt.Key_D:
            self.eof_requested.emit()
        elif event.matches(QKeySequence.Paste):
            self.type_text(QApplication.clipboard().text())
        elif key == Qt.Key_Backspace:
            if self._pending_input:
                self._pending_input = self._pending_input[:-1]
                cursor = QTextCursor(self.document())
                cursor.movePosition(QTextCursor.End)
                cursor.deletePreviousChar()
        elif event.text() and event.text().isprintable() and not ctrl:
            self.type_text(event.text())
        else:
            super().keyPressEvent(event)  # copy, select all, navigation

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        super().mouseReleaseEvent(event)
        if event.button() == Qt.LeftButton and not self.textCursor().hasSelection():
            self.activate_position(self.cursorForPosition(event.pos()).position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        super().mouseMoveEvent(event)
        over_link = self._location_at_point(event.pos())
        self.viewport().setCursor(Qt.PointingHandCursor if over_link else Qt.IBeamCursor)

    # ---- Input (also the API tests and the presenting tools use)

    def type_text(self, text: str) -> None:
        """Type ``text`` at the end as the user would; newlines submit lines."""
        if not self._running:
            return
        *complete, rest = text.replace("\r\n", "\n").split("\n")
        for line in complete:
            self._insert_input(line)
            self.submit_input()
        self._insert_input(rest)

    def submit_input(self) -> None:
        """Send the pending input line (Enter)."""
        if not self._running:
            return
        line = self._pending_input
        self._pending_input = ""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.End)
        cursor.insertText("\n", self._formats[INPUT])
        self._at_line_start = True
        self._total_lines += 1
        self.ensureCursorVisible()
        self.input_submitted.emit(line)

    # ---- Internals

    def _insert_input(self, text: str) -> None:
        if not text:
            return
        self._pending_input += text
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.End)
        cursor.insertText(text, self._formats[INPUT])
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _output_cursor(self) -> QTextCursor:
        """A cursor where output goes: the end, before any pending input."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.End)
        if self._pending_input:
            cursor.setPosition(cursor.position() - len(self._pending_input))
        return cursor

    def _write_top_note(self) -> None:
        doc = self.document()
        shown = doc.blockCount() - 2  # minus the note line and the last (open) line
        cursor = QTextCursor(doc.firstBlock())
        cursor.movePosition(QTextCursor.EndOfBlock, QTextCursor.KeepAnchor)
        cursor.insertText(
            dropped_note(max(0, self._total_lines - shown), self._max_lines), self._formats[INFO]
        )

    def _insert_groups(self, cursor: QTextCursor, groups: list[tuple[str, str]]) -> None:
        formats = self._formats
        for stream, text in groups:
            fmt = formats.get(stream, formats[STDOUT])
            locations = find_locations(text)
            if not locations:
                cursor.insertText(text, fmt)
                continue
            start = 0
            link = QTextCharFormat(fmt)
            link.merge(self._link_format)
            for loc in locations:
                cursor.insertText(text[start : loc.start], fmt)
                cursor.insertText(text[loc.start : loc.end], link)
                start = loc.end
            cursor.insertText(text[start:], fmt)

    def _location_at_point(self, point: QPoint) -> bool:
        cursor = self.cursorForPosition(point)
        block = cursor.block()
        return location_at(block.text(), cursor.positionInBlock()) is not None

    def _rebuild_formats(self) -> None:
        for role in (STDOUT, STDERR, INFO, INPUT):
            fmt = QTextCharFormat()
            fmt.setProperty(ROLE_PROPERTY, role)  # lets a theme switch recolour old text
            colour = self._colours.get(role, "")
            if colour:
                fmt.setForeground(QColor(colour))
            if role == INFO:
                fmt.setFontItalic(True)
            if role == INPUT:
                fmt.setFontWeight(QFont.Bold)
            self._formats[role] = fmt
        self._link_format = QTextCharFormat()
        self._link_format.setProperty(LINK_PROPERTY, True)
        self._link_format.setFontUnderline(True)
        if self._colours.get("link"):
            self._link_format.setForeground(QColor(self._colours["link"]))

    def _recolour_existing(self) -> None:
        """Give text already shown the current theme's colours (a switch mid-talk)."""
        doc = self.document()
        cursor = QTextCursor(doc)
        block = doc.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                fmt = fragment.charFormat()
                role = fmt.property(ROLE_PROPERTY)
                if role:
                    colour = self._colours.get("link" if fmt.property(LINK_PROPERTY) else role, "")
                    new = QTextCharFormat(fmt)
                    if colour:
                        new.setForeground(QColor(colour))
                    else:
                        new.clearForeground()
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.KeepAnchor)
                    cursor.setCharFormat(new)
                fragments += 1
            block = block.next()

    def format_for(self, stream: str) -> QTextCharFormat:
        """The character format used for ``stream`` (tests check colours through this)."""
        return QTextCharFormat(self._formats.get(stream, self._formats[STDOUT]))


def _merge(chunks: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join consecutive chunks of one stream so each becomes a single insertText call."""
    out: list[tuple[str, list[str]]] = []
    for stream, text in chunks:
        if not text:
            continue
        if out and out[-1][0] == stream:
            out[-1][1].append(text)
        else:
            out.append((stream, [text]))
    return [(stream, "".join(parts)) for stream, parts in out]
