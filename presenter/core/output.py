"""Bounded scrollback of program output, tagged by stream, as a terminal would show it.

A program on stage may print a million lines, or one 50 MB line, or rewrite a progress bar a
million times, faster than any widget can show it. ``OutputBuffer`` is the one place that
keeps that bounded: it holds at most ``max_lines`` complete lines (dropping the oldest and
counting them) and at most ``max_line_chars`` characters of any one line (counting the rest).
The local-process reader threads push into it and the GUI takes bounded batches out of it on
a timer, so a flood costs a fixed amount of memory, the child is never blocked by us, and the
event loop keeps turning.

What a terminal would do with the text happens here too (``core.terminal``): ``\\r``, ``\\b``
and ``ESC [ K`` rewrite the current line, SGR sequences become ``Style``s (``core.ansi``),
other escapes are dropped. A rewritten line is handed out as a ``LINE_RESET`` marker followed
by the line's new text, and rewrites that nobody has taken yet replace each other here, so a
million ``\\r`` updates cost a few redraws, not a million document edits.

Two pipes carry no common clock, so the order between stdout and stderr is only what the
reader saw: see ``append`` for what is kept.

It is thread-safe (one lock) and pure Python: no Qt, tested headless.

Text is stored as segments rather than one object per line, because at a million lines per
second per-line objects are what costs time; lines are only counted (``str.count``) and split
at the few places where a cut is needed. Colour escapes in ordinary lines are stored as they
came and parsed only when taken, so the lines a flood drops are never parsed at all.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import NamedTuple

from presenter.core.ansi import PLAIN, Style, csi_number
from presenter.core.terminal import (
    NOT_SGR,
    SGR,
    TOKEN,
    CurrentLine,
    split_incomplete,
    strip_escapes,
    style_after,
)

STDOUT = "stdout"
STDERR = "stderr"
INFO = "info"
INPUT = "input"
STREAMS = (STDOUT, STDERR, INFO, INPUT)

LINE_RESET = "line-reset"
"""A marker chunk: clear the current (unfinished) line; the chunks after it redraw it."""

_LINE_BREAK = "line-break"  # internal marker: the consumer started a new line by itself
_WAIT_LIMIT = 1 << 20  # characters that may wait for another stream's line before going out


class Chunk(NamedTuple):
    """A piece of output: which stream, the text (no escapes), and its SGR style."""

    stream: str
    text: str
    style: Style = PLAIN


def dropped_note(count: int, max_lines: int) -> str:
    """The line shown where older output was thrown away (one wording for every view)."""
    return f"… {count:,} earlier lines dropped (scrollback limit {max_lines:,})"


def truncated_note(count: int) -> str:
    """The text appended to a line that was cut at the per-line limit."""
    return f" … line truncated, {count:,} characters not shown"


@dataclass
class OutputBatch:
    """What a consumer takes out of the buffer in one go, to apply in order.

    ``dropped_lines`` counts lines thrown away (oldest first) since the previous take: when it
    is non-zero everything the consumer showed before is older than the gap, so a bounded
    view should replace its content instead of appending. A ``LINE_RESET`` chunk means: clear
    the current line (what was shown since the last newline).
    """

    chunks: list[Chunk] = field(default_factory=list)
    dropped_lines: int = 0
    lines_taken: int = 0  # complete lines this take removed from the store

    @property
    def line_count(self) -> int:
        return sum(chunk.text.count("\n") for chunk in self.chunks)

    def text(self) -> str:
        """The batch as plain text, with line resets applied."""
        parts: list[str] = []
        for chunk in self.chunks:
            if chunk.stream == LINE_RESET:
                joined = "".join(parts)
                parts = [joined[: joined.rfind("\n") + 1]]
            else:
                parts.append(chunk.text)
        return "".join(parts)


class OutputBuffer:
    """Thread-safe bounded store of tagged output lines.

    ``append`` never blocks for long and never grows memory beyond the limits; ``take`` hands
    out the oldest stored output in bounded batches.
    """

    def __init__(
        self, max_lines: int = 20000, max_line_chars: int = 10000, line_wait_s: float = 0.0
    ) -> None:
        """``line_wait_s``: how long one stream's text may wait for the other stream's
        unfinished line to end (see ``append``); 0 for a single stream, e.g. a board.
        """
        if max_lines < 1 or max_line_chars < 1:
            raise ValueError("max_lines and max_line_chars must be at least 1")
        self.max_lines = max_lines
        self.max_line_chars = max_line_chars
        self.line_wait_s = line_wait_s
        self._lock = threading.Lock()
        # Each segment is a [stream, text, newline_count, style, plain] list (mutable so a cut
        # is cheap). ``style`` is the style where the text starts; ``plain`` says the text has
        # no escapes (one style throughout), which is what lets neighbours merge.
        self._segments: deque[list] = deque()
        self._newlines = 0  # complete lines held
        self._open_len = 0  # characters stored for the unfinished last line
        self._open_hidden = 0  # characters of the unfinished last line not stored
        self._line = CurrentLine(max_line_chars)  # the unfinished last line, as shown
        self._styles: dict[str, Style] = {}  # the SGR state of each stream
        self._carry: dict[str, str] = {}  # an escape sequence a read cut short, per stream
        self._waiting: list[tuple[str, str]] = []  # text waiting for the other stream's line
        self._waiting_chars = 0
        self._waiting_since = 0.0
        self._dropped_since_take = 0
        self.dropped_lines = 0  # lifetime count of lines thrown away
        self.truncated_chars = 0  # lifetime count of characters cut from long lines
        self.total_lines = 0  # lifetime count of completed lines appended

    # ---- Producer side

    def append(self, stream: str, text: str) -> None:
        """Add text from ``stream``; it may hold many lines or part of one.

        Order: each stream keeps its own order, and text is shown in the order the reader
        got it. The one exception keeps lines whole: while one stream's line is unfinished
        (``print("out")`` under ``-u`` is two writes, "out" then "\\n"), text from the other
        stream waits up to ``line_wait_s`` for that line's newline, then goes after it;
        without a newline in time it goes after the unfinished text (``print("x", end="")``
        then a traceback shows "x" first, as a terminal does). Nothing is ever held back
        behind the other stream.
        """
        if not text:
            return
        with self._lock:
            if self._waiting and time.monotonic() - self._waiting_since >= self.line_wait_s:
                self._release_waiting_locked()
            if self._waiting:
                if stream != self._line.owner:
                    self._waiting.append((stream, text))
                    self._waiting_chars += len(text)
                    if self._waiting_chars > _WAIT_LIMIT:
                        self._release_waiting_locked()
                    return
                end = text.find("\n") + 1
                if not end:  # the awaited line goes on
                    self._write_locked(stream, text)
                    return
                self._write_locked(stream, text[:end])
                self._release_waiting_locked()
                text = text[end:]
                if not text:
                    return
            owner = self._line.owner
            if self.line_wait_s > 0 and owner is not None and owner != stream and self._line.extent:
                self._waiting = [(stream, text)]
                self._waiting_chars = len(text)
                self._waiting_since = time.monotonic()
                return
            self._write_locked(stream, text)

    def flush(self) -> None:
        """Let any waiting text go out now (the output has ended)."""
        with self._lock:
            self._release_waiting_locked()

    def end_line(self) -> None:
        """Finish the unfinished line as far as truncation is concerned (at process exit).

        A line cut at the limit gets its note only when it ends; a program that prints one
        huge line and exits without a newline ends it here.
        """
        with self._lock:
            self._release_waiting_locked()
            self._carry.clear()  # an escape cut off at the very end never completes
            if self._open_hidden:
                self._add_segment(INFO, truncated_note(self._open_hidden), 0, PLAIN, True)
                self.truncated_chars += self._open_hidden
                self._open_hidden = 0
                self._open_len = self.max_line_chars  # note belongs to the line; keep it closed
                line = self._line
                line.extent = line.length
                line.cursor = min(line.cursor, line.length)

    def break_line(self) -> None:
        """The consumer moved to a new line by itself (it echoed a line the user typed).

        The line the program left unfinished (an ``input()`` prompt) is over: a later ``\\r``
        must not redraw it on the line after the echo.
        """
        with self._lock:
            if not self._line.extent and not self._open_len:
                return
            self._line.clear()
            self._open_len = 0
            self._open_hidden = 0
            self._segments.append([_LINE_BREAK, "", 0, PLAIN, False])

    # ---- Consumer side

    def take(self, max_lines: int | None = None) -> OutputBatch:
        """Remove and return the oldest stored output, at most ``max_lines`` complete lines.

        With ``max_lines=None`` everything is taken, including an unfinished last line.
        """
        with self._lock:
            if self._waiting and time.monotonic() - self._waiting_since >= self.line_wait_s:
                self._release_waiting_locked()
            batch = OutputBatch(dropped_lines=self._dropped_since_take)
            self._dropped_since_take = 0
            want = self._newlines if max_lines is None else min(max_lines, self._newlines)
            batch.lines_taken = want
            segments = self._segments
            chunks = batch.chunks
            while segments:
                seg = segments[0]
                stream, text, nl, style, plain = seg
                if nl <= want:
                    # Segments without a newline go out too, so a prompt printed without
                    # one (input("Name? ")) appears at once.
                    segments.popleft()
                    want -= nl
                    self._newlines -= nl
                    if stream == LINE_RESET:
                        chunks.append(Chunk(LINE_RESET, ""))
                    elif stream != _LINE_BREAK:
                        _styled_chunks(chunks, stream, text, style, plain)
                    continue
                # Cut this segment after the want-th newline.
                if want > 0:
                    pos = _nth_newline(text, want)
                    seg[3] = _styled_chunks(chunks, stream, text[: pos + 1], style, plain)
                    seg[1] = text[pos + 1 :]
                    seg[2] = nl - want
                    self._newlines -= want
                break
            return batch

    # ---- Inspection (tests, views)

    def __len__(self) -> int:
        """Lines held, counting an unfinished last line."""
        with self._lock:
            open_line = (self._segments and not self._ends_with_newline()) or self._waiting
            return self._newlines + (1 if open_line else 0)

    def text(self) -> str:
        """Everything held, as one string (tests and small views)."""
        batch = OutputBatch(self.chunks())
        return batch.text()

    def chunks(self) -> list[Chunk]:
        """Everything held, as the chunks ``take`` would hand out (waiting text last)."""
        with self._lock:
            out: list[Chunk] = []
            for stream, text, _nl, style, plain in self._segments:
                if stream == LINE_RESET:
                    out.append(Chunk(LINE_RESET, ""))
                elif stream != _LINE_BREAK:
                    _styled_chunks(out, stream, text, style, plain)
            out.extend(Chunk(stream, strip_escapes(text)) for stream, text in self._waiting)
            return out

    def clear(self) -> None:
        with self._lock:
            self._segments.clear()
            self._newlines = 0
            self._open_len = 0
            self._open_hidden = 0
            self._line.clear()
            self._styles.clear()
            self._carry.clear()
            self._waiting = []
            self._waiting_chars = 0
            self._dropped_since_take = 0

    # ---- Internals (lock held)

    def _release_waiting_locked(self) -> None:
        waiting, self._waiting, self._waiting_chars = self._waiting, [], 0
        for stream, text in waiting:
            self._write_locked(stream, text)

    def _write_locked(self, stream: str, text: str) -> None:
        """Apply ``text`` to the output as a terminal would, then bound it."""
        carry = self._carry.pop(stream, "")
        if carry:
            text = carry + text
        text, rest = split_incomplete(text)
        if rest:
            self._carry[stream] = rest
        if not text:
            return
        if "\r" in text:
            text = text.replace("\r\n", "\n")  # a newline either way (boards, Windows)
        style = self._styles.get(stream, PLAIN)
        line = self._line
        if (
            "\r" in text
            or "\b" in text
            or "\x07" in text
            or not line.at_end()
            or ("\x1b" in text and NOT_SGR.search(text))
        ):
            self._styles[stream] = self._write_through_line_locked(stream, text, style)
            self._trim_locked()
            return
        # Fast path: plain or colour-only text added at the end of the line. It is stored as
        # it came; the current line is mirrored so that a later "\r" can rewrite it.
        escapes = "\x1b" in text
        end_style = style_after(text, style) if escapes else style
        self._append_locked(stream, text, style, end_style)
        cut = text.rfind("\n") + 1
        if cut:
            line.clear()
            tail = text[cut:]
            if tail:
                tail_style = style_after(text[:cut], style) if "\x1b" in tail else end_style
                line.write_styled(stream, tail_style, tail)
        else:
            line.write_styled(stream, style, text)
        line.emitted = line.length
        self._styles[stream] = end_style
        self._trim_locked()

    def _write_through_line_locked(self, stream: str, text: str, style: Style) -> Style:
        """The general path: every character through the current-line model."""
        pieces = text.split("\n")
        last = len(pieces) - 1
        for i, piece in enumerate(pieces):
            if piece:
                style = self._render_piece(stream, piece, style)
            if i < last:
                self._emit_line_locked(stream, style, finished=True)
        self._emit_line_locked(stream, style, finished=False)
        return style

    def _render_piece(self, stream: str, piece: str, style: Style) -> Style:
        """Apply one line's worth of text (no newlines) to the current line."""
        line = self._line
        if "\x1b" not in piece and "\b" not in piece and "\x07" not in piece:
            if "\r" in piece:
                line.overwrite_each(stream, style, piece.split("\r"))
            else:
                line.write(stream, style, piece)
            return style
        pos = 0
        for match in TOKEN.finditer(piece):
            if match.start() > pos:
                line.write(stream, style, strip_escapes(piece[pos : match.start()]))
            pos = match.end()
            token = match.group()
            if token == "\r":
                line.carriage_return()
            elif token == "\b":
                line.backspace()
            elif match.group("final"):
                params, final = match.group("params"), match.group("final")
                if params[:1] in ("<", "=", ">", "?"):
                    continue  # private modes (cursor visibility and the like): nothing to show
                if final == "m":
                    style = style.after(params)
                elif final == "K":
                    line.erase(csi_number(params, 0))
                elif final == "G":
                    line.move_to(csi_number(params, 1) - 1)
                elif final == "C":
                    line.move_by(csi_number(params, 1))
                elif final == "D":
                    line.move_by(-csi_number(params, 1))
        if pos < len(piece):
            line.write(stream, style, strip_escapes(piece[pos:]))
        return style

    def _emit_line_locked(self, stream: str, style: Style, finished: bool) -> None:
        """Store what changed on the current line; with ``finished``, end it with a newline."""
        line = self._line
        if line.dirty:
            self._reset_line_locked()
            runs = line.runs_from(0)
        else:
            runs = line.runs_from(line.emitted) if line.emitted < line.length else []
        for run_stream, run_style, run_text in runs:
            self._add_segment(run_stream, run_text, 0, run_style, True)
        line.emitted = line.length
        line.dirty = False
        self._open_len = line.length
        self._open_hidden = line.hidden
        if not finished:
            return
        if line.hidden:
            self._add_segment(INFO, truncated_note(line.hidden), 0, PLAIN, True)
            self.truncated_chars += line.hidden
        owner = line.owner or stream
        last_run = line.runs[-1] if line.runs else None
        # The newline takes the style of the text it ends, so the two merge into one segment.
        nl_style = last_run[1] if last_run and last_run[0] == owner else PLAIN
        self._add_segment(owner, "\n", 1, nl_style, True)
        self.total_lines += 1
        self._open_len = 0
        self._open_hidden = 0
        line.clear()

    def _reset_line_locked(self) -> None:
        """Forget this line's text nobody has taken yet; tell the consumer to clear the rest."""
        segments = self._segments
        while segments:
            seg = segments[-1]
            if seg[2]:  # holds the end of an earlier line: keep it up to its last newline
                cut = seg[1].rfind("\n") + 1
                if cut < len(seg[1]):
                    seg[1] = seg[1][:cut]
                    seg[4] = False  # its end state changed: never merge into it
                break
            if seg[0] == _LINE_BREAK:
                break
            segments.pop()
        segments.append([LINE_RESET, "", 0, PLAIN, False])

    def _ends_with_newline(self) -> bool:
        for seg in reversed(self._segments):
            if seg[1]:
                return seg[1].endswith("\n")
        return True

    def _add_segment(self, stream: str, text: str, nl: int, style: Style, plain: bool) -> None:
        segments = self._segments
        if segments:
            last = segments[-1]
            # Merge small neighbours of one stream and style so a chatty program yields few
            # segments.
            if (plain and last[4] and last[0] == stream and last[3] is style
                    and len(last[1]) < 4096):
                last[1] += text
                last[2] += nl
                self._newlines += nl
                return
        segments.append([stream, text, nl, style, plain])
        self._newlines += nl

    def _append_locked(self, stream: str, text: str, style: Style, end_style: Style) -> None:
        """Store text (which may hold SGR escapes) with the per-line length cap."""
        cap = self.max_line_chars
        plain = style is end_style and "\x1b" not in text
        if self._open_hidden == 0 and self._open_len + len(text) <= cap:
            # Fast path: no line in here can exceed the cap.
            nl = text.count("\n")
            if nl:
                self._open_len = len(text) - text.rfind("\n") - 1
            else:
                self._open_len += len(text)
            self._add_segment(stream, text, nl, style, plain)
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
            self._add_segment(stream, text, nl, style, plain)
            self.total_lines += nl
            return
        # Slow path: some line crosses the cap. Rare except for huge lines, where it is
        # cheap because a piece beyond the cap is only counted, never copied.
        out: list[str] = []
        out_style = style  # the style where ``out`` starts
        last = len(pieces) - 1
        for i, piece in enumerate(pieces):
            room = cap - self._open_len
            if self._open_hidden or len(piece) > room:
                keep = "" if self._open_hidden else _without_partial_escape(piece[: max(room, 0)])
                if keep:
                    out.append(keep)
                    self._open_len += len(keep)
                self._open_hidden += len(piece) - len(keep)
            else:
                out.append(piece)
                self._open_len += len(piece)
            next_style = style_after(piece, style) if not plain else style
            if i < last:  # this piece's line ends here
                if self._open_hidden:
                    if out:
                        self._add_segment(stream, "".join(out), 0, out_style, False)
                        out = []
                    self._add_segment(INFO, truncated_note(self._open_hidden), 0, PLAIN, True)
                    self.truncated_chars += self._open_hidden
                    self._open_hidden = 0
                    out_style = next_style
                out.append("\n")
                self._add_segment(stream, "".join(out), 1, out_style, plain)
                self.total_lines += 1
                out = []
                out_style = next_style
                self._open_len = 0
            style = next_style
        if out:
            self._add_segment(stream, "".join(out), 0, out_style, plain)

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
                if not seg[4]:
                    seg[3] = style_after(seg[1][: pos + 1], seg[3])
                seg[1] = seg[1][pos + 1 :]
                seg[2] = nl - excess
                self._newlines -= excess
                excess = 0
        # Drop leftovers with no newline that belong to lines already dropped: the head
        # segment now starts right after a newline, so nothing more to do.


