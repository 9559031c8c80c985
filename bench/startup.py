"""Start-up time and memory of ``presenter FILE``, the median of several runs.

Measures from just before launching the real ``presenter`` command to the moment the
main window is up with the file's text in it (the app prints a probe line when its first
event-loop turn completes), and the child's peak RSS from the kernel (wait4).
Uses the X display if there is one, otherwise Qt's offscreen platform.

It also starts the window the way the README tells a new user to, ``scripts/launch FILE``
(from another folder, with the file named relative to it), once everything is installed:
``launch_overhead_s`` is what the launcher's checks add before the window opens.

    python bench/startup.py [--runs 7]
    .venv-sysqt/bin/python bench/startup.py   # the system-Qt path (Debian's PyQt5), as on a Pi

Last line: a JSON object with startup_s, peak_rss_mb and launch_overhead_s (medians).
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


def one_run(presenter: list[str], file: Path, home: Path) -> tuple[float, float, int]:
    env = dict(os.environ, PRESENTER_HOME=str(home), PRESENTER_STARTUP_PROBE="1")
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    start = time.monotonic()
    proc = subprocess.Popen([*presenter, file.name], cwd=file.parent, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    ready_at, chars = None, -1
    for line in proc.stderr:
        if line.startswith("presenter-ready "):
            _, when, chars_text, _visible = line.split()
            ready_at, chars = float(when), int(chars_text)
            break
    proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if ready_at is None:
        raise SystemExit(f"presenter did not report start-up (exit {proc.returncode})")
    return ready_at - start, usage.ru_maxrss / 1024, chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    # The Qt path is the venv's this runs in; scripts/launch must take the same one.
    system_qt = Path(sys.prefix).name == ".venv-sysqt"
    if system_qt:
        os.environ["PRESENTER_SYSTEM_QT"] = "1"
    exe = shutil.which("presenter", path=str(Path(sys.executable).parent))
    presenter = [exe] if exe else [sys.executable, "-m", "presenter"]
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "demo.py"
        text = "".join(f"print('line {n}')\n" for n in range(200))
        file.write_text(text, encoding="utf-8")
        one_run(presenter, file, Path(tmp) / "warm")  # warm the OS file cache once
        launch = [str(ROOT / "scripts" / "launch")]
        subprocess.run(launch[:1] + ["--version"], check=True, capture_output=True)  # installs
        times, rss, launched = [], [], []
        for n in range(args.runs):
            # Interleaved, so a busy moment on the machine costs both ways alike.
            seconds, mb, chars = one_run(presenter, file, Path(tmp) / f"home{n}")
            via_launch, _, launch_chars = one_run(launch, file, Path(tmp) / f"launch{n}")
            for shown in (chars, launch_chars):
                if shown != len(text):
                    raise SystemExit(f"window showed {shown} characters, expected {len(text)}")
            times.append(seconds)
            rss.append(mb)
            launched.append(via_launch)
            print(f"run {n + 1}: {seconds:.3f} s, peak RSS {mb:.1f} MB; "
                  f"via scripts/launch {via_launch:.3f} s")
    result = {"startup_s": round(statistics.median(times), 3),
              "peak_rss_mb": round(statistics.median(rss), 1),
              "launch_overhead_s": round(statistics.median(launched) - statistics.median(times), 3),
              "runs": args.runs, "min_s": round(min(times), 3), "max_s": round(max(times), 3),
              "platform": "xcb" if os.environ.get("DISPLAY") else "offscreen",
              "qt": "system" if system_qt else "wheels"}
    print(f"median start-up {result['startup_s']} s, peak RSS {result['peak_rss_mb']} MB; "
          f"scripts/launch adds {result['launch_overhead_s']} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
