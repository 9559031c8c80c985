"""The Files pane in the window's board modes: real clicks, keys and drops, a real board.

Each test starts the real window in micro:bit (or Pico) mode, pointed at a port as a user
names one (``PRESENTER_PORT``), and opens the Files pane with its toolbar button or
Ctrl+Shift+F. The board is the virtual micro:bit (MicroPython V1 firmware in QEMU) or, for
faults real firmware cannot produce on cue (an unplug at a chosen moment), the pty fake
board. What is on the board is read back through the mode's own connection; what is on
this computer, from the disk.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PyQt5.QtCore import QMimeData, QPoint, Qt, QUrl
from PyQt5.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PyQt5.QtWidgets import QApplication

from presenter import paths
from presenter.device.files import TEMP_NAME
from presenter.qt.tabs import DIRTY_MARK
from tests.fakes.board_window import (
    LONG,
    focus_editor,
    pick_board_in_status_bar,
    toolbar_button,
    wait_connected,
)
from tests.fakes.fake_board import FakeBoard

WAIT = LONG


class Rig:
    """A window in a board mode with the Files pane shown, as a person opens it."""

    def __init__(self, bench, qtbot, keyboard, by: str = "button") -> None:
        self.bench, self.qtbot = bench, qtbot
        self.connection = bench.mode.connection
        if by == "button":
            button = toolbar_button(bench, "view.files")
            assert button.isVisible(), "the Files button went behind the toolbar's overflow"
            qtbot.mouseClick(button, Qt.LeftButton)
        else:
            focus_editor(bench, qtbot)
            keyboard.press("Ctrl+Shift+F")
        qtbot.waitUntil(lambda: bench.mode.files.is_visible(), timeout=WAIT)
        assert bench.actions["view.files"].isChecked()
        self.files = bench.mode.files.controller
        self.pane = self.files.pane
        self.wait_idle()

    # -- the board, through the mode's connection and its worker
    def on_board(self, work):
        box = {}
        self.connection.call(lambda board, control: work(board),
                             done=lambda value: box.setdefault("value", value),
                             failed=lambda exc: box.setdefault("error", exc))
        self.qtbot.waitUntil(lambda: bool(box), timeout=WAIT)
        if "error" in box:
            raise box["error"]
        return box["value"]

    def board_names(self) -> list[str]:
        return sorted(e.name for e in self.on_board(lambda b: b.files.ls("/")))

    # -- the pane, as a person uses it
    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.pane.is_busy(), timeout=WAIT)
        QApplication.processEvents()

    def wait_listed(self, name: str) -> None:
        self.qtbot.waitUntil(lambda: name in self.listed(), timeout=WAIT)

    def listed(self) -> list[str]:
        board = self.pane.board_list
        return [board.topLevelItem(i).text(0) for i in range(board.topLevelItemCount())]

    def click_board_file(self, name: str, modifier=Qt.NoModifier) -> None:
        board = self.pane.board_list
        item = next(board.topLevelItem(i) for i in range(board.topLevelItemCount())
                    if board.topLevelItem(i).text(0) == name)
        board.scrollToItem(item)
        self.qtbot.mouseClick(board.viewport(), Qt.LeftButton, modifier,
                              board.visualItemRect(item).center())

    def local_index(self, name: str):
        pane = self.pane
        return pane.local_model.index(os.path.join(pane.local_folder(), name))

    def click_local_file(self, name: str) -> None:
        pane = self.pane
        self.qtbot.waitUntil(lambda: self.local_index(name).isValid()
                             and pane.local_list.visualRect(self.local_index(name)).isValid(),
                             timeout=WAIT)
        rect = pane.local_list.visualRect(self.local_index(name))
        self.qtbot.mouseClick(pane.local_list.viewport(), Qt.LeftButton, Qt.NoModifier,
                              rect.center())

    def click(self, button) -> None:
        assert button.isEnabled(), f"{button.text()} is disabled"
        self.qtbot.mouseClick(button, Qt.LeftButton)

    def result(self) -> str:
        return self.pane.result_label.text()


@pytest.fixture
def make_rig(board_bench, qtbot, keyboard, tmp_path):
    """``make_rig(port, mode="microbit", by="button"|"keys")``: the window, Files shown."""

    def make(port: str | None = None, mode: str = "microbit", by: str = "button",
             ports: list[str] | None = None) -> Rig:
        local = tmp_path / "computer"
        local.mkdir(exist_ok=True)
        from presenter.settings import Settings

        settings = Settings.load()  # the folder the pane showed last time
        settings.data.setdefault("modes", {}).setdefault(mode, {})["files_folder"] = str(local)
        settings.save()
        bench = board_bench(mode, port=port, ports=ports, connect=ports is None)
        bench.window.resize(1280, 720)
        return Rig(bench, qtbot, keyboard, by)

    return make


def local_folder(rig: Rig) -> Path:
    return Path(rig.pane.local_folder())


def temporaries(fake: FakeBoard) -> list[str]:
    return [n for n in fake.fs.files if TEMP_NAME.match(n.rsplit("/", 1)[-1])]


def drop(view, data: QMimeData, pos: QPoint) -> QDropEvent:
    """Enter, move and drop at ``pos``, as the platform delivers a drag that ends there."""
    target = view.viewport()
    actions = Qt.CopyAction | Qt.MoveAction
    QApplication.sendEvent(target, QDragEnterEvent(pos, actions, data, Qt.LeftButton, Qt.NoModifier))
    QApplication.sendEvent(target, QDragMoveEvent(pos, actions, data, Qt.LeftButton, Qt.NoModifier))
    event = QDropEvent(pos, actions, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, event)
    return event


# ---- The virtual micro:bit: copy both ways, drag and drop, delete, open and save


@pytest.mark.emulator
def test_copy_both_ways_with_the_buttons(make_rig, fresh_microbit_port):
    rig = make_rig(fresh_microbit_port)
    data = bytes(range(256)) * 8 + b"end"
    rig.on_board(lambda b: b.files.write("data.bin", data))
    rig.click(rig.pane.refresh_button)
    rig.wait_listed("data.bin")
    assert rig.pane.board_label.text() == "micro:bit v1.0.1 on " + fresh_microbit_port

    rig.click_board_file("data.bin")
    rig.click(rig.pane.to_computer_button)
    assert rig.pane.is_busy()  # the click returned while the board is still being read
    rig.wait_idle()
    assert (local_folder(rig) / "data.bin").read_bytes() == data
    assert rig.result() == f"Copied data.bin to {local_folder(rig)}."

    script = local_folder(rig) / "hello.py"
    script.write_text("print('hello from the computer')\n")
    rig.click_local_file("hello.py")
    rig.click(rig.pane.to_board_button)
    rig.wait_idle()
    assert rig.result() == "Copied hello.py to the micro:bit."
    assert rig.on_board(lambda b: b.files.read("hello.py")) == script.read_bytes()
    assert rig.listed() == ["data.bin", "hello.py"]  # refreshed after the change


@pytest.mark.emulator
def test_drag_and_drop_both_ways(make_rig, fresh_microbit_port, qtbot):
    """A drag's real mime data dropped in a real drop event (offscreen Qt cannot run a
    platform drag; tests/qt/test_files_pane.py drags with the mouse through an X server)."""
    rig = make_rig(fresh_microbit_port)
    rig.on_board(lambda b: b.files.write("notes.txt", b"from the board\n"))
    rig.click(rig.pane.refresh_button)
    rig.wait_listed("notes.txt")
    rig.click_board_file("notes.txt")
    board = rig.pane.board_list
    carried = board.mimeData(board.selectedItems())  # what startDrag puts in the QDrag
    local_view = rig.pane.local_list
    event = drop(local_view, carried, QPoint(10, local_view.viewport().height() - 5))
    assert event.isAccepted()
    rig.wait_idle()
    assert (local_folder(rig) / "notes.txt").read_bytes() == b"from the board\n"

    mine = local_folder(rig) / "mine.py"
    mine.write_text("x = 42\n")
    rig.click_local_file("mine.py")
    indexes = local_view.selectionModel().selectedIndexes()
    carried = rig.pane.local_model.mimeData(indexes)  # a drag out of the computer's list
    assert [u.toLocalFile() for u in carried.urls()] == [str(mine)]
    event = drop(board, carried, board.viewport().rect().center())
    assert event.isAccepted()
    rig.wait_idle()
    assert rig.on_board(lambda b: b.files.read("mine.py")) == b"x = 42\n"
    assert "mine.py" in rig.listed()


@pytest.mark.emulator
def test_delete_after_the_confirmation_in_the_pane(make_rig, fresh_microbit_port, qtbot):
    rig = make_rig(fresh_microbit_port)
    rig.on_board(lambda b: (b.files.write("old.py", b"x = 1\n"), b.files.write("keep.py", b"k")))
    rig.click(rig.pane.refresh_button)
    rig.wait_listed("old.py")
    rig.click_board_file("old.py")
    qtbot.keyClick(rig.pane.board_list, Qt.Key_Delete)  # the focused list
    assert rig.pane.confirm_strip.isVisible()
    assert QApplication.activeModalWidget() is None
    assert rig.board_names() == ["keep.py", "old.py"]  # nothing deleted before confirming
    rig.click(rig.pane.confirm_button)
    rig.wait_idle()
    assert rig.board_names() == ["keep.py"]
    assert rig.listed() == ["keep.py"]
    assert rig.result() == "Deleted old.py from the micro:bit."


@pytest.mark.emulator
def test_open_a_board_file_edit_and_ctrl_s_writes_it_back(make_rig, fresh_microbit_port,
                                                          qtbot, keyboard):
    rig = make_rig(fresh_microbit_port)
    rig.on_board(lambda b: b.files.write("main.py", b"from microbit import *\ndisplay.scroll('hi')\n"))
    rig.click(rig.pane.refresh_button)
    rig.wait_listed("main.py")
    rig.click_board_file("main.py")
    rig.click(rig.pane.open_button)
    rig.wait_idle()
    tabs = rig.bench.window.tabs
    editor = tabs.current()
    port_name = fresh_microbit_port.removeprefix("/dev/")  # "ttyACM0"; here "pts/3"
    assert editor.info.title == f"main.py — micro:bit ({port_name})"
    assert tabs.tabText(tabs.indexOf(editor)) == f"main.py — micro:bit ({port_name})"
    assert tabs.tabToolTip(tabs.indexOf(editor)) == f"main.py on the micro:bit at {fresh_microbit_port}"
    assert editor.text() == "from microbit import *\ndisplay.scroll('hi')\n"
    assert "Ctrl+S saves it back" in rig.result()

    focus_editor(rig.bench, qtbot)
    editor.setCursorPosition(2, 0)
    keyboard.type("display.show(Image.HAPPY)")
    assert tabs.tabText(tabs.indexOf(editor)).endswith(DIRTY_MARK)
    keyboard.press("Ctrl+S")
    assert editor.isModified()  # Ctrl+S returned before the board was written
    qtbot.waitUntil(lambda: not editor.isModified(), timeout=WAIT)
    assert tabs.tabText(tabs.indexOf(editor)) == f"main.py — micro:bit ({port_name})"
    assert rig.on_board(lambda b: b.files.read("main.py")) == (
        b"from microbit import *\ndisplay.scroll('hi')\ndisplay.show(Image.HAPPY)")
    assert rig.bench.window.status.currentMessage() == \
        f"Saved main.py on the micro:bit at {fresh_microbit_port}"
    # Opening it again shows the same tab rather than a second copy.
    rig.click_board_file("main.py")
    rig.click(rig.pane.open_button)
    rig.wait_idle()
    assert [e.info.title for e in tabs.editors()].count(editor.info.title) == 1


@pytest.mark.emulator
def test_cancel_mid_copy_to_the_board_leaves_no_file_under_the_real_name(
        make_rig, fresh_microbit_port, qtbot):
    rig = make_rig(fresh_microbit_port)
    rig.on_board(lambda b: b.files.write("data.bin", b"the old data"))
    big = local_folder(rig) / "data.bin"
    big.write_bytes(os.urandom(12_000))  # ~3 s at the V1's pace
    rig.click_local_file("data.bin")
    rig.click(rig.pane.to_board_button)
    qtbot.waitUntil(lambda: rig.pane.progress_bar.value() > 0, timeout=WAIT)
    rig.click(rig.pane.cancel_button)
    rig.wait_idle()
    assert "Copying data.bin was cancelled" in rig.result()
    assert "data.bin is unchanged" in rig.result()
    assert rig.on_board(lambda b: b.files.read("data.bin")) == b"the old data"
    assert rig.board_names() == ["data.bin"]  # no temporary left either
    assert big.stat().st_size == 12_000


# ---- The fake board: unplugs and a slow copy at chosen moments


@pytest.fixture
def fake_v1_board():
    board = FakeBoard("v1")
    yield board
    board.close()


def test_cancel_mid_copy_to_the_computer_writes_nothing_there(make_rig, fake_v1_board, qtbot):
    fake = fake_v1_board
    fake.fs.files["log.csv"] = os.urandom(40_000)
    rig = make_rig(fake.port)
    rig.wait_listed("log.csv")
    (local_folder(rig) / "log.csv").write_bytes(b"yesterday's log")
    rig.click_board_file("log.csv")
    rig.click(rig.pane.to_computer_button)
    qtbot.waitUntil(lambda: rig.pane.progress_bar.value() > 0, timeout=WAIT)
    rig.click(rig.pane.cancel_button)
    rig.wait_idle()
    assert "Reading log.csv was cancelled" in rig.result()
    assert "Nothing was written on this computer for log.csv" in rig.result()
    assert (local_folder(rig) / "log.csv").read_bytes() == b"yesterday's log"
    assert sorted(p.name for p in local_folder(rig).iterdir()) == ["log.csv"]  # no temporary
    assert fake._namespace().get("_f") is None  # the board's handle was closed
    rig.click(rig.pane.refresh_button)  # and the board still answers
    rig.wait_idle()
    assert rig.listed() == ["log.csv"]


def test_unplug_mid_copy_to_the_board_says_why_and_keeps_both_files(make_rig, qtbot):
    fake = FakeBoard("modern")
    try:
        fake.fs.files["big.bin"] = b"old"
        rig = make_rig(fake.port, mode="pico")
        source = local_folder(rig) / "big.bin"
        data = os.urandom(3_000_000)
        source.write_bytes(data)
        rig.click_local_file("big.bin")
        rig.click(rig.pane.to_board_button)
        qtbot.waitUntil(lambda: any(len(fake.fs.files.get(n, b"")) > 10_000
                                    for n in temporaries(fake)), timeout=WAIT)
        fake.disconnect()
        rig.wait_idle()
        message = rig.result()
        assert "disconnected" in message.lower() or "unplugged" in message.lower(), message
        assert "big.bin is unchanged" in message
        assert rig.pane.result_label.property("kind") == "error"
        assert fake.fs.files["big.bin"] == b"old"
        assert source.read_bytes() == data
        qtbot.waitUntil(lambda: rig.pane.board_label.text() == "No board connected",
                        timeout=WAIT)
    finally:
        fake.close()


def test_unplug_mid_copy_to_the_computer_leaves_the_local_file_intact(make_rig, qtbot):
    fake = FakeBoard("v1")
    try:
        fake.fs.files["log.csv"] = os.urandom(40_000)
        rig = make_rig(fake.port)
        rig.wait_listed("log.csv")
        (local_folder(rig) / "log.csv").write_bytes(b"yesterday's log")
        rig.click_board_file("log.csv")
        rig.click(rig.pane.to_computer_button)
        qtbot.waitUntil(lambda: rig.pane.progress_bar.value() > 0, timeout=WAIT)
        fake.disconnect()
        rig.wait_idle()
        assert "nothing was written on this computer for it" in rig.result()
        assert rig.pane.result_label.property("kind") == "error"
        assert (local_folder(rig) / "log.csv").read_bytes() == b"yesterday's log"
        assert sorted(p.name for p in local_folder(rig).iterdir()) == ["log.csv"]
    finally:
        fake.close()


def test_a_failed_save_keeps_the_text_dirty_and_says_why(make_rig, qtbot, keyboard):
    fake = FakeBoard("v1")
    try:
        fake.fs.files["main.py"] = b"a = 1\n"
        rig = make_rig(fake.port)
        rig.wait_listed("main.py")
        rig.click_board_file("main.py")
        qtbot.keyClick(rig.pane.board_list, Qt.Key_Return)  # Enter opens it in a tab
        rig.wait_idle()
        editor = rig.bench.window.tabs.current()
        focus_editor(rig.bench, qtbot)
        editor.setCursorPosition(1, 0)
        keyboard.type("b = 2")
        fake.disconnect()
        qtbot.waitUntil(lambda: not rig.connection.is_connected(), timeout=WAIT)
        keyboard.press("Ctrl+S")
        banners = rig.bench.window.banners
        qtbot.waitUntil(lambda: any("was not saved" in b.text for b in banners.banners()),
                        timeout=WAIT)
        text = next(b.text for b in banners.banners() if "was not saved" in b.text)
        assert "not connected: plug it in and save again" in text
        assert editor.isModified() and editor.text() == "a = 1\nb = 2"
        assert fake.fs.files["main.py"] == b"a = 1\n"
    finally:
        fake.close()


def test_a_save_goes_only_to_the_board_the_file_came_from(make_rig, qtbot, keyboard):
    first, second = FakeBoard("v1"), FakeBoard("v1")
    try:
        first.fs.files["main.py"] = b"first = 1\n"
        second.fs.files["main.py"] = b"second = 2\n"
        rig = make_rig(ports=[first.port, second.port], by="keys")
        bench = rig.bench
        pick_board_in_status_bar(bench, qtbot, first.port)
        wait_connected(bench, qtbot, first.port)
        rig.wait_listed("main.py")
        rig.click_board_file("main.py")
        rig.click(rig.pane.open_button)
        rig.wait_idle()
        editor = bench.window.tabs.current()
        assert editor.text() == "first = 1\n"
        pick_board_in_status_bar(bench, qtbot, second.port)
        wait_connected(bench, qtbot, second.port)
        focus_editor(rig.bench, qtbot)
        keyboard.type("# changed")
        keyboard.press("Ctrl+S")
        banners = bench.window.banners
        qtbot.waitUntil(lambda: any("was not saved" in b.text for b in banners.banners()),
                        timeout=WAIT)
        assert any("the board connected now is another one" in b.text for b in banners.banners())
        assert second.fs.files["main.py"] == b"second = 2\n"
        assert first.fs.files["main.py"] == b"first = 1\n"
        assert editor.isModified()
    finally:
        first.close()
        second.close()


def test_file_work_waits_while_a_program_runs(make_rig, fake_v1_board, qtbot, keyboard):
    fake_v1_board.fs.files["a.py"] = b"1"
    rig = make_rig(fake_v1_board.port)
    rig.wait_listed("a.py")
    editor = rig.bench.window.tabs.current()
    editor.setText("import time\nwhile True:\n    time.sleep(0.05)\n")
    focus_editor(rig.bench, qtbot)
    keyboard.press("F5")
    qtbot.waitUntil(lambda: rig.bench.mode.is_running(), timeout=WAIT)
    rig.click_board_file("a.py")
    rig.click(rig.pane.to_computer_button)
    assert rig.result() == "The board is running a program: stop it first, then try again."
    assert not (local_folder(rig) / "a.py").exists()
    keyboard.press("Shift+F5")
    qtbot.waitUntil(lambda: not rig.bench.mode.is_running(), timeout=WAIT)
    rig.click(rig.pane.to_computer_button)
    rig.wait_idle()
    assert (local_folder(rig) / "a.py").read_bytes() == b"1"


def test_a_binary_board_file_is_not_opened_and_the_pane_says_why(make_rig, fake_v1_board):
    fake_v1_board.fs.files["image.bin"] = bytes(range(256))
    rig = make_rig(fake_v1_board.port)
    rig.wait_listed("image.bin")
    tabs_before = rig.bench.window.tabs.count()
    rig.click_board_file("image.bin")
    rig.click(rig.pane.open_button)
    rig.wait_idle()
    assert "looks like a binary file" in rig.result() and "Copy it to the computer" in rig.result()
    assert rig.bench.window.tabs.count() == tabs_before


# ---- A board file's unsaved text survives a crash (recovered like an untitled buffer)


CRASH_DRIVER = textwrap.dedent("""
    import sys
    from PyQt5.QtCore import QTimer
    from PyQt5.QtWidgets import QApplication
    from presenter import paths
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    app = QApplication([])
    bench = Workbench(Settings.load())
    bench.start([])  # in micro:bit mode, pointed at the fake board by PRESENTER_PORT

    def connected():
        if not bench.mode.connection.is_connected():
            return QTimer.singleShot(50, connected)
        bench.mode.files.set_visible(True)
        bench.mode.files.controller.open("main.py")
        opened_then_edit()

    def opened_then_edit():
        editor = bench.window.tabs.current()
        if editor is None or editor.info.location is None:
            return QTimer.singleShot(50, opened_then_edit)
        editor.append("unsaved = 'typed on stage'\\n")
        report()

    def report():
        if list(paths.recovery_dir().rglob("buf-*.json")):
            print("autosaved", flush=True)
        else:
            QTimer.singleShot(100, report)

    connected()
    app.exec_()
