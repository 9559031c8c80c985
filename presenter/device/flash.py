"""Put a user's script on a BBC micro:bit so it runs at power-on.

Two ways, chosen per board:

* **Over serial** when the board already runs MicroPython: write the script as ``main.py``
  and soft-reset in friendly mode so it starts. Seconds instead of the ~10 s a drive copy
  takes, and the other files on the board survive. The file engine refuses a main.py that
  cannot fit before sending a byte (and writes it in place when only the old main.py's room
  makes it fit).
* **As a .hex on the MICROBIT drive** otherwise (a fresh board, other firmware, a wedged
  program): uflash's universal hex (MicroPython for V1 and V2) with the script embedded as
  ``main.py`` in the hex's file system; DAPLink programs it and reports errors in FAIL.TXT.

Sizes are checked before anything is written, so a refused script never leaves a board
half-flashed. No Qt, no printing: results are returned, problems raised as FlashError.
"""

from __future__ import annotations

import functools
import math
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from presenter.device.errors import BoardError, DeviceError, NoResponse
from presenter.device.microbit_fs import CHUNK_SIZE, DATA_PER_CHUNK
from presenter.device.space import NoSpace

if TYPE_CHECKING:  # pragma: no cover - typing only
    from presenter.device import Board

#: The volume label DAPLink gives a micro:bit's USB drive (MAINTENANCE in bootloader mode).
DRIVE_LABEL = "MICROBIT"
#: Name of the hex written to the drive: any *.hex works, this is what DAPLink users expect.
HEX_NAME = "micropython.hex"
_MAIN = "main.py"
# Mount points named MICROBIT, or MICROBIT1 / "MICROBIT 1" when several are plugged in.
_DRIVE_NAME = re.compile(r"^MICROBIT(?: ?\d+)?$")

Progress = Callable[[int, int], None]


class FlashError(DeviceError):
    """Flashing failed; the message says what to do next."""


class ScriptTooLarge(FlashError):
    """The script cannot fit in the board's file system; nothing was written."""


# ---- The script and the hex


def _uflash():  # type: ignore[no-untyped-def]
    """uflash is a 1.8 MB module (the runtime is inside it): import it only when flashing."""
    import uflash

    return uflash


def script_limit() -> int:
    """Largest main.py (bytes) uflash can embed in the universal hex for both V1 and V2.

    uflash refuses ``len(script) >= (fs_size / 128) * 126 - 9`` for each section; the V2
    file system is the smaller one, so it sets the limit for a hex that must run on both.
    """
    uf = _uflash()
    sizes = (
        uf._FS_END_ADDR_V1 - uf._FS_START_ADDR_V1,
        uf._FS_END_ADDR_V2 - uf._FS_START_ADDR_V2,
    )
    return min(math.ceil(size / CHUNK_SIZE * DATA_PER_CHUNK - 2 - len(_MAIN)) for size in sizes) - 1


def prepare_script(source: bytes) -> bytes:
    """Normalise line endings (as uflash does) and refuse a script that cannot fit.

    Called before any board or drive is touched so that "too large" never leaves a
    half-written main.py behind.
    """
    script = source.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if not script.strip():
        raise FlashError("The script is empty: there is nothing to flash.")
    limit = script_limit()
    if len(script) > limit:
        raise ScriptTooLarge(
            f"The script is {len(script)} bytes; a micro:bit holds at most {limit} bytes "
            f"in main.py. Make it shorter (remove comments, move data to another file)."
        )
    return script


@functools.lru_cache(maxsize=2)
def build_hex(script: bytes) -> str:
    """A universal .hex (MicroPython for micro:bit V1 and V2) with ``script`` as main.py.

    Cached: a classroom run builds the ~1.8 MB hex once for all 30 drives.
    """
    script = prepare_script(script)
    uf = _uflash()
    try:
        return uf.embed_fs_uhex(uf._RUNTIME, script)
    except ValueError as exc:  # uflash's own size check, should prepare_script ever disagree
        raise ScriptTooLarge(f"uflash refused the script: {exc}") from exc


# ---- MICROBIT drives


