"""The code sent as highlighted lines, and only the lines an edit changed."""

from __future__ import annotations

from presenter.audience.code_lines import highlighted_lines, line_change


def texts(lines) -> list[str]:
    return ["".join(text for _css, text in line) for line in lines]


def apply(old, change):
    return old[:change.start] + change.lines + old[change.end:]


def test_lines_hold_the_text_and_its_highlighting():
    lines = highlighted_lines('s = """a\nb"""\nx = 1\n', "demo.py")
    assert texts(lines) == ['s = """a', 'b"""', "x = 1", ""]
    assert lines[1] == [["s2", 'b"""']]  # the string's colour goes on past the newline


def test_a_keystroke_sends_one_line_of_a_long_file():
    text = "".join(f"value_{i} = {i}\n" for i in range(2000))
    old = highlighted_lines(text)
    new = highlighted_lines(text.replace("value_1000 = 1000", "value_1000 = 10007"))
    change = line_change(old, new)
    assert (change.start, change.end) == (1000, 1001) and texts(change.lines) == ["value_1000 = 10007"]
    assert apply(old, change) == new


def test_changes_at_the_ends_insertions_and_deletions_apply_exactly():
    cases = [("", "a\n"), ("a\nb\n", "a\nb\nc\n"), ("a\nb\nc\n", "a\nc\n"), ("x\n", "y\nx\n"),
             ("a\na\na\n", "a\na\n"), ("same\n", "same\n"), ("a\n", "")]
    for before, after in cases:
        old, new = highlighted_lines(before), highlighted_lines(after)
        assert apply(old, line_change(old, new)) == new, (before, after)
    unchanged = line_change(highlighted_lines("same\n"), highlighted_lines("same\n"))
    assert unchanged.lines == [] and unchanged.start == unchanged.end
