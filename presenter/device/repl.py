"""The MicroPython REPL protocol as a small explicit state machine.

States: TERMINAL (friendly ``>>>``, bytes passed through), COMMAND (raw REPL at ``>``),
RUNNING (raw exec in progress, output streaming), DISCONNECTED, plus UNKNOWN (anything else:
just connected, after a timeout, after a reset) from which ``enter_raw`` always recovers with
Ctrl-C(s) + drain + Ctrl-A, matching suffixes so garbage and stale output never confuse it.

Code is submitted with raw-paste when the firmware supports it (probed at every submission,
answer remembered per connection) and otherwise with classic raw writes paced by the board
profile, because a micro:bit V1 silently drops bytes beyond its 64-byte receive buffer.

A program's end and a board's reset are read from the protocol, never from text alone: the
run ends at the raw REPL's ``\x04...\x04>`` framing, at a soft reboot that follows that
framing, or when the board answers a probe the way only a fresh prompt does (see
``_follow``).  Bytes sent to a program that it may not have read (end of input, the Enter that
releases an interrupt, a probe) can end up in the raw REPL's buffer once it stops, so the next
command first resets that buffer (``_resync``).
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
from presenter.device.program import Plan, plan_program
from presenter.device.traceback_names import TracebackNamer
from presenter.device.transport import Transport, WriteCancelled

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
SOFT_REBOOT = b"soft reboot\r\n"
FRIENDLY_BANNER = re.compile(
    rb'(MicroPython|CircuitPython) [^\r\n]*\r\n(Type "help\(\)" for more information\.\r\n)?>>> '
)
FRIENDLY_BANNER_AT_END = re.compile(FRIENDLY_BANNER.pattern + rb"$")
# The ESP32 ROM's first words after any reset, at 115200 baud ("rst:0x1 (POWERON_RESET),boot:
# 0x13 ..."; "rst:0x1 (POWERON),boot:0xc ..." on the C3/S3). MicroPython's own banner comes
# only after main.py ends, which may be never.
ESP_ROM_BOOT = re.compile(rb"rst:0x[0-9a-f]+ \(")

FRIENDLY_PROMPT = b">>> "

INTERRUPT_RETRY = 0.4  # s: resend Ctrl-C if the program has not stopped yet (swallowed)
INTERRUPT_MAX = 8
RESET_QUIET = 0.25  # s of silence after banner-like text before we probe for a reset
#: Probe for "is this a fresh prompt?": a printable byte and a backspace.  A prompt (reset
#: board) echoes the byte at once; a program that is not reading leaves both unread, and one
#: that reads gets an edit that cancels itself.  Text a program prints cannot answer it.
RESET_PROBE = b"#\x08"
PROBE_WAIT = 0.5  # s for the echo of the probe
# s a raw-paste board may go silent while it takes in code: erasing flash stalls it for
# seconds (mpremote waits without limit); each window it grants starts the wait again.
STALL_TIMEOUT = 30.0
#: How often a management command is sent again when the board shows that none of it ran.
#: A classic raw-REPL write has no flow control: a micro:bit V1 that falls behind (a busy
#: board, a USB hiccup; the virtual micro:bit on a loaded host) drops what overflows its
#: 64-byte receive buffer, and the code it then compiles is not the code that was sent.
RESENDS = 2
#: A frame line of a traceback; only errors raised while running name a scope (``, in f``).
_TRACE_FRAME = re.compile(r'^\s*File "[^"]*", line \d+(, in .*)?$')


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
    firmware) | "reset" (hardware reset / crash: the board answered as a fresh prompt).
    ``stripped``: comments and docstrings were left out to fit the board (same line numbers).
    """

    ending: str
    error_text: str = ""
    duration: float = 0.0
    stripped: bool = False


@dataclass
class _Frame:
    stdout: bytes
    stderr: bytes
    ending: str


class _Cancelled(Exception):
    """Stop was pressed before the program had been completely sent: nothing ran."""


