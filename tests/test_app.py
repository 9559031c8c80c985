"""The real `presenter FILE` process: window up with the file, problems logged, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from presenter import paths


def _start(*files: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess, list[str]]:
    env = dict(os.environ, PRESENTER_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "presenter", *files], env=env,
                            capture_output=True, text=True, timeout=timeout)
    ready = [line for line in result.stderr.splitlines() if line.startswith("presenter-ready ")]
    return result, ready


@pytest.mark.sysqt
def test_presenter_file_opens_the_window_with_the_file(tmp_path):
    demo = tmp_path / "demo.py"
    demo.write_text("print('hello')\n" * 10, encoding="utf-8")
    result, ready = _start(str(demo))
    assert result.returncode == 0, result.stderr
    _, _when, chars, visible = ready[0].split()
    assert int(chars) == len(demo.read_text()) and visible == "1"


@pytest.mark.sysqt
def test_bad_files_and_settings_are_logged_not_fatal(tmp_path):
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("{broken")
    result, ready = _start(str(binary), str(tmp_path / "missing.py"))
    assert result.returncode == 0, result.stderr
    assert ready, result.stderr
    log = (paths.log_dir() / "presenter.log").read_text(encoding="utf-8")
    assert "blob.bin" in log and "binary" in log
    assert "missing.py" in log
    assert "damaged" in log
    assert "Traceback" not in result.stderr


@pytest.mark.sysqt
def test_without_a_display_the_window_says_so_instead_of_aborting():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "presenter"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("presenter: no display")
    assert "Traceback" not in result.stderr
