"""The output pane: shows a program's output, takes its input, makes tracebacks clickable.

A thin view. It knows nothing about processes: a mode hands it tagged chunks
(``core.output`` batches) and listens to its requests (``input_submitted``,
``eof_requested``, ``location_activated``).

Why it stays responsive in a flood: chunks arrive in bounded batches, consecutive chunks of
one stream and style go in with a single ``insertText`` on a document with undo disabled, the
block count is capped, and when a batch says older lines were dropped the content is replaced
rather than appended (inserting into a full document makes Qt delete blocks from the top,
which costs far more than starting again).

Terminal output: the text arrives already interpreted by ``core.output`` (no escape bytes).
A chunk's ``Style`` names palette slots, which become the theme's ANSI colours here; a
``LINE_RESET`` chunk clears the current line so the chunks after it redraw it (``\r``
progress bars).

Traceback locations are underlined after the text is in, a line at a time, so a location
split across two batches still becomes a link; a path the mode renamed (a temporary copy of an
unsaved tab) is shown as the tab's name.

Input: while a program runs the user types at the end of the pane; the typed text is kept as
a "pending input" tail that program output is inserted *before*, so nothing typed is lost or
interleaved. Enter submits the line, Ctrl+D asks for end-of-file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from PyQt5.QtCore import QPoint, Qt, QTimer, pyqtSignal
from PyQt5.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PyQt5.QtWidgets import QApplication, QPlainTextEdit, QWidget

from presenter.core.ansi import PLAIN, Style
from presenter.core.output import (
    INFO,
    INPUT,
    LINE_RESET,
    STDERR,
    STDOUT,
    OutputBuffer,
    dropped_note,
)
from presenter.core.themes import DEFAULT_ANSI_LIGHT, contrast_ratio, most_readable
from presenter.core.tracebacks import find_locations, location_at

ROLE_PROPERTY = QTextFormat.UserProperty + 1  # which stream a piece of text came from
LINK_PROPERTY = QTextFormat.UserProperty + 2  # a clickable traceback location
STYLE_PROPERTY = QTextFormat.UserProperty + 3  # the ANSI Style's code (theme switch recolours)

DEFAULT_COLOURS: dict[str, str] = {
    "stdout": "",  # empty: the palette's text colour, so any theme reads well
    "stderr": "#e0443e",
    "info": "#7f8c8d",
    "link": "#3d8fd6",
    "input": "#2fa84f",
    "paper": "",  # empty: the palette's base colour
}
_LOCATION_PROBE = 'File "'  # cheap test before looking for traceback locations line by line
_MIN_CONTRAST = 4.5  # WCAG AA: text a program put on a background must still read


@dataclass
class _Batch:
    """``append_chunks`` calls made one document edit (``OutputPane.batched``)."""

    cursor: QTextCursor  # holds the edit block open
    follow: bool  # the view was at the end when the batch began
    scrolled_to: int
    dropped: bool = False  # the content was replaced (older output was lost)


class OutputPane(QPlainTextEdit):
    """Program output with an input line at the end and clickable traceback locations."""

    # ---- Signals

    input_submitted = pyqtSignal(str)
    """The user pressed Enter: the typed line, without the newline."""

    eof_requested = pyqtSignal()
    """The user pressed Ctrl+D: close the program's stdin."""

    location_activated = pyqtSignal(str, int)
    """A traceback location was clicked: (path, line). Paths pass through ``set_path_aliases``
    (a renamed path reports its alias, or its real path when it has none)."""

    output_appended = pyqtSignal(object)
    """Output just shown, as a list of ``(stream, text)`` chunks: one emission per painted
    batch, never per line, so a listener (the plotter) sees every mode's output at a bounded
    rate. Text has no escape sequences; a ``(LINE_RESET, "")`` chunk means the unfinished line
    was cleared and the chunks after it redraw it (a ``\r`` progress bar). (Declared
    ``object``: a ``list`` signal makes PyQt copy the list into a QVariantList on every emit,
    receiver or not, 18 ms for a coloured batch's 77,000 runs.)"""

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
        self._ansi: list[str] = list(DEFAULT_ANSI_LIGHT)
        self._formats: dict[str, QTextCharFormat] = {}
        self._styled_formats: dict[tuple[str, int], QTextCharFormat] = {}  # (stream, Style.code)
        self._link_format = QTextCharFormat()
        self._rebuild_formats()
        self._running = False
        self._pending_input = ""  # typed but not yet submitted; always the document's tail
        self._at_line_start = True  # does the output (before pending input) end with "\n"?
        self._total_lines = 0  # complete output lines received since clear()
        self._path_aliases: dict[str, str] = {}  # path in a location -> what a click reports
        self._shown_names: dict[str, str] = {}  # path in a location -> what is shown instead
        # feed(): for callers that get output as signals on the GUI thread (board modes).
        self._feed_buffer = OutputBuffer(max_lines, max_line_chars)
        self._feed_infos: list[str] = []  # info lines waiting for the fed output before them
        self._batch_lines = batch_lines
        self._feed_timer = QTimer(self)
        self._feed_timer.setInterval(30)
        self._feed_timer.timeout.connect(self.flush_feed)
        self._batch: _Batch | None = None

    # ---- Public API

    def append_chunks(
        self, chunks: Iterable[tuple[str, str] | tuple[str, str, Style]], dropped_lines: int = 0
    ) -> None:
        """Show ``(stream, text[, style])`` chunks in order (``core.output.Chunk``s, or pairs).

        ``dropped_lines`` > 0 means older output was lost: everything shown so far is older
        than the gap, so the content is replaced by a note and the new chunks.
        """
        chunks = chunks if isinstance(chunks, list) else list(chunks)
        if not chunks and not dropped_lines:
            return
        batch = self._batch
        scrolled_to = self.verticalScrollBar().value()
        follow = scrolled_to >= self.verticalScrollBar().maximum() - 2
        doc = self.document()
        if dropped_lines:
            self._clear_document()
            cursor = QTextCursor(doc)
            cursor.beginEditBlock()
            note = dropped_note(self._total_lines + dropped_lines, self._max_lines)  # all before
            cursor.insertText(note + "\n", self._formats[INFO])
            shown, new_lines = self._insert_chunks(cursor, chunks)
            if self._pending_input:
                cursor.insertText(self._pending_input, self._formats[INPUT])
            cursor.endEditBlock()
        else:
            cursor = self._output_cursor()
            cursor.beginEditBlock()
            shown, new_lines = self._insert_chunks(cursor, chunks)
            cursor.endEditBlock()
        self._total_lines += dropped_lines + new_lines
        if chunks:
            self._at_line_start = self._output_cursor().atBlockStart()
        if batch is None:
            self._settle(follow, scrolled_to, bool(dropped_lines))
        elif dropped_lines:
            batch.dropped = True
        if shown:
            self.output_appended.emit(shown)

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Make the ``append_chunks`` calls inside this one document edit.

        After each edit Qt lays out the screenful at the end of the document again (the scroll
        bar's range), and the pane scrolls: 0.5 ms for coloured lines. A caller that draws a
        flood in slices, to stop when its time is up, pays that once for all its slices
        instead of once a slice. The top note and following the end are settled when the
        batch ends (Qt trims to the scrollback limit then too).
        """
        if self._batch is not None:  # nested: the outer batch settles
            yield
            return
        bar = self.verticalScrollBar()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        self._batch = _Batch(cursor, bar.value() >= bar.maximum() - 2, bar.value())
        try:
            yield
        finally:
            batch, self._batch = self._batch, None
            batch.cursor.endEditBlock()
            self._settle(batch.follow, batch.scrolled_to, batch.dropped)

    def feed(self, stream: str, text: str) -> None:
        """Queue output that arrives piecemeal (e.g. a signal per serial read).

        It goes through a bounded ``OutputBuffer`` (line cap, long-line truncation) and is
        painted in bounded batches on a timer, so a board printing in a tight loop can't
        freeze the window. ``append_chunks`` is the direct path for callers that batch already.
        """
        self._feed_buffer.append(stream, text)
        if not self._feed_timer.isActive():
            self._feed_timer.start()

    def feed_info(self, text: str) -> None:
        """An info line ("Program finished") after all output fed so far, on a line of its own.

        It waits until that output is painted (in bounded batches), so a run's last lines are
        never shown after the line that says the run ended.
        """
        self._feed_buffer.end_line()
        self._feed_infos.append(text)
        if not self._feed_timer.isActive():
            self._feed_timer.start()

    def feeding(self) -> bool:
        """Is fed output (or an info line) still waiting to be painted?"""
        return bool(len(self._feed_buffer) or self._feed_infos)

    def flush_feed(self, everything: bool = False) -> None:
        """Paint one batch of fed output now (all of it with ``everything``, e.g. at the end)."""
        if everything:
            self._feed_buffer.end_line()
        batch = self._feed_buffer.take(None if everything else self._batch_lines)
        if batch.chunks or batch.dropped_lines:
            self.append_chunks(batch.chunks, batch.dropped_lines)
        if not len(self._feed_buffer):
            infos, self._feed_infos = self._feed_infos, []
            for info in infos:
                self.append_info(info)
            self._feed_timer.stop()

    def append_info(self, text: str) -> None:
        """An info line (exit status, "Running…"), always on a line of its own."""
        prefix = "" if self._at_line_start else "\n"
        self.append_chunks([(INFO, prefix + text + "\n")])

    def clear(self) -> None:
        """Clear the output (typed-but-unsent input survives)."""
        self._feed_buffer.clear()
        self._feed_infos.clear()
        self._clear_document()
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
        """Theme colours by role: stdout, stderr, info, link, input, paper ("" = palette's)."""
        self._colours.update({k: v for k, v in colours.items() if k in DEFAULT_COLOURS})
        self._rebuild_formats()
        self._recolour_existing()

    def set_ansi_palette(self, colours: Sequence[str]) -> None:
        """The theme's 16 ANSI colours (black, red, ... white, then the bright eight)."""
        if len(colours) != 16:
            raise ValueError(f"an ANSI palette has 16 colours, not {len(colours)}")
        self._ansi = list(colours)
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

    def set_path_aliases(
        self, aliases: Mapping[str, str], shown_as: Mapping[str, str] | None = None
    ) -> None:
        """Report clicks on ``path`` as ``aliases[path]`` (a temp copy -> its editor tab), and
        show locations naming ``path`` as ``shown_as[path]`` (the tab's name, not a temp path).

        Applies to output that arrives from now on.
        """
        self._path_aliases = dict(aliases)
        self._shown_names = dict(shown_as or {})
        for path, shown in self._shown_names.items():
            self._path_aliases.setdefault(shown, self._path_aliases.get(path, path))

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
        # Output fed from now on starts on the line after the echo: the line the program left
        # open (an input() prompt) is over, and a later \r must not redraw it.
        self._feed_buffer.break_line()
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

    def _clear_document(self) -> None:
        """Empty the document; an open batch's edit block is closed around it, because Qt's
        clear() inside one would leave the block's pending change pointing into the old text."""
        batch = self._batch
        if batch is not None:
            batch.cursor.endEditBlock()
        self.document().clear()
        if batch is not None:
            batch.cursor = QTextCursor(self.document())
            batch.cursor.beginEditBlock()

    def _settle(self, follow: bool, scrolled_to: int, dropped: bool) -> None:
        """After output went in: say what the scrollback limit trimmed, and scroll."""
        if self.document().blockCount() >= self.maximumBlockCount():
            # Qt trimmed the oldest lines: keep saying so in the (new) first line.
            self._write_top_note()
        bar = self.verticalScrollBar()
        if follow:
            bar.setValue(bar.maximum())
        elif dropped:
            bar.setValue(min(scrolled_to, bar.maximum()))  # reading back: don't jump to the top

    def _write_top_note(self) -> None:
        doc = self.document()
        shown = doc.blockCount() - 2  # minus the note line and the last (open) line
        cursor = QTextCursor(doc.firstBlock())
        cursor.movePosition(QTextCursor.EndOfBlock, QTextCursor.KeepAnchor)
        cursor.insertText(
            dropped_note(max(0, self._total_lines - shown), self._max_lines), self._formats[INFO]
        )

    def _insert_chunks(
        self, cursor: QTextCursor, chunks: list[tuple]
    ) -> tuple[list[tuple[str, str]], int]:
        """Insert chunks at ``cursor`` in order; returns the runs shown as ``(stream, text)``
        (``(LINE_RESET, "")`` where the line was cleared) for ``output_appended``, and the
        number of newlines inserted.

        Consecutive chunks of one stream and style become one ``insertText`` call. Blanks
        (spaces, the newline) look the same in any style without a background, underline or
        inverse, so they join the run before them: a coloured flood is a Qt call per run, and
        this saves one or two a line. One pass, because that flood is also a loop iteration
        per run.
        """
        line_start = QTextCursor(cursor)  # follows edits: where this insertion's first line starts
        line_start.movePosition(QTextCursor.StartOfBlock)
        line_start.setKeepPositionOnInsert(True)
        before = cursor.block().text()[: cursor.positionInBlock()]  # a location may straddle
        formats = self._styled_formats
        insert = cursor.insertText
        shown: list[tuple[str, str]] = []
        show = shown.append
        texts: list[str] = []  # every run's text, for the line count and the location probe
        keep = texts.append
        # The run being gathered: its text (built with ``+=``, which CPython extends in place),
        # stream and style. A coloured flood is several runs a line, so this loop is the
        # pane's share of its cost: no per-run lists or joins, one format lookup per run, and
        # the blank test starts with the first character (most runs are not blank).
        run = ""
        stream: str | None = None
        style = PLAIN
        for chunk in chunks:
            try:
                next_stream, text, next_style = chunk
            except ValueError:  # a (stream, text) pair
                (next_stream, text), next_style = chunk, PLAIN
            if next_stream == stream and (
                next_style is style
                or (text[:1] in " \n" and not text.strip(" \n")
                    and not (next_style.marks_blanks or style.marks_blanks))
            ):
                run += text
                continue
            if run:
                insert(run, formats.get((stream, style.code)) or self._format(stream, style))
                show((stream, run))
                keep(run)
            if next_stream == LINE_RESET:
                cursor.movePosition(QTextCursor.StartOfBlock, QTextCursor.KeepAnchor)
                cursor.removeSelectedText()
                show((LINE_RESET, ""))
                stream, run = None, ""
                continue
            stream, style, run = next_stream, next_style, text
        if run:
            insert(run, formats.get((stream, style.code)) or self._format(stream, style))
            show((stream, run))
            keep(run)
        all_text = "".join(texts)
        seam = before + all_text[: len(_LOCATION_PROBE)]
        if _LOCATION_PROBE in seam or _LOCATION_PROBE in all_text:
            self._mark_locations(line_start.block())
        return shown, all_text.count("\n")

    def _mark_locations(self, block: QTextBlock) -> None:
        """Underline traceback locations from ``block`` to the end; rename temp paths."""
        cursor = QTextCursor(self.document())
        while block.isValid():
            text = block.text()
            if _LOCATION_PROBE in text:
                base = block.position()
                for loc in reversed(find_locations(text)):  # right to left: renames shift text
                    end = base + loc.end
                    shown = self._shown_names.get(loc.path)
                    if shown is not None:
                        cursor.setPosition(base + loc.path_start + 1)
                        fmt = cursor.charFormat()
                        cursor.setPosition(base + loc.path_start)
                        cursor.setPosition(base + loc.path_start + len(loc.path),
                                           QTextCursor.KeepAnchor)
                        cursor.insertText(shown, fmt)
                        end += len(shown) - len(loc.path)
                    cursor.setPosition(base + loc.start)
                    cursor.setPosition(end, QTextCursor.KeepAnchor)
                    cursor.mergeCharFormat(self._link_format)
            block = block.next()

    def _format(self, stream: str, style: Style) -> QTextCharFormat:
        """The character format for ``stream`` text in ANSI ``style`` (cached)."""
        key = (stream, style.code)
        fmt = self._styled_formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat(self._formats.get(stream, self._formats[STDOUT]))
            if style != PLAIN:
                self._apply_style(fmt, stream, style)
            self._styled_formats[key] = fmt
        return fmt

    def _apply_style(self, fmt: QTextCharFormat, stream: str, style: Style) -> None:
        fmt.setProperty(STYLE_PROPERTY, style.code)
        fg = None if style.fg is None else self._ansi[style.fg]
        bg = None if style.bg is None else self._ansi[style.bg]
        if style.inverse:
            fg, bg = bg or self._paper_colour(), fg or self._role_colour(stream)
        if bg:
            fmt.setBackground(QColor(bg))
            # The theme's palette keeps every colour readable as text on the paper, so one slot
            # used as a background can be close to another used as text ("black on white" is
            # dark on dark in a light theme). What the audience must be able to read wins.
            if fg is None or contrast_ratio(fg, bg) < _MIN_CONTRAST:
                candidates = (fg,) if fg else ()
                fg = most_readable(bg, (*candidates, self._role_colour(stream),
                                        self._paper_colour()))
        if fg:
            fmt.setForeground(QColor(fg))
        if style.bold:
            fmt.setFontWeight(QFont.Bold)
        if style.italic:
            fmt.setFontItalic(True)
        if style.underline:
            fmt.setFontUnderline(True)

    def _role_colour(self, stream: str) -> str:
        return self._colours.get(stream) or self.palette().text().color().name()

    def _paper_colour(self) -> str:
        return self._colours.get("paper") or self.palette().base().color().name()

    def _location_at_point(self, point: QPoint) -> bool:
        cursor = self.cursorForPosition(point)
        block = cursor.block()
        return location_at(block.text(), cursor.positionInBlock()) is not None

    def _rebuild_formats(self) -> None:
        self._styled_formats.clear()
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
                    code = fmt.property(STYLE_PROPERTY)
                    new = QTextCharFormat(self._format(role, PLAIN if code is None
                                                       else Style.from_code(code)))
                    if fmt.property(LINK_PROPERTY):
                        new.merge(self._link_format)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.KeepAnchor)
                    cursor.setCharFormat(new)
                fragments += 1
            block = block.next()

    def shown_chunks(self, max_lines: int) -> list[tuple[str, str]]:
        """The last ``max_lines`` lines on screen as ``(stream, text)`` chunks.

        For a view that starts watching ``output_appended`` late (the audience page, when
        sharing starts mid-talk): this is what it missed, in the form it then receives.
        """
        chunks: list[tuple[str, str]] = []
        block = self.document().lastBlock()
        blocks = []
        while block.isValid() and len(blocks) < max_lines:
            blocks.append(block)
            block = block.previous()
        for number, block in enumerate(reversed(blocks)):
            if number:
                chunks.append((chunks[-1][0] if chunks else STDOUT, "\n"))
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                chunks.append((fragment.charFormat().property(ROLE_PROPERTY) or STDOUT,
                               fragment.text()))
                fragments += 1
        return chunks

    def format_for(self, stream: str) -> QTextCharFormat:
        """The character format used for ``stream`` (tests check colours through this)."""
        return QTextCharFormat(self._formats.get(stream, self._formats[STDOUT]))
