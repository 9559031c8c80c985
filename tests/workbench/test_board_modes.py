"""The board modes in the window, against pty fake boards: what real firmware cannot do on cue.

A modern (rp2-like, raw-paste) board for Pico mode, several boards at once, a cable pulled in
the middle of a run and plugged back on another port, a flood of output, a plug-in hint while
another mode is active, switching modes, Save as main.py and Install MicroPython.
"""

from __future__ import annotations

import time

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QApplication, QMenu

from presenter.device import BoardInfo
from presenter.settings import Settings
from tests.fakes.board_window import (
    LONG,
    choose_mode_with_keys,
    click_toolbar,
    focus_editor,
    pick_board_in_status_bar,
    usb_boards,
    wait_connected,
    wait_finished,
)
from tests.fakes.fake_board import FakeBoard


@pytest.fixture
def fakes():
    boards: list[FakeBoard] = []

    def make(profile: str = "modern") -> FakeBoard:
        board = FakeBoard(profile)
        boards.append(board)
        return board

    yield make
    for board in boards:
        board.close()


def pico_info(port: str, serial: str = "E6614C311B4E5B21") -> BoardInfo:
    return BoardInfo(port=port, vid=0x2E8A, pid=0x0005, serial_number=serial, kind="pico",
                     name="Raspberry Pi Pico (MicroPython)", profile="pico")


def microbit_info(port: str, serial: str = "9900000012345678") -> BoardInfo:
    return BoardInfo(port=port, vid=0x0D28, pid=0x0204, serial_number=serial, kind="microbit",
                     name="BBC micro:bit V1", profile="microbit-v1")


def test_pico_mode_runs_through_raw_paste(board_bench, fakes, qtbot, keyboard):
    board = fakes("modern")
    bench = board_bench("pico", port=board.port)
    assert bench.mode.board_button.text() == f"Raspberry Pi Pico · {board.port}"
    editor = focus_editor(bench, qtbot)
    editor.setText("import sys\nprint('on', sys.platform, 6 * 7)\n")
    pastes = board.paste_count
    keyboard.press("F5")
    wait_finished(bench, qtbot)
    assert bench.window.output.toPlainText() == (
        "on rp2 42\nProgram finished on the Raspberry Pi Pico\n")
    assert board.paste_count == pastes + 1  # sent with raw-paste's flow control


def test_several_boards_are_picked_in_the_status_bar(board_bench, fakes, qtbot, keyboard):
    first, second = fakes("modern"), fakes("modern")
    bench = board_bench("pico", ports=[first.port, second.port], connect=False)
    button = bench.mode.board_button
    qtbot.waitUntil(lambda: button.text() == "2 boards: choose one", timeout=LONG)
    assert not bench.mode.connection.is_connected()  # never a guess between two boards
    editor = focus_editor(bench, qtbot)
    editor.setText("print('hello')\n")
    keyboard.press("F5")
    assert "choose one with the board button" in bench.window.output.toPlainText()
    assert not bench.is_running()
    pick_board_in_status_bar(bench, qtbot, second.port)
    wait_connected(bench, qtbot, second.port)
    assert button.text().endswith(second.port)
    focus_editor(bench, qtbot)
    keyboard.press("F5")
    wait_finished(bench, qtbot)
    assert bench.window.output.toPlainText().startswith("hello\n")
    assert b"print('hello')" in bytes(second.received)
    assert b"print('hello')" not in bytes(first.received)
    pick_board_in_status_bar(bench, qtbot, first.port)  # and back to the other one
    wait_connected(bench, qtbot, first.port)


def test_run_with_no_board_says_what_to_plug_in_and_how_to_name_a_port(board_bench, qtbot,
                                                                       keyboard, monkeypatch):
    usb_boards(monkeypatch, [])
    monkeypatch.delenv("PRESENTER_PORT", raising=False)
    monkeypatch.delenv("PRESENTER_PORTS", raising=False)
    bench = board_bench("microbit", connect=False)
    qtbot.waitUntil(lambda: bench.mode.board_button.text() == "no board", timeout=LONG)
    editor = focus_editor(bench, qtbot)
    editor.setText("print('x')\n")
    keyboard.press("F5")
    text = bench.window.output.toPlainText()
    assert "No micro:bit found: plug one in with a data USB cable" in text
    assert "modes.microbit.port" in text and "PRESENTER_PORT" in text
    assert not bench.is_running() and editor.text() == "print('x')\n"