def _unescape_mount(field: str) -> str:
    """/proc/mounts writes a space in a mount point as \\040 (and tab, newline, backslash)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def drives_from_mounts(text: str, pattern: re.Pattern = _DRIVE_NAME) -> list[Path]:
    """MICROBIT mount points listed in /proc/mounts-style text (``dev mountpoint type ...``).

    ``pattern`` matches the drive's name: other boards' drives (a Pico's RPI-RP2) too.
    """
    found: list[Path] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        mount_point = Path(_unescape_mount(fields[1]))
        if pattern.match(mount_point.name):
            found.append(mount_point)
    return found


def _windows_drives(pattern: re.Pattern) -> list[Path]:  # pragma: no cover - needs Windows
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    found: list[Path] = []
    old_mode = kernel32.SetErrorMode(1)  # no "insert a disk" pop-ups for empty card readers
    try:
        for letter in "DEFGHIJKLMNOPQRSTUVWXYZ":
            root = f"{letter}:\\"
            if kernel32.GetDriveTypeW(root) != 2:  # DRIVE_REMOVABLE
                continue
            name = ctypes.create_unicode_buffer(261)
            if kernel32.GetVolumeInformationW(root, name, 261, None, None, None, None, 0):
                if pattern.match(name.value):
                    found.append(Path(root))
    finally:
        kernel32.SetErrorMode(old_mode)
    return found


def find_drives(pattern: re.Pattern = _DRIVE_NAME) -> list[Path]:
    """Every mounted micro:bit drive (or drive named as ``pattern`` says) on this computer."""
    if sys.platform == "win32":  # pragma: no cover - needs Windows
        return _windows_drives(pattern)
    text = ""
    try:
        text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        import subprocess

        try:  # macOS and BSD: "dev on /Volumes/MICROBIT (msdos, ...)"
            out = subprocess.run(["mount"], capture_output=True, text=True, timeout=5).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        text = "\n".join(
            "mount " + m.group(1).replace(" ", "\\040") + " type"
            for m in re.finditer(r" on (.+?) \(", out)
        )
    return [d for d in drives_from_mounts(text, pattern) if d.is_dir()]


def drive_serial_number(drive: Path) -> str | None:
    """The board's USB serial number from DETAILS.TXT ("Unique ID: 9904..."), if readable.

    DAPLink's Unique ID is the same string the serial port reports as its serial number,
    which is how one board seen as both a port and a drive is flashed only once.
    """
    try:
        text = (Path(drive) / "DETAILS.TXT").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    match = re.search(r"^Unique ID:\s*([0-9A-Fa-f]+)", text, re.MULTILINE)
    return match.group(1).upper() if match else None


def _wait_for_remount(drive: Path, timeout: float) -> None:
    """DAPLink unmounts the drive while programming and mounts it again when done."""
    deadline = time.monotonic() + min(3.0, timeout)
    while os.path.ismount(drive) and time.monotonic() < deadline:
        time.sleep(0.1)
    deadline = time.monotonic() + timeout
    while not os.path.ismount(drive) and time.monotonic() < deadline:
        time.sleep(0.2)


def copy_hex(hex_text: str, drive: Path, timeout: float = 20.0) -> Path:
    """Write the hex to the drive (write, flush, fsync), then check DAPLink's FAIL.TXT.

    The fsync matters: without it the OS may report success while the data sits in its
    cache, and the user unplugs a board that was never programmed.
    """
    drive = Path(drive)
    if not drive.is_dir():
        raise FlashError(f"The drive {drive} does not exist or is not a folder. Is the micro:bit plugged in?")
    target = drive / HEX_NAME
    try:
        with open(target, "wb") as handle:
            handle.write(hex_text.encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise FlashError(f"Could not write {target}: {exc.strerror or exc}.") from exc
    if os.path.ismount(drive):
        _wait_for_remount(drive, timeout)
    fail = drive / "FAIL.TXT"
    if fail.exists():
        try:
            reason = " ".join(fail.read_text(encoding="ascii", errors="replace").split())
        except OSError:
            reason = "(FAIL.TXT could not be read)"
        raise FlashError(
            f"The micro:bit at {drive} rejected the hex: {reason or 'no reason given'}. "
            f"Unplug it, plug it in again and retry."
        )
    return target


# ---- Over serial


def flash_over_serial(
    board: Board,
    script: bytes,
    progress: Progress | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> bool:
    """Write ``script`` as main.py, then soft-reset so it runs. True if main.py changed.

    The file engine decides before sending whether main.py fits (beside the old one, or in
    place of it) and refuses it otherwise, so a refused script leaves the board as it was.
    An unchanged main.py is not rewritten (flash wears out and V1 writes are slow), but the
    board is still reset so the presenter sees the program start again.
    """
    script = prepare_script(script)
    try:
        changed = board.files.write(
            _MAIN, script, progress=progress, skip_unchanged=True, on_notice=on_notice
        )
    except NoSpace as exc:
        raise FlashError(
            f"main.py ({len(script)} bytes) does not fit over serial on the board on "
            f"{board.port}: there is room for {exc.room} bytes (remove files with "
            f"`presenter fs rm NAME`). {_DRIVE_ADVICE}",
            board.port,
        ) from exc
    except BoardError as exc:
        if "full" not in str(exc):
            raise
        # A board that cannot tell its free space (micro:bit V2) found out while writing;
        # the engine has removed the unfinished temporary file already.
        raise FlashError(
            f"main.py ({len(script)} bytes) does not fit over serial on the board on "
            f"{board.port}: its storage is full (remove files with `presenter fs rm NAME`). "
            f"{_DRIVE_ADVICE}",
            board.port,
        ) from exc
    board.soft_reset()
    return bool(changed)


_DRIVE_ADVICE = ("Or flash the .hex to the board's drive, which replaces all files: "
                 "presenter flash --drive <MICROBIT drive> FILE.")
#: FlashResult.message when main.py already held the script (the board is still reset).
UNCHANGED = "unchanged (main.py already held this script; the board was reset)"


# ---- Targets: one board, or a classroom


@dataclass(frozen=True)
class FlashTarget:
    """One board to flash: its serial port, its drive, or both (then serial is tried first)."""

    port: str | None = None
    drive: Path | None = None
    serial_number: str | None = None

    @property
    def label(self) -> str:
        return self.port or str(self.drive)


@dataclass(frozen=True)
class FlashResult:
    target: FlashTarget
    ok: bool
    method: str  # "serial", "drive" or "" when nothing was attempted
    message: str  # "ok" (maybe with a note), UNCHANGED, or why it failed


OpenBoard = Callable[[str], "Board"]


def _open_board(port: str) -> Board:
    from presenter.device import Board

    return Board.open(port)


def flash_target(
    target: FlashTarget,
    script: bytes,
    progress: Progress | None = None,
    open_board: OpenBoard = _open_board,
) -> FlashResult:
    """Flash one board, choosing serial if MicroPython answers there, else its drive.

    Never raises for a board problem: the result carries the reason, so one broken board
    in a classroom run cannot stop the others.
    """
    try:
        script = prepare_script(script)
    except FlashError as exc:
        return FlashResult(target, False, "", str(exc))
    serial_error: str | None = None
    if target.port:
        notices: list[str] = []
        try:
            with open_board(target.port) as board:
                changed = flash_over_serial(board, script, progress, notices.append)
            message = "ok" if changed else UNCHANGED
            if notices:
                message += f" ({'; '.join(notices)})"
            return FlashResult(target, True, "serial", message)
        except (DeviceError, OSError) as exc:
            # Not MicroPython, not answering, or too little room: the drive (if this board
            # has one) still works, because the .hex replaces everything.
            serial_error = str(exc) or exc.__class__.__name__
            if target.drive is None:
                if isinstance(exc, NoResponse):
                    serial_error += (" If it does not run MicroPython yet, copy the .hex to its "
                                     "drive: presenter flash --drive <MICROBIT drive> FILE.")
                return FlashResult(target, False, "serial", serial_error)
    if target.drive is None:
        return FlashResult(target, False, "", "no port or drive given")
    try:
        copy_hex(build_hex(script), target.drive)
    except (DeviceError, OSError) as exc:
        message = str(exc)
        if serial_error:
            message = f"serial: {serial_error}; drive: {message}"
        return FlashResult(target, False, "drive", message)
    return FlashResult(target, True, "drive", "ok")


def merge_targets(
    ports: Iterable[tuple[str, str | None]], drives: Iterable[Path]
) -> list[FlashTarget]:
    """One target per board from ``(port, serial_number)`` pairs and drive paths.

    A real micro:bit shows up twice (serial port and MICROBIT drive); DETAILS.TXT's Unique
    ID equals the port's serial number, so those pairs become one target with both.
    A port or drive listed twice becomes one target.
    """
    targets: list[FlashTarget] = []
    by_serial: dict[str, int] = {}
    seen_ports: set[str] = set()
    seen_drives: set[str] = set()
    for port, serial in ports:
        # The same board named twice (a repeated --port, a symlink such as
        # /dev/serial/by-id/...) is flashed once: two writers on one port would collide.
        key = os.path.realpath(port)
        if key in seen_ports:
            continue
        seen_ports.add(key)
        if serial:
            by_serial[serial.upper()] = len(targets)
        targets.append(FlashTarget(port=port, serial_number=serial))
    for drive in drives:
        key = os.path.realpath(drive)
        if key in seen_drives:
            continue
        seen_drives.add(key)
        serial = drive_serial_number(drive)
        if serial and serial in by_serial:
            index = by_serial[serial]
            existing = targets[index]
            targets[index] = FlashTarget(existing.port, Path(drive), existing.serial_number)
        else:
            targets.append(FlashTarget(drive=Path(drive), serial_number=serial))
    return targets


def flash_many(
    targets: Sequence[FlashTarget],
    script: bytes,
    on_result: Callable[[FlashResult], None] | None = None,
    open_board: OpenBoard = _open_board,
) -> list[FlashResult]:
    """Flash every target at once (one thread each) and return the results in target order.

    ``on_result`` is called as each board finishes (from its worker thread, serialised by
    a lock), so a classroom run shows progress instead of 30 silent boards.
    The size check runs first: a too-large script is refused before any board is touched.
    """
    script = prepare_script(script)
    if not targets:
        return []
    if any(t.drive for t in targets):
        build_hex(script)  # import uflash once, before the threads race to do it
    lock = threading.Lock()

    def work(target: FlashTarget) -> FlashResult:
        try:
            result = flash_target(target, script, None, open_board)
        except Exception as exc:  # a bug must not hide the other boards' results
            result = FlashResult(target, False, "", f"unexpected error: {exc!r}")
        if on_result is not None:
            with lock:
                on_result(result)
        return result

    with ThreadPoolExecutor(max_workers=min(len(targets), 64)) as pool:
        return list(pool.map(work, targets))
