"""Bounded scrollback of program output, tagged by stream.

A program on stage may print a million lines, or one 50 MB line, faster than any widget can
show them. ``OutputBuffer`` is the one place that keeps that bounded: it holds at most
``max_lines`` complete lines (dropping the oldest and counting them) and at most
``max_line_chars`` characters of any one line (counting the rest). The local-process reader
threads push into it and the GUI takes bounded batches out of it on a timer, so a flood costs
a fixed amount of memory, the child is never blocked by us, and the event loop keeps turning.

It is thread-safe (one lock) and pure Python: no Qt, tested headless.

Text is stored as segments ``(stream, text)`` rather than one object per line, because at a
million lines per second per-line objects are what costs time; lines are only counted
(``str.count``) and split at the few places where a cut is needed.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

STDOUT = "stdout"
STDERR = "stderr"
INFO = "info"
INPUT = "input"
STREAMS = (STDOUT, STDERR, INFO, INPUT)

Chunk = tuple[str, str]


def dropped_note(count: int, max_lines: int) -> str:
    """The line shown where older output was thrown away (one wording for every view)."""
    return f"… {count:,} earlier lines dropped (scrollback limit {max_lines:,})"


def truncated_note(count: int) -> str:
    """The text appended to a line that was cut at the per-line limit."""
    return f" … line truncated, {count:,} characters not shown"


@dataclass
class OutputBatch:
    """What a consumer takes out of the buffer in one go.

    ``dropped_lines`` counts lines thrown away (oldest first) since the previous take: when it
    is non-zero everything the consumer showed before is older than the gap, so a bounded
    view should replace its content instead of appending.
    """

    chunks: list[Chunk] = field(default_factory=list)
    dropped_lines: int = 0

    @property
    def line_count(self) -> int:
        return sum(text.count("\n") for _, text in self.chunks)

    def text(self) -> str:
        return "".join(text for _, text in self.chunks)


class OutputBuffer:
    """Thread-safe bounded store of tagged output lines.

    ``append`` never blocks for long and never grows memory beyond the limits; ``take`` hands
    out the oldest stored lines in bounded batches.
    """

    def __init__(
        self, max_lines: int = 20000, max_line_chars: int = 10000, partial_hold_s: float = 0.0
    ) -> None:
        """``partial_hold_s``: how long an unfinished line is held back before ``take``
        hands it out.

        ``print("out")`` under ``python -u`` is two writes, "out" then "\n"; a stderr line
        landing between them would print as "outerr". Holding a stream's unfinished line
        briefly (until its newline arrives) keeps lines whole; a prompt with no newline
        still appears after ``partial_hold_s``.
        """
        if max_lines < 1 or max_line_chars < 1:
            raise ValueError("max_lines and max_line_chars must be at least 1")
        self.max_lines = max_lines
        self.max_line_chars = max_line_chars
        self.partial_hold_s = partial_hold_s
        self._partial: dict[str, list] = {}  # stream -> [text, monotonic time first held]
        self._lock = threading.Lock()
        # Each segment is a [stream, text, newline_count] list (mutable so a cut is cheap).
        self._segments: deque[list] = deque()
        self._newlines = 0  # complete lines held
        self._open_len = 0  # characters stored for the unfinished last line
        self._open_hidden = 0  # characters of the unfinished last line not stored
        self._dropped_since_take = 0
        self.dropped_lines = 0  # lifetime count of lines thrown away
        self.truncated_chars = 0  # lifetime count of characters cut from long lines
        self.total_lines = 0  # lifetime count of completed lines appended

    # ---- Producer side

    def append(self, stream: str, text: str) -> None:
        """Add text from ``stream``; it may hold many lines or part of one."""
        if not text:
            return
        with self._lock:
            if self.partial_hold_s > 0:
                held = self._partial.pop(stream, None)
                if held is not None:
                    text = held[0] + text
                cut = text.rfind("\n") + 1
                rest = text[cut:]
                if rest and len(rest) <= self.max_line_chars:
                    self._partial[stream] = [rest, held[1] if held else time.monotonic()]
                    text = text[:cut]
                if not text:
                    return
            self._append_locked(stream, text)
            self._trim_locked()

    def flush(self) -> None:
        """Release every held unfinished line into the store (end of output)."""
        with self._lock:
            self._flush_partials_locked(None)

    def end_line(self) -> None:
        """Finish the unfinished line as far as truncation is concerned (at process exit).

        A line cut at the limit gets its note only when it ends; a program that prints one
        huge line and exits without a newline ends it here.
        """
        with self._lock:
            self._flush_partials_locked(None)
            if self._open_hidden:
                self._add_segment(INFO, truncated_note(self._open_hidden), 0)
                self.truncated_chars += self._open_hidden
                self._open_hidden = 0
                self._open_len = self.max_line_chars  # note belongs to the line; keep it closed

    # ---- Consumer side

    def take(self, max_lines: int | None = None) -> OutputBatch:
        """Remove and return the oldest stored output, at most ``max_lines`` complete lines.

        With ``max_lines=None`` everything is taken, including an unfinished last line.
        """
        with self._lock:
            if self._partial:
                self._flush_partials_locked(time.monotonic() - self.partial_hold_s)
            batch = OutputBatch(dropped_lines=self._dropped_since_take)
            self._dropped_since_take = 0
            want = self._newlines if max_lines is None else min(max_lines, self._newlines)
            segments = self._segments
            while segments:
                seg = segments[0]
                stream, text, nl = seg
                if nl <= want:
                    # Segments without a newline go out too, so a prompt printed without
                    # one (input("Name? ")) appears at once.
                    segments.popleft()
                    batch.chunks.append((stream, text))
                    want -= nl
                    self._newlines -= nl
                    continue
                # Cut this segment after the want-th newline.
                if want > 0:
                    pos = _nth_newline(text, want)
                    batch.chunks.append((stream, text[: pos + 1]))
                    seg[1] = text[pos + 1 :]
                    seg[2] = nl - want
                    self._newlines -= want
                break
            return batch

    # ---- Inspection (tests, views)

    def __len__(self) -> int:
        """Lines held, counting an unfinished last line."""
        with self._lock:
            open_line = (self._segments and not self._ends_with_newline()) or self._partial
            return self._newlines + (1 if open_line else 0)

    def text(self) -> str:
        """Everything held, as one string (tests and small views)."""
        with self._lock:
            held = [p[0] for p in self._partial.values()]
            return "".join([seg[1] for seg in self._segments] + held)

    def chunks(self) -> list[Chunk]:
        with self._lock:
            held = [(stream, p[0]) for stream, p in self._partial.items()]
            return [(seg[0], seg[1]) for seg in self._segments] + held

    def clear(self) -> None:
        with self._lock:
            self._segments.clear()
            self._partial.clear()
            self._newlines = 0
            self._open_len = 0
            self._open_hidden = 0
            self._dropped_since_take = 0

    # ---- Internals (lock held)

    def _flush_partials_locked(self, older_than: float | None) -> None:
        for stream in list(self._partial):
            text, since = self._partial[stream]
            if older_than is None or since <= older_than:
                del self._partial[stream]
                self._append_locked(stream, text)
                self._trim_locked()

    def _ends_with_newline(self) -> bool:
        for seg in reversed(self._segments):
            if seg[1]:
                return seg[1].endswith("\n")
        return True

    def _add_segment(self, stream: str, text: str, nl: int) -> None:
        segments = self._segments
        if segments:
            last = segments[-1]
            # Merge small neighbours of one stream so a chatty program yields few segments.
            if last[0] == stream and len(last[1]) < 4096:
                last[1] += text
                last[2] += nl
                self._newlines += nl
                return
        segments.append([stream, text, nl])
        self._newlines += nl

    def _append_locked(self, stream: str, text: str) -> None:
        cap = self.max_line_chars
        if self._open_hidden == 0 and self._open_len + len(text) <= cap:
            # Fast path: no line in here can exceed the cap.
            nl = text.count("\n")
            if nl:
                self._open_len = len(text) - text.rfind("\n") - 1
            else:
                self._open_len += len(text)
            self._add_segment(stream, text, nl)
            self.total_lines += nl
            return
        pieces = text.split("\n")
        if (
            self._open_hidden == 0
            and self._open_len + len(pieces[0]) <= cap
            and max(map(len, pieces)) <= cap
        ):
            nl = len(pieces) - 1
            self._open_len = len(pieces[-1]) if nl else self._open_len + len(pieces[0])
            self._add_segment(stream, text, nl)
            self.total_lines += nl
            return
        # Slow path: some line crosses the cap. Rare except for huge lines, where it is
        # cheap because a piece beyond the cap is only counted, never copied.
        out: list[str] = []
        last = len(pieces) - 1
        for i, piece in enumerate(pieces):
            room = cap - self._open_len
            if self._open_hidden or len(piece) > room:
                keep = piece[: max(room, 0)] if not self._open_hidden else ""
                if keep:
                    out.append(keep)
                    self._open_len += len(keep)
                self._open_hidden += len(piece) - len(keep)
            else:
                out.append(piece)
                self._open_len += len(piece)
            if i < last:  # this piece's line ends here
                if self._open_hidden:
                    if out:
                        self._add_segment(stream, "".join(out), 0)
                        out = []
                    self._add_segment(INFO, truncated_note(self._open_hidden), 0)
                    self.truncated_chars += self._open_hidden
                    self._open_hidden = 0
                out.append("\n")
                self._add_segment(stream, "".join(out), 1)
                self.total_lines += 1
                out = []
                self._open_len = 0
        if out:
            self._add_segment(stream, "".join(out), 0)

    def _trim_locked(self) -> None:
        excess = self._newlines - self.max_lines
        if excess <= 0:
            return
        self._dropped_since_take += excess
        self.dropped_lines += excess
        segments = self._segments
        while excess > 0:
            seg = segments[0]
            nl = seg[2]
            if nl <= excess:
                segments.popleft()
                excess -= nl
                self._newlines -= nl
            else:
                pos = _nth_newline(seg[1], excess)
                seg[1] = seg[1][pos + 1 :]
                seg[2] = nl - excess
                self._newlines -= excess
                excess = 0
        # Drop leftovers with no newline that belong to lines already dropped: the head
        # segment now starts right after a newline, so nothing more to do.


def _nth_newline(text: str, n: int) -> int:
    """Index of the n-th (1-based) newline in ``text``; searches from whichever end is nearer."""
    total = text.count("\n")
    if n <= total // 2:
        pos = -1
        for _ in range(n):
            pos = text.find("\n", pos + 1)
        return pos
    pos = len(text)
    for _ in range(total - n + 1):
        pos = text.rfind("\n", 0, pos)
    return pos
