"""Board: one connected board = transport + REPL protocol + files, as a context manager.

Threading contract: every method blocks and belongs on one worker thread, except
``interrupt()``, ``send_input()`` and ``close_input()``, which may be called from any thread
while ``run()`` streams (writes are serialised by the transport's lock).
"""

from __future__ import annotations

import ast
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from presenter.device.boards import PROFILES, BoardProfile
from presenter.device.decoding import TextStream, decode
from presenter.device.errors import BoardError, DeviceError, NoResponse
from presenter.device.files import Files
from presenter.device.ports import board_for_port
from presenter.device.repl import FRIENDLY_PROMPT, Repl, RunResult, State
from presenter.device.statements import needs_paste
from presenter.device.transport import Transport

_IDENTIFY = b"""\
import os
u=os.uname()
f=[n for n in ('ilistdir','stat','rename','mkdir','rmdir','statvfs','sync','size') if hasattr(os,n)]
for m in ('binascii','ubinascii','hashlib','uhashlib'):
 try:
  __import__(m)
  if m[-7:]!='hashlib' or hasattr(__import__(m),'sha256'):f.append(m)
 except ImportError:pass
print(repr((u.sysname,u.release,u.version,u.machine,f,len(b'@@'))))
""".replace(b"@@", b"\xe9\xff\x80")


@dataclass(frozen=True)
class BoardIdentity:
    banner: str
    version: str
    machine: str
    board_name: str
    kind: str  # "microbit" | "pico" | "micropython" | ...
    raw_paste: bool
    sysname: str = ""
    features: frozenset[str] = field(default_factory=frozenset)


def _kind_of(machine: str, sysname: str) -> str:
    text = f"{machine} {sysname}".lower()
    if "micro:bit" in text or "microbit" in text:
        return "microbit"
    if "rp2040" in text or "rp2350" in text or "pico" in text or sysname == "rp2":
        return "pico"
    if "esp32" in text or "esp8266" in text:
        return "esp32"
    return "micropython"


