"""The IDE's end of the teaching debugger: a loopback channel only the child it started can use.

The program runs in a child process exactly as with Run (``local/process.py``: the same
pipes, so output streams and ``input()`` works, and the same Stop that ends the process
tree), but started through ``debuggee.py`` beside this file, which runs it under the
standard library's ``bdb`` and talks to this channel in JSON lines.

Who may talk: ``DebugChannel`` listens on 127.0.0.1 on a port the system picks, and hands
the child the port and a 256-bit secret through its environment (``child_env``; the child
removes both before the program runs). A connection must send the secret in its first
line within ``HANDSHAKE_S``; anything else is closed and reported as ``Refused``. The
first connection that shows it is the child, and the listener closes then, so nobody can
connect afterwards. Nothing the child sends is ever evaluated here: values arrive as text.

Why ``bdb`` and not debugpy, which speaks the Debug Adapter Protocol the ecosystem uses
(measured on this machine, 2 cores, figures in the README; ``bench/debug_first_stop.py``
runs both):

* **Time to the first breakpoint**: 0.05-0.08 s from F6 to the highlighted line and its
  variables in the window, against 0.70-0.76 s for debugpy to report its first stop (adapter
  process, launcher process, then pydevd in the program) plus 0.18 s to fetch what the
  variables pane shows, every time Debug is pressed in front of the class.
* **Each step**: debugpy answers ``stackTrace``, ``scopes`` and ``variables`` as separate
  requests, about 45 ms each on the loopback here, so a stop with both scopes costs four
  round trips; here the stop message carries the variables: a step (F10) shows in 7 ms.
* **The secret stays private**: debugpy's launcher passes its access token to the program
  on the command line (``--adapter-access-token ...``), which every user of a shared lab
  machine can read with ``ps``; the brief asks for the environment or peer credentials.
* **Any Python the teacher points at**: the child side needs only the standard library of
  the interpreter that runs the demo; debugpy must be importable there.
* **Teaching semantics**: stepping skips library code, a step into lands on a function's
  first line (never its ``def`` line), and the pane shows a class's own names, not
  debugpy's "special variables"/"function variables" groups.

What debugpy does and this does not: threads other than the main one, subprocesses,
attaching to a running process, conditional breakpoints. None is needed to teach stepping.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import socket
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from presenter.local.debuggee import PORT_ENV, SECRET_ENV

log = logging.getLogger(__name__)

DEBUGGEE = str(Path(__file__).with_name("debuggee.py"))
HANDSHAKE_S = 5.0  # a connection has this long to show the secret
MAX_HELLO = 4096  # bytes read from a connection before it has shown the secret
COMMANDS = ("continue", "step_over", "step_into", "step_out")


# ---- Events (delivered to ``on_event`` from the channel's own threads)


@dataclass(frozen=True)
class Variable:
    name: str
    value: str  # repr text made in the child, already cut to a readable length


@dataclass(frozen=True)
class StackFrame:
    function: str
    path: str
    line: int


@dataclass(frozen=True)
class Connected:
    """The child showed the secret; nobody else can connect now."""

    pid: int
    python: str


@dataclass(frozen=True)
class Stopped:
    """The program is paused at ``path``:``line``; ``locals`` is None at module level."""

    reason: str  # "entry", "breakpoint" or "step"
    path: str
    line: int
    function: str
    stack: tuple[StackFrame, ...]  # innermost first, the user's code only
    locals: tuple[Variable, ...] | None
    globals: tuple[Variable, ...]
    hidden: int  # names left out beyond the child's limit


@dataclass(frozen=True)
class BreakpointsMoved:
    """Where the child put the breakpoints of ``path``: requested line -> line (None: no code)."""

    path: str
    lines: dict[int, int | None]


@dataclass(frozen=True)
class Refused:
    """A connection that did not show the secret was closed."""

    peer: str


@dataclass(frozen=True)
class Disconnected:
    """The child closed the channel (the program ended or was stopped)."""


Event = Connected | Stopped | BreakpointsMoved | Refused | Disconnected


def debuggee_argv(interpreter: str, script: str, args: Sequence[str] = ()) -> list[str]:
    """The command that runs ``script`` under the debugger, as ``[interpreter, "-u", script]``
    runs it without."""
    return [interpreter, "-u", DEBUGGEE, script, *args]


class DebugChannel:
    """Listens for the one child; sends it commands and breakpoints; reports what it says.

    ``on_event`` is called on the channel's threads (the GUI wraps it in a queued signal).
    All methods return at once.
    """

    def __init__(self, on_event: Callable[[Event], None]) -> None:
        self._on_event = on_event
        self._secret = secrets.token_hex(32)
        self._breakpoints: dict[str, list[int]] = {}
        self._stop_on_entry = False
        self._configured = threading.Event()
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._started = False  # the child has its start message: commands may follow
        self._closed = False
        self.refused = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._listener.settimeout(0.2)  # the accept loop checks for close() this often
        self.port: int = self._listener.getsockname()[1]
        threading.Thread(target=self._accept_loop, name="presenter-debug-accept",
                         daemon=True).start()

    # ---- Public API

    def child_env(self) -> dict[str, str]:
        """What the child's environment must hold to connect (readable by this user alone)."""
        return {PORT_ENV: str(self.port), SECRET_ENV: self._secret}

    def is_connected(self) -> bool:
        return self._sock is not None and not self._closed

    def configure(self, breakpoints: Mapping[str, Sequence[int]], stop_on_entry: bool) -> None:
        """What the child starts with; it waits for this after showing the secret.

        Separate from the constructor because the breakpoints are keyed by the file the
        child runs, which is known only once the run has been prepared (a temp copy for an
        untitled tab), after ``child_env`` went into the child's environment.
        """
        with self._lock:
            self._breakpoints = _plain(breakpoints)
            self._stop_on_entry = stop_on_entry
        self._configured.set()

    def set_breakpoints(self, breakpoints: Mapping[str, Sequence[int]]) -> None:
        """Every breakpoint, by file (1-based lines); replaces the previous set."""
        with self._lock:
            self._breakpoints = _plain(breakpoints)
            if self._started:
                self._send_locked({"command": "breakpoints", "breakpoints": self._breakpoints})

    def send_command(self, name: str) -> None:
        """Resume a paused program: ``continue``, ``step_over``, ``step_into`` or ``step_out``."""
        if name not in COMMANDS:
            raise ValueError(f"not a debugger command: {name!r}")
        with self._lock:
            if self._started:
                self._send_locked({"command": name})

    def close(self) -> None:
        """Stop listening and hang up (the child then ends its program at its next line)."""
        self._closed = True
        self._stop_listening()
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            _close_quietly(sock)

    # ---- Internals

    def _stop_listening(self) -> None:
        # shutdown() first: close() alone leaves the kernel listening (and completing
        # connections) until the accept thread's poll() returns, up to 0.2 s later.
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        _close_quietly(self._listener)

    def _send_locked(self, message: dict) -> None:
        if self._sock is None:
            return
        try:
            self._sock.sendall((json.dumps(message) + "\n").encode("utf-8"))
        except OSError:
            pass  # the child is gone: its reader reports Disconnected

    def _accept_loop(self) -> None:
        while not self._closed and self._sock is None:
            try:
                conn, peer = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            threading.Thread(target=self._handshake, args=(conn, peer),
                             name="presenter-debug-handshake", daemon=True).start()

    def _handshake(self, conn: socket.socket, peer) -> None:
        """Let the connection in if its first line carries the secret, else close it."""
        hello = _read_hello(conn)
        secret = str(hello.get("secret", "")) if hello else ""
        shown = hmac.compare_digest(secret.encode("utf-8"), self._secret.encode("utf-8"))
        with self._lock:
            accepted = shown and self._sock is None and not self._closed
            if accepted:
                self._sock = conn  # the first to show the secret: no one else gets in
        if not accepted:
            self.refused += 1
            _close_quietly(conn)
            log.warning("debugger: refused a connection from %s without the secret", peer)
            self._deliver(Refused(f"{peer[0]}:{peer[1]}"))
            return
        self._stop_listening()  # the child is in: nobody else gets to connect
        assert hello is not None
        conn.settimeout(None)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while not self._configured.wait(0.2):
            if self._closed:
                return
        with self._lock:
            self._send_locked({"command": "start", "breakpoints": self._breakpoints,
                               "stop_on_entry": self._stop_on_entry})
            self._started = True
        self._deliver(Connected(int(hello.get("pid") or 0), str(hello.get("python") or "")))
        self._read_loop(conn)

    def _read_loop(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        try:
            for line in reader:
                event = _event_from(line)
                if event is not None:
                    self._deliver(event)
        except (OSError, ValueError):
            pass
        finally:
            _close_quietly(reader)
        self._deliver(Disconnected())

    def _deliver(self, event: Event) -> None:
        if self._closed:
            return  # whoever closed the channel wants no more events (its window may be gone)
        try:
            self._on_event(event)
        except Exception:  # noqa: BLE001 (a receiver's bug must not kill the channel)
            log.exception("debugger: event handler failed for %r", event)


def _read_hello(conn: socket.socket) -> dict | None:
    """The first line of a new connection, within the handshake time and size, as JSON."""
    conn.settimeout(HANDSHAKE_S)
    data = b""
    try:
        while b"\n" not in data and len(data) < MAX_HELLO:
            chunk = conn.recv(MAX_HELLO - len(data))
            if not chunk:
                return None
            data += chunk
    except OSError:
        return None
    line = data.split(b"\n", 1)[0]
    try:
        message = json.loads(line.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("event") != "hello":
        return None
    return message


def _event_from(line: bytes) -> Event | None:
    """One JSON line from the child as an event; anything malformed is dropped (and logged)."""
    try:
        message = json.loads(line.decode("utf-8"))
        kind = message.get("event")
        if kind == "stopped":
            local_items = message.get("locals")
            return Stopped(
                reason=str(message["reason"]), path=str(message["path"]),
                line=int(message["line"]), function=str(message["function"]),
                stack=tuple(StackFrame(str(f), str(p), int(n)) for f, p, n in message["stack"]),
                locals=None if local_items is None else _variables(local_items),
                globals=_variables(message["globals"]), hidden=int(message.get("hidden", 0)))
        if kind == "breakpoints":
            lines = {int(k): (None if v is None else int(v)) for k, v in message["lines"].items()}
            return BreakpointsMoved(str(message["path"]), lines)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("debugger: dropped a malformed message (%s): %.200r", exc, line)
    return None


def _variables(items) -> tuple[Variable, ...]:
    return tuple(Variable(str(name), str(value)) for name, value in items)


def _plain(breakpoints: Mapping[str, Sequence[int]]) -> dict[str, list[int]]:
    return {str(path): sorted({int(line) for line in lines}) for path, lines in breakpoints.items()}


def _close_quietly(thing) -> None:
    try:
        thing.close()
    except OSError:
        pass
