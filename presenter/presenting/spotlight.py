"""Spotlight: the current line, or the selected lines, stay bright; the rest of the code dims.

The dimming is a Scintilla indicator drawn *over* the text in the editor's paper colour,
mostly opaque: it moves with edits and scrolling like text does, and it changes nothing in
the document (text, undo history, cursor and selection stay as they were). It lasts until
Esc, the Spotlight key again, or ``clear()`` (the demo player calls it on its next step).
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt5 import sip
from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import QEvent, QObject, Qt, pyqtSignal
from PyQt5.QtGui import QColor
from PyQt5.QtWidgets import QApplication

from presenter.qt.editor import Editor
from presenter.qt.tabs import EditorTabs

#: Scintilla indicator number (the editor uses 8 for find matches).
INDICATOR_DIM = 9
#: How much of the paper colour covers dimmed code (of 255): still readable up close,
#: clearly in the background from the back row.
DIM_ALPHA = 185


class Spotlight(QObject):
    """At most one spotlight at a time, on the current tab's editor."""

    # ---- Signals
    changed = pyqtSignal(bool)
    """The spotlight came on (True) or went off (False)."""

    def __init__(self, tabs: EditorTabs, paper: Callable[[], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tabs = tabs
        self._paper = paper  # the theme's editor paper, read when the spotlight comes on
        self._editor: Editor | None = None
        self._lines: tuple[int, int] | None = None

    # ---- Public API
    def is_active(self) -> bool:
        return self._editor is not None and not sip.isdeleted(self._editor)

    def lit_lines(self) -> tuple[int, int] | None:
        """First and last line in the light (from 0), while the spotlight is on."""
        return self._lines if self.is_active() else None

    def toggle(self) -> None:
        """The Spotlight key: on for the current line or selection, or off again."""
        if self.is_active():
            self.clear()
        else:
            self.light_current()

    def light_current(self) -> None:
        editor = self._tabs.current()
        if editor is not None:
            first, last = editor.selected_lines()
            self.light(editor, first, last)

    def light(self, editor: Editor, first: int, last: int) -> None:
        """Dim everything in ``editor`` outside lines ``first``..``last`` (from 0)."""
        self.clear()
        editor.indicatorDefine(QsciScintilla.FullBoxIndicator, INDICATOR_DIM)
        editor.SendScintilla(QsciScintilla.SCI_INDICSETUNDER, INDICATOR_DIM, False)  # over text
        self._colour(editor)
        length = editor.SendScintilla(QsciScintilla.SCI_GETLENGTH)
        start = editor.positionFromLineIndex(first, 0)
        end = (editor.positionFromLineIndex(last + 1, 0) if last + 1 < editor.lines()
               else length)
        editor.SendScintilla(QsciScintilla.SCI_SETINDICATORCURRENT, INDICATOR_DIM)
        editor.SendScintilla(QsciScintilla.SCI_INDICATORFILLRANGE, 0, start)
        editor.SendScintilla(QsciScintilla.SCI_INDICATORFILLRANGE, end, length - end)
        self._editor, self._lines = editor, (first, last)
        QApplication.instance().installEventFilter(self)  # Esc, wherever the focus is
        self.changed.emit(True)

    def restyle(self) -> None:
        """The theme changed: dim with the new paper colour."""
        if self.is_active():
            self._colour(self._editor)

    def clear(self) -> None:
        """Take the spotlight away (nothing happens if there is none)."""
        editor, self._editor, self._lines = self._editor, None, None
        if editor is None:
            return
        QApplication.instance().removeEventFilter(self)
        if not sip.isdeleted(editor):
            length = editor.SendScintilla(QsciScintilla.SCI_GETLENGTH)
            editor.SendScintilla(QsciScintilla.SCI_SETINDICATORCURRENT, INDICATOR_DIM)
            editor.SendScintilla(QsciScintilla.SCI_INDICATORCLEARRANGE, 0, length)
        self.changed.emit(False)

    # ---- Internals
    def _colour(self, editor: Editor) -> None:
        paper = QColor(self._paper())
        paper.setAlpha(DIM_ALPHA)
        editor.setIndicatorForegroundColor(paper, INDICATOR_DIM)
        editor.setIndicatorOutlineColor(paper, INDICATOR_DIM)

    # ---- Qt events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if (event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape
                and not event.modifiers() & ~Qt.KeypadModifier):
            self.clear()
            return True  # this Esc only ends the spotlight (a second one does the usual)
        return False
