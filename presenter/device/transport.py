"""The serial link: open with helpful errors, a reader thread, locked paced writes, deadlines.

One reader thread owns ``serial.read`` and appends to a buffer, so no byte is lost while the
protocol layer is busy, and an unplug is noticed (and every waiter woken) within one read
timeout.  Writes go through one lock, so ``interrupt()`` from another thread can never land in
the middle of a paced chunk.  Every read has a deadline; a timeout raises NoResponse carrying
what did arrive and naming the port.

Pacing is a property of the link, not of one write: a micro:bit V1 drains its 64-byte receive
buffer at a fixed rate whether the bytes came in one write or in twenty one-line writes, so the
transport remembers when the board will have consumed what was sent (``_paced_until``) and
every paced write waits for that, however the caller splits its data.
"""

from __future__ import annotations

import errno
import os
import re
import threading
import time
from collections.abc import Callable, Sequence

import serial

try:  # pyserial's flush on POSIX is termios.tcdrain: a vanished tty raises termios.error
    from termios import error as _TtyError
except ImportError:  # pragma: no cover - Windows
    _TtyError = OSError

from presenter.device import lines
from presenter.device.errors import (
    DeviceError,
    Disconnected,
    NoResponse,
    PermissionDenied,
    PortBusy,
    PortNotFound,
)


class WriteCancelled(Exception):
    """A paced write stopped early because its ``cancel`` callback said so."""


_READ_POLL = 0.05  # reader thread's blocking read timeout: bounds unplug detection latency
_BUFFER_CAP = 1 << 20  # unread bytes kept while nobody reads (board printing, nobody watching)


def open_serial(port: str, baud: int = 115200, dtr: bool | None = True, rts: bool | None = None,
                auto_reset: bool = False):
    """Open ``port`` exclusively, turning OS errors into DeviceErrors a teacher can act on.

    ``port`` may also be a pyserial URL such as ``rfc2217://host:4000`` (a board behind
    ser2net, as mpremote and pyboard.py allow); RFC 2217 carries the serial break and the
    DTR/RTS lines, which a pty cannot. ``auto_reset``: the board's DTR/RTS drive its reset
    circuit, so ``dtr``/``rts`` are replaced by the sequence in ``lines.py`` (no reset).
    """
    try:
        ser = serial.serial_for_url(port, do_not_open=True)
    except (ValueError, serial.SerialException) as exc:  # an unknown URL scheme
        raise PortNotFound(f"{port} is not a serial port or a port URL pyserial knows: {exc}.",
                           port) from exc
    ser.baudrate = baud
    ser.timeout = _READ_POLL
    if "://" not in port:  # pyserial's network ports have no write timeout
        ser.write_timeout = 5
    ser.exclusive = True
    if auto_reset:
        lines.before_open(ser, port)
    else:
        if dtr is not None:
            ser.dtr = dtr
        if rts is not None:
            ser.rts = rts
    try:
        ser.open()
        if auto_reset:
            lines.after_open(ser)
    except (serial.SerialException, OSError) as exc:
        if ser.is_open:
            ser.close()
        raise _open_error(port, exc) from exc
    return ser


def _open_error(port: str, exc: Exception, platform: str = os.name) -> DeviceError:
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code == errno.ENOTTY or "Inappropriate ioctl" in text or code == errno.EISDIR:
        # /dev/null, a regular file, a folder: opened fine, but it has no serial settings.
        return PortNotFound(
            f"{port} is not a serial port: give the board's port (for example /dev/ttyACM0, "
            "or COM3 on Windows); `presenter devices` lists the boards it finds.",
            port,
        )
    windows_busy = platform == "nt" and ("Access is denied" in text or "PermissionError" in text)
    if code == errno.ENOENT or "No such file" in text or "FileNotFoundError" in text:
        return PortNotFound(
            f"Port {port} does not exist: check the cable and that the board is plugged in.",
            port,
        )
    if windows_busy:  # Windows says "access denied" when another program has the port
        code = errno.EBUSY
    elif code == errno.EACCES or "Permission denied" in text or "PermissionError" in text:
        return PermissionDenied(
            f"Permission denied opening {port}: add yourself to the dialout group with "
            "`sudo usermod -a -G dialout $USER`, then log out and back in.",
            port,
        )
    if code == errno.EBUSY or "exclusively lock" in text or "busy" in text.lower():
        return PortBusy(
            f"Port {port} is in use by another program (another editor, a terminal, "
            "Thonny or Mu?): close it and try again.",
            port,
        )
    return Disconnected(f"Could not open {port}: {text}", port)


