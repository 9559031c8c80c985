"""core.terminal: SGR codes become styles, escapes cut by a read wait, the line rewrites as a
terminal's does."""

from __future__ import annotations

import random

import pytest

from presenter.core.ansi import PLAIN, Style
from presenter.core.terminal import CurrentLine, split_incomplete, style_after


def sgr(params: str, start: Style = PLAIN) -> Style:
    return start.after(params)


@pytest.mark.parametrize("params, expected", [
    ("31", Style(fg=1)),
    ("37", Style(fg=7)),
    ("90", Style(fg=8)),
    ("97", Style(fg=15)),
    ("42", Style(bg=2)),
    ("107", Style(bg=15)),
    ("1", Style(bold=True)),
    ("1;33;44", Style(fg=3, bg=4, bold=True)),
    ("3;4;7", Style(italic=True, underline=True, inverse=True)),
    ("38;5;9", Style(fg=9)),  # 256-colour index below 16 is the palette slot itself
    ("38;5;196", Style(fg=9)),  # cube red -> nearest palette slot: bright red
    ("48;2;0;0;230", Style(bg=4)),  # true-colour blue background -> blue
    ("38:5:2", Style(fg=2)),  # the colon form
    ("5;31", Style(fg=1)),  # blink is ignored, the colour still applies
    ("1;38;2;7;4", Style(bold=True)),  # a true colour cut short: its numbers are no attributes
])
def test_sgr_codes_become_styles(params, expected):
    assert sgr(params) == expected


def test_resets_and_partial_resets():
    red_bold_on_blue = sgr("1;31;44")
    assert sgr("0", red_bold_on_blue) == PLAIN
    assert sgr("", red_bold_on_blue) == PLAIN  # ESC [ m
    assert sgr("22", red_bold_on_blue) == Style(fg=1, bg=4)
    assert sgr("39", red_bold_on_blue) == Style(bg=4, bold=True)
    assert sgr("49", red_bold_on_blue) == Style(fg=1, bold=True)
    assert sgr("0;32", red_bold_on_blue) == Style(fg=2)  # reset and a new colour in one
    assert sgr("31") is Style.of(fg=1)  # interned: cheap to compare


def test_style_code_round_trips():
    for style in (PLAIN, Style.of(fg=0), Style.of(fg=15, bg=0, bold=True, inverse=True),
                  Style.of(bg=7, italic=True, underline=True)):
        assert Style.from_code(style.code) == style


def test_style_after_text_with_many_sequences():
    text = "\x1b[31mred\x1b[0m plain \x1b[1mbold \x1b[34mblue"
    assert style_after(text, PLAIN) == Style(fg=4, bold=True)
    assert style_after("no escapes", Style.of(fg=2)) == Style(fg=2)
    assert style_after("\x1b[33mx\x1b[m", Style.of(bold=True)) == PLAIN


@pytest.mark.parametrize("text, complete, rest", [
    ("abc\x1b[3", "abc", "\x1b[3"),
    ("abc\x1b", "abc", "\x1b"),
    ("abc\x1b[", "abc", "\x1b["),
    ("t\x1b]0;my title", "t", "\x1b]0;my title"),
    ("t\x1b]0;my title\x1b", "t", "\x1b]0;my title\x1b"),  # its ESC \ was cut after the ESC
    ("abc\x1b[31mdef", "abc\x1b[31mdef", ""),
    ("\x1b]0;t\x07x", "\x1b]0;t\x07x", ""),
    ("plain", "plain", ""),
])
def test_escape_cut_by_a_read_waits_for_the_rest(text, complete, rest):
    assert split_incomplete(text) == (complete, rest)


def line_text(line: CurrentLine) -> str:
    return line.text()


def test_carriage_return_overwrites_like_a_terminal():
    line = CurrentLine(cap=100)
    line.write("stdout", PLAIN, "hello")
    line.carriage_return()
    line.write("stdout", PLAIN, "HI")
    assert line_text(line) == "HIllo"  # a terminal keeps what was not overwritten
    assert line.cursor == 2 and not line.at_end()


def test_backspace_and_erase_forms():
    line = CurrentLine(cap=100)
    line.write("stdout", PLAIN, "1 + 1 = 35")
    line.backspace()
    line.backspace()
    line.write("stdout", PLAIN, "2")
    assert line_text(line) == "1 + 1 = 25"
    line.erase(0)  # ESC [ K: from the cursor to the end
    assert line_text(line) == "1 + 1 = 2"
    line.move_to(3)
    line.erase(1)  # ESC [ 1 K: from the start through the cursor
    assert line_text(line) == "    1 = 2"
    line.erase(2)  # ESC [ 2 K: the whole line; the cursor stays where it was
    assert line_text(line) == ""
    line.write("stdout", PLAIN, "x")
    assert line_text(line) == "   x"


def test_styles_and_streams_are_kept_per_run():
    line = CurrentLine(cap=100)
    red = Style.of(fg=1)
    line.write("stdout", PLAIN, "abcdef")
    line.move_to(2)
    line.write("stderr", red, "XY")
    assert line.runs_from(0) == [("stdout", PLAIN, "ab"), ("stderr", red, "XY"),
                                 ("stdout", PLAIN, "ef")]
    assert line.runs_from(3) == [("stderr", red, "Y"), ("stdout", PLAIN, "ef")]
    assert line.owner == "stderr"


def test_cap_bounds_memory_and_counts_hidden_characters():
    line = CurrentLine(cap=10)
    line.write("stdout", PLAIN, "x" * 25)
    assert line_text(line) == "x" * 10 and line.hidden == 15
    line.carriage_return()
    line.write("stdout", PLAIN, "yy")
    assert line_text(line) == "yy" + "x" * 8 and line.hidden == 15
    line.erase(0)
    assert line_text(line) == "yy" and line.hidden == 0


def test_only_rewriting_what_was_handed_on_makes_the_line_dirty():
    line = CurrentLine(cap=100)
    line.write("stdout", PLAIN, "abc")
    line.carriage_return()
    line.write("stdout", PLAIN, "X")
    assert not line.dirty  # nothing of it was handed on yet
    line.emitted = line.length
    line.carriage_return()
    line.write("stdout", PLAIN, "Y")
    assert line.dirty


def test_overwrite_each_equals_writing_the_updates_one_by_one():
    rng = random.Random(6)
    for _ in range(300):
        pieces = ["".join(rng.choice("ab#.") for _ in range(rng.randrange(0, 12)))
                  for _ in range(rng.randrange(1, 8))]
        start = "".join(rng.choice("xyz") for _ in range(rng.randrange(0, 10)))
        column = rng.randrange(0, 12)
        fast, slow = CurrentLine(cap=9), CurrentLine(cap=9)
        for line in (fast, slow):
            line.write("stdout", PLAIN, start)
            line.move_to(column)
        fast.overwrite_each("stdout", PLAIN, pieces)
        slow.write("stdout", PLAIN, pieces[0])
        for piece in pieces[1:]:
            slow.carriage_return()
            slow.write("stdout", PLAIN, piece)
        assert (line_text(fast), fast.cursor, fast.extent) == \
            (line_text(slow), slow.cursor, slow.extent), (start, pieces)
