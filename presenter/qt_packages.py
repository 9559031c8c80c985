"""The Qt modules Presenter needs, the package that provides each, and the start-up check.

Why one table: on a Raspberry Pi there are no PyQt5 or QScintilla wheels, so
``scripts/setup-env`` installs Debian's packages, and the window's start-up check must name
the same package when a module is missing (issue 13: without ``python3-pyqt5.qtsvg`` the
window died with ``No module named 'PyQt5.QtSvg'``). Both read this table, so they cannot
disagree. It needs only the standard library and never imports Qt until asked to check:
setup-env runs it with the system's Python before any venv exists
(``python3 -I presenter/qt_packages.py debian``).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass

#: Where Debian (and so Raspberry Pi OS) installs its python3-* packages.
DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"


@dataclass(frozen=True)
class QtModule:
    """One importable Qt module and where it comes from on each install path."""

    name: str  #: the import name
    debian: str  #: the Debian / Raspberry Pi OS package that holds it
    pip: str  #: the PyPI project that holds it (the wheels path)
    needed_by: str  #: who imports it, so a row can be dropped when that goes
    at_start: bool  #: imported when the window opens, so checked before it opens


#: Every Qt module Presenter, its libraries and its tests import (tests/test_qt_packages.py
#: walks the source to keep this complete). ``python3-pyqt5`` holds most of them.
QT_MODULES: tuple[QtModule, ...] = (
    QtModule("PyQt5.QtCore", "python3-pyqt5", "PyQt5", "everything in presenter/qt", True),
    QtModule("PyQt5.QtGui", "python3-pyqt5", "PyQt5", "everything in presenter/qt", True),
    QtModule("PyQt5.QtWidgets", "python3-pyqt5", "PyQt5", "everything in presenter/qt", True),
    QtModule("PyQt5.sip", "python3-pyqt5.sip", "PyQt5", "app, qt/editor, qt/tabs", True),
    QtModule("PyQt5.QtSvg", "python3-pyqt5.qtsvg", "PyQt5",
             "qt/icons (toolbar icons); qtconsole and pyqtgraph's SVG export", True),
    QtModule("PyQt5.Qsci", "python3-pyqt5.qsci", "QScintilla", "qt/editor, qt/keymap", True),
    QtModule("PyQt5.QtPrintSupport", "python3-pyqt5", "PyQt5", "qtconsole", False),
    QtModule("PyQt5.QtTest", "python3-pyqt5", "PyQt5", "pytest-qt; pyqtgraph (optional)", False),
    QtModule("PyQt5.uic", "python3-pyqt5", "PyQt5", "pyqtgraph (.ui files; unused)", False),
)

#: The oldest bindings Presenter runs on: the same floor as pyproject.toml's dependencies
#: (a test compares them). Debian 11 / Raspberry Pi OS bullseye has QScintilla 2.11, too old.
MINIMUM_VERSIONS: dict[str, tuple[int, int]] = {"PyQt5": (5, 15), "QScintilla": (2, 13)}


def debian_packages(modules: Iterable[QtModule] = QT_MODULES) -> list[str]:
    """The Debian packages for ``modules``, each once, in table order."""
    return list(dict.fromkeys(module.debian for module in modules))


def pip_projects(modules: Iterable[QtModule] = QT_MODULES) -> list[str]:
    """The PyPI projects for ``modules``, each once, in table order."""
    return list(dict.fromkeys(module.pip for module in modules))


def qt_problem() -> str | None:
    """One line saying which Qt module is missing or too old and how to install it, else None.

    Why before the window: a missing module otherwise surfaces as a traceback from deep in
    the widget imports, which tells a teacher nothing about which package to install.
    Importing the modules here costs nothing extra: the window imports them next anyway.
    """
    by_name = {module.name: module for module in QT_MODULES}
    names: list[str] = []  # what is missing, as a person would look for it
    broken: list[str] = []  # there, but a library it links to is not
    rows: list[QtModule] = []  # whose packages to name
    for module in QT_MODULES:
        if not module.at_start:
            continue
        try:
            importlib.import_module(module.name)
        except ModuleNotFoundError as exc:
            # exc.name is what was really absent: "PyQt5" for the whole bindings, or
            # "PyQt5.sip" when QtCore is there but its sip module is not.
            culprit = exc.name or module.name
            names.append(culprit)
            rows.append(by_name.get(culprit, module))
        except ImportError as exc:
            broken.append(f"{module.name} cannot be loaded ({exc})")
            rows.append(module)
    if not rows:
        return _too_old_problem()
    names = list(dict.fromkeys(names))
    what = [f"{_join(names)} {'is' if len(names) == 1 else 'are'} missing"] if names else []
    return f"cannot open the window: {'; '.join(what + broken)}. {_install_hint(rows)}"


def _too_old_problem() -> str | None:
    from PyQt5 import Qsci, QtCore

    found = {"PyQt5": QtCore.PYQT_VERSION_STR, "QScintilla": Qsci.QSCINTILLA_VERSION_STR}
    for project, version in found.items():
        wanted = MINIMUM_VERSIONS[project]
        if _version_tuple(version) < wanted:
            rows = [m for m in QT_MODULES if m.at_start and m.pip == project]
            floor = ".".join(map(str, wanted))
            return (f"cannot open the window: {project} {version} is too old "
                    f"(Presenter needs {floor} or newer). {_install_hint(rows, upgrade=True)}")
    return None


def _install_hint(rows: list[QtModule], upgrade: bool = False) -> str:
    """The command that installs ``rows`` for the Python running now.

    Debian's packages when this Python takes its Qt from Debian (the system-Qt path: a venv
    with --system-site-packages), otherwise pip into this very interpreter.
    """
    if _uses_debian_qt():
        packages = debian_packages(rows)
        sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
        command = f"{sudo}apt install {' '.join(packages)}"
        if upgrade:  # apt installs the release's version: only a newer release is newer
            return ("This system's packages are too old: Presenter needs Raspberry Pi OS "
                    f"bookworm (Debian 12) or newer, then: {command}")
    else:
        packages = pip_projects(rows)
        # A module missing from an installed project means a damaged install: plain
        # "pip install" would only say it is already satisfied.
        flag = "--upgrade " if upgrade else "--force-reinstall " if _installed(packages) else ""
        command = f"{sys.executable} -m pip install {flag}{' '.join(packages)}"
    return f"Install {'it' if len(packages) == 1 else 'them'} with: {command}"


def _uses_debian_qt() -> bool:
    """Does this Python get (or would it get) PyQt5 from Debian's packages?"""
    pyqt = sys.modules.get("PyQt5")
    location = getattr(pyqt, "__file__", None)
    if location:
        return os.path.realpath(location).startswith(DEBIAN_DIST_PACKAGES + os.sep)
    return DEBIAN_DIST_PACKAGES in sys.path


def _installed(projects: list[str]) -> bool:
    import importlib.metadata  # only on this rare path

    try:
        return all(importlib.metadata.version(project) for project in projects)
    except importlib.metadata.PackageNotFoundError:
        return False


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


if __name__ == "__main__":
    # scripts/setup-env: ``debian`` prints the packages to install on the system-Qt path.
    if sys.argv[1:] == ["debian"]:
        print(" ".join(debian_packages()))
    else:
        print(f"usage: {sys.argv[0]} debian", file=sys.stderr)
        sys.exit(2)
