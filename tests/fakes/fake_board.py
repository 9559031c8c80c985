"""A fake MicroPython board behind a real pty, faithful at the byte/protocol level.

The engine opens ``board.port`` with pyserial exactly like a real port.  A thread reads the pty
master and implements the friendly REPL, the raw REPL, raw-paste (window accounting), soft
reboot texts and Ctrl-C; submitted code runs in real CPython in a thread, with fake ``os``,
``open`` (in-memory file system), ``time``, ``sys``, ``machine`` and ``input``.

Profiles
- "v1": micro:bit V1 (MicroPython 1.9.2): no raw-paste (the probe resets the raw REPL), a 64-byte
  receive buffer drained at 115200 baud that DROPS bytes when the host writes faster, flat file
  system (os.listdir/size/remove only), no binascii/hashlib, ``soft reboot`` text, sys.exit ends
  with ``\\x04\\x04>``.
- "modern": rp2-like mainline: raw-paste (W=128), nested fs with ilistdir/stat/rename,
  binascii, hashlib, ``MPY: soft reboot``, sys.exit = forced exit + soft reboot + raw banner.

Fault injection: ``emit`` (garbage before the banner), ``silent``, ``disconnect()``,
``swallow_interrupts``, ``hardware_reset()``, ``abort_paste_on_syntax_error``,
``stall_paste(after, seconds)`` (a flash erase: the board stops taking code for a while),
``lose_bytes(where)`` (a V1 that fell behind loses part of a command),
``lose_output_byte(where)`` (a busy host loses a byte of what the board sends), ``starve(s)``
(the fake's own thread gets no CPU for a while, as on a loaded host).

Serial break and DTR/RTS: a pty carries neither (Linux accepts tcsendbreak on one and does
nothing), so ``serve_rfc2217()`` also offers the board as ``rfc2217://127.0.0.1:N`` (RFC 2217,
pyserial's own server side), where a break resets the board as DAPLink does on a micro:bit.

``chip="esp32"``: an ESP32 dev board behind a USB-serial bridge (banner, ``os.uname``, the
ROM's boot text) with the auto-reset circuit on DTR/RTS: RTS asserted with DTR released holds
EN low (the chip stops; ``resets`` counts it), and EN rising boots it (``main.py`` runs), into
download mode if DTR is asserted with RTS released at that moment. ``serve_rfc2217(host=...)``
plays the host's part when the port opens and closes: "posix" asserts both lines together on
open and releases both together on close (Linux's tty open and hang-up), "windows" leaves them
on open and releases DTR, then RTS on close (mpremote's note on Windows drivers).

Like the real firmware: ``input()`` raises EOFError on Ctrl-D at an empty line; on the V1 a
Ctrl-C that arrives while ``input()`` waits stays pending until Enter (the V1's UART read loop
never looks at it); bytes a finished program left unread are read by the REPL next.
"""

from __future__ import annotations

import ast
import ctypes
import hashlib
import os
import queue
import re
import select
import threading
import time
import traceback
import tty
from collections import namedtuple

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
BANNERS = {
    "v1": b"MicroPython v1.9.2-34-gd64154c73 on 2017-09-01; micro:bit v1.0.1 with nRF51822\r\n"
    b'Type "help()" for more information.\r\n',
    "modern": b"MicroPython v1.22.1 on 2024-01-05; Raspberry Pi Pico with RP2040\r\n"
    b'Type "help()" for more information.\r\n',
}
Uname = namedtuple("Uname", "sysname nodename release version machine")
UNAMES = {
    "v1": Uname("microbit", "microbit", "1.0.1", "micro:bit v1.0.1; MicroPython v1.9.2", "micro:bit with nRF51822"),
    "modern": Uname("rp2", "rp2", "1.22.1", "v1.22.1 on 2024-01-05", "Raspberry Pi Pico with RP2040"),
}
# chip -> (banner, uname, sys.platform, what the ROM prints on a normal boot)
CHIPS = {
    "esp32": (
        b"MicroPython v1.22.1 on 2024-01-05; Generic ESP32 module with ESP32\r\n"
        b'Type "help()" for more information.\r\n',
        Uname("esp32", "esp32", "1.22.1", "v1.22.1 on 2024-01-05", "Generic ESP32 module with ESP32"),
        "esp32",
        b"ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"
        b"configsip: 0, SPIWP:0xee\r\nmode:DIO, clock div:2\r\nentry 0x400805e4\r\n",
    ),
}
ESP32_DOWNLOAD_BOOT = (b"ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x3 "
                       b"(DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\nwaiting for download\r\n")
