"""Presenter's own test fixtures, for a folder outside Presenter's ``tests/`` package.

A private ``PRESENTER_HOME`` for every test, the workbench (a real window), and a fake ESP32
dev board (``tests/fakes/esp32.py``: the auto-reset circuit on DTR/RTS).
"""

from tests.conftest import presenter_home  # noqa: F401 - autouse: no test touches real settings
from tests.fakes.board_window import board_bench  # noqa: F401
from tests.fakes.esp32 import esp32  # noqa: F401
from tests.fakes.workbench import answers, keyboard, make_bench  # noqa: F401
