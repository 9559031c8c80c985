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
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _loop
from _loop import ROOT, StallMeter, TimedOut, peak_rss_mb, report, wait

_loop.prepare()

from PyQt5.QtWidgets import QApplication  # noqa: E402

from presenter.device import Board  # noqa: E402
from presenter.modes.board_terminal import BoardTerminal  # noqa: E402
from presenter.qt.repl_pane import ReplPane  # noqa: E402

RIG = ROOT.parent / "shared" / "rigs" / "virtual-microbit"
LOOP = "for i in range({n}): print('\\x1b[32mline\\x1b[0m', i)\r\r"  # the 2nd Enter ends the block


def flood(app: QApplication, port: str, profile: str | None, lines: int) -> dict:
    board = Board.open(port, profile, timeout=5.0)
    pane = ReplPane()
    pane.resize(1000, 700)
    pane.show()
    terminal = BoardTerminal(board, pane)
    started: list[bool] = []
    terminal.started.connect(lambda: started.append(True))
    terminal.start()
    wait(app, lambda: bool(started), 10, "the terminal to start")
    terminal.type_keys(b"\r")
    wait(app, lambda: pane.toPlainText().endswith(">>> "), 10, "the board's prompt")
    last = f"line {lines - 1}"
    stalls = StallMeter()
    terminal.type_keys(LOOP.format(n=lines).encode())
    begin = time.perf_counter()
    stalls.start()

    def finished() -> bool:
        """The last line, then the prompt (older prompts scroll out)."""
        block = pane.document().lastBlock()
        return block.text() == ">>> " and block.previous().text() == last

    try:
        wait(app, finished, 600, f"{last} and the prompt after it")
        complete = True
    except TimedOut:  # reported as "complete": false, with the other figures
        complete = False
    shown = time.perf_counter() - begin
    stalls.stop()
    blocks = pane.document().blockCount()
    terminal.close()
    board.close()
    return {
        "lines": lines,
        "shown_s": round(shown, 3),
        "complete": complete,
        "max_stall_ms": stalls.longest_ms(),
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
    report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
