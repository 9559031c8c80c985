"""Benchmark: a board floods the REPL pane; does the window stay responsive?

A loop typed at the board's prompt prints N coloured lines. The text goes through the real
path: the port's reader thread, ``Board.start_terminal``, ``BoardTerminal`` (coalesced queued
signal) and ``ReplPane`` (model + batched repaint), in an offscreen QApplication. The board is
the pty fake board at full pty speed (default: the worst case for the GUI) or, with
``--microbit``, the real V1 firmware in QEMU (virtual-microbit rig). Figures; the last line is
one JSON object:

  lines        the flood size
  shown_s      Enter pressed until the prompt after the last line is shown
  max_stall_ms longest gap between ticks of a 2 ms QTimer while it ran (event-loop stall)
  lines_per_s  lines / shown_s
  pane_blocks  lines the pane holds at the end (the scrollback cap)
  peak_rss_mb  peak resident memory of this process

Usage: python bench/repl_flood.py [--lines N] [--microbit]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PyQt5.QtCore import QTimer  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402

from presenter.device import Board  # noqa: E402
from presenter.modes.board_terminal import BoardTerminal  # noqa: E402
from presenter.qt.repl_pane import ReplPane  # noqa: E402

RIG = ROOT.parent / "shared" / "rigs" / "virtual-microbit"
LOOP = "for i in range({n}): print('\\x1b[32mline\\x1b[0m', i)\r\r"  # the 2nd Enter ends the block


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def wait(app: QApplication, condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.001)
    return True


def flood(app: QApplication, port: str, profile: str | None, lines: int) -> dict:
    board = Board.open(port, profile, timeout=5.0)
    pane = ReplPane()
    pane.resize(1000, 700)
    pane.show()
    terminal = BoardTerminal(board, pane)
    started: list[bool] = []
    terminal.started.connect(lambda: started.append(True))
    terminal.start()
    assert wait(app, lambda: bool(started), 10), "the terminal did not start"
    terminal.type_keys(b"\r")
    assert wait(app, lambda: pane.toPlainText().endswith(">>> "), 10), "no prompt"
    last = f"line {lines - 1}"
    gaps: list[float] = []
    stamp = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - stamp[0])
        stamp[0] = now

    ticker = QTimer()
    ticker.setInterval(2)
    ticker.timeout.connect(tick)
    terminal.type_keys(LOOP.format(n=lines).encode())
    begin = time.perf_counter()
    stamp[0] = begin
    ticker.start()

    def finished() -> bool:  # the last line, then the prompt (older prompts scroll out)
        end = pane.document().lastBlock()
        return end.text() == ">>> " and end.previous().text() == last

    ok = wait(app, finished, 600)
    shown = time.perf_counter() - begin
    ticker.stop()
    blocks = pane.document().blockCount()
    terminal.close()
    board.close()
    return {
        "lines": lines,
        "shown_s": round(shown, 3),
        "complete": ok,
        "max_stall_ms": round(max(gaps) * 1000, 1) if gaps else None,
        "lines_per_s": round(lines / shown),
        "pane_blocks": blocks,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=0, help="default 100000 (fake), 10000 (--microbit)")
    parser.add_argument("--microbit", action="store_true", help="the real V1 firmware in QEMU")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Killed by a timeout: still stop the emulator and the fake board (the finally clauses).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.microbit:
        lines = args.lines or 10_000
        with tempfile.TemporaryDirectory() as tmp:
            pidfile = Path(tmp) / "qemu.pid"
            port = subprocess.run([sys.executable, str(RIG), "--pidfile", str(pidfile)],
                                  capture_output=True, text=True, check=True).stdout.strip()
            try:
                figures = {"board": "virtual micro:bit (V1 firmware)",
                           **flood(app, port, "microbit-v1", lines)}
            finally:
                subprocess.run([sys.executable, str(RIG), "--stop", str(pidfile)], capture_output=True)
    else:
        from tests.fakes.fake_board import FakeBoard

        lines = args.lines or 100_000
        fake = FakeBoard("modern")
        try:
            figures = {"board": "pty fake board", **flood(app, fake.port, None, lines)}
        finally:
            fake.close()
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    for key, value in figures.items():
        print(f"{key:>13}: {value}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
