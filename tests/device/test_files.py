"""File operations against the pty fake boards (flat V1 and nested modern)."""

from __future__ import annotations

import os
import threading
import time

import pytest

from presenter.device import Board, BoardError, Disconnected, FileEntry
from presenter.device.files import bytes_literal_parts
from tests.fakes.fake_board import FakeBoard

ALL_BYTES = bytes(range(256)) * 4


@pytest.mark.parametrize("raw_high", [True, False])
def test_bytes_literal_roundtrip_every_value(raw_high):
    import ast

    data = ALL_BYTES + b"\x0012\x00a\\'\"" + os.urandom(500)
    parts = bytes_literal_parts(data, 200, raw_high)
    assert all(len(lit) <= 200 for lit, _ in parts)
    back = b"".join(
        ast.literal_eval(
            lit.decode("latin-1") if not raw_high else
            __import__("re").sub(rb"[\x80-\xff]", lambda m: b"\\x%02x" % m.group()[0], lit).decode()
        )
        for lit, _ in parts
    )
    assert back == data
    assert sum(n for _, n in parts) == len(data)


@pytest.mark.parametrize("profile", ["v1", "modern"])
def test_roundtrip_text_and_binary_with_progress(profile):
    """Cases 24/25: every byte value round-trips; progress reported; V1 fake drops nothing."""
    fake = FakeBoard(profile)
    try:
        with Board.open(fake.port) as board:
            seen = []
            data = ALL_BYTES * 3 + os.urandom(2000)
            assert board.files.write("data.bin", data, progress=lambda d, t: seen.append((d, t))) is True
            assert seen[0] == (0, len(data)) and seen[-1] == (len(data), len(data))
            assert [d for d, _ in seen] == sorted(d for d, _ in seen)
            if profile == "v1":
                assert len(seen) > 3  # small execs: progress in steps
            assert fake.fs.files["data.bin"] == data
            assert board.files.read("data.bin") == data
            text = "héllo\nwörld\n".encode() * 100
            board.files.write("t.py", text)
            assert board.files.read("t.py", progress=lambda d, t: seen.append((d, t))) == text
            assert "data.bin.part" not in fake.fs.files
            board.files.write("empty", b"")
            assert board.files.read("empty") == b"" and fake.fs.files["empty"] == b""
            # submissions stay under the profile's cap (V1 firmware hangs on big ones)
            assert max(len(s) for s in fake.submissions) <= board.profile.max_submission
        assert fake.dropped == 0
    finally:
        fake.close()


def test_unchanged_file_skipped(fake_modern, fake_v1):
    """Case 27: second copy of the same content is skipped (hash on modern, read-back on V1)."""
    for fake in (fake_modern, fake_v1):
        with Board.open(fake.port) as board:
            data = os.urandom(700)
            assert board.files.write("x.bin", data) is True
            before = len(fake.submissions)
            assert board.files.write("x.bin", data) is False
            assert not any(b"open('x.bin.part'" in s for s in fake.submissions[before:])
            assert board.files.write("x.bin", data[:-1] + b"!") is True
            assert fake.fs.files["x.bin"] == data[:-1] + b"!"


def test_ls_flat_and_nested(fake_v1, fake_modern):
    """Case 26: flat V1 listing; nested dirs, mkdir/rmdir/remove and friendly errors on modern."""
    fake_v1.fs.files.update({"main.py": b"abc", "b c.txt": b"12345"})
    with Board.open(fake_v1.port) as board:
        assert board.files.ls() == [FileEntry("b c.txt", "b c.txt", False, 5), FileEntry("main.py", "main.py", False, 3)]
        board.files.remove("main.py")
        assert [e.name for e in board.files.ls()] == ["b c.txt"]
        with pytest.raises(BoardError, match="flat"):
            board.files.mkdir("lib")
        with pytest.raises(BoardError, match="does not exist"):
            board.files.remove("nope.py")
        board.files.rename("b c.txt", "it's \"q\".txt")  # no os.rename on V1: copy + remove
        assert fake_v1.fs.files == {"it's \"q\".txt": b"12345"}
        assert board.files.read("it's \"q\".txt") == b"12345"
    with Board.open(fake_modern.port) as board:
        board.files.mkdir("/lib")
        board.files.write("/lib/mod ü.py", b"x = 1\n")
        board.files.write("/top.txt", b"hi")
        assert board.files.ls("/") == [FileEntry("lib", "/lib", True, 0), FileEntry("top.txt", "/top.txt", False, 2)]
        assert board.files.ls("/lib") == [FileEntry("mod ü.py", "/lib/mod ü.py", False, 6)]
        assert board.files.exists("/lib/mod ü.py") and not board.files.exists("/lib/x")
        with pytest.raises(BoardError, match="not empty"):
            board.files.rmdir("/lib")
        with pytest.raises(BoardError, match="already exists"):
            board.files.mkdir("/lib")
        board.files.remove("/lib/mod ü.py")
        board.files.rmdir("/lib")
        assert [e.name for e in board.files.ls("/")] == ["top.txt"]
        board.files.rename("/top.txt", "/it's here.txt")
        assert fake_modern.fs.files == {"it's here.txt": b"hi"}


def test_fs_full_reported_and_partial_removed():
    """Case 25: storage full -> clean error, no partial file, target untouched."""
    fake = FakeBoard("v1", fs_capacity=3000)
    try:
        fake.fs.files["main.py"] = b"old"
        with Board.open(fake.port) as board:
            with pytest.raises(BoardError, match="full"):
                board.files.write("main.py", os.urandom(5000))
            assert fake.fs.files["main.py"] == b"old"
            assert "main.py.part" not in fake.fs.files
    finally:
        fake.close()


def test_unplug_mid_transfer(fake_modern):
    """Case 28: unplug during an upload -> Disconnected quickly, target never half-written."""
    fake_modern.fs.files["big.bin"] = b"old"
    board = Board.open(fake_modern.port)
    box = {}

    def target():
        try:
            board.files.write("big.bin", os.urandom(3_000_000))
        except Disconnected as exc:
            box["e"] = exc

    th = threading.Thread(target=target)
    th.start()
    time.sleep(0.5)
    start = time.monotonic()
    fake_modern.disconnect()
    th.join(5)
    assert "e" in box and time.monotonic() - start < 2
    assert fake_modern.fs.files["big.bin"] == b"old"
    board.close()
    # "replug": a new board on a new pty works
    again = FakeBoard("modern")
    try:
        with Board.open(again.port) as b2:
            assert b2.eval("1") == 1
    finally:
        again.close()