def test_typing_into_the_repl_with_no_board_says_why_nothing_happens(board_bench, qtbot,
                                                                      keyboard, monkeypatch):
    usb_boards(monkeypatch, [])
    monkeypatch.delenv("PRESENTER_PORT", raising=False)
    monkeypatch.delenv("PRESENTER_PORTS", raising=False)
    bench = board_bench("pico", connect=False)
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+R")
    pane = bench.mode.repl_pane
    qtbot.waitUntil(pane.hasFocus, timeout=LONG)
    keyboard.type("x")
    assert "The REPL has no board to talk to. No Pico found" in (
        bench.window.status.currentMessage())


def test_unplug_mid_run_is_reported_and_the_board_coming_back_reconnects(
        board_bench, fakes, qtbot, keyboard, monkeypatch):
    board = fakes("modern")
    listing = usb_boards(monkeypatch, [pico_info(board.port)])
    monkeypatch.delenv("PRESENTER_PORT", raising=False)
    bench = board_bench("pico")
    editor = focus_editor(bench, qtbot)
    source = "import time\nwhile True:\n    print('tick')\n    time.sleep(0.05)\n"
    editor.setText(source)
    messages: list[str] = []
    bench.window.status.messageChanged.connect(messages.append)
    keyboard.press("F5")
    output = bench.window.output
    qtbot.waitUntil(lambda: "tick" in output.toPlainText(), timeout=LONG)
    board.disconnect()  # the cable is pulled
    listing.clear()  # ... and the port leaves the USB list
    unplugged = time.monotonic()
    wait_finished(bench, qtbot)
    noticed = time.monotonic() - unplugged
    assert "disconnected while the program ran" in output.toPlainText()
    assert any("Presenter reconnects when the Pico is back" in m for m in messages)
    assert noticed < 10  # generous; the bench measures it (target 2 s)
    assert editor.text() == source  # the tab is untouched
    assert "unplugged" in bench.mode.board_button.text()

    again = fakes("modern")  # plugged back in: same serial number, another port
    listing.append(pico_info(again.port))
    wait_connected(bench, qtbot, again.port)
    editor.setText("print('back', 1 + 1)\n")
    focus_editor(bench, qtbot)
    keyboard.press("F5")
    wait_finished(bench, qtbot)
    assert output.toPlainText().startswith("back 2\n")


def test_unplug_while_the_repl_is_open_is_reported_and_the_repl_resumes(
        board_bench, fakes, qtbot, keyboard, monkeypatch):
    board = fakes("modern")
    listing = usb_boards(monkeypatch, [pico_info(board.port)])
    monkeypatch.delenv("PRESENTER_PORT", raising=False)
    bench = board_bench("pico")
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+R")
    pane = bench.mode.repl_pane
    qtbot.waitUntil(lambda: pane.toPlainText().endswith(">>> "), timeout=LONG)
    messages: list[str] = []
    bench.window.status.messageChanged.connect(messages.append)
    board.disconnect()
    listing.clear()
    qtbot.waitUntil(lambda: any("was disconnected" in m for m in messages), timeout=LONG)
    again = fakes("modern")
    listing.append(pico_info(again.port))
    wait_connected(bench, qtbot, again.port)
    qtbot.waitUntil(lambda: pane.toPlainText().count(">>> ") >= 2
                    and pane.toPlainText().endswith(">>> "), timeout=LONG)
    pane.setFocus()
    qtbot.waitUntil(pane.hasFocus, timeout=LONG)
    keyboard.type("print(6*7)")
    keyboard.press("Return")
    qtbot.waitUntil(lambda: pane.toPlainText().endswith("print(6*7)\n42\n>>> "), timeout=LONG)


