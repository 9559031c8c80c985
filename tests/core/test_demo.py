"""core.demo: the demo file format, its errors by line, and where steps land."""

from __future__ import annotations

import pytest

from presenter.core.demo import (
    INSTANT,
    Anchor,
    DemoError,
    StepError,
    apply_step,
    is_demo_text,
    join_notes,
    parse_demo,
    parse_length,
    plan_step,
    snapshots,
    validate,
)

TALK = """\
# %% demo: Turtles in ten minutes
# %% length: 10 min
# %% file: turtles.py
# %% speed: 30
# %% note: Introduce yourself.

# %% step: Import turtle
# %% note: It ships with Python.
# %% note: No install needed.
import turtle

# %% step: Draw a square
# %% run
# %% speed: instant

t = turtle.Turtle()
for _ in range(4):
    t.forward(100)


# %% step: Faster
# %% after: t = turtle.Turtle()
# %% file: turtles.py
t.speed(0)

# %% step: Explain
# %% note: Only talk here.

# %% step: On the board
# %% mode: microbit
# %% file: main.py
# %% replace: nothing
from microbit import *
"""


def test_note_lines_make_paragraphs_and_lists():
    assert join_notes(["Welcome! In ten minutes we count", "the words of a poem."]) == (
        "Welcome! In ten minutes we count the words of a poem.")
    assert join_notes(["One.", "", "Two", "lines.", ""]) == "One.\n\nTwo lines."
    assert join_notes(["Points:", "- first", "- second", "and more", "", "End."]) == (
        "Points:\n- first\n- second and more\n\nEnd.")
    assert join_notes([]) == ""


def test_a_demo_is_a_file_whose_first_line_says_so():
    assert is_demo_text("# %% demo: Hello\n# %% step: a\nx\n")
    assert is_demo_text("\ufeff# %%demo:Hello\r\n")
    assert not is_demo_text("print('hi')\n# %% demo: Hello\n")
    assert not is_demo_text("# %% step: a\n")
    assert not is_demo_text("")


def test_header_and_steps_are_read():
    demo = parse_demo(TALK.replace("# %% replace: nothing\n", ""), path="/talks/t.demo.py")
    assert demo.title == "Turtles in ten minutes"
    assert demo.length_s == 600
    assert demo.file == "turtles.py" and demo.speed == 30 and demo.mode is None
    assert demo.notes == ["Introduce yourself."]
    assert [s.title for s in demo.steps] == ["Import turtle", "Draw a square", "Faster",
                                             "Explain", "On the board"]
    first, square, faster, explain, board = demo.steps
    assert (first.number, first.line, first.code) == (1, 7, "import turtle\n")
    assert first.notes == ["It ships with Python.", "No install needed."]
    assert first.file == "turtles.py" and first.speed is None and not first.run
    # The blank line under the options is typed; the two at the end only separate steps.
    assert square.code == "\nt = turtle.Turtle()\nfor _ in range(4):\n    t.forward(100)\n"
    assert square.run and square.speed == INSTANT
    assert faster.anchor == Anchor("after", "t = turtle.Turtle()")
    assert explain.code == "" and explain.notes_text == "Only talk here."
    assert first.notes_text == "It ships with Python. No install needed."
    assert board.mode == "microbit" and board.file == "main.py"
    assert demo.files() == ["turtles.py", "main.py"]
    assert demo.mode_at(4) is None and demo.mode_at(5) == "microbit"
    assert demo.file_at(0) == "turtles.py" and demo.file_at(5) == "main.py"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("print(1)\n", 1, "first line"),
    ("# %% demo:\n# %% step: a\n", 1, "no title"),
    ("# %% demo: T\nimport os\n# %% step: a\n", 2, "code before the first step"),
    ("# %% demo: T\n\n# %% lenght: 5 min\n", 3, "did you mean “length”"),
    ("# %% demo: T\n# %% length: soon\n# %% step: a\n", 2, "not a length"),
    ("# %% demo: T\n# %% run\n# %% step: a\n", 2, "belongs to a step"),
    ("# %% demo: T\n# %% step: a\n# %% rnu\nx = 1\n", 3, "did you mean “run”"),
    ("# %% demo: T\n# %% step: a\nx = 1\n# %% run\n", 4, "after the step's code"),
    ("# %% demo: T\n# %% step:\nx = 1\n", 2, "no title"),
    ("# %% demo: T\n# %% step: a\n# %% speed: 500\n", 3, "from 5 to 100"),
    ("# %% demo: T\n# %% step: a\n# %% speed: fast\n", 3, "from 5 to 100"),
    ("# %% demo: T\n# %% step: a\n# %% file: ../x.py\n", 3, "without folders"),
    ("# %% demo: T\n# %% step: a\n# %% after:\n", 3, "needs a value"),
    ("# %% demo: T\n# %% step: a\n# %% run: now\n", 3, "takes no value"),
    ("# %% demo: T\n# %% step: a\n# %% after: x\n# %% before: y\n", 4, "one place to land"),
    ("# %% demo: T\n# %% step: a\n# %% length: 5 min\n", 3, "belongs to the header"),
    ("# %% demo: T\n# %% step: a\n# %% demo: again\n", 3, "line 1 only"),
    ("# %% demo: T\n# %% step: a\n# %%\n", 3, "needs a word"),
    ("# %% demo: T\n\n# %% note: only notes\n", 3, "no steps"),
    ("# %% demo: T\n# %% step: a\n# %% through: x\n", 3, "goes right under"),
    ("# %% demo: T\n# %% step: a\n# %% after: y\n# %% through: x\n", 4, "goes right under"),
])
def test_a_malformed_demo_names_its_line(text, line, words):
    with pytest.raises(DemoError) as caught:
        parse_demo(text)
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"line {line}: ")


