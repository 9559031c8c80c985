"""OutputTail: the bounded last lines of output that the audience page and the handout show."""

from __future__ import annotations

from presenter.core.output import INFO, LINE_RESET, STDERR, STDOUT
from presenter.core.output_tail import CUT_MARK, OutputTail


def plain(lines) -> list[str]:
    return ["".join(text for _stream, text in line) for line in lines]


def test_lines_keep_their_streams_and_the_unfinished_line_is_last():
    tail = OutputTail(10)
    tail.feed([(STDOUT, "Name? "), (STDERR, "oops\nTrace"), (STDOUT, "back\n")])
    first, lines = tail.snapshot()
    assert first == 0
    assert lines == [[(STDOUT, "Name? "), (STDERR, "oops")], [(STDERR, "Trace"), (STDOUT, "back")], []]
    assert tail.text() == "Name? oops\nTraceback\n"


def test_only_the_last_lines_are_kept_and_numbers_go_on():
    tail = OutputTail(3)
    tail.feed([(STDOUT, "".join(f"line {i}\n" for i in range(10)))])
    first, lines = tail.snapshot()
    assert plain(lines) == ["line 7", "line 8", "line 9", ""]
    assert first == 7


def test_a_flood_chunk_is_cut_to_the_tail_without_losing_the_count():
    tail = OutputTail(5)
    tail.feed([(STDOUT, "a")])
    tail.feed([(STDOUT, "b\n" + "x\n" * 1_000_000 + "end")])
    first, lines = tail.snapshot()
    assert plain(lines) == ["x"] * 5 + ["end"]
    assert first == 1_000_001 - 5  # "ab" was line 0, then a million x lines
    change = tail.take_changes()
    assert change.reset and change.start == first and plain(change.lines) == plain(lines)


def test_line_reset_redraws_the_unfinished_line():
    tail = OutputTail(10)
    tail.feed([(STDOUT, "done\n"), (STDOUT, " 10%"), (LINE_RESET, ""), (STDOUT, " 50%")])
    assert plain(tail.snapshot()[1]) == ["done", " 50%"]


def test_long_lines_are_cut_once_with_a_mark():
    tail = OutputTail(10, max_line_chars=8)
    tail.feed([(STDOUT, "0123456789abc"), (STDOUT, "more"), (STDOUT, "\nnext")])
    assert plain(tail.snapshot()[1]) == ["01234567" + CUT_MARK, "next"]


def test_changes_say_which_lines_to_replace():
    tail = OutputTail(10)
    assert tail.take_changes() is None
    tail.feed([(STDOUT, "one\ntw")])
    change = tail.take_changes()
    assert (change.reset, change.start, plain(change.lines)) == (False, 0, ["one", "tw"])
    tail.feed([(STDOUT, "o\nthree")])
    change = tail.take_changes()
    assert (change.reset, change.start, plain(change.lines)) == (False, 1, ["two", "three"])
    assert tail.take_changes() is None
    tail.clear()
    tail.feed([(INFO, "Process finished\n")])
    change = tail.take_changes()
    assert change.reset and plain(change.lines) == ["Process finished", ""]


def test_lines_that_scrolled_out_since_the_last_look_make_a_reset():
    tail = OutputTail(2)
    tail.feed([(STDOUT, "a\n")])
    tail.take_changes()
    tail.feed([(STDOUT, "b\nc\nd\n")])
    change = tail.take_changes()
    assert change.reset and change.start == 2 and plain(change.lines) == ["c", "d", ""]
