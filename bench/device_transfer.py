"""How fast do files reach a micro:bit, and how soon does `presenter run` show output?

Boots the virtual micro:bit (real V1 MicroPython in QEMU, /work/shared/rigs/virtual-microbit)
with this Python, then on the same board in the same run:

* writes and reads back a 10 kB text file and a 10 kB binary file (every byte value) with
  Presenter's engine (``Board.files``) and with microfs 1.4.5, the library Mu uses;
* times ``presenter run --port PORT resources/demos/hello.py`` (the real CLI, a child
  process) from start to its first output line.

Every transfer is read back and compared; a mismatch is reported, never hidden.
Prints one line per figure; the last line is one JSON object with all of them.
Target from the issue: Presenter binary write >= 3x microfs binary write.

The emulated UART is several times faster than a real board's 115200 baud, so the absolute
figures are optimistic; the ratios are what this compares.

Usage: .venv/bin/python bench/device_transfer.py [--rig PATH] [--size BYTES]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_RIG = Path("/work/shared/rigs/virtual-microbit")
HELLO = ROOT / "resources" / "demos" / "hello.py"


def payloads(size: int) -> dict[str, bytes]:
    line = b"The quick brown fox jumps over the lazy dog; 0123456789 = ok\n"
    text = (line * (size // len(line) + 1))[:size]
    binary = bytes(i % 256 for i in range(size))
    return {"text": text, "binary": binary}


def start_board(rig: Path, workdir: Path) -> tuple[str, Path]:
    pidfile = workdir / "qemu.pid"
    proc = subprocess.run(
        [sys.executable, str(rig), "--pidfile", str(pidfile)],
        capture_output=True, text=True, timeout=60,
    )
    if proc.returncode != 0:
        sys.exit(f"bench: the virtual micro:bit did not start: {proc.stderr.strip()}")
    return proc.stdout.strip(), pidfile


def rate(nbytes: int, seconds: float) -> float:
    return round(nbytes / seconds, 1) if seconds > 0 else float("inf")


def bench_presenter(port: str, data: dict[str, bytes]) -> dict[str, float]:
    from presenter.device import Board

    figures: dict[str, float] = {}
    with Board.open(port) as board:
        for kind, payload in data.items():
            name = f"bench_{kind}.bin"
            if board.files.exists(name):
                board.files.remove(name)
            start = time.perf_counter()
            board.files.write(name, payload, skip_unchanged=False)
            figures[f"presenter_{kind}_write_Bps"] = rate(len(payload), time.perf_counter() - start)
            start = time.perf_counter()
            back = board.files.read(name)
            figures[f"presenter_{kind}_read_Bps"] = rate(len(payload), time.perf_counter() - start)
            if back != payload:
                sys.exit(f"bench: Presenter read back a different {kind} file ({len(back)} bytes)")
            board.files.remove(name)
        # The same hello.py through an already open board: the engine's share of the CLI
        # figure below (the rest is process start, opening the port and QEMU's 1 s poll).
        source = HELLO.read_text(encoding="utf-8")
        first: list[float] = []
        start = time.perf_counter()
        board.run(source, lambda _text: first.append(time.perf_counter()), lambda _text: None)
        figures["engine_hello_first_output_s"] = round(first[0] - start, 3) if first else -1.0
    return figures


def bench_microfs(port: str, data: dict[str, bytes], workdir: Path) -> dict[str, float]:
    import microfs
    import serial

    figures: dict[str, float] = {}
    # timeout: the emulator answers the first exchange after an open only within ~1 s
    with serial.Serial(port, 115200, timeout=3, parity="N") as ser:
        time.sleep(0.1)
        for kind, payload in data.items():
            local = workdir / f"mfs_{kind}.bin"
            local.write_bytes(payload)
            name = f"mfs_{kind}.bin"
            start = time.perf_counter()
            microfs.put(str(local), target=name, serial=ser)
            figures[f"microfs_{kind}_write_Bps"] = rate(len(payload), time.perf_counter() - start)
            back_path = workdir / f"mfs_{kind}.back"
            start = time.perf_counter()
            try:
                microfs.get(name, target=str(back_path), serial=ser)
                figures[f"microfs_{kind}_read_Bps"] = rate(len(payload), time.perf_counter() - start)
                if back_path.read_bytes() != payload:
                    figures[f"microfs_{kind}_read_Bps"] = -1.0  # wrong data: no valid figure
            except Exception as exc:  # microfs's own failure is a result, not a bench crash
                print(f"microfs get {kind} failed: {exc!r}", file=sys.stderr)
                figures[f"microfs_{kind}_read_Bps"] = -1.0
            microfs.rm(name, serial=ser)
    return figures


def bench_run(port: str) -> dict[str, float]:
    """Seconds from starting `presenter run` to its first output line, and to its exit."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "run", "--port", port, str(HELLO)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    first_output = time.perf_counter() - start
    rest, err = proc.communicate(timeout=60)
    total = time.perf_counter() - start
    if proc.returncode != 0 or b"Hello" not in first:
        sys.exit(f"bench: presenter run failed ({proc.returncode}): {first!r} {err.decode()!r}")
    return {"run_hello_first_output_s": round(first_output, 3), "run_hello_total_s": round(total, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rig", type=Path, default=DEFAULT_RIG)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    data = payloads(args.size)
    with tempfile.TemporaryDirectory(prefix="presenter-bench-") as tmp:
        workdir = Path(tmp)
        port, pidfile = start_board(args.rig, workdir)
        try:
            figures: dict[str, float] = {"size_bytes": args.size}
            figures.update(bench_presenter(port, data))
            figures.update(bench_microfs(port, data, workdir))
            figures.update(bench_run(port))
        finally:
            subprocess.run([sys.executable, str(args.rig), "--stop", str(pidfile)],
                           capture_output=True, timeout=30)
    for kind in ("text", "binary"):
        for op in ("write", "read"):
            ours, theirs = figures[f"presenter_{kind}_{op}_Bps"], figures[f"microfs_{kind}_{op}_Bps"]
            ratio = round(ours / theirs, 2) if theirs > 0 else None
            figures[f"ratio_{kind}_{op}"] = ratio
            print(f"{kind:6} {op:5}  presenter {ours:9.1f} B/s   microfs {theirs:9.1f} B/s   "
                  f"x{ratio}")
    print(f"presenter run hello.py: first output after {figures['run_hello_first_output_s']} s, "
          f"done after {figures['run_hello_total_s']} s "
          f"(open board: first output after {figures['engine_hello_first_output_s']} s)")
    target = figures["ratio_binary_write"]
    figures["target_binary_write_3x_met"] = bool(target and target >= 3)
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
