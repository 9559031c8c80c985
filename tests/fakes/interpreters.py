"""A real Python interpreter without ipykernel, for the REPL's "how to install it" path.

A venv made without pip and without the system's site-packages: it runs, but cannot import
ipykernel (nor anything else Presenter's own venv has). Made once per test session.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def python_without_ipykernel(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("no-ipykernel") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True,
                   capture_output=True, timeout=120)
    bin_dir = "Scripts" if sys.platform == "win32" else "bin"
    python = folder / bin_dir / ("python.exe" if sys.platform == "win32" else "python")
    assert Path(python).exists()
    probe = subprocess.run([str(python), "-c", "import ipykernel"], capture_output=True, timeout=60)
    assert probe.returncode != 0, "the bare venv can import ipykernel: the fixture proves nothing"
    return str(python)
