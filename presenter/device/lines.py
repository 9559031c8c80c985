"""DTR and RTS on boards whose USB-serial bridge can reset the chip: open without a reset.

ESP32 and ESP8266 development boards put a USB-serial bridge (CP210x, CH340, CH9102, FTDI)
between USB and the chip, and wire two of its modem lines to the chip through the two-
transistor "auto-reset" circuit esptool uses to flash them:

    DTR released, RTS asserted  ->  EN low: the chip is held in reset
    DTR asserted, RTS released  ->  IO0 low: download mode if the chip starts right now
    both the same               ->  neither: the chip runs

(asserted = "on", pyserial's ``True``, a low level on the bridge's pin). So a program already
running on the board survives opening and closing the port only if DTR/RTS never pass through
"DTR released, RTS asserted" on the way. What the host does when a port opens decides how:

* Linux and macOS assert DTR and RTS together as the tty opens (the kernel's
  ``tty_port_raise_dtr_rts``, one request to the bridge), before pyserial runs. pyserial then
  sets the DTR, then the RTS it was asked for. Asking for both released (``dtr=False,
  rts=False``, the usual advice) therefore releases DTR first and resets the chip
  (espressif/esp-idf#14714), so we ask for both asserted: pyserial's writes change nothing.
* Windows leaves both released until a program sets them, and the bridge drivers may apply
  DTR and RTS from one ``SetCommState`` in either order (mpremote's note on CP210x), so there
  we ask for both released: opening changes nothing at all.
* Over RFC 2217 (``rfc2217://``, a board behind ser2net) pyserial sends DTR, then RTS, each
  acknowledged: the POSIX plan, which is safe from any idle state of the remote lines.

Once open, RTS is released, then DTR (a change RTS-first is safe from both-asserted; DTR-first
is not): both stay released while Presenter holds the port, the circuit's idle state, which
also lets a board with RTS wired straight to EN run. Closing then changes nothing either (the
kernel's hang-up releases both lines; they already are). This is the order Espressif's own
monitor uses (esp-idf-monitor: both asserted before open, RTS then DTR released after).

A reset on purpose is ``Transport.pulse_reset_line``: RTS asserted with DTR released for
0.1 s, as esptool's hard reset does; EN rises with IO0 high, so the chip boots normally.
"""

from __future__ import annotations

import errno
import os

# (DTR, RTS) asked of pyserial before it opens the port, by where the port is.
_BEFORE_OPEN_POSIX = (True, True)
_BEFORE_OPEN_WINDOWS = (False, False)


def before_open(ser, port: str, platform: str = os.name) -> None:
    """Ask for the DTR/RTS state the host already has at open, so opening changes nothing."""
    native_windows = platform == "nt" and "://" not in port
    ser.dtr, ser.rts = _BEFORE_OPEN_WINDOWS if native_windows else _BEFORE_OPEN_POSIX


def after_open(ser) -> None:
    """Release RTS, then DTR: both idle, never EN low. A port without lines (a pty) is fine."""
    for line in ("rts", "dtr"):
        try:
            setattr(ser, line, False)
        except OSError as exc:
            if exc.errno not in (errno.ENOTTY, errno.EINVAL):
                raise
            return  # no modem lines at all: nothing to hold

