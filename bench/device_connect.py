"""How long does the first command take from a cold start: `presenter fs ls` vs `mpremote fs ls`?

Both run as real child processes (interpreter start, imports, opening the port, reaching the
raw REPL, identifying, listing) against the same fake board on a pty with the modern raw-paste
profile (tests/fakes/fake_board.py), alternating, several rounds; the median of each is the
figure.  The fake answers at once, so the figures are the tools' own costs: fixed waits,
probes and round trips.  Target from issue 7: Presenter no slower than mpremote.

Both run as installed tools do, from compiled bytecode: pip compiled mpremote's at install
time, so Presenter's (an editable checkout) is compiled by one uncounted warm-up run into a
private cache folder.  This machine's environment sets PYTHONDONTWRITEBYTECODE, which would
otherwise make every Presenter start recompile its modules (about 20 ms); that figure is
printed too, as ``..._no_bytecode_s``.

Prints one line per tool; the last line is one JSON object with all figures.

Usage: .venv/bin/python bench/device_connect.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def time_command(argv: list[str], expect: str, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or expect not in proc.stdout:
        sys.exit(f"bench: {argv[0]} failed ({proc.returncode}): {proc.stdout!r} {proc.stderr!r}")
    return elapsed


def bench_fs_ls_cold(rounds: int) -> dict[str, float]:
    """Median seconds for `fs ls` from a cold start, Presenter and mpremote on one fake board."""
    from tests.fakes.fake_board import FakeBoard

    mpremote = shutil.which("mpremote", path=str(Path(sys.executable).parent)) or shutil.which(
        "mpremote")
    if mpremote is None:
        sys.exit("bench: mpremote is not installed (pip install -e '.[test]')")
    board = FakeBoard("modern")
    board.fs.files["main.py"] = b"print('hello')\n"
    presenter = [sys.executable, "-m", "presenter", "fs", "ls", "--port", board.port]
    theirs_cmd = [mpremote, "connect", board.port, "fs", "ls"]
    with tempfile.TemporaryDirectory(prefix="presenter-pycache-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        no_bytecode = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        try:
            time_command(presenter, "main.py", env)  # warm-up: compiles the bytecode
            time_command(theirs_cmd, "main.py", env)
            ours, theirs, ours_uncached = [], [], []
            for _ in range(rounds):
                ours.append(time_command(presenter, "main.py", env))
                theirs.append(time_command(theirs_cmd, "main.py", env))
                ours_uncached.append(time_command(presenter, "main.py", no_bytecode))
        finally:
            board.close()
    return {
        "fs_ls_cold_presenter_s": round(statistics.median(ours), 3),
        "fs_ls_cold_mpremote_s": round(statistics.median(theirs), 3),
        "fs_ls_cold_presenter_no_bytecode_s": round(statistics.median(ours_uncached), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    figures = bench_fs_ls_cold(args.rounds)
    ours, theirs = figures["fs_ls_cold_presenter_s"], figures["fs_ls_cold_mpremote_s"]
    figures["ratio_presenter_to_mpremote"] = round(ours / theirs, 2)
    figures["target_no_slower_than_mpremote_met"] = ours <= theirs
    print(f"fs ls from a cold start (median of {args.rounds}): presenter {ours} s, "
          f"mpremote {theirs} s (presenter recompiling its modules: "
          f"{figures['fs_ls_cold_presenter_no_bytecode_s']} s)")
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
