"""The code editor: QScintilla set up for Python on a projector.

The editor knows text, colours and font size; it does not know files or processes.
Everything file-related lives in ``BufferInfo`` (plain data the workbench fills in) so
the tab can say what it is without the editor doing I/O.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from PyQt5 import sip
from PyQt5.Qsci import QsciLexerPython, QsciScintilla
from PyQt5.QtCore import QEvent, QRect, Qt, QTimer, pyqtSignal
from PyQt5.QtGui import QColor, QFont, QPainter
from PyQt5.QtWidgets import QApplication

from presenter.core.locations import SaveLocation
from presenter.qt import accessibility
from presenter.qt.problem_markers import ProblemMarkers

_untitled_numbers = itertools.count(1)
_buffer_numbers = itertools.count(1)

# Python lexer style numbers for the token names used in theme files.
TOKEN_STYLES = {
    "default": QsciLexerPython.Default,
    "comment": QsciLexerPython.Comment,
    "number": QsciLexerPython.Number,
    "string": QsciLexerPython.DoubleQuotedString,
    "keyword": QsciLexerPython.Keyword,
    "triple_string": QsciLexerPython.TripleDoubleQuotedString,
    "class_name": QsciLexerPython.ClassName,
    "function_name": QsciLexerPython.FunctionMethodName,
    "operator": QsciLexerPython.Operator,
    "identifier": QsciLexerPython.Identifier,
    "comment_block": QsciLexerPython.CommentBlock,
    "unclosed_string": QsciLexerPython.UnclosedString,
    "highlighted_identifier": QsciLexerPython.HighlightedIdentifier,
    "decorator": QsciLexerPython.Decorator,
}
# Styles that share a theme token with another one.
TOKEN_ALIASES = {
    QsciLexerPython.SingleQuotedString: "string",
    QsciLexerPython.TripleSingleQuotedString: "triple_string",
    QsciLexerPython.CommentBlock: "comment",
    QsciLexerPython.SingleQuotedFString: "string",
    QsciLexerPython.DoubleQuotedFString: "string",
    QsciLexerPython.TripleSingleQuotedFString: "triple_string",
    QsciLexerPython.TripleDoubleQuotedFString: "triple_string",
}

INDICATOR_FIND = 8
# Margins and marker numbers are shared out between features, each owning its own numbers
# so that none clears another's markers:
#   margin 1, markers 8-15: Check findings (issue 10 item 3)
#   margin 2, markers 16-23: the debugger (breakpoints, clickable; the paused line)
#   margin 3, markers 0-7: the solid bar beside the current line (readable from the back
#                          row), between the breakpoints and the code
MARGIN_BREAKPOINTS = 2
MARKER_BREAKPOINT = 16
MARKER_PAUSED_ARROW = 17  # in the breakpoint margin, beside the line the program is paused at
MARKER_PAUSED_LINE = 18  # that line's background (in no margin's mask: Scintilla then draws
#                          a background marker on the text instead of in a margin)
MARGIN_LINE_BAR = 3
MARKER_CURRENT_LINE = 1
# Debugger colours when a theme names none (themes.py gives every theme a full set).
_DEBUG_DEFAULTS = {"breakpoint": "#d1242f", "paused_line": "#fff0a8", "paused_arrow": "#9a6700"}
#: Scintilla 3 draws a line caret at most 3 pixels wide; a wider one is painted by Editor.
SCINTILLA_MAX_CARET = 3
#: Theme caret widths are for this font size and grow with it.
CARET_BASE_PT = 14
#: Events after which Qt has (re)made an editor's accessible object (see _quiet_unless_watched).
_ACCESSIBLE_OBJECT_MADE = (QEvent.Show, QEvent.FocusIn, QEvent.WindowActivate)


# ---- The gutter's sizes, as functions of the font: presentation mode's font fitting
# (presenting/fit.py) predicts the room left for code from these before it sets a size.


def line_number_chars(lines: int) -> int:
    """The line-number margin is as wide as this many digits: room for 3 or more, plus one."""
    return max(3, len(str(lines))) + 1


def line_bar_width(points: int) -> int:
    """The current-line bar's width in pixels: a little over a third of the point size."""
    return max(5, round(points * 0.4))


