"""FilesPane: what it shows, and the requests a person's clicks, keys and drops make it emit.

The pane never touches a board; these tests check the view alone (the controller that
carries the requests out on a board is tested in tests/modes/test_board_files.py).

Drag and drop: offscreen Qt has no platform drag (QDrag.exec returns at once), so here the
*drop handling* gets the real mime data a drag would carry (taken from the dragged view's own
``mimeData``, exactly what ``startDrag`` puts in the QDrag) in a real QDropEvent; a real
mouse drag through the X server is in ``test_a_real_mouse_drag_on_x11`` below.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from PyQt5.QtCore import QMimeData, QPoint, Qt
from PyQt5.QtGui import QDropEvent
from PyQt5.QtWidgets import QApplication

from presenter.qt.files_pane import BOARD_PATHS_MIME, FilesPane


@dataclass(frozen=True)
class Entry:
    name: str
    path: str
    is_dir: bool
    size: int


BOARD = [Entry("main.py", "main.py", False, 1234), Entry("data.csv", "data.csv", False, 99)]


@pytest.fixture
def local(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "hello.py").write_text("print('hello')\n")
    (folder / "notes.txt").write_text("notes\n")
    (folder / "sub").mkdir()
    return folder


@pytest.fixture
def pane(qtbot, local):
    widget = FilesPane(local_folder=str(local))
    qtbot.addWidget(widget)
    widget.resize(420, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_board("micro:bit on /dev/ttyACM0")
    widget.show_board_files("", BOARD)
    wait_for_local_rows(qtbot, widget, 3)
    return widget


def wait_for_local_rows(qtbot, pane: FilesPane, count: int) -> None:
    """QFileSystemModel reads folders on its own thread: wait for the rows to arrive."""
    def loaded() -> bool:
        root = pane.local_list.rootIndex()
        return pane.local_model.rowCount(root) >= count
    qtbot.waitUntil(loaded, timeout=10_000)


def board_row(pane: FilesPane, name: str):
    for i in range(pane.board_list.topLevelItemCount()):
        item = pane.board_list.topLevelItem(i)
        if item.text(0) == name:
            return item
    raise AssertionError(f"{name} is not listed: {board_names(pane)}")


def board_names(pane: FilesPane) -> list[str]:
    return [pane.board_list.topLevelItem(i).text(0)
            for i in range(pane.board_list.topLevelItemCount())]


def click_board_row(qtbot, pane: FilesPane, name: str, modifier=Qt.NoModifier) -> None:
    rect = pane.board_list.visualItemRect(board_row(pane, name))
    qtbot.mouseClick(pane.board_list.viewport(), Qt.LeftButton, modifier, rect.center())


def local_index(pane: FilesPane, name: str):
    index = pane.local_model.index(os.path.join(pane.local_folder(), name))
    assert index.isValid(), name
    return index


def click_local_row(qtbot, pane: FilesPane, name: str, modifier=Qt.NoModifier) -> None:
    rect = pane.local_list.visualRect(local_index(pane, name))
    qtbot.mouseClick(pane.local_list.viewport(), Qt.LeftButton, modifier, rect.center())


def drop(view, data: QMimeData, pos: QPoint) -> QDropEvent:
    """Deliver a drop as the platform does: enter, move, drop, at ``pos`` in the viewport."""
    from PyQt5.QtGui import QDragEnterEvent, QDragMoveEvent

    target = view.viewport()
    enter = QDragEnterEvent(pos, Qt.CopyAction | Qt.MoveAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, enter)
    move = QDragMoveEvent(pos, Qt.CopyAction | Qt.MoveAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, move)
    event = QDropEvent(pos, Qt.CopyAction | Qt.MoveAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, event)
    return event


def test_lists_board_files_with_sizes_folders_first(pane):
    pane.show_board_files("/", [Entry("z.py", "/z.py", False, 12_345),
                                Entry("lib", "/lib", True, 0)])
    assert board_names(pane) == ["lib/", "z.py"]
    assert board_row(pane, "z.py").text(1) == "12,345 bytes"
    assert pane.board_list.headerItem().text(0) == "Name"
    pane.show_board_files("/lib", [Entry("m.py", "/lib/m.py", False, 3)])
    assert board_names(pane) == ["..", "m.py"]


def test_copy_to_computer_button_sends_the_selected_board_files(qtbot, pane, local):
    assert not pane.to_computer_button.isEnabled()  # nothing selected yet
    click_board_row(qtbot, pane, "main.py")
    click_board_row(qtbot, pane, "data.csv", Qt.ControlModifier)
    with qtbot.waitSignal(pane.copy_to_computer_requested) as sent:
        qtbot.mouseClick(pane.to_computer_button, Qt.LeftButton)
    assert sorted(sent.args[0]) == ["data.csv", "main.py"]
    assert sent.args[1] == str(local)


def test_copy_to_board_button_sends_the_selected_local_files(qtbot, pane, local):
    pane.show_board_files("/lib", [])
    assert not pane.to_board_button.isEnabled()
    click_local_row(qtbot, pane, "hello.py")
    with qtbot.waitSignal(pane.copy_to_board_requested) as sent:
        qtbot.mouseClick(pane.to_board_button, Qt.LeftButton)
    assert sent.args == [[str(local / "hello.py")], "/lib"]


def test_a_folder_alone_cannot_be_copied_to_the_board(qtbot, pane):
    click_local_row(qtbot, pane, "sub")
    assert not pane.to_board_button.isEnabled()


def test_delete_asks_in_the_pane_and_only_confirmed_deletes_are_sent(qtbot, pane):
    deleted = []
    pane.delete_requested.connect(deleted.append)
    click_board_row(qtbot, pane, "main.py")
    qtbot.keyClick(pane.board_list, Qt.Key_Delete)  # the focused list, as a person presses it
    assert pane.confirm_strip.isVisible()
    assert "Delete main.py from the board?" in pane.confirm_label.text()
    assert QApplication.activeModalWidget() is None  # no dialog
    assert QApplication.focusWidget() is pane.confirm_button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Escape)
    assert not pane.confirm_strip.isVisible() and deleted == []
    assert pane.result_label.text() == "Nothing was deleted."

    qtbot.mouseClick(pane.delete_button, Qt.LeftButton)
    assert pane.confirm_strip.isVisible()
    qtbot.mouseClick(pane.keep_button, Qt.LeftButton)
    assert not pane.confirm_strip.isVisible() and deleted == []

    qtbot.mouseClick(pane.delete_button, Qt.LeftButton)
    qtbot.mouseClick(pane.confirm_button, Qt.LeftButton)
    assert deleted == [["main.py"]]
    assert not pane.confirm_strip.isVisible()


def test_enter_in_the_confirmation_deletes(qtbot, pane):
    deleted = []
    pane.delete_requested.connect(deleted.append)
    click_board_row(qtbot, pane, "data.csv")
    qtbot.keyClick(pane.board_list, Qt.Key_Delete)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert deleted == [["data.csv"]]


def test_enter_opens_a_board_file_and_a_folder_backspace_goes_up(qtbot, pane):
    pane.show_board_files("/", [Entry("lib", "/lib", True, 0), Entry("a.py", "/a.py", False, 1)])
    opened, folders = [], []
    pane.open_requested.connect(opened.append)
    pane.board_folder_requested.connect(folders.append)
    click_board_row(qtbot, pane, "a.py")
    qtbot.keyClick(pane.board_list, Qt.Key_Return)
    assert opened == ["/a.py"]
    click_board_row(qtbot, pane, "lib/")
    qtbot.keyClick(pane.board_list, Qt.Key_Return)
    assert folders == ["/lib"]
    pane.show_board_files("/lib", [Entry("m.py", "/lib/m.py", False, 3)])
    pane.board_list.setFocus()
    qtbot.keyClick(pane.board_list, Qt.Key_Backspace)
    assert folders == ["/lib", "/"]


def test_open_button_opens_one_selected_board_file(qtbot, pane):
    opened = []
    pane.open_requested.connect(opened.append)
    click_board_row(qtbot, pane, "main.py")
    qtbot.mouseClick(pane.open_button, Qt.LeftButton)
    assert opened == ["main.py"]


def test_the_computers_side_moves_between_folders_by_keys_and_by_typing(qtbot, pane, local):
    (local / "sub" / "inner.py").write_text("x = 1\n")
    changes = []
    pane.local_folder_changed.connect(changes.append)
    click_local_row(qtbot, pane, "sub")
    qtbot.keyClick(pane.local_list, Qt.Key_Return)
    assert pane.local_folder() == str(local / "sub")
    wait_for_local_rows(qtbot, pane, 1)
    qtbot.keyClick(pane.local_list, Qt.Key_Backspace)
    assert pane.local_folder() == str(local)
    field = pane.folder_field
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, str(local / "nope"))
    qtbot.keyClick(field, Qt.Key_Return)
    assert pane.local_folder() == str(local)  # refused, and said why
    assert "There is no folder" in pane.result_label.text()
    assert pane.result_label.property("kind") == "error"
    field.selectAll()
    qtbot.keyClicks(field, str(local / "sub"))
    qtbot.keyClick(field, Qt.Key_Return)
    assert pane.local_folder() == str(local / "sub")
    assert changes == [str(local / "sub"), str(local), str(local / "sub")]


def test_enter_on_a_local_file_asks_to_open_it(qtbot, pane, local):
    opened = []
    pane.local_open_requested.connect(opened.append)
    click_local_row(qtbot, pane, "hello.py")
    qtbot.keyClick(pane.local_list, Qt.Key_Return)
    assert opened == [str(local / "hello.py")]


def test_board_files_dropped_on_the_computers_side_are_copied_there(qtbot, pane, local):
    click_board_row(qtbot, pane, "main.py")
    click_board_row(qtbot, pane, "data.csv", Qt.ControlModifier)
    data = pane.board_list.mimeData(pane.board_list.selectedItems())  # what a drag carries
    assert data.hasFormat(BOARD_PATHS_MIME)
    blank = QPoint(10, pane.local_list.viewport().height() - 5)  # below the rows
    with qtbot.waitSignal(pane.copy_to_computer_requested) as sent:
        event = drop(pane.local_list, data, blank)
    assert event.isAccepted() and event.dropAction() == Qt.CopyAction
    assert sorted(sent.args[0]) == ["data.csv", "main.py"] and sent.args[1] == str(local)
    # Onto a folder's row: into that folder.
    on_sub = pane.local_list.visualRect(local_index(pane, "sub")).center()
    with qtbot.waitSignal(pane.copy_to_computer_requested) as sent:
        drop(pane.local_list, data, on_sub)
    assert sent.args[1] == str(local / "sub")


def test_local_files_dropped_on_the_board_side_are_copied_to_the_board(qtbot, pane, local):
    click_local_row(qtbot, pane, "hello.py")
    click_local_row(qtbot, pane, "notes.txt", Qt.ControlModifier)
    indexes = pane.local_list.selectionModel().selectedIndexes()
    data = pane.local_model.mimeData(indexes)  # what a drag out of the list carries
    with qtbot.waitSignal(pane.copy_to_board_requested) as sent:
        event = drop(pane.board_list, data, pane.board_list.viewport().rect().center())
    assert event.isAccepted()
    assert sorted(sent.args[0]) == [str(local / "hello.py"), str(local / "notes.txt")]
    assert sent.args[1] == ""


def test_a_file_manager_drop_of_a_folder_says_only_files_are_copied(qtbot, pane, local):
    data = QMimeData()
    from PyQt5.QtCore import QUrl

    data.setUrls([QUrl.fromLocalFile(str(local / "sub")), QUrl.fromLocalFile(str(local / "hello.py"))])
    with qtbot.waitSignal(pane.copy_to_board_requested) as sent:
        drop(pane.board_list, data, QPoint(20, 20))
    assert sent.args[0] == [str(local / "hello.py")]
    assert "not folders: sub" in pane.result_label.text()


def test_other_drops_are_refused_and_never_touch_the_disk(qtbot, pane, local):
    """A file manager's URLs dropped on the computer's side would be moved on disk by
    QFileSystemModel's own drop handling: the pane refuses them."""
    data = QMimeData()
    from PyQt5.QtCore import QUrl

    outside = local.parent / "outside.txt"
    outside.write_text("stay here")
    data.setUrls([QUrl.fromLocalFile(str(outside))])
    requests = []
    pane.copy_to_computer_requested.connect(lambda *a: requests.append(a))
    event = drop(pane.local_list, data, QPoint(10, 10))
    assert not event.isAccepted()
    assert outside.read_text() == "stay here" and not (local / "outside.txt").exists()
    text = QMimeData()
    text.setText("main.py")
    event = drop(pane.board_list, text, QPoint(10, 10))
    assert not event.isAccepted() and requests == []


