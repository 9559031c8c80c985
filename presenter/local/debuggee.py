"""The child side of the teaching debugger: runs the program under ``bdb``, one JSON line each way.

Started by the IDE as ``python -u debuggee.py SCRIPT ARGS...`` with the same interpreter, the
same pipes and the same process group as an ordinary Run (``local/process.py``), so output
streams, ``input()`` works and Stop ends the whole tree. It needs nothing but the standard
library of the interpreter it runs in (the speaker's demo venv need not have anything
installed) and imports nothing from Presenter; it is kept to Python 3.8 syntax.

Why ``bdb`` (the standard library's debugger core, which pdb uses) and not debugpy: see
``local/debugger.py``. What this file adds to ``bdb``:

* The channel: it connects to the loopback port in ``PRESENTER_DEBUG_PORT`` and first sends
  the secret from ``PRESENTER_DEBUG_SECRET``; both are removed from ``os.environ`` before the
  program runs, so neither the program nor anything it starts sees them. Then JSON lines:
  the IDE sends commands, this side sends events (``stopped`` carries the frame's variables,
  so a step costs one message each way and no round trips).
* Teaching steps: only the user's own code is stepped through (the script and files outside
  the interpreter's own library folders). Step over stops at the next line of the same
  frame, step out in the caller right after the frame returned (at the line of the call);
  step into stops at a function's first line, never at its ``def`` line.
* Values are ``repr`` text made here, never objects: cut to a readable length, with an
  error text in place of a ``__repr__`` that raises. The IDE never sends code to evaluate.
* Breakpoints set while the program runs take effect: the reader thread replaces the set,
  and tracing is never switched off while the program runs (``bdb.set_continue`` would).
"""

from __future__ import annotations

import bdb
import builtins
import json
import os
import queue
import reprlib
import signal
import socket
import sys
import sysconfig
import threading
import traceback
import types

PORT_ENV = "PRESENTER_DEBUG_PORT"
SECRET_ENV = "PRESENTER_DEBUG_SECRET"
# A value's text is cut to this many characters: enough for a list of a dozen numbers or
# a sentence, short enough to read from the back of a room.
VALUE_CHARS = 200
# At most this many names per scope (``from tkinter import *`` adds hundreds).
MAX_NAMES = 300
# Containers show at most this many items before "...": their repr is never built whole.
MAX_ITEMS = 100

_HERE = os.path.realpath(__file__)
_MACHINERY = {_HERE, os.path.realpath(bdb.__file__), os.path.realpath(queue.__file__),
              os.path.realpath(threading.__file__)}


# ---- Values as text


class _ValueRepr(reprlib.Repr):
    """``repr`` with limits, so a list of ten million numbers costs a hundred items.

    reprlib sorts dict keys and set items; a class learns that a dict keeps insertion order,
    so the order here is the one ``repr`` shows. A ``__repr__`` that raises gives an error
    text in its place, also inside a container.
    """

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 4
        for kind in ("tuple", "list", "array", "deque", "set", "frozenset", "dict"):
            setattr(self, "max" + kind, MAX_ITEMS)
        self.maxstring = self.maxlong = self.maxother = VALUE_CHARS + 10

    def repr_dict(self, x, level):
        if not x:
            return "{}"
        if level <= 0:
            return "{...}"
        parts = []
        for index, (key, value) in enumerate(x.items()):
            if index >= self.maxdict:
                parts.append("...")
                break
            parts.append(f"{self.repr1(key, level - 1)}: {self.repr1(value, level - 1)}")
        return "{" + ", ".join(parts) + "}"

    def repr_set(self, x, level):
        return self._unsorted(x, level, "{", "}", "set()")

    def repr_frozenset(self, x, level):
        return self._unsorted(x, level, "frozenset({", "})", "frozenset()")

    def _unsorted(self, x, level, left, right, empty):
        if not x:
            return empty
        if level <= 0:
            return left + "..." + right
        items = []
        for index, item in enumerate(x):
            if index >= self.maxset:
                items.append("...")
                break
            items.append(self.repr1(item, level - 1))
        return left + ", ".join(items) + right

    def repr_instance(self, x, level):
        try:
            text = builtins.repr(x)
        except Exception as exc:  # noqa: BLE001 (any error in user code is shown, not raised)
            return _failed(exc)
        if not isinstance(text, str):  # a __repr__ returning bytes raised TypeError above
            return _failed(TypeError("__repr__ returned " + type(text).__name__))
        return text


