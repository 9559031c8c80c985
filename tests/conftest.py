"""Shared fixtures: every test gets its own PRESENTER_HOME and runs Qt offscreen."""

from __future__ import annotations

import os
import signal

import pytest

pytest_plugins = ["tests.fakes.emulator", "tests.fakes.workbench", "tests.fakes.board_window",
                  "tests.fakes.esp32", "tests.fakes.interpreters"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The CLI tests press Ctrl-C as a person at a terminal does. A test run started in the
# background of a script (`scripts/test &`) has SIGINT ignored, which every `presenter`
# they start would inherit; a handler is reset at exec, an ignore is not.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, lambda _signum, _frame: None)


@pytest.fixture(autouse=True)
def presenter_home(tmp_path_factory, monkeypatch):
    """A private config/state/log tree so no test touches the user's real settings."""
    home = tmp_path_factory.mktemp("presenter-home")
    monkeypatch.setenv("PRESENTER_HOME", str(home))
    return home


# Fixtures that boot the virtual micro:bit (real V1 firmware in QEMU).
EMULATOR_FIXTURES = {"microbit_rig", "fresh_microbit_port", "fresh_microbit_rig"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (scripts/test runs the suite on three workers: most tests wait on
    subprocesses, boards and timers, not the CPU) every test of the virtual micro:bit goes
    to one worker, so one QEMU boots once, as in a serial run, and no two emulated V1s fight
    for the cores: a starved one loses bytes like a real V1 with a full buffer.

    tryfirst: xdist's worker turns the mark into the ``@group`` suffix that loadgroup
    schedules by, in its own hook of this name; run after it (the default order for this
    conftest), the mark came too late and every worker booted a QEMU of its own.
    """
    group = pytest.mark.xdist_group("virtual-microbit")
    for item in items:
        if EMULATOR_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(group)


def pytest_runtest_setup(item):
    """Fail, saying why, if xdist did not keep the group together: it did so silently once
    (pytest 9.2 with pytest-xdist 3.8, pytest-dev/pytest-xdist#1386), each worker then booted
    its own QEMU, and three emulated V1s on two cores lost bytes and failed tests at random."""
    if (getattr(item.config.option, "loadgroup", False) and item.get_closest_marker("xdist_group")
            and not item.nodeid.endswith("@virtual-microbit")):
        pytest.fail("pytest-xdist ignored the virtual micro:bit's group: this pytest and "
                    "pytest-xdist cannot run --dist loadgroup together; install the versions "
                    "pyproject.toml names (scripts/setup-env --test).", pytrace=False)