def test_progress_cancel_and_result(qtbot, pane):
    click_board_row(qtbot, pane, "main.py")
    pane.show_result("Copied data.csv to /tmp.")
    pane.begin_task("Copying main.py to the computer…")
    assert pane.result_label.text() == ""  # the last outcome is not this one's
    assert pane.progress_strip.isVisible() and pane.cancel_button.isEnabled()
    assert not pane.to_computer_button.isEnabled() and not pane.delete_button.isEnabled()
    pane.show_progress(500, 1234)
    assert pane.progress_label.text() == "Copying main.py to the computer…"
    assert pane.progress_figures.text() == "500 of 1,234 bytes"
    assert pane.progress_bar.value() == 405
    with qtbot.waitSignal(pane.cancel_requested):
        qtbot.mouseClick(pane.cancel_button, Qt.LeftButton)
    assert pane.cancel_button.text() == "Cancelling…" and not pane.cancel_button.isEnabled()
    pane.end_task("Copying main.py was cancelled: nothing was written.", "error")
    assert not pane.progress_strip.isVisible()
    assert pane.result_label.text() == "Copying main.py was cancelled: nothing was written."
    assert pane.result_label.property("kind") == "error"
    assert pane.to_computer_button.isEnabled()


def test_without_a_board_nothing_can_be_asked_of_it(qtbot, pane):
    click_board_row(qtbot, pane, "main.py")
    pane.set_board(None)
    assert pane.board_list.topLevelItemCount() == 0
    assert pane.board_label.text() == "No board connected"
    for button in (pane.refresh_button, pane.to_computer_button, pane.to_board_button,
                   pane.open_button, pane.delete_button):
        assert not button.isEnabled(), button.text()


