"""The bridge from the window to the audience page: what the room sees, coalesced.

While sharing is on it watches the current tab (its text and the caret's line), the
output pane (what it paints, what is typed into it, a clear) and hands them to
``audience.live.LiveState``, at most every ``INTERVAL_MS``: a burst of keystrokes or a
flood of output costs the server one update, and the GUI thread's share of the work is a
copy of the current tab's text and a few list appends per painted batch.

Only the current tab is ever sent, as it is on screen: other tabs, saved or not, stay here.
"""

from __future__ import annotations

import time

from PyQt5.QtCore import QObject, QTimer

from presenter.audience.live import OUTPUT_LINES, CodeView, LiveState
from presenter.core.output import INPUT
from presenter.qt.editor import Editor
from presenter.qt.mainwindow import MainWindow

INTERVAL_MS = 100


class AudienceFeed(QObject):
    """Feeds ``live`` from ``window`` while started."""

    def __init__(self, window: MainWindow, live: LiveState) -> None:
        super().__init__(window)
        self.window = window
        self.live = live
        self.active = False
        self._editor: Editor | None = None
        self._line = -1
        self._code_dirty = False
        self._last_flush = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    # ---- Public API
    def start(self) -> None:
        """Begin: the output already on screen, the current tab, then every change."""
        if self.active:
            return
        self.active = True
        output = self.window.output
        self.live.output.clear()
        self.live.output.feed(output.shown_chunks(OUTPUT_LINES))
        output.output_appended.connect(self._on_output)
        output.input_submitted.connect(self._on_input)
        output.cleared.connect(self._on_cleared)
        self.window.tabs.currentChanged.connect(self._on_tab)
        self._watch(self.window.tabs.current())
        self.flush()

    def stop(self) -> None:
        if not self.active:
            return
        self.active = False
        output = self.window.output
        output.output_appended.disconnect(self._on_output)
        output.input_submitted.disconnect(self._on_input)
        output.cleared.disconnect(self._on_cleared)
        self.window.tabs.currentChanged.disconnect(self._on_tab)
        self._watch(None)
        self._timer.stop()

    def flush(self) -> None:
        """Hand what changed to the server now (the timer calls this)."""
        self._timer.stop()
        if not self.active:
            return
        if self._code_dirty:
            self._code_dirty = False
            editor = self._editor
            if editor is None:
                self.live.set_code(None)
            else:
                self.live.set_code(CodeView(editor.info.title, editor.text(), max(0, self._line)))
        self._last_flush = time.monotonic()
        self.live.publish()

    # ---- Internals
    def _changed(self) -> None:
        """Something the room sees changed: flush now, or 100 ms after the last flush."""
        if self._timer.isActive():
            return
        wait_ms = INTERVAL_MS - (time.monotonic() - self._last_flush) * 1000
        self._timer.start(max(0, int(wait_ms)))

    def _watch(self, editor: Editor | None) -> None:
        old = self._editor
        if old is not None:
            try:
                old.textChanged.disconnect(self._on_text)
                old.cursor_moved.disconnect(self._on_cursor)
                old.modificationChanged.disconnect(self._on_text)
            except (RuntimeError, TypeError):
                pass  # the tab was closed and its editor deleted
        self._editor = editor
        self._line = editor.getCursorPosition()[0] if editor is not None else -1
        if editor is not None:
            editor.textChanged.connect(self._on_text)
            editor.cursor_moved.connect(self._on_cursor)
            editor.modificationChanged.connect(self._on_text)  # the title may change on save
        self._code_dirty = True
        self._changed()

    def _on_tab(self, _index: int) -> None:
        self._watch(self.window.tabs.current())

    def _on_text(self, *_args) -> None:
        self._code_dirty = True
        self._changed()

    def _on_cursor(self, line: int, _column: int) -> None:
        if line != self._line:
            self._line = line
            self._code_dirty = True
            self._changed()

    def _on_output(self, chunks: list) -> None:
        self.live.output.feed(chunks)
        self._changed()

    def _on_input(self, line: str) -> None:
        """A line typed into the program's input(): the room sees the answer too."""
        self.live.output.feed([(INPUT, line + "\n")])
        self._changed()

    def _on_cleared(self) -> None:
        self.live.output.clear()
        self._changed()
