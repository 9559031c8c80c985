"""Which boards the ESP32 mode opens, and with which engine profile. No Qt: testable alone.

ESP32 dev boards reach USB through a bridge chip whose DTR/RTS lines drive the chip's EN
(reset) and IO0 (boot mode) pins. Presenter's engine already lists these bridges (its
``usb-uart`` profile, ``BoardInfo.kind == "usb-uart"``); this plugin opens them with a profile
that has ``auto_reset=True``, so the engine opens the port without resetting the chip and
``Board.hard_reset`` pulses EN (``presenter.device.lines`` documents the line sequence).
"""

from __future__ import annotations

from dataclasses import replace

from presenter.device import PROFILES, BoardInfo, BoardProfile

#: USB ids of the bridges on ESP32 dev boards, with the name printed on the chip.
BRIDGES: dict[tuple[int, int], str] = {
    (0x10C4, 0xEA60): "CP210x",  # Silicon Labs CP2102/CP2104: DevKitC, NodeMCU-32S
    (0x1A86, 0x7523): "CH340",  # WCH CH340: many low-cost boards
    (0x1A86, 0x55D4): "CH9102",  # WCH CH9102F: newer DevKit clones
    (0x0403, 0x6001): "FT232R",  # FTDI
    (0x0403, 0x6015): "FT231X",  # FTDI
}

#: The engine's USB-UART profile (its pacing and reset line), with the auto-reset circuit
#: declared: opening then holds DTR and RTS so the running program is left alone.
BRIDGE_PROFILE: BoardProfile = replace(
    PROFILES["usb-uart"],
    id="esp32-bridge",
    name="ESP32 behind a USB-serial bridge",
    kind="esp32",
    usb_ids=tuple(BRIDGES),
    auto_reset=True,
    reset_by_rts=True,
)

def profile_for(info: BoardInfo) -> BoardProfile | None:
    """The profile to open ``info`` with; None lets the engine choose from the USB ids.

    Bridges get ``BRIDGE_PROFILE``, and so does a port given by hand (``kind == "unknown"``:
    in this mode it is an ESP32 behind a bridge the engine does not list, or behind
    ``rfc2217://``). Boards with native USB (ESP32-S2/S3, pyboard) have no auto-reset
    circuit and keep the engine's profile, which asserts DTR as their USB serial expects.
    """
    if info.kind in ("usb-uart", "unknown"):
        return BRIDGE_PROFILE
    return None


def bridge_name(info: BoardInfo) -> str | None:
    """"CP210x", "CH340"...: the bridge chip of a listed board, if it is one of ours."""
    if info.vid is None or info.pid is None:
        return None
    return BRIDGES.get((info.vid, info.pid))
