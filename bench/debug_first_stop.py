"""Benchmark: from Debug to the first breakpoint, and one step, against debugpy.

Three measurements, median of ``--repeat`` runs each, on the same 9-line program with a
breakpoint in a function:

  window_s       the real window: F6 pressed in the editor (a real key event through the
                 action table) until the paused line is highlighted and the variables are
                 shown (Workbench, Python mode, PythonRunner, DebugChannel, debuggee.py)
  window_step_s  F10 in the window until the next line is highlighted with its variables
  engine_s       the engine alone: DebugChannel + LocalProcess until the Stopped event
  debugpy_s      debugpy 1.8 for comparison, as an IDE would drive it: its adapter over
                 stdio, "launch" with runInTerminal (so the IDE starts the program and
                 keeps its pipes, as here), until its "stopped" event; then stackTrace,
                 scopes and the two variables requests a variables pane needs
                 (debugpy_vars_s); skipped if debugpy cannot be imported

Uses the X display if there is one, otherwise Qt's offscreen platform. The last line is JSON.

Usage: python bench/debug_first_stop.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _loop
from _loop import wait

_loop.prepare(display=True, private_home=True)

from PyQt5.QtCore import Qt  # noqa: E402
from PyQt5.QtTest import QTest  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402

PROGRAM = """\
def square(n):
    result = n * n
    return result


total = 0
for i in range(3):
    total += square(i)
