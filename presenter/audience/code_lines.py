"""The code on the page as highlighted lines, and what changed between two versions.

A keystroke changes one line; sending the whole file for it would cost every viewer the
file's size ten times a second (a 2,000-line file: megabytes a second per phone). So the
page gets "lines ``start``..``end`` are now these": the lines before and after the edit
that are unchanged are left out. The whole file is still lexed each time (a triple-quoted
string opened on one line changes the colour of all that follow), on the server's thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from presenter.audience.highlight import code_runs

Line = list  # [[css_class, text], ...] without the newline


def highlighted_lines(text: str, file_name: str = "") -> list[Line]:
    """The text's highlighted runs, cut into lines."""
    lines: list[Line] = [[]]
    for css, value in code_runs(text, file_name):
        pieces = value.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                lines.append([])
            if piece:
                lines[-1].append([css, piece])
    return lines


@dataclass(frozen=True)
class LineChange:
    """Replace lines ``start`` up to (not including) ``end`` of the old version with ``lines``."""

    start: int
    end: int
    lines: list[Line]


def line_change(old: list[Line], new: list[Line]) -> LineChange:
    """The smallest one-range change that turns ``old`` into ``new``."""
    shortest = min(len(old), len(new))
    start = 0
    while start < shortest and old[start] == new[start]:
        start += 1
    kept_at_end = 0
    while (kept_at_end < shortest - start
           and old[len(old) - 1 - kept_at_end] == new[len(new) - 1 - kept_at_end]):
        kept_at_end += 1
    return LineChange(start, len(old) - kept_at_end, new[start:len(new) - kept_at_end])
