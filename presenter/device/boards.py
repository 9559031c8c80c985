"""Board profiles as data: USB ids, how to submit code, pacing, DTR.

Boards differ in numbers, not in behaviour, so one table describes them all. Tests loop over
it, ``ports.py`` classifies USB devices with it and ``repl.py`` reads its pacing from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BoardProfile:
    """How to talk to one family of boards.

    ``write_chunk`` bytes are written, then the writer waits so the average rate stays at or
    under ``write_rate`` bytes/s (0 = no pacing).  micro:bit V1 silently drops bytes beyond its
    64-byte receive buffer, so it needs pacing; raw-paste boards are flow controlled by the
    device itself.  ``max_submission`` caps one raw-REPL exec (V1 hangs on big ones).
    ``run_submission`` is the most a user program may take as one classic raw-REPL submission
    on a freshly soft-reset board: the raw REPL buffers it whole and a V1 stops answering for
    good when that buffer cannot grow (see program.py); larger programs are sent stripped or
    in pieces.

    ``dtr``/``rts``: the line states asked for before the port opens (None: pyserial's
    default, asserted). ``auto_reset``: DTR and RTS drive the chip's IO0 and EN through the
    ESP32/ESP8266 dev-board auto-reset circuit; the port is then opened so that a running
    program is not reset (``lines.py`` says which lines are held, in what order, and why)
    and ``dtr``/``rts`` are not used. Set ``reset_by_rts`` too for the reset line.
    """

    id: str
    name: str
    kind: str
    usb_ids: tuple[tuple[int, int], ...] = ()
    serial_prefixes: tuple[str, ...] = ()  # board id in the USB serial number (micro:bit)
    raw_paste: bool = True  # try raw-paste (always probed; False = never try)
    write_chunk: int = 256
    write_rate: int = 0  # bytes per second, 0 = unpaced
    max_submission: int = 4096
    run_submission: int = 16384
    file_chunk: int = 1024  # payload bytes per file-transfer exec (before encoding)
    dtr: bool | None = True
    rts: bool | None = None
    baud: int = 115200
    runs_micropython: bool = True
    reset_by_break: bool = False  # DAPLink resets the target on a serial break
    reset_by_rts: bool = False  # RTS is wired to the chip's reset (EN) line
    auto_reset: bool = False  # DTR/RTS drive IO0/EN (ESP32 dev boards): see lines.py
    paste_inflight_cap: int = 0  # raw-paste: max bytes sent but not yet consumed (0 = window)
    flat_fs: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)


# run_submission: half the 9744 bytes a V1 has free after a soft reset (measured), so the
# buffer can still be copied once while it grows.
_V1_PACING = dict(write_chunk=32, write_rate=7000, max_submission=900, file_chunk=480,
                  run_submission=4800)

PROFILES: dict[str, BoardProfile] = {
    p.id: p
    for p in (
        BoardProfile(
            "microbit-v1", "BBC micro:bit V1", "microbit", ((0x0D28, 0x0204),),
            ("9900", "9901"), raw_paste=False, reset_by_break=True, flat_fs=True, **_V1_PACING,
        ),
        BoardProfile(
            "microbit-v2", "BBC micro:bit V2", "microbit", ((0x0D28, 0x0204),),
            ("9903", "9904", "9905", "9906"), write_chunk=64, write_rate=0,
            max_submission=2048, file_chunk=600, reset_by_break=True, flat_fs=True,
            paste_inflight_cap=128,  # CODAL's RX buffer is 128 B, less than raw-paste's 2*W
        ),
        # Unknown micro:bit board id: be as careful as with a V1.
        BoardProfile(
            "microbit", "BBC micro:bit", "microbit", ((0x0D28, 0x0204),),
            reset_by_break=True, flat_fs=True, **_V1_PACING,
        ),
        BoardProfile(
            "pico", "Raspberry Pi Pico (MicroPython)", "pico", ((0x2E8A, 0x0005),),
            write_chunk=256, max_submission=8192, file_chunk=2048,
        ),
        BoardProfile(
            "pico-bootsel", "Raspberry Pi Pico in BOOTSEL mode", "pico-bootsel",
            ((0x2E8A, 0x0003), (0x2E8A, 0x000F)), runs_micropython=False,
        ),
        BoardProfile(
            "circuitpython", "CircuitPython board", "circuitpython",
            ((0x239A, 0x80F4), (0x239A, 0x8120), (0x2E8A, 0x000B)),
        ),
        BoardProfile(
            "pyboard", "MicroPython board", "micropython", ((0xF055, 0x9800), (0x1209, 0xADDA)),
        ),
        BoardProfile(
            "esp32-usb", "ESP32 (native USB)", "esp32", ((0x303A, 0x1001), (0x303A, 0x4001)),
            dtr=None, rts=None,
        ),
        # USB-UART bridges: usually an ESP32/ESP8266. Never touch DTR/RTS: they are wired to
        # reset/boot-mode on most such boards.
        BoardProfile(
            "usb-uart", "USB serial adapter (ESP32/ESP8266?)", "usb-uart",
            (
                (0x10C4, 0xEA60), (0x1A86, 0x7523), (0x1A86, 0x5523), (0x1A86, 0x55D4),
                (0x0403, 0x6001), (0x0403, 0x6010), (0x0403, 0x6011), (0x0403, 0x6014),
                (0x0403, 0x6015), (0x0403, 0x601C),
            ),
            dtr=None, rts=None, write_chunk=128, write_rate=8000, max_submission=2048,
            file_chunk=512, reset_by_rts=True,
        ),
        # A port given by hand (or a pty): assume modern MicroPython; raw-paste is probed and
        # the classic fallback is paced like a V1 so nothing is lost either way.
        BoardProfile(
            "generic", "MicroPython board", "micropython", **_V1_PACING,
        ),
    )
}


def profile_for_usb(vid: int | None, pid: int | None, serial_number: str | None) -> BoardProfile | None:
    """The profile matching a USB device, or None when it is not a board we know."""
    if vid is None or pid is None:
        return None
    candidates = [p for p in PROFILES.values() if (vid, pid) in p.usb_ids]
    if not candidates:
        return None
    serial = (serial_number or "").upper()
    for p in candidates:
        if p.serial_prefixes and serial[:4] in p.serial_prefixes:
            return p
    for p in candidates:
        if not p.serial_prefixes:
            return p
    return candidates[0]


def check_profiles_unique() -> list[str]:
    """Problems in the table (two profiles claiming one USB id + serial prefix); [] when fine."""
    seen: dict[tuple, str] = {}
    problems = []
    for p in PROFILES.values():
        for ids in p.usb_ids:
            for prefix in p.serial_prefixes or ("",):
                key = (ids, prefix)
                if key in seen:
                    problems.append(f"{p.id} and {seen[key]} both claim {ids} {prefix!r}")
                seen[key] = p.id
    return problems
