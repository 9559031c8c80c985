"""Install MicroPython on a Pico: a .uf2 is checked against the BOOTSEL drive's chip first.

The bootrom ignores blocks that are not for its chip, so a wrong file "copies fine" and then
nothing happens; these tests pin the refusals and their words. UF2 images are built here
block by block, as the format (github.com/microsoft/uf2) lays them out.
"""

from __future__ import annotations

import struct

import pytest

from presenter.device import flash, uf2


def image(*families: int, blocks: int = 3, flags: int = 0x2000) -> bytes:
    """A UF2 image with ``blocks`` blocks per family ID."""
    data = bytearray()
    total = blocks * len(families)
    for n, family in enumerate(f for f in families for _ in range(blocks)):
        head = struct.pack("<8I", uf2.MAGIC_START0, uf2.MAGIC_START1, flags,
                           0x10000000 + 256 * n, 256, n, total, family)
        data += head + bytes([n % 256]) * 476 + struct.pack("<I", uf2.MAGIC_END)
    return bytes(data)


def drive(tmp_path, name: str, board_id: str | None) -> uf2.BootselDrive:
    folder = tmp_path / name
    folder.mkdir()
    if board_id is not None:
        (folder / "INFO_UF2.TXT").write_text(f"UF2 Bootloader v3.0\nBoard-ID: {board_id}\n")
    return uf2.BootselDrive(folder, uf2.chip_of_drive(folder))


def test_the_family_ids_of_a_uf2_image_are_read():
    assert uf2.families(image(uf2.RP2040)) == {uf2.RP2040}
    assert uf2.families(image(uf2.ABSOLUTE, uf2.RP2350_ARM_S)) == {uf2.ABSOLUTE, uf2.RP2350_ARM_S}
    assert uf2.families(image(uf2.RP2040, flags=0)) == set()  # no family flag: no ID


@pytest.mark.parametrize("data", [b"", b"not uf2 at all", bytes(512), image(uf2.RP2040)[:-1]])
def test_what_is_not_uf2_is_refused_with_the_reason(data):
    with pytest.raises(uf2.Uf2Error, match="is not a UF2 firmware file"):
        uf2.families(data, "firmware.uf2")


@pytest.mark.parametrize(("families", "chip"), [
    ((uf2.RP2040,), "RP2040"),
    ((uf2.ABSOLUTE, uf2.RP2350_ARM_S), "RP2350"),  # what MicroPython builds for the Pico 2
    ((uf2.RP2350_RISCV,), "RP2350"),
])
def test_a_file_for_the_chip_is_accepted(families, chip):
    uf2.check_for_chip(image(*families), chip)


def test_an_rp2040_image_is_refused_on_an_rp2350_and_says_which_file_to_get():
    with pytest.raises(uf2.Uf2Error) as caught:
        uf2.check_for_chip(image(uf2.RP2040), "RP2350", "RPI_PICO.uf2")
    assert str(caught.value) == (
        "RPI_PICO.uf2 is MicroPython for the Raspberry Pi Pico (RP2040), but the drive is a "
        "Raspberry Pi Pico 2 (RP2350): download the .uf2 made for the RP2350.")


def test_an_rp2350_image_is_refused_on_an_rp2040():
    with pytest.raises(uf2.Uf2Error, match="for the Raspberry Pi Pico 2 .RP2350., but the drive"):
        uf2.check_for_chip(image(uf2.ABSOLUTE, uf2.RP2350_ARM_S), "RP2040")


def test_another_boards_uf2_is_refused_naming_its_family():
    with pytest.raises(uf2.Uf2Error, match="0xada52840"):  # an nRF52840 (Adafruit) image
        uf2.check_for_chip(image(0xADA52840), "RP2040")


def test_the_drive_says_which_chip_it_is(tmp_path):
    assert drive(tmp_path, "RPI-RP2", "RPI-RP2").chip == "RP2040"
    assert drive(tmp_path, "RP2350", "RP2350").chip == "RP2350"
    assert drive(tmp_path, "RP2350 1", None).chip == "RP2350"  # no INFO_UF2.TXT: the label


def test_bootsel_drives_are_found_in_the_mount_table():
    mounts = ("/dev/sdb1 /media/ann/RPI-RP2 vfat rw 0 0\n"
              "/dev/sdc1 /media/ann/MICROBIT vfat rw 0 0\n"
              "/dev/sdd1 /media/ann/RP2350 vfat rw 0 0\n")
    found = [p.name for p in flash.drives_from_mounts(mounts, uf2.BOOTSEL_NAME)]
    assert found == ["RPI-RP2", "RP2350"]
    assert [p.name for p in flash.drives_from_mounts(mounts)] == ["MICROBIT"]


def test_install_copies_the_checked_file_with_progress(tmp_path):
    target = drive(tmp_path, "RPI-RP2", "RPI-RP2")
    firmware = tmp_path / "pico.uf2"
    firmware.write_bytes(image(uf2.RP2040, blocks=300))
    reports = []
    uf2.install(firmware, target, lambda done, total: reports.append((done, total)), chunk=65536)
    assert (target.path / "pico.uf2").read_bytes() == firmware.read_bytes()
    assert reports[-1] == (len(firmware.read_bytes()),) * 2 and len(reports) == 3


def test_install_refuses_before_writing_anything(tmp_path):
    target = drive(tmp_path, "RPI-RP2", "RPI-RP2")
    firmware = tmp_path / "pico2.uf2"
    firmware.write_bytes(image(uf2.RP2350_ARM_S))
    with pytest.raises(uf2.Uf2Error):
        uf2.install(firmware, target)
    assert sorted(p.name for p in target.path.iterdir()) == ["INFO_UF2.TXT"]
