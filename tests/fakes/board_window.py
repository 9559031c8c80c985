"""Fixtures and helpers for window tests of the board modes: a window in a board mode, pointed at a port.

The window finds boards the way a user's does: ``PRESENTER_PORT`` / ``PRESENTER_PORTS`` name
ports by hand (a pty never shows up in pyserial's list), or ``board_watcher.list_boards``
is replaced to stand for the USB listing (a board that comes back on a new port).
"""

from __future__ import annotations

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QTextCursor
from PyQt5.QtWidgets import QApplication, QMenu

from presenter.device import BoardInfo
from presenter.settings import Settings

LONG = 20000  # ms: generous under load, never a speed assertion


@pytest.fixture
def board_bench(make_bench, monkeypatch, qtbot):
    """``board_bench(mode_id, port=..., ports=[...])``: a window remembered in that mode."""

    def make(mode_id: str, port: str | None = None, ports: list[str] | None = None,
             files: list[str] | None = None, connect: bool = True):
        if port is not None:
            monkeypatch.setenv("PRESENTER_PORT", port)
        if ports is not None:
            monkeypatch.setenv("PRESENTER_PORTS", ":".join(ports))
        settings = Settings.load()
        settings.set("mode", mode_id)
        settings.save()
        bench = make_bench(files)
        assert bench.mode.id == mode_id
        bench.window.activateWindow()
        qtbot.waitActive(bench.window)
        if connect:
            wait_connected(bench, qtbot)
        return bench

    return make


def wait_connected(bench, qtbot, port: str | None = None) -> None:
    connection = bench.mode.connection
    qtbot.waitUntil(lambda: connection.is_connected()
                    and (port is None or connection.board.port == port), timeout=LONG)


def run_text(bench) -> str:
    return bench.actions["run.run"].text()


def wait_finished(bench, qtbot, timeout: int = LONG) -> None:
    qtbot.waitUntil(lambda: run_text(bench) == "Run" and not bench.window.output.feeding(),
                    timeout=timeout)


def toolbar_button(bench, action_id: str):
    return bench.window.toolbar.widgetForAction(bench.actions[action_id])


def click_toolbar(bench, qtbot, action_id: str) -> None:
    """The toolbar button, clicked with the mouse."""
    qtbot.mouseClick(toolbar_button(bench, action_id), Qt.LeftButton)


def click_output_text(qtbot, output, text: str, offset: int = 3) -> None:
    """The real left mouse button on ``text`` in the output pane."""
    cursor = QTextCursor(output.document())
    cursor.setPosition(output.toPlainText().index(text) + offset)
    qtbot.mouseClick(output.viewport(), Qt.LeftButton, pos=output.cursorRect(cursor).center())


def pick_board_in_status_bar(bench, qtbot, port: str) -> None:
    """Click the status bar's board button, then the board's entry in its menu."""
    button = bench.mode.board_button
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=LONG)
    menu = QApplication.activePopupWidget()
    action = next(a for a in menu.actions() if a.text().startswith(port))
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())


def focus_editor(bench, qtbot):
    """Click into the editor, as a speaker does after using a menu."""
    editor = bench.window.tabs.current()
    if not bench.window.isActiveWindow():
        bench.window.activateWindow()
        qtbot.waitActive(bench.window)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    return editor


def choose_mode_with_keys(bench, qtbot, keyboard, name: str) -> None:
    """Ctrl+Shift+M, then click the mode in the picker."""
    keyboard.press("Ctrl+Shift+M")
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=LONG)
    menu = QApplication.activePopupWidget()
    action = next(a for a in menu.actions() if a.text().startswith(name + " — "))
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())


def usb_boards(monkeypatch, boards: list[BoardInfo]) -> list[BoardInfo]:
    """Stand in for pyserial's USB listing: the watcher lists whatever ``boards`` holds."""
    from presenter.modes import board_watcher

    monkeypatch.setattr(board_watcher, "list_boards", lambda: list(boards))
    return boards
