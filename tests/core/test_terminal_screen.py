"""TerminalModel with the exact bytes MicroPython's line editor sends.

"V1" sequences were captured from the micro:bit V1 firmware in the virtual-microbit rig (it has
no VT100: it moves back with \\b and erases by printing spaces); "mainline" sequences are what
shared/readline/readline.c emits (\\b for up to 4 steps, ESC[nD beyond, ESC[K to erase).
"""

from __future__ import annotations

import codecs

import pytest

from presenter.core.ansi import PLAIN, Style, apply_sgr
from presenter.core.terminal_screen import TerminalModel

PROMPT = ">>> "


def fed(*chunks: bytes, **kwargs) -> TerminalModel:
    """A model fed ``chunks`` through an incremental UTF-8 decoder, as Board.start_terminal does."""
    model = TerminalModel(**kwargs)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    for chunk in chunks:
        model.feed(decoder.decode(chunk))
    return model


def screen(model: TerminalModel) -> list[str]:
    """Lines as a person sees them (trailing blanks are invisible on a terminal too)."""
    return [line.text.rstrip() for line in model.lines]


# ---- What the line editor sends


def test_expression_and_result_on_their_own_lines():
    model = fed(b"\r\n>>> ", b"1+1", b"\r\n2\r\n>>> ")
    assert screen(model) == ["", ">>> 1+1", "2", PROMPT.rstrip()]
    assert model.cursor == (3, 4)


def test_v1_backspace_in_the_middle_of_a_line():
    # ">>> abcdefghij", six Left arrows (echoed as \b), then Backspace deletes the "d".
    model = fed(b">>> abcdefghij", b"\x08" * 6,
                b"\x08       \x08\x08\x08\x08\x08\x08\x08efghij\x08\x08\x08\x08\x08\x08")
    assert screen(model) == [">>> abcefghij"]
    assert model.cursor == (0, 7)  # still just after the "c"


def test_mainline_backspace_in_the_middle_of_a_line():
    # readline.c: step back 1 (\b), erase to end (ESC[K), redraw the tail, step back 6 (ESC[6D).
    model = fed(b">>> abcdefghij", b"\x08\x08\x08\x08\x1b[2D", b"\x08\x1b[Kefghij\x1b[6D")
    assert model.lines[0].text == ">>> abcefghij"
    assert model.cursor == (0, 7)


def test_v1_insert_and_delete_in_the_middle():
    model = fed(b">>> abcd", b"\x08\x08", b"Xcd\x08\x08", b"  \x08\x08d\x08")
    # Insert X before "c", then Delete removes the "c" again (V1 echo, captured).
    assert screen(model) == [">>> abXd"]
    assert model.cursor == (0, 7)


def test_v1_history_recall_up_then_down():
    model = fed(b">>> 1+1\r\n2\r\n>>> ", b"1+1")
    assert screen(model)[-1] == ">>> 1+1"
    model.feed("\x08\x08\x08   \x08\x08\x08")  # Down: back to the empty line
    assert screen(model)[-1] == ">>>"
    assert model.cursor == (2, 4)


def test_mainline_history_recall_over_a_longer_line():
    # Up while "abcdef" is typed: ESC[6D back to the prompt, ESC[K erase, the history line.
    model = fed(b">>> abcdef", b"\x1b[6D\x1b[K1+1")
    assert model.lines[0].text == ">>> 1+1"
    assert model.cursor == (0, 7)


def test_mainline_history_recall_over_a_shorter_line():
    model = fed(b">>> ab", b"\x08\x081+1")  # no erase needed: the new line is longer
    assert model.lines[0].text == ">>> 1+1"


def test_tab_completes_one_match_in_place():
    model = fed(b">>> impo", b"rt ")
    assert model.lines[0].text == ">>> import "
    assert model.cursor == (0, 11)


def test_tab_lists_many_matches_then_redraws_the_prompt():
    listing = (b"\r\n__name__        Image           display         button_a\r\n"
               b"button_b        accelerometer   compass         i2c\r\n"
               b"pin19           pin20\r\n>>> microbit.")
    model = fed(b">>> microbit.", listing)
    assert screen(model) == [
        ">>> microbit.",
        "__name__        Image           display         button_a",
        "button_b        accelerometer   compass         i2c",
        "pin19           pin20",
        ">>> microbit.",
    ]
    assert model.cursor == (4, len(">>> microbit."))