def test_stop_during_a_flood_returns_the_board_to_its_prompt(board_bench, fakes, qtbot):
    board = fakes("modern")
    bench = board_bench("pico", port=board.port)
    bench.window.tabs.current().setText("i = 0\nwhile True:\n    print('flood line', i)\n"
                                        "    i += 1\n")
    output = bench.window.output
    click_toolbar(bench, qtbot, "run.run")
    qtbot.waitUntil(lambda: output.toPlainText().count("flood line") > 2000, timeout=LONG)
    click_toolbar(bench, qtbot, "run.run")
    wait_finished(bench, qtbot)
    assert "KeyboardInterrupt" in output.toPlainText()
    bench.window.tabs.current().setText("print('after', 'flood')\n")
    click_toolbar(bench, qtbot, "run.run")
    wait_finished(bench, qtbot)
    assert output.toPlainText().startswith("after flood\n")


def test_a_program_that_ignores_stop_gets_advice_not_a_hang(board_bench, fakes, qtbot):
    board = fakes("modern")
    bench = board_bench("pico", port=board.port)
    bench.window.tabs.current().setText("print('stubborn')\nwhile True:\n    pass\n")
    output = bench.window.output
    click_toolbar(bench, qtbot, "run.run")
    qtbot.waitUntil(lambda: "stubborn" in output.toPlainText(), timeout=LONG)
    with board.fault_lock:
        board.swallow_interrupts = 1000  # kbd_intr(-1), or a bare except in the loop
    click_toolbar(bench, qtbot, "run.run")
    qtbot.waitUntil(lambda: "ignores Stop" in output.toPlainText(), timeout=LONG)
    assert "press the Pico's reset button" in output.toPlainText()
    assert bench.is_running()  # honest: it still runs
    board.disconnect()  # the advice followed: unplugged
    wait_finished(bench, qtbot)
    assert "disconnected while the program ran" in output.toPlainText()


def test_a_plugged_microbit_is_offered_in_python_mode_without_a_dialog(
        make_bench, fakes, qtbot, monkeypatch):
    board = fakes("v1")
    listing = usb_boards(monkeypatch, [])
    bench = make_bench()
    assert bench.mode.id == "python"
    editor = bench.window.tabs.current()
    editor.setText("kept = 1\n")
    hint = bench.board_hints.button
    listing.append(microbit_info(board.port))
    qtbot.waitUntil(hint.isVisible, timeout=LONG)
    assert hint.text() == "BBC micro:bit V1 plugged in: switch to micro:bit mode"
    assert QApplication.activeModalWidget() is None
    qtbot.mouseClick(hint, Qt.LeftButton)
    assert bench.mode.id == "microbit"
    assert not hint.isVisible()
    wait_connected(bench, qtbot, board.port)
    assert bench.window.tabs.current() is editor and editor.text() == "kept = 1\n"
    listing.clear()


def test_the_hint_goes_away_when_the_board_does(make_bench, fakes, qtbot, monkeypatch):
    board = fakes("modern")
    listing = usb_boards(monkeypatch, [pico_info(board.port)])
    bench = make_bench()
    hint = bench.board_hints.button
    qtbot.waitUntil(hint.isVisible, timeout=LONG)
    assert "switch to Raspberry Pi Pico mode" in hint.text()
    listing.clear()
    qtbot.waitUntil(lambda: not hint.isVisible(), timeout=LONG)


