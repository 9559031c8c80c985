"""OutputBuffer keeps output bounded in lines and line length, and counts what it dropped."""

import threading
import time

import pytest

from presenter.core.ansi import Style
from presenter.core.output import (
    INFO,
    LINE_RESET,
    STDERR,
    STDOUT,
    Chunk,
    OutputBuffer,
    dropped_note,
    truncated_note,
)


def test_streams_stay_tagged_and_in_order():
    buf = OutputBuffer()
    buf.append(STDOUT, "one\n")
    buf.append(STDERR, "oops\n")
    buf.append(STDOUT, "two\n")
    assert buf.chunks() == [Chunk(STDOUT, "one\n"), Chunk(STDERR, "oops\n"), Chunk(STDOUT, "two\n")]
    assert len(buf) == 3


def test_line_count_never_exceeds_cap_and_dropped_count_is_exact():
    buf = OutputBuffer(max_lines=100)
    sent = 0
    for _block in range(50):
        text = "".join(f"{sent + i}\n" for i in range(37))
        sent += 37
        buf.append(STDOUT, text)
        assert len(buf) <= 100
    assert len(buf) == 100
    assert buf.dropped_lines == sent - 100
    lines = buf.text().splitlines()
    assert lines == [str(i) for i in range(sent - 100, sent)]  # the newest lines survive


def test_take_reports_drops_since_last_take_and_is_bounded():
    buf = OutputBuffer(max_lines=10)
    buf.append(STDOUT, "".join(f"a{i}\n" for i in range(25)))
    batch = buf.take(max_lines=4)
    assert batch.dropped_lines == 15
    assert batch.text() == "a15\na16\na17\na18\n"
    batch = buf.take(max_lines=4)
    assert batch.dropped_lines == 0  # counted once
    assert batch.text() == "a19\na20\na21\na22\n"
    assert buf.take().text() == "a23\na24\n"
    assert buf.take().chunks == []


def test_prompt_without_newline_is_taken_by_a_bounded_take():
    buf = OutputBuffer()
    buf.append(STDOUT, "Name? ")
    assert buf.take(max_lines=100).chunks == [Chunk(STDOUT, "Name? ")]


def test_long_line_is_truncated_with_note_and_counted():
    buf = OutputBuffer(max_line_chars=1000)
    big = "x" * 5_000_000
    for i in range(0, len(big), 65536):  # arrives in reader-sized chunks
        buf.append(STDOUT, big[i : i + 65536])
    buf.append(STDOUT, "\nafter\n")
    text = buf.text()
    first, second = text.split("\n")[:2]
    assert first == "x" * 1000 + truncated_note(4_999_000)
    assert second == "after"
    assert buf.truncated_chars == 4_999_000
    assert Chunk(INFO, truncated_note(4_999_000)) in buf.chunks()
    assert len(text) < 2000  # memory stays bounded


def test_long_line_without_newline_gets_note_at_end():
    buf = OutputBuffer(max_line_chars=10)
    buf.append(STDOUT, "abc")
    buf.append(STDOUT, "d" * 100)
    buf.end_line()
    assert buf.text() == "abcddddddd" + truncated_note(93)


def test_long_lines_in_middle_of_chunk():
    buf = OutputBuffer(max_line_chars=5)
    buf.append(STDOUT, "ok\n" + "y" * 8 + "\nfine\n")
    assert buf.text() == "ok\nyyyyy" + truncated_note(3) + "\nfine\n"
    assert len(buf) == 3


