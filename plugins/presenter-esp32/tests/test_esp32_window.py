"""The ESP32 mode in the window, found through its entry point, against a fake ESP32.

The fake ESP32 is reached over RFC 2217 (given by hand as ``PRESENTER_PORT``), with the dev
boards' auto-reset circuit on DTR/RTS; ``fake.resets`` counts the times EN went low.
"""

from __future__ import annotations

import pytest

from presenter.device import BoardInfo
from presenter.settings import Settings
from tests.fakes.board_window import (
    LONG,
    choose_mode_with_keys,
    click_toolbar,
    focus_editor,
    usb_boards,
    wait_finished,
)

pytest.importorskip("presenter_esp32", reason="the plugin is not installed: scripts/setup-env "
                    "--test installs it")

NAME = "ESP32 / generic MicroPython"


def output(bench) -> str:
    return bench.window.output.toPlainText()


def run_tab(bench, qtbot, keyboard, code: str) -> str:
    """Put ``code`` in the tab, press F5 in the editor, return what the run printed."""
    editor = focus_editor(bench, qtbot)
    editor.setText(code)
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+L")  # clear the output pane
    keyboard.press("F5")
    qtbot.waitUntil(lambda: bench.actions["run.run"].text() == "Stop" or "Program" in output(bench),
                    timeout=LONG)
    wait_finished(bench, qtbot)
    return output(bench)


def test_the_picker_offers_the_installed_mode_and_it_brings_its_reset_button(
        make_bench, qtbot, keyboard, monkeypatch):
    usb_boards(monkeypatch, [])
    bench = make_bench()
    bench.window.activateWindow()
    qtbot.waitActive(bench.window)
    focus_editor(bench, qtbot)
    assert not bench.actions["esp32.reset"].isVisible()
    choose_mode_with_keys(bench, qtbot, keyboard, NAME)
    qtbot.waitUntil(lambda: bench.mode.id == "esp32", timeout=LONG)
    assert bench.mode.source.startswith("presenter-esp32 ")
    assert bench.window.mode_label.text() == NAME
    assert Settings.load().get("mode") == "esp32"
    for action in ("esp32.reset", "view.repl", "view.files"):
        assert bench.actions[action].isVisible()
    button = bench.window.toolbar.widgetForAction(bench.actions["esp32.reset"])
    assert button is not None and not bench.actions["esp32.reset"].icon().isNull()
    assert bench.mode.board_button.text() == "no board"


def test_a_plugged_bridge_offers_the_esp32_mode(make_bench, qtbot, monkeypatch):
    usb_boards(monkeypatch, [BoardInfo(port="/dev/ttyUSB0", vid=0x10C4, pid=0xEA60,
                                       kind="usb-uart", name="USB serial adapter (ESP32/ESP8266?)",
                                       profile="usb-uart")])
    bench = make_bench()
    hint = bench.board_hints.button
    qtbot.waitUntil(hint.isVisible, timeout=LONG)
    assert f"switch to {NAME} mode" in hint.text()


def test_connecting_keeps_the_running_program_and_reset_restarts_it(
        board_bench, esp32, qtbot, keyboard):
    fake = esp32()
    url = fake.serve_rfc2217()
    bench = board_bench("esp32", port=url)
    assert bench.mode.board_button.text() == f"Generic ESP32 module · {url}"
    assert fake.resets == 0  # connecting did not restart the chip
    shown = run_tab(bench, qtbot, keyboard, "left_by_me = 1\nprint('n is', n)\n")
    count = int(shown.split("n is ")[1].split()[0])
    assert count >= 1  # main.py's variable: the program was stopped, not rebooted
    assert fake.resets == 0

    click_toolbar(bench, qtbot, "esp32.reset")
    qtbot.waitUntil(lambda: "The ESP32 was reset (reset line (RTS))"
                    in bench.window.status.currentMessage(), timeout=LONG)
    assert fake.resets == 1
    shown = run_tab(bench, qtbot, keyboard, "print('still here:', 'left_by_me' in globals())\n")
    assert "still here: False" in shown  # a fresh start
    assert bench.mode.connection.is_connected()


def test_reset_ends_a_program_that_ignores_stop(board_bench, esp32, qtbot, keyboard):
    fake = esp32(main=None)
    bench = board_bench("esp32", port=fake.serve_rfc2217())
    editor = focus_editor(bench, qtbot)
    editor.setText("import time\nprint('stubborn')\nwhile True:\n    try:\n"
                   "        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass\n")
    keyboard.press("F5")
    qtbot.waitUntil(lambda: "stubborn" in output(bench), timeout=LONG)
    keyboard.press("Shift+F5")  # Stop: swallowed
    qtbot.wait(600)
    assert bench.is_running()
    click_toolbar(bench, qtbot, "esp32.reset")
    wait_finished(bench, qtbot)
    assert fake.resets == 1
    qtbot.waitUntil(lambda: "The ESP32 was reset" in bench.window.status.currentMessage(),
                    timeout=LONG)
    assert "print(6 * 7)" not in output(bench)
    assert "42" in run_tab(bench, qtbot, keyboard, "print(6 * 7)\n")
