"""Benchmark: the window in micro:bit mode on the virtual micro:bit; does the stage ever freeze?

A real Workbench (offscreen, a private PRESENTER_HOME) in micro:bit mode is pointed at a
freshly booted virtual micro:bit (the real V1 firmware in QEMU) with PRESENTER_PORT, as a
user names a port by hand. A 2 ms QTimer ticks on the GUI thread throughout; the longest gap
between two ticks in each phase is that phase's event-loop stall. Phases:

  connect     window start until the board is open and identified
  run         a one-line program, Run to its first output in the pane (repeated; median, max)
  flood       a program printing 10^4 lines, Run until the last line is shown
  stop        Stop pressed during an endless flood, until the board is back at its prompt
  transfer    a 10 kB file written by the engine (Files.write) on the connection's worker
  unplug      QEMU killed (the port vanishes as on an unplug) until the window says so

Targets (issue 8): stalls under 100 ms, first output within 0.2 s, back at the prompt within
2 s. Figures; the last line is one JSON object.

Usage: python bench/board_window.py [--runs N] [--lines N]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _loop
from _loop import ROOT, StallMeter, report, wait

_loop.prepare()
RIG = ROOT.parent / "shared" / "rigs" / "virtual-microbit"

from PyQt5.QtWidgets import QApplication  # noqa: E402


def boot(pidfile: Path) -> str:
    proc = subprocess.run([sys.executable, str(RIG), "--pidfile", str(pidfile)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"board_window: the virtual micro:bit did not boot: {proc.stderr[-300:]}")
    return proc.stdout.strip()


def measure(app: QApplication, port: str, pidfile: Path, runs: int, lines: int) -> dict:
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    settings = Settings.load()
    settings.set("mode", "microbit")
    settings.save()
    os.environ["PRESENTER_PORT"] = port
    stalls = StallMeter()
    figures: dict = {}

    bench = Workbench(Settings.load())
    started = time.perf_counter()
    bench.start([])  # shows the window; the board is opened on its worker meanwhile
    stalls.start()  # from here: the window's own start-up is bench/startup.py's business
    mode = bench.mode
    wait(app, mode.connection.is_connected, 30, "the board to connect")
    figures["connect_s"] = round(time.perf_counter() - started, 3)
    figures["connect_stall_ms"] = stalls.longest_ms()

    output = bench.window.output
    editor = bench.window.tabs.current()
    seen: list[float] = []

    def on_output(chunks) -> None:
        if not seen and any("hello 42" in text for _stream, text in chunks):
            seen.append(time.perf_counter())

    output.output_appended.connect(on_output)
    editor.setText("print('hello', 6 * 7)\n")
    firsts = []
    stalls.start()
    for _ in range(runs):
        seen.clear()
        pressed = time.perf_counter()
        bench.run_or_stop()  # what F5 and the Run button call
        wait(app, lambda: bool(seen), 20, "the first output")
        firsts.append(seen[0] - pressed)
        wait(app, lambda: not bench.is_running() and not output.feeding(), 20, "the run's end")
    figures["first_output_median_s"] = round(statistics.median(firsts), 4)
    figures["first_output_max_s"] = round(max(firsts), 4)
    figures["run_stall_ms"] = stalls.longest_ms()

    editor.setText(f"for i in range({lines}):\n    print('flood line', i)\n")
    stalls.start()
    pressed = time.perf_counter()
    bench.run_or_stop()
    last = f"flood line {lines - 1}"
    wait(app, lambda: not bench.is_running() and not output.feeding(), 300, "the flood's end")
    assert last in output.toPlainText(), "the flood's last line is missing"
    figures["flood_lines"] = lines
    figures["flood_shown_s"] = round(time.perf_counter() - pressed, 3)
    figures["flood_stall_ms"] = stalls.longest_ms()

    editor.setText("i = 0\nwhile True:\n    print('endless', i)\n    i += 1\n")
    stalls.start()
    bench.run_or_stop()
    wait(app, lambda: output.toPlainText().count("endless") > 2000, 60, "the endless flood")
    pressed = time.perf_counter()
    bench.run_or_stop()  # Stop
    wait(app, lambda: not bench.is_running(), 30, "the board's prompt after Stop")
    figures["stop_to_prompt_s"] = round(time.perf_counter() - pressed, 3)
    figures["stop_stall_ms"] = stalls.longest_ms()
    wait(app, lambda: not output.feeding(), 30, "the output after Stop")
    tail = output.toPlainText()[-300:]
    assert "KeyboardInterrupt" in tail and "Program stopped" in tail, tail

    data = bytes(range(256)) * 40  # 10,240 bytes, every byte value
    done: list[float] = []
    failed: list[Exception] = []
    stalls.start()
    pressed = time.perf_counter()
    mode.connection.call(lambda board, control: board.files.write("bench.bin", data,
                                                                  progress=control.progress,
                                                                  skip_unchanged=False),
                         done=lambda _r: done.append(time.perf_counter()),
                         failed=failed.append)
    wait(app, lambda: bool(done or failed), 120, "the transfer")
    if failed:
        raise SystemExit(f"board_window: the transfer failed: {failed[0]}")
    figures["transfer_bytes"] = len(data)
    figures["transfer_s"] = round(done[0] - pressed, 3)
    figures["transfer_stall_ms"] = stalls.longest_ms()

    lost: list[float] = []
    mode.connection.disconnected.connect(lambda _reason: lost.append(time.perf_counter()))
    stalls.start()
    pulled = time.perf_counter()
    os.kill(int(pidfile.read_text().split()[0]), signal.SIGKILL)  # QEMU gone: the pty with it
    wait(app, lambda: bool(lost), 30, "the window to notice the unplug")
    figures["unplug_noticed_s"] = round(lost[0] - pulled, 3)
    wait(app, lambda: "unplugged" in mode.board_button.text(), 10, "the status bar")
    figures["unplug_stall_ms"] = stalls.longest_ms()
    figures["longest_stall_ms"] = max(v for k, v in figures.items() if k.endswith("stall_ms"))

    bench.closing = True
    mode.deactivate()
    bench.board_hints.stop()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="one-line runs to time (default 10)")
    parser.add_argument("--lines", type=int, default=10_000, help="flood size (default 10^4)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PRESENTER_HOME"] = str(Path(tmp) / "home")
        app = QApplication.instance() or QApplication(sys.argv[:1])
        pidfile = Path(tmp) / "qemu.pid"
        port = boot(pidfile)
        try:
            figures = {"board": "virtual micro:bit (V1 firmware in QEMU)",
                       **measure(app, port, pidfile, args.runs, args.lines)}
        finally:
            subprocess.run([sys.executable, str(RIG), "--stop", str(pidfile)], capture_output=True)
    report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