BYTES_LIT = re.compile(rb"b'(?:[^'\\\n]|\\.)*'")


class _Hardreset(BaseException):
    pass


class _FakeFile:
    def __init__(self, fs, path, mode):
        self.fs, self.path, self.mode = fs, path, mode
        self.binary = "b" in mode
        if "w" in mode:
            fs.files[path] = b""
            self.buf = bytearray()
        elif "a" in mode:
            self.buf = bytearray(fs.files.get(path, b""))
        else:
            if path not in fs.files:
                raise OSError(2, "ENOENT")
            self.buf = bytearray(fs.files[path])
        self.pos = 0
        self.writing = "w" in mode or "a" in mode

    def read(self, n=-1):
        limit = self.fs.largest_read
        if limit is not None and (n is None or n < 0 or n > limit):
            raise MemoryError(f"memory allocation failed, allocating {n or 0} bytes")
        end = len(self.buf) if n is None or n < 0 else self.pos + n
        data = bytes(self.buf[self.pos : end])
        self.pos += len(data)
        return data if self.binary else data.decode()

    def readinto(self, buf):
        data = self.read(len(buf)) if self.binary else self.read(len(buf)).encode()
        buf[: len(data)] = data
        return len(data)

    def write(self, data):
        if isinstance(data, str):
            data = data.encode()
        if self.fs.capacity is not None and self.fs.used() + len(data) > self.fs.capacity:
            raise OSError(28, "ENOSPC")
        self.buf.extend(data)
        self.fs.files[self.path] = bytes(self.buf)
        return len(data)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()