class _EndLost(Exception):
    """A classic submission's closing Ctrl-D never reached the board: none of it ran.

    ``args[0]`` is the NoResponse that the missing ``OK`` gave, for when no resend is left.
    """


def never_ran(stdout: bytes, stderr: bytes) -> bool:
    """Did the board refuse a submission before running any of it?

    A submission that does not compile (SyntaxError, IndentationError) fails before its first
    line runs, with a traceback whose only frames name no scope (``File "<stdin>", line 3``);
    an error raised while running names one (``, in <module>``).  Code the engine generated
    always compiles, so such a refusal means bytes were lost on the way, and sending the same
    code again is safe: nothing of it happened.
    """
    if stdout:
        return False
    lines = [ln for ln in decode(stderr).splitlines() if ln.strip()]
    frames = [m for m in map(_TRACE_FRAME.match, lines) if m]
    return (bool(frames) and not any(m.group(1) for m in frames)
            and lines[-1].lstrip().startswith(("SyntaxError", "IndentationError")))


def arrived_damaged(error: BoardError) -> bool:
    """Did engine code that fails only with OSError fail otherwise (so it arrived damaged)?

    A lost byte turns ``os.size`` into ``os.sze`` or ``_w(`` into ``w(``: an AttributeError or
    NameError, raised after the lines before it ran.  Only for code whose own failures are
    OSErrors (file commands); the caller decides whether running it again is safe.
    """
    return bool(error.traceback) and not error.last_line.startswith("OSError")


