"""Pieces of a board run that need no board: the echo of input() lines, the ending's words."""

from __future__ import annotations

from presenter.device import RunResult
from presenter.modes.board_run import EchoFilter, describe_ending


def test_the_echo_of_a_typed_line_is_dropped_even_in_pieces():
    echo = EchoFilter()
    echo.expect("ada\n")
    assert echo.filter("a") == ""
    assert echo.filter("da\nHello ada\n") == "Hello ada\n"
    assert echo.filter("ada\n") == "ada\n"  # expected once: later text is the program's


def test_text_that_is_not_the_echo_is_shown_and_the_expectation_dropped():
    echo = EchoFilter()
    echo.expect("ada\n")
    assert echo.filter("adx") == "x"  # "ad" was the echo; the board did not echo the rest
    assert echo.filter("a\n") == "a\n"


def test_two_lines_typed_ahead_are_both_dropped():
    echo = EchoFilter()
    echo.expect("1\n")
    echo.expect("2\n")
    assert echo.filter("1\n2\nsum 3\n") == "sum 3\n"


def test_endings_read_like_the_python_runs():
    assert describe_ending(RunResult("normal"), "micro:bit v1.0.1") == (
        "Program finished on the micro:bit v1.0.1")
    assert describe_ending(RunResult("interrupted"), "Pico") == "Program stopped on the Pico"
    assert describe_ending(RunResult("reset"), "Pico") == (
        "The board reset while the program ran on the Pico")
    assert "left out to fit its memory" in describe_ending(RunResult("normal", stripped=True),
                                                           "micro:bit")