class FakeFS:
    def __init__(self, flat: bool, capacity: int | None = None):
        self.flat = flat
        self.files: dict[str, bytes] = {}
        self.dirs: set[str] = {""}
        self.capacity = capacity
        self.uname: Uname | None = None  # what os.uname() says; the board sets it
        # A fragmented heap: a read of more than this many bytes at once is a MemoryError.
        self.largest_read: int | None = None

    def used(self) -> int:
        return sum(len(v) for v in self.files.values())

    def norm(self, p: str) -> str:
        return p.strip("/") if not self.flat else p

    def make_os(self, profile: str):
        fs = self
        ns = {}

        def listdir(p=""):
            p = fs.norm(p)
            names = set()
            for f in list(fs.files) + [d for d in fs.dirs if d]:
                parent, _, name = f.rpartition("/")
                if parent == p:
                    names.add(name)
            return sorted(names)

        def remove(p):
            p = fs.norm(p)
            if p not in fs.files:
                raise OSError(2, "ENOENT")
            del fs.files[p]

        def size(p):
            if p not in fs.files:
                raise OSError(2, "ENOENT")
            return len(fs.files[p])

        uname = self.uname or UNAMES[profile]
        ns.update(listdir=listdir, remove=remove, uname=lambda: uname)
        if profile == "v1":
            ns["size"] = size
        else:

            def stat(p):
                p = fs.norm(p)
                if p in fs.dirs:
                    return (0x4000, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                if p in fs.files:
                    return (0x8000, 0, 0, 0, 0, 0, len(fs.files[p]), 0, 0, 0)
                raise OSError(2, "ENOENT")

            def ilistdir(p=""):
                base = fs.norm(p)
                if base not in fs.dirs:
                    raise OSError(2, "ENOENT")
                for n in listdir(base):
                    full = f"{base}/{n}" if base else n
                    if full in fs.dirs:
                        yield (n, 0x4000, 0, 0)
                    else:
                        yield (n, 0x8000, 0, len(fs.files[full]))

            def mkdir(p):
                p = fs.norm(p)
                if p in fs.dirs or p in fs.files:
                    raise OSError(17, "EEXIST")
                fs.dirs.add(p)

            def rmdir(p):
                p = fs.norm(p)
                if p not in fs.dirs:
                    raise OSError(2, "ENOENT")
                if listdir(p):
                    raise OSError(39, "ENOTEMPTY")
                fs.dirs.discard(p)

            def rename(a, b):
                a, b = fs.norm(a), fs.norm(b)
                if a not in fs.files:
                    raise OSError(2, "ENOENT")
                fs.files[b] = fs.files.pop(a)

            ns.update(stat=stat, ilistdir=ilistdir, mkdir=mkdir, rmdir=rmdir, rename=rename)
        return type("os", (), {k: staticmethod(v) for k, v in ns.items()})


class _LineState:
    """The serial-port side pyserial's RFC 2217 PortManager drives: settings and control lines."""

    def __init__(self, board: FakeBoard) -> None:
        self.board = board
        self.baudrate, self.bytesize, self.parity, self.stopbits = 115200, 8, "N", 1
        self.rtscts = self.xonxoff = False
        self.cts = self.dsr = self.ri = self.cd = False
        self._break = False

    @property
    def dtr(self) -> bool:
        return self.board.dtr

    @dtr.setter
    def dtr(self, on: bool) -> None:
        self.board.set_lines(dtr=on)

    @property
    def rts(self) -> bool:
        return self.board.rts

    @rts.setter
    def rts(self, on: bool) -> None:
        self.board.set_lines(rts=on)

    @property
    def break_condition(self) -> bool:
        return self._break

    @break_condition.setter
    def break_condition(self, on: bool) -> None:
        if self._break and not on:  # the end of a break: DAPLink resets the target
            self.board.breaks += 1
            if self.board.reset_on_break:
                threading.Thread(target=self.board.hardware_reset, daemon=True).start()
        self._break = on

    def reset_input_buffer(self) -> None:
        pass

    def reset_output_buffer(self) -> None:
        pass



_COMPOUND = ("if", "while", "for", "try", "with", "def", "class", "async")


def _continues(lines: list[str]) -> bool:
    """Whether the friendly REPL answers with ``... `` rather than running what was typed, as
    MicroPython's repl.c decides: a compound statement (even one complete on one line,
    ``for i in range(3): print(i)``) runs only after an empty line; otherwise an open
    bracket, or a line ending in ``:`` or a backslash, asks for more."""
    first = lines[0].strip()
    word = first.split(None, 1)[0].rstrip(":") if first else ""
    if word in _COMPOUND or first.startswith("@"):
        return True
    text = "\n".join(lines)
    opened = sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")
    return opened > 0 or lines[-1].rstrip().endswith((":", "\\"))


class FakeBoard:
    """Start with ``FakeBoard("v1")``; ``.port`` is the pty path; ``.close()`` stops it."""

    W = 128

    def __init__(self, profile: str = "modern", fs_capacity: int | None = None,
                 chip: str | None = None) -> None:
        assert profile in ("v1", "modern")
        assert chip is None or (chip in CHIPS and profile == "modern")
        self.profile = profile
        self.chip = chip
        self.banner, self.uname, self.platform, self.rom_boot = CHIPS[chip] if chip else (
            BANNERS[profile], UNAMES[profile], "microbit" if profile == "v1" else "rp2", b"")
        # DTR/RTS as the bridge drives them (True = asserted), and the auto-reset circuit.
        self.auto_reset_circuit = chip == "esp32"
        self.dtr = self.rts = False
        self.line_log: list[tuple[bool, bool]] = []  # (dtr, rts) after every change
        self.resets = 0  # times EN went low: the chip was reset
        self.in_reset = False
        self.download_boots = 0  # boots into the ROM's download mode (IO0 low as EN rose)
        self._lines_lock = threading.RLock()
        self.fs = FakeFS(flat=profile == "v1", capacity=fs_capacity)
        self.fs.uname = self.uname
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        self.mode = "friendly"
        self.buf = bytearray()  # friendly line / raw buffer
        self.block: list[str] = []
        self.out_lock = threading.Lock()
        self.stdin: queue.Queue[bytes] = queue.Queue()
        self.exec_thread: threading.Thread | None = None
        self.silent = False
        self.trickle = False
        self.paste_delay = 0.0
        self.paste_disabled = False
        self.swallow_interrupts = 0  # set it under fault_lock while the board runs
        self.fault_lock = threading.Lock()
        self.abort_paste_on_syntax_error = True
        self.received = bytearray()  # every byte that survived the receive buffer
        self.dropped = 0
        self.window_violations = 0
        self.paste_count = 0
        self.submissions: list[bytes] = []
        self.mem_free = 9744 if profile == "v1" else 8000  # gc.mem_free() (V1: measured)
        self.breaks = 0  # serial breaks received over RFC 2217
        self.hangups = 0  # RFC 2217 clients gone (the host's close played on the lines)
        self.reset_on_break = True
        self._net = None  # (socket, PortManager) while an RFC 2217 client is connected
        self.interrupt_waits_for_enter = profile == "v1"
        self._in_input = False
        self._pending_interrupt = False
        self._rx_empty_at = time.monotonic()  # when the pty was last seen with nothing unread
        self._starve_until = 0.0
        self._lose = None  # see lose_bytes()
        self._interrupted = False  # this run got its KeyboardInterrupt
        self._closed = False
        self._paste: bytearray | None = None
        self._paste_credit = 0
        self._paste_consumed = 0
        self._paste_aborted = False
        self._stall: list[float] | None = None  # [raw-paste bytes still to take, seconds]
        self.stalls = 0
        self._thread = threading.Thread(target=self._loop, daemon=True, name=f"fake-board {self.port}")
        self._thread.start()

    # -- output ------------------------------------------------------------------------------
    def emit(self, data: bytes) -> None:
        with self.out_lock:
            if self._closed or self.in_reset:
                return
            lose = getattr(self, "_lose_out", None)
            at = lose(data) if lose is not None else None
            if at is not None:
                self._lose_out_times -= 1
                if self._lose_out_times <= 0:
                    self._lose_out = None
                self.dropped += 1
                data = data[:at] + data[at + 1:]
            net = self._net
            if net is not None:
                try:
                    net[0].sendall(b"".join(net[1].escape(data)))
                except OSError:
                    pass
                return
            try:
                if self.trickle:  # one byte per write: the host sees many 1-byte reads
                    for i in range(len(data)):
                        os.write(self.master, data[i : i + 1])
                        time.sleep(0.0002)
                else:
                    os.write(self.master, data)
            except OSError:
                pass

    def _print(self, text: str) -> None:
        self.emit(text.replace("\n", "\r\n").encode("utf-8"))

    # -- faults ------------------------------------------------------------------------------
    def disconnect(self) -> None:
        """Like pulling the cable: the host's reads fail with EIO."""
        self._closed = True
        self._kill_exec(_Hardreset)
        if threading.current_thread() is not self._thread:
            # Let the receive loop leave its select() first: once the fds are closed their
            # numbers go to the next fake's pty, and a late read here would steal its bytes.
            # Generous: on a loaded host this thread may wait a while for the CPU.
            self._thread.join(timeout=10.0)
        if getattr(self, "_server", None) is not None:
            self._server.close()
            if self._net is not None:
                try:
                    self._net[0].close()
                except OSError:
                    pass
        # Once only: a test that unplugs the board and then its fixture's close() would close
        # the numbers twice, and the second time they may belong to someone else by then
        # (ZeroMQ's in the REPL tests: it aborts the whole test process on a closed fd).
        # And not under an emit() that is past its _closed check and about to write: its
        # bytes would go to whatever file gets the number next.  (One blocked in the write
        # itself, as nobody reads a full pty, holds the lock for good and is harmless.)
        locked = self.out_lock.acquire(timeout=2.0)
        try:
            fds, self._fds = getattr(self, "_fds", (self.master, self.slave)), ()
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
        finally:
            if locked:
                self.out_lock.release()

    close = disconnect

    def stall_paste(self, after: int, seconds: float) -> None:
        """After ``after`` more raw-paste bytes, take nothing and grant no window for
        ``seconds`` (as a board erasing flash does), then carry on as if nothing happened."""
        self._stall = [after, seconds]

    def starve(self, seconds: float) -> None:
        """The receive thread does not run for ``seconds``, as on a heavily loaded host; the
        bytes written meanwhile wait in the pty, as they would in the USB stack."""
        self._starve_until = time.monotonic() + seconds

    def lose_bytes(self, where) -> None:
        """Lose one byte of a coming classic raw-REPL command, as a V1 that fell behind does
        when its ring overflows (the USB side took the byte, so nothing tells the host).

        ``where(code)`` picks the offset to lose in each command as it completes (its length
        loses the closing Ctrl-D), or None to pass that command unharmed; one loss, then off.
        """
        self._lose = where

    def lose_output_byte(self, where, times: int = 1) -> None:
        """Lose a byte the board sends, as a host too busy to drain the port may (the
        virtual micro:bit under load did): ``where(chunk)`` picks the offset to lose in each
        chunk the board writes, or None to send that chunk whole; ``times`` losses, then off."""
        self._lose_out = where
        self._lose_out_times = times

    def hardware_reset(self) -> None:
        """The reset button: running code dies, banner + >>> without \\x04 framing."""
        self._kill_exec(_Hardreset)
        time.sleep(0.05)
        self.mode = "friendly"
        self.buf.clear()
        while not self.stdin.empty():  # a reset empties the UART buffer too
            self.stdin.get_nowait()
        self.emit(b"\r\n" + self.banner + b">>> ")

    # -- DTR/RTS and the auto-reset circuit (chip="esp32") -------------------------------
    def set_lines(self, dtr: bool | None = None, rts: bool | None = None) -> None:
        """The bridge's DTR and/or RTS change (both given: at the same instant)."""
        with self._lines_lock:
            if dtr is not None:
                self.dtr = dtr
            if rts is not None:
                self.rts = rts
            self.line_log.append((self.dtr, self.rts))
            if not self.auto_reset_circuit:
                return
            en_low = self.rts and not self.dtr
            if en_low and not self.in_reset:
                self.resets += 1
                self.in_reset = True  # deaf and mute from now on
                self._kill_exec(_Hardreset)
            elif not en_low and self.in_reset:
                self.in_reset = False
                self.power_on(download=self.dtr and not self.rts)

    def power_on(self, download: bool = False) -> None:
        """The chip starts (plugged in, or EN released): the ROM's text, then boot.py-less
        MicroPython runs main.py, or shows its banner and prompt."""
        thread = self.exec_thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            self._kill_exec(_Hardreset)
            thread.join(timeout=2.0)
        self.buf.clear()
        self.block = []
        self._pastemode = None
        self._ns = None
        while not self.stdin.empty():
            self.stdin.get_nowait()
        if download:
            self.download_boots += 1
            self.mode = "download"  # the ROM waits for esptool: the REPL is gone
            self.emit(ESP32_DOWNLOAD_BOOT)
            return
        self.mode = "friendly"
        self.emit(self.rom_boot)
        if "main.py" in self.fs.files:
            self._start_exec(self.fs.files["main.py"], friendly=True, after_main=True)
        else:
            self.emit(self.banner + b">>> ")

    def serve_rfc2217(self, host: str = "posix") -> str:
        """Offer this board over RFC 2217 too (one client at a time); returns its URL.

        ``host``: what the host does to DTR/RTS when the port opens and closes (see the
        module's docstring), so a client's own line handling is tested as on that host.
        """
        assert host in ("posix", "windows")
        import socket

        from serial.rfc2217 import PortManager

        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        self._server = server

        def serve() -> None:
            while not self._closed:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                writer = type("Conn", (), {"write": staticmethod(conn.sendall)})
                if host == "posix":
                    self.set_lines(dtr=True, rts=True)  # the tty opened: both raised at once
                manager = PortManager(_LineState(self), writer)
                self._net = (conn, manager)
                try:
                    while not self._closed:
                        data = conn.recv(4096)
                        if not data:
                            break
                        received = b"".join(manager.filter(data))
                        if self.silent or self.in_reset or not received:
                            continue
                        self.received.extend(received)
                        self._replay_unread_input()
                        for i in range(len(received)):
                            self._byte(received[i : i + 1])
                except OSError:
                    pass
                finally:
                    self._net = None
                    conn.close()
                    if host == "posix":
                        self.set_lines(dtr=False, rts=False)  # hang-up: both dropped at once
                    else:
                        self.set_lines(dtr=False)
                        self.set_lines(rts=False)
                    self.hangups += 1

        threading.Thread(target=serve, daemon=True, name=f"fake-board rfc2217 {self.port}").start()
        return f"rfc2217://127.0.0.1:{server.getsockname()[1]}"

    # -- receive path ------------------------------------------------------------------------
    def _loop(self) -> None:
        while not self._closed:
            pause = self._starve_until - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            try:
                r, _, _ = select.select([self.master], [], [], 0.02)
                if not r:
                    self._rx_empty_at = time.monotonic()
                    if not (self.silent or self.in_reset) and self._net is None:
                        # A program ended: the REPL reads what it left at once.  (Over RFC
                        # 2217 only the network thread feeds the REPL: two threads would race.)
                        self._replay_unread_input()
                    continue
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                continue
            data = self._receive_buffer(data, drained=len(data) < 4096)
            if self.silent or self.in_reset:
                continue
            self.received.extend(data)
            self._replay_unread_input()
            for i in range(len(data)):
                self._byte(data[i : i + 1])

    def _replay_unread_input(self) -> None:
        """Bytes a finished program never read go to the REPL, as on a board's UART buffer."""
        while self.mode != "running":
            try:
                b = self.stdin.get_nowait()
            except queue.Empty:
                return
            self._byte(b)

    def _receive_buffer(self, data: bytes, drained: bool = True) -> bytes:
        """V1: a 64-byte ring buffer drained at 115200 baud; overflow is silently dropped.

        Modelled by when the bytes arrived, not by how often this thread runs: everything in
        one read arrived after the pty was last seen empty, so a thread starved by a loaded
        host reads a big batch that came in over a long time and drops nothing, while a
        writer that really outpaces the board (e.g. 256 bytes every 10 ms) still overflows.
        """
        now = time.monotonic()
        dt = now - self._rx_empty_at
        if drained:
            self._rx_empty_at = now
        if self.profile != "v1":
            return data
        room = 64 + 11520 * dt
        if len(data) > room:
            self.dropped += len(data) - int(room)
            data = data[: int(room)]
        return data

    # -- protocol ------------------------------------------------------------------------------
    def _byte(self, b: bytes) -> None:
        if self.mode == "download":
            return  # the ROM's download mode speaks esptool's protocol, not the REPL
        if self.mode == "running":
            if b == b"\x03":
                with self.fault_lock:
                    if self.swallow_interrupts > 0:
                        self.swallow_interrupts -= 1
                        return
                if self._in_input and self.interrupt_waits_for_enter:
                    self._pending_interrupt = True  # raised once input() returns
                    return
                if not self._interrupted:
                    # One KeyboardInterrupt per run: a second one (the engine sends Ctrl-C
                    # twice) could land in the fake's own framing code once the first ended
                    # the program, leaving it "running" with nothing running (seen under load).
                    self._interrupted = True
                    self._kill_exec(KeyboardInterrupt)
            else:
                self.stdin.put(b)
            return
        if self.mode == "paste":
            self._paste_byte(b)
            return
        if self.mode == "raw":
            self._raw_byte(b)
            return
        self._friendly_byte(b)

    def _friendly_byte(self, b: bytes) -> None:
        if getattr(self, "_pastemode", None) is not None:
            if b == b"\x04":
                src, self._pastemode = bytes(self._pastemode), None
                self.emit(b"\r\n")
                self._start_exec(src.replace(b"\r", b"\n"), friendly=True)
            elif b == b"\x03":
                self._pastemode = None
                self.emit(b"\r\n>>> ")
            elif b == b"\r":
                self._pastemode.extend(b)
                self.emit(b"\r\n=== ")
            else:
                self._pastemode.extend(b)
                self.emit(b)
            return
        if b == b"\x05" and not self.buf and not self.block:
            self._pastemode = bytearray()
            self.emit(b"\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ")
        elif b == b"\x01" and not self.buf and not self.block:
            self.mode = "raw"
            self.buf.clear()
            self.emit(b"\r\n" + RAW_BANNER)
        elif b == b"\x02" and not self.buf:
            self.emit(b"\r\n" + self.banner + b">>> ")
        elif b == b"\x03":
            self.buf.clear()
            self.block = []
            self.emit(b"\r\n>>> ")
        elif b == b"\x04" and not self.buf and not self.block:
            self.soft_reboot(friendly=True)
        elif b == b"\r":
            line = self.buf.decode("utf-8", "replace")
            self.buf.clear()
            self.emit(b"\r\n")
            if self.block:
                if line.strip():
                    self.block.append(line)
                    if _continues(self.block):
                        self.emit(b"... ")
                        return
                src, self.block = "\n".join(self.block) + "\n", []
                self._start_exec(src.encode(), friendly=True)
            elif line.strip() and _continues([line]):
                self.block = [line]
                self.emit(b"... ")
            elif line.strip():
                self._start_exec(line.encode(), friendly=True)
            else:
                self.emit(b">>> ")
        elif b in (b"\x08", b"\x7f"):
            if self.buf:
                del self.buf[-1:]
                self.emit(b"\x08 \x08")
        elif b[0] >= 0x20 or b == b"\t":
            self.buf.extend(b)
            self.emit(b)

    def _raw_byte(self, b: bytes) -> None:
        if self._lose is not None and b == b"\x04" and self.buf:
            at = self._lose(bytes(self.buf))
            if at is not None:
                self._lose = None
                self.dropped += 1
                if at >= len(self.buf):
                    return  # the end never came: the board waits for more
                del self.buf[at]
        if self.profile == "modern" and self.buf == b"\x05A" and b == b"\x01" and self.paste_disabled:
            self.buf.clear()
            self.emit(b"R\x00")  # understood, but raw-paste is switched off
        elif self.profile == "modern" and self.buf == b"\x05A" and b == b"\x01":
            self.buf.clear()
            self.mode = "paste"
            self.paste_count += 1
            self._paste = bytearray()
            self._paste_credit = 2 * self.W
            self._paste_consumed = 0
            self._paste_aborted = False
            self.emit(b"R\x01" + self.W.to_bytes(2, "little") + b"\x01")
        elif b == b"\x01":
            self.buf.clear()
            self.emit(b"\r\n" + RAW_BANNER)
        elif b == b"\x02":
            self.buf.clear()
            self.mode = "friendly"
            self.emit(b"\r\n" + self.banner + b">>> ")
        elif b == b"\x03":
            self.buf.clear()
        elif b == b"\x04":
            if not self.buf:
                self.emit(b"OK\r\n")
                self.soft_reboot(friendly=False)
                return
            src = bytes(self.buf)
            self.buf.clear()
            self.emit(b"OK")
            self._start_exec(src)
        else:
            self.buf.extend(b)

    def _paste_byte(self, b: bytes) -> None:
        if self._paste_aborted:
            if b == b"\x04":  # host acknowledged our early stop
                self.mode = "raw"
                self._run_and_frame(b"", syntax_error=self._abort_error)
            return
        if b == b"\x04":
            self.emit(b"\x04")
            src = bytes(self._paste)
            self._paste = None
            self._start_exec(src, paste=True)
            return
        if b == b"\x03":
            self._paste = None
            self.mode = "raw"
            self.emit(b"\x04Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n\x04>")
            return
        if self._stall is not None:
            self._stall[0] -= 1
            if self._stall[0] <= 0:
                seconds, self._stall = self._stall[1], None
                self.stalls += 1
                time.sleep(seconds)  # the receive loop blocks: nothing read, nothing sent
        self._paste_credit -= 1
        if self._paste_credit < 0:
            self.window_violations += 1
        self._paste.extend(b)
        self._paste_consumed += 1
        if self._paste_consumed % self.W == 0:
            if self.paste_delay:
                time.sleep(self.paste_delay)  # a board slow to compile what it received
            self._paste_credit += self.W
            self.emit(b"\x01")
            if self.abort_paste_on_syntax_error:
                err = self._early_syntax_error(bytes(self._paste))
                if err:
                    self._paste_aborted = True
                    self._abort_error = err
                    self.emit(b"\x04")

    @staticmethod
    def _early_syntax_error(prefix: bytes) -> str | None:
        """A SyntaxError well before the end of what arrived (not just an unfinished block)."""
        text = prefix[: prefix.rfind(b"\n") + 1].decode("utf-8", "replace")
        if not text:
            return None
        try:
            ast.parse(text)
        except SyntaxError as exc:
            if exc.lineno is not None and exc.lineno < text.count("\n") - 2:
                return f'Traceback (most recent call last):\r\n  File "<stdin>", line {exc.lineno}\r\nSyntaxError: invalid syntax\r\n'
        return None

    # -- executing -----------------------------------------------------------------------------
    def soft_reboot(self, friendly: bool) -> None:
        self._ns = None
        self.emit(b"soft reboot\r\n" if self.profile == "v1" else b"MPY: soft reboot\r\n")
        if friendly:
            self.mode = "friendly"
            if "main.py" in self.fs.files:
                self._start_exec(self.fs.files["main.py"], friendly=True, after_main=True)
                return
            self.emit(self.banner + b">>> ")
        else:
            self.mode = "raw"
            self.emit(RAW_BANNER)

    def _start_exec(self, src: bytes, friendly: bool = False, paste: bool = False, after_main: bool = False) -> None:
        self.submissions.append(src)
        self._interrupted = False
        self.mode = "running"
        self._friendly_run = friendly
        self._after_main = after_main
        self.exec_thread = threading.Thread(target=self._run_and_frame, args=(src,), daemon=True)
        self.exec_thread.start()

    def _kill_exec(self, exc_type) -> None:
        t = self.exec_thread
        if t is not None and t.is_alive():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident), ctypes.py_object(exc_type))

    def _translate(self, src: bytes) -> str:
        """MicroPython copies bytes >= 0x80 inside bytes literals as-is; CPython needs escapes."""

        def esc(m):
            return re.sub(rb"[\x80-\xff]", lambda c: b"\\x%02x" % c.group()[0], m.group())

        return BYTES_LIT.sub(esc, src).decode("utf-8", "replace")

    def _run_and_frame(self, src: bytes, syntax_error: str | None = None) -> None:
        try:
            self._run_and_frame_inner(src, syntax_error)
        except (_Hardreset, KeyboardInterrupt):
            pass  # killed (reset / unplug / late Ctrl-C) while framing: nothing more to say

    def _run_and_frame_inner(self, src: bytes, syntax_error: str | None = None) -> None:
        friendly = getattr(self, "_friendly_run", False) and syntax_error is None
        err = syntax_error or ""
        ending = ">"
        if syntax_error is None:
            try:
                code = compile(self._translate(src), "<stdin>", "exec")
            except SyntaxError as exc:
                err = f'Traceback (most recent call last):\r\n  File "<stdin>", line {exc.lineno}\r\nSyntaxError: invalid syntax\r\n'
                code = None
            if code is not None:
                try:
                    exec(code, self._namespace())
                except SystemExit:
                    ending = "exit"
                except _Hardreset:
                    return
                except KeyboardInterrupt:
                    err = self._traceback("KeyboardInterrupt: ")
                except BaseException as exc:  # noqa: BLE001 - the board reports everything
                    err = self._traceback(f"{self._exc_name(exc)}: {self._exc_text(exc)}")
        if self._closed:
            return
        if friendly:
            self.mode = "friendly"
            if err:
                self.emit(err.encode())
            if getattr(self, "_after_main", False):
                self._after_main = False
                self.emit(self.banner)
            self.emit(b">>> ")
            return
        self.mode = "raw"
        if ending == "exit" and self.profile == "modern":
            self.emit(b"\x04\x04MPY: soft reboot\r\nboot.py output\r\n" + RAW_BANNER)
            return
        self.emit(b"\x04" + err.replace("\r\n", "\n").replace("\n", "\r\n").encode() + b"\x04>")

    @staticmethod
    def _exc_name(exc) -> str:
        """MicroPython raises plain OSError where CPython picks FileNotFoundError & co."""
        return "OSError" if isinstance(exc, OSError) else type(exc).__name__

    @staticmethod
    def _exc_text(exc) -> str:
        if isinstance(exc, OSError) and exc.args:
            return f"[Errno {exc.args[0]}] {exc.args[1] if len(exc.args) > 1 else ''}".strip()
        return str(exc)

    def _traceback(self, last: str) -> str:
        line = 1
        for frame in traceback.extract_tb(__import__("sys").exc_info()[2]):
            if frame.filename == "<stdin>":
                line = frame.lineno
        return f'Traceback (most recent call last):\r\n  File "<stdin>", line {line}, in <module>\r\n{last}\r\n'

    def _namespace(self) -> dict:
        if getattr(self, "_ns", None) is None:
            self._ns = self._make_namespace()
        return self._ns

    def _make_namespace(self) -> dict:
        board = self

        def _print(*args, sep=" ", end="\n", **kw):
            board._print(sep.join(str(a) for a in args) + end)

        def _input(prompt=""):
            board._print(prompt)
            line = bytearray()
            board._in_input = True
            try:
                while True:
                    try:
                        b = board.stdin.get(timeout=0.05)
                    except queue.Empty:
                        continue
                    if b in (b"\r", b"\n"):
                        board.emit(b"\r\n")
                        break
                    if b == b"\x04":
                        if not line:
                            raise EOFError()
                        continue  # Ctrl-D inside a line: nothing (no EMACS keys)
                    if b in (b"\x08", b"\x7f"):
                        if line:
                            del line[-1:]
                            board.emit(b"\x08 \x08")
                        continue
                    line.extend(b)
                    board.emit(b)
            finally:
                board._in_input = False
            if board._pending_interrupt:
                board._pending_interrupt = False
                raise KeyboardInterrupt()
            return line.decode("utf-8", "replace")

        def _sleep(s):
            end = time.monotonic() + s
            while time.monotonic() < end:
                time.sleep(min(0.01, max(0, end - time.monotonic())))

        def _sleep_ms(ms):
            _sleep(ms / 1000)

        def _reset():
            board.hardware_reset()
            raise _Hardreset

        mods = {
            "os": self.fs.make_os(self.profile),
            "time": type("time", (), {"sleep": staticmethod(_sleep), "sleep_ms": staticmethod(_sleep_ms), "ticks_ms": staticmethod(lambda: int(time.monotonic() * 1000))}),
            "sys": type("sys", (), {"exit": staticmethod(lambda *a: (_ for _ in ()).throw(SystemExit())), "platform": self.platform}),
            "gc": type("gc", (), {"collect": staticmethod(lambda: None), "mem_free": staticmethod(lambda: board.mem_free)}),
            "machine": type("machine", (), {"reset": staticmethod(_reset), "soft_reset": staticmethod(lambda: (_ for _ in ()).throw(SystemExit()))}),
            "micropython": type("micropython", (), {"kbd_intr": staticmethod(lambda n: None)}),
        }
        if self.profile == "modern":
            import binascii

            mods["binascii"] = binascii
            mods["hashlib"] = hashlib
        real_import = __import__

        def _import(name, globals=None, locals=None, fromlist=(), level=0):
            if name in mods:
                return mods[name]
            if name in ("microbit",):
                return type(name, (), {})
            raise ImportError(f"no module named '{name}'")

        import builtins

        b = dict(vars(builtins))
        b.update(print=_print, input=_input, open=lambda p, m="r": _FakeFile(self.fs, self.fs.norm(p), m), __import__=_import)
        del real_import
        return {"__builtins__": b, "__name__": "__main__"}