def test_switching_modes_keeps_every_tab_and_is_remembered(make_bench, qtbot, keyboard,
                                                          tmp_path, monkeypatch):
    usb_boards(monkeypatch, [])
    path = tmp_path / "demo.py"
    path.write_text("print('saved')\n")
    bench = make_bench([str(path)])
    bench.window.activateWindow()
    qtbot.waitActive(bench.window)
    unsaved = bench.files.new_file()
    unsaved.setText("draft = True\n")  # typed, not saved
    texts = [e.text() for e in bench.window.tabs.editors()]
    focus_editor(bench, qtbot)
    for name, mode_id in (("micro:bit", "microbit"), ("Raspberry Pi Pico", "pico"),
                          ("Python", "python"), ("micro:bit", "microbit")):
        choose_mode_with_keys(bench, qtbot, keyboard, name)
        qtbot.waitUntil(lambda m=mode_id: bench.mode.id == m, timeout=LONG)
        assert [e.text() for e in bench.window.tabs.editors()] == texts
        assert bench.window.tabs.current() is unsaved and unsaved.isModified()
        assert Settings.load().get("mode") == mode_id
        assert bench.actions["microbit.flash"].isVisible() == (mode_id == "microbit")
        assert bench.actions["pico.save_main"].isVisible() == (mode_id == "pico")
        assert bench.actions["view.repl"].isVisible()  # each mode has its own REPL
        assert bench.window.mode_label.text() == bench.mode.name
        focus_editor(bench, qtbot)
    bench.window.close()
    again = make_bench()
    assert again.mode.id == "microbit"


def test_save_to_board_writes_main_py_on_the_pico(board_bench, fakes, qtbot):
    board = fakes("modern")
    bench = board_bench("pico", port=board.port)
    text = "from machine import Pin\nprint('blink')\n"
    bench.window.tabs.current().setText(text)
    messages: list[str] = []
    bench.window.status.messageChanged.connect(messages.append)
    click_toolbar(bench, qtbot, "pico.save_main")
    qtbot.waitUntil(lambda: any(m.startswith("Saved ") for m in messages), timeout=LONG)
    assert board.fs.files["main.py"] == text.encode()
    assert "as main.py" in next(m for m in messages if m.startswith("Saved "))
    assert not [name for name in board.fs.files if name.endswith(".part")]


def test_unplug_mid_transfer_leaves_no_half_file_and_the_board_comes_back(
        board_bench, fakes, qtbot, monkeypatch):
    board = fakes("modern")
    board.fs.files["main.py"] = b"print('old main')\n"
    listing = usb_boards(monkeypatch, [pico_info(board.port)])
    monkeypatch.delenv("PRESENTER_PORT", raising=False)
    bench = board_bench("pico")
    editor = bench.window.tabs.current()
    text = "".join(f"print('line {i}')\n" for i in range(1500))  # about 27 kB
    editor.setText(text)
    messages: list[str] = []
    bench.window.status.messageChanged.connect(messages.append)
    board.stall_paste(after=4000, seconds=30)  # the board stops taking data mid-copy
    click_toolbar(bench, qtbot, "pico.save_main")
    qtbot.waitUntil(lambda: board.stalls > 0, timeout=LONG)
    board.disconnect()
    listing.clear()
    qtbot.waitUntil(lambda: any(m.startswith("Saving main.py failed") for m in messages),
                    timeout=LONG)
    assert any("was disconnected" in m for m in messages)
    assert board.fs.files["main.py"] == b"print('old main')\n"  # never half-written
    assert editor.text() == text

    again = fakes("modern")
    listing.append(pico_info(again.port))
    wait_connected(bench, qtbot, again.port)
    click_toolbar(bench, qtbot, "pico.save_main")
    qtbot.waitUntil(lambda: again.fs.files.get("main.py") == text.encode(), timeout=LONG)


def uf2_image(family: int, blocks: int = 4) -> bytes:
    import struct

    data = bytearray()
    for number in range(blocks):
        head = struct.pack("<8I", 0x0A324655, 0x9E5D5157, 0x2000, 0x10000000 + 256 * number,
                           256, number, blocks, family)
        data += head + bytes(476) + struct.pack("<I", 0x0AB16F30)
    return bytes(data)


@pytest.fixture
def bootsel(tmp_path, monkeypatch):
    """A folder standing for a Pico's BOOTSEL drive, as /proc/mounts would list it."""
    from presenter.device import uf2

    drive = tmp_path / "media" / "RPI-RP2"
    drive.mkdir(parents=True)
    (drive / "INFO_UF2.TXT").write_text("UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\n"
                                        "Board-ID: RPI-RP2\n")
    drives: list = [drive]
    monkeypatch.setattr(uf2, "find_drives", lambda pattern: list(drives))
    return drives


