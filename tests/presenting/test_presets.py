"""Projector presets: each fits its grid, the pick follows the screen, and the arithmetic
uses Scintilla's own measurements of the font (never a guessed character size)."""

from __future__ import annotations

import pytest
from PyQt5.Qsci import QsciScintilla

from presenter.presenting.fit import FontRuler
from presenter.presenting.presets import (
    MIN_COLUMNS,
    MIN_LINES,
    PRESETS,
    Room,
    TextMetrics,
    capacity,
    fitting_size,
    next_preset,
    preset_for_screen,
    preset_named,
)
from presenter.qt.editor import breakpoint_margin_width, line_bar_width, margin_padding

FAMILY = "DejaVu Sans Mono"
# The projector screens; test_projector.py checks the same presets on real ones (Xvfb).
SCREENS = {"1024x768": (1024, 768), "1280x720": (1280, 720), "1920x1080": (1920, 1080)}


@pytest.fixture
def ruler(qtbot):
    from PyQt5.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    return FontRuler(window)


def room_for(width: int, height: int, lines_in_file: int = 200) -> Room:
    """A presentation room on a screen of this size: the stage toolbar (~70 px), a splitter
    handle, the output pane's third, the editor's frame and scroll bars."""
    editor_height = (height - 72) * 2 / 3 - 2 - 14
    chars = max(3, len(str(lines_in_file))) + 1
    return Room(width - 2 - 14, editor_height,
                lambda points, m: (chars * m.advance + breakpoint_margin_width(points)
                                   + line_bar_width(points) + margin_padding(points) + 1))


def test_every_preset_is_at_least_50_columns_and_15_lines():
    assert {p.name for p in PRESETS} == {"1024x768", "1280x720", "1920x1080", "back row"}
    for preset in PRESETS:
        assert preset.columns >= MIN_COLUMNS and preset.lines >= MIN_LINES, preset
    assert preset_named("back row").columns == MIN_COLUMNS
    assert preset_named("back row").lines == MIN_LINES


@pytest.mark.parametrize(("screen", "expected"), [
    ((1024, 768), "1024x768"), ((1280, 720), "1280x720"), ((1920, 1080), "1920x1080"),
    ((1366, 768), "1280x720"), ((800, 600), "1024x768"), ((2560, 1440), "1920x1080"),
    ((1280, 1024), "1280x720"),
])
def test_the_preset_is_picked_by_screen_size(screen, expected):
    assert preset_for_screen(*screen).name == expected


def test_the_preset_key_steps_through_all_of_them_and_round():
    seen = [PRESETS[0]]
    for _ in range(len(PRESETS)):
        seen.append(next_preset(seen[-1]))
    assert seen[:-1] == list(PRESETS) and seen[-1] == PRESETS[0]


def test_the_ruler_measures_what_the_editor_then_shows(ruler, qtbot):
    """The ruler's cell is Scintilla's: an editor set to that size has that line height and
    that advance (so the preset arithmetic is exact, not approximately right)."""
    editor = QsciScintilla()
    qtbot.addWidget(editor)
    for points in (10, 17, 24, 31):
        metrics = ruler.metrics(FAMILY, points)
        editor.SendScintilla(QsciScintilla.SCI_STYLESETFONT, QsciScintilla.STYLE_DEFAULT, FAMILY.encode())
        editor.SendScintilla(QsciScintilla.SCI_STYLESETSIZE, QsciScintilla.STYLE_DEFAULT, points)
        editor.SendScintilla(QsciScintilla.SCI_STYLECLEARALL)
        editor.SendScintilla(QsciScintilla.SCI_STYLESETBOLD, 5, True)
        assert editor.SendScintilla(QsciScintilla.SCI_TEXTHEIGHT, 0) == metrics.line_height
        width = editor.SendScintilla(QsciScintilla.SCI_TEXTWIDTH, 0, b"M" * 50)
        assert abs(width - 50 * metrics.advance) < 1
    # Bigger type, bigger cell: the search relies on it.
    cells = [ruler.metrics(FAMILY, p) for p in range(8, 60, 4)]
    assert all(a.line_height <= b.line_height and a.advance <= b.advance
               for a, b in zip(cells, cells[1:], strict=False))


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("preset", PRESETS, ids=[p.name for p in PRESETS])
def test_each_preset_is_the_largest_size_that_fits_its_grid(ruler, screen, preset):
    room = room_for(*SCREENS[screen])
    measure = lambda points: ruler.metrics(FAMILY, points)  # noqa: E731
    points = fitting_size(room, preset, measure)
    columns, lines = capacity(room, points, measure(points))
    assert columns >= preset.columns and lines >= preset.lines
    assert columns >= MIN_COLUMNS and lines >= MIN_LINES
    bigger = capacity(room, points + 1, measure(points + 1))
    assert bigger[0] < preset.columns or bigger[1] < preset.lines  # one size up does not fit
    assert points >= 10  # a projector size, not a squeeze


@pytest.mark.parametrize("screen", SCREENS)
def test_the_back_row_gets_the_biggest_text_and_the_screens_own_preset_more_room(ruler, screen):
    room = room_for(*SCREENS[screen])
    measure = lambda points: ruler.metrics(FAMILY, points)  # noqa: E731
    own = fitting_size(room, preset_for_screen(*SCREENS[screen]), measure)
    back_row = fitting_size(room, preset_named("back row"), measure)
    assert back_row > own


def test_a_room_too_small_for_any_size_gets_the_smallest_not_an_error():
    tiny = Room(100, 50, lambda points, m: 10)
    assert fitting_size(tiny, PRESETS[0], lambda p: TextMetrics(p * 0.6, p * 1.2)) == 6
