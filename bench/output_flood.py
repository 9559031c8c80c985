"""Benchmark: a program floods stdout; how long until the real OutputPane shows the last line?

Drives Presenter's real ``OutputPane`` + ``PythonRunner`` in an offscreen QApplication and
prints figures; the last line is one JSON object:

  lines / long_line_mb  the flood size
  pipe_s       the same script writing into a pipe that is read and discarded (plain subprocess)
  display_s    Run until the last line is shown in the pane
  max_stall_ms longest gap between ticks of a 2 ms QTimer while it ran (event-loop stall)
  peak_rss_mb  peak resident memory of this (the app) process

Usage: python bench/output_flood.py [--lines N] [--long-line-mb MB]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PyQt5.QtCore import QEventLoop, QTimer  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402

from presenter.modes.python_runner import PythonRunner  # noqa: E402
from presenter.qt.output_pane import OutputPane  # noqa: E402

LINES_SCRIPT = "for i in range({n}):\n    print(i)\nprint('THE END')\n"
LONG_SCRIPT = (
    "import sys\nblock = 'x' * (1 << 20)\n"
    "for _ in range({mb}):\n    sys.stdout.write(block)\n"
    "sys.stdout.write('\\nTHE END\\n')\n"
)


def pipe_seconds(script: str) -> float:
    """The floor: the same program into a pipe that is read and thrown away."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-u", script], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    while os.read(fd, 1 << 20):
        pass
    proc.wait()
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def display_run(app: QApplication, source: str, title: str) -> dict:
    pane = OutputPane()
    pane.resize(1000, 700)
    pane.show()
    runner = PythonRunner()
    runner.attach(pane)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(2)
    ticker.timeout.connect(tick)
    shown_at: list[float] = []
    done: list[tuple] = []

    def on_output(_batch) -> None:
        if not shown_at and "THE END" in pane.document().lastBlock().previous().text():
            shown_at.append(time.perf_counter())

    runner.output_received.connect(on_output)
    runner.finished.connect(lambda code, text: done.append((code, text)))
    app.processEvents()
    started = time.perf_counter()
    last[0] = started
    ticker.start()
    runner.run(source, None, title)
    loop = QEventLoop()
    runner.finished.connect(loop.quit)
    QTimer.singleShot(600_000, runner.stop)  # a safety net, not a figure
    loop.exec_()  # the real event loop, as in the app
    ticker.stop()
    finished = time.perf_counter()
    display = (shown_at[0] if shown_at else finished) - started
    blocks = pane.blockCount()
    first_line = pane.document().firstBlock().text()
    runner.shutdown()
    pane.deleteLater()
    return {
        "display_s": round(display, 3),
        "finished_s": round(finished - started, 3),
        "max_stall_ms": round(max(gaps) * 1000, 1) if gaps else None,
        "ticks": len(gaps),
        "pane_blocks": blocks,
        "first_line": first_line[:90],
        "exit": done[0][1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--long-line-mb", type=int, default=0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if args.long_line_mb:
        source = LONG_SCRIPT.format(mb=args.long_line_mb)
        label = {"long_line_mb": args.long_line_mb}
    else:
        source = LINES_SCRIPT.format(n=args.lines)
        label = {"lines": args.lines}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "flood.py"
        script.write_text(source)
        pipe = pipe_seconds(str(script))
    result = display_run(app, source, "flood")
    figures = {**label, "pipe_s": round(pipe, 3), **result, "peak_rss_mb": round(peak_rss_mb(), 1)}
    figures["display_over_pipe"] = round(figures["display_s"] / pipe, 2)
    for key, value in figures.items():
        print(f"{key:>18}: {value}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