def _failed(exc: BaseException) -> str:
    try:
        detail = str(exc)
    except Exception:  # noqa: BLE001
        detail = ""
    name = type(exc).__name__
    return f"<repr failed: {name}: {detail}>" if detail else f"<repr failed: {name}>"


_REPR = _ValueRepr()


def value_text(value: object) -> str:
    """What the variables pane shows for ``value``: its repr, cut, or why there is none."""
    try:
        text = _REPR.repr(value)
    except RecursionError:
        text = "<repr failed: RecursionError>"
    except Exception as exc:  # noqa: BLE001
        text = _failed(exc)
    if len(text) > VALUE_CHARS:
        text = text[:VALUE_CHARS - 1] + "\u2026"
    # Lone surrogates (from bytes decoded with surrogateescape) cannot cross as UTF-8.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def scope_items(names: dict) -> tuple[list[list[str]], int]:
    """A scope's variables as [name, text] pairs in definition order, without dunder names.

    Returns the pairs and how many more names there were beyond ``MAX_NAMES``.
    """
    items: list[list[str]] = []
    hidden = 0
    for name, value in list(names.items()):
        if not isinstance(name, str) or (name.startswith("__") and name.endswith("__")):
            continue
        if len(items) >= MAX_NAMES:
            hidden += 1
            continue
        items.append([name, value_text(value)])
    return items, hidden


# ---- Which code is the user's


def _library_folders() -> tuple[str, ...]:
    folders = set()
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(key):
            folders.add(os.path.realpath(paths[key]))
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix):
        folders.add(os.path.realpath(os.path.join(prefix, "lib")))
    return tuple(folder.rstrip(os.sep) + os.sep for folder in folders)


def executable_lines(code: types.CodeType) -> set[int]:
    """Every line of ``code`` and the code objects inside it that has instructions."""
    import dis

    lines = set()
    todo = [code]
    while todo:
        current = todo.pop()
        lines.update(line for _offset, line in dis.findlinestarts(current) if line)
        todo.extend(const for const in current.co_consts if isinstance(const, types.CodeType))
    return lines


# ---- The channel


