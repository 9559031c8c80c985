"""Incremental decoding: split sequences, invalid bytes, CRLF split across reads (case 21/23)."""

from __future__ import annotations

from presenter.device.decoding import TextStream

SAMPLE = "a°b😀c\r\nline2\r\n".encode() + b"\xff\xfe" + b"end\r\n"
EXPECTED = "a°b😀c\nline2\n\ufffd\ufffdend\n"


def _feed(chunks):
    s = TextStream()
    return "".join(s.feed(c) for c in chunks) + s.flush()


def test_every_split_point_and_byte_by_byte():
    for cut in range(len(SAMPLE) + 1):
        assert _feed([SAMPLE[:cut], SAMPLE[cut:]]) == EXPECTED
    assert _feed([SAMPLE[i : i + 1] for i in range(len(SAMPLE))]) == EXPECTED
    assert _feed([SAMPLE * 1000]) == EXPECTED * 1000


def test_terminal_keeps_carriage_returns():
    s = TextStream(newlines=False)
    assert s.feed(b">>> \r\n\x1b[K") == ">>> \r\n\x1b[K"
