"""Benchmark: a demo step typed at 100 characters a second while a program floods output.

Drives the real window (Workbench, Python mode, output pane, demo mode) in this process.
A program in one tab prints lines as fast as it can; meanwhile a demo's step of
``--chars`` characters is typed into the demo's tab at ``--speed`` characters a second
(Page Down pressed in the editor, as a clicker does). Character ``i`` is due at
``start + i / speed``; each time the typist puts characters in, the first of them is the
one that waited longest. Reported:

  late_max_ms     the most any character came after its time (target: 50)
  late_p99_ms     99th percentile over all characters
  max_stall_ms    longest gap between ticks of a 2 ms QTimer while typing (target: 50)
  typing_s        from Page Down to the last character (ideal: chars / speed)
  flood_lines_s   lines a second the output pane took in meanwhile (the flood was real)

Uses the X display if there is one, otherwise Qt's offscreen platform. The last line is JSON.

Usage: python bench/demo_typing.py [--chars 600] [--speed 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import _loop
from _loop import StallMeter, percentile, wait

_loop.prepare(display=True, private_home=True)

from PyQt5.QtCore import Qt  # noqa: E402
from PyQt5.QtTest import QTest  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402

FLOOD = """\
i = 0
while True:
    print(i, "the quick brown fox jumps over the lazy dog " * 2)
    i += 1
"""

LINE = "    total = sum(value * weight for value, weight in zip(values, weights))\n"


def demo_text(chars: int) -> str:
    body = "def score(values, weights):\n"
    while len(body) < chars:
        body += LINE
    return ("# %% demo: Bench\n# %% step: a long step\n" + body[:chars].rstrip("\n") + "\n")


def measure(app: QApplication, bench, speed: int) -> dict:
    player = bench.demos.player
    player.go_to(0)
    typist = player.typist
    lateness: list[float] = []
    done = [0]

    def progressed(count: int) -> None:
        elapsed = time.monotonic() - typist._started_at
        for index in range(done[0], count):
            lateness.append(elapsed - index / speed)
        done[0] = count

    runner = bench.mode._runner  # the Python mode's: count what the flood delivers
    flood = [0]

    def took(batch) -> None:
        flood[0] += batch.lines_taken

    typist.progressed.connect(progressed)
    runner.output_received.connect(took)
    stalls = StallMeter()
    editor = bench.window.tabs.current()
    editor.setFocus()
    app.processEvents()
    stalls.start()
    started = time.perf_counter()
    QTest.keyClick(editor, Qt.Key_PageDown)  # what the clicker sends
    wait(app, lambda: not player.is_typing(), 60, "the demo step to be typed")
    typing_s = time.perf_counter() - started
    stalls.stop()
    typist.progressed.disconnect(progressed)
    runner.output_received.disconnect(took)
    return {
        "late_max_ms": round(max(lateness) * 1000, 1),
        "late_p99_ms": round(percentile(lateness, 0.99) * 1000, 1),
        "late_median_ms": round(statistics.median(lateness) * 1000, 1),
        "max_stall_ms": stalls.longest_ms(),
        "typing_s": round(typing_s, 2),
        "flood_lines_s": round(flood[0] / typing_s),
        "chars": len(lateness),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=600)
    parser.add_argument("--speed", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from presenter.core.demo import parse_demo
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    bench = Workbench(Settings.load())
    bench.start([])
    bench.window.resize(1280, 720)
    wait(app, bench.window.isVisible, 60, "the window to show")
    flood_tab = bench.window.tabs.current()
    flood_tab.setText(FLOOD)
    bench.run_or_stop()
    wait(app, lambda: bench.window.output.blockCount() > 1000, 60, "the flood's first 1000 lines")
    bench.settings.set("demo.speed", args.speed)
    bench.demos.start(parse_demo(demo_text(args.chars)))
    results = []
    for run in range(args.runs):
        figures = measure(app, bench, args.speed)
        results.append(figures)
        print(f"run {run + 1}: " + ", ".join(f"{k} {v}" for k, v in figures.items()), flush=True)
    running = bench.is_running()
    bench.stop()
    wait(app, lambda: not bench.is_running(), 60, "the flood to stop")
    worst = {key: max(r[key] for r in results) for key in results[0]}
    worst["flood_lines_s"] = min(r["flood_lines_s"] for r in results)
    worst["flood_ran_throughout"] = running
    worst["platform"] = QApplication.platformName()
    print(f"worst of {args.runs}: late_max {worst['late_max_ms']} ms (target 50), "
          f"max_stall {worst['max_stall_ms']} ms (target 50), "
          f"flood {worst['flood_lines_s']} lines/s")
    for editor in bench.window.tabs.editors():
        editor.setModified(False)
    bench.window.close()
    print(json.dumps(worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