def test_an_anchor_no_earlier_step_types_is_found_when_the_file_is_checked():
    demo = parse_demo(TALK)
    with pytest.raises(DemoError) as caught:
        validate(demo)
    assert caught.value.line == 32  # its "# %% replace: nothing" line
    assert "“nothing”" in str(caught.value) and "main.py" in str(caught.value)
    validate(parse_demo(TALK.replace("# %% replace: nothing\n", "")))


def step(code: str, anchor: Anchor | None = None):
    demo = parse_demo("# %% demo: T\n# %% step: s\n" + code)
    demo.steps[0].anchor = anchor
    return demo.steps[0]


def test_a_step_without_an_anchor_goes_at_the_end_on_a_line_of_its_own():
    assert apply_step("", step("b = 2\n")) == "b = 2\n"
    assert apply_step("a = 1\n", step("b = 2\n")) == "a = 1\nb = 2\n"
    assert apply_step("a = 1", step("b = 2\n")) == "a = 1\nb = 2\n"


def test_anchored_steps_land_by_the_text_of_a_line_not_by_an_offset():
    text = "import os\ndef area(r):\n    return 0\nprint(area(2))\n"
    after = step("    '''Area of a circle.'''\n", Anchor("after", "def area"))
    assert apply_step(text, after) == ("import os\ndef area(r):\n    '''Area of a circle.'''\n"
                                       "    return 0\nprint(area(2))\n")
    before = step("PI = 3.14\n", Anchor("before", "def area"))
    assert apply_step(text, before).splitlines()[1] == "PI = 3.14"
    replace = step("    return 3.14 * r * r\n", Anchor("replace", "return 0"))
    assert apply_step(text, replace).splitlines()[2] == "    return 3.14 * r * r"
    # The speaker typed lines above: the landing moves with the anchor line.
    typed = "# live: hello room\n\n" + text
    assert apply_step(typed, replace) == "# live: hello room\n\n" + apply_step(text, replace)


def test_replace_through_replaces_a_block_of_lines():
    text = "a = 1\ncounts = {}\nfor w in words:\n    counts[w] = 1\nprint(counts)\n"
    demo = parse_demo("# %% demo: T\n# %% step: s\n# %% replace: counts = {}\n"
                      "# %% through: counts[w]\ncounts = Counter(words)\n")
    assert apply_step(text, demo.steps[0]) == "a = 1\ncounts = Counter(words)\nprint(counts)\n"
    # The end is looked for from the first line on, not from the top of the file.
    assert apply_step("counts[w] = 0\n" + text, demo.steps[0]) == (
        "counts[w] = 0\na = 1\ncounts = Counter(words)\nprint(counts)\n")
    with pytest.raises(StepError, match="through the line containing “counts\\[w\\]”"):
        plan_step("counts = {}\nprint(1)\n", demo.steps[0])


def test_the_last_line_without_a_newline_as_anchor():
    assert apply_step("a = 1", step("b = 2\n", Anchor("after", "a ="))) == "a = 1\nb = 2\n"
    assert apply_step("a = 1", step("a = 2\n", Anchor("replace", "a ="))) == "a = 2"


def test_a_missing_anchor_is_a_step_error_naming_the_text():
    with pytest.raises(StepError) as caught:
        plan_step("x = 1\n", step("y\n", Anchor("after", "def main")))
    assert "“def main”" in caught.value.problem and "demo.py" in caught.value.problem


def test_snapshots_play_every_step_from_empty_tabs():
    demo = parse_demo(TALK.replace("# %% replace: nothing\n", ""))
    texts = snapshots(demo)
    assert len(texts) == 6
    assert texts[0] == {"turtles.py": "", "main.py": ""}
    assert texts[1]["turtles.py"] == "import turtle\n"
    assert texts[3]["turtles.py"] == ("import turtle\n\nt = turtle.Turtle()\nt.speed(0)\n"
                                      "for _ in range(4):\n    t.forward(100)\n")
    assert texts[4] == texts[3]
    assert texts[5]["main.py"] == "from microbit import *\n"


@pytest.mark.parametrize(("text", "seconds"), [
    ("10 min", 600), ("10m", 600), ("10 minutes", 600), ("90 s", 90), ("1.5 h", 5400),
    ("25:00", 1500), ("1:05:00", 3900), (" 7 MIN ", 420),
])
def test_talk_lengths(text, seconds):
    assert parse_length(text) == seconds


def test_a_length_that_is_not_one():
    with pytest.raises(ValueError, match="not a length"):
        parse_length("ten minutes")
