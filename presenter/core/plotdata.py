"""Tuples of numbers in program output -> bounded series for the live plotter.

What counts as a data line: a line that is, apart from surrounding whitespace, what
``print()`` shows for a tuple or list of numbers, in CPython and MicroPython alike:
``(1, 2.5, -3)``, ``(7,)``, ``[0.25, 1e-05, nan]``. Brackets are required: a bare
``1, 2, 3`` is not data, because ordinary text is full of commas between digits
("1,000 steps", "3,4") and a plot that jumps at every such line would be noise. The values
are read with ``float()``, so ints, floats, exponents, ``inf`` and ``nan`` all work.
Everything else is ignored: lines that merely start with a bracket but are not a tuple of
numbers (``[INFO] ready``, ``(1, 'a')``, ``(1, 2`` cut short) are counted in
``ignored_lines`` so the view can say why a line did not plot, and never move the x axis.

How series form: value ``k`` of each data line belongs to series ``k``; the x coordinate is
the data line's number (0, 1, 2, ... since the last ``clear``), so series of one line stay
lined up in time. A line with more values than before starts new series at its x; a line
with fewer values simply gives the missing series no point there, so they end. History is
the last ``history`` data lines (500 by default): older points fall off the left edge, and
a series with no point left in that window disappears (from the legend too). So no series
ever holds more than ``history`` points, and a program that changes its tuple length
mid-run reads like an oscilloscope trace, not a reset.

Output arrives in chunks that split lines anywhere (a pipe read, a serial read), so the
unfinished tail of a chunk is kept until its newline arrives; a tail longer than
``max_line_chars`` is dropped at once (a 50 MB line costs nothing) and the rest of that line
is skipped. ``\\r\\n`` endings (boards) are fine; of a line with a bare ``\\r`` inside, the part
after the last ``\\r`` counts, since that is what a terminal would show.

Pure Python, no Qt: fed and read on one thread (the GUI's), so it needs no lock.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

HISTORY = 500
MAX_VALUES = 32  # more values than this in one line is not a plot anyone can read
MAX_LINE_CHARS = 2000

_CLOSING = {"(": ")", "[": "]"}


def parse_line(line: str, max_values: int = MAX_VALUES) -> tuple[float, ...] | None:
    """The numbers of one data line, or None if the line is not a tuple/list of numbers."""
    text = line.strip()
    if len(text) < 2:
        return None
    closing = _CLOSING.get(text[0])
    if closing is None or text[-1] != closing:
        return None
    parts = text[1:-1].split(",")
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()  # the trailing comma of a one-element tuple, "(7,)"
    if len(parts) > max_values:
        return None
    try:
        return tuple(float(part) for part in parts)  # float() ignores surrounding spaces
    except ValueError:
        return None  # also "()" and "(1,,2)": an empty part is not a number


@dataclass
class Series:
    """One position of the tuples: the x (data line number) and y of each point."""

    index: int  # 0-based position in the tuple
    xs: deque[int] = field(default_factory=deque)
    ys: deque[float] = field(default_factory=deque)

    @property
    def name(self) -> str:
        """The legend's label: people count from one."""
        return f"value {self.index + 1}"


class PlotData:
    """Series parsed from output text, the last ``history`` data lines of them.

    ``version`` changes whenever the series do, so a view can repaint on a timer only when
    there is something new instead of once per line.
    """

    def __init__(self, history: int = HISTORY, max_values: int = MAX_VALUES,
                 max_line_chars: int = MAX_LINE_CHARS) -> None:
        if history < 1 or max_values < 1 or max_line_chars < 2:
            raise ValueError("history, max_values and max_line_chars must be positive")
        self.history = history
        self.max_values = max_values
        self.max_line_chars = max_line_chars
        self.series: list[Series] = []
        self.data_lines = 0  # data lines accepted since clear(): the next line's x
        self.ignored_lines = 0  # lines that began like a tuple but were not one
        self.version = 0
        self._tail = ""  # unfinished last line of the output so far
        self._skipping = False  # inside a line already found too long: drop to its newline

    # ---- Feeding

    def feed(self, text: str) -> int:
        """Add a chunk of output; returns how many data lines it completed."""
        if not text:
            return 0
        lines = text.split("\n")
        last = lines.pop()
        accepted = 0
        for line in lines:
            if self._skipping:
                self._skipping = False  # this newline ends the overlong line
                self._tail = ""
                continue
            if self._tail:
                line = self._tail + line
                self._tail = ""
            accepted += self._take_line(line)
        if not self._skipping:
            self._tail += last
            if len(self._tail) > self.max_line_chars:
                if self._tail.lstrip()[:1] in _CLOSING:
                    self.ignored_lines += 1  # a "tuple" that long is not one we can plot
                self._tail = ""
                self._skipping = True
        return accepted

    def end_line(self) -> int:
        """The output's unfinished line is complete (the program ended, an info line follows)."""
        tail, self._tail = self._tail, ""
        self._skipping = False
        return self._take_line(tail) if tail else 0

    def drop_unfinished_line(self) -> None:
        """Output will be skipped (the plot is hidden): the held line must not be joined to
        whatever arrives after the gap."""
        self._tail = ""
        self._skipping = False

    def clear(self) -> None:
        """Forget everything (a new run starts)."""
        self.series = []
        self.data_lines = 0
        self.ignored_lines = 0
        self._tail = ""
        self._skipping = False
        self.version += 1

    # ---- Inspection

    def point_count(self) -> int:
        return sum(len(series.xs) for series in self.series)

    # ---- Internals

    def _take_line(self, line: str) -> int:
        if "\r" in line:
            line = line.rstrip("\r").rsplit("\r", 1)[-1]
        stripped = line.lstrip()
        if not stripped or stripped[0] not in _CLOSING:
            return 0  # ordinary text: the common case, decided in one look
        values = parse_line(stripped, self.max_values)
        if values is None:
            self.ignored_lines += 1
            return 0
        self._add(values)
        return 1

    def _add(self, values: tuple[float, ...]) -> None:
        x = self.data_lines
        self.data_lines += 1
        series = self.series
        while len(series) < len(values):
            series.append(Series(len(series)))
        for one, value in zip(series, values, strict=False):  # longer series get no point
            one.xs.append(x)
            one.ys.append(value)
        oldest = x - self.history  # points at or before this are out of the window
        for one in series:
            xs = one.xs
            while xs and xs[0] <= oldest:
                xs.popleft()
                one.ys.popleft()
        # Only trailing series can run empty: a line with k values feeds series 0..k-1.
        while series and not series[-1].xs:
            series.pop()
        self.version += 1
