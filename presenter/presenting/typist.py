"""Types a step's code into an editor at a set speed, on a timer, never blocking.

Characters are due on a schedule (character ``i`` at ``start + i / speed``) and each
timer tick types every character that is due by then, so a tick that comes late (the
output pane busy with a flood) catches up instead of slowing the whole step down, and the
schedule never drifts. The text goes straight into the document (``SCI_INSERTTEXT``), not
through key presses, so the editor's auto-indent cannot indent it twice.

A step is one undo action, however many ticks typed it: Ctrl+Z after a step takes the
whole step away, as it came. The replaced line of a ``replace:`` step goes in the same
action.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PyQt5 import sip
from PyQt5.QtCore import QObject, Qt, QTimer, pyqtSignal

from presenter.core.demo import INSTANT, Landing
from presenter.qt.editor import Editor

#: The longest gap between two ticks. Ticks come twice per character's time (5 ms at 100
#: a second), so a character waits at most half that for its tick when nothing else runs.
MAX_TICK_MS = 20


class Typist(QObject):
    """Types one landing at a time into one editor."""

    # ---- Signals
    finished = pyqtSignal()
    """The whole text is in the editor (typed out, or finished at once)."""
    progressed = pyqtSignal(int)
    """Characters typed so far, after each tick (the typing benchmark watches it)."""

    def __init__(self, parent: QObject | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._now = now
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._editor: Editor | None = None
        self._text = ""
        self._typed = 0
        self._position = 0  # where the next character goes, in document bytes
        self._speed = 0
        self._started_at = 0.0
        #: Seconds the most overdue character waited past its time (for bench/demo_typing.py).
        self.worst_lateness = 0.0

    # ---- Public API
    def is_typing(self) -> bool:
        return self._editor is not None

    def type(self, editor: Editor, text_now: str, landing: Landing, speed: int) -> None:
        """Replace ``landing``'s range of ``text_now`` (the editor's text) with its code,
        ``speed`` characters a second (INSTANT: all at once)."""
        self.finish()
        self._editor = editor
        self._text = landing.code
        self._typed = 0
        self._speed = speed
        self.worst_lateness = 0.0
        start = _bytes(text_now[:landing.start])
        editor.beginUndoAction()
        if landing.end > landing.start:
            editor.SendScintilla(Editor.SCI_DELETERANGE, start,
                                 _bytes(text_now[landing.start:landing.end]))
        self._position = start
        editor.SendScintilla(Editor.SCI_GOTOPOS, start)
        if speed == INSTANT or not self._text:
            self.finish()
            return
        self._started_at = self._now()
        self._timer.start(max(1, min(MAX_TICK_MS, 500 // speed)))
        self._tick()

    def finish(self) -> None:
        """Type whatever is left at once and close the step's undo action."""
        if self._editor is None:
            return
        self._type_to(len(self._text))
        self._close()
        self.finished.emit()

    def abort(self) -> None:
        """Stop where it is (Back during typing restores a snapshot over it anyway)."""
        if self._editor is not None:
            self._close()

    # ---- Internals
    def _tick(self) -> None:
        if self._editor is None:
            return
        elapsed = self._now() - self._started_at
        due = min(len(self._text), int(elapsed * self._speed) + 1)
        if due > self._typed:
            # The first character of this batch was due at typed / speed.
            self.worst_lateness = max(self.worst_lateness, elapsed - self._typed / self._speed)
            self._type_to(due)
        if self._typed >= len(self._text):
            self.finish()

    def _type_to(self, count: int) -> None:
        editor = self._editor
        if editor is None or count <= self._typed:
            return
        if sip.isdeleted(editor):  # the tab was closed under the typing
            self._editor = None
            self._timer.stop()
            return
        chunk = self._text[self._typed:count].encode("utf-8")
        editor.SendScintilla(Editor.SCI_INSERTTEXT, self._position, chunk)
        self._position += len(chunk)
        self._typed = count
        editor.SendScintilla(Editor.SCI_GOTOPOS, self._position)  # the caret types, in view
        self.progressed.emit(count)

    def _close(self) -> None:
        self._timer.stop()
        editor, self._editor = self._editor, None
        if editor is not None and not sip.isdeleted(editor):
            editor.endUndoAction()


def _bytes(text: str) -> int:
    """Scintilla counts positions in UTF-8 bytes."""
    return len(text.encode("utf-8"))
