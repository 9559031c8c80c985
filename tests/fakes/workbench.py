"""Fixtures for a real Workbench (window, editor, modes) in the test's private PRESENTER_HOME."""

from __future__ import annotations

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QApplication

from presenter.qt import dialogs
from presenter.settings import Settings


class DialogAnswers:
    """Scripted answers for the few real dialogs, and a record of what was asked."""

    def __init__(self) -> None:
        self.save_changes = "discard"
        self.save_path: str | None = None
        self.open_paths: list[str] = []
        self.line_number: int | None = None
        self.asked: list[tuple[str, object]] = []


@pytest.fixture
def answers(monkeypatch) -> DialogAnswers:
    recorded = DialogAnswers()

    def ask_save_changes(parent, names):
        recorded.asked.append(("save_changes", list(names)))
        return recorded.save_changes

    def ask_save_path(parent, suggestion):
        recorded.asked.append(("save_path", suggestion))
        return recorded.save_path

    monkeypatch.setattr(dialogs, "ask_save_changes", ask_save_changes)
    monkeypatch.setattr(dialogs, "ask_save_path", ask_save_path)
    def ask_open_paths(parent, folder):
        recorded.asked.append(("open_paths", folder))
        return list(recorded.open_paths)

    def ask_line_number(parent, current, maximum):
        recorded.asked.append(("line_number", (current, maximum)))
        return recorded.line_number

    monkeypatch.setattr(dialogs, "ask_open_paths", ask_open_paths)
    monkeypatch.setattr(dialogs, "ask_line_number", ask_line_number)
    return recorded


@pytest.fixture
def make_bench(qtbot, answers):
    """Start a workbench like `presenter FILE...` does; closes it (discarding) at the end."""
    from presenter.workbench.workbench import Workbench

    benches = []

    def make(files: list[str] | None = None):
        bench = Workbench(Settings.load())
        qtbot.addWidget(bench.window)
        bench.start(files or [])
        benches.append(bench)
        return bench

    yield make
    answers.save_changes = "discard"
    for bench in benches:
        if bench.window.isVisible():
            bench.window.close()


@pytest.fixture
def bench(make_bench):
    return make_bench()


def key_press(shortcut: str) -> tuple[Qt.Key, Qt.KeyboardModifiers]:
    """The key event a keyboard sends for a shortcut as the action table writes it.

    Shift+Tab arrives from a real keyboard as Backtab (with Shift held), so it is sent so.
    """
    code = QKeySequence(shortcut)[0]
    key = code & ~int(Qt.KeyboardModifierMask)
    modifiers = code & int(Qt.KeyboardModifierMask)
    if key == Qt.Key_Tab and modifiers & Qt.ShiftModifier:
        key = Qt.Key_Backtab
    return Qt.Key(key), Qt.KeyboardModifiers(modifiers)


class Keyboard:
    """Keys as a person presses them: into whichever widget has the focus, window active.

    Window shortcuts (the action table) fire only in the active window, so ``press`` makes
    sure the focused widget's window is active first; nothing is ever triggered directly.
    """

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot

    def focused(self):
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        window = widget.window()
        if not window.isActiveWindow():
            window.activateWindow()
            self.qtbot.waitActive(window)
        return widget

    def press(self, shortcut: str) -> None:
        """One key combination in the table's notation: "Ctrl+Shift+T", "F5", "Return"."""
        key, modifiers = key_press(shortcut)
        self.qtbot.keyClick(self.focused(), key, modifiers)

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focused(), text)


@pytest.fixture
def keyboard(qtbot) -> Keyboard:
    return Keyboard(qtbot)
