r"""Benchmark: a program floods its output; how long until the real OutputPane shows the end?

Drives Presenter's real ``OutputPane`` + ``PythonRunner`` in an offscreen QApplication and
prints figures; the last line is one JSON object:

  lines / cr_updates / colour_lines / long_line_mb  the flood (one of them)
  pipe_s       the same script writing into a pipe that is read and discarded (plain subprocess)
  display_s    Run until the last line is shown in the pane
  max_stall_ms longest gap between ticks of a 2 ms QTimer while it ran (event-loop stall)
  doc_edits    document changes the pane made (a '\r' flood must not cost one per update)
  peak_rss_mb  peak resident memory of this (the app) process

Floods: N plain lines (--lines), N tqdm-style '\r' updates of one progress bar on stderr
(--cr-updates), N lines with ANSI colour codes (--colour-lines), one huge line (--long-line-mb).
Targets: display_s within 2x pipe_s, max_stall_ms under 100.

Usage: python bench/output_flood.py
           [--lines N | --cr-updates N | --colour-lines N | --long-line-mb MB]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _loop
from _loop import StallMeter, peak_rss_mb, report

_loop.prepare()

from PyQt5.QtCore import QEventLoop, QTimer  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402

from presenter.local.process import grow_pipe  # noqa: E402
from presenter.modes.python_runner import PythonRunner  # noqa: E402
from presenter.qt.output_pane import OutputPane  # noqa: E402

LINES_SCRIPT = "for i in range({n}):\n    print(i)\nprint('THE END')\n"
# What tqdm draws: '\r' then the whole bar, on stderr, one write per update.
CR_SCRIPT = """\
import sys
total = {n}
write = sys.stderr.write
for i in range(1, total + 1):
    write(f"\\r{{100 * i / total:5.1f}}%|{{'#' * (40 * i // total):<40}}| {{i}}/{{total}}")
write("\\n")
print("THE END")
"""
# A coloured log: level, bold and a colour per line, each reset again (4 SGR sequences a line).
COLOUR_SCRIPT = """\
for i in range({n}):
    c = i % 8
    print(f"\\x1b[32mINFO\\x1b[0m \\x1b[1mstep\\x1b[22m {{i}} \\x1b[3{{c}}mcolour {{c}}\\x1b[39m")
print("THE END")
"""
LONG_SCRIPT = (
    "import sys\nblock = 'x' * (1 << 20)\n"
    "for _ in range({mb}):\n    sys.stdout.write(block)\n"
    "sys.stdout.write('\\nTHE END\\n')\n"
)


def pipe_seconds(script: str) -> float:
    """The floor: the same program into a pipe that is read and thrown away.

    The pipe gets the size Presenter asks for (PIPE_SIZE), so the floor measures the
    program, not the pipe.
    """
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-u", script], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    grow_pipe(fd)
    while os.read(fd, 1 << 20):
        pass
    proc.wait()
    return time.perf_counter() - started


def display_run(app: QApplication, source: str, title: str) -> dict:
    pane = OutputPane()
    pane.resize(1000, 700)
    pane.show()
    runner = PythonRunner()
    runner.attach(pane)
    stalls = StallMeter()
    shown_at: list[float] = []
    done: list[tuple] = []

    def on_output(_batch) -> None:
        if not shown_at and "THE END" in pane.document().lastBlock().previous().text():
            shown_at.append(time.perf_counter())

    runner.output_received.connect(on_output)
    edits = [0]

    def on_edit(*_args) -> None:
        edits[0] += 1

    pane.document().contentsChange.connect(on_edit)
    runner.finished.connect(lambda code, text: done.append((code, text)))
    app.processEvents()
    started = time.perf_counter()
    stalls.start()
    runner.run(source, None, title)
    loop = QEventLoop()
    runner.finished.connect(loop.quit)
    QTimer.singleShot(600_000, runner.stop)  # a safety net, not a figure
    loop.exec_()  # the real event loop, as in the app
    stalls.stop()
    finished = time.perf_counter()
    display = (shown_at[0] if shown_at else finished) - started
    blocks = pane.blockCount()
    first_line = pane.document().firstBlock().text()
    runner.shutdown()
    pane.deleteLater()
    return {
        "display_s": round(display, 3),
        "finished_s": round(finished - started, 3),
        "max_stall_ms": stalls.longest_ms(),
        "ticks": stalls.ticks,
        "doc_edits": edits[0],
        "pane_blocks": blocks,
        "first_line": first_line[:90],
        "exit": done[0][1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--cr-updates", type=int, default=0)
    parser.add_argument("--colour-lines", type=int, default=0)
    parser.add_argument("--long-line-mb", type=int, default=0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if args.long_line_mb:
        source = LONG_SCRIPT.format(mb=args.long_line_mb)
        label = {"long_line_mb": args.long_line_mb}
    elif args.cr_updates:
        source = CR_SCRIPT.format(n=args.cr_updates)
        label = {"cr_updates": args.cr_updates}
    elif args.colour_lines:
        source = COLOUR_SCRIPT.format(n=args.colour_lines)
        label = {"colour_lines": args.colour_lines}
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
    report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
