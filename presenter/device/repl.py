"""The MicroPython REPL protocol as a small explicit state machine.

States: TERMINAL (friendly ``>>>``, bytes passed through), COMMAND (raw REPL at ``>``),
RUNNING (raw exec in progress, output streaming), DISCONNECTED, plus UNKNOWN (anything else:
just connected, after a timeout, after a reset) from which ``enter_raw`` always recovers with
Ctrl-C(s) + drain + Ctrl-A, matching suffixes so garbage and stale output never confuse it.

Code is submitted with raw-paste when the firmware supports it (probed at every submission,
answer remembered per connection) and otherwise with classic raw writes paced by the board
profile, because a micro:bit V1 silently drops bytes beyond its 64-byte receive buffer.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from presenter.device.boards import BoardProfile
from presenter.device.decoding import TextStream, decode
from presenter.device.errors import BoardError, Disconnected, NoResponse
from presenter.device.transport import Transport, WriteCancelled

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
SOFT_REBOOT = b"soft reboot\r\n"
FRIENDLY_BANNER = re.compile(
    rb'(MicroPython|CircuitPython) [^\r\n]*\r\n(Type "help\(\)" for more information\.\r\n)?>>> '
)
FRIENDLY_BANNER_AT_END = re.compile(FRIENDLY_BANNER.pattern + rb"$")

INTERRUPT_RETRY = 0.4  # s: resend Ctrl-C if the program has not stopped yet (swallowed)
INTERRUPT_MAX = 8
RESET_QUIET = 0.25  # s of silence after a banner before we believe the board was reset
# s a raw-paste board may go silent while it takes in code: erasing flash stalls it for
# seconds (mpremote waits without limit); each window it grants starts the wait again.
STALL_TIMEOUT = 30.0


class State(Enum):
    UNKNOWN = "unknown"
    TERMINAL = "terminal"
    COMMAND = "command"
    RUNNING = "running"
    DISCONNECTED = "disconnected"


@dataclass
class RunResult:
    """How a program ended.

    ending: "normal" | "exception" | "interrupted" | "soft_reboot" (sys.exit on mainline
    firmware) | "reset" (hardware reset / crash: banner and ``>>>`` appeared).
    """

    ending: str
    error_text: str = ""
    duration: float = 0.0


@dataclass
class _Frame:
    stdout: bytes
    stderr: bytes
    ending: str


class _Cancelled(Exception):
    """Stop was pressed before the program had been completely sent: nothing ran."""


class Repl:
    """Protocol engine over one Transport; one operation at a time (``op_lock``)."""

    def __init__(self, transport: Transport, profile: BoardProfile) -> None:
        self.t = transport
        self.profile = profile
        self.port = transport.port
        self.state = State.UNKNOWN
        self.raw_paste: bool | None = None if profile.raw_paste else False
        self.op_lock = threading.RLock()
        self._interrupt_at: float | None = None
        self._interrupts = 0
        self._run_done = threading.Event()
        self._run_done.set()
        self._flags = threading.Lock()
        self._starting = False  # run() is preparing/sending: Stop cancels instead of Ctrl-C
        self._queued_input: list[bytes] = []  # typed while the program was still being sent
        self._cancel = False

    # -- reaching a known state --------------------------------------------------------------
    def enter_raw(self, timeout: float = 3.0) -> None:
        """Get to the raw REPL ``>`` from anywhere, or raise NoResponse / Disconnected."""
        if self.state == State.COMMAND:
            return
        deadline = time.monotonic() + timeout
        first = True
        last_exc: NoResponse | None = None
        while first or time.monotonic() < deadline:
            # Ctrl-C cancels a half-typed line, a `...` block, a running program or a raw buffer;
            # twice with a gap because a busy program may swallow one.
            self._write(b"\x03")
            time.sleep(0.03)
            self._write(b"\x03")
            self.t.drain(quiet=0.1, max_time=0.8)
            self._write(b"\r\x01")
            wait = max(0.5, min(1.5, deadline - time.monotonic())) if not first else 1.5
            first = False
            try:
                self.t.read_until([RAW_BANNER], wait, "the raw REPL prompt")
            except Disconnected:
                self.state = State.DISCONNECTED
                raise
            except NoResponse as exc:
                last_exc = exc
                continue
            self.t.drain(quiet=0.04, max_time=0.5)  # a second (late) banner, if any
            self.state = State.COMMAND
            return
        self.state = State.UNKNOWN
        got = last_exc.received if last_exc else b""
        raise NoResponse(
            f"The board on {self.port} does not respond (no MicroPython prompt after "
            f"{timeout:.0f} s; got {got[-60:]!r}): press its reset button or replug it, and "
            "check it runs MicroPython.",
            self.port,
            got,
        )

    def leave_raw(self) -> bytes:
        """Raw -> friendly REPL; returns the banner text the board printed."""
        self.enter_raw()
        self._write(b"\r\x02")
        data, _ = self.t.read_until([FRIENDLY_BANNER], 2.0, "the friendly prompt")
        self.state = State.TERMINAL
        m = FRIENDLY_BANNER.search(data)
        return data[m.start() :] if m else data

    def _write(self, data: bytes, paced: bool = False, cancel=None) -> None:
        try:
            if paced:
                self.t.write(data, self.profile.write_chunk, self.profile.write_rate, cancel)
            else:
                self.t.write(data)
        except Disconnected:
            self.state = State.DISCONNECTED
            raise

    # -- submitting code ------------------------------------------------------------------------
    def _submit(self, code: bytes, cancellable: bool = False) -> None:
        """Send ``code`` from the raw ``>``; returns once the board has accepted it (OK / ack).

        With ``cancellable`` (user programs), a Stop during the transfer abandons it: Ctrl-C
        clears the board's buffer so no *part* of the program ever runs (raises _Cancelled).
        """
        cancel = (lambda: self._cancel) if cancellable else None
        if self.raw_paste is not False:
            self._write(b"\x05A\x01")
            head = self.t.read_exact(2, 2.0, "an answer to the raw-paste request")
            if head == b"R\x01":
                self.raw_paste = True
                self._paste(code, cancel)
                return
            if head == b"R\x00":
                self.raw_paste = False  # understood but disabled: classic from now on
            else:
                # Old firmware: it took \x05A as code and \x01 as "reset raw REPL" and is now
                # reprinting the raw banner. Discard it and fall back for this connection.
                self.t.unread(head)
                self.t.read_until([RAW_BANNER], 2.0, "the raw REPL prompt")
                self.raw_paste = False
        try:
            self._write(code, paced=True, cancel=cancel)
        except WriteCancelled:
            self._write(b"\x03")  # raw REPL: Ctrl-C silently clears what arrived so far
            self.t.drain(quiet=0.05, max_time=0.5)
            raise _Cancelled() from None
        self._write(b"\x04")
        self.t.read_until([b"OK"], 3.0, "OK (code received)")

    def _paste(self, code: bytes, cancel=None) -> None:
        inc = int.from_bytes(self.t.read_exact(2, 2.0, "the raw-paste window"), "little")
        window = inc
        cap = self.profile.paste_inflight_cap and max(self.profile.paste_inflight_cap, inc)
        acks = 0  # \x01 bytes seen; the first is the extra window, not a consumption report
        i = 0
        while i < len(code):
            inflight = i - max(0, acks - 1) * inc
            allowed = window if not cap else min(window, cap - inflight)
            while allowed <= 0 or self.t.peek():
                b = self.t.read_exact(1, STALL_TIMEOUT, "raw-paste flow control")
                if b == b"\x01":
                    window += inc
                    acks += 1
                elif b == b"\x04":
                    # The board stopped reading early (usually a SyntaxError): acknowledge,
                    # then the normal output/error framing follows.
                    self._write(b"\x04")
                    return
                else:
                    raise NoResponse(
                        f"The board on {self.port} broke the raw-paste protocol (got {b!r}).",
                        self.port,
                        b,
                    )
                inflight = i - max(0, acks - 1) * inc
                allowed = window if not cap else min(window, cap - inflight)
            if cancel is not None and cancel():
                # Ctrl-C inside raw-paste ends reception without running anything; the reply
                # framing varies by firmware, so resync before the next command.
                self._write(b"\x03")
                self.state = State.UNKNOWN
                raise _Cancelled()
            n = min(allowed, len(code) - i)
            self._write(code[i : i + n])
            window -= n
            i += n
        self._write(b"\x04")
        self.t.read_until([b"\x04"], STALL_TIMEOUT, "the end-of-code acknowledgement")

    # -- following a submission ----------------------------------------------------------------
    def _follow(
        self,
        on_out: Callable[[bytes], None] | None,
        on_err: Callable[[bytes], None] | None,
        timeout: float | None,
    ) -> _Frame:
        """Read ``<stdout>\\x04<stderr>\\x04>`` (or a soft-reboot / reset ending) as it arrives."""
        deadline = None if timeout is None else time.monotonic() + timeout
        out, err, tail = bytearray(), bytearray(), bytearray()
        phase = "out"
        while True:
            now = time.monotonic()
            if deadline is not None and now > deadline:
                self.state = State.UNKNOWN
                raise NoResponse(
                    f"The board on {self.port} did not finish the command within {timeout:.0f} s "
                    f"(got {bytes(out + err)[-80:]!r}).",
                    self.port,
                    bytes(out + err),
                )
            self._maybe_reinterrupt(phase)
            try:
                chunk = self.t.read_some(0.1)
            except Disconnected:
                self.state = State.DISCONNECTED
                raise
            if not chunk:
                if phase == "out" and FRIENDLY_BANNER_AT_END.search(bytes(out[-300:])):
                    self.state = State.TERMINAL  # hardware reset: banner + >>> and silence
                    return _Frame(bytes(out), bytes(err), "reset")
                continue
            while chunk:
                if phase == "end":
                    tail.extend(chunk)
                    break
                # stdout runs to the first \x04, stderr to the second
                sink, emit, next_phase = (out, on_out, "err") if phase == "out" else (err, on_err, "end")
                pos = chunk.find(b"\x04")
                part, chunk = (chunk, b"") if pos < 0 else (chunk[:pos], chunk[pos + 1 :])
                if part:
                    sink.extend(part)
                    if emit:
                        emit(part)
                if pos >= 0:
                    phase = next_phase
            if phase == "end" and tail:
                ending = self._finish(tail, on_out, deadline)
                return _Frame(bytes(out), bytes(err), ending)

    def _finish(self, tail: bytearray, on_out, deadline: float | None) -> str:
        """After the second \\x04: ``>`` normally; soft reboot + raw banner after sys.exit()."""
        if tail[:1] == b">":
            self.t.unread(bytes(tail[1:]))
            self.state = State.COMMAND
            return "normal"
        # Not a plain prompt: forced exit (soft reboot), a reset, or a program that printed \x04.
        limit = time.monotonic() + 5.0
        if deadline is not None:
            limit = min(limit, deadline + 5.0)
        buf = bytearray(tail)
        shown = 0
        while True:
            pos = buf.find(SOFT_REBOOT)
            if pos >= 0:
                rest = bytes(buf[pos + len(SOFT_REBOOT) :])
                self.t.unread(rest)
                data, _ = self.t.read_until([RAW_BANNER, FRIENDLY_BANNER], 5.0, "the prompt after a soft reboot")
                before = data[: -len(RAW_BANNER)] if data.endswith(RAW_BANNER) else data
                if before.strip() and on_out:
                    on_out(before.rstrip(b"\r\n") + b"\r\n")  # boot.py output
                self.state = State.COMMAND if data.endswith(RAW_BANNER) else State.TERMINAL
                return "soft_reboot"
            if buf.endswith(b"\x04>") or b"\x04>" in buf:
                # The program printed \x04 itself: framing was off by one; we are at `>` anyway.
                idx = buf.find(b"\x04>")
                if on_out and idx > 0 and buf[:1] != b"\x04":
                    on_out(bytes(buf[:idx]))
                self.t.unread(bytes(buf[idx + 2 :]))
                self.state = State.COMMAND
                return "normal"
            if FRIENDLY_BANNER_AT_END.search(bytes(buf)):
                self.state = State.TERMINAL
                return "reset"
            if time.monotonic() > limit:
                self.state = State.UNKNOWN  # resync on the next command
                return "normal"
            more = self.t.read_some(0.1)
            buf.extend(more)
            shown += len(more)

    def _maybe_reinterrupt(self, phase: str) -> None:
        at = self._interrupt_at
        if at is None or phase != "out":
            return
        if self._interrupts < INTERRUPT_MAX and time.monotonic() - at >= INTERRUPT_RETRY:
            self._interrupt_at = time.monotonic()
            self._interrupts += 1
            try:
                self._write(b"\x03")
            except Disconnected:
                pass

    # -- public operations -----------------------------------------------------------------
    def exec_raw(self, code: str | bytes, timeout: float = 10.0) -> _Frame:
        """Management exec: returns stdout/stderr bytes; timeout -> NoResponse (state resyncs)."""
        data = code.encode("utf-8") if isinstance(code, str) else code
        with self.op_lock:
            self.enter_raw()
            try:
                self._submit(data)
                return self._follow(None, None, timeout)
            except NoResponse:
                self.state = State.UNKNOWN
                raise

    def exec(self, code: str | bytes, timeout: float = 10.0) -> str:
        frame = self.exec_raw(code, timeout)
        if frame.stderr:
            text = decode(frame.stderr)
            last = [ln for ln in text.strip().splitlines() if ln.strip()]
            raise BoardError(
                f"The board on {self.port} reported an error: {last[-1] if last else text}",
                self.port,
                text,
            )
        return decode(frame.stdout)

    def run(
        self,
        source: str,
        on_stdout: Callable[[str], None],
        on_stderr: Callable[[str], None],
        clean: bool = True,
    ) -> RunResult:
        """Run a user program, streaming output, until it ends; no timeout (Stop = interrupt)."""
        out_text, err_text = TextStream(), TextStream()
        err_all: list[str] = []

        def emit_out(b: bytes) -> None:
            s = out_text.feed(b)
            if s:
                on_stdout(s)

        def emit_err(b: bytes) -> None:
            s = err_text.feed(b)
            if s:
                err_all.append(s)
                on_stderr(s)

        with self.op_lock:
            start = time.monotonic()
            self._interrupt_at = None
            self._interrupts = 0
            with self._flags:
                self._starting, self._cancel = True, False
            self._run_done.clear()
            try:
                try:
                    self.enter_raw()
                    if clean:
                        self.soft_reset_raw()
                    if self._cancel:
                        raise _Cancelled()
                    self._submit(source.encode("utf-8"), cancellable=True)
                    submitted = True
                except BaseException:
                    submitted = False
                    raise
                finally:
                    with self._flags:
                        self._starting = False
                        late_stop = self._cancel
                        queued, self._queued_input = self._queued_input, []
                        if submitted:
                            self.state = State.RUNNING
                            for data in queued:  # typed ahead: now the program can read it
                                self._write(data, paced=True)
                if late_stop:  # Stop arrived after the last byte went out: interrupt for real
                    self.interrupt()
                frame = self._follow(emit_out, emit_err, None)
            except _Cancelled:
                self._run_done.set()
                return RunResult("interrupted", "", time.monotonic() - start)
            except NoResponse:
                self.state = State.UNKNOWN  # resync (Ctrl-C + raw entry) before the next command
                raise
            finally:
                self._run_done.set()
                interrupted = self._interrupt_at is not None
                self._interrupt_at = None
            rest = out_text.flush()
            if rest:
                on_stdout(rest)
            rest = err_text.flush()
            if rest:
                err_all.append(rest)
                on_stderr(rest)
            error = "".join(err_all)
            ending = frame.ending
            if ending == "normal" and frame.stderr:
                ending = "exception"
            if ending == "exception" and "KeyboardInterrupt" in error and interrupted:
                ending = "interrupted"
            return RunResult(ending, error, time.monotonic() - start)

    def interrupt(self) -> None:
        """Ctrl-C now (thread-safe); the run loop resends it if the program swallows it.

        While ``run()`` is still preparing or sending the program, Stop instead cancels the
        transfer, so a half-sent program never starts.
        """
        with self._flags:
            if self._starting:
                self._cancel = True
                return
        self._interrupts = 1
        self._interrupt_at = time.monotonic()
        try:
            self._write(b"\x03")
        except Disconnected:
            pass

    def send_input(self, text: str) -> bool:
        """Keystrokes for a running program's input(); Enter is sent as \\r like a terminal.

        Text typed while the program is still being sent is held until it runs: sent
        earlier, the board would read it as part of the source code. With no program
        running nothing is sent (the REPL would execute it) and False is returned.
        """
        data = text.replace("\r\n", "\r").replace("\n", "\r").encode("utf-8")
        with self._flags:
            if self.state != State.RUNNING:
                if self._starting:
                    self._queued_input.append(data)
                    return True
                return False
        self._write(data, paced=True)
        return True

    def soft_reset_raw(self) -> None:
        """Ctrl-D at the raw prompt: fresh heap, main.py does NOT run (raw mode)."""
        self.enter_raw()
        self._write(b"\x04")
        try:
            self.t.read_until([SOFT_REBOOT], 3.0, "the soft reboot message")
            self.t.read_until([RAW_BANNER], 3.0, "the raw REPL prompt after a soft reboot")
        except NoResponse:
            self.state = State.UNKNOWN
            self.enter_raw()
        self.state = State.COMMAND

    def soft_reset(self) -> None:
        """Soft reset in friendly mode so main.py runs (used after writing main.py)."""
        if self.state == State.RUNNING:
            self.interrupt()
            self._run_done.wait(3.0)
        with self.op_lock:
            self.leave_raw()
            self._write(b"\x04")
            self.t.read_until([SOFT_REBOOT], 3.0, "the soft reboot message")
            self.state = State.UNKNOWN  # main.py may be running now

    def hard_reset(self) -> None:
        """Best effort: serial break on micro:bit (DAPLink resets the chip), else machine.reset().

        The break needs no prompt, so it also works while a program that ignores Ctrl-C runs
        (``run()`` then ends as "reset").  Elsewhere a program that ignores Stop cannot be reset
        over USB: BoardError tells the teacher to replug.
        """
        if self.profile.reset_by_break:
            self.t.send_break()
            if self.state != State.RUNNING:
                self.state = State.UNKNOWN
            return
        if self.state == State.RUNNING:
            self.interrupt()
            if not self._run_done.wait(3.0):
                raise BoardError(
                    f"The program on {self.port} ignores Stop (it may disable Ctrl-C) and this "
                    "board cannot be reset over USB: unplug it and plug it in again.",
                    self.port,
                )
        with self.op_lock:
            self.enter_raw()
            self._write(b"import machine\nmachine.reset()\x04")
            self.state = State.UNKNOWN