def test_concurrent_producers_lose_nothing_below_cap():
    buf = OutputBuffer(max_lines=1_000_000)

    def produce(stream):
        for i in range(2000):
            buf.append(stream, f"{stream} {i}\n")

    threads = [threading.Thread(target=produce, args=(s,)) for s in (STDOUT, STDERR)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = buf.text().splitlines()
    assert len(lines) == 4000
    assert [x for x in lines if x.startswith("stderr")] == [f"stderr {i}" for i in range(2000)]


def test_notes_wording():
    assert dropped_note(981234, 20000) == "… 981,234 earlier lines dropped (scrollback limit 20,000)"
    assert truncated_note(49_990_000) == " … line truncated, 49,990,000 characters not shown"


def test_invalid_limits_rejected():
    with pytest.raises(ValueError):
        OutputBuffer(max_lines=0)


def test_other_stream_waits_for_the_unfinished_line_so_lines_stay_whole():
    buf = OutputBuffer(line_wait_s=60)
    buf.append(STDOUT, "out")  # print("out") under -u: "out" then "\n"
    buf.append(STDERR, "err\n")
    buf.append(STDOUT, "\n")
    # stdout wrote first and is shown first; its line stays whole.
    assert buf.take().chunks == [Chunk(STDOUT, "out\n"), Chunk(STDERR, "err\n")]


def test_prompt_is_shown_at_once_and_waiting_text_follows_it():
    buf = OutputBuffer(line_wait_s=60)
    buf.append(STDOUT, "Name? ")
    assert buf.take().chunks == [Chunk(STDOUT, "Name? ")]  # never held back
    buf.append(STDERR, "warning\n")
    assert buf.take().chunks == []  # waits for stdout's newline...
    buf.flush()
    assert buf.take().chunks == [Chunk(STDERR, "warning\n")]  # ...and goes after the prompt


def test_waiting_text_goes_out_once_the_wait_is_over():
    buf = OutputBuffer(line_wait_s=0.05)
    buf.append(STDOUT, "x")  # print("x", end="") and then a traceback
    buf.append(STDERR, "Traceback\n")
    time.sleep(0.06)
    assert buf.take().chunks == [Chunk(STDOUT, "x"), Chunk(STDERR, "Traceback\n")]
    buf.append(STDOUT, "y")
    buf.append(STDERR, "late")
    time.sleep(0.06)
    buf.append(STDOUT, " and more\n")  # arrives after the wait: after the waiting text
    buf.flush()
    assert buf.take().text() == "ylate and more\n"


def test_long_partial_line_is_not_held_and_still_truncated():
    buf = OutputBuffer(max_line_chars=100, line_wait_s=60)
    buf.append(STDOUT, "z" * 1000)
    assert buf.take().text() == "z" * 100
    buf.end_line()
    assert buf.take().text() == truncated_note(900)


# ---- What a terminal would show: \r rewrites, colours, no escape bytes


def runs(chunks) -> list[Chunk]:
    """Chunks with neighbours of one stream and style joined (how they are shown)."""
    out: list[Chunk] = []
    for chunk in chunks:
        if out and out[-1].stream == chunk.stream and out[-1].style == chunk.style:
            out[-1] = Chunk(chunk.stream, out[-1].text + chunk.text, chunk.style)
        else:
            out.append(chunk)
    return out


def test_carriage_return_rewrites_the_line_and_crlf_is_a_newline():
    buf = OutputBuffer()
    buf.append(STDOUT, "hello\rHI\n")
    buf.append(STDOUT, "board line\r\n")
    buf.append(STDOUT, "split\r")
    buf.append(STDOUT, "\nnext\n")  # a read ended between \r and \n
    assert buf.take().text() == "HIllo\nboard line\nsplit\nnext\n"


def test_progress_updates_replace_the_shown_line_and_collapse_while_untaken():
    buf = OutputBuffer()
    buf.append(STDERR, "  0%|          |")
    assert buf.take().chunks == [Chunk(STDERR, "  0%|          |")]  # shown at once
    for percent in range(10, 101, 10):  # updates nobody has taken yet replace each other
        bar = "#" * (percent // 10)
        buf.append(STDERR, f"\r{percent:3d}%|{bar:<10}|")
    batch = buf.take()
    assert batch.chunks == [Chunk(LINE_RESET, ""), Chunk(STDERR, "100%|##########|")]
    buf.append(STDERR, "\n")
    buf.append(STDOUT, "done\n")
    assert buf.take().chunks == [Chunk(STDERR, "\n"), Chunk(STDOUT, "done\n")]


def test_a_million_carriage_return_updates_cost_one_line():
    buf = OutputBuffer(max_line_chars=200)
    updates = "".join(f"\r{i / 10_000:6.2f}% done" for i in range(1_000_000))
    for start in range(0, len(updates), 65536):  # as the reader hands them over
        buf.append(STDOUT, updates[start : start + 65536])
        assert len(buf._segments) <= 3  # a reset and the line, not a growing backlog
    chunks = buf.take().chunks
    assert len(chunks) <= 2 and chunks[-1] == Chunk(STDOUT, "100.00% done")
    assert buf.truncated_chars == 0  # rewrites never count as one endless line


def test_erase_to_end_of_line_after_carriage_return():
    buf = OutputBuffer()
    buf.append(STDOUT, "Downloading file 1 of 10 ...")
    buf.take()
    buf.append(STDOUT, "\r\x1b[KDone\n")  # what many hand-made bars do
    assert buf.take().chunks == [Chunk(LINE_RESET, ""), Chunk(STDOUT, "Done\n")]


def test_sgr_colours_become_styles_and_escape_bytes_are_never_shown():
    buf = OutputBuffer()
    buf.append(STDOUT, "\x1b[1;31mERROR\x1b[0m disk \x1b[42mfull\x1b[49m!\n")
    assert runs(buf.take().chunks) == [
        Chunk(STDOUT, "ERROR", Style(fg=1, bold=True)),
        Chunk(STDOUT, " disk "),
        Chunk(STDOUT, "full", Style(bg=2)),
        Chunk(STDOUT, "!\n"),
    ]
    buf.append(STDOUT, "\x1b]0;window title\x07\x1b[?25lspin\x1b[2D\x1b[1A\x1b(Bok\x1b[2J\x07\n")
    assert buf.take().text() == "spok\n"  # title, cursor-hide, bell and clear screen: dropped


def test_blanks_join_the_run_before_only_where_they_look_the_same():
    # The bench's coloured flood line: the space and the newline come after resets, but a
    # blank looks the same in any style without a background, so they join the run before.
    buf = OutputBuffer()
    buf.append(STDOUT, "\x1b[32mINFO\x1b[0m \x1b[1mstep\x1b[22m 7 \x1b[31mred\x1b[39m\n")
    assert buf.take().chunks == [
        Chunk(STDOUT, "INFO ", Style.of(fg=2)),
        Chunk(STDOUT, "step", Style.of(bold=True)),
        Chunk(STDOUT, " 7 "),
        Chunk(STDOUT, "red\n", Style.of(fg=1)),
    ]
    # A background paints the blank after it (and under it), underline and inverse mark it.
    buf.append(STDOUT, "\x1b[42mgo\x1b[0m \x1b[4m  \x1b[24mx\x1b[7m \x1b[0m\n")
    assert buf.take().chunks == [
        Chunk(STDOUT, "go", Style.of(bg=2)),
        Chunk(STDOUT, " "),
        Chunk(STDOUT, "  ", Style.of(underline=True)),
        Chunk(STDOUT, "x"),
        Chunk(STDOUT, " ", Style.of(inverse=True)),
        Chunk(STDOUT, "\n"),
    ]


def test_codes_that_change_nothing_do_not_split_the_text():
    buf = OutputBuffer()
    # Blink (5), a font (11) and a repeated colour leave the style as it was: one chunk.
    buf.append(STDOUT, "\x1b[33ma\x1b[5mb\x1b[11mc\x1b[33md\x1b[0m\n")
    assert buf.take().chunks == [Chunk(STDOUT, "abcd\n", Style.of(fg=3))]


def test_escape_split_between_reads_keeps_256_and_true_colours():
    buf = OutputBuffer()
    buf.append(STDOUT, "\x1b[38;5;196mhot\x1b[")  # 256-colour red, then a reset cut in two
    buf.append(STDOUT, "0m \x1b[38;2;0;0;238mcold\x1b[0m\n")  # true-colour blue
    # Each read is parsed on its own, so the space after the cut stays a chunk of its own
    # (the output pane joins it when it draws); the newline joins "cold" within its read.
    assert runs(buf.take().chunks) == [
        Chunk(STDOUT, "hot", Style.of(fg=9)),
        Chunk(STDOUT, " "),
        Chunk(STDOUT, "cold\n", Style.of(fg=4)),
    ]


def test_colour_set_on_one_stream_does_not_leak_into_the_other():
    buf = OutputBuffer()
    buf.append(STDOUT, "\x1b[32mgreen")
    buf.append(STDOUT, " still\n")
    buf.append(STDERR, "Traceback\n")
    assert runs(buf.take().chunks) == [Chunk(STDOUT, "green still\n", Style(fg=2)),
                                       Chunk(STDERR, "Traceback\n")]


def test_escape_sequence_split_between_reads():
    buf = OutputBuffer()
    buf.append(STDOUT, "a\x1b[3")
    buf.append(STDOUT, "4mb\x1b]0;ti")
    buf.append(STDOUT, "tle\x07c\n")
    assert runs(buf.take().chunks) == [Chunk(STDOUT, "a"), Chunk(STDOUT, "bc\n", Style(fg=4))]


def test_coloured_flood_stays_bounded_and_kept_lines_keep_their_colours():
    buf = OutputBuffer(max_lines=1000)
    text = "".join(f"\x1b[3{i % 8}m{i}\x1b[0m\n" for i in range(50_000))
    for start in range(0, len(text), 65536):
        buf.append(STDOUT, text[start : start + 65536])
    assert len(buf) == 1000 and buf.dropped_lines == 49_000
    coloured = [(c.text, c.style.fg) for c in runs(buf.take().chunks)]
    # Each kept line keeps its colour; its newline (after the reset) joins the coloured run.
    assert coloured == [(f"{i}\n", i % 8) for i in range(49_000, 50_000)]


def test_long_coloured_line_is_cut_without_leaving_half_an_escape():
    buf = OutputBuffer(max_line_chars=20)
    buf.append(STDOUT, "\x1b[31m" + "r" * 10 + "\x1b[32m" + "g" * 30 + "\n")
    text = buf.take().text()
    assert "\x1b" not in text and text.startswith("r" * 10) and "not shown" in text


def test_rewrite_after_an_answered_prompt_stays_on_the_new_line():
    buf = OutputBuffer()
    buf.append(STDOUT, "Name? ")
    buf.take()
    buf.break_line()  # the pane echoed the typed answer and a newline
    buf.append(STDOUT, "\r 50%")
    buf.append(STDOUT, "\r100%\n")
    assert buf.take().text() == "100%\n"  # not "100%e? "
