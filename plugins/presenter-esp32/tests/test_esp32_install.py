"""``pip install ./plugins/presenter-esp32`` adds the mode; ``pip uninstall`` takes it away.

The test venv has the plugin installed editable, so the round trip runs in a scratch
environment of its own: a venv of the same Python that sees Presenter's checkout, its
distribution metadata (so the built-ins come through their entry points) and PyQt5, and
nothing else. The plugin goes in as the wheel pip builds from the folder, as a user's
``pip install`` does; a fresh interpreter then lists the modes, as the window does at start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import presenter

PLUGIN = Path(__file__).resolve().parents[1]
CHECKOUT = Path(presenter.__file__).resolve().parents[1]
LIST_MODES = ("from presenter.modes.registry import discover_modes\n"
              "modes, errors = discover_modes()\n"
              "print([(m.id, m.source) for m in modes], [e.message for e in errors])\n")

pytest.importorskip("hatchling", reason="building the plugin's wheel offline needs hatchling in "
                    "the test venv (scripts/setup-env --test installs it)")


def pip(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def scratch(tmp_path) -> Path:
    """A venv with Presenter (checkout + metadata) and PyQt5 only; returns its python."""
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(tmp_path / "v")],
                   check=True, timeout=120)
    python = tmp_path / "v" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig."
                                "get_paths()['purelib'])"], capture_output=True, text=True,
                               check=True, timeout=60).stdout.strip())
    (site / "presenter-checkout.pth").write_text(f"{CHECKOUT}\n", encoding="utf-8")
    own = Path(metadata.distribution("presenter").locate_file(""))  # the test venv's site
    for info in own.glob("presenter-*.dist-info"):  # entry points of the built-ins
        (site / info.name).symlink_to(info)
    import PyQt5

    (site / "PyQt5").symlink_to(Path(PyQt5.__file__).parent)
    return python


def modes_in(python: Path) -> str:
    done = subprocess.run([str(python), "-c", LIST_MODES], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_pip_install_adds_the_mode_and_pip_uninstall_removes_it(scratch, tmp_path):
    version = metadata.version("presenter")
    builtins = (f"('python', 'presenter {version}'), ('microbit', 'presenter {version}'), "
                f"('pico', 'presenter {version}')")
    assert modes_in(scratch) == f"[{builtins}] []"  # nothing but Presenter yet

    wheels = tmp_path / "wheels"
    pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(wheels), str(PLUGIN))
    (wheel,) = wheels.glob("presenter_esp32-*.whl")
    pip("--python", str(scratch), "install", "--no-deps", "--no-index", str(wheel))
    plugin_version = metadata.version("presenter-esp32")
    assert modes_in(scratch) == (f"[{builtins}, ('esp32', 'presenter-esp32 {plugin_version}')]"
                                 " []")

    assert "Successfully uninstalled presenter-esp32" in pip(
        "--python", str(scratch), "uninstall", "-y", "presenter-esp32")
    assert modes_in(scratch) == f"[{builtins}] []"  # gone, with no error left behind
