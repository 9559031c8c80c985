"""Benchmark: copies through the Files pane in the window; does the window stay responsive?

A real Workbench (offscreen) with the Files pane joined to the virtual micro:bit (V1 firmware
in QEMU, the slowest board there is) through a ``BoardConnection``. The pane's buttons are
clicked; a 2 ms QTimer measures the longest event-loop stall while each transfer runs. For
comparison the same transfers are timed with the engine alone (``Board.files``, no GUI).
Figures; the last line is one JSON object:

  to_board_s / to_computer_s   click until the pane says the copy is done (10 kB, binary)
  engine_write_s / engine_read_s   the same transfers with the engine alone
  max_stall_ms                 longest event-loop gap during the two copies
  cancel_s                     Cancel clicked (mid-copy of 20 kB to the board) until the pane
                               is idle again, with the temporary removed

Usage: python bench/files_pane.py [--kb N] [--port PTY]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _loop
from _loop import ROOT, StallMeter, report, wait

_loop.prepare()

from PyQt5.QtCore import Qt  # noqa: E402
from PyQt5.QtTest import QTest  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402

RIG = ROOT.parent / "shared" / "rigs" / "virtual-microbit"


def run(app: QApplication, port: str, size: int, home: Path) -> dict:
    os.environ["PRESENTER_HOME"] = str(home)
    from presenter.device import Board, BoardInfo
    from presenter.modes.board_connection import BoardConnection
    from presenter.modes.board_files import BoardFiles
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench, _Context

    data = os.urandom(size)
    with Board.open(port, timeout=5.0) as board:  # the engine alone, for comparison
        start = time.perf_counter()
        board.files.write("engine.bin", data, skip_unchanged=False)
        engine_write = time.perf_counter() - start
        start = time.perf_counter()
        assert board.files.read("engine.bin") == data
        engine_read = time.perf_counter() - start
        board.files.remove("engine.bin")

    local = home / "computer"
    local.mkdir()
    (local / "data.bin").write_bytes(data)
    bench = Workbench(Settings.load())
    bench.settings.section(bench.modes[0].id)["files_folder"] = str(local)
    bench.start([])
    bench.window.resize(1280, 720)
    connection = BoardConnection(bench.window)
    connected: list[object] = []
    connection.connected.connect(connected.append)
    connection.open(BoardInfo(port=port, serial_number="BENCH"))
    wait(app, lambda: bool(connected), 30, "the board to connect")
    files = BoardFiles(connection, _Context(bench, bench.mode), noun="micro:bit")
    pane = files.pane
    bench.window.side_area.addWidget(pane)
    files.set_visible(True)
    wait(app, lambda: not pane.is_busy(), 30, "the pane to list the board's files")
    stalls = StallMeter()

    def click(button) -> None:
        assert button.isEnabled(), button.text()
        QTest.mouseClick(button, Qt.LeftButton)

    def select_local(name: str) -> None:
        index = pane.local_model.index(str(local / name))
        wait(app, lambda: pane.local_model.index(str(local / name)).isValid(), 10,
             f"{name} in the computer's list")
        pane.local_list.selectionModel().select(
            index, pane.local_list.selectionModel().ClearAndSelect
            | pane.local_list.selectionModel().Rows)

    def select_board(name: str) -> None:
        board = pane.board_list
        wait(app, lambda: any(board.topLevelItem(i).text(0) == name
                              for i in range(board.topLevelItemCount())), 30,
             f"{name} in the board's list")
        board.clearSelection()
        for i in range(board.topLevelItemCount()):
            if board.topLevelItem(i).text(0) == name:
                board.topLevelItem(i).setSelected(True)

    stalls.start()
    select_local("data.bin")
    start = time.perf_counter()
    click(pane.to_board_button)
    wait(app, lambda: not pane.is_busy(), 120, "the copy to the board to end")
    to_board = time.perf_counter() - start
    assert pane.result_label.text() == "Copied data.bin to the micro:bit.", pane.result_label.text()
    (local / "data.bin").unlink()
    select_board("data.bin")
    start = time.perf_counter()
    click(pane.to_computer_button)
    wait(app, lambda: not pane.is_busy(), 120, "the copy to the computer to end")
    to_computer = time.perf_counter() - start
    stalls.stop()
    assert (local / "data.bin").is_file(), pane.result_label.text()  # the pane says why not
    assert (local / "data.bin").read_bytes() == data

    select_board("data.bin")  # make room on the board (the V1 holds 27 kB in all)
    click(pane.delete_button)
    click(pane.confirm_button)
    wait(app, lambda: not pane.is_busy(), 60, "the delete to end")
    (local / "big.bin").write_bytes(os.urandom(2 * size))
    select_local("big.bin")
    click(pane.to_board_button)
    wait(app, lambda: pane.progress_bar.value() > 0, 60, "the big copy's first progress")
    start = time.perf_counter()
    click(pane.cancel_button)
    wait(app, lambda: not pane.is_busy(), 60, "the pane to be idle after Cancel")
    cancel = time.perf_counter() - start
    assert "cancelled" in pane.result_label.text(), pane.result_label.text()

    files.close()
    connection.shutdown()
    bench.closing = True
    bench.autosaver.shutdown()
    return {
        "board": "virtual micro:bit (V1 firmware)",
        "bytes": size,
        "to_board_s": round(to_board, 2),
        "engine_write_s": round(engine_write, 2),
        "to_computer_s": round(to_computer, 2),
        "engine_read_s": round(engine_read, 2),
        "max_stall_ms": stalls.longest_ms(),
        "cancel_s": round(cancel, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kb", type=int, default=10, help="size of the file copied (kB)")
    parser.add_argument("--port", help="a virtual micro:bit already running (else one is booted)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop the emulator
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        if args.port:
            figures = run(app, args.port, args.kb * 1000, home)
        else:
            pidfile = Path(tmp) / "qemu.pid"
            port = subprocess.run([sys.executable, str(RIG), "--pidfile", str(pidfile)],
                                  capture_output=True, text=True, check=True).stdout.strip()
            try:
                figures = run(app, port, args.kb * 1000, home)
            finally:
                subprocess.run([sys.executable, str(RIG), "--stop", str(pidfile)],
                               capture_output=True)
    report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