def test_side_by_side_when_wide_one_above_the_other_when_tall(qtbot, pane):
    pane.resize(900, 400)
    qtbot.waitUntil(lambda: pane.sides.orientation() == Qt.Horizontal)
    assert pane.to_computer_button.text() == "Copy to computer →"  # the board is on the left
    pane.resize(400, 800)
    qtbot.waitUntil(lambda: pane.sides.orientation() == Qt.Vertical)
    assert pane.to_computer_button.text() == "↓ Copy to computer"  # the board is above


# ---- A real drag with the mouse, through an X server


DRAG_CHILD = r'''
import json, sys
from dataclasses import dataclass
from PyQt5.QtWidgets import QApplication
from presenter.qt.files_pane import FilesPane

@dataclass(frozen=True)
class Entry:
    name: str
    path: str
    is_dir: bool
    size: int

app = QApplication(sys.argv)
pane = FilesPane(local_folder=sys.argv[1])
pane.set_board("micro:bit on /dev/ttyACM0")
pane.show_board_files("", [Entry("main.py", "main.py", False, 12)])
pane.resize(500, 600)
pane.move(0, 0)
pane.show()
def say(kind, *args):
    print(json.dumps([kind, *args]), flush=True)
pane.copy_to_computer_requested.connect(lambda paths, folder: say("to_computer", paths, folder))
pane.copy_to_board_requested.connect(lambda paths, folder: (say("to_board", paths, folder), app.quit()))
def report():
    model, view, board = pane.local_model, pane.local_list, pane.board_list
    if model.rowCount(view.rootIndex()) < 3:
        return QTimer.singleShot(50, report)
    def at(view, rect):
        point = view.viewport().mapToGlobal(rect.center())
        return [point.x(), point.y()]
    hello = model.index(sys.argv[1] + "/hello.py")
    say("ready", at(board, board.visualItemRect(board.topLevelItem(0))),
        at(view, view.viewport().rect().adjusted(0, 0, 0, -10).translated(0, 40)),
        at(view, view.visualRect(hello)), at(board, board.viewport().rect()))
from PyQt5.QtCore import QTimer
QTimer.singleShot(500, report)
QTimer.singleShot(30000, app.quit)
app.exec_()
'''


