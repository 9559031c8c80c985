"""Opening ports: busy, permission, missing; the V1 fake really drops unpaced bytes."""

from __future__ import annotations

import os
import stat
import time

import pytest

from presenter.device import Board, PermissionDenied, PortBusy, PortNotFound
from presenter.device.transport import Transport


def test_missing_port(tmp_path):
    with pytest.raises(PortNotFound) as info:
        Transport.open(str(tmp_path / "ttyACM9"))
    assert "ttyACM9" in str(info.value)


def test_port_held_by_another_program(fake_modern):
    """Case 5: a second exclusive open -> PortBusy saying what to do."""
    first = Transport.open(fake_modern.port)
    try:
        with pytest.raises(PortBusy) as info:
            Transport.open(fake_modern.port)
        assert fake_modern.port in str(info.value) and "another program" in str(info.value)
    finally:
        first.close()
    Transport.open(fake_modern.port).close()  # free again once closed


def test_permission_denied_names_dialout(tmp_path):
    """Case 5: EACCES -> the dialout group and the usermod command (run as an unprivileged uid)."""
    node = tmp_path / "ttyFAKE"
    node.write_text("")
    os.chmod(node, 0)
    if os.geteuid() == 0:
        pid = os.fork()
        if pid == 0:  # child: drop root so the kernel really refuses
            code = 1
            try:
                os.setgid(65534)
                os.setuid(65534)
                try:
                    Transport.open(str(node))
                except PermissionDenied as exc:
                    code = 0 if "dialout" in str(exc) and "usermod -a -G dialout" in str(exc) else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0
    else:
        with pytest.raises(PermissionDenied, match="usermod -a -G dialout"):
            Transport.open(str(node))
    assert stat.S_IMODE(os.stat(node).st_mode) == 0


def _script_4k() -> bytes:
    lines = [f"v{i:03d} = {i} + 1000  # a line of padding text" for i in range(110)]
    src = ("\n".join(lines) + "\nprint(v109)\n").encode()
    assert len(src) > 4096
    return src


def test_v1_fake_drops_unpaced_writes(fake_v1):
    """Case 8: 256-byte writes every 10 ms overflow the 64-byte buffer and corrupt the script."""
    src = _script_4k()
    t = Transport.open(fake_v1.port)
    try:
        t.write(b"\x03\x03\r\x01")
        t.read_until([b"raw REPL; CTRL-B to exit\r\n>"], 2)
        time.sleep(0.05)
        for i in range(0, len(src), 256):
            t.write(src[i : i + 256])
            time.sleep(0.01)
        t.write(b"\x04")
        time.sleep(0.5)
        assert fake_v1.dropped > 0
        assert src not in bytes(fake_v1.received)
    finally:
        t.close()


def test_v1_engine_pacing_delivers_4k_intact(fake_v1):
    src = _script_4k()
    with Board.open(fake_v1.port) as board:
        out = []
        result = board.run(src.decode(), out.append, out.append)
        assert result.ending == "normal" and "".join(out) == "1109\n"
    assert fake_v1.dropped == 0
    assert fake_v1.submissions[-1] == src


def test_windows_access_denied_means_busy():
    import serial

    from presenter.device.transport import _open_error

    exc = serial.SerialException("could not open port 'COM3': PermissionError(13, 'Access is denied.', None, 5)")
    assert isinstance(_open_error("COM3", exc, platform="nt"), PortBusy)
    assert isinstance(_open_error("/dev/ttyACM0", PermissionError(13, "Permission denied"), platform="posix"), PermissionDenied)


def test_pacing_holds_across_many_small_writes(fake_v1):
    """Item 4: line-by-line writers (a pipe, typing, input() text) are paced like one big write."""
    t = Transport.open(fake_v1.port)
    try:
        t.write(b"\x03\x03\r\x01")
        t.read_until([b"raw REPL; CTRL-B to exit\r\n>"], 2)
        lines = [f"w{i:03d} = {i}  # typed line by line\n".encode() for i in range(120)]
        for line in lines:  # each shorter than one chunk: pacing must come from the link
            t.write(line, 32, 7000)
        t.write(b"\x04")
        t.read_until([b"\x04>"], 5)
        assert fake_v1.dropped == 0
        assert fake_v1.submissions[-1] == b"".join(lines)
    finally:
        t.close()


def test_a_tty_error_while_flushing_is_a_disconnect(fake_v1):
    """A cable pulled between a paced chunk's write and its flush: pyserial's flush is
    termios.tcdrain, whose EIO is a termios.error (not an OSError). It must reach the caller
    as Disconnected, which says what happened and what to do, not as a raw termios error.
    The moment cannot be hit on cue, so the flush fails as tcdrain does on a vanished tty."""
    import termios

    from presenter.device.errors import Disconnected

    transport = Transport.open(fake_v1.port)
    try:
        def vanished() -> None:
            raise termios.error(5, "Input/output error")

        transport._ser.flush = vanished
        with pytest.raises(Disconnected, match="disconnected"):
            transport.write(b"x" * 64, 32, 7000)
        assert transport.disconnected
    finally:
        transport.close()
