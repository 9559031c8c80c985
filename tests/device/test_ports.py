"""Board detection from USB ids and port resolution."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from presenter.device import PROFILES, PortNotFound, list_boards, resolve_port
from presenter.device.boards import check_profiles_unique


def _port(device, vid=None, pid=None, serial=None, interface=None):
    return SimpleNamespace(device=device, vid=vid, pid=pid, serial_number=serial,
                           interface=interface, description="")


PORTS = [
    _port("/dev/ttyACM0", 0x0D28, 0x0204, "9900000012345678"),
    _port("/dev/ttyACM1", 0x0D28, 0x0204, "9904000012345678"),
    _port("/dev/ttyACM2", 0x2E8A, 0x0005, "E66138935F4A2B2C"),
    _port("/dev/ttyACM3", 0x2E8A, 0x0003),
    _port("/dev/ttyACM4", 0x239A, 0x80F4, "CP1", "CircuitPython CDC control"),
    _port("/dev/ttyACM5", 0x239A, 0x80F4, "CP1", "CircuitPython CDC2 control"),
    _port("/dev/ttyUSB0", 0x10C4, 0xEA60, "0001"),
    _port("/dev/ttyS0"),
    _port("/dev/ttyACM6", 0x0D28, 0x0204, "9906000012345678"),
    _port("/dev/ttyACM7", 0x2E8A, 0x000F),
]


def test_classification():
    """Case 1: micro:bit V1/V2 by board id, Pico, BOOTSEL, CircuitPython, CP210x."""
    found = {b.port: (b.kind, b.profile, b.name) for b in list_boards(lambda: PORTS)}
    assert found["/dev/ttyACM0"] == ("microbit", "microbit-v1", "BBC micro:bit V1")
    assert found["/dev/ttyACM1"][1:] == ("microbit-v2", "BBC micro:bit V2")
    assert found["/dev/ttyACM6"][1] == "microbit-v2"
    assert found["/dev/ttyACM2"][:2] == ("pico", "pico")
    assert found["/dev/ttyACM3"][0] == found["/dev/ttyACM7"][0] == "pico-bootsel"
    assert found["/dev/ttyACM4"][0] == "circuitpython"
    assert "/dev/ttyACM5" not in found and "/dev/ttyS0" not in found
    assert found["/dev/ttyUSB0"][0] == "usb-uart"
    assert PROFILES["usb-uart"].dtr is None  # never toggles ESP reset lines


def test_profiles_table_has_no_conflicts():
    assert check_profiles_unique() == []


def test_resolve_precedence(monkeypatch):
    one = lambda: list_boards(lambda: PORTS[2:3])  # noqa: E731
    monkeypatch.delenv("PRESENTER_PORT", raising=False)
    assert resolve_port("/dev/pts/7", "/dev/x", boards=one) == "/dev/pts/7"
    assert resolve_port(None, "/dev/x", boards=one) == "/dev/x"
    assert resolve_port(None, None, boards=one) == "/dev/ttyACM2"
    monkeypatch.setenv("PRESENTER_PORT", "/dev/pts/3")
    assert resolve_port(None, "/dev/x", boards=one) == "/dev/pts/3"


def test_resolve_none_or_several(monkeypatch):
    monkeypatch.delenv("PRESENTER_PORT", raising=False)
    with pytest.raises(PortNotFound, match="No micro:bit or Pico found"):
        resolve_port(None, boards=lambda: [])
    with pytest.raises(PortNotFound) as info:
        resolve_port(None, boards=lambda: list_boards(lambda: PORTS[:3]))
    assert "/dev/ttyACM0" in str(info.value) and "/dev/ttyACM2" in str(info.value)