def test_bare_line_feeds_start_a_new_line_at_column_zero():
    # Ports without "cooked" output print completion lists with \n only.
    model = fed(b">>> s\n  sum  str  set\n>>> s")
    assert screen(model) == [">>> s", "  sum  str  set", ">>> s"]


def test_home_and_end_keys_move_without_changing_text():
    model = fed(b">>> abcdefgh", b"\x08" * 8)  # Ctrl-A / Home on V1
    assert model.cursor == (0, 4)
    model.feed("abcdefgh")  # Ctrl-E / End on V1 redraws the line to move right
    assert model.cursor == (0, 12) and model.lines[0].text == ">>> abcdefgh"
    model.feed("\x1b[8D")  # mainline Home
    assert model.cursor == (0, 4)


def test_v1_backspace_of_an_auto_indent_then_the_block_runs():
    model = fed(b">>> for i in range(2):\r\n...     ", b"print(i)\r\n...     ",
                b"\x08\x08\x08\x08    \x08\x08\x08\x08", b"\r\n0\r\n1\r\n>>> ")
    assert screen(model) == [">>> for i in range(2):", "...     print(i)", "...", "0", "1", ">>>"]


def test_ctrl_c_interrupt_and_soft_reboot_text():
    model = fed(b">>> while True: pass\r\n... \r\n",
                b"Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
                b"KeyboardInterrupt: \r\n>>> ",
                b"\r\nsoft reboot\r\nMicroPython v1.9.2-34-gd64154c73 on 2017-09-01; micro:bit v1.0.1"
                b" with nRF51822\r\nType \"help()\" for more information.\r\n>>> ")
    lines = screen(model)
    assert "KeyboardInterrupt:" in lines and "soft reboot" in lines
    assert lines[-1] == ">>>"


def test_paste_mode_echo():
    model = fed(b"\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ",
                b"x=1\r\n=== y=2\r\n=== ", b"\r\n>>> ")
    assert screen(model) == ["", "paste mode; Ctrl-C to cancel, Ctrl-D to finish",
                             "=== x=1", "=== y=2", "===", ">>>"]


# ---- Colours


def test_sgr_colours_are_styles_not_text():
    model = fed(b"\x1b[31mred\x1b[0m plain \x1b[1;92mbold green\x1b[m\r\n")
    line = model.lines[0]
    assert line.text == "red plain bold green"
    assert line.runs() == [("red", Style(fg=1)), (" plain ", PLAIN),
                           ("bold green", Style(fg=10, bold=True))]


def test_plain_lines_store_no_styles():
    model = fed(b"hello\r\n")
    assert model.lines[0].styles is None


@pytest.mark.parametrize("params, expected", [
    ([], PLAIN),
    ([None], PLAIN),
    ([1, 4, 7], Style(bold=True, underline=True, inverse=True)),
    ([33, 44], Style(fg=3, bg=4)),
    ([97, 101], Style(fg=15, bg=9)),
    ([38, 5, 9], Style(fg=9)),
    ([38, 5, 196, 1], Style(fg=9, bold=True)),  # 256-colour beyond the palette: nearest slot, and the
    ([38, 2, 10, 20, 30, 4], Style(fg=0, underline=True)),  # RGB -> nearest slot; not attributes
    ([31, 39], PLAIN),
    ([1, 21], PLAIN),  # 21 ends bold, as in the output pane
    ([38, 7, 4], Style(underline=True)),  # an unknown colour form's selector is not inverse
])
def test_apply_sgr(params, expected):
    assert apply_sgr(PLAIN, params) == expected


def test_sgr_resets_of_single_attributes():
    style = apply_sgr(PLAIN, [1, 3, 4, 7, 31, 42])
    assert apply_sgr(style, [22, 23, 24, 27, 39, 49]) == PLAIN


# ---- Robustness


@pytest.mark.parametrize("cut", range(1, len(b"\x1b[31mX\x1b[0m\x1b[12D")))
def test_sequences_split_across_chunks(cut):
    data = b"abcdefghijklmnop\x1b[31mX\x1b[0m\x1b[12D"
    whole = fed(data)
    split = fed(data[: 16 + cut], data[16 + cut :])
    assert split.lines[0].text == whole.lines[0].text == "abcdefghijklmnopX"
    assert split.lines[0].runs() == whole.lines[0].runs()
    assert split.cursor == whole.cursor == (0, 5)


