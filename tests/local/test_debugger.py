"""The teaching debugger's engine: a real child under debuggee.py, the real loopback channel.

No Qt here: the channel reports events to a queue, as the GUI's signal does.
"""

from __future__ import annotations

import ast
import json
import os
import queue
import socket
import sys
import textwrap
import time
from pathlib import Path

import pytest

from presenter.local import debuggee
from presenter.local.debuggee import VALUE_CHARS, scope_items, value_text
from presenter.local.debugger import (
    DEBUGGEE,
    BreakpointsMoved,
    Connected,
    DebugChannel,
    Disconnected,
    Refused,
    Stopped,
    debuggee_argv,
)
from presenter.local.process import LocalProcess

LONG = 30.0  # seconds: generous under load; never a speed assertion

PROGRAM = textwrap.dedent("""\
    def square(n):
        result = n * n
        return result


    def twice(n):
        return square(n) + square(n)


    total = 0
    for i in range(3):
        total += twice(i)
    print("total", total)
""")


class Session:
    """One debugged child: its channel's events in a queue, its process, its output."""

    def __init__(self, tmp_path: Path, source: str, breakpoints: list[int],
                 interpreter: str = sys.executable, name: str = "demo.py") -> None:
        self.script = tmp_path / name
        self.script.write_text(source, encoding="utf-8")
        self.events: queue.Queue = queue.Queue()
        self.channel = DebugChannel(self.events.put)
        env = dict(os.environ, **self.channel.child_env())
        self.process = LocalProcess(debuggee_argv(interpreter, str(self.script)),
                                    cwd=str(tmp_path), env=env)
        self.process.start()
        self.channel.configure({str(self.script): breakpoints}, stop_on_entry=not breakpoints)

    def next(self, kind, timeout: float = LONG):
        """The next event of ``kind``, skipping others."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if isinstance(event, kind):
                return event

    def step(self, command: str) -> Stopped:
        self.channel.send_command(command)
        return self.next(Stopped)

    def finish(self) -> str:
        """Wait for the program to end; its whole output."""
        assert self.process.wait(LONG) is not None
        self.process.wait_output(LONG)
        return "".join(chunk.text for chunk in self.process.output.take().chunks)

    def close(self) -> None:
        self.channel.close()
        self.process.kill()


@pytest.fixture
def sessions():
    started: list[Session] = []

    def start(*args, **kwargs) -> Session:
        session = Session(*args, **kwargs)
        started.append(session)
        return session

    yield start
    for session in started:
        session.close()


def names(variables) -> dict[str, str]:
    return {v.name: v.value for v in variables}


def test_breakpoint_stops_with_locals_globals_and_the_stack(sessions, tmp_path):
    s = sessions(tmp_path, PROGRAM, [2])
    connected = s.next(Connected)
    assert connected.pid == s.process.pid
    stop = s.next(Stopped)
    assert (stop.reason, stop.line, stop.function) == ("breakpoint", 2, "square")
    assert names(stop.locals) == {"n": "0"}
    assert names(stop.globals)["total"] == "0" and names(stop.globals)["i"] == "0"
    assert "__name__" not in names(stop.globals)  # dunder names are not a class's business
    assert [(f.function, f.line) for f in stop.stack] == [("square", 2), ("twice", 7),
                                                         ("<module>", 12)]
    assert Path(stop.path) == s.script.resolve()


def test_step_over_into_and_out_follow_the_users_code(sessions, tmp_path):
    s = sessions(tmp_path, PROGRAM, [7])
    stop = s.next(Stopped)
    assert (stop.line, stop.function) == (7, "twice")
    stop = s.step("step_into")  # into square, at its first line (not at "def")
    assert (stop.line, stop.function) == (2, "square")
    stop = s.step("step_over")
    assert (stop.line, names(stop.locals)) == (3, {"n": "0", "result": "0"})
    stop = s.step("step_out")  # square returns: back in twice, at the line of the call
    assert (stop.function, stop.line) == ("twice", 7)
    stop = s.step("step_over")  # over the second call too; twice returns to the loop's line
    assert (stop.function, stop.line) == ("<module>", 12)
    assert names(stop.globals)["total"] == "0"  # the line has not finished yet
    stop = s.step("continue")  # to the breakpoint, next time round the loop
    assert (stop.function, stop.line) == ("twice", 7)
    assert names(stop.globals)["i"] == "1"
    s.channel.set_breakpoints({})
    s.channel.send_command("continue")
    assert "total 10" in s.finish()


def test_no_breakpoints_stops_at_the_first_line(sessions, tmp_path):
    s = sessions(tmp_path, PROGRAM, [])
    stop = s.next(Stopped)
    assert (stop.reason, stop.line, stop.function) == ("entry", 1, "<module>")
    assert stop.locals is None  # module level: the locals are the globals


def test_stepping_skips_library_code(sessions, tmp_path):
    source = "import json\n\ntext = json.dumps({'a': 1})\nprint(text)\n"
    s = sessions(tmp_path, source, [3])
    assert s.next(Stopped).line == 3
    stop = s.step("step_into")  # json.dumps is library code: the next stop is ours again
    assert (Path(stop.path), stop.line) == (s.script.resolve(), 4)


def test_a_breakpoint_on_a_line_without_code_moves_to_the_next_one(sessions, tmp_path):
    s = sessions(tmp_path, PROGRAM, [4, 9, 40])  # blank, blank, past the end
    moved = s.next(BreakpointsMoved)
    assert moved.lines == {4: 6, 9: 10, 40: None}
    assert s.next(Stopped).line == 6  # "def twice" runs when the module defines it


def test_breakpoints_set_while_the_program_runs_take_effect(sessions, tmp_path):
    source = textwrap.dedent("""\
        import time
        count = 0
        while count < 1000:
            count += 1
            time.sleep(0.01)
        print("done", count)
    """)
    s = sessions(tmp_path, source, [2])
    assert s.next(Stopped).line == 2
    s.channel.set_breakpoints({})
    s.channel.send_command("continue")
    time.sleep(0.2)  # running freely in the loop now
    s.channel.set_breakpoints({str(s.script): [4]})
    stop = s.next(Stopped)
    assert stop.line == 4 and 0 < int(names(stop.globals)["count"]) < 1000


def test_input_reaches_the_program_while_it_is_debugged(sessions, tmp_path):
    source = "name = input('Name? ')\ngreeting = 'Hello ' + name\nprint(greeting)\n"
    s = sessions(tmp_path, source, [2])
    s.process.write_stdin("Ada\n")
    stop = s.next(Stopped)
    assert names(stop.globals)["name"] == "'Ada'"
    s.channel.send_command("continue")
    assert s.finish() == "Name? Hello Ada\n"


def test_an_uncaught_error_shows_the_programs_traceback_only(sessions, tmp_path):
    s = sessions(tmp_path, "x = 1\ny = x / 0\n", [])
    s.next(Stopped)
    s.channel.send_command("continue")
    output = s.finish()
    assert s.process.returncode == 1
    assert "ZeroDivisionError: division by zero" in output
    assert f'File "{s.script}", line 2' in output
    assert "debuggee" not in output and "bdb.py" not in output


def test_a_syntax_error_is_reported_as_python_reports_it(sessions, tmp_path):
    s = sessions(tmp_path, "x = 1\ny = (\n", [])
    output = s.finish()
    assert s.process.returncode == 1
    assert f'File "{s.script}", line 2' in output and "SyntaxError" in output


def test_hanging_up_ends_a_paused_program(sessions, tmp_path):
    s = sessions(tmp_path, "print('before')\nprint('after')\n", [2])
    s.next(Stopped)
    s.channel.close()
    assert s.finish() == "before\n"
    assert s.process.returncode == 0


# ---- The channel: only the child the IDE started


def test_the_channel_refuses_a_client_without_the_secret(sessions, tmp_path):
    events: queue.Queue = queue.Queue()
    channel = DebugChannel(events.put)
    try:
        with socket.create_connection(("127.0.0.1", channel.port), timeout=LONG) as intruder:
            hello = {"event": "hello", "secret": "0" * 64, "pid": 1}
            intruder.sendall((json.dumps(hello) + "\n").encode())
            assert isinstance(events.get(timeout=LONG), Refused)
            intruder.settimeout(LONG)
            assert intruder.recv(100) == b""  # hung up on, nothing was sent to it
        with socket.create_connection(("127.0.0.1", channel.port), timeout=LONG) as silent:
            silent.sendall(b"GET / HTTP/1.0\r\n\r\n")
            assert isinstance(events.get(timeout=LONG), Refused)
        assert channel.refused == 2 and not channel.is_connected()
    finally:
        channel.close()


def test_once_the_child_is_in_nobody_else_can_connect(sessions, tmp_path):
    s = sessions(tmp_path, PROGRAM, [2])
    s.next(Stopped)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", s.channel.port), timeout=LONG).close()


def test_the_secret_is_not_on_the_command_line_nor_left_to_the_program(sessions, tmp_path):
    source = "import os\nleft = sorted(k for k in os.environ if k.startswith('PRESENTER_DEBUG'))\n" \
             "print(left)\n"
    s = sessions(tmp_path, source, [3])
    s.next(Stopped)
    secret = s.channel.child_env()[debuggee.SECRET_ENV]
    cmdline = Path(f"/proc/{s.process.pid}/cmdline").read_bytes()
    assert secret.encode() not in cmdline  # ps shows the command line to every user
    s.channel.send_command("continue")
    assert s.finish() == "[]\n"


# ---- Values: repr made in the child, cut, never a crash


class Loud:
    def __repr__(self):
        raise ValueError("no repr for you")


class Huge:
    def __repr__(self):
        return "x" * 1_000_000


def test_values_are_repr_text_cut_to_a_readable_length():
    assert value_text([3, 1, 4]) == "[3, 1, 4]"
    assert value_text("hi") == "'hi'"
    assert value_text({"b": 1, "a": 2}) == "{'b': 1, 'a': 2}"  # insertion order, as repr
    huge = value_text(Huge())
    assert len(huge) == VALUE_CHARS and huge.endswith("\u2026")
    many = value_text(list(range(10_000_000)))  # never built whole
    assert many.startswith("[0, 1, 2,") and len(many) <= VALUE_CHARS


def test_a_repr_that_raises_gives_an_error_text():
    assert value_text(Loud()) == "<repr failed: ValueError: no repr for you>"
    assert value_text([1, Loud()]) == "[1, <repr failed: ValueError: no repr for you>]"
    items, hidden = scope_items({"ok": 1, "bad": Loud(), "__doc__": None})
    assert items == [["ok", "1"], ["bad", "<repr failed: ValueError: no repr for you>"]]
    assert hidden == 0


def test_the_child_side_is_python_3_8_syntax():
    """It runs in whatever Python the teacher chose, so it must parse in older ones too."""
    ast.parse(Path(DEBUGGEE).read_text(encoding="utf-8"), feature_version=(3, 8))


OTHER_PYTHONS = [Path(f"/root/.pyenv/versions/{v}/bin/python") for v in ("3.8.18", "3.13.0")]


@pytest.mark.parametrize("python", OTHER_PYTHONS, ids=lambda p: p.parts[-3])
def test_it_debugs_with_other_interpreters(sessions, tmp_path, python):
    if not python.exists():
        pytest.skip(f"{python} is not installed here")
    s = sessions(tmp_path, PROGRAM, [2], interpreter=str(python))
    stop = s.next(Stopped)
    assert (stop.line, names(stop.locals)) == (2, {"n": "0"})
    assert s.step("step_over").line == 3
    s.channel.set_breakpoints({})
    s.channel.send_command("continue")
    assert "total 10" in s.finish()
    assert isinstance(s.next(Disconnected), Disconnected)