class Channel:
    """JSON lines over the socket; writes come from two threads, so they take a lock."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._reader = sock.makefile("rb")
        self._lock = threading.Lock()

    def send(self, message: dict) -> None:
        data = (json.dumps(message) + "\n").encode("utf-8")
        with self._lock:
            try:
                self._sock.sendall(data)
            except OSError:
                pass  # the IDE went away: the reader thread notices and ends the run

    def receive(self) -> dict | None:
        """The next message, or None when the IDE closed the channel."""
        try:
            line = self._reader.readline()
        except OSError:
            return None
        if not line:
            return None
        try:
            message = json.loads(line.decode("utf-8"))
        except ValueError:
            return {}
        return message if isinstance(message, dict) else {}


# ---- The debugger


class TeachingDebugger(bdb.Bdb):
    """Stops at breakpoints and steps through the user's code; sends what it sees."""

    def __init__(self, channel: Channel, script: str) -> None:
        super().__init__()
        self.channel = channel
        self.script = os.path.realpath(script)
        self._library = _library_folders()
        self._user_files: dict[str, bool] = {}
        self._lines: dict[str, set[int] | None] = {}
        self.breaks_by_file: dict[str, frozenset[int]] = {}
        self._commands: queue.SimpleQueue = queue.SimpleQueue()
        self._disconnected = False
        self._mode = "start"
        self._anchor: types.FrameType | None = None
        self.stop_on_entry = False

    # ---- Breakpoints (replaced whole, from either thread)

    def set_breakpoints(self, wanted: dict) -> None:
        """Take the IDE's breakpoints; reply with where each one really is.

        A breakpoint on a line without code (blank, comment, ``else:``) moves to the next
        line that has some, as the IDE then shows; one past the last code line is dropped.
        """
        breaks: dict[str, frozenset[int]] = {}
        for path, lines in wanted.items():
            real = self.canonic(path)
            known = self._code_lines(real)
            moved = {}
            for line in lines:
                target = line
                if known is not None:
                    later = [n for n in known if n >= line]
                    target = min(later) if later else None
                moved[str(line)] = target
            breaks[real] = frozenset(n for n in moved.values() if n is not None)
            self.channel.send({"event": "breakpoints", "path": path, "lines": moved})
        self.breaks_by_file = breaks  # one assignment: the tracing thread sees old or new

    def _code_lines(self, path: str) -> set[int] | None:
        if path not in self._lines:
            try:
                with open(path, "rb") as source:
                    code = compile(source.read(), path, "exec", dont_inherit=True)
                self._lines[path] = executable_lines(code)
            except (OSError, SyntaxError, ValueError):
                self._lines[path] = None  # not known: keep the lines as given
        return self._lines[path]

    # ---- bdb hooks

    def canonic(self, filename: str) -> str:
        if filename.startswith("<") and filename.endswith(">"):
            return filename
        canonic = self.fncache.get(filename)
        if canonic is None:
            canonic = os.path.normcase(os.path.realpath(filename))
            self.fncache[filename] = canonic
        return canonic

    def is_user_code(self, filename: str) -> bool:
        known = self._user_files.get(filename)
        if known is None:
            real = self.canonic(filename)
            known = real == self.script or not (
                real.startswith("<") or real in _MACHINERY or real.startswith(self._library)
                or "site-packages" in real or "dist-packages" in real)
            self._user_files[filename] = known
        return known

    def stop_here(self, frame: types.FrameType) -> bool:
        # Every line of the user's code reaches user_line, which decides; library code is
        # not traced at all (bdb then returns no local trace function for its frames).
        return self.is_user_code(frame.f_code.co_filename)

    def break_anywhere(self, frame: types.FrameType) -> bool:
        return False  # stop_here already traces every user frame

    def user_call(self, frame, argument_list) -> None:
        pass  # the first line of the body is where a step into stops

    def user_return(self, frame: types.FrameType, return_value) -> None:
        # Stepping over or out of a frame that returns stops in its caller, at the line of
        # the call, before the rest of that line runs: `total += twice(i)` is shown again
        # with `total` not yet changed, as debuggers do. Line events alone would skip to the
        # caller's next line, or into the next call on the same line.
        if self._mode in ("step_over", "step_out") and frame is self._anchor:
            caller = frame.f_back
            if caller is not None and caller is not self.botframe \
                    and self.is_user_code(caller.f_code.co_filename):
                self._pause(caller, "step")

    def user_exception(self, frame, exc_info) -> None:
        pass  # an uncaught error ends the run with its traceback, as in Run

    def user_line(self, frame: types.FrameType) -> None:
        if self._disconnected:
            self.set_quit()
            return
        line = frame.f_lineno
        at_break = line in self.breaks_by_file.get(self.canonic(frame.f_code.co_filename), ())
        mode = self._mode
        if mode == "continue":
            stop, reason = at_break, "breakpoint"
        elif mode == "start":  # the program's first line
            stop = at_break or self.stop_on_entry
            reason = "breakpoint" if at_break else "entry"
            self._mode = "continue"
        elif mode == "step_over":
            inside_call = _strictly_below(frame, self._anchor)
            stop, reason = at_break or not inside_call, "breakpoint" if inside_call else "step"
        elif mode == "step_out":
            returned = not _on_stack(frame, self._anchor)
            stop, reason = at_break or returned, "step" if returned else "breakpoint"
        else:  # step_into
            stop, reason = True, "step"
        if stop:
            self._pause(frame, reason)

    # ---- Pausing

    def _pause(self, frame: types.FrameType, reason: str) -> None:
        self.channel.send(self._stopped(frame, reason))
        command = self._commands.get()
        name = command.get("command")
        if name == "disconnect":
            self.set_quit()
            return
        self._anchor = frame if name in ("step_over", "step_out") else None
        self._mode = name if name in ("step_over", "step_out", "step_into") else "continue"

    def _stopped(self, frame: types.FrameType, reason: str) -> dict:
        stack = []
        walker: types.FrameType | None = frame
        while walker is not None:
            if self.is_user_code(walker.f_code.co_filename):
                stack.append([walker.f_code.co_name, self.canonic(walker.f_code.co_filename),
                              walker.f_lineno])
            walker = walker.f_back
        global_items, hidden = scope_items(frame.f_globals)
        message = {"event": "stopped", "reason": reason,
                   "path": self.canonic(frame.f_code.co_filename), "line": frame.f_lineno,
                   "function": frame.f_code.co_name, "stack": stack, "locals": None,
                   "globals": global_items, "hidden": hidden}
        if frame.f_locals is not frame.f_globals:
            local_items, more = scope_items(frame.f_locals)
            message["locals"] = local_items
            message["hidden"] = hidden + more
        return message

    # ---- Commands from the IDE (the reader thread)

    def read_commands(self) -> None:
        while True:
            message = self.channel.receive()
            if message is None:
                self._disconnected = True
                self._commands.put({"command": "disconnect"})
                return
            if message.get("command") == "breakpoints":
                self.set_breakpoints(message.get("breakpoints") or {})
            elif message.get("command") in ("continue", "step_over", "step_into", "step_out"):
                self._commands.put(message)


