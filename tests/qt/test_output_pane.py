"""OutputPane: tagged colours, input at the end, Ctrl+D, clickable tracebacks, bounded floods."""

from __future__ import annotations

import re

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QFont, QTextCursor

from presenter.core.output import LINE_RESET, STDERR, STDOUT
from presenter.qt.output_pane import DEFAULT_COLOURS, OutputPane

TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "/tmp/presenter-run-x/untitled-1.py", line 3, in <module>\n'
    "ZeroDivisionError: division by zero\n"
)


@pytest.fixture
def pane(qtbot):
    widget = OutputPane(max_lines=100)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def colour_at(pane: OutputPane, position: int) -> str:
    cursor = QTextCursor(pane.document())
    cursor.setPosition(position + 1)  # the format of the character before the cursor
    return cursor.charFormat().foreground().color().name()


def test_object_name_and_streams_in_distinct_colours(pane):
    assert pane.objectName() == "OutputPane"
    pane.append_chunks([(STDOUT, "hello\n"), (STDERR, "oops\n")])
    text = pane.toPlainText()
    assert text == "hello\noops\n"
    assert colour_at(pane, text.index("oops")) == DEFAULT_COLOURS["stderr"]
    assert colour_at(pane, text.index("hello")) != DEFAULT_COLOURS["stderr"]


def test_set_colours_applies_to_new_output(pane):
    pane.set_colours({"stderr": "#123456", "info": "#abcdef"})
    pane.append_chunks([(STDERR, "bad\n")])
    pane.append_info("Process finished with exit code 0")
    text = pane.toPlainText()
    assert colour_at(pane, 0) == "#123456"
    assert colour_at(pane, text.index("Process")) == "#abcdef"
    assert pane.format_for(STDERR).foreground().color().name() == "#123456"


def test_info_always_starts_its_own_line(pane):
    pane.append_chunks([(STDOUT, "no newline")])
    pane.append_info("Process finished with exit code 0")
    assert pane.toPlainText() == "no newline\nProcess finished with exit code 0\n"


def test_typing_enter_submits_and_echoes_in_input_colour(pane, qtbot):
    pane.set_running(True)
    pane.append_chunks([(STDOUT, "Name? ")])
    qtbot.keyClicks(pane, "Ada")
    with qtbot.waitSignal(pane.input_submitted, timeout=2000) as sig:
        qtbot.keyClick(pane, Qt.Key_Return)
    assert sig.args == ["Ada"]
    assert pane.toPlainText() == "Name? Ada\n"
    assert colour_at(pane, pane.toPlainText().index("Ada")) == DEFAULT_COLOURS["input"]


def test_output_arriving_while_typing_goes_before_the_typed_text(pane, qtbot):
    pane.set_running(True)
    qtbot.keyClicks(pane, "partial")
    pane.append_chunks([(STDOUT, "tick 1\n"), (STDERR, "tock\n")])
    assert pane.toPlainText() == "tick 1\ntock\npartial"
    qtbot.keyClick(pane, Qt.Key_Backspace)
    assert pane.pending_input() == "partia"
    pane.clear()  # clearing output never loses what the presenter typed
    assert pane.toPlainText() == "partia"


def test_ctrl_d_requests_eof_and_input_ignored_when_not_running(pane, qtbot):
    with qtbot.assertNotEmitted(pane.input_submitted):
        qtbot.keyClicks(pane, "abc")
        qtbot.keyClick(pane, Qt.Key_Return)
    assert pane.toPlainText() == ""
    pane.set_running(True)
    with qtbot.waitSignal(pane.eof_requested, timeout=2000):
        qtbot.keyClick(pane, Qt.Key_D, Qt.ControlModifier)


def test_pasted_lines_are_submitted_one_by_one(pane, qtbot):
    pane.set_running(True)
    got: list[str] = []
    pane.input_submitted.connect(got.append)
    pane.type_text("one\ntwo\nthr")
    assert got == ["one", "two"]
    assert pane.pending_input() == "thr"


def test_clicking_a_traceback_location_emits_it_with_alias(pane, qtbot):
    pane.set_path_aliases({"/tmp/presenter-run-x/untitled-1.py": "untitled:untitled-1"})
    pane.append_chunks([(STDERR, TRACEBACK)])
    position = pane.toPlainText().index("untitled-1.py")
    cursor = QTextCursor(pane.document())
    cursor.setPosition(position)
    point = pane.cursorRect(cursor).center()
    point.setX(point.x() + 3)
    with qtbot.waitSignal(pane.location_activated, timeout=2000) as sig:
        qtbot.mouseClick(pane.viewport(), Qt.LeftButton, pos=point)
    assert sig.args == ["untitled:untitled-1", 3]
    # Text that is not a location does nothing.
    with qtbot.assertNotEmitted(pane.location_activated):
        assert not pane.activate_position(pane.toPlainText().index("ZeroDivision"))


