"""Fixtures for a real Workbench (window, editor, modes) in the test's private PRESENTER_HOME."""

from __future__ import annotations

import pytest

from presenter.qt import dialogs
from presenter.settings import Settings


class DialogAnswers:
    """Scripted answers for the few real dialogs, and a record of what was asked."""

    def __init__(self) -> None:
        self.save_changes = "discard"
        self.save_path: str | None = None
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
    monkeypatch.setattr(dialogs, "ask_open_paths", lambda parent, folder: [])
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