def _styled_chunks(out: list[Chunk], stream: str, text: str, style: Style, plain: bool) -> Style:
    """Append ``text`` as chunks, parsing any SGR sequences in it; returns the end style.

    Pieces that look the same on screen go out as one chunk: neighbours in one style, and
    blanks (spaces, the newline) after text in a style that draws nothing on blanks (no
    background, underline or inverse, ``Style.marks_blanks``), because a blank looks the same
    in any such style. A coloured log line resets its colour before the space and before the
    newline; joining those is a third fewer chunks, and each chunk is an object made here and
    a Qt call in the output pane.
    """
    new = tuple.__new__  # a Chunk without the NamedTuple constructor: this runs per coloured run
    if plain or "\x1b" not in text:
        if text:
            out.append(new(Chunk, (stream, text, style)))
        return style
    parts = SGR.split(text)  # text, params, text, params, ..., text
    if text.count("\x1b") != len(parts) // 2:  # an escape that is not SGR: never show it
        parts = [strip_escapes(part) if i % 2 == 0 else part for i, part in enumerate(parts)]
    append = out.append
    run, run_style = parts[0], style  # the chunk being gathered
    for params, piece in zip(parts[1::2], parts[2::2], strict=True):
        style = style._after.get(params) or style.after(params)  # cached, without a call
        if not piece:
            continue
        if style is run_style or (
            run and piece[0] in " \n" and not piece.strip(" \n")  # most pieces are not blank
            and not (style.marks_blanks or run_style.marks_blanks)
        ):
            run += piece
            continue
        if run:
            append(new(Chunk, (stream, run, run_style)))
        run, run_style = piece, style
    if run:
        append(new(Chunk, (stream, run, run_style)))
    return style


def _without_partial_escape(text: str) -> str:
    """``text`` minus an escape sequence the length cap cut in half."""
    return split_incomplete(text)[0] if "\x1b" in text[-64:] else text


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