def test_micropython_stdin_location_is_clickable(pane, qtbot):
    pane.append_chunks([(STDOUT, '  File "<stdin>", line 7, in <module>\n')])
    with qtbot.waitSignal(pane.location_activated, timeout=2000) as sig:
        assert pane.activate_position(pane.toPlainText().index("stdin"))
    assert sig.args == ["<stdin>", 7]


def test_dropped_lines_replace_content_with_a_note(pane):
    pane.append_chunks([(STDOUT, "old\n")])
    pane.append_chunks([(STDOUT, "".join(f"n{i}\n" for i in range(50)))], dropped_lines=950)
    lines = pane.toPlainText().splitlines()
    # 1 old line shown earlier + 950 dropped in between are now out of view.
    assert lines[0] == "… 951 earlier lines dropped (scrollback limit 100)"
    assert lines[1:] == [f"n{i}" for i in range(50)]


def test_block_count_stays_capped_with_a_note_on_top(pane):
    for start in range(0, 1000, 70):
        pane.append_chunks([(STDOUT, "".join(f"{i}\n" for i in range(start, start + 70)))])
        assert pane.blockCount() <= 102
    lines = pane.toPlainText().splitlines()
    match = re.fullmatch(r"… ([\d,]+) earlier lines dropped \(scrollback limit 100\)", lines[0])
    assert match, lines[0]
    shown = lines[1:]
    assert shown[-1] == "1049"
    assert int(match.group(1).replace(",", "")) == 1050 - len(shown)


def test_slices_in_one_batch_end_as_if_appended_one_by_one(pane):
    # A runner draws a tick's slices as one document edit; at the end the pane must be
    # where separate appends leave it: capped with the right note, following the end.
    with pane.batched():
        for start in range(0, 1000, 70):
            pane.append_chunks([(STDOUT, "".join(f"{i}\n" for i in range(start, start + 70)))])
        pane.append_chunks([(STDOUT, "".join(f"n{i}\n" for i in range(30)))], dropped_lines=500)
        pane.append_chunks([(STDOUT, "".join(f"m{i}\n" for i in range(90)))])
    assert pane.blockCount() <= 102
    lines = pane.toPlainText().splitlines()
    assert lines[-1] == "m89"
    match = re.fullmatch(r"… ([\d,]+) earlier lines dropped \(scrollback limit 100\)", lines[0])
    assert match, lines[0]
    assert int(match.group(1).replace(",", "")) == 1050 + 500 + 30 + 90 - len(lines[1:])
    bar = pane.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()


def test_font_size_zoom(pane):
    pane.set_font_size(31)
    assert pane.font().pointSize() == 31



def test_feed_paints_bounded_batches_and_truncates_long_lines(qtbot):
    pane = OutputPane(max_lines=1000, max_line_chars=50, batch_lines=100)
    qtbot.addWidget(pane)
    for i in range(5000):  # e.g. one signal per serial read from a board
        pane.feed(STDOUT, f"{i}\n")
    pane.feed(STDERR, "E" * 500 + "\n")
    assert pane.toPlainText() == ""  # nothing painted synchronously: the timer does it
    pane.flush_feed()
    first = pane.toPlainText().splitlines()
    assert first[0] == "… 4,001 earlier lines dropped (scrollback limit 1,000)"
    assert len(first) == 101  # one bounded batch
    qtbot.waitUntil(lambda: pane.toPlainText().endswith("not shown\n"), timeout=5000)
    lines = pane.toPlainText().splitlines()
    assert lines[-1] == "E" * 50 + " … line truncated, 450 characters not shown"
    assert lines[-2] == "4999"
    assert pane.blockCount() <= 1002