class Repl:
    """Protocol engine over one Transport; one operation at a time (``op_lock``)."""

    def __init__(self, transport: Transport, profile: BoardProfile) -> None:
        self.t = transport
        self.profile = profile
        self.port = transport.port
        self.state = State.UNKNOWN
        self.raw_paste: bool | None = None if profile.raw_paste else False
        self.op_lock = threading.RLock()
        self.banner = b""  # the friendly banner seen by the last enter_raw(banner=True)
        self._interrupt_at: float | None = None
        self._interrupt_mark = 0  # how much stdout the run had shown when Stop was pressed
        self._out_seen = 0
        self._interrupts = 0
        self._run_done = threading.Event()
        self._run_done.set()
        self._flags = threading.Lock()
        self._starting = False  # run() is preparing/sending: Stop cancels instead of Ctrl-C
        self._queued_input: list[bytes] = []  # typed while the program was still being sent
        self._cancel = False
        self._partial_line = False  # the last input sent did not end with Enter
        self._input_closed = False
        self._stray_input = False  # bytes the program may not have read may reach the REPL
        self.resent = 0  # submissions sent again because the board showed none of it ran

    # -- reaching a known state --------------------------------------------------------------
    def enter_raw(self, timeout: float = 3.0, banner: bool = False) -> None:
        """Get to the raw REPL ``>`` from anywhere, or raise NoResponse / Disconnected.

        ``banner``: also fetch the friendly banner on the way (``self.banner``), in the same
        exchange: Ctrl-B at an empty prompt reprints it, Ctrl-A then enters the raw REPL.
        """
        if self.state == State.COMMAND and not banner:
            if self._stray_input:
                self._resync()
            if self.state == State.COMMAND:
                return
        deadline = time.monotonic() + timeout
        attempt = 0
        last_exc: NoResponse | None = None
        while attempt == 0 or time.monotonic() < deadline:
            # Ctrl-C cancels a half-typed line, a `...` block, a running program or a raw buffer;
            # twice because a busy program may swallow one (on a retry with a gap, for a
            # program that catches the first KeyboardInterrupt).
            self._write(b"\x03")
            if attempt:
                time.sleep(0.03)
            self._write(b"\x03")
            if attempt:  # something is in the way: let it finish talking first
                self.t.drain(quiet=0.1, max_time=0.8)
            else:  # output from before (even a stale raw banner) cannot answer what we send now
                self.t.read_some(0)
            # \r submits an empty line so the control byte meets an empty prompt.
            self._write(b"\r\x02\x01" if banner else b"\r\x01")
            wait = 1.5 if attempt == 0 else max(0.5, min(1.5, deadline - time.monotonic()))
            attempt += 1
            try:
                data, _ = self.t.read_until([RAW_BANNER], wait, "the raw REPL prompt")
            except Disconnected:
                self.state = State.DISCONNECTED
                raise
            except NoResponse as exc:
                last_exc = exc
                continue
            if attempt > 1:
                self.t.drain(quiet=0.04, max_time=0.5)  # a late banner from an earlier attempt
            found = list(FRIENDLY_BANNER.finditer(data))
            if found:
                self.banner = data[found[-1].start() :]
            self.state = State.COMMAND
            self._stray_input = False
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

    def _resync(self) -> None:
        """At ``>`` with bytes a finished program did not read possibly still arriving.

        They are in the raw REPL's buffer now, or will be: a leftover Ctrl-D soft-resets the
        board (``OK``, soft reboot, raw banner), anything else would prefix the next command.
        Ctrl-A resets the raw REPL and answers with its banner; everything before our banner is
        discarded.  The board handles bytes in order, so the leftovers are always before it.
        """
        self._stray_input = False
        try:
            self._write(b"\x01")
            data, _ = self.t.read_until([RAW_BANNER], 2.0, "the raw REPL prompt")
            if SOFT_REBOOT in data:  # that banner closed the reboot; ours is next
                self.t.read_until([RAW_BANNER], 3.0, "the raw REPL prompt")
        except NoResponse:
            self.state = State.UNKNOWN  # enter_raw's full recovery follows

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
        try:
            self.t.read_until([b"OK"], 3.0, "OK (code received)")
        except NoResponse as exc:
            if self._end_was_lost():
                raise _EndLost(exc) from None
            raise

    def _end_was_lost(self) -> bool:
        """No ``OK`` after a classic submission: was its end lost on the way, so nothing ran?

        The board takes bytes in order: Ctrl-C clears a raw buffer still waiting for its end
        and Ctrl-A then reprints the raw banner.  An ``OK`` before that banner means the code
        did arrive (it ran late, or our Ctrl-C interrupted it), so sending it again would not
        be safe; no ``OK`` means none of it started and the board is at a fresh ``>``.
        """
        try:
            self._write(b"\x03\x01")
            data, _ = self.t.read_until([RAW_BANNER], 3.0, "the raw REPL prompt")
        except NoResponse:
            return False
        return b"OK" not in data

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
        """Read ``<stdout>\\x04<stderr>\\x04>`` (or a soft-reboot / reset ending) as it arrives.

        A reset is never concluded from text: when stdout ends like a fresh board (banner and
        ``>>> ``, or a ``>>> `` answering our Ctrl-C) and then stays quiet, a probe asks the
        board; only a prompt echoes it at once (see RESET_PROBE).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        out, err, tail = bytearray(), bytearray(), bytearray()
        self._out_seen = 0
        phase = "out"
        last_data = time.monotonic()
        probed_at = -1  # len(out) when we last probed: probe once per suspicious ending
        probe_deadline: float | None = None
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
                if probe_deadline is not None:
                    if time.monotonic() > probe_deadline:  # nobody echoed: a program runs
                        probe_deadline = None
                    continue
                if (phase == "out" and probed_at != len(out)
                        and time.monotonic() - last_data >= RESET_QUIET
                        and self._looks_reset(out)):
                    probed_at = len(out)
                    self._stray_input = True  # unless echoed, the probe waits in stdin
                    self._write(RESET_PROBE)
                    probe_deadline = time.monotonic() + PROBE_WAIT
                continue
            last_data = time.monotonic()
            if probe_deadline is not None:
                probe_deadline = None
                if chunk.startswith(RESET_PROBE[:1]):
                    # Echoed at once: a prompt, so the board was reset (the rest of the chunk
                    # is the echo of the backspace). The probe left nothing behind.
                    self.state = State.TERMINAL
                    self._stray_input = False
                    return _Frame(bytes(out), bytes(err), "reset")
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
                    self._out_seen = len(out)
                    if emit:
                        emit(part)
                if pos >= 0:
                    phase = next_phase
            if phase == "end" and tail:
                ending = self._finish(tail, on_out, deadline)
                return _Frame(bytes(out), bytes(err), ending)

    def _looks_reset(self, out: bytearray) -> bool:
        """stdout ends the way a board that just restarted talks: worth a probe."""
        if FRIENDLY_BANNER_AT_END.search(bytes(out[-300:])):
            return True
        # After our Ctrl-C, a running program answers with framing; a prompt with ">>> ".
        return (self._interrupt_at is not None and len(out) > self._interrupt_mark
                and out.endswith(FRIENDLY_PROMPT))

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
            buf.extend(self.t.read_some(0.1))

    def _maybe_reinterrupt(self, phase: str) -> None:
        at = self._interrupt_at
        if at is None or phase != "out":
            return
        if self._interrupts < INTERRUPT_MAX and time.monotonic() - at >= INTERRUPT_RETRY:
            # Still running: resend Ctrl-C (swallowed?), and the first time also Enter. A
            # micro:bit V1 waiting in input() holds the interrupt until a line ends (its UART
            # read loop never checks for it; mphalport.cpp), so Enter lets it through.
            data = b"\x03\r" if self._interrupts == 1 else b"\x03"
            self._interrupt_at = time.monotonic()
            self._interrupts += 1
            if b"\r" in data:
                self._stray_input = True
            try:
                self._write(data)
            except Disconnected:
                pass

    # -- public operations -----------------------------------------------------------------
    def exec_raw(self, code: str | bytes, timeout: float = 10.0) -> _Frame:
        """Management exec: returns stdout/stderr bytes; timeout -> NoResponse (state resyncs).

        Sent again (up to RESENDS times) when the board shows that none of it ran: its end
        never arrived, or what arrived did not compile (``never_ran``).
        """
        data = code.encode("utf-8") if isinstance(code, str) else code
        with self.op_lock:
            for attempt in range(RESENDS + 1):
                if attempt:
                    self.resent += 1
                self.enter_raw()
                try:
                    self._submit(data)
                    frame = self._follow(None, None, timeout)
                except _EndLost as lost:
                    if attempt == RESENDS:
                        self.state = State.UNKNOWN
                        raise lost.args[0] from None
                    continue
                except NoResponse:
                    self.state = State.UNKNOWN
                    raise
                if attempt == RESENDS or not never_ran(frame.stdout, frame.stderr):
                    return frame
            raise AssertionError("unreachable: the last attempt returns or raises")

    def exec(self, code: str | bytes, timeout: float = 10.0, repeatable: bool = False) -> str:
        """Management exec: stdout as text; the board's error as BoardError.

        ``repeatable``: the code gives the same result when run again from any point (a
        query, a survey, a copy that removes its source last) and fails only with OSError.
        Any other error then means it arrived damaged (a lost byte made ``os.size`` into
        ``os.sze``, an AttributeError after the lines before it ran), so it is run once more.
        """
        for attempt in (1, 2):
            frame = self.exec_raw(code, timeout)
            if not frame.stderr:
                return decode(frame.stdout)
            text = decode(frame.stderr)
            last = [ln for ln in text.strip().splitlines() if ln.strip()]
            error = BoardError(
                f"The board on {self.port} reported an error: {last[-1] if last else text}",
                self.port,
                text,
            )
            if not repeatable or attempt == 2 or not arrived_damaged(error):
                raise error
            self.resent += 1
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _plan(self, source: str, clean: bool) -> Plan:
        """How to send a user program: one submission, stripped, or stored in pieces."""
        data = source.encode("utf-8")
        if self.raw_paste or len(data) <= self.profile.max_submission:
            return Plan(data)  # raw-paste compiles as it receives: no buffer to overflow
        budget = self.profile.run_submission
        if not clean:  # the heap holds what earlier commands left: ask how much is free
            try:
                free = int(self.exec("import gc\ngc.collect()\nprint(gc.mem_free())", 5.0))
                budget = min(budget, max(self.profile.max_submission, free // 2))
            except (BoardError, ValueError):
                budget = self.profile.max_submission
        return plan_program(source, budget, self.profile.max_submission)

    def _load(self, plan: Plan) -> bytes:
        """Run the loader submissions; b"" or the board's error text (MemoryError) if one fails."""
        for loader in plan.loaders:
            if self._cancel:
                raise _Cancelled()
            frame = self.exec_raw(loader, 10.0)
            if frame.stderr:
                return frame.stderr
        return b""

    def run(
        self,
        source: str,
        on_stdout: Callable[[str], None] | Callable[[bytes], None],
        on_stderr: Callable[[str], None],
        clean: bool = True,
        filename: str | None = None,
        stdout_bytes: bool = False,
    ) -> RunResult:
        """Run a user program, streaming output, until it ends; no timeout (Stop = interrupt).

        ``filename`` replaces ``<stdin>`` in the board's tracebacks; ``stdout_bytes`` hands
        ``on_stdout`` the board's bytes unchanged (for a pipe or a file) instead of text.
        """
        out_text, err_text = TextStream(), TextStream()
        err_all: list[str] = []
        namer: TracebackNamer | None = None

        def emit_out(b: bytes) -> None:
            if stdout_bytes:
                on_stdout(b)  # type: ignore[arg-type]
                return
            s = out_text.feed(b)
            if s:
                on_stdout(s)  # type: ignore[arg-type]

        def emit_err_text(s: str) -> None:
            if namer is not None:
                s = namer.feed(s)
            if s:
                err_all.append(s)
                on_stderr(s)

        def emit_err(b: bytes) -> None:
            emit_err_text(err_text.feed(b))

        with self.op_lock:
            start = time.monotonic()
            self._interrupt_at = None
            self._interrupts = 0
            with self._flags:
                self._starting, self._cancel = True, False
                self._partial_line = self._input_closed = False
            self._run_done.clear()
            plan = Plan(b"")
            try:
                try:
                    self.enter_raw()
                    if clean:
                        self.soft_reset_raw()
                    if self._cancel:
                        raise _Cancelled()
                    plan = self._plan(source, clean)
                    if plan.loader_name is not None or filename is not None:
                        namer = TracebackNamer(filename or plan.board_name, plan.board_name,
                                               plan.loader_name)
                    failed = self._load(plan)
                    if failed:
                        emit_err(failed)
                        frame = _Frame(b"", failed, "normal")
                    else:
                        self._submit_program(plan.program)
                    submitted = not failed
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
                if late_stop and submitted:  # Stop came after the last byte went out
                    self.interrupt()
                if submitted:
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
                with self._flags:
                    if self._input_closed or self._partial_line:
                        self._stray_input = True
            rest = out_text.flush()
            if rest and not stdout_bytes:
                on_stdout(rest)  # type: ignore[arg-type]
            emit_err_text(err_text.flush())
            if namer is not None:
                rest = namer.flush()
                if rest:
                    err_all.append(rest)
                    on_stderr(rest)
            error = "".join(err_all)
            ending = frame.ending
            if ending == "normal" and frame.stderr:
                ending = "exception"
            if ending == "exception" and "KeyboardInterrupt" in error and interrupted:
                ending = "interrupted"
            return RunResult(ending, error, time.monotonic() - start, plan.stripped)

    def _submit_program(self, program: bytes) -> None:
        """Submit a user program; sent again if its end was lost (none of it ran)."""
        for attempt in range(RESENDS + 1):
            try:
                self._submit(program, cancellable=True)
                return
            except _EndLost as lost:
                if attempt == RESENDS:
                    raise lost.args[0] from None
                self.resent += 1

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
        self._interrupt_mark = self._out_seen
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
            if self._input_closed:
                return False
            if data:
                self._partial_line = not data.endswith(b"\r")
            if self.state != State.RUNNING:
                if self._starting:
                    self._queued_input.append(data)
                    return True
                return False
        self._write(data, paced=True)
        return True

    def close_input(self) -> bool:
        """End of input for the running program: its next input() raises EOFError.

        MicroPython's input() raises EOFError for Ctrl-D on an empty line (py/modbuiltins.c,
        the V1 firmware and current releases alike), so a half-typed line is ended with Enter
        first, as a terminal would.  False when no program runs.
        """
        with self._flags:
            if self._input_closed:
                return self.state == State.RUNNING or self._starting
            if self._interrupt_at is not None:
                return False  # being stopped: an EOFError now would replace KeyboardInterrupt
            data = (b"\r" if self._partial_line else b"") + b"\x04"
            self._partial_line = False
            if self.state != State.RUNNING:
                if not self._starting:
                    return False
                self._queued_input.append(data)
                self._input_closed = True
                return True
            self._input_closed = True
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

    def hard_reset(self, trust_break: bool = False) -> str:
        """Reset the chip without needing a prompt first; returns how it was done.

        A program that ignores Ctrl-C, or a board that never shows a prompt, is exactly when
        a teacher needs this, so the signals that need no prompt come first: a serial break
        (DAPLink resets the micro:bit on it; harmless elsewhere), then the RTS reset line on
        boards wired for it (ESP32-style USB-UART), and ``machine.reset()`` only as the last
        resort.  A signal is trusted when the profile is known from USB (``trust_break``);
        otherwise the board must show that it restarted (its banner, or an ESP32 ROM's boot
        line), because a pty or an adapter without the wiring accepts the signal and does
        nothing.  May be called from another thread while ``run()`` streams (a program that
        ignores Ctrl-C): the run then ends as "reset" once the board is back at its prompt.
        """
        profile = self.profile
        if profile.reset_by_break or profile.id == "generic":
            if self.t.send_break() and (trust_break or self._restarted(1.5)):
                self._after_hard_reset()
                return "serial break"
        if profile.reset_by_rts:
            if self.t.pulse_reset_line() and (trust_break or self._restarted(2.0)):
                self._after_hard_reset()
                return "reset line (RTS)"
        advice = (f"The board on {self.port} ignores Ctrl-C and cannot be reset over this "
                  "port: press its reset button, or unplug it and plug it in again.")
        if self.state == State.RUNNING:
            self.interrupt()
            if not self._run_done.wait(3.0):
                raise BoardError(advice, self.port)
        with self.op_lock:
            try:
                self.enter_raw(2.0)
            except NoResponse:
                raise BoardError(advice, self.port) from None
            self._write(b"import machine\nmachine.reset()\x04")
            self._after_hard_reset()
            return "machine.reset()"

    def _restarted(self, wait: float) -> bool:
        """Did the board print a boot banner within ``wait`` s? (Left unread, for a watcher.)

        While a run streams, its own loop reads the port and ends the run as "reset".
        """
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.state == State.RUNNING:
                if self._run_done.wait(0.05):
                    return True
                continue
            seen = self.t.peek()
            if FRIENDLY_BANNER.search(seen) or SOFT_REBOOT in seen or ESP_ROM_BOOT.search(seen):
                return True
            time.sleep(0.05)
        return False

    def _after_hard_reset(self) -> None:
        self._stray_input = False
        if self.state != State.RUNNING:
            self.state = State.UNKNOWN  # friendly REPL, maybe running main.py
