"""What the bench scripts share: driving Qt's event loop from a script, and reporting figures.

A bench script plays the person at the keyboard: it presses a key or starts a run, then
waits for the window to show the result, while a stall meter watches whether the event
loop (the thing that keeps the stage from freezing) was ever blocked. Each script used to
carry its own copy of these helpers; they drifted (one wait() raised, another returned
False that nobody checked, three percentile formulas, MB in two units). One copy here.

The scripts run as ``python bench/NAME.py``, so this folder is on ``sys.path`` and
``import _loop`` finds this module (bench/ is not a package). Nothing here imports Qt at
module level: ``prepare()`` must run before Qt and Presenter are imported.
"""

from __future__ import annotations

import gc
import json
import math
import os
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: How long wait() and pump() sleep between two turns of the event loop. Not zero: a
#: spinning loop would take a whole core from the threads and child processes being
#: measured (the machine has two, shared). Half a millisecond keeps a wait's answer (the
#: moment the condition held) well under the millisecond the figures are given in.
TURN_SLEEP_S = 0.0005

#: The stall meter's tick. Short enough that a stall of a few milliseconds shows (a gap
#: of N ms means the loop was blocked for at least N - 2 ms); long enough that the ticks
#: themselves (a Python call each, ~10 µs) cost the loop under 1 %. A 0 ms timer would
#: fire whenever the loop is idle, i.e. spin a core like a busy wait.
TICK_MS = 2


def prepare(*, display: bool = False, private_home: bool = False) -> None:
    """Set up the process before Qt and Presenter are imported (their settings are read then).

    ``display``: draw on the X display when there is one (what a person sees), else on
    Qt's offscreen platform; without it always offscreen, so figures do not depend on a
    window manager. ``private_home``: a fresh PRESENTER_HOME, so the user's settings and
    recent files neither change the figures nor get changed. Presenter's checkout goes on
    ``sys.path`` for the scripts that import ``tests.fakes``.
    """
    if not (display and os.environ.get("DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if private_home:
        os.environ["PRESENTER_HOME"] = tempfile.mkdtemp(prefix="presenter-bench-")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


class TimedOut(TimeoutError):
    """A wait() whose condition did not hold in time; the message says what was awaited."""


def wait(app: Any, condition: Callable[[], object], timeout: float, what: str) -> float:
    """Run the event loop until ``condition()`` holds; the ``time.perf_counter()`` it held at.

    It pumps rather than sleeps because what it waits for (a run's output, a board's
    answer, a repaint) reaches the GUI thread as queued Qt signals: a plain sleep would
    never see it arrive, and would itself be the stall the meter reports. Raises
    ``TimedOut`` naming ``what`` after ``timeout`` seconds, so a bench never goes on
    silently with a figure missing.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimedOut(f"timed out after {timeout:g} s waiting for {what}")
        app.processEvents()
        time.sleep(TURN_SLEEP_S)
    return time.perf_counter()


def pump(app: Any, seconds: float) -> None:
    """Keep the event loop running for ``seconds``: let the window settle, or pace typing."""
    deadline = time.monotonic() + seconds
    while True:
        app.processEvents()
        if time.monotonic() >= deadline:
            return
        time.sleep(TURN_SLEEP_S)


class StallMeter:
    """The longest gap between ticks of a TICK_MS timer on the GUI thread.

    Whatever blocks the event loop (a slow slot, a long paint, I/O on the GUI thread)
    delays the next tick, so the longest gap is the longest time the window could not
    have answered a key. ``start()`` begins a new measurement (again for each phase);
    ``keep_gaps`` keeps every gap for percentiles (8 bytes a tick: off by default, so the
    memory figures of long runs do not count the meter).
    """

    def __init__(self, *, keep_gaps: bool = False) -> None:
        from PyQt5.QtCore import Qt, QTimer

        self.longest = 0.0  # seconds
        self.ticks = 0
        self.gaps: array[float] | None = array("d") if keep_gaps else None
        self._last = time.perf_counter()
        self._timer = QTimer()
        # Qt on Unix makes coarse timers under 20 ms precise anyway; said here explicitly.
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Forget the gaps so far and measure from now (the timer keeps running if it was)."""
        self.longest = 0.0
        self.ticks = 0
        if self.gaps is not None:
            del self.gaps[:]
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float | None:
        """Stop ticking; the longest gap in milliseconds (see ``longest_ms``)."""
        self._timer.stop()
        return self.longest_ms()

    def longest_ms(self) -> float | None:
        """The longest gap so far in ms, to 0.1 ms; None if the timer never ticked.

        None rather than 0: no tick means nothing was measured, not that nothing stalled.
        """
        return round(self.longest * 1000, 1) if self.ticks else None

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last
        self._last = now
        self.ticks += 1
        self.longest = max(self.longest, gap)
        if self.gaps is not None:
            self.gaps.append(gap)


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of them at or below it.

    A value that was really measured (no interpolation between two samples); NaN for no
    values, so an empty sample prints as ``nan`` instead of stopping the report.
    """
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = math.ceil(share * len(ordered) - 1e-9)  # 1e-9: 0.99 * 600 must be 594, not 594.0..1
    return ordered[min(len(ordered), max(rank, 1)) - 1]


def rss_mb(pid: int | None = None) -> float:
    """Resident memory in MiB (as ``peak_rss_mb``) of this process, or of process ``pid``.

    For this process, garbage is collected first, so the figure is what is alive, not what
    the collector has not reached yet.
    """
    import psutil

    if pid is None:
        gc.collect()
    return psutil.Process(pid).memory_info().rss / 2**20


def peak_rss_mb() -> float:
    """The most resident memory this process has held so far, in MiB (the kernel's count)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux, bytes on macOS
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def report(figures: dict[str, Any]) -> None:
    """Print one figure a line, names right-aligned, then the JSON line scripts compare by."""
    width = max(map(len, figures)) + 1
    for key, value in figures.items():
        print(f"{key:>{width}}: {value}")
    print(json.dumps(figures))


def fresh_process_samples(script: str, args: Sequence[str], runs: int,
                          describe: Callable[[dict], str], timeout: float = 900) -> list[dict]:
    """Run ``script --sample ARGS`` ``runs`` times, each in a fresh Python with its own
    PRESENTER_HOME, and return each run's JSON last line.

    A fresh process per sample, because what these benches measure (a first import, a
    garbage collection over everything the window holds) depends on what the process has
    already done: samples taken one after another in one process would measure each other.
    ``describe`` words a sample for the line printed as it arrives.
    """
    import subprocess

    samples = []
    for n in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, PRESENTER_HOME=home, PYTHONPATH=str(ROOT))
            if not env.get("DISPLAY"):
                env["QT_QPA_PLATFORM"] = "offscreen"
            done = subprocess.run([sys.executable, script, "--sample", *args], env=env,
                                  capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise SystemExit(f"sample {n + 1} failed:\n{done.stderr}")
        sample = json.loads(done.stdout.strip().splitlines()[-1])
        samples.append(sample)
        print(f"run {n + 1}: {describe(sample)}", flush=True)
    return samples


def medians(samples: Sequence[dict]) -> dict[str, Any]:
    """Each figure's median over the samples, with how many runs and on which platform."""
    import statistics

    result: dict[str, Any] = {key: round(statistics.median(s[key] for s in samples), 3)
                              for key in samples[0]}
    result["runs"] = len(samples)
    result["platform"] = "x11" if os.environ.get("DISPLAY") else "offscreen"
    return result
