"""Check's findings in the editor: a marker in the margin and the message under the line.

Why annotations (text under the line, in the editor's own font) rather than tooltips or the
status bar: on a projector the message has to be as readable as the code, and tooltips
(tiny, and hidden while presenting) or the status bar (hidden while presenting) are not.
Markers differ in shape as well as colour (circle: error, triangle: warning, small square:
style), for viewers who do not tell the colours apart.

Thousands of findings are shown a slice at a time from the event loop, the lines in view
first, so the window never freezes (bench/check_marks.py: a 6,000-line file with 27,000
findings stalled the window ~190 ms when they were all marked at once). Each slice hides
the messages while it adds them: Scintilla otherwise re-measures the view and QScintilla
posts a Qt event for every message added. The view stays on the same line of code while
messages appear above it. Should the text change before all are shown, the rest are
dropped (their lines may have moved) and whoever asked is told, so Check runs again.

A finding goes away when its line is edited: each marker remembers the line's text when it
was checked, and markers whose line no longer reads the same are removed with their message
(Scintilla moves markers and annotations with their lines, so an edit elsewhere that shifts
lines keeps them, and markers never change their order). A keystroke on a marked line
compares that line at once (the mark goes as you type); every marked line is compared once
editing pauses (undo, paste or replace all may change lines away from the cursor). With no
findings shown, an edit costs nothing.
"""

from __future__ import annotations

import time
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PyQt5.Qsci import QsciScintilla, QsciStyle
from PyQt5.QtCore import QTimer
from PyQt5.QtGui import QColor, QFont

from presenter.core.checks import ERROR, KINDS, STYLE, WARNING, Problem

# Margin 1 and marker numbers 8-15 are Check's (issue 10). The debugger owns margin 2 and
# marker numbers 16-23 (breakpoints, current line): keep the two apart.
CHECK_MARGIN = 1
CHECK_MARKERS = {ERROR: 8, WARNING: 9, STYLE: 10}
CHECK_MARKER_MASK = 0xFF << 8  # marker numbers 8-15
_SYMBOLS = {ERROR: QsciScintilla.Circle, WARNING: QsciScintilla.RightTriangle,
            STYLE: QsciScintilla.SmallRectangle}
SCAN_AFTER_MS = 300  # the pause after which edits away from the cursor are looked at
SLICE_SECONDS = 0.008  # marking time per turn of the event loop (~600 lines; target: <50 ms)
_PREFIX = {ERROR: "✖", WARNING: "▲", STYLE: "■"}  # the marker's shape, before the message
# Scintilla style numbers for the messages: 40-42 lie between the predefined styles (32-39)
# and the ones QsciStyle(-1) hands out (from 63 down, 24 in all for the whole process, so
# allocating per editor would run out); the Python lexer uses 0-19.
_MESSAGE_STYLES = {ERROR: 40, WARNING: 41, STYLE: 42}
# Banner colours per kind (every theme has them, chosen to read on each other).
_BANNER_KIND = {ERROR: "error", WARNING: "warning", STYLE: "info"}


@dataclass
class _Marked:
    """One line with findings: its marker handle, its text when checked, what was found."""

    handle: int
    text: str
    problems: list[Problem]
    line: int  # where it was marked (keeps the list in line order while marking)


