"""What a terminal would show: ANSI colours (SGR) and in-place rewrites of the current line.

Programs written for a terminal colour their output with SGR escape sequences (``\\x1b[31m``)
and draw progress bars by rewriting the line they are on: ``\\r`` goes back to its start,
``\\b`` one column left, ``\\x1b[K`` erases the rest of it. The output pane is not a terminal,
but the audience expects to see what a terminal shows, and never the escape bytes.

This module is the Qt-free half (``core.output`` runs it on the reader thread; tests run it
headless):

* ``style_after`` is the SGR state at the end of a text (what SGR codes mean, ``Style``, is
  ``core.ansi``, shared with the REPL pane's screen model).
* ``split_incomplete`` keeps an escape sequence that a pipe read cut in two for the next read.
* ``CurrentLine`` is the unfinished line a terminal would be rewriting: styled runs, a cursor,
  and a length cap (characters beyond it are only counted), so a line rewritten a million
  times costs one bounded line of memory.

Escapes that would need a whole screen (cursor up/down, clear screen) and ones that show
nothing (window titles, cursor visibility) are consumed and ignored.
"""

from __future__ import annotations

import re

from presenter.core.ansi import CSI, PLAIN, Style

# The most characters an unfinished escape sequence may have and still wait for its end
# (window-title and hyperlink strings are the long ones).
MAX_ESCAPE = 2048

# Every sequence the output handles or deliberately drops: CSI (ESC [ params final), OSC
# (ESC ] text BEL|ESC \), two-character escapes (charset selection and the like; '[' and ']'
# start the longer forms), and the bare controls that move the cursor or ring the bell.
TOKEN = re.compile(
    CSI + r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-Z\\^-~]"
    r"|[\r\b\x07]"
)
# Colour and attribute changes only: what the fast path stores as is and parses on the way out.
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
# Any escape that is not a plain SGR sequence (it needs the line model).
NOT_SGR = re.compile(r"\x1b(?!\[[0-9;:]*m)")
# The unfinished start of an escape sequence at the very end of a text.
_PARTIAL = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[ -/]*)\Z")


def style_after(text: str, style: Style) -> Style:
    """The style in force after ``text`` (which may hold SGR sequences) is written in ``style``.

    A plain reset wipes everything before it, so only the sequences after the last one are
    applied: coloured output resets at the end of nearly every line, which keeps this cheap
    on a flood of coloured lines.
    """
    if "\x1b" not in text:
        return style
    reset = max(text.rfind("\x1b[0m"), text.rfind("\x1b[m"))
    if reset >= 0:
        style, text = PLAIN, text[reset:]
    for params in SGR.findall(text):
        style = style.after(params)
    return style


def split_incomplete(text: str) -> tuple[str, str]:
    """Split off an escape sequence cut short at the end of ``text``: (complete, rest).

    A pipe read can end in the middle of ``ESC [ 3 1 m``; the rest arrives with the next
    read, so the start waits instead of being shown or dropped.
    """
    tail_from = max(0, len(text) - MAX_ESCAPE)
    if text.find("\x1b", tail_from) < 0:
        return text, ""
    match = _PARTIAL.search(text, tail_from)
    if match is None:
        return text, ""
    return text[: match.start()], text[match.start():]


def strip_escapes(text: str) -> str:
    """Text with any stray ESC removed: raw escape bytes are never shown."""
    return text.replace("\x1b", "") if "\x1b" in text else text


