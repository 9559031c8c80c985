"""DTR/RTS on ESP32-style boards: opening and closing the port leaves a running program alone.

The fake ESP32 sits behind RFC 2217 (a pty has no modem lines) with the dev boards' auto-reset
circuit; its server plays the host's part when the port opens and closes ("posix": both lines
raised together on open, dropped together on close; "windows": left alone on open, DTR then
RTS dropped on close). ``fake.resets`` counts the times EN went low.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import replace

import pytest
import serial

from presenter.device import PROFILES, Board
from presenter.device import lines as line_plan
from presenter.device.transport import Transport
from tests.fakes.fake_board import FakeBoard

ESP32 = replace(PROFILES["usb-uart"], id="esp32-test", kind="esp32", auto_reset=True)


def ticks(data: bytes) -> list[int]:
    return [int(n) for n in re.findall(rb"tick (\d+)", data)]


def read_for(transport: Transport, seconds: float) -> bytes:
    got = bytearray()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        got += transport.read_some(0.05)
    return bytes(got)


def wait_for(condition, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def closed_by_server(fake: FakeBoard) -> None:
    """The server saw the client go (and played the host's hang-up on the lines)."""
    wait_for(lambda: fake.hangups == 1)


@pytest.mark.parametrize("host", ["posix", "windows"])
def test_opening_and_closing_the_port_leaves_a_running_program_alone(esp32, host):
    fake = esp32()
    url = fake.serve_rfc2217(host=host)
    time.sleep(0.2)  # main.py has been ticking on its own for a while
    transport = Transport.open(url, auto_reset=True)
    try:
        seen = ticks(read_for(transport, 0.6))
        assert len(seen) >= 5 and seen[0] > 3, seen  # still counting where it was, not from 1
        assert seen == list(range(seen[0], seen[0] + len(seen)))
        assert (fake.dtr, fake.rts) == (False, False)  # idle while connected
    finally:
        transport.close()
    closed_by_server(fake)
    assert fake.resets == 0 and fake.download_boots == 0
    assert all(line != (False, True) for line in fake.line_log)  # EN was never pulled low


@pytest.mark.parametrize("host, dtr, rts, why", [
    ("posix", False, False, "released before open: pyserial drops DTR first (esp-idf#14714)"),
    ("windows", None, None, "pyserial's default, left asserted: Windows drops DTR first on close"),
], ids=["released-before-open-on-posix", "pyserial-default-on-windows"])
def test_the_usual_recipes_do_reset_the_chip(esp32, host, dtr, rts, why):
    """The circuit model catches both wrong ways, so the test above can fail."""
    fake = esp32()
    url = fake.serve_rfc2217(host=host)
    transport = Transport.open(url, dtr=dtr, rts=rts)
    transport.close()
    closed_by_server(fake)
    assert fake.resets == 1, why


def test_the_windows_plan_is_right_for_windows_and_wrong_for_posix(esp32):
    """Why ``lines.before_open`` asks by platform: the same request resets on the other host."""
    results = {}
    for host in ("windows", "posix"):
        fake = esp32()
        ser = serial.serial_for_url(fake.serve_rfc2217(host=host), do_not_open=True)
        line_plan.before_open(ser, "COM3", platform="nt")
        ser.open()
        line_plan.after_open(ser)
        ser.close()
        closed_by_server(fake)
        results[host] = fake.resets
    assert results == {"windows": 0, "posix": 1}


def test_a_full_open_stops_the_program_but_does_not_reboot_it(esp32):
    fake = esp32()
    url = fake.serve_rfc2217()
    wait_for(lambda: fake.mode == "running")
    time.sleep(0.2)
    with Board.open(url, profile=ESP32) as board:
        count = board.eval("n")  # Ctrl-C stopped main.py; its variables are all there
        assert count >= 5
        assert board.identity.kind == "esp32"
        assert board.identity.board_name == "Generic ESP32 module"
    assert fake.resets == 0


def test_the_reset_line_restarts_the_chip_and_main_py_runs_again(esp32):
    fake = esp32()
    url = fake.serve_rfc2217()
    with Board.open(url, profile=ESP32) as board:
        assert board.eval("n") >= 1
        how = board.hard_reset()
        assert how == "reset line (RTS)"  # seen restarting (the ROM's boot line), not trusted
        assert fake.resets == 1 and fake.download_boots == 0
        assert (fake.dtr, fake.rts) == (False, False)
        after = read_for(board.transport, 0.6)
        assert b"rst:0x1 (POWERON_RESET)" in after
        assert ticks(after)[:3] == [1, 2, 3]  # main.py started again from the top


def test_the_reset_line_ends_a_run_that_ignores_stop(esp32):
    """``hard_reset`` from another thread while ``run`` streams: what a stuck program needs."""
    fake = esp32(main=None)
    url = fake.serve_rfc2217()
    stubborn = ("import time\nprint('stubborn')\nwhile True:\n    try:\n"
                "        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass\n")
    with Board.open(url, profile=ESP32) as board:
        result = {}
        out = []

        def run() -> None:
            result["run"] = board.run(stubborn, out.append, out.append)

        runner = threading.Thread(target=run)
        runner.start()
        wait_for(lambda: "stubborn" in "".join(out))
        assert board.hard_reset() == "reset line (RTS)"
        runner.join(timeout=15)
        assert not runner.is_alive()
        assert result["run"].ending == "reset"
        assert fake.resets == 1
        assert board.eval("6 * 7") == 42  # and the board answers again


def test_a_port_without_lines_opens_as_usual(esp32):
    """A pty (or an adapter without DTR/RTS) has nothing to hold: no error, no change."""
    fake = esp32(main=None)
    with Board.open(fake.port, profile=ESP32) as board:
        assert board.eval("1 + 1") == 2
    assert fake.resets == 0