def test_utf8_split_across_chunks():
    data = "été ✓ 🎉".encode()
    for cut in range(1, len(data)):
        assert fed(data[:cut], data[cut:]).lines[0].text == "été ✓ 🎉"


@pytest.mark.parametrize("junk", [
    b"\x1b]0;CircuitPython title\x07",  # OSC ended by BEL
    b"\x1b]0;title\x1b\\",  # OSC ended by ST
    b"\x1bP1$r0m\x1b\\",  # DCS
    b"\x1b[?25l\x1b[?2004h",  # private modes
    b"\x1b(B",  # charset selection
    b"\x1b[5n\x1b[6n\x1b[H\x1b[2;5f\x1b[4h",  # reports and absolute moves
    b"\x00\x01\x02\x04\x05\x07\x7f",  # control bytes, raw-REPL framing
    b"\x1b[" + b"1;" * 200 + b"m",  # an absurdly long parameter string
])
def test_unknown_sequences_are_swallowed(junk):
    assert fed(b"ok", junk, b" fine").lines[0].text == "ok fine"


def test_a_broken_sequence_does_not_eat_the_text():
    model = fed(b"\x1b[12\r\nnext")  # CR inside a CSI abandons it and still acts
    assert screen(model) == ["", "next"]


def test_erase_variants():
    assert fed(b"abcdef\x1b[3D\x1b[K").lines[0].text == "abc"
    assert fed(b"abcdef\x1b[3D\x1b[1K").lines[0].text == "    ef"
    assert fed(b"abcdef\x1b[3D\x1b[2K").lines[0].text == ""
    assert fed(b"abcdef\x1b[3D\x1b[P").lines[0].text == "abcef"
    assert fed(b"abcdef\x1b[3D\x1b[2@").lines[0].text == "abc  def"
    assert fed(b"abcdef\x1b[3D\x1b[2X").lines[0].text == "abc  f"


def test_cursor_up_and_down_and_save_restore():
    model = fed(b"one\r\ntwo\r\nthree\x1b[2A\rONE\x1b[2BX")
    assert screen(model) == ["ONE", "two", "thrXe"]  # column 3 is kept
    model = fed(b"abc\x1b7\r\nmore\x1b8!")
    assert screen(model) == ["abc!", "more"]


def test_clear_screen_starts_a_fresh_page():
    model = fed(b"old\r\nlines\r\n\x1b[2J\x1b[Hnew")
    assert screen(model) == ["new"]


def test_tab_moves_to_the_next_stop():
    assert fed(b"a\tb").lines[0].text == "a       b"


def test_writing_past_the_end_pads_with_spaces():
    assert fed(b"ab\x1b[3Cc").lines[0].text == "ab   c"


# ---- Bounds and change tracking


def test_scrollback_is_bounded_and_counts_what_it_dropped():
    model = TerminalModel(max_lines=5000)
    model.feed("".join(f"line {i}\r\n" for i in range(12000)) + ">>> ")
    assert len(model.lines) == 5000
    assert model.dropped_lines == 12001 - 5000
    assert model.lines[-2].text == "line 11999" and model.lines[-1].text == ">>> "
    assert model.cursor == (4999, 4)


def test_an_endless_line_continues_on_the_next_line():
    model = TerminalModel(max_line_chars=100)
    model.feed("x" * 250)
    assert [len(line.text) for line in model.lines] == [100, 100, 50]
    assert model.cursor == (2, 50)


def test_changes_name_the_first_changed_line_and_the_trim():
    model = TerminalModel(max_lines=10)
    model.feed("".join(f"{i}\r\n" for i in range(5)))
    model.take_changes()
    model.feed(">>> x")
    assert model.take_changes().first_dirty == 5
    model.feed("\x1b[2A\rZ")  # a change two lines up
    assert model.take_changes().first_dirty == 3
    assert model.take_changes().first_dirty is None  # nothing since
    model.feed("".join(f"more {i}\r\n" for i in range(8)))  # from row 3: rows 3..11
    changes = model.take_changes()
    assert changes.trimmed == 2 and changes.first_dirty == 1  # row 3 is now row 1
    model.clear()
    assert model.take_changes().reset
