"""scripts/setup-env's two Qt paths, run as a user runs the scripts.

Which path a machine takes is checked with ``setup-env --venv`` (it prints the venv folder and
installs nothing) under a fake ``uname``, so a Raspberry Pi is tested without one. What it says
without root is checked in a copy of the scripts with a fake ``id`` and ``dpkg-query``: it stops
before making a venv, so nothing is installed twice.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from presenter.qt_packages import DEBIAN_DIST_PACKAGES, QT_MODULES

ROOT = Path(__file__).resolve().parents[1]
QT_DEBS = "python3-pyqt5 python3-pyqt5.sip python3-pyqt5.qtsvg python3-pyqt5.qsci"


def _fake_bin(folder: Path, machine: str = "x86_64", system: str = "Linux",
              uid: int | None = None, installed_but: str | None = None) -> Path:
    """Commands that shadow the real ones: uname, and optionally id and dpkg-query."""
    folder.mkdir(exist_ok=True)
    scripts = {"uname": f'case "$1" in -m) echo {machine} ;; -s) echo {system} ;; '
                        f'*) exec /usr/bin/uname "$@" ;; esac'}
    if uid is not None:
        scripts["id"] = f'[ "$1" = -u ] && echo {uid} || exec /usr/bin/id "$@"'
    if installed_but is not None:  # every package is installed except those matching the glob
        scripts["dpkg-query"] = ('for p in "$@"; do case "$p" in -*) ;; '
                                 f'{installed_but}) ;; *) echo "$p installed" ;; esac; done')
    for name, body in scripts.items():
        (folder / name).write_text(f"#!/bin/sh\n{body}\n")
        (folder / name).chmod(0o755)
    return folder


def _run(script: Path, *args: str, fake: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "PRESENTER_SYSTEM_QT"}
    environ.update(env, PATH=f"{fake}{os.pathsep}{os.environ['PATH']}")
    return subprocess.run([str(script), *args], env=environ, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def _copy_of_the_scripts(tmp_path: Path) -> Path:
    """What setup-env reads before it makes a venv, in a folder of its own."""
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "scripts", root / "scripts")
    (root / "presenter").mkdir()
    shutil.copy(ROOT / "presenter" / "qt_packages.py", root / "presenter")
    shutil.copy(ROOT / "pyproject.toml", root)
    return root


@pytest.mark.parametrize(("system", "machine", "args", "env", "venv"), [
    ("Linux", "x86_64", (), {}, ".venv"),
    ("Darwin", "arm64", (), {}, ".venv"),  # macOS on ARM has wheels
    ("Linux", "aarch64", (), {}, ".venv-sysqt"),  # 64-bit Raspberry Pi OS
    ("Linux", "armv7l", (), {}, ".venv-sysqt"),  # 32-bit Raspberry Pi OS
    ("Linux", "x86_64", ("--system-qt",), {}, ".venv-sysqt"),
    ("Linux", "x86_64", (), {"PRESENTER_SYSTEM_QT": "1"}, ".venv-sysqt"),
    ("Linux", "x86_64", ("--test", "--system-qt"), {}, ".venv-sysqt"),
])
def test_the_venv_follows_the_qt_path(tmp_path, system, machine, args, env, venv):
    fake = _fake_bin(tmp_path / "bin", machine=machine, system=system)
    result = _run(ROOT / "scripts" / "setup-env", *args, "--venv", fake=fake, **env)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == (f"{ROOT / venv}\n", "")


@pytest.mark.skipif(not Path("/usr/bin/python3").exists(),
                    reason="the system-Qt path needs Debian's /usr/bin/python3, absent here")
def test_on_a_pi_without_root_it_prints_the_apt_line_and_makes_no_venv(tmp_path):
    root = _copy_of_the_scripts(tmp_path)
    fake = _fake_bin(tmp_path / "bin", machine="aarch64", uid=1000,
                     installed_but="python3-pyqt5*")
    result = _run(root / "scripts" / "setup-env", fake=fake)
    assert result.returncode == 3, result.stderr
    assert result.stderr == (
        "setup: Presenter takes Qt from the system's packages here (no PyQt5 wheels for Linux "
        f"on aarch64); install them first with: sudo apt install {QT_DEBS}\n")
    assert sorted(p.name for p in root.iterdir()) == ["presenter", "pyproject.toml", "scripts"]


@pytest.mark.skipif(not Path("/usr/bin/python3").exists(),
                    reason="the system-Qt path needs Debian's /usr/bin/python3, absent here")
def test_launch_and_test_pass_system_qt_on_to_setup(tmp_path):
    """``scripts/launch --system-qt`` and ``scripts/test --system-qt`` ask for the system's Qt."""
    root = _copy_of_the_scripts(tmp_path)
    fake = _fake_bin(tmp_path / "bin", uid=1000, installed_but="python3-pyqt5.qsci")
    for script in ("launch", "test"):
        result = _run(root / "scripts" / script, "--system-qt", fake=fake)
        assert result.returncode == 3, result.stderr
        assert result.stderr.endswith("sudo apt install python3-pyqt5.qsci\n"), result.stderr
        assert "(--system-qt)" in result.stderr


# ---- On the system-Qt path itself (scripts/test runs these there too)


def _on_system_qt() -> bool:
    return Path(sys.prefix).name == ".venv-sysqt"


@pytest.mark.sysqt
@pytest.mark.skipif(not _on_system_qt(), reason="looks at .venv-sysqt: run by scripts/test "
                                                "with the system's Qt, not in this venv")
def test_the_system_qt_venv_uses_debians_qt_and_no_wheels():
    for project in ("PyQt5", "QScintilla"):
        location = importlib.metadata.distribution(project).locate_file("")
        assert str(location) == DEBIAN_DIST_PACKAGES, project
    assert "PyQt5-Qt5" not in {d.metadata["Name"] for d in importlib.metadata.distributions()}
    listed = " ".join(dict.fromkeys(module.debian for module in QT_MODULES))
    status = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\n",
                             *listed.split()], capture_output=True, text=True, timeout=60)
    assert sorted(status.stdout.splitlines()) == sorted(f"{p} installed" for p in listed.split())


@pytest.mark.sysqt
def test_launch_starts_the_venv_of_its_qt_path(tmp_path):
    """On the wheels path scripts/launch starts .venv; asked for the system's Qt (by
    PRESENTER_SYSTEM_QT=1 or --system-qt) it starts .venv-sysqt. The window reports the
    Python it runs on."""
    env = {k: v for k, v in os.environ.items() if k != "PRESENTER_SYSTEM_QT"}
    env.update(PRESENTER_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen")
    if _on_system_qt():
        ways = [({"PRESENTER_SYSTEM_QT": "1"}, []), ({}, ["--system-qt"])]
    else:
        ways = [({}, [])]
    for extra_env, args in ways:
        proc = subprocess.run([str(ROOT / "scripts" / "launch"), *args, "new.py"], cwd=tmp_path,
                              env={**env, **extra_env}, capture_output=True, text=True,
                              timeout=600, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
        assert f"presenter-python {sys.prefix}/bin/python\n" in proc.stderr, (args, proc.stderr)
        assert "presenter-tab new.py\n" in proc.stderr
