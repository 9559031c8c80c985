"""Benchmark: the REPL button until the first ``In [1]:`` prompt, and Check/Tidy on a big file.

Each sample is a fresh process (so qtconsole, jupyter_client and the kernel start cold, as
on the first click of a talk) that opens the real window (Workbench, Python mode), clicks
the toolbar's REPL button with the mouse and waits for the console's first prompt. It
reports per sample:

  prompt_s        click -> first prompt (the kernel answered; typing works from here)
  pane_s          click -> the pane is on screen (qtconsole imported, "Starting…" shown)
  max_stall_ms    longest gap between ticks of a 2 ms QTimer meanwhile (the window never
                  waits for the kernel; the import of qtconsole itself is the one stall)
  restart_s       Restart button -> the fresh kernel's first prompt
  rss_before_mb / rss_after_mb   the window's resident memory before the click and with
                  the REPL open (qtconsole's cost; the kernel is a separate process)
  kernel_rss_mb   the kernel process's resident memory

then, in the same window, Check (F2's action) and Tidy on a 6,000-line file: time to the
result and the longest stall meanwhile (both run in a child process).

Uses the X display if there is one, otherwise Qt's offscreen platform. The last line is
JSON with the medians.

Usage: python bench/repl_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import time

from _loop import StallMeter, fresh_process_samples, medians, pump, rss_mb, wait

BIG_FILE_FUNCTIONS = 3000  # two lines each, with findings on most lines


def one_sample() -> dict:
    """Runs inside a fresh process: the measurements of one cold start."""
    from PyQt5.QtCore import Qt
    from PyQt5.QtTest import QTest
    from PyQt5.QtWidgets import QApplication

    app = QApplication([])
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    bench = Workbench(Settings.load())
    bench.start([])
    wait(app, lambda: bench.window.isVisible(), 30, "the window to show")
    pump(app, 0.5)
    rss_before = rss_mb()
    stalls = StallMeter()
    stalls.start()
    button = bench.window.toolbar.widgetForAction(bench.actions["view.repl"])
    if button is None or not button.isVisible():  # behind the overflow button: press the key
        clicked = time.perf_counter()
        bench.actions["view.repl"].trigger()
    else:
        clicked = time.perf_counter()
        QTest.mouseClick(button, Qt.LeftButton)
    repl = bench.mode.repl
    pane_at = wait(app, lambda: repl.pane is not None and repl.pane.isVisible(), 60,
                   "the REPL pane to show")
    prompt_at = wait(app, lambda: repl.pane.is_ready(), 120, "the first prompt")
    stall = stalls.stop()
    rss_after = rss_mb()
    kernel_rss = rss_mb(repl.kernel.pid)
    old_pid = repl.kernel.pid
    restart_clicked = time.perf_counter()
    QTest.mouseClick(repl.pane.restart_button, Qt.LeftButton)
    restarted_at = wait(app, lambda: repl.kernel.pid != old_pid and repl.pane.is_ready(), 120,
                        "the restarted kernel's prompt")

    result = {
        "prompt_s": prompt_at - clicked,
        "pane_s": pane_at - clicked,
        "max_stall_ms": stall,
        "restart_s": restarted_at - restart_clicked,
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
        "kernel_rss_mb": kernel_rss,
    }
    editor = bench.window.tabs.current()
    editor.setText("".join(f"def f{n}( a,b ):\n    return {{'a':a,'b':[b,1,2]}}\n"
                           for n in range(BIG_FILE_FUNCTIONS)))
    marks = editor.problems
    for action, done in (("check", lambda: bool(marks.lines()) and not marks.marking()),
                         ("tidy", lambda: editor.text().startswith("def f0(a, b):"))):
        stalls = StallMeter()
        stalls.start()
        started = time.perf_counter()
        bench.mode.action_handlers()[f"code.{action}"]()
        finished = wait(app, done, 300, f"{action}'s result")
        result[f"{action}_s"] = finished - started
        result[f"{action}_stall_ms"] = stalls.stop()
    bench.mode.repl.close()
    editor.setModified(False)  # or closing the window would ask about the big file
    bench.window.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sample:
        print(json.dumps(one_sample()))
        return
    samples = fresh_process_samples(__file__, [], args.runs, lambda sample: (
            f"prompt {sample['prompt_s']:.2f} s (pane {sample['pane_s']:.2f} s, "
            f"stall {sample['max_stall_ms']:.0f} ms), restart {sample['restart_s']:.2f} s, "
            f"window {sample['rss_before_mb']:.0f} -> {sample['rss_after_mb']:.0f} MB, "
            f"kernel {sample['kernel_rss_mb']:.0f} MB; check {sample['check_s']:.2f} s "
            f"(stall {sample['check_stall_ms']:.0f} ms), tidy {sample['tidy_s']:.2f} s "
            f"(stall {sample['tidy_stall_ms']:.0f} ms)"))
    print(json.dumps(medians(samples)))


if __name__ == "__main__":
    main()
