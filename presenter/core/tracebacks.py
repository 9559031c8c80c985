"""Find ``File "...", line N`` locations in program output.

CPython and MicroPython print the same shape (``File "/home/x/demo.py", line 3, in f`` and
``File "<stdin>", line 2, in <module>``), so one pattern serves the local and board modes.
Pure functions over text: the output pane uses them to underline links and to resolve a click.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# How a traceback location names an editor tab that has no file yet: ``untitled:<title>``.
# The Python runner writes it; the workbench's go-to reads it.
UNTITLED_PREFIX = "untitled:"

_LOCATION = re.compile(r'File "(?P<path>[^"\n]+)", line (?P<line>\d+)')


@dataclass(frozen=True)
class Location:
    """A traceback location: ``start``/``end`` delimit ``File "...", line N`` in the text,
    ``path_start`` is where the path itself begins (a view may show another name there)."""

    path: str
    line: int
    start: int
    end: int
    path_start: int = -1


def find_locations(text: str) -> list[Location]:
    """Every traceback location in ``text``, in order."""
    if 'File "' not in text:  # cheap test first: floods rarely contain tracebacks
        return []
    return [
        Location(m.group("path"), int(m.group("line")), m.start(), m.end(), m.start("path"))
        for m in _LOCATION.finditer(text)
    ]


def location_at(line_text: str, column: int) -> Location | None:
    """The location that covers ``column`` of one line of output, if any (a click)."""
    for location in find_locations(line_text):
        if location.start <= column < location.end:
            return location
    return None
