"""Big files: open, jump and edit in the window, and how fast a typed key shows on screen.

    python bench/large_file.py [--lines 50000] [--typing-lines 20000] [--keys 50]
                               [--thonny THONNY] [--presenter COMMAND] [--no-typing]

1. In this process (offscreen unless a display is set): open a --lines file in the real
   window, jump to its end, make one edit (open_ms, jump_ms, edit_ms).
2. Black box, as the audience sees it: the real ``presenter`` command opens a
   --typing-lines file on a real X server (its own Xvfb with openbox when Xvfb is
   installed, else $DISPLAY). Real key presses go through the X server (XTest) at the end
   of the first line, one every 80-150 ms like a brisk typist, and each key's echo is
   the first moment the screen's pixels right of the caret change by more than the caret
   (a blinking caret is not an echo). Median and worst over --keys keys.
   The same run measures Thonny (a Tk IDE) on the same file when it is installed
   (``--thonny`` names its command, default ``thonny`` on PATH), for comparison.

Last line: a JSON object with the in-process figures and, per editor, echo_median_ms,
echo_worst_ms and the keys measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from x11 import Rect, Screen, changed_box  # noqa: E402 (bench/ is not a package)

SCREEN_SIZE = "1920x1080x24"
KEYS = "abcdefghijklmnopqrstuvwxyz"


def python_file(path: Path, lines: int) -> None:
    path.write_text("".join(f"value_{n} = {n}  # a comment about {n}\n" for n in range(lines)),
                    encoding="utf-8")


# ---- 1. In process


def in_process(lines: int, tmp: Path) -> dict[str, float]:
    os.environ["PRESENTER_HOME"] = str(tmp / "home")
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt5.QtWidgets import QApplication

    app = QApplication([])
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    path = tmp / "big.py"
    python_file(path, lines)
    bench = Workbench(Settings.load())
    bench.start([])
    app.processEvents()

    def timed(action) -> float:
        start = time.perf_counter()
        action()
        app.processEvents()
        return round((time.perf_counter() - start) * 1000, 1)

    holder = {}
    open_ms = timed(lambda: holder.update(editor=bench.files.open_path(str(path))))
    editor = holder["editor"]
    jump_ms = timed(lambda: bench.go_to(str(path), lines - 1))
    edit_ms = timed(lambda: editor.insert("x = 1\n"))
    assert editor.lines() == lines + 2  # the trailing newline, plus the inserted line
    bench.autosaver.timer.stop()
    print(f"{lines} lines: open {open_ms} ms, jump to end {jump_ms} ms, one edit {edit_ms} ms")
    return {"lines": lines, "open_ms": open_ms, "jump_ms": jump_ms, "edit_ms": edit_ms}


# ---- 2. Black box on an X server


@contextlib.contextmanager
def x_server() -> Iterator[str | None]:
    """A private Xvfb (with openbox if installed) when Xvfb exists; else $DISPLAY; else None."""
    if shutil.which("Xvfb") is None:
        yield os.environ.get("DISPLAY")
        return
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN_SIZE,
                             "-nolisten", "tcp"], pass_fds=(write_end,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        display = ":" + pipe.readline().strip()
    manager = None
    if shutil.which("openbox"):
        manager = subprocess.Popen(["openbox"], env=dict(os.environ, DISPLAY=display),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
    try:
        yield display
    finally:
        for process in (manager, xvfb):
            if process is not None:
                process.terminate()
                process.wait(10)


def find_caret(screen: Screen, area: Rect, timeout: float = 4.0) -> Rect:
    """The caret, found by its blinking: the only thing that changes in a still window."""
    deadline = time.monotonic() + timeout
    before, stride = screen.grab(area)
    while time.monotonic() < deadline:
        time.sleep(0.09)
        after, _ = screen.grab(area)
        box = changed_box(before, after, stride)
        if box is not None and box.width <= 6 and box.height >= 8:
            return Rect(area.x + box.x, area.y + box.y, box.width, box.height)
        before = after
    raise RuntimeError("no blinking caret found: is the editor focused?")


def type_and_watch(screen: Screen, caret: Rect, right_edge: int, keys: int) -> list[float]:
    """Type ``keys`` letters; for each, milliseconds until the screen shows more than the caret."""
    strip = Rect(caret.x + caret.width + 1, caret.y, right_edge - caret.x - caret.width - 1,
                 caret.height)
    rng = random.Random(6)
    latencies = []
    for n in range(keys):
        time.sleep(rng.uniform(0.08, 0.15))
        before, stride = screen.grab(strip)
        start = time.perf_counter()
        screen.key(KEYS[n % len(KEYS)])
        while True:
            after, _ = screen.grab(strip)
            box = changed_box(before, after, stride)
            # The caret blinking (or moving) changes a sliver; a new glyph is wider.
            if box is not None and box.width > caret.width + 2:
                latencies.append((time.perf_counter() - start) * 1000)
                break
            if time.perf_counter() - start > 2.0:
                raise RuntimeError(f"key {n + 1}: nothing appeared on screen within 2 s")
    return latencies


#: Where the keys are typed: the end of the first line, and a new last line (appending
#: code at the bottom of a long file, where an editor whose cost grows with the position
#: of the edit shows it).
PLACES = {"top": ["End"], "bottom": ["ctrl+End", "Return"]}


def measure_echo(display: str, name: str, command: list[str], env: dict[str, str],
                 keys: int) -> dict[str, object]:
    env = dict(env, DISPLAY=display)
    env.pop("QT_QPA_PLATFORM", None)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    screen = Screen(display)
    result: dict[str, object] = {}
    try:
        window = screen.find_window("big.py")
        screen.activate(window)
        time.sleep(2.5)  # let it settle: first styling, Thonny's back end starting
        screen.activate(window)
        area = screen.geometry(window)
        for place, moves in PLACES.items():
            for move in moves:
                screen.key(move)
            time.sleep(0.5)
            caret = find_caret(screen, area)
            latencies = type_and_watch(screen, caret, area.x + area.width - 40, keys)
            figures = {"echo_median_ms": round(statistics.median(latencies), 1),
                       "echo_worst_ms": round(max(latencies), 1), "keys": len(latencies)}
            result[place] = figures
            print(f"{name}, typing at the {place} of the file: key echo median "
                  f"{figures['echo_median_ms']} ms, worst {figures['echo_worst_ms']} ms "
                  f"over {len(latencies)} keys")
    finally:
        screen.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # unsaved edits: no questions asked
        process.wait(10)
    return result


def typing(lines: int, keys: int, presenter: list[str], thonny: str | None,
           tmp: Path) -> dict[str, object]:
    path = tmp / "typing" / "big.py"
    path.parent.mkdir()
    python_file(path, lines)
    results: dict[str, object] = {"typing_lines": lines}
    with x_server() as display:
        if display is None:
            print("typing: skipped (no Xvfb and no DISPLAY to type on)")
            return results
        home = tmp / "typing-home"
        results["presenter"] = measure_echo(display, "presenter", [*presenter, str(path)],
                                            dict(os.environ, PRESENTER_HOME=str(home)), keys)
        if thonny:
            user_dir = tmp / "thonny-home"
            user_dir.mkdir()
            # An existing configuration file skips Thonny's first-run language dialog.
            (user_dir / "configuration.ini").write_text("[general]\nlanguage = en_US\n")
            results["thonny"] = measure_echo(display, "thonny", [thonny, str(path)],
                                             dict(os.environ, THONNY_USER_DIR=str(user_dir)), keys)
        else:
            print("thonny: not installed, not compared (pip install thonny, or pass --thonny)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000, help="file size for open/jump/edit")
    parser.add_argument("--typing-lines", type=int, default=20_000, help="file size for typing")
    parser.add_argument("--keys", type=int, default=50)
    parser.add_argument("--thonny", default=shutil.which("thonny"),
                        help="Thonny's command, to compare with (default: thonny on PATH)")
    parser.add_argument("--presenter", help="command that starts Presenter (to compare builds; "
                                            "default: this venv's presenter)")
    parser.add_argument("--no-typing", action="store_true", help="only the in-process figures")
    args = parser.parse_args()
    exe = shutil.which("presenter", path=str(Path(sys.executable).parent))
    presenter = (shlex.split(args.presenter) if args.presenter
                 else [exe] if exe else [sys.executable, "-m", "presenter"])
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        result: dict[str, object] = in_process(args.lines, tmp)
        if not args.no_typing:
            result.update(typing(args.typing_lines, args.keys, presenter, args.thonny, tmp))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
