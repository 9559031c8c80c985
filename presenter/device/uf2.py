"""Install MicroPython on a Raspberry Pi Pico: copy a .uf2 to its BOOTSEL drive, checked first.

In BOOTSEL mode (the button held while plugging in) an RP2040 or RP2350 shows up as a USB
drive, ``RPI-RP2`` or ``RP2350``; copying a UF2 file there writes it to flash and the chip
reboots into it. The bootrom silently ignores blocks that are not for its chip, so a wrong
file "copies fine" and then nothing happens: the check here comes first and says why.

UF2 (https://github.com/microsoft/uf2): 512-byte blocks, each with two start magics, flags,
an address, the payload size, the block number and count, a family ID when flag 0x2000 is
set, 476 bytes of data and an end magic. The family IDs below are the ones the RP2350
datasheet lists for its bootrom (section 5.5.3); the RP2040 bootrom takes only its own.

No Qt, no printing: problems are raised as Uf2Error with a sentence to show as it is.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from presenter.device.errors import DeviceError
from presenter.device.flash import find_drives

BLOCK = 512
MAGIC_START0 = 0x0A324655  # "UF2\n"
MAGIC_START1 = 0x9E5D5157
MAGIC_END = 0x0AB16F30
FLAG_FAMILY_ID = 0x00002000
FLAG_NOT_MAIN_FLASH = 0x00000001

RP2040 = 0xE48BFF56
ABSOLUTE = 0xE48BFF57  # RP2350: written to flash as is, ignoring partitions
DATA = 0xE48BFF58  # RP2350: data, not a program
RP2350_ARM_S = 0xE48BFF59
RP2350_RISCV = 0xE48BFF5A
RP2350_ARM_NS = 0xE48BFF5B

#: Family IDs that make a file a program for each chip (what the bootrom boots).
PROGRAM_FAMILIES: dict[str, frozenset[int]] = {
    "RP2040": frozenset({RP2040}),
    "RP2350": frozenset({RP2350_ARM_S, RP2350_RISCV, RP2350_ARM_NS, ABSOLUTE}),
}
CHIP_BOARDS = {"RP2040": "Raspberry Pi Pico (RP2040)", "RP2350": "Raspberry Pi Pico 2 (RP2350)"}

#: Drive names in BOOTSEL mode (the label of the USB drive).
BOOTSEL_NAME = re.compile(r"^(RPI-RP2|RP2350)(?: ?\d+)?$")

#: Two lines for anyone who has not met BOOTSEL mode yet.
BOOTSEL_GUIDANCE = (
    "Unplug the Pico, hold its BOOTSEL button while plugging it in again, then let go: "
    "a drive named RPI-RP2 (Pico 2: RP2350) appears.",
    "A Pico already running MicroPython can also restart into BOOTSEL: type "
    "import machine; machine.bootloader() at its >>> prompt.",
)


class Uf2Error(DeviceError):
    """The file is not a UF2 for this chip, or copying it failed; the message says which."""


@dataclass(frozen=True)
class BootselDrive:
    path: Path
    chip: str  # "RP2040" | "RP2350"


def families(data: bytes, name: str = "the file") -> set[int]:
    """The family IDs in a UF2 image; raises Uf2Error when ``data`` is not UF2 at all."""
    if not data or len(data) % BLOCK:
        raise Uf2Error(f"{name} is not a UF2 firmware file (its size, {len(data)} bytes, is "
                       f"not a whole number of {BLOCK}-byte blocks).")
    found: set[int] = set()
    for offset in range(0, len(data), BLOCK):
        start0, start1, flags, _addr, _size, _no, _count, family = struct.unpack_from(
            "<8I", data, offset)
        (end,) = struct.unpack_from("<I", data, offset + BLOCK - 4)
        if (start0, start1, end) != (MAGIC_START0, MAGIC_START1, MAGIC_END):
            raise Uf2Error(f"{name} is not a UF2 firmware file (block {offset // BLOCK} has no "
                           "UF2 markers). Download MicroPython's .uf2 for your board from "
                           "micropython.org/download.")
        if flags & FLAG_NOT_MAIN_FLASH:
            continue
        if flags & FLAG_FAMILY_ID:
            found.add(family)
    return found


def chip_of(ids: set[int]) -> str | None:
    """Which chip a set of family IDs is a program for (None: neither, or only "absolute")."""
    if RP2040 in ids:
        return "RP2040"
    if ids & {RP2350_ARM_S, RP2350_RISCV, RP2350_ARM_NS}:
        return "RP2350"
    return None


def check_for_chip(data: bytes, chip: str, name: str = "the file") -> None:
    """Refuse (Uf2Error) a file that is not UF2, or whose family ID does not fit ``chip``."""
    ids = families(data, name)
    if ids & PROGRAM_FAMILIES[chip]:
        return
    made_for = chip_of(ids)
    if made_for is not None:
        raise Uf2Error(f"{name} is MicroPython for the {CHIP_BOARDS[made_for]}, but the drive "
                       f"is a {CHIP_BOARDS[chip]}: download the .uf2 made for the {chip}.")
    listed = ", ".join(f"0x{i:08x}" for i in sorted(ids)) or "none"
    raise Uf2Error(f"{name} is not a program for the {CHIP_BOARDS[chip]} (its UF2 family IDs: "
                   f"{listed}): download the .uf2 made for the {chip}.")


def chip_of_drive(drive: Path) -> str:
    """RP2040 or RP2350, from INFO_UF2.TXT ("Board-ID: RPI-RP2" / "RP2350"), else the label."""
    try:
        info = (Path(drive) / "INFO_UF2.TXT").read_text(encoding="ascii", errors="replace")
    except OSError:
        info = ""
    if "RP2350" in info or (not info and Path(drive).name.startswith("RP2350")):
        return "RP2350"
    return "RP2040"


def find_bootsel_drives() -> list[BootselDrive]:
    """Every mounted Pico in BOOTSEL mode (possibly none)."""
    return [BootselDrive(d, chip_of_drive(d)) for d in find_drives(BOOTSEL_NAME)]


def install(
    uf2: Path,
    drive: BootselDrive,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 64 * 1024,
) -> None:
    """Check ``uf2`` against the drive's chip, then copy it there (flushed and fsynced).

    The chip reboots into the new firmware once the last block is written, and the drive
    disappears; the serial port of MicroPython appears a second or two later.
    """
    name = Path(uf2).name
    try:
        data = Path(uf2).read_bytes()
    except OSError as exc:
        raise Uf2Error(f"Could not read {name}: {exc.strerror or exc}.") from exc
    check_for_chip(data, drive.chip, name)
    target = Path(drive.path) / name
    try:
        with open(target, "wb") as handle:
            for start in range(0, len(data), chunk):
                handle.write(data[start:start + chunk])
                if progress is not None:
                    progress(min(start + chunk, len(data)), len(data))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        # The bootrom reboots as soon as it has the last block, which can make the final
        # flush fail although the copy succeeded: complain only if the drive is still there.
        if Path(drive.path).is_dir():
            raise Uf2Error(f"Could not copy {name} to {drive.path}: {exc.strerror or exc}. "
                           "Unplug the Pico, enter BOOTSEL mode again and retry.") from exc
