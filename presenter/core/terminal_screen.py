"""A terminal model for a board's REPL: text and control sequences in, lines and a cursor out.

MicroPython's line editor (``shared/readline/readline.c``) redraws the prompt line in place:
it moves the cursor back with ``\\b`` (up to four) or ``ESC[nD``, erases with ``ESC[K`` and
rewrites the rest of the line. The micro:bit V1 firmware (bbcmicrobit/micropython, based on
v1.9.2) has no VT100 at all: it moves back with ``\\b`` only and erases by printing spaces over
the old text. So the model keeps a cursor and *overwrites* at it, which is what both need;
printing the bytes as they come would show junk.

What is interpreted: printable text (overwriting at the cursor), CR, LF (also returns to
column 0: some ports print bare ``\\n`` in completion lists), BS, TAB, the CSI sequences
K J A B C D E F G P X @ s u m and ESC 7/8/c/M/D/E. SGR colours mean what they mean in the
output pane (``core.ansi``): a colour beyond the 16 palette slots shows as the nearest slot.
Everything else (other CSI finals, OSC titles that CircuitPython sends, DCS strings, charset
selections, C0/C1 controls) is swallowed, never shown. A sequence split across two ``feed()`` calls is finished by the second.

Why not pyte: it emulates a fixed-size screen that hard-wraps at its width, while this pane
is a resizable scrollback that soft-wraps; it is LGPL-3.0-only and its last release was
2023. What MicroPython needs fits in this module.

Bounded: at most ``max_lines`` lines are kept (older ones are dropped and counted), and a
line longer than ``max_line_chars`` continues on the next line, so a board printing without
newlines cannot grow one line forever. The model is Qt-free; ``qt/repl_pane.py`` draws it and
asks ``take_changes()`` which lines to repaint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from presenter.core.ansi import CSI_SEQUENCE, PLAIN, Style, apply_sgr, csi_number, csi_params

# ---- Lines


@dataclass
class Line:
    """One line of text; ``styles`` holds one Style per character, or None when all are plain.

    Most REPL output has no colour at all, so the per-character list only exists for lines
    that need it.
    """

    text: str = ""
    styles: list[Style] | None = None

    def runs(self) -> list[tuple[str, Style]]:
        """The text cut into pieces of one style each (what a view draws)."""
        if self.styles is None:
            return [(self.text, PLAIN)] if self.text else []
        out: list[tuple[str, Style]] = []
        styles, size = self.styles, len(self.text)
        start = 0
        for i in range(1, size + 1):
            # Styles from apply_sgr are interned, so ``is`` settles nearly every character;
            # ``code`` compares the rest without a Python-level Style.__eq__ call per run.
            if i == size or (styles[i] is not styles[start]
                             and styles[i].code != styles[start].code):
                out.append((self.text[start:i], styles[start]))
                start = i
        return out

    def write(self, col: int, text: str, style: Style) -> None:
        """Overwrite from ``col`` (padding with spaces if the line is shorter)."""
        old = self.text
        if col > len(old):
            pad = col - len(old)
            old += " " * pad
            if self.styles is not None:
                self.styles.extend([PLAIN] * pad)
        end = col + len(text)
        self.text = old[:col] + text + old[end:]
        if self.styles is None and (style is PLAIN or style.code == PLAIN.code):
            return
        if self.styles is None:
            self.styles = [PLAIN] * len(old)
        self.styles[col:end] = [style] * len(text)

    def truncate(self, col: int) -> None:
        self.text = self.text[:col]
        if self.styles is not None:
            del self.styles[col:]

    def delete(self, col: int, count: int) -> None:
        self.text = self.text[:col] + self.text[col + count :]
        if self.styles is not None:
            del self.styles[col : col + count]

    def insert_blanks(self, col: int, count: int) -> None:
        if col >= len(self.text):
            return
        self.text = self.text[:col] + " " * count + self.text[col:]
        if self.styles is not None:
            self.styles[col:col] = [PLAIN] * count


@dataclass
class Changes:
    """What happened since the last ``take_changes()``, so a view repaints only that.

    ``trimmed``: lines dropped from the top. ``first_dirty``: the first line (index after
    trimming) whose text changed or that is new; every line from there to the end may have
    changed. ``reset``: everything changed (cleared).
    """

    trimmed: int = 0
    first_dirty: int | None = None
    reset: bool = False


# ---- The model

_SPECIAL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL, C1: never printed as they are
# A whole CSI sequence (``CSI_SEQUENCE``) is matched in one go for speed; the
# character-by-character states handle a sequence that a read cut in two.
_SGR_CACHE_SIZE = 256
_MAX_PARAMS_CHARS = 64  # longer CSI parameter strings are garbage: still swallowed, not kept
TAB_WIDTH = 8

_NORMAL, _ESC, _CSI, _STRING, _STRING_ESC, _CHARSET = range(6)


@dataclass
class _Saved:
    row: int = 0
    col: int = 0
    style: Style = field(default=PLAIN)


class TerminalModel:
    """Lines and a cursor, fed with the text a board prints (already decoded from UTF-8)."""

    def __init__(self, max_lines: int = 5000, max_line_chars: int = 10000) -> None:
        self.max_lines = max(1, max_lines)
        self.max_line_chars = max(16, max_line_chars)
        self.lines: list[Line] = [Line()]
        self.row = 0
        self.col = 0
        self.style = PLAIN
        self.dropped_lines = 0  # scrolled out of the scrollback since the start
        self._saved = _Saved()
        self._state = _NORMAL
        self._params = ""
        self._intermediates = ""
        self._params_overflow = False
        self._sgr_cache: dict[tuple[int, str], Style] = {}  # (Style.code, params) -> Style
        self._changes = Changes(first_dirty=0)

    # ---- Public API

    @property
    def cursor(self) -> tuple[int, int]:
        """(row, column) of the cursor, row indexing ``lines``."""
        return self.row, self.col

    def text(self) -> str:
        """All lines as plain text, joined with newlines (what a person would read)."""
        return "\n".join(line.text for line in self.lines)

    def current_line(self) -> str:
        return self.lines[self.row].text

    def feed(self, text: str) -> None:
        """Interpret ``text``; a sequence cut at the end is completed by the next call."""
        i, n = 0, len(text)
        while i < n:
            if self._state != _NORMAL:
                self._sequence_char(text[i])
                i += 1
                continue
            m = _SPECIAL.search(text, i)
            end = m.start() if m else n
            if end > i:
                self._print(text[i:end])
            if m is None:
                break
            if text[end] == "\x1b" and (csi := CSI_SEQUENCE.match(text, end)):
                if len(csi.group(1)) <= _MAX_PARAMS_CHARS:
                    self._csi(csi.group(3), csi.group(1), csi.group(2))
                i = csi.end()
                continue
            self._control(text[end])
            i = end + 1
        self._trim()

    def clear(self) -> None:
        """Forget every line (the cursor column and the style are kept, as terminals do)."""
        self.lines = [Line()]
        self.row = 0
        self._saved = _Saved()
        self._changes = Changes(reset=True, first_dirty=0)

    def take_changes(self) -> Changes:
        """What changed since the last call (then forget it)."""
        changes, self._changes = self._changes, Changes()
        return changes

    # ---- Printing and control characters

    def _print(self, text: str) -> None:
        cap = self.max_line_chars
        while text:
            if self.col >= cap:  # a line too long to keep: continue on the next one
                self._line_feed()
            room = cap - self.col
            piece, text = text[:room], text[room:]
            self.lines[self.row].write(self.col, piece, self.style)
            self._dirty(self.row)
            self.col += len(piece)

    def _control(self, ch: str) -> None:
        if ch == "\r":
            self.col = 0
        elif ch in "\n\x0b\x0c":
            self._line_feed()
        elif ch == "\b":
            self.col = max(0, self.col - 1)
        elif ch == "\t":
            self.col = min(self.max_line_chars, (self.col // TAB_WIDTH + 1) * TAB_WIDTH)
        elif ch == "\x1b":
            self._state = _ESC
        elif ch == "\x9b":  # C1 CSI (only reaches us if the board sent it UTF-8 encoded)
            self._start_csi()
        elif ch in "\x90\x9d\x9e\x9f":  # C1 DCS, OSC, PM, APC: strings to swallow
            self._state = _STRING
        # everything else (BEL, NUL, Ctrl-D framing bytes, DEL, ...) is not shown

    def _line_feed(self) -> None:
        self.col = 0
        self.row += 1
        if self.row == len(self.lines):
            self.lines.append(Line())
            self._dirty(self.row)

    # ---- Escape sequences

    def _start_csi(self) -> None:
        self._state = _CSI
        self._params = ""
        self._intermediates = ""
        self._params_overflow = False

    def _sequence_char(self, ch: str) -> None:
        state = self._state
        if state == _ESC:
            self._escape(ch)
        elif state == _CSI:
            code = ord(ch)
            if 0x30 <= code <= 0x3F and not self._intermediates:  # parameters
                if len(self._params) < _MAX_PARAMS_CHARS:
                    self._params += ch
                else:
                    self._params_overflow = True
            elif 0x20 <= code <= 0x2F:  # intermediates
                self._intermediates = (self._intermediates + ch)[-4:]
            elif 0x40 <= code <= 0x7E:
                self._state = _NORMAL
                if not self._params_overflow:
                    self._csi(ch, self._params, self._intermediates)
            else:  # not part of a sequence: abandon it and treat the character normally
                self._state = _NORMAL
                if _SPECIAL.match(ch):
                    self._control(ch)
                else:
                    self._print(ch)
        elif state == _STRING:  # OSC/DCS text, ended by BEL or ESC \ (ST)
            if ch == "\x07" or ch == "\x9c":
                self._state = _NORMAL
            elif ch == "\x1b":
                self._state = _STRING_ESC
        elif state == _STRING_ESC:
            self._state = _NORMAL if ch == "\\" else _STRING
        elif state == _CHARSET:  # ESC ( B and friends: one more character, then done
            self._state = _NORMAL

    def _escape(self, ch: str) -> None:
        self._state = _NORMAL
        if ch == "[":
            self._start_csi()
        elif ch in "]PX^_":
            self._state = _STRING
        elif ch in "()*+-./#%":
            self._state = _CHARSET
        elif ch == "7":
            self._saved = _Saved(self.row, self.col, self.style)
        elif ch == "8":
            self._restore()
        elif ch == "c":
            self.style = PLAIN
            self.col = 0
            self.clear()
        elif ch == "M":
            self.row = max(0, self.row - 1)
        elif ch == "D":
            col = self.col
            self._line_feed()
            self.col = col
        elif ch == "E":
            self._line_feed()
        elif ch == "\x1b":
            self._state = _ESC  # ESC ESC: the first was noise

    def _csi(self, final: str, params_text: str, intermediates: str = "") -> None:
        if intermediates or (params_text and params_text[0] in "?<=>"):
            return  # private modes, cursor shapes, bracketed paste...: nothing to show
        if final == "m":
            self.style = self._sgr(params_text)
            return
        count = csi_number(params_text, 1)
        line = self.lines[self.row]
        if final == "K":
            mode = csi_number(params_text, 0)
            if mode == 0:
                line.truncate(self.col)
            elif mode == 1:
                line.write(0, " " * min(self.col + 1, len(line.text)), PLAIN)
            elif mode == 2:
                line.truncate(0)
            self._dirty(self.row)
        elif final == "D":
            self.col = max(0, self.col - count)
        elif final == "C":
            self.col = min(self.max_line_chars, self.col + count)
        elif final == "A":
            self.row = max(0, self.row - count)
        elif final == "B":
            self.row = min(len(self.lines) - 1, self.row + count)
        elif final == "E":
            self.row = min(len(self.lines) - 1, self.row + count)
            self.col = 0
        elif final == "F":
            self.row = max(0, self.row - count)
            self.col = 0
        elif final == "G":
            self.col = min(self.max_line_chars, count - 1)
        elif final == "P":
            line.delete(self.col, count)
            self._dirty(self.row)
        elif final == "@":
            line.insert_blanks(self.col, count)
            self._dirty(self.row)
        elif final == "X":
            end = min(len(line.text), self.col + count)
            if end > self.col:
                line.write(self.col, " " * (end - self.col), PLAIN)
                self._dirty(self.row)
        elif final == "J":
            self._erase_display(csi_number(params_text, 0))
        elif final == "s":
            self._saved = _Saved(self.row, self.col, self.style)
        elif final == "u":
            self._restore()
        # H/f (absolute position) and the rest: a scrollback has no fixed screen to address.

    def _sgr(self, params_text: str) -> Style:
        """``apply_sgr`` with a small cache: a flood repeats the same few colour changes."""
        key = (self.style.code, params_text)  # an int hashes without calling Style.__hash__
        style = self._sgr_cache.get(key)
        if style is None:
            if len(self._sgr_cache) >= _SGR_CACHE_SIZE:
                self._sgr_cache.clear()
            style = self._sgr_cache[key] = apply_sgr(self.style, csi_params(params_text))
        return style

    def _erase_display(self, mode: int) -> None:
        if mode == 0:  # cursor to the end
            self.lines[self.row].truncate(self.col)
            del self.lines[self.row + 1 :]
            self._dirty(self.row)
        elif mode == 1:  # start to the cursor: blank the lines above and this line's start
            for i in range(self.row):
                self.lines[i] = Line()
            line = self.lines[self.row]
            line.write(0, " " * min(self.col + 1, len(line.text)), PLAIN)
            self._dirty(0)
        else:  # 2 (screen) or 3 (scrollback): a program asked for a clean page
            self.clear()

    def _restore(self) -> None:
        saved = self._saved
        self.row = min(saved.row, len(self.lines) - 1)
        self.col = saved.col
        self.style = saved.style

    # ---- Bookkeeping

    def _dirty(self, row: int) -> None:
        first = self._changes.first_dirty
        if first is None or row < first:
            self._changes.first_dirty = row

    def _trim(self) -> None:
        excess = len(self.lines) - self.max_lines
        if excess <= 0:
            return
        del self.lines[:excess]
        self.row = max(0, self.row - excess)
        self._saved.row = max(0, self._saved.row - excess)
        self.dropped_lines += excess
        changes = self._changes
        changes.trimmed += excess
        if changes.first_dirty is not None:
            changes.first_dirty = max(0, changes.first_dirty - excess)

