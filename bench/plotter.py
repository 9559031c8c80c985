"""Benchmark: the live plotter while a program prints tuples of numbers.

Drives the real window (Workbench, Python mode, output pane, plotter) in this process: a
program prints ``(i, sin, cos)`` at ``--rate`` lines a second for ``--seconds``, first with
the plotter hidden (the baseline), then shown; then, with it shown, ``--flood`` tuple lines
as fast as the program can print them. For each run it reports:

  max_stall_ms   longest gap between ticks of a 2 ms QTimer (event-loop stall; target < 100)
  p99_gap_ms     99th percentile of those gaps
  app_cpu_pct    CPU time of this (the window's) process / wall time, in % of one core
  refreshes      plot repaints (the pane repaints on a 25 Hz timer, never per line)
  plotted        points per series in the plot at the end (bounded: 500)

Uses the X display if there is one, otherwise Qt's offscreen platform. The last line is JSON.

Usage: python bench/plotter.py [--seconds 5] [--rate 1000] [--flood 200000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time

import _loop
from _loop import StallMeter, percentile

_loop.prepare(display=True, private_home=True)

from PyQt5.QtCore import QEventLoop, QTimer  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402

PACED = """\
import math, time
start = time.monotonic()
for i in range({lines}):
    print((i, round(math.sin(i / 50), 4), round(math.cos(i / 80), 4)))
    if i % 10 == 9:
        time.sleep(max(0.0, start + (i + 1) / {rate} - time.monotonic()))
print("done")
"""
FLOOD = """\
for i in range({lines}):
    print((i, i % 100, -i))
print("done")
"""


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(app: QApplication, bench, source: str, plotter_shown: bool) -> dict:
    bench.plotter.set_visible(plotter_shown, remember=False)
    app.processEvents()
    bench.window.tabs.current().setText(source)
    stalls = StallMeter(keep_gaps=True)
    pane = bench.plotter.pane
    refreshes_before = pane.refresh_count if pane is not None else 0
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(lambda: None if bench.is_running() else loop.quit())
    cpu_before, wall_before = cpu_seconds(), time.perf_counter()
    stalls.start()
    bench.run_or_stop()
    poll.start()
    QTimer.singleShot(600_000, bench.stop)  # a safety net, not a figure
    loop.exec_()  # the real event loop, as in the app
    stalls.stop()
    poll.stop()
    wall = time.perf_counter() - wall_before
    cpu = cpu_seconds() - cpu_before
    if pane is not None and plotter_shown:
        pane.refresh()  # what the next tick would draw
    gaps = stalls.gaps
    return {
        "plotter": "shown" if plotter_shown else "hidden",
        "wall_s": round(wall, 2),
        "max_stall_ms": stalls.longest_ms(),
        "p99_gap_ms": round(percentile(gaps, 0.99) * 1000, 1) if gaps else None,
        "median_gap_ms": round(statistics.median(gaps) * 1000, 2) if gaps else None,
        "app_cpu_pct": round(100 * cpu / wall, 1),
        "refreshes": (pane.refresh_count - refreshes_before) if pane is not None else 0,
        "plotted": len(bench.plotter.model.series[0].xs) if plotter_shown and bench.plotter.model.series else 0,
        "finished": "done" in bench.window.output.toPlainText(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=int, default=1000, help="tuple lines per second")
    parser.add_argument("--flood", type=int, default=200_000,
                        help="tuple lines printed unpaced in the last run (0: skip it)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    bench = Workbench(Settings.load())
    bench.start([])
    bench.window.resize(1280, 720)
    app.processEvents()
    lines = int(args.seconds * args.rate)
    paced = PACED.format(lines=lines, rate=args.rate)
    runs = {
        "hidden": measure(app, bench, paced, plotter_shown=False),
        "shown": measure(app, bench, paced, plotter_shown=True),
    }
    if args.flood:
        runs["flood_shown"] = measure(app, bench, FLOOD.format(lines=args.flood), True)
    for name, figures in runs.items():
        print(f"{name:>12}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    result = {
        "rate": args.rate, "seconds": args.seconds, "lines": lines, "flood_lines": args.flood,
        "platform": "xcb" if os.environ.get("DISPLAY") else "offscreen",
        "max_stall_ms": runs["shown"]["max_stall_ms"],
        "app_cpu_pct": runs["shown"]["app_cpu_pct"],
        "app_cpu_pct_hidden": runs["hidden"]["app_cpu_pct"],
        "max_stall_ms_hidden": runs["hidden"]["max_stall_ms"],
        "flood_max_stall_ms": runs.get("flood_shown", {}).get("max_stall_ms"),
        "runs": runs,
    }
    bench.window.tabs.current().setModified(False)
    bench.window.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