class CurrentLine:
    """The unfinished last line of output as a terminal shows it, bounded by ``cap``.

    ``runs`` hold the visible text as ``[stream, style, text]`` (at most ``cap`` characters);
    ``extent`` is how far the line reaches, so ``hidden`` counts characters beyond the cap
    (the output shows a "line truncated" note for them). The cursor is where the next
    character lands: at the end while text is only appended, inside the line after ``\\r``.

    ``emitted``/``dirty`` let the owner pass the line on incrementally: characters up to
    ``emitted`` were already handed on in order; ``dirty`` means something handed on was
    rewritten, so the whole line must be redrawn.
    """

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.clear()

    def clear(self) -> None:
        self.runs: list[list] = []
        self.length = 0
        self.extent = 0
        self.cursor = 0
        self.owner: str | None = None  # the stream that wrote to this line last
        self.emitted = 0
        self.dirty = False

    @property
    def hidden(self) -> int:
        return self.extent - self.length

    def at_end(self) -> bool:
        """True when the next character extends the line right where it ends."""
        return self.cursor == self.extent

    def text(self) -> str:
        return "".join(run[2] for run in self.runs)

    # ---- Writing

    def write(self, stream: str, style: Style, text: str) -> None:
        """Put ``text`` at the cursor, overwriting what is there (a terminal's behaviour)."""
        if not text:
            return
        self.owner = stream
        start = self.cursor
        end = start + len(text)
        self.cursor = end
        if start >= self.extent:  # appending (past the end: the gap is blank)
            if start > self.extent:
                text = " " * (start - self.extent) + text
                start = self.extent
            if self.extent == self.length and self.length < self.cap:
                keep = text[: self.cap - self.length]
                self._append_run(stream, style, keep)
                self.length += len(keep)
            self.extent = end
            return
        self.extent = max(self.extent, end)
        if start >= self.cap:  # overwriting characters that are only counted
            return
        stop = min(end, self.cap)
        self._replace(start, stop, [stream, style, text[: stop - start]])
        self.length = max(self.length, stop)
        if start < self.emitted:
            self.dirty = True

    def write_styled(self, stream: str, style: Style, text: str) -> Style:
        """Write text that may hold SGR sequences; returns the style in force after it."""
        if "\x1b" not in text:
            self.write(stream, style, text)
            return style
        parts = SGR.split(text)
        self.write(stream, style, strip_escapes(parts[0]))
        for i in range(1, len(parts), 2):
            style = style.after(parts[i])
            self.write(stream, style, strip_escapes(parts[i + 1]))
        return style

    def overwrite_each(self, stream: str, style: Style, pieces: list[str]) -> None:
        """Write ``pieces`` joined by ``\\r``: ``a\\rb\\rc`` (a progress bar's updates).

        The result is computed right to left, so a read holding thousands of updates costs
        about one write: each column shows the last piece long enough to reach it.
        """
        self.write(stream, style, pieces[0])
        rest = pieces[1:]
        if not rest:
            return
        last = rest[-1]
        combined, covered = last, len(last)
        longest = max(map(len, rest))
        for i in range(len(rest) - 2, -1, -1):
            if covered >= longest:
                break
            piece = rest[i]
            if len(piece) > covered:
                combined += piece[covered:]
                covered = len(piece)
        self.cursor = 0
        self.write(stream, style, combined)
        self.cursor = len(last)

    def carriage_return(self) -> None:
        self.cursor = 0

    def backspace(self) -> None:
        self.cursor = max(0, min(self.cursor, self.extent) - 1)

    def move_to(self, column: int) -> None:
        self.cursor = max(0, column)

    def move_by(self, columns: int) -> None:
        self.cursor = max(0, self.cursor + columns)

    def erase(self, mode: int) -> None:
        """``ESC [ mode K``: 0 cursor to end, 1 start to cursor, 2 the whole line."""
        if mode == 0:
            if self.cursor >= self.extent:
                return
            keep = min(self.cursor, self.length)
            if keep < self.length:
                self.runs = _cut(self.runs, keep)[0]
                self.length = keep
                if keep < self.emitted:
                    self.dirty = True
            self.extent = self.cursor
        elif mode == 1:
            stop = min(self.cursor + 1, self.length)
            if stop > 0:
                self._replace(0, stop, [self.owner or "stdout", PLAIN, " " * stop])
                self.dirty = self.dirty or self.emitted > 0
        elif mode == 2 and self.extent:
            self.runs = []
            self.length = self.extent = 0
            self.dirty = self.dirty or self.emitted > 0

    def runs_from(self, position: int) -> list[tuple[str, Style, str]]:
        """The visible runs from character ``position`` to the end."""
        return [(stream, style, text) for stream, style, text in _cut(self.runs, position)[1]]

    # ---- Internals

    def _append_run(self, stream: str, style: Style, text: str) -> None:
        if not text:
            return
        runs = self.runs
        if runs and runs[-1][0] == stream and runs[-1][1] is style:
            runs[-1][2] += text
        else:
            runs.append([stream, style, text])

    def _replace(self, start: int, stop: int, run: list) -> None:
        left, rest = _cut(self.runs, start)
        right = _cut(rest, stop - start)[1]
        merged: list[list] = []
        for item in (*left, run, *right):
            if merged and merged[-1][0] == item[0] and merged[-1][1] is item[1]:
                merged[-1] = [item[0], item[1], merged[-1][2] + item[2]]
            elif item[2]:
                merged.append(list(item))
        self.runs = merged


def _cut(runs: list[list], position: int) -> tuple[list[list], list[list]]:
    """Split runs at character ``position`` into (before, after), copying the cut run."""
    left: list[list] = []
    for i, run in enumerate(runs):
        size = len(run[2])
        if position <= 0:
            return left, list(runs[i:])
        if size <= position:
            left.append(run)
            position -= size
            continue
        return (left + [[run[0], run[1], run[2][:position]]],
                [[run[0], run[1], run[2][position:]], *runs[i + 1:]])
    return left, []
