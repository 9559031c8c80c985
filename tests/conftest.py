"""Shared fixtures: every test gets its own PRESENTER_HOME and runs Qt offscreen."""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["tests.fakes.emulator", "tests.fakes.workbench", "tests.fakes.board_window",
                  "tests.fakes.esp32", "tests.fakes.interpreters"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def presenter_home(tmp_path_factory, monkeypatch):
    """A private config/state/log tree so no test touches the user's real settings."""
    home = tmp_path_factory.mktemp("presenter-home")
    monkeypatch.setenv("PRESENTER_HOME", str(home))
    return home