def test_theme_switch_recolours_text_already_shown(qtbot):
    from PyQt5.QtGui import QColor, QTextCursor

    from presenter.qt.output_pane import OutputPane

    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.set_colours({"stderr": "#aa0000", "link": "#0000aa"})
    pane.append_chunks([("stdout", "plain\n"),
                        ("stderr", 'Traceback:\n  File "x.py", line 3, in f\nError: bad\n')])
    pane.set_colours({"stderr": "#ff8080", "link": "#80b0ff"})

    def colour_at(text: str) -> str:
        cursor = QTextCursor(pane.document())
        cursor.setPosition(pane.toPlainText().index(text) + 1)
        return cursor.charFormat().foreground().color().name()

    assert colour_at("Error: bad") == QColor("#ff8080").name()
    assert colour_at('File "x.py"') == QColor("#80b0ff").name()
    assert colour_at("plain") != QColor("#ff8080").name()


def test_shown_output_is_announced_once_per_batch_for_the_plotter(qtbot):
    widget = OutputPane(max_lines=20000, batch_lines=4000)
    qtbot.addWidget(widget)
    announced: list[list[tuple[str, str]]] = []
    widget.output_appended.connect(announced.append)
    widget.append_chunks([(STDOUT, "a\n"), (STDOUT, "b\n"), (STDERR, "c\n")])
    assert announced == [[(STDOUT, "a\nb\n"), (STDERR, "c\n")]]  # merged, as painted

    announced.clear()
    for n in range(10000):  # a board mode feeds a signal per serial read
        widget.feed(STDOUT, f"({n}, {n})\n")
    qtbot.waitUntil(lambda: sum(t.count("\n") for b in announced for _s, t in b) == 10000)
    assert len(announced) <= 3  # 4,000 lines a batch: one announcement each, never per line

    cleared = []
    widget.cleared.connect(lambda: cleared.append(True))
    widget.clear()
    assert cleared == [True]


# ---- Terminal output: colours from the theme's palette, \r rewrites, renamed locations

PALETTE = [f"#{i:02x}{i:02x}{i + 100:02x}" for i in range(16)]  # 16 distinct test colours


def click_text(qtbot, pane: OutputPane, text: str, offset: int = 2) -> None:
    """Press the real left mouse button on ``text`` in the pane."""
    cursor = QTextCursor(pane.document())
    cursor.setPosition(pane.toPlainText().index(text) + offset)
    point = pane.cursorRect(cursor).center()
    qtbot.mouseClick(pane.viewport(), Qt.LeftButton, pos=point)


def fed(qtbot, pane: OutputPane, *pieces: str, stream: str = STDOUT) -> str:
    """Feed pieces as a board's serial reads arrive, and wait until they are painted."""
    for piece in pieces:
        pane.feed(stream, piece)
    pane.flush_feed(everything=True)
    return pane.toPlainText()


def test_board_output_colours_come_from_the_palette_and_no_escape_is_shown(pane, qtbot):
    text = fed(qtbot, pane, "\x1b[31mred\x1b[0m plain \x1b[1;9", "4mbright bold\x1b[0m\r\n",
               "\x1b]0;title\x07\x1b[?25lend\r\n")
    assert text == "red plain bright bold\nend\n"
    pane.set_ansi_palette(PALETTE)  # the theme's palette, also for text already shown
    assert colour_at(pane, text.index("red")) == PALETTE[1]
    assert colour_at(pane, text.index("bright")) == PALETTE[12]
    cursor = QTextCursor(pane.document())
    cursor.setPosition(text.index("bold") + 1)
    assert cursor.charFormat().fontWeight() == QFont.Bold
    assert colour_at(pane, text.index("plain")) not in PALETTE


def test_background_colour_gets_a_readable_text_colour_and_palette_switch_recolours(pane, qtbot):
    pane.set_colours({"stdout": "#eeeeee", "paper": "#111111"})  # a dark theme
    pane.set_ansi_palette(PALETTE[:7] + ["#f0f0f0"] + PALETTE[8:])
    text = fed(qtbot, pane, "\x1b[47mon white\x1b[0m \x1b[32mgreen\x1b[0m\n")
    cursor = QTextCursor(pane.document())
    cursor.setPosition(text.index("on white") + 1)
    fmt = cursor.charFormat()
    assert fmt.background().color().name() == "#f0f0f0"
    assert fmt.foreground().color().name() == "#111111"  # light text would vanish on it
    pane.set_ansi_palette(list(reversed(PALETTE)))  # the theme changes mid-talk
    assert colour_at(pane, text.index("green")) == PALETTE[13]


