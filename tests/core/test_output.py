"""OutputBuffer keeps output bounded in lines and line length, and counts what it dropped."""

import threading
import time

import pytest

from presenter.core.output import (
    INFO,
    STDERR,
    STDOUT,
    OutputBuffer,
    dropped_note,
    truncated_note,
)


def test_streams_stay_tagged_and_in_order():
    buf = OutputBuffer()
    buf.append(STDOUT, "one\n")
    buf.append(STDERR, "oops\n")
    buf.append(STDOUT, "two\n")
    assert buf.chunks() == [(STDOUT, "one\n"), (STDERR, "oops\n"), (STDOUT, "two\n")]
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
    assert buf.take(max_lines=100).chunks == [(STDOUT, "Name? ")]


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
    assert (INFO, truncated_note(4_999_000)) in buf.chunks()
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


def test_held_partial_line_keeps_stdout_and_stderr_lines_whole():
    buf = OutputBuffer(partial_hold_s=60)
    buf.append(STDOUT, "out")  # print("out") under -u: "out" then "\n"
    buf.append(STDERR, "err\n")
    buf.append(STDOUT, "\n")
    assert buf.take().chunks == [(STDERR, "err\n"), (STDOUT, "out\n")]


def test_held_prompt_is_released_after_hold_time_or_flush():
    buf = OutputBuffer(partial_hold_s=0.05)
    buf.append(STDOUT, "Name? ")
    assert buf.take().chunks == []  # still within the hold
    time.sleep(0.06)
    assert buf.take().chunks == [(STDOUT, "Name? ")]
    buf.append(STDERR, "tail")
    buf.flush()
    assert buf.take(max_lines=10).chunks == [(STDERR, "tail")]


def test_long_partial_line_is_not_held_and_still_truncated():
    buf = OutputBuffer(max_line_chars=100, partial_hold_s=60)
    buf.append(STDOUT, "z" * 1000)
    assert buf.take().text() == "z" * 100
    buf.end_line()
    assert buf.take().text() == truncated_note(900)