print("total", total)
"""
BREAKPOINT = 2
TIMEOUT_S = 60


def window_runs(app: QApplication, repeat: int) -> tuple[list[float], list[float]]:
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    bench = Workbench(Settings.load())
    bench.start([])
    bench.window.activateWindow()
    wait(app, bench.window.isActiveWindow, TIMEOUT_S,  # window shortcuts (F6) need it
         "the window to be active")
    editor = bench.window.tabs.current()
    editor.setText(PROGRAM)
    editor.toggle_breakpoint(BREAKPOINT)
    first, step = [], []

    def paused_at(line: int) -> bool:
        debugger = bench.mode.debugger
        return debugger is not None and debugger.paused_editor() is editor \
            and editor.paused_line() == line

    for _ in range(repeat):
        editor.setFocus()
        wait(app, editor.hasFocus, TIMEOUT_S, "the editor's focus")
        started = time.perf_counter()
        QTest.keyClick(editor, Qt.Key_F6)
        wait(app, lambda: paused_at(BREAKPOINT), TIMEOUT_S, f"the pause at line {BREAKPOINT}")
        first.append(time.perf_counter() - started)
        started = time.perf_counter()
        QTest.keyClick(app.focusWidget(), Qt.Key_F10)
        wait(app, lambda: paused_at(BREAKPOINT + 1), TIMEOUT_S,
             f"the step to line {BREAKPOINT + 1}")
        step.append(time.perf_counter() - started)
        bench.stop()
        wait(app, lambda: not bench.is_running(), TIMEOUT_S, "the program to stop")
    editor.setModified(False)  # no "save changes?" question on closing
    bench.window.close()
    return first, step


def engine_runs(repeat: int, script: str) -> list[float]:
    from presenter.local.debugger import DebugChannel, Stopped, debuggee_argv
    from presenter.local.process import LocalProcess

    times = []
    for _ in range(repeat):
        events: queue.Queue = queue.Queue()
        started = time.perf_counter()
        channel = DebugChannel(events.put)
        process = LocalProcess(debuggee_argv(sys.executable, script),
                               env=dict(os.environ, **channel.child_env()))
        process.start()
        channel.configure({script: [BREAKPOINT]}, stop_on_entry=False)
        while not isinstance(events.get(timeout=TIMEOUT_S), Stopped):
            pass
        times.append(time.perf_counter() - started)
        channel.close()
        process.kill()
        process.wait(TIMEOUT_S)
    return times


class _Dap:
    """Just enough of a DAP client to time debugpy (requests in order, one at a time)."""

    def __init__(self) -> None:
        self.adapter = subprocess.Popen([sys.executable, "-m", "debugpy.adapter"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.seq = 0
        self.program: subprocess.Popen | None = None

    def send(self, message: dict) -> None:
        self.seq += 1
        data = json.dumps({**message, "seq": self.seq}).encode()
        self.adapter.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.adapter.stdin.flush()

    def request(self, command: str, arguments: dict | None = None) -> None:
        self.send({"type": "request", "command": command, "arguments": arguments or {}})

    def read(self) -> dict:
        length = 0
        while True:
            line = self.adapter.stdout.readline()
            if line in (b"\r\n", b""):
                break
            name, value = line.decode().split(":", 1)
            if name.strip().lower() == "content-length":
                length = int(value)
        return json.loads(self.adapter.stdout.read(length))

    def until(self, kind: str, name: str) -> dict:
        while True:
            message = self.read()
            if message.get("type") == "request" and message.get("command") == "runInTerminal":
                arguments = message["arguments"]
                self.program = subprocess.Popen(
                    arguments["args"], cwd=arguments.get("cwd"),
                    env=dict(os.environ, **arguments.get("env", {})), stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
                self.send({"type": "response", "request_seq": message["seq"], "success": True,
                           "command": "runInTerminal", "body": {"processId": self.program.pid}})
            elif message.get("type") == kind and name in (message.get("command"),
                                                           message.get("event")):
                return message
            elif message.get("type") == "event" and message.get("event") == "initialized":
                self.request("setBreakpoints", {"source": {"path": self.script},
                                                "breakpoints": [{"line": BREAKPOINT}]})
                self.request("configurationDone")

    def close(self) -> None:
        for process in (self.program, self.adapter):
            if process is not None:
                try:
                    os.killpg(process.pid, 9) if process is self.program else process.kill()
                except OSError:
                    pass
                process.wait(TIMEOUT_S)


def debugpy_runs(repeat: int, script: str) -> tuple[list[float], list[float]]:
    first, variables = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        dap = _Dap()
        dap.script = script
        try:
            dap.request("initialize", {"adapterID": "debugpy", "clientID": "bench",
                                       "supportsRunInTerminalRequest": True,
                                       "linesStartAt1": True, "pathFormat": "path"})
            dap.request("launch", {"program": script, "console": "integratedTerminal",
                                   "justMyCode": True, "python": [sys.executable]})
            stopped = dap.until("event", "stopped")
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            dap.request("stackTrace", {"threadId": stopped["body"]["threadId"]})
            frame = dap.until("response", "stackTrace")["body"]["stackFrames"][0]["id"]
            dap.request("scopes", {"frameId": frame})
            scopes = dap.until("response", "scopes")["body"]["scopes"]
            for scope in scopes:
                dap.request("variables", {"variablesReference": scope["variablesReference"]})
                dap.until("response", "variables")
            variables.append(time.perf_counter() - started)
        finally:
            dap.close()
    return first, variables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="presenter-bench-debug-"))
    script = str((folder / "demo.py").resolve())
    Path(script).write_text(PROGRAM, encoding="utf-8")

    window, window_step = window_runs(app, args.repeat)
    engine = engine_runs(args.repeat, script)
    figures = {
        "window_s": round(statistics.median(window), 3),
        "window_step_s": round(statistics.median(window_step), 4),
        "engine_s": round(statistics.median(engine), 3),
    }
    try:
        import debugpy  # noqa: F401
    except ImportError:
        print("debugpy is not installed: no comparison")
    else:
        first, variables = debugpy_runs(args.repeat, script)
        figures["debugpy_s"] = round(statistics.median(first), 3)
        figures["debugpy_vars_s"] = round(statistics.median(variables), 3)
    print(f"Debug (F6) to the first breakpoint, in the window: {figures['window_s']:.3f} s "
          f"(median of {args.repeat}); one step (F10): {figures['window_step_s'] * 1000:.1f} ms")
    print(f"the engine alone: {figures['engine_s']:.3f} s")
    if "debugpy_s" in figures:
        print(f"debugpy: first stop {figures['debugpy_s']:.3f} s; stack, scopes and variables "
              f"for the pane another {figures['debugpy_vars_s']:.3f} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