def test_text_on_a_background_stays_readable_even_when_the_program_chose_both(pane, qtbot):
    from presenter.core.themes import contrast_ratio

    pane.set_colours({"stdout": "#1b1f24", "paper": "#f7f3ea"})  # a light theme, whose
    pane.set_ansi_palette(["#1b1f24", *PALETTE[1:7], "#5c6370", *PALETTE[8:]])  # "white" is dark
    text = fed(qtbot, pane, "\x1b[30;47m black on white \x1b[0m\n")
    cursor = QTextCursor(pane.document())
    cursor.setPosition(text.index("black") + 1)
    fmt = cursor.charFormat()
    assert fmt.background().color().name() == "#5c6370"
    assert contrast_ratio(fmt.foreground().color().name(), "#5c6370") >= 4.5


def test_board_progress_bar_updates_in_place(pane, qtbot):
    announced: list = []
    pane.output_appended.connect(announced.extend)
    fed(qtbot, pane, "Flashing\r\n")
    for percent in range(0, 101, 25):
        fed(qtbot, pane, f"\r{percent:3d}% [{'#' * (percent // 25):<4}]")
    assert pane.toPlainText() == "Flashing\n100% [####]"
    fed(qtbot, pane, "\r\x1b[Kok\r\n")
    assert pane.toPlainText() == "Flashing\nok\n"
    # Listeners (the plotter) get clean text and are told when the line was redrawn.
    assert (LINE_RESET, "") in announced and announced[-1] == (STDOUT, "ok\n")
    assert not any("\x1b" in text or "\r" in text for _stream, text in announced)


def test_rewritten_line_keeps_what_the_user_is_typing(pane, qtbot):
    pane.set_running(True)
    fed(qtbot, pane, "Loading  0%")
    qtbot.keyClicks(pane, "yes")
    fed(qtbot, pane, "\rLoading 50%")
    assert pane.toPlainText() == "Loading 50%yes"
    assert pane.pending_input() == "yes"
    fed(qtbot, pane, "\rLoaded     \n")
    assert pane.toPlainText() == "Loaded     \nyes"


def test_renamed_location_shows_the_tab_name_and_a_real_click_opens_it(pane, qtbot):
    temp = "/tmp/presenter-run-x/untitled-1.py"
    pane.set_path_aliases({temp: "untitled:untitled-1"}, {temp: "untitled-1"})
    pane.append_chunks([(STDERR, TRACEBACK)])
    text = pane.toPlainText()
    assert '  File "untitled-1", line 3, in <module>\n' in text
    assert "presenter-run" not in text
    with qtbot.waitSignal(pane.location_activated, timeout=2000) as sig:
        click_text(qtbot, pane, '"untitled-1"')
    assert sig.args == ["untitled:untitled-1", 3]


def test_location_split_across_two_batches_is_still_a_link(pane, qtbot):
    pane.append_chunks([(STDERR, 'Traceback (most recent call last):\n  File "/home/ann/de')])
    pane.append_chunks([(STDERR, 'mo.py", line 12, in <module>\nNameError: x\n')])
    text = pane.toPlainText()
    cursor = QTextCursor(pane.document())
    cursor.setPosition(text.index("demo.py") + 1)
    assert cursor.charFormat().fontUnderline()
    with qtbot.waitSignal(pane.location_activated, timeout=2000) as sig:
        click_text(qtbot, pane, "mo.py")
    assert sig.args == ["/home/ann/demo.py", 12]


def test_an_info_line_fed_after_output_waits_for_it_and_gets_a_line_of_its_own(pane, qtbot):
    pane.set_max_lines(20000)
    for i in range(9000):  # more than one painted batch
        pane.feed(STDOUT, f"line {i}\n")
    pane.feed(STDOUT, "no newline at the end")
    pane.feed_info("Program finished on the board")
    assert pane.feeding()
    qtbot.waitUntil(lambda: not pane.feeding(), timeout=10000)
    lines = pane.toPlainText().split("\n")
    assert lines[-4:] == ["line 8999", "no newline at the end", "Program finished on the board", ""]
    assert len(lines) == 9000 + 3


def test_a_typed_line_ends_the_fed_line_the_prompt_left_open(pane, qtbot):
    pane.set_running(True)
    pane.feed(STDOUT, "Name? ")
    qtbot.waitUntil(lambda: pane.toPlainText() == "Name? ", timeout=5000)
    pane.type_text("ada\n")  # shown by the pane itself, then Enter
    pane.feed(STDOUT, "\rHi\n")  # a \r must not redraw the prompt's line after the echo
    pane.flush_feed(everything=True)
    assert pane.toPlainText() == "Name? ada\nHi\n"
