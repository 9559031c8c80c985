"""The plugin without the window: how it is found, which boards it opens and how.

The fake ESP32 has the dev boards' auto-reset circuit (RTS asserted with DTR released holds EN
low; ``fake.resets`` counts it) and is reached over RFC 2217, whose server raises DTR and RTS
together when the port opens and drops them together on close, as Linux does.
"""

from __future__ import annotations

import re
import time
from importlib import metadata

import pytest

from presenter.device import Board, BoardInfo, list_boards
from presenter.modes.registry import BUILTIN, discover_modes

boards = pytest.importorskip("presenter_esp32.boards", reason="the plugin is not installed: "
                             "scripts/setup-env --test installs it")


def test_the_installed_distribution_adds_the_mode_through_its_entry_point():
    dist = metadata.distribution("presenter-esp32")
    points = [(e.name, e.value) for e in dist.entry_points if e.group == "presenter.modes"]
    assert points == [("esp32", "presenter_esp32.mode:Esp32Mode")]
    assert "esp32" not in BUILTIN  # nothing in Presenter knows it: only the entry point
    mode = next(m for m in discover_modes()[0] if m.id == "esp32")
    assert mode.source == f"presenter-esp32 {dist.version}"
    assert mode.name == "ESP32 / generic MicroPython"
    assert mode.context is None  # declared, not activated


class _Port:
    """What pyserial's list_ports gives for a USB device (the fields the engine reads)."""

    def __init__(self, device: str, vid: int, pid: int) -> None:
        self.device, self.vid, self.pid = device, vid, pid
        self.serial_number, self.description, self.interface = None, "USB serial", None


@pytest.mark.parametrize("ids, chip", list(boards.BRIDGES.items()))
def test_each_bridge_is_listed_by_the_engine_and_opened_with_the_auto_reset_profile(ids, chip):
    listed = list_boards(lambda: [_Port("/dev/ttyUSB0", *ids)])
    assert [b.kind for b in listed] == ["usb-uart"]
    info = listed[0]
    assert boards.bridge_name(info) == chip
    profile = boards.profile_for(info)
    assert profile is boards.BRIDGE_PROFILE
    assert profile.auto_reset and profile.reset_by_rts and ids in profile.usb_ids


def test_native_usb_boards_keep_the_engines_profile():
    for vid, pid in ((0x303A, 0x1001), (0xF055, 0x9800)):  # ESP32-S3 USB, pyboard
        info = list_boards(lambda v=vid, p=pid: [_Port("/dev/ttyACM0", v, p)])[0]
        assert boards.profile_for(info) is None
    assert boards.profile_for(BoardInfo(port="rfc2217://esp32.local:2217")) is boards.BRIDGE_PROFILE


@pytest.mark.parametrize("host", ["posix", "windows"])
def test_opening_and_closing_with_the_plugins_profile_leaves_the_program_alone(esp32, host):
    """Linux raises DTR and RTS together as a port opens; Windows raises nothing and, on
    close, drops DTR before RTS: the fake's server plays either host."""
    fake = esp32()
    url = fake.serve_rfc2217(host=host)
    time.sleep(0.3)  # main.py has been counting for a while
    board = Board.open(url, profile=boards.profile_for(BoardInfo(port=url)), interrupt=False)
    try:
        time.sleep(0.5)
        seen = [int(n) for n in re.findall(rb"tick (\d+)", board.transport.peek())]
        assert len(seen) >= 5 and seen[0] > 5, seen  # counting on, not restarted at 1
        assert fake.resets == 0
    finally:
        board.close()
    deadline = time.monotonic() + 10
    while fake.hangups == 0:  # the server saw the port close, and played the host's part
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert fake.resets == 0  # closing did not reset it either


def test_the_reset_line_restarts_the_board(esp32):
    fake = esp32()
    url = fake.serve_rfc2217()
    with Board.open(url, profile=boards.profile_for(BoardInfo(port=url))) as board:
        board.exec("left_by_me = True")
        assert board.eval("'left_by_me' in globals()")
        assert board.hard_reset() == "reset line (RTS)"
        assert fake.resets == 1
        assert not board.eval("'left_by_me' in globals()")  # a fresh start: memory is gone
        assert board.eval("n") >= 1  # and main.py ran again


def test_the_plugin_uses_only_presenters_public_surface():
    """What a plugin may import: presenter.modes.api and presenter.device's public names."""
    import ast
    from pathlib import Path

    import presenter.device

    package = Path(boards.__file__).parent
    used: dict[str, set[str]] = {}
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("presenter."):
                used.setdefault(node.module, set()).update(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("presenter.") for a in node.names), path
    assert set(used) == {"presenter.modes.api", "presenter.device"}
    assert used["presenter.device"] <= set(presenter.device.__all__)
    assert used["presenter.modes.api"] <= {"ActionSpec", "BoardMode"}
