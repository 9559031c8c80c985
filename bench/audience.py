"""Benchmark: 200 people follow a live demo on the audience page. Does the talk suffer?

A real Workbench (offscreen) shares its page on loopback. A demo types a program into the
editor with real key events (20 characters a second) and presses F5 after each line; the
program prints ``result N``. Viewers are a separate process (so their memory and parsing
are not counted as the IDE's): N asyncio clients (aiohttp) on the page's event stream,
each rebuilding the code and output as the page does and noting when each change arrived.
Both processes use CLOCK_MONOTONIC, so arrival minus typing time is the latency.

Phases: (1) sharing on, nobody watching: the demo, the longest GUI stall, the IDE's memory;
(2) the same demo with N viewers: update latency (typed key until a viewer has it; a
printed line until a viewer has it), the longest stall, the IDE's memory; (3) one viewer
that connects and never reads, while the speaker switches between two 2,000-line tabs:
how soon it is dropped and what the IDE's memory does meanwhile.

Figures; the last line is one JSON object:

  code_p50_ms / code_p95_ms / code_max_ms   key typed -> a viewer holds the new code
  output_p95_ms                             line shown in the IDE -> a viewer holds it
  stall_idle_ms / stall_viewers_ms          longest GUI event-loop gap, without / with viewers
  rss_idle_mb / rss_viewers_mb / rss_delta_mb   the IDE's resident memory
  stuck_dropped_s                           a never-reading viewer connected -> dropped
  stuck_rss_delta_mb                        the IDE's memory across that phase

Usage: python bench/audience.py [--viewers 200] [--lines 12]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _loop
from _loop import StallMeter, TimedOut, percentile, pump, rss_mb, wait

_loop.prepare()

CHAR_MS = 50  # 20 characters a second: a quick typist, a demo player's default speed


# ---- The viewers' process

async def _viewer(session, url: str, log: list, ready: asyncio.Event, count: list, total: int):
    code_lines: list[int] = []  # each code line's length, as the page keeps the lines
    lines: list[str] = []
    first = 0
    async with session.get(url + "events") as response:
        async for raw in response.content:
            if not raw.startswith(b"data: "):
                continue
            now = time.monotonic()
            message = json.loads(raw[6:])
            if message.get("code"):
                code = message["code"]
                start, end = (0, len(code_lines)) if code["end"] < 0 else (code["start"], code["end"])
                code_lines[start:end] = [sum(len(text) for _css, text in line) for line in code["lines"]]
                log.append((now, "c", sum(code_lines) + len(code_lines) - 1))
            if "out" in message:
                out = message["out"]
                keep = out["start"] - first
                if out["reset"] or keep < 0 or keep > len(lines):
                    lines, first, keep = [], out["start"], 0
                new = ["".join(text for _s, text in line) for line in out["lines"]]
                lines = lines[:keep] + new
                for text in new:
                    if text.startswith("result "):
                        log.append((now, "o", int(text.split()[1])))
            if message.get("full"):
                count[0] += 1
                if count[0] == total:
                    ready.set()


async def _viewers_main(url: str, total: int) -> None:
    import aiohttp

    logs: list[list] = [[] for _ in range(total)]
    ready = asyncio.Event()
    count = [0]
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     read_bufsize=1 << 22) as session:
        tasks = [asyncio.create_task(_viewer(session, url, logs[i], ready, count, total))
                 for i in range(total)]
        await asyncio.wait_for(ready.wait(), 120)
        print("ready", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.readline)  # the parent says: stop
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps(logs), flush=True)


# ---- The IDE's process

def type_demo(app, bench, lines: int, typed_at: dict, shown_at: dict, run_base: int) -> None:
    """Type ``lines`` lines of a program with key events, F5 after each; record the times."""
    from PyQt5.QtCore import Qt
    from PyQt5.QtTest import QTest

    editor = bench.window.tabs.current()
    for number in range(run_base, run_base + lines):
        text = f"print('result', {number})  # line {number}\n"
        for char in text:
            started = time.monotonic()
            editor.setFocus()
            if char == "\n":
                QTest.keyClick(editor, Qt.Key_Return)
            else:
                QTest.keyClicks(editor, char)
            typed_at[len(editor.text())] = time.monotonic()
            pump(app, max(0.0, CHAR_MS / 1000 - (time.monotonic() - started)))
        editor.setCursorPosition(editor.lines(), 0)
        QTest.keyClick(editor, Qt.Key_F5)
        wait(app, lambda n=number: n in shown_at and not bench.is_running(), 30,
             f"result {number} shown and the run ended")
        pump(app, 0.2)


def latencies(logs: list[list], typed_at: dict, shown_at: dict) -> tuple[list, list]:
    code_ms, output_ms = [], []
    typed = sorted(typed_at.items())
    for log in logs:
        code_events = [(t, n) for t, kind, n in log if kind == "c"]
        seen_output = {}
        for t, kind, n in log:
            if kind == "o" and n not in seen_output:
                seen_output[n] = t
        position = 0
        for length, when in typed:
            while position < len(code_events) and (code_events[position][1] < length
                                                   or code_events[position][0] < when):
                position += 1
            if position < len(code_events):
                code_ms.append((code_events[position][0] - when) * 1000)
        for number, when in shown_at.items():
            if number in seen_output:
                output_ms.append((seen_output[number] - when) * 1000)
    return code_ms, output_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--lines", type=int, default=12, help="lines typed per phase")
    parser.add_argument("--viewers-process", nargs=2, metavar=("URL", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.viewers_process:
        asyncio.run(_viewers_main(args.viewers_process[0], int(args.viewers_process[1])))
        return 0

    home = Path(tempfile.mkdtemp(prefix="presenter-bench-audience-"))
    os.environ["PRESENTER_HOME"] = str(home)
    from PyQt5.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from presenter.core.output import STDOUT
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    settings = Settings.load()
    settings.set("audience.loopback", True)  # this machine only: the bench never leaves it
    settings.set("audience.port", 0)
    bench = Workbench(settings)
    bench.start([])
    bench.window.resize(1280, 720)
    bench.audience.set_sharing(True)
    wait(app, lambda: bool(bench.audience.url), 30, "sharing to start")
    url = bench.audience.url
    shown_at: dict[int, float] = {}

    def on_output(chunks) -> None:
        now = time.monotonic()
        for stream, text in chunks:
            if stream == STDOUT and "result " in text:
                for line in text.splitlines():
                    if line.startswith("result "):
                        shown_at.setdefault(int(line.split()[1]), now)

    bench.window.output.output_appended.connect(on_output)
    stalls = StallMeter()
    pump(app, 0.5)

    # (1) Nobody watching.
    stalls.start()
    type_demo(app, bench, args.lines, {}, shown_at, 1000)
    stall_idle = stalls.stop()
    rss_idle = rss_mb()
    print(f"nobody watching: longest stall {stall_idle:.1f} ms, IDE memory {rss_idle:.1f} MB")

    # (2) N viewers.
    child = subprocess.Popen([sys.executable, __file__, "--viewers-process", url,
                              str(args.viewers)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    try:
        wait(app, lambda: bench.audience.server.viewer_count() >= args.viewers, 120,
             f"{args.viewers} viewers to connect")
    except TimedOut:
        child.kill()
        raise
    assert child.stdout.readline().strip() == "ready"
    pump(app, 0.5)
    bench.window.tabs.current().setText("")
    bench.window.output.clear()
    pump(app, 0.5)
    typed_at: dict[int, float] = {}
    shown_at.clear()
    stalls.start()
    type_demo(app, bench, args.lines, typed_at, shown_at, 1)
    stall_viewers = stalls.stop()
    pump(app, 1.0)
    rss_viewers = rss_mb()
    still = bench.audience.server.viewer_count()
    child.stdin.write("stop\n")
    child.stdin.flush()
    logs = json.loads(child.stdout.readline())
    child.wait(60)
    code_ms, output_ms = latencies(logs, typed_at, shown_at)
    print(f"{args.viewers} viewers ({still} still connected at the end): key -> viewer "
          f"p50 {percentile(code_ms, 0.5):.0f} ms, p95 {percentile(code_ms, 0.95):.0f} ms, "
          f"max {max(code_ms):.0f} ms ({len(code_ms)} samples); output line -> viewer p95 "
          f"{percentile(output_ms, 0.95):.0f} ms; longest stall {stall_viewers:.1f} ms; "
          f"IDE memory {rss_viewers:.1f} MB (+{rss_viewers - rss_idle:.1f})")
    pump(app, 1.0)

    # (3) A viewer that never reads while the speaker switches between two 2,000-line tabs
    # (Ctrl+Tab): every switch sends a whole file, the heaviest update there is. (Typing
    # sends only the changed line: a stuck viewer's few bytes a keystroke would fit in the
    # kernel's socket buffers for minutes, costing nothing, and never be dropped.)
    from PyQt5.QtCore import Qt
    from PyQt5.QtTest import QTest

    first = bench.window.tabs.current()
    first.setText("".join(f"value_{i} = {i} * 2  # a long demo file\n" for i in range(2000)))
    bench.window.tabs.add_editor(bench.window.tabs.new_editor(
        text="".join(f"other_{i} = '{i}' + 'x'  # the other file\n" for i in range(2000))))
    pump(app, 0.5)
    rss_before = rss_mb()
    host, port = url.split("/")[2].split(":")
    stuck = socket.socket()
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stuck.connect((host, int(port)))
    stuck.sendall(f"GET /{bench.audience.token}/events HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    server = bench.audience.server
    wait(app, lambda: server.viewer_count() == 1, 30, "the never-reading viewer to connect")
    connected = time.monotonic()
    dropped_before = server.dropped_viewers
    switches = 0
    rss_peak = rss_before
    while server.dropped_viewers == dropped_before and time.monotonic() - connected < 60:
        QTest.keyClick(bench.window.tabs.current(), Qt.Key_Tab, Qt.ControlModifier)
        switches += 1
        pump(app, CHAR_MS / 1000)
        if switches % 10 == 0:
            rss_peak = max(rss_peak, rss_mb())
    dropped_s = time.monotonic() - connected if server.dropped_viewers > dropped_before else float("nan")
    stuck.close()
    pump(app, 0.5)
    rss_after = rss_mb()
    print(f"never-reading viewer: dropped after {dropped_s:.1f} s ({switches} tab switches of "
          f"about {len(first.text()) / 1000:.0f} kB of code each); IDE memory {rss_before:.1f} MB "
          f"before, {rss_peak:.1f} MB at most meanwhile, {rss_after:.1f} MB after")

    bench.audience.set_sharing(False)
    bench.window.tabs.current().setModified(False)
    for tab in bench.window.tabs.editors():
        tab.setModified(False)
    bench.window.close()
    print(json.dumps({
        "viewers": args.viewers,
        "code_p50_ms": round(percentile(code_ms, 0.5), 1),
        "code_p95_ms": round(percentile(code_ms, 0.95), 1),
        "code_max_ms": round(max(code_ms), 1),
        "output_p95_ms": round(percentile(output_ms, 0.95), 1),
        "stall_idle_ms": round(stall_idle, 1),
        "stall_viewers_ms": round(stall_viewers, 1),
        "rss_idle_mb": round(rss_idle, 1),
        "rss_viewers_mb": round(rss_viewers, 1),
        "rss_delta_mb": round(rss_viewers - rss_idle, 1),
        "stuck_dropped_s": round(dropped_s, 2),
        "stuck_rss_delta_mb": round(rss_peak - rss_before, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
