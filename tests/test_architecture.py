"""The import rules from the architecture guide, checked mechanically.

The engines and the command line must work without Qt (over SSH, in CI, in the CLI's
fast start); widgets must not reach into the engines (a widget holding a port freezes).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.fakes.child_window import run_in_window

PACKAGE = Path(__file__).resolve().parents[1] / "presenter"
QT_FREE = ["core", "local", "device"]
QT_FREE_MODULES = ["settings.py", "paths.py", "cli.py", "__init__.py", "__main__.py"]
QT_NAMES = ("PyQt5", "qtconsole", "PyQt5.Qsci")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_engines_and_cli_never_import_qt_at_all():
    files = [p for folder in QT_FREE for p in _modules(folder)] + [PACKAGE / m for m in QT_FREE_MODULES]
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in _imports(path) if n.startswith(QT_NAMES))
        for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(files) > 10  # the walk really found the engine modules


def test_widgets_do_not_import_the_engines():
    offenders = {}
    for path in _modules("qt"):
        bad = sorted(n for n in _imports(path)
                     if n.startswith(("presenter.device", "presenter.local", "presenter.modes",
                                      "presenter.workbench", "presenter.presenting")))
        if bad:
            offenders[path.name] = bad
    assert offenders == {}


def test_presenting_joins_widgets_and_models_but_never_touches_the_engines():
    """Presentation mode, the overlay, spotlight and blank work on widgets and the window;
    a board or a process is a mode's business (the architecture guide's import table)."""
    files = _modules("presenting")
    offenders = {path.name: sorted(n for n in _imports(path)
                                   if n.startswith(("presenter.device", "presenter.local")))
                 for path in files}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(files) >= 8  # the walk really found the package


def test_cli_and_device_engine_import_without_pulling_in_qt():
    code = ("import sys, presenter.cli, presenter.device, presenter.core.documents, "
            "presenter.local.process, presenter.settings; "
            "print(sorted(m for m in sys.modules if m.startswith(('PyQt5', 'qtconsole'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_version_flag_and_module_entry_point():
    from presenter import __version__

    for argv in (["-m", "presenter", "--version"],):
        result = subprocess.run([sys.executable, *argv], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"presenter {__version__}"


def test_the_window_starts_without_pyqtgraph_and_loads_it_for_the_plotter(tmp_path):
    """The plotting library costs ~0.1 s: start-up must not pay it, the first plot does."""
    result = run_in_window("""
        print("at start:", sorted(m for m in ("pyqtgraph", "numpy") if m in sys.modules))
        bench.actions["view.plotter"].trigger()  # not a GUI test: only what gets imported
        print("plotter shown:", bench.plotter.is_visible(), "pyqtgraph" in sys.modules)
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "at start: []" in result.stdout
    assert "plotter shown: True True" in result.stdout


def test_the_window_starts_without_loading_the_debugger(tmp_path):
    """The debugger (its channel, bdb, the variables pane) loads on the first Debug, so a
    talk that never debugs starts as fast as before."""
    result = run_in_window("""
        names = ("presenter.modes.python_debugger", "presenter.local.debugger",
                 "presenter.qt.variables_pane", "bdb")
        print("at start:", sorted(m for m in names if m in sys.modules))
        print("debug key:", [k.toString() for k in bench.actions["python.debug"].shortcuts()])
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "at start: []" in result.stdout
    assert "debug key: ['F6']" in result.stdout  # the action exists all the same