@pytest.fixture
def x_display(tmp_path):
    """A private Xvfb with openbox (as tests/qt/test_placement.py starts one)."""
    missing = [tool for tool in ("Xvfb", "openbox", "xdotool") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the X11 drag test, but {', '.join(missing)} is missing")
        pytest.skip(f"needs {', '.join(missing)} (apt-get install xvfb openbox xdotool)")
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1024x768x24",
                             "-nolisten", "tcp"], pass_fds=(write_end,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    env = {**os.environ, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
    manager = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    yield env
    manager.terminate()
    xvfb.terminate()
    manager.wait(10)
    xvfb.wait(10)


def test_a_real_mouse_drag_on_x11_copies_both_ways(x_display, local):
    """The mouse pressed on a board file, moved over the computer's list and released there,
    through the X server (xdotool), as a person drags: the pane asks to copy it there; and
    a local file dragged onto the board's list is asked to go to the board."""
    child = subprocess.Popen([sys.executable, "-c", DRAG_CHILD, str(local)], env=x_display,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[2])
    try:
        ready = json.loads(child.stdout.readline() or '["none"]')
        assert ready[0] == "ready", child.stderr.read()
        board_file, local_blank, local_file, board_blank = ready[1:]

        def xdo(*args: str) -> None:
            subprocess.run(["xdotool", *args], env=x_display, check=True, timeout=10)

        def drag(source: list[int], target: list[int]) -> list:
            (sx, sy), (tx, ty) = source, target
            xdo("mousemove", str(sx), str(sy))
            xdo("mousedown", "1")
            for step in range(1, 11):  # a drag is many small moves, not a jump
                xdo("mousemove", str(sx + (tx - sx) * step // 10),
                    str(sy + (ty - sy) * step // 10))
                time.sleep(0.03)
            time.sleep(0.2)
            xdo("mouseup", "1")
            return json.loads(child.stdout.readline() or '["none"]')

        to_computer = drag(board_file, local_blank)
        to_board = drag(local_file, board_blank)
    finally:
        child.kill()
        child.wait(10)
    assert to_computer == ["to_computer", ["main.py"], str(local)]
    assert to_board == ["to_board", [str(local / "hello.py")], ""]


@pytest.mark.parametrize("name", ["day", "night", "high-contrast"])
def test_follows_the_theme_and_the_zoom_and_errors_read_on_it(qtbot, pane, name):
    from presenter.core.themes import contrast_ratio, load_theme

    theme = load_theme(name)
    app = QApplication.instance()
    try:
        for font_pt in (11, 20):  # the zoom's UI size
            app.setStyleSheet(theme.stylesheet(font_pt))
            pane.show_result("Copying main.py failed: the board was unplugged.", "error")
            label = pane.result_label
            colour = label.palette().color(label.foregroundRole()).name()
            assert colour == theme.output["stderr"]
            assert contrast_ratio(colour, theme.ui["window"]) >= 4.5
            assert pane.board_list.font().pointSize() == font_pt
            assert pane.to_board_button.font().pointSize() == font_pt
            assert pane.board_list.palette().color(pane.board_list.viewport().backgroundRole()).name() \
                == theme.ui["input_bg"]
            pane.show_result("Copied main.py.")
            assert label.palette().color(label.foregroundRole()).name() == theme.ui["text"]
    finally:
        app.setStyleSheet("")
