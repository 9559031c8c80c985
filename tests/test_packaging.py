"""An installed wheel carries the themes and resources, and finds them without a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_themes_and_resources_and_finds_them(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("presenter-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for theme in ("day", "night", "high-contrast"):
        assert f"presenter/_data/themes/{theme}.qss" in names
        assert f"presenter/_data/themes/{theme}.json" in names
    assert "presenter/_data/resources/icons/run.svg" in names

    target = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                              "--target", str(target), str(wheel)],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    code = ("import presenter, presenter.paths as p, presenter.core.themes as t; "
            "print(presenter.__file__); print(p.themes_dir()); print(p.resources_dir()); "
            "print(t.load_theme('high-contrast').label)")
    env = dict(os.environ, PYTHONPATH=str(target))
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    package_file, themes, resources, label = result.stdout.splitlines()
    assert package_file.startswith(str(target))  # the wheel's copy, not the checkout
    assert themes == str(target / "presenter" / "_data" / "themes")
    assert resources == str(target / "presenter" / "_data" / "resources")
    assert label