class Board:
    """A connected MicroPython board."""

    def __init__(self, transport: Transport, profile: BoardProfile) -> None:
        self.port = transport.port
        self.transport = transport
        self.profile = profile
        self.repl = Repl(transport, profile)
        self.identity: BoardIdentity | None = None
        # A profile known from the USB ids means the reset wiring is known too; a pty or a
        # hand-given port only gets its profile from what the firmware says.
        self.usb_profile = False
        self._files: Files | None = None
        self._terminal_on = False
        self._echo = bytearray()
        self._echo_cond = threading.Condition()
        self._last_rx = 0.0  # when the terminal last received a byte

    @classmethod
    def open(
        cls,
        port: str,
        profile: BoardProfile | str | None = None,
        timeout: float = 3.0,
        interrupt: bool = True,
    ) -> Board:
        """Open ``port``, reach the raw prompt and identify the board (firmware, features).

        ``interrupt=False`` only opens the port and sends nothing, so a running ``main.py``
        keeps running and ``start_terminal`` can just watch it; the first command
        (run/exec/files/identify) then interrupts and identifies.
        """
        usb = False
        if profile is None:
            info = board_for_port(port)
            usb = info.vid is not None
            profile = PROFILES.get(info.profile, PROFILES["generic"])
        elif isinstance(profile, str):
            profile = PROFILES[profile]
        transport = Transport.open(port, profile.baud, profile.dtr, profile.rts, profile.auto_reset)
        board = cls(transport, profile)
        board.usb_profile = usb
        if not interrupt:
            return board
        try:
            board.repl.enter_raw(timeout, banner=True)  # the banner comes in the same exchange
            board.identify()
        except BaseException:
            transport.close()
            raise
        return board

    @property
    def files(self) -> Files:
        """File operations; identifies the board first if that has not happened yet."""
        if self._files is None:
            self.identify()
        assert self._files is not None
        return self._files

    def _ensure_identity(self) -> None:
        if self.identity is None:
            self.identify()

    def identify(self) -> BoardIdentity:
        """Ask the board who it is (banner, os.uname, features); adopts the right pacing."""
        self._end_terminal()
        with self.repl.op_lock:
            self._identify()
        assert self.identity is not None
        return self.identity

    def _identify(self) -> None:
        # Unusual firmware must not make the board unusable: fall back to what we can learn.
        if not self.repl.banner:
            try:
                self.repl.enter_raw(banner=True)
            except NoResponse:
                self.repl.state = State.UNKNOWN
        banner = decode(self.repl.banner).strip()
        try:
            sysname, _release, version, machine, feats, high = ast.literal_eval(
                self.repl.exec(_IDENTIFY, repeatable=True).strip()
            )
        except (BoardError, ValueError, SyntaxError, TypeError):
            sysname, version, machine, feats, high = "", "", "", [], 0
        banner_line = banner.splitlines()[0] if banner else ""
        m = re.search(r"; (.*?) with ", banner_line)
        board_name = m.group(1) if m else machine
        kind = _kind_of(machine, sysname)
        # Adopt the matching profile's pacing when the port alone could not tell.
        if kind == "microbit" and not self.profile.id.startswith("microbit-"):
            self.profile = PROFILES["microbit-v1" if "nRF51" in machine else "microbit-v2"]
        elif kind == "pico" and self.profile.id == "generic" and self.repl.raw_paste:
            self.profile = PROFILES["pico"]
        self.repl.profile = self.profile
        features = frozenset(feats)
        self.identity = BoardIdentity(
            banner=banner_line,
            version=version,
            machine=machine,
            board_name=board_name,
            kind=kind,
            raw_paste=bool(self.repl.raw_paste),
            sysname=sysname,
            features=features,
        )
        self._files = Files(self.repl, features, raw_high_bytes=(high == 3))

    # -- running -------------------------------------------------------------------------
    def run(
        self,
        source: str,
        on_stdout: Callable[[str], None] | Callable[[bytes], None],
        on_stderr: Callable[[str], None],
        clean: bool = True,
        filename: str | None = None,
        stdout_bytes: bool = False,
    ) -> RunResult:
        """Run ``source``; output streams to the callbacks; blocks until the program ends.

        ``filename`` (the editor's path) names the program in the board's tracebacks, with the
        board's line numbers, so they can be links.  ``stdout_bytes``: ``on_stdout`` receives
        the board's bytes unchanged (a pipe or a file), otherwise text.  A program too big for
        a small board's memory is sent without comments and docstrings, in pieces if need be
        (``RunResult.stripped``); if it still cannot be compiled the board's MemoryError ends
        the run and the board keeps answering.
        """
        self._end_terminal()
        self._ensure_identity()
        return self.repl.run(source, on_stdout, on_stderr, clean, filename, stdout_bytes)

    def interrupt(self) -> None:
        """Stop the running program (Ctrl-C; resent, with Enter, if it does not stop)."""
        self.repl.interrupt()

    def send_input(self, text: str) -> bool:
        """Forward text to the running program's input(); False if no program runs."""
        return self.repl.send_input(text)

    def close_input(self) -> bool:
        """End of input (Ctrl-D in a terminal): the program's input() raises EOFError."""
        return self.repl.close_input()

    @property
    def connected(self) -> bool:
        """False once the port has gone away (unplugged); reopen with wait_for_board().

        The reader thread notices an unplug within 50 ms even while no command runs, so a
        caller polling this flag (no I/O) learns it without touching the port.
        """
        return self.repl.state != State.DISCONNECTED and not self.transport.disconnected

    @property
    def running(self) -> bool:
        return self.repl.state == State.RUNNING

    @property
    def state(self) -> State:
        return self.repl.state

    def exec(self, code: str, timeout: float = 10.0) -> str:
        self._end_terminal()
        self._ensure_identity()
        return self.repl.exec(code, timeout)

    def eval(self, expr: str, timeout: float = 10.0):
        return ast.literal_eval(self.exec(f"print(repr({expr}))", timeout).strip())

    def soft_reset(self) -> None:
        self._end_terminal()
        self.repl.soft_reset()

    def hard_reset(self) -> str:
        """Reset the chip, with no prompt needed first; returns how (for a status line)."""
        self._end_terminal()
        return self.repl.hard_reset(trust_break=self.usb_profile)

    # -- terminal passthrough ------------------------------------------------------------------
    def start_terminal(self, on_data: Callable[[str], None]) -> None:
        """Friendly REPL passthrough: board bytes -> ``on_data`` text (VT100 left in)."""
        with self.repl.op_lock:
            stream = TextStream(newlines=False)
            lock = threading.Lock()

            def feed(data: bytes) -> None:
                with self._echo_cond:
                    self._last_rx = time.monotonic()
                    self._echo.extend(data)
                    del self._echo[:-4096]
                    self._echo_cond.notify_all()
                with lock:
                    text = stream.feed(data)
                if text:
                    on_data(text)

            if self.repl.state == State.COMMAND:
                feed(self.repl.leave_raw())
            self.transport.set_listener(feed)
            self.repl.state = State.TERMINAL
            self._terminal_on = True

    def terminal_write(self, data: bytes) -> None:
        """Keys for the prompt, paced by the link (one pacer per port, whatever the split)."""
        self.transport.write(data, self.profile.write_chunk, self.profile.write_rate)

    def terminal_paste(self, text: str, block: int = 48, timeout: float = 3.0) -> None:
        """Paste code into the REPL pane safely: friendly paste mode (Ctrl-E), echo-paced.

        Each block is sent only after the board echoed the previous one, so nothing is lost
        even through a micro:bit V1's 64-byte receive buffer; Ctrl-D then runs the paste.
        When the board does not enter paste mode (a program is running and reading keys),
        the text is typed, paced, instead: nothing is lost and nothing hangs.
        """
        if not self._terminal_on:
            raise DeviceError(f"Start the terminal on {self.port} before pasting.", self.port)
        data = text.replace("\r\n", "\n").replace("\n", "\r").encode("utf-8")
        try:
            self._send_and_await_echo(b"\x05", b"=== ", min(timeout, 1.0))
        except NoResponse:
            self.terminal_write(data)
            return
        for piece in self._blocks(data, block):
            self._send_and_await_echo(piece, piece.replace(b"\r", b"\r\n=== "), timeout)
        self.transport.write(b"\x04")

    def terminal_enter(self, statement: str, quiet: float = 1.0, limit: float = 30.0) -> None:
        """Type one top-level statement (see statements.py) at the prompt, as a careful typist.

        Waits for the prompt first (or for ``quiet`` s of silence: a program may be waiting in
        input() for this very line), then types a one-line statement with its echo awaited, or
        pastes a longer one, so its own indentation arrives intact.
        """
        self._await_prompt(quiet, limit)
        if needs_paste(statement):
            self.terminal_paste(statement)
            return
        line = statement.rstrip("\r\n").encode("utf-8")
        try:
            for piece in self._blocks(line, 48):
                self._send_and_await_echo(piece, piece, 3.0)
        except NoResponse:
            pass  # no echo: a program that does not read; Enter still ends the line
        self.terminal_write(b"\r")

    def _await_prompt(self, quiet: float, limit: float) -> None:
        deadline = time.monotonic() + limit
        with self._echo_cond:
            while time.monotonic() < deadline:
                if self._echo.endswith(FRIENDLY_PROMPT) or self._echo.endswith(b"=== "):
                    return
                if time.monotonic() - self._last_rx >= quiet:
                    return
                self._echo_cond.wait(0.05)

    @staticmethod
    def _blocks(data: bytes, block: int) -> list[bytes]:
        """``data`` in pieces of at most ``block`` bytes, never splitting a UTF-8 sequence."""
        pieces = []
        i = 0
        while i < len(data):
            j = min(len(data), i + block)
            while j < len(data) and (data[j] & 0xC0) == 0x80:
                j -= 1
            pieces.append(data[i:j])
            i = j
        return pieces

    def _send_and_await_echo(self, data: bytes, expected: bytes, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._echo_cond:
            self._echo.clear()
        self.transport.write(data)
        with self._echo_cond:
            while not self._echo.endswith(expected) and expected not in self._echo:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise NoResponse(
                        f"The board on {self.port} stopped echoing the pasted text "
                        f"(got {bytes(self._echo)[-60:]!r}).",
                        self.port,
                        bytes(self._echo),
                    )
                self._echo_cond.wait(remaining)

    def stop_terminal(self) -> None:
        self._end_terminal()

    def _end_terminal(self) -> None:
        if self._terminal_on:
            self.transport.set_listener(None)
            self._terminal_on = False
            if self.repl.state == State.TERMINAL:
                self.repl.state = State.UNKNOWN

    # -- lifetime ------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the port; the board is left as it is (a running program keeps running)."""
        self._end_terminal()
        self.transport.close()
        if self.repl.state != State.DISCONNECTED:
            self.repl.state = State.DISCONNECTED

    def __enter__(self) -> Board:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["Board", "BoardIdentity", "RunResult", "DeviceError"]
