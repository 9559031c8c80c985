"""Pytest fixtures for board tests: the QEMU virtual micro:bit and the pty fake boards.

``microbit_port`` (session scope) boots /work/shared/rigs/virtual-microbit once, i.e. the
``shared`` folder beside the checkout, and yields its pty path; ``fresh_microbit_port`` boots a
private one for tests that need a clean board.  Both skip, naming qemu-system-arm, when QEMU is
not installed.  ``fake_modern`` / ``fake_v1`` give a FakeBoard per test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.fake_board import FakeBoard

RIG = Path(__file__).resolve().parents[2].parent / "shared" / "rigs" / "virtual-microbit"


def _start(tmp: Path) -> tuple[str, Path]:
    if shutil.which("qemu-system-arm") is None:
        pytest.skip("qemu-system-arm is not installed (apt-get install qemu-system-arm)")
    if not RIG.exists():
        pytest.skip(f"the virtual-microbit rig is missing at {RIG}")
    pidfile = tmp / "qemu.pid"
    proc = subprocess.run(
        [sys.executable, str(RIG), "--pidfile", str(pidfile)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if proc.returncode == 2:
        pytest.skip(f"virtual-microbit prerequisite missing: {proc.stderr.strip()[-200:]}")
    if proc.returncode != 0:
        raise RuntimeError(f"virtual-microbit failed to boot: {proc.stderr[-500:]}")
    return proc.stdout.strip(), pidfile


def _stop(pidfile: Path) -> None:
    subprocess.run([sys.executable, str(RIG), "--stop", str(pidfile)], capture_output=True, timeout=30)


@pytest.fixture(scope="session")
def microbit_port(tmp_path_factory):
    port, pidfile = _start(tmp_path_factory.mktemp("microbit"))
    yield port
    _stop(pidfile)


@pytest.fixture
def fresh_microbit_port(tmp_path):
    port, pidfile = _start(tmp_path)
    yield port
    _stop(pidfile)


@pytest.fixture
def fake_modern():
    board = FakeBoard("modern")
    yield board
    board.close()


@pytest.fixture
def fake_v1():
    board = FakeBoard("v1")
    yield board
    board.close()