class ProblemMarkers:
    """The findings shown in one editor (its ``problems`` attribute)."""

    def __init__(self, editor: QsciScintilla) -> None:
        self.editor = editor
        self._marked: list[_Marked] = []  # in line order: markers never pass each other
        self._work: Iterator[None] | None = None  # what show() has still to do
        self._checked_text = ""  # the text the findings being shown are about
        self._styled: set[str] = set()  # kinds whose style this slice has set
        self._on_stale: Callable[[], None] | None = None
        self._colours: dict[str, dict[str, str]] = {}
        self._styles = {kind: QsciStyle(number, f"check-{kind}", QColor("#000000"),
                                        QColor("#ffffff"), QFont(), True)
                        for kind, number in _MESSAGE_STYLES.items()}
        for kind, number in CHECK_MARKERS.items():
            editor.markerDefine(_SYMBOLS[kind], number)
        editor.setMarginType(CHECK_MARGIN, QsciScintilla.SymbolMargin)
        editor.setMarginMarkerMask(CHECK_MARGIN, CHECK_MARKER_MASK)
        editor.setMarginWidth(CHECK_MARGIN, 0)
        editor.setAnnotationDisplay(QsciScintilla.AnnotationIndented)
        self._scan_later = QTimer(editor)
        self._scan_later.setSingleShot(True)
        self._scan_later.setInterval(SCAN_AFTER_MS)
        self._scan_later.timeout.connect(self._forget_edited_lines)
        # A child of the editor: closing the tab mid-way stops it with the editor.
        self._next_slice = QTimer(editor)
        self._next_slice.setInterval(0)
        self._next_slice.timeout.connect(self._mark_next_slice)
        editor.textChanged.connect(self._on_text_changed)

    # ---- Public API
    def show(self, problems: Iterable[Problem],
             on_stale: Callable[[], None] | None = None) -> None:
        """Replace what is shown with ``problems`` (lines beyond the text are put on the last).

        A few hundred findings are all shown before this returns; more are taken and shown
        a slice per turn of the event loop, the lines then in view first (``marking()`` is
        true until the last). If the text changes before the last is shown, the rest are
        dropped and ``on_stale`` is called.
        """
        self.clear()
        self._checked_text = self.editor.text()
        self._on_stale = on_stale
        self._work = self._showing(iter(problems))
        self._mark_next_slice()
        if self._work is not None:
            self._next_slice.start()

    def marking(self) -> bool:
        """True while findings of the last ``show`` are still to be shown."""
        return self._work is not None

    def clear(self) -> None:
        editor = self.editor
        self._scan_later.stop()
        self._stop_marking()
        with self._view_kept():
            for number in CHECK_MARKERS.values():  # one pass each, not a search per marker
                editor.markerDeleteAll(number)
            self._marked.clear()
            editor.clearAnnotations()
        self._fit_margin()

    def lines(self) -> dict[int, list[Problem]]:
        """Shown findings by the line they are on now (1-based), after any edits."""
        return {line + 1: list(m.problems) for m, line in zip(self._marked,
                                                               self._current_lines(),
                                                               strict=True)}

    def annotation(self, line: int) -> str:
        """The message text under ``line`` (1-based); "" if none.

        Read from Scintilla itself: QsciScintilla.annotation() (2.14) returns an unfilled
        buffer.
        """
        size = self.editor.SendScintilla(QsciScintilla.SCI_ANNOTATIONGETTEXT, line - 1, 0)
        buffer = bytearray(size + 1)
        self.editor.SendScintilla(QsciScintilla.SCI_ANNOTATIONGETTEXT, line - 1, buffer)
        return bytes(buffer[:size]).decode("utf-8", errors="replace")

    def set_colours(self, banner: dict[str, dict[str, str]]) -> None:
        """The theme's banner colours: marker fill from ``border``, the message in fg on bg."""
        self._colours = banner
        for kind, number in CHECK_MARKERS.items():
            colours = banner.get(_BANNER_KIND[kind], {})
            self.editor.setMarkerBackgroundColor(QColor(colours.get("border", "#888888")), number)
            self.editor.setMarkerForegroundColor(QColor(colours.get("border", "#888888")), number)
        self.restyle()

    def restyle(self) -> None:
        """Apply the current colours and the editor's font (zoom) to the shown messages."""
        font = QFont(self.editor.font_family, self.editor.font_size)
        for kind, style in self._styles.items():
            colours = self._colours.get(_BANNER_KIND[kind], {})
            style.setColor(QColor(colours.get("fg", "#000000")))
            style.setPaper(QColor(colours.get("bg", "#ffffff")))
            style.setFont(font)
        # Every message of a kind has its style's number: setting the style once, by
        # annotating one line with it, restyles them all.
        restyled: set[str] = set()
        for marked, line in zip(self._marked, self._current_lines(), strict=True):
            kind = marked.problems[0].kind
            if kind not in restyled:
                restyled.add(kind)
                self._annotate(line, marked.problems, self._styles[kind])
        self._fit_margin()

    # ---- Internals: marking a slice at a time
    def _mark_next_slice(self) -> None:
        """Run ``_showing`` until this turn's time is up (it always takes one step)."""
        if self._work is None:
            return
        if self.editor.text() != self._checked_text:
            on_stale = self._on_stale
            self._stop_marking()  # these findings are about lines that may have moved
            if on_stale is not None:
                on_stale()
            return
        deadline = time.perf_counter() + SLICE_SECONDS
        self._styled.clear()
        with self._view_kept(), self._messages_hidden():
            for _ in self._work:
                if time.perf_counter() > deadline:
                    break
            else:
                self._stop_marking()
        self._fit_margin()

    def _showing(self, problems: Iterator[Problem]) -> Iterator[None]:
        """The work of ``show``, yielding where it may pause until the next turn."""
        by_line: dict[int, list[Problem]] = {}
        last = max(0, self.editor.lines() - 1)
        for count, problem in enumerate(problems, 1):
            by_line.setdefault(min(max(problem.line - 1, 0), last), []).append(problem)
            if count % 500 == 0:
                yield
        top, bottom = self._lines_in_view()
        lines = sorted(by_line)
        for line in lines:  # a screenful at once, whatever it costs
            if top <= line <= bottom:
                self._mark_line(line, by_line[line])
        yield
        # Then downwards from the view (where reading goes on), then upwards from it.
        for line in [n for n in lines if n > bottom] + [n for n in reversed(lines) if n < top]:
            self._mark_line(line, by_line[line])
            yield

    def _mark_line(self, line: int, found: list[Problem]) -> None:
        found.sort(key=lambda p: (KINDS.index(p.kind), p.column))
        kind = found[0].kind
        handle = self.editor.markerAdd(line, CHECK_MARKERS[kind])
        insort(self._marked, _Marked(handle, self.editor.text(line), found, line),
               key=lambda m: m.line)
        # QsciStyle has no apply() in PyQt5 (its refresh() does nothing): annotating with
        # it sets the style, once per kind and slice; the rest name the style by number,
        # which costs a third as much.
        if kind in self._styled:
            self._annotate(line, found, _MESSAGE_STYLES[kind])
        else:
            self._styled.add(kind)
            self._annotate(line, found, self._styles[kind])

    def _stop_marking(self) -> None:
        self._next_slice.stop()
        self._work = None
        self._checked_text = ""
        self._on_stale = None

    def _lines_in_view(self) -> tuple[int, int]:
        top = self._top_line()
        last_shown = (self.editor.firstVisibleLine()
                      + self.editor.SendScintilla(QsciScintilla.SCI_LINESONSCREEN))
        return top, self.editor.SendScintilla(QsciScintilla.SCI_DOCLINEFROMVISIBLE, last_shown)

    def _top_line(self) -> int:
        """The line of code at the top of the view (messages take up rows above it)."""
        return self.editor.SendScintilla(QsciScintilla.SCI_DOCLINEFROMVISIBLE,
                                         self.editor.firstVisibleLine())

    @contextmanager
    def _view_kept(self) -> Iterator[None]:
        """Scintilla keeps the top row's number, so messages added or removed above the
        view would move the code under the viewer's eyes: keep the same line at the top."""
        top = self._top_line()
        try:
            yield
        finally:
            row = self.editor.SendScintilla(QsciScintilla.SCI_VISIBLEFROMDOCLINE, top)
            if row != self.editor.firstVisibleLine():
                self.editor.setFirstVisibleLine(row)

    @contextmanager
    def _messages_hidden(self) -> Iterator[None]:
        """While visible, every message added makes Scintilla resize the view's scroll range
        and QScintilla post a Qt event (~10 us each, 6,000 of them): hidden, one update for
        the whole slice when they are shown again."""
        editor = self.editor
        shown = editor.SendScintilla(QsciScintilla.SCI_ANNOTATIONGETVISIBLE)
        editor.SendScintilla(QsciScintilla.SCI_ANNOTATIONSETVISIBLE, 0)
        try:
            yield
        finally:
            editor.SendScintilla(QsciScintilla.SCI_ANNOTATIONSETVISIBLE, shown)

    # ---- Internals: where the marks are, and edits
    def _annotate(self, line: int, problems: list[Problem], style: QsciStyle | int) -> None:
        text = "\n".join(f"{_PREFIX[p.kind]} {p.message}" for p in problems)
        self.editor.annotate(line, text, style)

    def _line_of(self, marked: _Marked) -> int:
        """Scintilla (3.x) looks through every line for the handle: fine for a few."""
        return self.editor.SendScintilla(QsciScintilla.SCI_MARKERLINEFROMHANDLE, marked.handle)

    def _current_lines(self) -> list[int]:
        """The line each of ``_marked`` is on now, in one walk down the margin.

        The n-th marked line is the n-th marker's, as markers keep their order; unless a
        deleted line's marker joined another on the line above: then each is looked up.
        """
        send = self.editor.SendScintilla
        lines: list[int] = []
        line = send(QsciScintilla.SCI_MARKERNEXT, 0, CHECK_MARKER_MASK)
        while line >= 0 and len(lines) <= len(self._marked):
            lines.append(line)
            line = send(QsciScintilla.SCI_MARKERNEXT, line + 1, CHECK_MARKER_MASK)
        if len(lines) == len(self._marked):
            return lines
        return [self._line_of(m) for m in self._marked]

    def _on_text_changed(self) -> None:
        # QsciScintilla says the text changed for restyling and new messages too: the
        # comparisons below are cheap enough that this does not matter.
        if not self._marked:
            return
        self._scan_later.start()
        line, _ = self.editor.getCursorPosition()
        if self.editor.markersAtLine(line) & CHECK_MARKER_MASK:
            self._forget_edits_on(line)

    def _forget_edits_on(self, line: int) -> None:
        """Compare the marks on ``line`` now: found by a binary search (markers keep order)."""
        text = self.editor.text(line)
        edited = []
        index = bisect_left(self._marked, line, key=self._line_of)
        while index < len(self._marked) and self._line_of(self._marked[index]) == line:
            if self._marked[index].text != text:  # a joined line can hold several
                edited.append((self._marked[index], line))
            index += 1
        self._forget(edited)

    def _forget_edited_lines(self) -> None:
        if not self._marked:
            return
        editor = self.editor
        lines = self._current_lines()
        self._forget([(m, line) for m, line in zip(self._marked, lines, strict=True)
                      if line < 0 or editor.text(line) != m.text])

    def _forget(self, edited: list[tuple[_Marked, int]]) -> None:
        """Remove these marks (each with the line it is on now, -1: gone) and their messages."""
        if not edited:
            return
        gone = {id(m) for m, _ in edited}
        self._marked = [m for m in self._marked if id(m) not in gone]
        with self._view_kept():
            for marked, line in edited:
                if line >= 0:
                    self.editor.markerDeleteHandle(marked.handle)
                    self.editor.clearAnnotations(line)
        self._fit_margin()

    def _fit_margin(self) -> None:
        """As wide as a line is tall (the symbols scale with it), or hidden when empty."""
        width = self.editor.textHeight(0) if self._marked else 0
        self.editor.setMarginWidth(CHECK_MARGIN, width)
