"""Pytest fixtures for board tests: the QEMU virtual micro:bit and the pty fake boards.

``microbit_port`` (session scope) boots /work/shared/rigs/virtual-microbit once, i.e. the
``shared`` folder beside the checkout, and yields its pty path; ``fresh_microbit_port`` boots a
private one for tests that need a clean board.  Both skip, naming qemu-system-arm, when QEMU is
not installed.  ``fake_modern`` / ``fake_v1`` give a FakeBoard per test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.fake_board import FakeBoard

RIG = Path(__file__).resolve().parents[2].parent / "shared" / "rigs" / "virtual-microbit"


@dataclass(frozen=True)
class Rig:
    port: str
    pidfile: Path
    qmp: str  # QEMU's QMP socket: qmp_command(rig.qmp, "system_reset") = reset button


def qmp_command(path: str, command: str) -> dict:
    """Send one QMP command (e.g. "system_reset") to this rig's QEMU and return the reply."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(5)
        sock.connect(path)
        f = sock.makefile("rw")
        f.readline()  # greeting
        for cmd in ("qmp_capabilities", command):
            f.write(json.dumps({"execute": cmd}) + "\n")
            f.flush()
            while True:
                reply = json.loads(f.readline())
                if "event" not in reply:
                    break
        return reply


def _missing(reason: str) -> None:
    """Skip on a developer machine; in CI (which installs QEMU) a missing rig is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the emulator tests, but {reason}")
    pytest.skip(reason)


def _start(tmp: Path) -> Rig:
    if shutil.which("qemu-system-arm") is None:
        _missing("qemu-system-arm is not installed (apt-get install qemu-system-arm)")
    if not RIG.exists():
        _missing(f"the virtual-microbit rig is missing at {RIG}")
    pidfile = tmp / "qemu.pid"
    failures = []
    # A boot takes 0.3 s when quiet; one that hangs is retried rather than waited out (all
    # three stay within the per-test timeout that also covers this fixture).
    for _attempt in range(3):
        try:
            return _boot(pidfile)
        except _BootFailed as exc:
            failures.append(str(exc))
            _stop(pidfile)
    raise RuntimeError("virtual-microbit failed to boot 3 times: " + " | ".join(failures))


class _BootFailed(Exception):
    """One boot of the rig did not give a usable board (worth another try)."""


def _boot(pidfile: Path) -> Rig:
    try:
        proc = subprocess.run(
            [sys.executable, str(RIG), "--pidfile", str(pidfile), "--timeout", "15"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired as exc:
        raise _BootFailed(f"the rig did not return within {exc.timeout} s") from None
    if proc.returncode == 2:
        _missing(f"virtual-microbit prerequisite missing: {proc.stderr.strip()[-200:]}")
    if proc.returncode != 0:
        raise _BootFailed(f"exit {proc.returncode}: {proc.stderr[-300:]}")
    m = re.search(r"QMP socket[^:]*: (\S+)", proc.stderr)
    port = proc.stdout.strip()
    if not port:  # seen once under load: stdout came back empty although the log names the pty
        named = re.search(r"UART on (\S+),", proc.stderr)
        port = named.group(1) if named else ""
    if not port or not Path(port).exists():
        raise _BootFailed(f"no usable port ({port!r}): {proc.stderr[-300:]}")
    return Rig(port, pidfile, m.group(1) if m else "")


def _stop(pidfile: Path) -> None:
    subprocess.run([sys.executable, str(RIG), "--stop", str(pidfile)], capture_output=True, timeout=30)


@pytest.fixture(scope="session")
def microbit_rig(tmp_path_factory):
    """The shared virtual micro:bit (port + QMP socket), booted once per test session."""
    rig = _start(tmp_path_factory.mktemp("microbit"))
    yield rig
    _stop(rig.pidfile)


@pytest.fixture(scope="session")
def microbit_port(microbit_rig):
    return microbit_rig.port


@pytest.fixture(scope="module", autouse=True)
def _fresh_heap_per_module(request):
    """Soft-reset the shared virtual micro:bit before each module that uses it: a V1 has
    about 10 kB of heap, and what earlier modules left in it (their programs' globals, a
    fragmented heap) made later tests fail with MemoryError depending on the order they ran
    in. Files stay, as after a real soft reset. (Per module, not per test: some modules keep
    a connection to the board open across their tests.)"""
    uses_rig = any(item.module is request.module and "microbit_rig" in item.fixturenames
                   for item in request.session.items)
    if uses_rig:
        soft_reset(request.getfixturevalue("microbit_rig").port)


def soft_reset(port: str, timeout: float = 10.0) -> None:
    """Stop what runs, leave the raw REPL, soft-reset, and wait for the prompt (a main.py
    that never ends keeps running: then the wait just runs out, as a person would see)."""
    import time

    import serial

    with serial.Serial(port, 115200, timeout=0.1) as board:
        board.write(b"\r\x03\x03\x02\x04")
        seen = b""
        deadline = time.monotonic() + timeout
        while b"soft reboot" not in seen or not seen.endswith(b">>> "):
            if time.monotonic() > deadline:
                break
            seen = (seen + board.read(256))[-4096:]


@pytest.fixture
def fresh_microbit_port(tmp_path):
    rig = _start(tmp_path)
    yield rig.port
    _stop(rig.pidfile)


@pytest.fixture
def fresh_microbit_rig(tmp_path):
    """A private virtual micro:bit with its QMP socket (pause, resume, reset the board)."""
    rig = _start(tmp_path)
    yield rig
    _stop(rig.pidfile)


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
