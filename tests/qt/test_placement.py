"""The window fits the screen it opens on, title bar included.

The offscreen platform has one 800x600 screen and no window manager, so the end-to-end
checks run ``presenter`` on a real X server (Xvfb) at projector size with a real window
manager (openbox), where the frame and its title bar exist; the fitting arithmetic is
also checked on its own at 1280x720 and 1920x1080.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PyQt5.QtCore import QRect

from presenter.qt.placement import default_frame, fit_frame
from tests.fakes.x_server import x_server

HD = QRect(0, 0, 1280, 720)
FULL_HD = QRect(0, 0, 1920, 1080)


@pytest.mark.parametrize("available", [HD, FULL_HD, QRect(1920, 0, 1280, 720)])
def test_a_frame_from_a_bigger_screen_is_shrunk_and_moved_inside(available):
    fitted = fit_frame(QRect(available.x() + 300, 200, 1800, 1000), available)
    assert available.contains(fitted)
    assert fitted.width() == min(1800, available.width())
    assert fitted.height() == min(1000, available.height())


def test_a_frame_that_fits_stays_where_it_was():
    assert fit_frame(QRect(100, 50, 900, 600), FULL_HD) == QRect(100, 50, 900, 600)


def test_a_frame_partly_off_screen_moves_back_without_shrinking():
    assert fit_frame(QRect(-50, -30, 900, 600), HD) == QRect(0, 0, 900, 600)
    assert fit_frame(QRect(1000, 500, 900, 600), HD) == QRect(380, 120, 900, 600)


def test_the_first_frame_is_centred_and_fits():
    assert default_frame(FULL_HD) == QRect(360, 140, 1200, 800)
    assert default_frame(HD) == QRect(40, 0, 1200, 720)


# ---- The real window on a real X server with a window manager


@pytest.fixture
def projector():
    """An X server of 1280x720 with openbox managing windows; yields its environment."""
    with x_server(1280, 720) as env:
        yield env


def framed_window(env: dict[str, str], home: Path) -> tuple[QRect, QRect]:
    """Start ``presenter`` and return its frame (title bar included) and the screen's area."""
    env = dict(env, PRESENTER_HOME=str(home), PRESENTER_STARTUP_PROBE="frame")
    result = subprocess.run([sys.executable, "-m", "presenter"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    rects = {}
    for line in result.stderr.splitlines():
        name, *numbers = line.split()
        if name in ("presenter-frame", "presenter-screen"):
            rects[name] = QRect(*map(int, numbers))
    return rects["presenter-frame"], rects["presenter-screen"]


def test_the_first_window_on_a_720p_projector_shows_its_title_bar(projector, tmp_path):
    frame, screen = framed_window(projector, tmp_path / "home")
    assert screen == HD
    assert frame.top() >= 0, f"title bar above the screen: frame {frame}"
    assert screen.contains(frame), f"frame {frame} does not fit {screen}"


def test_a_window_saved_on_a_bigger_screen_is_pulled_inside(projector, tmp_path):
    home = tmp_path / "home"
    settings = home / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"session": {"files": [], "geometry": {
        "x": 300, "y": 200, "w": 1800, "h": 1000, "screen": "HDMI-2", "maximized": False}}}))
    frame, screen = framed_window(projector, home)
    assert screen.contains(frame), f"frame {frame} does not fit {screen}"
    assert frame.width() >= 1200 and frame.height() >= 650  # shrunk only as far as needed
