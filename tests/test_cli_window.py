"""The window side of the command line, run as a user runs it: a real child process.

``presenter [FILE...]`` opens the window, ``presenter devcies`` must not, ``--help`` shows
the window form first, and ``scripts/launch FILE`` finds FILE where the user stood.
The window reports what it shows through the start-up probe (``PRESENTER_STARTUP_PROBE``:
the current tab's title, then a ready line with its length), then quits.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PyQt5.QtCore import Qt

ROOT = Path(__file__).resolve().parent.parent


def start(*args: str, cwd: Path = ROOT, command: list[str] | None = None,
          timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRESENTER_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([*(command or [sys.executable, "-m", "presenter"]), *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def shown(proc: subprocess.CompletedProcess) -> tuple[str, int] | None:
    """(current tab title, its length in characters) if the window opened, else None."""
    lines = proc.stderr.splitlines()
    ready = [line.split() for line in lines if line.startswith("presenter-ready ")]
    if not ready:
        return None
    title = next(line.split(" ", 1)[1] for line in lines if line.startswith("presenter-tab "))
    return title, int(ready[0][2])


def test_a_mistyped_command_is_named_with_a_suggestion_and_opens_no_window(tmp_path):
    proc = start("devcies", cwd=tmp_path)
    assert proc.stderr == "presenter: unknown command 'devcies' (did you mean 'devices'?)\n"
    assert proc.returncode == 2
    assert shown(proc) is None
    assert not (tmp_path / "devcies").exists()


def test_a_file_name_close_to_a_command_still_opens_the_window(tmp_path):
    proc = start("flash.py", cwd=tmp_path)  # a new file, not a typo of "flash"
    assert proc.returncode == 0, proc.stderr
    assert shown(proc) == ("flash.py", 0)


def test_an_existing_file_named_like_a_typo_opens(tmp_path):
    (tmp_path / "devcies").write_text("x = 1\n")
    proc = start("devcies", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert shown(proc) == ("devcies", 6)


@pytest.mark.sysqt
def test_a_new_file_name_opens_an_empty_tab_with_that_name_and_writes_nothing(tmp_path):
    proc = start("newfile.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert shown(proc) == ("newfile.py", 0)
    assert not (tmp_path / "newfile.py").exists()  # nothing on disk until Save
    assert "Traceback" not in proc.stderr


@pytest.mark.sysqt
def test_save_creates_the_new_file(make_bench, qtbot, tmp_path):
    target = tmp_path / "newfile.py"
    bench = make_bench([str(target)])
    editor = bench.window.tabs.current()
    assert editor.info.title == "newfile.py" and editor.text() == ""
    assert not editor.isModified()
    qtbot.waitUntil(editor.hasFocus, timeout=5000)
    qtbot.keyClicks(editor, "print('made here')")
    qtbot.keyClick(editor, Qt.Key_S, Qt.ControlModifier)
    qtbot.waitUntil(target.exists, timeout=5000)
    assert target.read_text() == "print('made here')"
    assert not editor.isModified()


def test_help_shows_the_window_form_first():
    proc = start("--help")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[0] == "usage: presenter [FILE...]"
    assert "presenter COMMAND" in proc.stdout.splitlines()[1]
    assert shown(proc) is None


@pytest.mark.sysqt
def test_launch_opens_a_file_relative_to_where_it_was_run(tmp_path):
    demo = tmp_path / "demo.py"
    demo.write_text("print('hello from here')\n")
    proc = start("demo.py", cwd=tmp_path, command=[str(ROOT / "scripts" / "launch")], timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert shown(proc) == ("demo.py", len(demo.read_text()))


# It reinstalls Presenter into the venv every other test runs from: scripts/test runs it
# after the parallel part, alone (a test starting .venv/bin/presenter meanwhile failed).
@pytest.mark.alone
@pytest.mark.slow
def test_setup_says_what_it_installs_and_is_silent_when_nothing_changed():
    setup = [str(ROOT / "scripts" / "setup-env"), "--test"]
    stamp = Path(sys.prefix) / ".presenter-setup"  # .venv, or .venv-sysqt on the system's Qt
    stamp.parent.mkdir(exist_ok=True)
    stamp.write_text("stale\n")  # as after an edit of pyproject.toml
    first = subprocess.run(setup, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "setup: installing Presenter" in first.stderr
    assert "setup: ready in" in first.stderr.splitlines()[-1]
    for again in (setup, setup[:1]):  # a plain launch accepts the test install too
        quiet = subprocess.run(again, capture_output=True, text=True, timeout=600)
        assert quiet.returncode == 0, quiet.stderr
        assert (quiet.stdout, quiet.stderr) == ("", "")
