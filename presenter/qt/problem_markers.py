"""Check's findings in the editor: a marker in the margin and the message under the line.

Why annotations (text under the line, in the editor's own font) rather than tooltips or the
status bar: on a projector the message has to be as readable as the code, and tooltips
(tiny, and hidden while presenting) or the status bar (hidden while presenting) are not.
Markers differ in shape as well as colour (circle: error, triangle: warning, small square:
style), for viewers who do not tell the colours apart.

A finding goes away when its line is edited: each marker remembers the line's text when it
was checked, and markers whose line no longer reads the same are removed with their message
(Scintilla moves markers and annotations with their lines, so an edit elsewhere that shifts
lines keeps them). Comparing every marked line costs ~45 ms with 6,000 of them, too much
for every keystroke, so: a keystroke on a marked line compares at once (the mark goes as
you type), any other edit (undo, paste, replace all) compares once editing pauses. With no
findings shown, an edit costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
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


class ProblemMarkers:
    """The findings shown in one editor (its ``problems`` attribute)."""

    def __init__(self, editor: QsciScintilla) -> None:
        self.editor = editor
        self._marked: list[_Marked] = []
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
        editor.textChanged.connect(self._on_text_changed)

    # ---- Public API
    def show(self, problems: Sequence[Problem]) -> None:
        """Replace what is shown with ``problems`` (lines beyond the text are put on the last)."""
        self.clear()
        editor = self.editor
        by_line: dict[int, list[Problem]] = {}
        last = max(0, editor.lines() - 1)
        for problem in problems:
            by_line.setdefault(min(max(problem.line - 1, 0), last), []).append(problem)
        for line, found in sorted(by_line.items()):
            found.sort(key=lambda p: (KINDS.index(p.kind), p.column))
            handle = editor.markerAdd(line, CHECK_MARKERS[found[0].kind])
            self._marked.append(_Marked(handle, editor.text(line), found))
            self._annotate(line, found)
        self._fit_margin()

    def clear(self) -> None:
        editor = self.editor
        self._scan_later.stop()
        for marked in self._marked:
            editor.markerDeleteHandle(marked.handle)
        self._marked.clear()
        editor.clearAnnotations()
        self._fit_margin()

    def lines(self) -> dict[int, list[Problem]]:
        """Shown findings by the line they are on now (1-based), after any edits."""
        return {self._line_of(m) + 1: list(m.problems) for m in self._marked}

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
        for marked in self._marked:
            self._annotate(self._line_of(marked), marked.problems)
        self._fit_margin()

    # ---- Internals
    def _annotate(self, line: int, problems: list[Problem]) -> None:
        text = "\n".join(f"{_PREFIX[p.kind]} {p.message}" for p in problems)
        self.editor.annotate(line, text, self._styles[problems[0].kind])

    def _line_of(self, marked: _Marked) -> int:
        return self.editor.SendScintilla(QsciScintilla.SCI_MARKERLINEFROMHANDLE, marked.handle)

    def _on_text_changed(self) -> None:
        if not self._marked:
            return
        line, _ = self.editor.getCursorPosition()
        if self.editor.markersAtLine(line) & CHECK_MARKER_MASK:
            self._forget_edited_lines()
        else:
            self._scan_later.start()

    def _forget_edited_lines(self) -> None:
        if not self._marked:
            return
        editor = self.editor
        kept: list[_Marked] = []
        for marked in self._marked:
            line = self._line_of(marked)
            if line >= 0 and editor.text(line) == marked.text:
                kept.append(marked)
                continue
            if line >= 0:
                editor.markerDeleteHandle(marked.handle)
                editor.clearAnnotations(line)
        if len(kept) != len(self._marked):
            self._marked = kept
            self._fit_margin()

    def _fit_margin(self) -> None:
        """As wide as a line is tall (the symbols scale with it), or hidden when empty."""
        width = self.editor.textHeight(0) if self._marked else 0
        self.editor.setMarginWidth(CHECK_MARGIN, width)
