"""The presenter screen on a second screen: a real X server (Xvfb) with two screens.

The suite's offscreen platform has one screen, so this starts Xvfb with two (1280x720 for
the projector, 1024x768 for the speaker's laptop) and runs ``on_two_screens.py`` there in a
pytest of its own: the window, the keys and the clicks are as real as in any GUI test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.fixture
def two_screens():
    """An X server with two screens; yields its DISPLAY."""
    if shutil.which("Xvfb") is None:
        pytest.skip("needs Xvfb (scripts/setup-env --test installs it)")
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x720x24",
                             "-screen", "1", "1024x768x24", "-nolisten", "tcp"],
                            pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        display = ":" + pipe.readline().strip()
    try:
        yield display
    finally:
        xvfb.terminate()
        xvfb.wait(10)


@pytest.mark.slow
def test_the_presenter_screen_on_a_second_screen(two_screens, tmp_path):
    env = dict(os.environ, DISPLAY=two_screens, QT_QPA_PLATFORM="xcb",
               PRESENTER_HOME=str(tmp_path / "home"), QT_XCB_GL_INTEGRATION="none")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(HERE / "on_two_screens.py"), "-q",
         "-p", "no:cacheprovider", "-o", "addopts=--strict-markers"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    assert "6 passed" in result.stdout, report
