"""Presentation mode on real projector screens: Xvfb at 1024x768, 1280x720 and 1920x1080
with openbox, F11 pressed through the X server (xdotool), measured by Scintilla itself."""

from __future__ import annotations

import json
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from presenter.presenting.presets import MIN_COLUMNS, MIN_LINES
from tests.fakes.x_server import x_server

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0  # seconds, generous under load


def read_event(process: subprocess.Popen, kind: str) -> dict:
    """The next ``probe-<kind>`` line the probe prints (other lines are skipped)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 1.0)
        if not ready:
            if process.poll() is not None:
                break
            continue
        line = process.stderr.readline()
        if not line:
            break
        if line.startswith("probe-timeout"):
            pytest.fail(f"the probe gave up: {line}")
        if line.startswith(f"probe-{kind} "):
            return json.loads(line.split(" ", 1)[1])
    pytest.fail(f"no probe-{kind} from the probe (exit {process.poll()})")


def press(env: dict[str, str], key: str) -> None:
    subprocess.run(["xdotool", "search", "--sync", "--name", "Presenter", "windowactivate",
                    "--sync"], env=env, check=False, timeout=30, capture_output=True)
    subprocess.run(["xdotool", "key", key], env=env, check=True, timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), [(1024, 768), (1280, 720), (1920, 1080)])
def test_f11_fills_the_screen_with_at_least_50_columns_and_15_lines_and_comes_back(
        tmp_path, width, height):
    if shutil.which("xdotool") is None:
        pytest.skip("needs xdotool (scripts/setup-env --test installs it)")
    demo = tmp_path / "demo.py"
    demo.write_text("".join(f"value_{n:03d} = {n} * 2  # past eighty columns, on purpose, "
                            f"so the scroll bars show\n" for n in range(150)))
    with x_server(width, height) as env:
        env = dict(env, PRESENTER_HOME=str(tmp_path / "home"))
        probe = subprocess.Popen([sys.executable, "-m", "tests.presenting.stage_probe", str(demo)],
                                 cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        try:
            before = read_event(probe, "ready")
            press(env, "F11")
            shown = read_event(probe, "presenting")
            press(env, "F11")
            left = read_event(probe, "left")
            probe.wait(WAIT)
        finally:
            if probe.poll() is None:
                probe.kill()
    assert shown["screen"] == [0, 0, width, height]
    assert shown["window"] == shown["screen"] and shown["full_screen"]
    assert shown["preset"] == f"{width}x{height}"  # picked by the screen's size
    columns, lines = shown["preset_grid"]
    assert shown["columns"] >= columns >= MIN_COLUMNS, shown
    assert shown["lines"] >= lines >= MIN_LINES, shown
    assert shown["menu_hidden"] and shown["status_hidden"] and shown["tab_bar_hidden"]
    assert left["geometry"] == before["geometry"] and not left["full_screen"]
    assert left["points"] == 14  # the editor's own size again
