"""Benchmark: Check (F2) on a big file with thousands of findings, as the window shows them.

Each sample is a fresh process that opens a --functions x 2 line file (findings on most
lines) in the real window (Workbench, Python mode), clicks into the editor and presses F2
in it, as a speaker does. The findings come from a child process; this measures what the
window does with them. Per sample:

  stall_ms        the longest gap between ticks of a 2 ms QTimer from the key press until
                  every finding is shown: how long the window was frozen at worst
  gc_ms           the longest garbage collection meanwhile (it stalls the loop too)
  first_s         key press -> the first findings are shown
  all_s           key press -> every finding is shown (its marker and its message)
  findings / marked_lines  what Check found, and on how many lines

"Shown" is read from the editor: its marked lines (``problems.lines()``) and the message
under the last of them.

Uses the X display if there is one, otherwise Qt's offscreen platform. The last line is
JSON with the medians.

Usage: python bench/check_marks.py [--runs 5] [--functions 3000]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _loop import StallMeter, fresh_process_samples, medians, pump, wait


def flawed_source(functions: int) -> str:
    """Two lines per function, each with several pycodestyle findings."""
    return "".join(f"def f{n}( a,b ):\n    return {{'a':a,'b':[b,1,2]}}\n"
                   for n in range(functions))


class GarbageCollections:
    """The longest pause of Python's garbage collector meanwhile: part of any stall, and
    proportional to everything the window holds, not only to what Check made."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._started = 0.0
        gc.callbacks.append(self._note)

    def _note(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.worst = max(self.worst, time.perf_counter() - self._started)

    def stop(self) -> float:
        gc.callbacks.remove(self._note)
        return round(self.worst * 1000, 1)


def one_sample(functions: int, folder: Path) -> dict:
    """Runs inside a fresh process: one F2 on a freshly opened file."""
    from PyQt5.QtCore import Qt
    from PyQt5.QtTest import QTest
    from PyQt5.QtWidgets import QApplication

    app = QApplication([])
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    source = flawed_source(functions)
    path = folder / "big_check.py"
    path.write_text(source, encoding="utf-8")
    # What to expect, from a child as Check does (27,000 findings in this process would
    # make its garbage collections slower than the real window's).
    reply = json.loads(subprocess.run([sys.executable, "-m", "presenter.core.checks", "check"],
                                      input=source.encode("utf-8"), capture_output=True,
                                      check=True).stdout)
    # A finding is a row (line first), or an object in older checkouts (for comparisons).
    found_on = [row["line"] if isinstance(row, dict) else row[0] for row in reply["problems"]]
    findings, lines_found = len(found_on), sorted(set(found_on))
    marked_lines, last = len(lines_found), lines_found[-1]
    last_messages = found_on.count(last)
    del reply, found_on, lines_found

    bench = Workbench(Settings.load())
    bench.start([str(path)])
    wait(app, lambda: bench.window.isVisible(), 30, "the window to show")
    editor = bench.window.tabs.current()
    wait(app, lambda: editor.text() == source, 30, "the file in the editor")
    bench.window.activateWindow()
    editor.setFocus()
    wait(app, lambda: QApplication.focusWidget() is editor, 30, "the editor to have focus")
    pump(app, 0.5)

    def all_shown() -> bool:
        # Counting the marked lines asks Scintilla once per marker: only when the last
        # line's message is there, so the polling itself does not stall the loop.
        return (editor.problems.annotation(last).count("\n") + 1 == last_messages
                and len(editor.problems.lines()) == marked_lines)

    collections = GarbageCollections()
    stalls = StallMeter()
    stalls.start()
    pressed = time.perf_counter()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_F2)
    first = wait(app, lambda: bool(editor.problems.lines()), 300, "the first findings")
    done = wait(app, all_shown, 300, "every finding")
    result = {
        "stall_ms": stalls.stop(),
        "gc_ms": collections.stop(),
        "first_s": first - pressed,
        "all_s": done - pressed,
        "findings": findings,
        "marked_lines": marked_lines,
    }
    bench.window.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--functions", type=int, default=3000,
                        help="two lines each (default 3000: a 6,000-line file)")
    parser.add_argument("--sample", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sample:
        print(json.dumps(one_sample(args.functions, Path(os.environ["PRESENTER_HOME"]))))
        return
    samples = fresh_process_samples(
        __file__, ["--functions", str(args.functions)], args.runs, lambda sample: (
            f"{sample['findings']} findings on {sample['marked_lines']} lines: worst stall "
            f"{sample['stall_ms']:.0f} ms (longest gc {sample['gc_ms']:.0f} ms), first shown "
            f"{sample['first_s']:.2f} s, all shown {sample['all_s']:.2f} s"))
    print(json.dumps(medians(samples)))


if __name__ == "__main__":
    main()
