"""micro:bit flashing: the hex, the drive copy, size limits and classroom targets.

The hex is decoded back with an independent Intel HEX reader written here (not uflash's),
and booted in the real V1 firmware under QEMU to prove the embedded main.py runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from presenter.device import flash

RIG = Path("/work/shared/rigs/virtual-microbit")
V1_FS_START = 0x38C00
V2_FS_START = 0x6D000


# ---- An independent reader for (universal) Intel HEX and the micro:bit file system


def hex_sections(text: str) -> dict[str, dict[int, int]]:
    """Board id ("9900"/"9903") -> {address: byte} from data records (types 00 and 0D)."""
    sections: dict[str, dict[int, int]] = {}
    current: dict[int, int] = {}
    base = 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        assert line.startswith(":"), line
        raw = bytes.fromhex(line[1:])
        length, addr, rtype = raw[0], int.from_bytes(raw[1:3], "big"), raw[3]
        data = raw[4:4 + length]
        assert len(raw) == 5 + length, f"bad length: {line}"
        assert sum(raw) & 0xFF == 0, f"bad checksum: {line}"
        if rtype == 0x0A:  # universal hex block start: board id + C0DE
            current = sections.setdefault(data[:2].hex().upper(), {})
        elif rtype == 0x04:
            base = int.from_bytes(data, "big") << 16
        elif rtype in (0x00, 0x0D):
            for i, value in enumerate(data):
                current[base + addr + i] = value
    return sections


def read_main_py(memory: dict[int, int], fs_start: int) -> bytes:
    """Follow the chunk chain of the file at fs_start (MicroPython's micro:bit filesystem.c)."""
    def chunk_at(index: int) -> bytes:
        return bytes(memory.get(fs_start + (index - 1) * 128 + i, 0xFF) for i in range(128))

    chunk = chunk_at(1)
    assert chunk[0] == 0xFE, "no file start marker"
    end_offset, name_len = chunk[1], chunk[2]
    assert chunk[3:3 + name_len] == b"main.py"
    areas = [chunk[1:127]]
    while chunk[127] != 0xFF:
        chunk = chunk_at(chunk[127])
        areas.append(chunk[1:127])
    # Every chunk carries 126 bytes; the last one only end_offset of them.
    data = b"".join(areas)[: 126 * (len(areas) - 1) + end_offset]
    return data[2 + name_len:]


# ---- Hex


def test_hex_contains_the_script_for_v1_and_v2():
    script = "from microbit import *\n# é – unicode survives\nprint('hello from hex')\n" * 5
    text = flash.build_hex(script.encode("utf-8"))
    sections = hex_sections(text)
    assert set(sections) == {"9900", "9903"}
    assert read_main_py(sections["9900"], V1_FS_START) == script.encode("utf-8")
    assert read_main_py(sections["9903"], V2_FS_START) == script.encode("utf-8")


def test_hex_normalises_windows_line_endings():
    sections = hex_sections(flash.build_hex(b"a = 1\r\nprint(a)\r\n"))
    assert read_main_py(sections["9900"], V1_FS_START) == b"a = 1\nprint(a)\n"


def test_script_limit_matches_uflash():
    import uflash

    limit = flash.script_limit()
    uflash.embed_fs_uhex(uflash._RUNTIME, b"#" * limit)  # accepted
    with pytest.raises(ValueError):
        uflash.embed_fs_uhex(uflash._RUNTIME, b"#" * (limit + 1))
    with pytest.raises(flash.ScriptTooLarge, match=f"at most {limit} bytes"):
        flash.build_hex(b"#" * (limit + 1))


def test_empty_script_is_refused():
    with pytest.raises(flash.FlashError, match="empty"):
        flash.prepare_script(b"  \n")


@pytest.mark.emulator
@pytest.mark.skipif(shutil.which("qemu-system-arm") is None, reason="qemu-system-arm missing")
@pytest.mark.skipif(not RIG.exists(), reason="virtual-microbit rig missing")
def test_built_hex_boots_and_runs_main_py_in_real_firmware(tmp_path):
    hex_file = tmp_path / "flashed.hex"
    hex_file.write_text(flash.build_hex(b"print('booted-from-presenter-hex', 6 * 7)\n"))
    log = tmp_path / "boot.log"
    pidfile = tmp_path / "qemu.pid"
    proc = subprocess.run(
        [sys.executable, str(RIG), "--hex", str(hex_file), "--wait", "output",
         "--boot-log", str(log), "--pidfile", str(pidfile), "--timeout", "20"],
        capture_output=True, text=True, timeout=60,
    )
    try:
        assert proc.returncode == 0, proc.stderr
        deadline_text = log.read_text(errors="replace")
        if "booted-from-presenter-hex" not in deadline_text:
            # The first printed bytes make the rig ready; the rest may still be in flight.
            import time

            import serial

            with serial.Serial(proc.stdout.strip(), 115200, timeout=0.5) as port:
                port.write(b"\x04")  # soft reboot in friendly mode reruns main.py
                got = b""
                end = time.monotonic() + 5
                while b"42" not in got and time.monotonic() < end:
                    got += port.read(256)
                deadline_text += got.decode(errors="replace")
        assert "booted-from-presenter-hex 42" in deadline_text
    finally:
        if pidfile.exists():
            subprocess.run([sys.executable, str(RIG), "--stop", str(pidfile)],
                           capture_output=True, timeout=30)


# ---- Drives


def test_copy_hex_writes_the_file(tmp_path):
    text = flash.build_hex(b"print(1)\n")
    target = flash.copy_hex(text, tmp_path)
    assert target == tmp_path / flash.HEX_NAME
    assert target.read_text() == text


def test_copy_hex_reports_fail_txt(tmp_path):
    (tmp_path / "FAIL.TXT").write_text("The hex file cannot be decoded.\r\nType: transient\r\n")
    with pytest.raises(flash.FlashError, match="The hex file cannot be decoded"):
        flash.copy_hex(flash.build_hex(b"print(1)\n"), tmp_path)


def test_copy_hex_to_missing_drive(tmp_path):
    with pytest.raises(flash.FlashError, match="does not exist"):
        flash.copy_hex("x", tmp_path / "nope")


def test_drives_from_mounts_finds_microbit_volumes():
    mounts = (
        "/dev/sda1 / ext4 rw 0 0\n"
        "/dev/sdb /media/ann/MICROBIT vfat rw 0 0\n"
        "/dev/sdc /media/ann/MICROBIT1 vfat rw 0 0\n"
        "/dev/sdd /Volumes/MICROBIT\\0402 msdos rw 0 0\n"
        "/dev/sde /media/ann/NOTMICROBIT vfat rw 0 0\n"
    )
    assert flash.drives_from_mounts(mounts) == [
        Path("/media/ann/MICROBIT"), Path("/media/ann/MICROBIT1"), Path("/Volumes/MICROBIT 2"),
    ]


def test_merge_targets_pairs_port_and_drive_of_one_board(tmp_path):
    same = tmp_path / "MICROBIT"
    other = tmp_path / "MICROBIT1"
    for drive, uid in ((same, "9904000011112222"), (other, "9900aaaa")):
        drive.mkdir()
        (drive / "DETAILS.TXT").write_text(f"# DAPLink Firmware\r\nUnique ID: {uid}\r\nHIC ID: x\r\n")
    targets = flash.merge_targets([("/dev/ttyACM0", "9904000011112222"), ("/dev/ttyACM1", None)],
                                  [same, other])
    assert targets == [
        flash.FlashTarget("/dev/ttyACM0", same, "9904000011112222"),
        flash.FlashTarget("/dev/ttyACM1", None, None),
        flash.FlashTarget(None, other, "9900AAAA"),
    ]


def test_silent_port_falls_back_to_the_drive_or_says_how(tmp_path):
    import pty

    ptys = [pty.openpty(), pty.openpty()]  # nothing answers on them: no MicroPython
    try:
        with_drive, without = (os.ttyname(slave) for _, slave in ptys)
        results = flash.flash_many(
            [flash.FlashTarget(with_drive, tmp_path), flash.FlashTarget(without)], b"print(2)\n")
    finally:
        for fds in ptys:
            for fd in fds:
                os.close(fd)
    assert (results[0].ok, results[0].method) == (True, "drive")
    assert (tmp_path / flash.HEX_NAME).exists()
    assert not results[1].ok
    assert "does not respond" in results[1].message and "--drive" in results[1].message


def test_flash_many_reports_each_target(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "missing"
    good.mkdir()
    seen = []
    results = flash.flash_many([flash.FlashTarget(drive=good), flash.FlashTarget(drive=bad)],
                               b"print(3)\n", on_result=seen.append)
    assert [r.ok for r in results] == [True, False]
    assert "does not exist" in results[1].message
    assert sorted(r.target.label for r in seen) == sorted([str(good), str(bad)])


def test_too_large_script_is_refused_before_any_drive_is_touched(tmp_path):
    with pytest.raises(flash.ScriptTooLarge):
        flash.flash_many([flash.FlashTarget(drive=tmp_path)], b"#" * 30000)
    assert os.listdir(tmp_path) == []


# ---- Over serial, on fake boards (fault injection)


@pytest.fixture
def fake_with_statvfs(monkeypatch):
    """A modern fake board whose os has statvfs (512-byte blocks, 4 kB in all), as a Pico has."""
    from tests.fakes import fake_board

    original = fake_board.FakeFS.make_os

    def make_os(fs, profile):
        os_type = original(fs, profile)

        def statvfs(_path):
            free = (fs.capacity - fs.used()) // 512
            return (512, 512, fs.capacity // 512, free, free, 0, 0, 0, 0, 255)

        os_type.statvfs = staticmethod(statvfs)
        return os_type

    monkeypatch.setattr(fake_board.FakeFS, "make_os", make_os)
    board = fake_board.FakeBoard("modern", fs_capacity=4096)
    yield board
    board.close()


def test_free_space_is_checked_before_writing(fake_with_statvfs):
    fake = fake_with_statvfs
    fake.fs.files["data.bin"] = b"\0" * 3000
    result = flash.flash_target(flash.FlashTarget(port=fake.port), b"x = 1\n" * 300)
    assert not result.ok
    # 1800 bytes need 4 blocks + 1 for metadata; 2 blocks are free (one of them for metadata).
    assert "main.py (1800 bytes) does not fit" in result.message
    assert "room for 512 bytes" in result.message and "--drive" in result.message
    assert set(fake.fs.files) == {"data.bin"}
    assert not any(b"open(" in sub for sub in fake.submissions)  # not even a temporary file


def test_flash_over_serial_on_fake_board_writes_main_py(fake_with_statvfs):
    fake = fake_with_statvfs
    result = flash.flash_target(flash.FlashTarget(port=fake.port), b"print('hi')\r\n")
    assert (result.ok, result.method, result.message) == (True, "serial", "ok")
    assert fake.fs.files["main.py"] == b"print('hi')\n"
    again = flash.flash_target(flash.FlashTarget(port=fake.port), b"print('hi')\n")
    assert again.ok and again.message == flash.UNCHANGED


def test_merge_targets_flashes_a_port_named_twice_once(tmp_path):
    link = tmp_path / "ttyLINK"
    link.symlink_to("/dev/ttyACM0")
    targets = flash.merge_targets(
        [("/dev/ttyACM0", None), ("/dev/ttyACM0", None), (str(link), None)],
        [tmp_path, tmp_path])
    assert targets == [flash.FlashTarget("/dev/ttyACM0"), flash.FlashTarget(drive=tmp_path)]
