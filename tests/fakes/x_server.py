"""A real X server (Xvfb) of a given size with a real window manager (openbox).

The offscreen platform has one 800x600 screen and no window manager: no title bars, no
full screen handed out by a manager. Tests of where the window goes and how big things are
on a projector run Presenter on this instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

TOOLS = ("Xvfb", "openbox")


def skip_without_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {' and '.join(missing)} (scripts/setup-env --test installs them)")


@contextlib.contextmanager
def x_server(width: int, height: int) -> Iterator[dict[str, str]]:
    """Xvfb at ``width`` x ``height`` with openbox; yields an environment for its DISPLAY."""
    skip_without_tools()
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                             f"{width}x{height}x24", "-nolisten", "tcp"], pass_fds=(write_end,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        display = ":" + pipe.readline().strip()
    env = dict(os.environ, DISPLAY=display)
    env.pop("QT_QPA_PLATFORM", None)
    manager = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # openbox must own the screen before the window maps, or nothing frames it
    try:
        yield env
    finally:
        for process in (manager, xvfb):
            process.terminate()
            process.wait(10)