def install(bench, qtbot, monkeypatch, firmware) -> list[str]:
    from presenter.qt import dialogs
    from tests.workbench.test_run import choose_menu_item

    monkeypatch.setattr(dialogs, "ask_firmware_path", lambda parent, folder: str(firmware))
    messages: list[str] = []
    bench.window.status.messageChanged.connect(messages.append)
    choose_menu_item(bench, qtbot, "pico.install")
    return messages


def test_install_micropython_copies_a_fitting_uf2_to_the_bootsel_drive(
        board_bench, bootsel, tmp_path, qtbot, monkeypatch):
    usb_boards(monkeypatch, [])
    bench = board_bench("pico", connect=False)
    firmware = tmp_path / "RPI_PICO-20240222-v1.22.2.uf2"
    firmware.write_bytes(uf2_image(0xE48BFF56))
    messages = install(bench, qtbot, monkeypatch, firmware)
    qtbot.waitUntil(lambda: any(m.startswith("Copied ") for m in messages), timeout=LONG)
    assert (bootsel[0] / firmware.name).read_bytes() == firmware.read_bytes()


@pytest.mark.parametrize(("content", "says"), [
    (b"MicroPython, but not UF2" * 10, "is not a UF2 firmware file"),
    (uf2_image(0xE48BFF59), "is MicroPython for the Raspberry Pi Pico 2 (RP2350)"),
])
def test_install_refuses_a_file_that_is_not_uf2_or_not_for_the_chip(
        board_bench, bootsel, tmp_path, qtbot, monkeypatch, content, says):
    usb_boards(monkeypatch, [])
    bench = board_bench("pico", connect=False)
    firmware = tmp_path / "firmware.uf2"
    firmware.write_bytes(content)
    messages = install(bench, qtbot, monkeypatch, firmware)
    qtbot.waitUntil(lambda: any("MicroPython was not installed" in m for m in messages),
                    timeout=LONG)
    assert says in next(m for m in messages if "not installed" in m)
    assert not (bootsel[0] / firmware.name).exists()  # nothing was written


def test_install_without_a_bootsel_drive_says_how_to_get_one(board_bench, bootsel, tmp_path,
                                                            qtbot, monkeypatch):
    usb_boards(monkeypatch, [])
    bootsel.clear()
    bench = board_bench("pico", connect=False)
    firmware = tmp_path / "pico.uf2"
    firmware.write_bytes(uf2_image(0xE48BFF56))
    install(bench, qtbot, monkeypatch, firmware)
    output = bench.window.output
    qtbot.waitUntil(lambda: "No Pico in BOOTSEL mode" in output.toPlainText(), timeout=LONG)
    text = output.toPlainText()
    assert "hold its BOOTSEL button while plugging it in" in text
    assert "machine.bootloader()" in text


def test_the_mode_picker_starts_on_the_current_mode_for_the_keyboard(make_bench, qtbot, keyboard,
                                                                     monkeypatch):
    """Ctrl+Shift+M then Return keeps the mode; Down then Return takes the next one."""
    usb_boards(monkeypatch, [])
    bench = make_bench()
    bench.window.activateWindow()
    qtbot.waitActive(bench.window)
    focus_editor(bench, qtbot)
    choose_mode_with_keys(bench, qtbot, keyboard, "micro:bit")
    qtbot.waitUntil(lambda: bench.mode.id == "microbit", timeout=LONG)
    order = [mode.id for mode in bench.modes]
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+M")
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=LONG)
    menu = QApplication.activePopupWidget()
    assert menu.activeAction().text().startswith("micro:bit — ")
    qtbot.keyClick(menu, Qt.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=LONG)
    assert bench.mode.id == "microbit"
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+M")
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=LONG)
    menu = QApplication.activePopupWidget()
    qtbot.keyClick(menu, Qt.Key_Down)
    qtbot.keyClick(menu, Qt.Key_Return)
    following = order[(order.index("microbit") + 1) % len(order)]
    qtbot.waitUntil(lambda: bench.mode.id == following, timeout=LONG)
