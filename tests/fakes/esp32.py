"""A fake ESP32 dev board (the fake board with ``chip="esp32"``: banner, ROM text and the
auto-reset circuit on DTR/RTS), powered on with a ``main.py`` that counts for ever, so
"was it restarted?" always has an answer: ``n`` and the ``tick n`` lines start again at 1."""

from __future__ import annotations

import pytest

from tests.fakes.fake_board import FakeBoard

TICKER = (b"import time\nn = 0\nwhile True:\n    n += 1\n    print('tick', n)\n"
          b"    time.sleep(0.02)\n")


@pytest.fixture
def esp32():
    """``esp32(main=TICKER)`` -> a powered-on fake ESP32 (``main=None``: no main.py)."""
    boards: list[FakeBoard] = []

    def make(main: bytes | None = TICKER) -> FakeBoard:
        board = FakeBoard("modern", chip="esp32")
        boards.append(board)
        if main is not None:
            board.fs.files["main.py"] = main
        board.power_on()
        return board

    yield make
    for board in boards:
        board.close()
