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


# Fixtures that boot the virtual micro:bit (real V1 firmware in QEMU).
EMULATOR_FIXTURES = {"microbit_rig", "fresh_microbit_port", "fresh_microbit_rig"}


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (scripts/test runs the suite on three workers: most tests wait on
    subprocesses, boards and timers, not the CPU) every test of the virtual micro:bit goes
    to one worker, so one QEMU boots once, as in a serial run, and no two emulated V1s fight
    for the cores: a starved one loses bytes like a real V1 with a full buffer."""
    group = pytest.mark.xdist_group("virtual-microbit")
    for item in items:
        if EMULATOR_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(group)
