"""Projector font presets, and the arithmetic that turns one into a point size.

A preset is a text grid the audience must see whole: so many columns of code and so many
editor lines. Its point size is never a guess: it is the largest at which the grid fits the
editor's real room, measured with the font's real metrics (``presenting/fit.py`` does the
measuring; this module only counts). Every preset is at least the 50 columns and 15 lines a
live demo needs; the ones named after a screen size give more room on that screen, and
"back row" gives exactly the minimum, so the text is as big as it can be.

The preset is picked by the size of the screen the window is on, and a key steps through
them during the talk.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

#: What every preset guarantees: enough for a function and its loop, in any mode.
MIN_COLUMNS, MIN_LINES = 50, 15
#: Point sizes tried, smallest to largest.
SMALLEST_PT, LARGEST_PT = 6, 96


@dataclass(frozen=True)
class Preset:
    """A grid of ``columns`` x ``lines`` that must fit; ``screen`` is the size it suits."""

    name: str
    columns: int
    lines: int
    screen: tuple[int, int] | None = None  # None: not tied to a screen size

    def describe(self) -> str:
        return f"{self.name} ({self.columns} columns, {self.lines} lines)"


# Wider screens get wider grids: 4:3 has room for more lines, 16:9 for longer ones, and a
# 1080p projector is sharp enough that 80 columns still read.
PRESETS: tuple[Preset, ...] = (
    Preset("1024x768", 64, 18, (1024, 768)),
    Preset("1280x720", 72, 17, (1280, 720)),
    Preset("1920x1080", 80, 20, (1920, 1080)),
    Preset("back row", MIN_COLUMNS, MIN_LINES),
)


@dataclass(frozen=True)
class TextMetrics:
    """One font size's cell: how far a character advances and how tall a line is (pixels)."""

    advance: float
    line_height: float


@dataclass(frozen=True)
class Room:
    """The editor's room for a document: its inside, less scroll bars, and how the margin
    beside the code grows with the font (``gutter(points, metrics)`` in pixels)."""

    width: float
    height: float
    gutter: Callable[[int, TextMetrics], float]


# ---- Public API


def preset_for_screen(width: int, height: int) -> Preset:
    """The screen-size preset nearest to a ``width`` x ``height`` screen.

    A 1366x768 laptop gets 1280x720's grid, a 2560x1440 monitor 1920x1080's, an 800x600
    one 1024x768's: the nearest in both dimensions together.
    """
    sized = [p for p in PRESETS if p.screen is not None]
    return min(sized, key=lambda p: abs(p.screen[0] - width) + abs(p.screen[1] - height))


def next_preset(current: Preset) -> Preset:
    """The next preset in the table, round to the first (the key that changes the preset)."""
    index = PRESETS.index(current) if current in PRESETS else -1
    return PRESETS[(index + 1) % len(PRESETS)]


def preset_named(name: str) -> Preset | None:
    return next((p for p in PRESETS if p.name == name), None)


def capacity(room: Room, points: int, metrics: TextMetrics) -> tuple[int, int]:
    """Whole columns and whole lines of code that ``room`` shows at ``points``."""
    text_width = room.width - room.gutter(points, metrics)
    columns = math.floor(text_width / metrics.advance) if text_width > 0 else 0
    lines = math.floor(room.height / metrics.line_height)
    return max(0, columns), max(0, lines)


def fitting_size(room: Room, preset: Preset, measure: Callable[[int], TextMetrics]) -> int:
    """The largest point size at which ``preset``'s grid fits ``room``.

    ``measure(points)`` gives the font's real cell at that size. Bigger text never shows
    more, so the sizes are searched by halving. If even the smallest does not fit (a
    window far too small), the smallest is returned: the code still shows, only less of it.
    """
    def fits(points: int) -> bool:
        columns, lines = capacity(room, points, measure(points))
        return columns >= preset.columns and lines >= preset.lines

    low, high = SMALLEST_PT, LARGEST_PT
    if not fits(low):
        return low
    while low < high:  # invariant: fits(low)
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low