class Transport:
    """A connected serial port with a background reader."""

    def __init__(self, ser, port: str) -> None:
        self.port = port
        self._ser = ser
        self._buf = bytearray()
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()
        self._listener: Callable[[bytes], None] | None = None
        self._closed = False
        self._paced_until = 0.0  # monotonic time by which the board has consumed paced bytes
        self.disconnected = False
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._reader, name=f"serial-reader {port}", daemon=True)
        self._thread.start()

    @classmethod
    def open(cls, port: str, baud: int = 115200, dtr: bool | None = True, rts: bool | None = None,
             auto_reset: bool = False) -> Transport:
        return cls(open_serial(port, baud, dtr, rts, auto_reset), port)

    # -- reader side -----------------------------------------------------------------------
    def _reader(self) -> None:
        ser = self._ser
        while not self._closed:
            try:
                data = ser.read(max(1, ser.in_waiting))
            except Exception as exc:  # SerialException, OSError(EIO), TypeError on close race
                if not self._closed:
                    self.error = exc
                break
            if not data:
                continue
            with self._cond:
                listener = self._listener
                if listener is None:
                    self._buf.extend(data)
                    if len(self._buf) > _BUFFER_CAP:
                        del self._buf[: len(self._buf) - _BUFFER_CAP // 2]
                    self._cond.notify_all()
            if listener is not None:
                try:
                    listener(data)
                except Exception:  # a broken callback must not kill the reader
                    pass
        with self._cond:
            self.disconnected = True
            self._cond.notify_all()

    def set_listener(self, listener: Callable[[bytes], None] | None) -> None:
        """Send incoming bytes to ``listener`` (terminal mode) instead of the buffer."""
        with self._cond:
            pending = bytes(self._buf)
            self._buf.clear()
            self._listener = listener
        if listener is not None and pending:
            listener(pending)

    def _check(self) -> None:
        if self.disconnected:
            raise Disconnected(
                f"The board on {self.port} was disconnected (unplugged or reset): "
                "plug it in again and reconnect.",
                self.port,
            )

    def read_until(
        self,
        patterns: Sequence[bytes | re.Pattern],
        timeout: float | None,
        what: str = "a reply",
    ) -> tuple[bytes, int]:
        """Consume and return data up to and including the first pattern found.

        Returns (data, index of the pattern that matched).  ``timeout`` None waits forever
        (a user program may run for hours) but still wakes on disconnect.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                best = None
                for i, pat in enumerate(patterns):
                    if isinstance(pat, bytes):
                        pos = self._buf.find(pat)
                        if pos >= 0:
                            end = pos + len(pat)
                            if best is None or end < best[0]:
                                best = (end, i)
                    else:
                        m = pat.search(self._buf)
                        if m and (best is None or m.end() < best[0]):
                            best = (m.end(), i)
                if best is not None:
                    data = bytes(self._buf[: best[0]])
                    del self._buf[: best[0]]
                    return data, best[1]
                self._check()
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    got = bytes(self._buf)
                    raise NoResponse(
                        f"The board on {self.port} did not answer with {what} within "
                        f"{timeout:.1f} s (got {got[-80:]!r}): press its reset button or replug it.",
                        self.port,
                        got,
                    )
                self._cond.wait(remaining if remaining is not None else 0.5)

    def read_exact(self, n: int, timeout: float, what: str = "a reply") -> bytes:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._buf) < n:
                self._check()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    got = bytes(self._buf)
                    raise NoResponse(
                        f"The board on {self.port} did not answer with {what} within "
                        f"{timeout:.1f} s (got {got!r}).",
                        self.port,
                        got,
                    )
                self._cond.wait(remaining)
            data = bytes(self._buf[:n])
            del self._buf[:n]
            return data

    def read_some(self, timeout: float | None) -> bytes:
        """Whatever has arrived, waiting up to ``timeout`` for at least one byte (b"" if none)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self._buf:
                self._check()
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return b""
                self._cond.wait(remaining if remaining is not None else 0.5)
            data = bytes(self._buf)
            self._buf.clear()
            return data

    def peek(self) -> bytes:
        with self._cond:
            return bytes(self._buf)

    def unread(self, data: bytes) -> None:
        """Put bytes back at the front of the buffer (the parser read a little too far)."""
        if data:
            with self._cond:
                self._buf[:0] = data

    def drain(self, quiet: float = 0.15, max_time: float = 3.0) -> bytes:
        """Discard input until the line has been quiet for ``quiet`` s (or ``max_time`` passed)."""
        got = bytearray()
        end = time.monotonic() + max_time
        while time.monotonic() < end:
            chunk = self.read_some(min(quiet, max(0.0, end - time.monotonic())))
            if not chunk:
                break
            got.extend(chunk)
        return bytes(got)

    # -- writer side -----------------------------------------------------------------------
    def write(
        self, data: bytes, chunk: int = 0, rate: int = 0, cancel: Callable[[], bool] | None = None
    ) -> None:
        """Write under the lock; with ``chunk``/``rate``, pace so the average stays <= rate B/s.

        ``cancel`` is polled between paced chunks; when it returns True the write stops and
        raises WriteCancelled (the lock is released, so the caller can send Ctrl-C).
        """
        with self._write_lock:
            self._write_locked(data, chunk, rate, cancel)

    def _write_locked(self, data: bytes, chunk: int = 0, rate: int = 0, cancel=None) -> None:
        self._check()
        try:
            if not chunk or not rate:
                self._ser.write(data)
                return
            for i in range(0, len(data), chunk):
                piece = data[i : i + chunk]
                # Wait until the board has consumed what it was sent, by this write or an
                # earlier one (a line typed a moment ago counts too).
                delay = self._paced_until - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                if cancel is not None and cancel():
                    raise WriteCancelled()
                self._ser.write(piece)
                self._ser.flush()
                self._paced_until = max(self._paced_until, time.monotonic()) + len(piece) / rate
                if self.disconnected:
                    self._check()
        except serial.SerialTimeoutException as exc:
            raise NoResponse(
                f"The board on {self.port} stopped accepting data (write timed out): press its "
                "reset button or replug it.",
                self.port,
            ) from exc
        except (serial.SerialException, OSError, _TtyError) as exc:
            self.disconnected = True
            raise Disconnected(
                f"The board on {self.port} was disconnected while sending: plug it in again "
                "and reconnect.",
                self.port,
            ) from exc

    @property
    def write_lock(self) -> threading.Lock:
        """Held by callers that must send several pieces without an interrupt in between."""
        return self._write_lock

    def send_break(self, duration: float = 0.25) -> bool:
        """Hold the line in break for ``duration`` s (DAPLink resets the micro:bit on it).

        False when the port cannot send one at all.  A pty accepts the request and does
        nothing, so True only means "sent": the caller watches for the board's restart.
        """
        with self._write_lock:
            try:
                self._ser.send_break(duration)
            except (serial.SerialException, OSError, ValueError, NotImplementedError):
                return False
            return True

    def pulse_reset_line(self) -> bool:
        """RTS asserted for 0.1 s with DTR released: the EN (reset) line on ESP32-style boards.

        This is the auto-reset wiring esptool documents (RTS drives EN, DTR drives GPIO0;
        DTR stays released so the chip boots normally; see ``lines.py``).  Both lines are
        released afterwards.  False when the port has no lines.
        """
        with self._write_lock:
            try:
                self._ser.dtr = False
                self._ser.rts = True
                time.sleep(0.1)
                self._ser.rts = False
            except (serial.SerialException, OSError, ValueError, NotImplementedError):
                return False
            return True

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._ser.cancel_read()
        except Exception:
            pass
        self._thread.join(timeout=1.0)
        try:
            self._ser.close()
        except Exception:
            pass
        with self._cond:
            self.disconnected = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed
