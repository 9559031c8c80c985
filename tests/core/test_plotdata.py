"""core.plotdata: which lines are data, how series form and end, bounded history, chunks."""

from __future__ import annotations

import math

import pytest

from presenter.core.plotdata import PlotData, parse_line


def points(data: PlotData) -> list[list[tuple[int, float]]]:
    return [list(zip(s.xs, s.ys, strict=True)) for s in data.series]


@pytest.mark.parametrize("line, expected", [
    ("(1, 2.5, -3)", (1.0, 2.5, -3.0)),
    ("  (1,2,3)  ", (1.0, 2.0, 3.0)),
    ("(7,)", (7.0,)),
    ("(7)", (7.0,)),  # what print((x)) shows is x, but a hand-written "(7)" reads as one value
    ("[0.25, 1e-05, -2E3]", (0.25, 1e-05, -2000.0)),
    ("(1, 2)\r", (1.0, 2.0)),  # a board's \r\n line ending
])
def test_tuples_and_lists_of_numbers_are_data(line, expected):
    assert parse_line(line) == expected


def test_nan_and_inf_are_numbers():
    values = parse_line("(nan, inf, -inf)")
    assert values is not None
    assert math.isnan(values[0]) and values[1] == math.inf and values[2] == -math.inf


@pytest.mark.parametrize("line", [
    "hello", "1, 2, 3", "1,000 steps", "()", "(1,,2)", "(1, 'a')", "(1, 2", "(1, 2]",
    "[INFO] ready", "(1, 2) # note", "((1, 2), 3)", "(True, 1)", "(1+2j,)", "",
])
def test_anything_else_is_not_data(line):
    assert parse_line(line) is None


def test_more_values_than_the_limit_is_not_data():
    assert parse_line(str(tuple(range(4))), max_values=4) == (0.0, 1.0, 2.0, 3.0)
    assert parse_line(str(tuple(range(5))), max_values=4) is None


def test_each_position_is_a_series_and_x_counts_data_lines():
    data = PlotData()
    assert data.feed("start\n(1, 10)\nnot data\n(2, 20)\n(3, 30)\n") == 3
    assert points(data) == [[(0, 1.0), (1, 2.0), (2, 3.0)], [(0, 10.0), (1, 20.0), (2, 30.0)]]
    assert [s.name for s in data.series] == ["value 1", "value 2"]


def test_malformed_lines_are_counted_and_do_not_move_the_x_axis():
    data = PlotData()
    data.feed("(1, 2)\n(3, oops)\n[WARN] low battery\n(1, 2\nplain text\n(5, 6)\n")
    assert data.ignored_lines == 3  # "plain text" is not counted: it never looked like data
    assert points(data) == [[(0, 1.0), (1, 5.0)], [(0, 2.0), (1, 6.0)]]


def test_a_longer_line_starts_series_and_a_shorter_one_ends_them():
    data = PlotData(history=4)
    data.feed("(1,)\n(2, 20, 200)\n(3, 30)\n(4,)\n")
    assert points(data) == [
        [(0, 1.0), (1, 2.0), (2, 3.0), (3, 4.0)],
        [(1, 20.0), (2, 30.0)],
        [(1, 200.0)],
    ]
    # The ended series age out of the window and then leave (and with them the legend).
    data.feed("(5,)\n")  # the window is lines 1-4: the third series still has its point
    assert [s.index for s in data.series] == [0, 1, 2]
    data.feed("(6,)\n")
    assert [s.index for s in data.series] == [0, 1]
    data.feed("(7,)\n")
    assert points(data) == [[(3, 4.0), (4, 5.0), (5, 6.0), (6, 7.0)]]


def test_history_keeps_the_last_500_points_per_series():
    data = PlotData()
    data.feed("".join(f"({n}, {-n}, {n * 2})\n" for n in range(1234)))
    assert data.data_lines == 1234
    for series in data.series:
        assert len(series.xs) == len(series.ys) == 500
        assert list(series.xs) == list(range(734, 1234))
    assert list(data.series[1].ys) == [float(-n) for n in range(734, 1234)]


def test_chunks_split_anywhere_give_the_same_series():
    text = "x = 1\n(1, 2.5)\r\n[3, -4e2]\n(oops)\n(5,\n6)\n(7, 8)\n"
    whole = PlotData()
    whole.feed(text)
    expected = points(whole)
    assert len(expected[0]) == 3
    for cut in range(len(text) + 1):
        for second in range(cut, len(text) + 1):
            data = PlotData()
            for part in (text[:cut], text[cut:second], text[second:]):
                data.feed(part)
            assert points(data) == expected, (cut, second)
            assert data.ignored_lines == whole.ignored_lines


def test_one_character_at_a_time():
    data = PlotData()
    for char in "(1, 2)\n(3, 4)\n":
        data.feed(char)
    assert points(data) == [[(0, 1.0), (1, 3.0)], [(0, 2.0), (1, 4.0)]]


def test_an_unfinished_line_counts_only_when_it_ends():
    data = PlotData()
    data.feed("(1, 2)\n(3, 4)")
    assert data.data_lines == 1
    assert data.end_line() == 1
    assert points(data) == [[(0, 1.0), (1, 3.0)], [(0, 2.0), (1, 4.0)]]
    assert data.end_line() == 0


def test_a_huge_line_is_dropped_without_being_kept():
    data = PlotData(max_line_chars=100)
    data.feed("(1,)\n(" + "9, " * 1000)
    assert data._tail == ""  # not held: a 50 MB line must not grow memory
    data.feed("9, " * 1000)
    data.feed("9)\n(2,)\n")
    assert points(data) == [[(0, 1.0), (1, 2.0)]]
    assert data.ignored_lines == 1


def test_a_carriage_return_inside_a_line_keeps_what_a_terminal_shows():
    data = PlotData()
    data.feed("progress 10%\r(1, 2)\n")
    assert points(data) == [[(0, 1.0)], [(0, 2.0)]]


def test_version_changes_only_when_the_series_do():
    data = PlotData()
    before = data.version
    data.feed("just text\n(1, 2")
    assert data.version == before
    data.feed(")\n")
    assert data.version > before


def test_clear_starts_again_at_x_zero():
    data = PlotData()
    data.feed("(1, 2)\n(3, 4)\n(5,")
    data.clear()
    data.feed("6)\n(7, 8)\n")  # the old unfinished line is gone with the old run
    assert points(data) == [[(0, 7.0)], [(0, 8.0)]]
    assert data.ignored_lines == 0  # "6)" is plain text to the new run


def test_too_many_values_in_one_line_are_ignored():
    data = PlotData(max_values=3)
    data.feed("(1, 2, 3, 4)\n(1, 2, 3)\n")
    assert len(data.series) == 3
    assert data.ignored_lines == 1


def test_a_gap_in_the_output_does_not_join_the_lines_around_it():
    data = PlotData()
    data.feed("(1, 2)\n(3, ")
    data.drop_unfinished_line()  # the plot was hidden: what came between was never seen
    data.feed("4)\n(5, 6)\n")
    assert points(data) == [[(0, 1.0), (1, 5.0)], [(0, 2.0), (1, 6.0)]]