""")


def test_unsaved_text_of_a_board_tab_is_recovered_after_a_crash(make_bench, tmp_path):
    fake = FakeBoard("v1")
    try:
        fake.fs.files["main.py"] = b"board = 1\n"
        settings = paths.settings_file()
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(json.dumps({"autosave_seconds": 1, "mode": "microbit"}))
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PRESENTER_PORT=fake.port)
        app = subprocess.Popen([sys.executable, "-c", CRASH_DRIVER], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parents[2])
        try:
            line = app.stdout.readline()
            assert line.strip() == "autosaved", app.stderr.read()
        finally:
            app.send_signal(signal.SIGKILL)
            app.wait(10)
        assert fake.fs.files["main.py"] == b"board = 1\n"  # autosave never writes the board
    finally:
        fake.close()
    Path(settings).write_text(json.dumps({"mode": "python"}))
    bench = make_bench()  # the next start: the board is gone, the text is not
    recovered = [e for e in bench.window.tabs.editors() if "typed on stage" in e.text()]
    assert len(recovered) == 1
    editor = recovered[0]
    assert editor.text() == "board = 1\nunsaved = 'typed on stage'\n"
    assert editor.info.title == "main.py (micro:bit)" and editor.info.path is None
    assert editor.info.location is None and editor.isModified()
    assert not bench.settings.get("session", {}).get("files")  # not reopened from a path


def test_a_board_tab_is_not_reopened_from_disk_at_the_next_start(make_rig, fake_v1_board,
                                                                 make_bench):
    fake_v1_board.fs.files["main.py"] = b"x = 1\n"
    rig = make_rig(fake_v1_board.port)
    rig.wait_listed("main.py")
    rig.click_board_file("main.py")
    rig.click(rig.pane.open_button)
    rig.wait_idle()
    from presenter.workbench import session

    captured = session.capture(rig.bench)
    assert captured["files"] == [] and captured["current"] is None


def test_threads_every_board_call_runs_off_the_gui_thread(make_rig, fake_v1_board, qtbot):
    """Transfers never block the window: each engine call is made on the worker thread."""
    fake_v1_board.fs.files["a.py"] = b"1"
    rig = make_rig(fake_v1_board.port)
    rig.wait_listed("a.py")
    threads = set()
    files_class = type(rig.on_board(lambda b: b.files))
    original = files_class._exec

    def spy(self, *args, **kwargs):
        threads.add(threading.current_thread().name)
        return original(self, *args, **kwargs)

    files_class._exec = spy
    try:
        rig.click_board_file("a.py")
        rig.click(rig.pane.to_computer_button)
        rig.wait_idle()
    finally:
        files_class._exec = original
    assert threads and threading.main_thread().name not in threads
    assert (local_folder(rig) / "a.py").read_bytes() == b"1"


def test_local_drop_of_a_missing_board_is_refused_with_a_message(make_rig, fake_v1_board,
                                                                  qtbot):
    rig = make_rig(fake_v1_board.port)
    fake_v1_board.disconnect()
    qtbot.waitUntil(lambda: rig.pane.board_label.text() == "No board connected", timeout=WAIT)
    assert "disconnected" in rig.result()
    mine = local_folder(rig) / "mine.py"
    mine.write_text("x = 1\n")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(mine))])
    event = drop(rig.pane.board_list, data, QPoint(10, 10))
    assert event.isAccepted()
    assert rig.result() == "Connect a board before copying files to it."


# ---- The pane in the window: its toggle, the REPL beside it, zoom and theme


def test_the_toggle_shows_and_hides_the_pane_and_is_remembered(make_rig, fake_v1_board,
                                                               keyboard, qtbot):
    rig = make_rig(fake_v1_board.port, by="keys")
    bench = rig.bench
    assert rig.pane.parentWidget() is bench.window.side_area  # right of the editor
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+F")
    assert not rig.pane.isVisible() and not bench.actions["view.files"].isChecked()
    assert bench.settings.section("microbit")["files_visible"] is False
    keyboard.press("Ctrl+Shift+F")
    assert rig.pane.isVisible() and bench.settings.section("microbit")["files_visible"] is True
    python = next(m for m in bench.modes if m.id == "python")
    bench.set_mode(python)  # Python mode has no board: no Files pane, no toggle
    assert not rig.pane.isVisible() and not bench.actions["view.files"].isVisible()


@pytest.mark.emulator
def test_the_repl_keeps_working_around_a_copy(make_rig, fresh_microbit_port, qtbot, keyboard):
    """Files and the REPL share the one connection: the REPL is paused for the copy and
    comes back after it."""
    rig = make_rig(fresh_microbit_port)
    bench = rig.bench
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+R")
    repl = bench.mode.repl.pane
    qtbot.waitUntil(lambda: repl.toPlainText().rstrip().endswith(">>>"), timeout=WAIT)
    (local_folder(rig) / "lib.py").write_text("ANSWER = 42\n")
    rig.click_local_file("lib.py")
    rig.click(rig.pane.to_board_button)
    rig.wait_idle()
    assert rig.result() == "Copied lib.py to the micro:bit."
    repl.setFocus()
    keyboard.type("import lib; print(lib.ANSWER * 2)")
    keyboard.press("Return")
    qtbot.waitUntil(lambda: "84" in repl.toPlainText(), timeout=WAIT)


def test_the_pane_follows_zoom_and_theme(make_rig, fake_v1_board, qtbot, keyboard):
    fake_v1_board.fs.files["a.py"] = b"1"
    rig = make_rig(fake_v1_board.port)
    rig.wait_listed("a.py")
    bench = rig.bench
    before = rig.pane.board_list.font().pointSize()
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+=")
    keyboard.press("Ctrl+=")
    assert rig.pane.board_list.font().pointSize() == before + 2
    assert rig.pane.to_board_button.font().pointSize() == before + 2
    keyboard.press("Ctrl+Shift+T")  # the next theme
    theme = bench.appearance.theme
    rig.pane.show_result("Copying a.py failed: the board was unplugged.", "error")
    label = rig.pane.result_label
    assert label.palette().color(label.foregroundRole()).name() == theme.output["stderr"]
    list_view = rig.pane.board_list
    assert list_view.palette().color(list_view.viewport().backgroundRole()).name() == \
        theme.ui["input_bg"]


def test_with_the_repl_and_files_both_shown_at_start_both_work(board_bench, fake_v1_board,
                                                               qtbot, keyboard, tmp_path):
    """Both panes remembered as shown: when the board connects the REPL's terminal is being
    started while the Files pane lists the board; the listing must not run under it."""
    fake_v1_board.fs.files["a.py"] = b"1"
    from presenter.settings import Settings

    settings = Settings.load()
    settings.data.setdefault("modes", {})["microbit"] = {
        "repl_visible": True, "files_visible": True, "files_folder": str(tmp_path)}
    settings.save()
    bench = board_bench("microbit", port=fake_v1_board.port)
    pane = bench.mode.files.controller.pane
    qtbot.waitUntil(lambda: pane.board_list.topLevelItemCount() == 1
                    or pane.result_label.property("kind") == "error", timeout=WAIT)
    assert pane.result_label.property("kind") != "error", pane.result_label.text()
    assert pane.board_list.topLevelItem(0).text(0) == "a.py"
    repl = bench.mode.repl.pane
    repl.setFocus()
    qtbot.waitUntil(repl.hasFocus, timeout=WAIT)
    keyboard.type("print(6 * 7)")
    keyboard.press("Return")
    qtbot.waitUntil(lambda: "42" in repl.toPlainText(), timeout=WAIT)


def test_a_pane_remembered_as_shown_leaves_the_editor_its_width(board_bench, fake_v1_board,
                                                                 qtbot, tmp_path):
    """Shown again at start-up, the pane takes a third of the width, as when first opened."""
    from presenter.settings import Settings

    settings = Settings.load()
    settings.data.setdefault("modes", {})["microbit"] = {
        "files_visible": True, "files_folder": str(tmp_path)}
    settings.save()
    bench = board_bench("microbit", port=fake_v1_board.port)
    qtbot.waitUntil(lambda: bench.mode.files.is_visible(), timeout=WAIT)
    pane = bench.mode.files.controller.pane
    qtbot.waitUntil(lambda: pane.width() > 0, timeout=WAIT)
    share = pane.width() / bench.window.side_area.width()
    assert 0.25 < share < 0.5, share  # a third, or the pane's least width in a small window


def test_a_board_tab_is_named_after_the_file_the_board_and_its_port():
    from presenter.modes.board_files import BoardFileLocation

    location = BoardFileLocation(None, "/lib/main.py", "Pico", "/dev/ttyACM0", "E6614C31")
    assert location.title == "main.py — Pico (ttyACM0)"
    assert location.description == "/lib/main.py on the Pico at /dev/ttyACM0"
    assert location.recovery_name == "main.py (Pico)"
    assert location.key == ("E6614C31", "/lib/main.py")  # the same board on another port
    on_windows = BoardFileLocation(None, "main.py", "micro:bit", "COM3", None)
    assert on_windows.title == "main.py — micro:bit (COM3)" and on_windows.key == ("COM3", "main.py")


def test_a_picos_folders_open_and_files_go_into_the_folder_shown(make_rig, qtbot):
    fake = FakeBoard("modern")
    try:
        fake.fs.dirs.add("lib")
        fake.fs.files.update({"lib/util.py": b"u = 1\n", "main.py": b"m = 1\n"})
        rig = make_rig(fake.port, mode="pico")
        rig.wait_listed("lib/")
        assert rig.listed() == ["lib/", "main.py"]
        rig.click_board_file("lib/")
        qtbot.keyClick(rig.pane.board_list, Qt.Key_Return)
        rig.wait_listed("util.py")
        assert rig.listed() == ["..", "util.py"]
        (local_folder(rig) / "extra.py").write_text("e = 1\n")
        rig.click_local_file("extra.py")
        rig.click(rig.pane.to_board_button)
        rig.wait_idle()
        assert fake.fs.files["lib/extra.py"] == b"e = 1\n"
        assert rig.listed() == ["..", "extra.py", "util.py"]
        rig.pane.board_list.setFocus()
        qtbot.keyClick(rig.pane.board_list, Qt.Key_Backspace)
        qtbot.waitUntil(lambda: rig.listed() == ["lib/", "main.py"], timeout=WAIT)
        # The computer's side: the folder shown is remembered for next time.
        before = local_folder(rig)
        rig.click(rig.pane.up_button)
        assert rig.bench.settings.section("pico")["files_folder"] == str(before.parent)
    finally:
        fake.close()


def test_closing_a_board_tab_with_save_writes_it_then_closes(make_rig, fake_v1_board, qtbot,
                                                             keyboard, answers):
    fake_v1_board.fs.files["main.py"] = b"a = 1\n"
    rig = make_rig(fake_v1_board.port)
    rig.wait_listed("main.py")
    rig.click_board_file("main.py")
    rig.click(rig.pane.open_button)
    rig.wait_idle()
    tabs = rig.bench.window.tabs
    editor = tabs.current()
    focus_editor(rig.bench, qtbot)
    editor.setCursorPosition(1, 0)
    keyboard.type("b = 2")
    answers.save_changes = "save"
    keyboard.press("Ctrl+W")
    assert answers.asked[-1] == ("save_changes", [editor.info.title])
    qtbot.waitUntil(lambda: editor not in tabs.editors(), timeout=WAIT)
    assert fake_v1_board.fs.files["main.py"] == b"a = 1\nb = 2"