def _strictly_below(frame: types.FrameType, anchor: types.FrameType | None) -> bool:
    """True while ``frame`` runs inside a call made from ``anchor`` (deeper than it)."""
    walker = frame.f_back
    while walker is not None:
        if walker is anchor:
            return True
        walker = walker.f_back
    return False


def _on_stack(frame: types.FrameType, anchor: types.FrameType | None) -> bool:
    return frame is anchor or _strictly_below(frame, anchor)


# ---- Running the program


def _connect() -> Channel:
    port = int(os.environ.pop(PORT_ENV))
    secret = os.environ.pop(SECRET_ENV)
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.settimeout(None)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    channel = Channel(sock)
    channel.send({"event": "hello", "secret": secret, "pid": os.getpid(),
                  "python": ".".join(str(n) for n in sys.version_info[:3])})
    return channel


def _print_user_traceback(exc: BaseException) -> None:
    """The traceback Python would print, without the debugger's own frames."""
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    frames = list(te.stack)
    while frames and os.path.realpath(frames[0].filename) in _MACHINERY | {"<string>"}:
        frames.pop(0)
    while frames and os.path.realpath(frames[-1].filename) in _MACHINERY:
        frames.pop()
    te.stack = traceback.StackSummary.from_list(frames)
    sys.stderr.write("".join(te.format()))
    sys.stderr.flush()


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        sys.stderr.write("usage: debuggee.py SCRIPT [ARGS...]\n")
        return 2
    script = os.path.abspath(argv[1])
    channel = _connect()
    start = channel.receive() or {}
    # As `python SCRIPT` would have it: the script's folder first on the path (not this
    # file's), its name in argv, and a fresh __main__ module for its globals.
    sys.argv = [script, *argv[2:]]
    sys.path[0] = os.path.dirname(os.path.realpath(script))
    debugger = TeachingDebugger(channel, script)
    debugger.stop_on_entry = bool(start.get("stop_on_entry"))
    debugger.set_breakpoints(start.get("breakpoints") or {})
    threading.Thread(target=debugger.read_commands, name="presenter-debug-reader",
                     daemon=True).start()
    try:
        with open(script, "rb") as source:
            code = compile(source.read(), script, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        traceback.print_exception(type(exc), exc, None)
        return 1
    module = types.ModuleType("__main__")
    module.__dict__.update({"__file__": script, "__builtins__": builtins, "__cached__": None})
    sys.modules["__main__"] = module
    try:
        debugger.run(code, module.__dict__)
    except SystemExit:
        raise
    except KeyboardInterrupt as exc:  # Stop while paused or running: as Python ends on Ctrl-C
        _print_user_traceback(exc)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        return 130
    except BaseException as exc:  # noqa: BLE001 (the program's own error, shown as Python would)
        _print_user_traceback(exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