def margin_padding(points: int) -> int:
    """Air between the line numbers and the code, growing with the font."""
    return max(4, points // 2)


def breakpoint_margin_width(points: int) -> int:
    """The breakpoint margin's width in pixels at a font size: a dot that can be hit with
    the mouse on a projector (presentation mode's font fitting counts it too)."""
    return max(16, round(points * 1.3))


def new_untitled_name() -> str:
    return f"untitled-{next(_untitled_numbers)}.py"


@dataclass
class BufferInfo:
    """What a tab holds besides text: where it lives on disk and how to write it back.

    ``location`` is set for a buffer that lives somewhere else (a file on a board): it then
    names the tab and takes the saves, and ``path`` stays None (see core.locations).
    """

    path: str | None = None
    untitled_name: str = field(default_factory=new_untitled_name)
    encoding: str = "utf-8"
    newline: str = "\n"
    bom: bool = False
    signature: Any = None  # core.documents.FileSignature of the last load/save
    buffer_id: str = field(default_factory=lambda: f"b{next(_buffer_numbers)}")
    disk_state_reported: str = "same"  # last external-change state we told the user about
    location: SaveLocation | None = None

    @property
    def title(self) -> str:
        if self.location is not None:
            return self.location.title
        if self.path:
            return self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return self.untitled_name

    @property
    def tooltip(self) -> str:
        """Where the buffer saves, for the tab's tooltip."""
        if self.location is not None:
            return self.location.description
        return self.path or "Not saved yet"

    @property
    def recovery_title(self) -> str:
        """The name an autosaved copy comes back under after a crash."""
        return self.location.recovery_name if self.location is not None else self.title


class Editor(QsciScintilla):
    """A Python editor with line numbers, auto-indent, brace matching and one zoom level."""

    # ---- Signals
    cursor_moved = pyqtSignal(int, int)
    """Line and column (both from 0) after every cursor move."""
    breakpoints_changed = pyqtSignal()
    """A breakpoint was set or cleared by a click in the breakpoint margin."""

    def __init__(self, parent=None, info: BufferInfo | None = None) -> None:
        super().__init__(parent)
        self.info = info or BufferInfo()
        self._font_family = "DejaVu Sans Mono"
        self._font_size = 14
        self._colours: dict[str, str] = {}
        self._tokens: dict[str, Any] = {}
        self._caret_base_width = SCINTILLA_MAX_CARET
        self._caret_colour = QColor("#000000")
        self._caret_on = True
        self._painted_caret: QRect | None = None  # to wipe when the caret moves or blinks
        self._blink = QTimer(self)
        self._blink.timeout.connect(self._blink_caret)
        self._bar_handle = -1
        self._lexer = QsciLexerPython(self)
        self._lexer.setFoldComments(False)
        self._lexer.setHighlightSubidentifiers(False)
        self.setLexer(self._lexer)
        self.setUtf8(True)
        self.setEolMode(QsciScintilla.EolUnix)  # files' own newline style is restored on save
        self.setIndentationsUseTabs(False)
        self.setIndentationWidth(4)
        self.setTabWidth(4)
        self.setTabIndents(True)
        self.setBackspaceUnindents(True)
        # Enter is handled in keyPressEvent: Scintilla's auto-indent plus its Python
        # block-start rule plus ours indented twice after a ":" (8 spaces).
        self.setAutoIndent(False)
        self.setIndentationGuides(True)
        self.setBraceMatching(QsciScintilla.SloppyBraceMatch)
        self.setCaretLineVisible(True)
        self.setCaretWidth(SCINTILLA_MAX_CARET)
        self.setMarginType(0, QsciScintilla.NumberMargin)
        self.setMarginLineNumbers(0, True)
        self.problems = ProblemMarkers(self)  # margin 1, markers 8-15 (see above)
        self.setMarginType(MARGIN_LINE_BAR, QsciScintilla.SymbolMargin)
        self.setMarginMarkerMask(MARGIN_LINE_BAR, 1 << MARKER_CURRENT_LINE)
        self.markerDefine(QsciScintilla.FullRectangle, MARKER_CURRENT_LINE)
        self.setFolding(QsciScintilla.NoFoldStyle)
        self.setWrapMode(QsciScintilla.WrapNone)
        self.setScrollWidthTracking(True)
        self.setScrollWidth(1)
        self.indicatorDefine(QsciScintilla.FullBoxIndicator, INDICATOR_FIND)
        self._set_up_breakpoint_margin()
        self.SendScintilla(QsciScintilla.SCI_SETENDATLASTLINE, False)
        self.cursorPositionChanged.connect(self.cursor_moved.emit)
        self.linesChanged.connect(self._fit_margin)
        self._line_count = self.lines()
        self.SCN_UPDATEUI.connect(self._on_update_ui)
        self._quiet_unless_watched()
        self.apply_font(self._font_family, self._font_size)

    # ---- Appearance
    def apply_font(self, family: str, size: int) -> None:
        """Set the font of every style: zoom changes this size, never Scintilla's own zoom."""
        self._font_family, self._font_size = family, size
        font = QFont(family, size)
        font.setStyleHint(QFont.Monospace)
        self._lexer.setDefaultFont(font)
        self._lexer.setFont(font, -1)
        self._apply_token_styles()
        self.setMarginsFont(font)
        self._fit_margin()
        self._choose_caret()  # the caret widens with the font
        self.problems.restyle()

    def apply_theme(self, colours: dict[str, str], tokens: dict[str, Any]) -> None:
        """Colours from a theme file: editor chrome in ``colours``, Python tokens in ``tokens``.

        ``colours`` may also hold the debugger's (``Theme.debug``: breakpoint, paused_line,
        paused_arrow); those it leaves out keep their defaults.
        """
        self._colours, self._tokens = dict(colours), dict(tokens)
        c = self._colours
        paper = QColor(c.get("paper", "#ffffff"))
        text = QColor(c.get("text", "#000000"))
        self._lexer.setDefaultPaper(paper)
        self._lexer.setPaper(paper, -1)
        self._lexer.setDefaultColor(text)
        self._caret_colour = QColor(c.get("caret", c.get("text", "#000000")))
        self.setCaretForegroundColor(self._caret_colour)
        bar = QColor(c.get("current_line_bar", c.get("caret", "#000000")))
        self.setMarkerBackgroundColor(bar, MARKER_CURRENT_LINE)
        self.setMarkerForegroundColor(bar, MARKER_CURRENT_LINE)
        self.setCaretLineBackgroundColor(QColor(c.get("caret_line", c.get("paper", "#ffffff"))))
        self.setSelectionBackgroundColor(QColor(c.get("selection_bg", "#3399ff")))
        self.setSelectionForegroundColor(QColor(c.get("selection_fg", "#ffffff")))
        self.setMarginsBackgroundColor(QColor(c.get("margin_bg", c.get("paper", "#ffffff"))))
        self.setMarginsForegroundColor(QColor(c.get("margin_fg", "#888888")))
        self.setMatchedBraceBackgroundColor(QColor(c.get("brace_match", "#ffff00")))
        self.setMatchedBraceForegroundColor(text)
        self.setUnmatchedBraceForegroundColor(QColor("#ff0000"))
        self.setIndicatorForegroundColor(QColor(c.get("find_indicator", "#ffcc00")), INDICATOR_FIND)
        self.setIndentationGuidesForegroundColor(QColor(c.get("margin_fg", "#888888")))
        self.setIndentationGuidesBackgroundColor(paper)
        self.apply_debug_colours(c)
        self._apply_token_styles()

    def set_caret_width(self, pixels: int) -> None:
        """The theme's caret width at the base font size; drawn wider as the font grows."""
        self._caret_base_width = max(1, int(pixels))
        self._choose_caret()

    def caret_width(self) -> int:
        """How wide the caret is drawn now, in pixels (the theme's width scaled by the font)."""
        return max(self._caret_base_width,
                   round(self._caret_base_width * self._font_size / CARET_BASE_PT))

    def line_bar_width(self) -> int:
        return line_bar_width(self._font_size)

    def _move_line_bar(self) -> None:
        """Keep the bar on the caret's line (after moves, edits, undo and setText alike)."""
        position = self.SendScintilla(QsciScintilla.SCI_GETCURRENTPOS)
        line = self.SendScintilla(QsciScintilla.SCI_LINEFROMPOSITION, position)
        if self.markersAtLine(line) & (1 << MARKER_CURRENT_LINE):
            return
        if self._bar_handle >= 0:
            self.markerDeleteHandle(self._bar_handle)
        self._bar_handle = self.markerAdd(line, MARKER_CURRENT_LINE)

    # ---- The wide caret
    # Scintilla 3 draws a line caret at most 3 pixels wide. A wider one is painted here,
    # over the text, and Scintilla's own is made invisible; it blinks like Scintilla's
    # (the platform's cursor flash time), solid while the caret moves or text is typed.
    def _wide_caret(self) -> bool:
        return self.caret_width() > SCINTILLA_MAX_CARET

    def _choose_caret(self) -> None:
        style = QsciScintilla.CARETSTYLE_INVISIBLE if self._wide_caret() else QsciScintilla.CARETSTYLE_LINE
        self.SendScintilla(QsciScintilla.SCI_SETCARETSTYLE, style)
        self._show_caret()

    def _show_caret(self) -> None:
        """Caret on, and the blink restarted: after a move, an edit, or getting the focus."""
        self._caret_on = True
        period = QApplication.cursorFlashTime() // 2
        if self._wide_caret() and period > 0 and self.hasFocus():
            self._blink.start(period)
        else:
            self._blink.stop()
        self._repaint_caret()

    def _blink_caret(self) -> None:
        self._caret_on = not self._caret_on
        self._repaint_caret()

    def _repaint_caret(self) -> None:
        rect = self._caret_rect()
        for area in (self._painted_caret, rect):
            if area is not None:
                self.viewport().update(area)

    def _caret_rect(self) -> QRect | None:
        """Where the wide caret goes now (None: none to draw, or out of view to the left)."""
        if not self._wide_caret():
            return None
        position = self.SendScintilla(QsciScintilla.SCI_GETCURRENTPOS)
        x = self.SendScintilla(QsciScintilla.SCI_POINTXFROMPOSITION, 0, position)
        y = self.SendScintilla(QsciScintilla.SCI_POINTYFROMPOSITION, 0, position)
        line = self.SendScintilla(QsciScintilla.SCI_LINEFROMPOSITION, position)
        if x < self._text_left():
            return None  # scrolled out of view, under the margins
        width = self.caret_width()
        return QRect(x - width // 2, y, width, self.SendScintilla(QsciScintilla.SCI_TEXTHEIGHT, line))

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        rect = self._caret_rect() if self._caret_on and self.hasFocus() else None
        if rect is not None:
            painter = QPainter(self.viewport())
            painter.fillRect(rect, self._caret_colour)
            painter.end()
        self._painted_caret = rect

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().focusInEvent(event)
        self._show_caret()

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().focusOutEvent(event)
        self._blink.stop()
        self._repaint_caret()

    def _text_left(self) -> int:
        return sum(self.marginWidth(m) for m in range(self.margins())) + \
            self.SendScintilla(QsciScintilla.SCI_GETMARGINLEFT)

    def apply_debug_colours(self, colours: dict[str, str]) -> None:
        """Breakpoint dots, the paused line's background and its arrow (``Theme.debug``)."""
        c = {**_DEBUG_DEFAULTS, **{k: v for k, v in colours.items() if k in _DEBUG_DEFAULTS}}
        self._debug_colours = c
        dot = QColor(c["breakpoint"])
        self.setMarkerBackgroundColor(dot, MARKER_BREAKPOINT)
        self.setMarkerForegroundColor(dot, MARKER_BREAKPOINT)
        # The arrow is outlined in the paper colour: on a breakpoint's dot it stays visible.
        self.setMarkerBackgroundColor(QColor(c["paused_arrow"]), MARKER_PAUSED_ARROW)
        self.setMarkerForegroundColor(QColor(self._colours.get("paper", "#ffffff")),
                                      MARKER_PAUSED_ARROW)
        self.setMarkerBackgroundColor(QColor(c["paused_line"]), MARKER_PAUSED_LINE)

    def _apply_token_styles(self) -> None:
        text = self._colours.get("text", "#000000")
        base = QFont(self._font_family, self._font_size)
        styles = dict(TOKEN_STYLES)
        for style in range(0, 20):
            name = next((n for n, s in styles.items() if s == style), None) or TOKEN_ALIASES.get(style)
            spec = self._tokens.get(name) if name else None
            colour, bold, italic, paper = _token_parts(spec, text)
            self._lexer.setColor(QColor(colour), style)
            if paper:
                self._lexer.setPaper(QColor(paper), style)
            font = QFont(base)
            font.setBold(bold)
            font.setItalic(italic)
            self._lexer.setFont(font, style)

    def _fit_margin(self) -> None:
        self.setMarginWidth(0, "9" * line_number_chars(self.lines()))
        self.setMarginWidth(MARGIN_BREAKPOINTS, breakpoint_margin_width(self._font_size))
        self.setMarginWidth(MARGIN_LINE_BAR, self.line_bar_width())
        self.SendScintilla(QsciScintilla.SCI_SETMARGINLEFT, 0, margin_padding(self._font_size))

    # ---- Breakpoints and the paused line (the debugger's margin and markers)
    def _set_up_breakpoint_margin(self) -> None:
        self.setMarginType(MARGIN_BREAKPOINTS, QsciScintilla.SymbolMargin)
        self.setMarginSensitivity(MARGIN_BREAKPOINTS, True)
        self.setMarginMarkerMask(MARGIN_BREAKPOINTS,
                                 (1 << MARKER_BREAKPOINT) | (1 << MARKER_PAUSED_ARROW))
        self.markerDefine(QsciScintilla.Circle, MARKER_BREAKPOINT)
        self.markerDefine(QsciScintilla.RightArrow, MARKER_PAUSED_ARROW)
        self.markerDefine(QsciScintilla.Background, MARKER_PAUSED_LINE)
        self.apply_debug_colours({})
        self.marginClicked.connect(self._on_margin_clicked)

    def _on_margin_clicked(self, margin: int, line: int, _modifiers) -> None:
        if margin == MARGIN_BREAKPOINTS:
            self.toggle_breakpoint(line + 1)

    def toggle_breakpoint(self, line: int) -> None:
        """Set or clear the breakpoint on ``line`` (1-based, as the margin shows)."""
        index = line - 1
        if not 0 <= index < self.lines():
            return
        if self.markersAtLine(index) & (1 << MARKER_BREAKPOINT):
            self.markerDelete(index, MARKER_BREAKPOINT)
        else:
            self.markerAdd(index, MARKER_BREAKPOINT)
        self.breakpoints_changed.emit()

    def breakpoint_lines(self) -> list[int]:
        """The lines (1-based) with a breakpoint; markers move with the text as it is edited."""
        lines: list[int] = []
        index = self.markerFindNext(0, 1 << MARKER_BREAKPOINT)
        while index >= 0:
            lines.append(index + 1)
            index = self.markerFindNext(index + 1, 1 << MARKER_BREAKPOINT)
        return lines

    def set_breakpoint_lines(self, lines) -> None:
        """Put breakpoints on exactly these lines (1-based); lines past the end are ignored."""
        self.markerDeleteAll(MARKER_BREAKPOINT)
        for line in sorted(set(lines)):
            if 1 <= line <= self.lines():
                self.markerAdd(line - 1, MARKER_BREAKPOINT)

    def show_paused_line(self, line: int | None) -> None:
        """Highlight the line (1-based) the debugged program is paused at; None clears it."""
        self.markerDeleteAll(MARKER_PAUSED_ARROW)
        self.markerDeleteAll(MARKER_PAUSED_LINE)
        if line is None or not 1 <= line <= self.lines():
            return
        self.markerAdd(line - 1, MARKER_PAUSED_ARROW)
        self.markerAdd(line - 1, MARKER_PAUSED_LINE)
        self.ensureLineVisible(line - 1)

    def debug_colours(self) -> dict[str, str]:
        """The breakpoint, paused-line and arrow colours in use (``#rrggbb``)."""
        return dict(self._debug_colours)

    def paused_line(self) -> int | None:
        """The highlighted line (1-based), or None."""
        index = self.markerFindNext(0, 1 << MARKER_PAUSED_LINE)
        return None if index < 0 else index + 1

    # ---- Keystroke cost in big files (see presenter/qt/accessibility.py)
    def _quiet_unless_watched(self) -> None:
        """No per-edit notifications and no accessible object, unless a screen reader is on."""
        watched = accessibility.assistive_technology_active()
        self.SendScintilla(QsciScintilla.SCI_SETMODEVENTMASK,
                           QsciScintilla.SC_MODEVENTMASKALL if watched else 0)
        if not watched:
            accessibility.drop_accessible_object(self)

    def _on_update_ui(self, updated: int) -> None:
        """Without per-edit notifications QsciScintilla no longer emits textChanged and
        linesChanged itself: emit them once per screen update that changed the content
        (textChanged may then also come for a styling-only change)."""
        if updated & (QsciScintilla.SC_UPDATE_CONTENT | QsciScintilla.SC_UPDATE_SELECTION):
            self._move_line_bar()
            if self._wide_caret():
                self._show_caret()
        if not updated & QsciScintilla.SC_UPDATE_CONTENT or self._notifications_on():
            return
        self.textChanged.emit()
        if self.lines() != self._line_count:
            self._line_count = self.lines()
            self.linesChanged.emit()

    def _notifications_on(self) -> bool:
        return bool(self.SendScintilla(QsciScintilla.SCI_GETMODEVENTMASK))

    def event(self, event) -> bool:  # noqa: N802 (Qt name)
        handled = super().event(event)
        if event.type() in _ACCESSIBLE_OBJECT_MADE:
            # Qt makes the accessible object again after these (accessibility events
            # follow them): drop it once Qt is done, and check whether a screen reader
            # has started meanwhile.
            QTimer.singleShot(0, lambda: sip.isdeleted(self) or self._quiet_unless_watched())
        return handled

    # ---- Unsaved state
    def setModified(self, modified: bool) -> None:  # noqa: N802 (Qt name)
        """Scintilla can only clear its modified flag; we also need to set it.

        A file deleted on disk or a buffer restored after a crash holds text that exists
        nowhere else, so the tab must show it as unsaved even though nobody typed.
        """
        was = self.isModified()
        self._forced_dirty = bool(modified)
        if not modified:
            super().setModified(False)
        if self.isModified() != was:
            self.modificationChanged.emit(self.isModified())

    def isModified(self) -> bool:  # noqa: N802 (Qt name)
        return getattr(self, "_forced_dirty", False) or super().isModified()

    # ---- Indentation
    def set_indent_unit(self, unit: str) -> None:
        """Indent in the file's own step: ``"\t"`` or N spaces (see core.indentation).

        The tab width follows a space unit so that Tab inserts spaces up to the next unit.
        """
        if unit == "\t":
            self.setIndentationsUseTabs(True)
            self.setTabWidth(4)
            self.setIndentationWidth(0)  # 0: one tab per level
        else:
            width = max(1, len(unit))
            self.setIndentationsUseTabs(False)
            self.setTabWidth(width)
            self.setIndentationWidth(width)

    def indent_unit(self) -> str:
        if self.indentationsUseTabs():
            return "\t"
        return " " * (self.indentationWidth() or self.tabWidth())

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Enter keeps the line's indent (+ one unit after ``:``); Tab shifts a selection."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeypadModifier
        if key in (Qt.Key_Return, Qt.Key_Enter) and modifiers in (Qt.NoModifier, Qt.ShiftModifier):
            self._break_line()
            return
        if modifiers & Qt.ControlModifier and not modifiers & Qt.AltModifier \
                and self.standardCommands().boundTo(int(key) | int(modifiers)) is None:
            # Scintilla types a key's text whatever the modifiers, and X11 gives Ctrl+=
            # the text "=": a Ctrl key that is no command (a disabled action's) must not
            # type. Ctrl+Alt is left alone: it is AltGr on Windows.
            event.ignore()
            return
        if self.hasSelectedText() and key in (Qt.Key_Tab, Qt.Key_Backtab):
            # Scintilla replaces a selection within one line by a tab; a programmer
            # selecting code and pressing Tab means "indent these lines".
            if key == Qt.Key_Tab and modifiers == Qt.NoModifier:
                self.shift_lines(1)
                return
            if key == Qt.Key_Backtab or modifiers == Qt.ShiftModifier:
                self.shift_lines(-1)
                return
        super().keyPressEvent(event)

    def _break_line(self) -> None:
        """A new line with the current line's indent, one unit deeper after a ``:``."""
        self.beginUndoAction()
        try:
            if self.hasSelectedText():
                self.removeSelectedText()
            line, index = self.getCursorPosition()
            before = self.text(line)[:index]
            indent = before[: len(before) - len(before.lstrip(" \t"))]
            if _opens_block(before):
                indent += self.indent_unit()
            self.SendScintilla(QsciScintilla.SCI_REPLACESEL, 0, ("\n" + indent).encode("utf-8"))
        finally:
            self.endUndoAction()

    @property
    def font_size(self) -> int:
        return self._font_size

    @property
    def font_family(self) -> str:
        return self._font_family

    # ---- Editing commands
    def selected_lines(self) -> tuple[int, int]:
        """First and last line a line command acts on: the selection's, or the cursor's.

        A selection ending at column 0 does not include that last line (the usual result
        of selecting whole lines by dragging down the margin or with Shift+Down).
        """
        if self.hasSelectedText():
            first, _, last, last_index = self.getSelection()
            if last_index == 0 and last > first:
                last -= 1
            return first, last
        line, _ = self.getCursorPosition()
        return line, line

    def shift_lines(self, levels: int) -> None:
        """Indent (levels > 0) or dedent the selected lines, or the cursor's, as one undo step."""
        first, last = self.selected_lines()
        shift = self.indent if levels > 0 else self.unindent
        self.beginUndoAction()
        try:
            for _ in range(abs(levels)):
                for line in range(first, last + 1):
                    shift(line)
        finally:
            self.endUndoAction()

    def toggle_comment(self) -> None:
        """Comment or uncomment the selected lines (or the cursor's line) as one undo step."""
        first, last = self.selected_lines()
        lines = [self.text(n).rstrip("\r\n") for n in range(first, last + 1)]
        code = [line for line in lines if line.strip()]
        if not code:
            return
        uncomment = all(line.lstrip().startswith("#") for line in code)
        indent = min(len(line) - len(line.lstrip()) for line in code)
        self.beginUndoAction()
        try:
            for offset, line in enumerate(lines):
                number = first + offset
                if not line.strip():
                    continue
                if uncomment:
                    column = line.index("#")
                    width = 2 if line[column + 1:column + 2] == " " else 1
                    self.setSelection(number, column, number, column + width)
                    self.removeSelectedText()
                else:
                    self.insertAt("# ", number, indent)
        finally:
            self.endUndoAction()
        end_length = len(self.text(last).rstrip("\r\n"))
        self.setSelection(first, 0, last, end_length)

    def find_text(self, pattern: str, *, forward: bool = True, case: bool = False,
                  regex: bool = False, whole_word: bool = False, from_start: bool = False) -> bool:
        """Select the next match after (or before) the selection, wrapping round the end."""
        if not pattern:
            return False
        if regex:
            try:
                re.compile(pattern)
            except re.error:
                return False
        line, index = self.getCursorPosition()
        if self.hasSelectedText() and not forward:
            line, index, _, _ = self.getSelection()
        if from_start:
            line, index = 0, 0
        return self.findFirst(pattern, regex, case, whole_word, True, forward, line, index, True,
                              False, False)

    def replace_selection_if_match(self, pattern: str, replacement: str, *, case: bool = False,
                                   regex: bool = False, whole_word: bool = False) -> bool:
        """Replace the current match, then move to the next one (the usual Replace button)."""
        if self.hasSelectedText() and _matches(self.selectedText(), pattern, case, regex, whole_word):
            self.replace(replacement)
        return self.find_text(pattern, case=case, regex=regex, whole_word=whole_word)

    def replace_all(self, pattern: str, replacement: str, *, case: bool = False,
                    regex: bool = False, whole_word: bool = False) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        if not pattern:
            return 0
        flags = 0 if case else re.IGNORECASE
        expr = pattern if regex else re.escape(pattern)
        if whole_word:
            expr = rf"\b(?:{expr})\b"
        try:
            compiled = re.compile(expr, flags | re.MULTILINE)
        except re.error:
            return 0
        text = self.text()
        new_text, count = compiled.subn(replacement if regex else replacement.replace("\\", "\\\\"), text)
        if count:
            line, index = self.getCursorPosition()
            self.beginUndoAction()
            self.selectAll()
            self.replaceSelectedText(new_text)
            self.endUndoAction()
            self.setCursorPosition(min(line, self.lines() - 1), index)
        return count

    def go_to_line(self, line: int) -> None:
        """Put the cursor at the start of a line (1-based, as in tracebacks) and show it."""
        target = max(0, min(line - 1, self.lines() - 1))
        self.setCursorPosition(target, 0)
        self.ensureLineVisible(target)
        length = len(self.text(target).rstrip("\r\n"))
        self.setSelection(target, 0, target, length)
        self.setFocus()


def _matches(text: str, pattern: str, case: bool, regex: bool, whole_word: bool) -> bool:
    flags = 0 if case else re.IGNORECASE
    expr = pattern if regex else re.escape(pattern)
    if whole_word:
        expr = rf"\b(?:{expr})\b"
    try:
        return re.fullmatch(expr, text, flags) is not None
    except re.error:
        return False


def _token_parts(spec: Any, default_colour: str) -> tuple[str, bool, bool, str | None]:
    """A theme token as (colour, bold, italic, paper): TokenStyle, dict or plain colour."""
    if spec is None:
        return default_colour, False, False, None
    if isinstance(spec, str):
        return spec, False, False, None
    if isinstance(spec, dict):
        return (spec.get("color", default_colour), bool(spec.get("bold")), bool(spec.get("italic")),
                spec.get("paper"))
    return (getattr(spec, "color", default_colour), bool(getattr(spec, "bold", False)),
            bool(getattr(spec, "italic", False)), getattr(spec, "paper", None))


def _opens_block(line: str) -> bool:
    """True for a line whose code (comment stripped, roughly) ends with a colon."""
    code = line.rstrip("\r\n")
    if "#" in code:
        code = code.split("#", 1)[0]
    return code.rstrip().endswith(":")
