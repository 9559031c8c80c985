"""The last lines of the output pane, for views that show a bounded tail of it.

The audience page shows the output pane's text, and the handout keeps each run's output;
neither may grow with a program that prints a million lines. ``OutputTail`` keeps the last
``max_lines`` lines (each cut at ``max_line_chars``) as runs of ``(stream, text)``, and
applies ``LINE_RESET`` (a ``\\r`` progress bar redrawing its line) as the output pane does.

Lines have absolute numbers that only grow (until ``clear``), so a consumer on another
thread can ask what changed since it last looked (``take_changes``) and get "replace the
lines from number k with these": appending, redrawing the last line and a flood that
scrolled everything away are all that one kind of change. Feeding costs O(max_lines) per
call whatever the chunk's size: lines that would scroll out at once are skipped unsplit.

Thread-safe (one lock) and Qt-free: the GUI thread feeds it, the audience server reads it.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from presenter.core.output import LINE_RESET

Run = tuple[str, str]
"""A piece of one line: (stream, text), where stream is one of core.output.STREAMS."""

CUT_MARK = " …"  # ends a line cut at max_line_chars


@dataclass(frozen=True)
class TailChange:
    """What changed since the last ``take_changes``: lines ``start``.. are now ``lines``.

    ``reset`` means everything before ``start`` is gone too (cleared, or scrolled out of
    the tail): a viewer replaces all it shows. The last line may be unfinished.
    """

    reset: bool
    start: int
    lines: list[list[Run]]


class OutputTail:
    """The last ``max_lines`` lines of output, with change tracking for one consumer."""

    def __init__(self, max_lines: int = 500, max_line_chars: int = 2000) -> None:
        if max_lines < 1 or max_line_chars < 1:
            raise ValueError("max_lines and max_line_chars must be at least 1")
        self.max_lines = max_lines
        self.max_line_chars = max_line_chars
        self._lock = threading.Lock()
        self._lines: deque[list[list]] = deque([[]])  # the last one is the unfinished line
        self._lengths: deque[int] = deque([0])  # characters in each line, to cut long ones
        self._first = 0  # the number of self._lines[0]
        self._dirty_from: int | None = None
        self._reset = False

    # ---- Producer side
    def feed(self, chunks: Iterable[tuple]) -> None:
        """Add ``(stream, text[, style])`` chunks as the output pane showed them."""
        with self._lock:
            for chunk in chunks:
                stream, text = chunk[0], chunk[1]
                if stream == LINE_RESET:
                    self._lines[-1] = []
                    self._lengths[-1] = 0
                    self._mark(self._open_index())
                elif text:
                    self._add_text(stream, text)
            self._trim()

    def clear(self) -> None:
        with self._lock:
            self._lines = deque([[]])
            self._lengths = deque([0])
            self._first = 0
            self._dirty_from = None
            self._reset = True

    # ---- Consumer side
    def take_changes(self) -> TailChange | None:
        """What changed since the last call (None if nothing): for a live view."""
        with self._lock:
            if self._dirty_from is None and not self._reset:
                return None
            reset = self._reset or self._dirty_from is None or self._dirty_from < self._first
            start = self._first if reset else self._dirty_from
            lines = self._copy(start - self._first)
            self._dirty_from = None
            self._reset = False
            return TailChange(reset, start, lines)

    def snapshot(self) -> tuple[int, list[list[Run]]]:
        """(number of the first line, every line kept): for a viewer that just arrived."""
        with self._lock:
            return self._first, self._copy(0)

    def text(self) -> str:
        """The kept lines as plain text (the handout's copy of a run's output)."""
        with self._lock:
            return "\n".join("".join(text for _stream, text in line) for line in self._lines)

    # ---- Internals
    def _open_index(self) -> int:
        return self._first + len(self._lines) - 1

    def _mark(self, index: int) -> None:
        if self._dirty_from is None or index < self._dirty_from:
            self._dirty_from = index

    def _add_text(self, stream: str, text: str) -> None:
        newlines = text.count("\n")
        self._mark(self._open_index())
        if newlines > self.max_lines:
            # Every line before the last max_lines newlines scrolls out at once: skip them
            # without splitting (a 50 MB flood chunk costs one scan, not a million lines).
            skip = newlines - self.max_lines
            cut = -1
            for _ in range(skip):
                cut = text.index("\n", cut + 1)
            self._first = self._open_index() + skip
            self._lines = deque([[]])
            self._lengths = deque([0])
            self._reset = True
            text = text[cut + 1:]
        pieces = text.split("\n")
        self._append_to_open(stream, pieces[0])
        for piece in pieces[1:]:
            self._lines.append([])
            self._lengths.append(0)
            self._append_to_open(stream, piece)

    def _append_to_open(self, stream: str, piece: str) -> None:
        if not piece:
            return
        used = self._lengths[-1]
        room = self.max_line_chars - used
        if room <= 0:
            return  # already cut
        if len(piece) > room:
            piece = piece[:room] + CUT_MARK
        line = self._lines[-1]
        if line and line[-1][0] == stream:
            line[-1][1] += piece
        else:
            line.append([stream, piece])
        self._lengths[-1] = used + len(piece)

    def _trim(self) -> None:
        while len(self._lines) > self.max_lines + 1:  # complete lines + the unfinished one
            self._lines.popleft()
            self._lengths.popleft()
            self._first += 1

    def _copy(self, offset: int) -> list[list[Run]]:
        lines = self._lines
        return [[(run[0], run[1]) for run in lines[i]] for i in range(max(0, offset), len(lines))]
