"""The Qt package table and the start-up check, run as a user meets them: a real child process.

A module is hidden from the child by a ``sitecustomize`` on its PYTHONPATH (Python imports it
at start), so the window's own import of it fails exactly as on a Pi without the package;
"too old" is made the same way, by giving the real module an older version string.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from presenter import qt_packages
from presenter.qt_packages import QT_MODULES

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.sysqt  # the start-up check differs by path: run it on both

HIDE = """\
import sys

class _Hide:
    def find_spec(self, name, path=None, target=None):
        if name in {names!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Hide())
"""

OLDER = """\
from PyQt5 import Qsci

Qsci.QSCINTILLA_VERSION_STR = "2.11.6"  # Debian 11 / Raspberry Pi OS bullseye
"""


def _on_debian_qt() -> bool:
    return str(importlib.metadata.distribution("PyQt5").locate_file("")).startswith(
        qt_packages.DEBIAN_DIST_PACKAGES)


def _window(tmp_path: Path, sitecustomize: str) -> subprocess.CompletedProcess:
    """``python -m presenter`` with ``sitecustomize`` run first, probe on (quits once up)."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "sitecustomize.py").write_text(sitecustomize)
    path = os.pathsep.join(filter(None, [str(shadow), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONPATH=path, PRESENTER_STARTUP_PROBE="1",
               QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "presenter"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def _install_line(debian: str, pip: str) -> str:
    """What the hint must say on the path this test runs on."""
    if _on_debian_qt():
        return f"apt install {debian}"
    return f"{sys.executable} -m pip install {pip}"


def test_a_missing_qt_module_is_one_line_naming_the_package_that_holds_it(tmp_path):
    """Issue 13: without python3-pyqt5.qtsvg the window died with a traceback."""
    proc = _window(tmp_path, HIDE.format(names={"PyQt5.QtSvg"}))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "presenter-ready" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    install = _install_line("python3-pyqt5.qtsvg", "--force-reinstall PyQt5")
    assert proc.stderr.startswith("presenter: cannot open the window: PyQt5.QtSvg is missing. "
                                  "Install it with: ")
    assert proc.stderr.endswith(f"{install}\n"), proc.stderr


def test_without_pyqt5_at_all_it_names_every_package_once(tmp_path):
    proc = _window(tmp_path, HIDE.format(names={"PyQt5"}))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    install = _install_line("python3-pyqt5 python3-pyqt5.sip python3-pyqt5.qtsvg "
                            "python3-pyqt5.qsci",
                            # pip's metadata still lists them: a damaged install to redo
                            "--force-reinstall PyQt5 QScintilla")
    assert proc.stderr.startswith("presenter: cannot open the window: PyQt5 is missing. "
                                  "Install them with: ")
    assert proc.stderr.endswith(f"{install}\n"), proc.stderr


def test_a_qscintilla_too_old_is_one_line_saying_which_release_has_it(tmp_path):
    proc = _window(tmp_path, OLDER)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("presenter: cannot open the window: QScintilla 2.11.6 is too "
                                  "old (Presenter needs 2.13 or newer). ")
    if _on_debian_qt():
        assert "Raspberry Pi OS bookworm (Debian 12) or newer" in proc.stderr
        assert proc.stderr.endswith("apt install python3-pyqt5.qsci\n"), proc.stderr
    else:
        assert proc.stderr.endswith(f"{sys.executable} -m pip install --upgrade QScintilla\n")


def test_with_everything_there_the_window_opens(tmp_path):
    """The check must not stop a complete install (here: whichever path this run is on)."""
    proc = _window(tmp_path, "")
    assert proc.returncode == 0, proc.stderr
    assert "presenter-ready" in proc.stderr


# ---- The table is complete and agrees with pyproject.toml


def _qt_imports(tree: ast.AST) -> set[str]:
    """``PyQt5.X`` for every ``import PyQt5.X`` / ``from PyQt5.X import`` / ``from PyQt5 import X``."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("PyQt5."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "PyQt5":
                found.update(f"PyQt5.{a.name}" for a in node.names)
            elif node.module.startswith("PyQt5."):
                found.add(node.module)
            elif node.module == "qtpy":  # qtconsole's Qt layer: qtpy.QtSvg is PyQt5.QtSvg
                found.update(f"PyQt5.{a.name}" for a in node.names if a.name.startswith("Qt"))
    return found


def _package_files(name: str) -> list[Path]:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"{name} is not installed"
    return sorted(p for folder in spec.submodule_search_locations for p in Path(folder).rglob("*.py"))


def test_every_qt_module_presenter_and_its_libraries_import_has_a_package():
    ours = [p for folder in ("presenter", "plugins", "tests", "bench")
            for p in (ROOT / folder).rglob("*.py")]
    # The Qt modules the libraries load for the features Presenter uses: the plotter
    # (pyqtgraph's Qt layer) and the IPython console (qtconsole).
    libraries = [*_package_files("qtconsole"), *_package_files("pyqtgraph.Qt")]
    needed: dict[str, set[str]] = {}
    for path in ours + libraries:
        for module in _qt_imports(ast.parse(path.read_text(encoding="utf-8"))):
            needed.setdefault(module, set()).add(path.name)
    listed = {module.name for module in QT_MODULES}
    assert {"PyQt5.QtSvg", "PyQt5.Qsci", "PyQt5.QtPrintSupport"} <= set(needed)  # the walk works
    assert {m: sorted(f) for m, f in needed.items() if m not in listed} == {}


def test_the_minimum_versions_are_pyprojects():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # no tomllib on Python 3.10
    floors = {name: tuple(int(n) for n in version.split("."))
              for name, version in re.findall(r'"(PyQt5|QScintilla)>=([\d.]+)"', text)}
    assert floors == qt_packages.MINIMUM_VERSIONS


def test_setup_env_reads_the_debian_packages_from_the_table():
    """setup-env runs the module as a file with the system's Python before any venv exists,
    and before Debian's PyQt5 is installed: so no PyQt5 here (``sys.modules`` None blocks it)."""
    module = ROOT / "presenter" / "qt_packages.py"
    code = ("import runpy, sys; sys.modules['PyQt5'] = None; "
            f"sys.argv = [{str(module)!r}, 'debian']; runpy.run_path(sys.argv[0], run_name='__main__')")
    result = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["python3-pyqt5", "python3-pyqt5.sip", "python3-pyqt5.qtsvg",
                                     "python3-pyqt5.qsci"]
    assert set(result.stdout.split()) == {module.debian for module in QT_MODULES}
