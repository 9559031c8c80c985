"""The output pane and the REPL pane read SGR the same way: one parser (``core.ansi``) serves
both terminal models, so a program's colours cannot mean one thing in one pane and another in
the other."""

from __future__ import annotations

import pytest

from presenter.core.terminal import PLAIN, CurrentLine
from presenter.core.terminal_screen import TerminalModel

# Each applied on top of bold red, so resets of single attributes show too.
SEQUENCES = [
    "31", "1;33;44", "3;4;7", "97;101", "38;5;9", "48;5;3", "38:5:2", "0;32", "", "5;31",
    "22", "21", "23;24;27", "39", "49", "1;;31", "38;2;7;4", "38;7;4", "38;5", "4;48",
]


@pytest.mark.parametrize("params", SEQUENCES)
def test_the_output_and_the_repl_give_the_same_style(params):
    text = f"\x1b[1;31m\x1b[{params}mX"
    line = CurrentLine(cap=100)
    line.write_styled("stdout", PLAIN, text)
    model = TerminalModel()
    model.feed(text)
    [(_, output_style, _)] = line.runs_from(0)
    assert model.lines[0].runs() == [("X", output_style)]


@pytest.mark.parametrize(("params", "index", "rgb"), [
    ("38;5;28", 28, None), ("38;5;9", 9, None), ("38;5;250", 250, None),
    ("38;2;200;30;30", None, (200, 30, 30)), ("38;2;0;0;250", None, (0, 0, 250)),
])
def test_qtconsoles_terminal_gets_the_same_palette_slots(params, index, rgb):
    """The Python REPL (qtconsole) parses SGR itself but asks ``palette_slot`` for the slot."""
    from presenter.core.ansi import palette_slot

    line = CurrentLine(cap=100)
    line.write_styled("stdout", PLAIN, f"\x1b[{params}mX")
    [(_, style, _)] = line.runs_from(0)
    slot = palette_slot(index) if rgb is None else palette_slot(rgb=rgb)
    assert style.fg == slot
