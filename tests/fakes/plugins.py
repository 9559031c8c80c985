"""Install a throwaway plugin as a real distribution: a dist-info folder with entry points.

``importlib.metadata`` finds it on ``sys.path`` exactly as it finds a pip-installed plugin,
so discovery is the real thing, not a patched list of modes.
"""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path


def install_distribution(folder: Path, monkeypatch, name: str, version: str,
                         modules: dict[str, str], modes: dict[str, str]) -> Path:
    """Write ``modules`` (module name -> source) and a ``name-version.dist-info`` declaring
    ``modes`` (entry name -> "module:Class") in ``presenter.modes``; put ``folder`` first on
    sys.path for this test."""
    folder.mkdir(parents=True, exist_ok=True)
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    dist = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                                   encoding="utf-8")
    lines = "".join(f"{entry} = {target}\n" for entry, target in modes.items())
    (dist / "entry_points.txt").write_text(f"[presenter.modes]\n{lines}", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    importlib.invalidate_caches()
    return folder


BROKEN_MODULES = {
    "crashing_plugin": """
        raise RuntimeError("this plugin is broken on purpose")
    """,
    "broken_modes": """
        from presenter.modes.api import ActionSpec, Mode

        class InitCrash(Mode):
            id = "init_crash"
            name = "Init Crash"

            def __init__(self):
                raise ValueError("no constructor today")

        class ActionsCrash(Mode):
            id = "actions_crash"
            name = "Actions Crash"

            def actions(self):
                raise KeyError("actions")

        class TakesF5(Mode):
            id = "takes_f5"
            name = "Takes F5"

            def actions(self):
                return [ActionSpec("takes_f5.go", "Go", ("F5",))]

        class PythonAgain(Mode):
            id = "python"
            name = "Another Python"

        class Crashy(Mode):
            '''Loads fine, raises in activate after adding a widget it must take back.'''
            id = "crashy"
            name = "Crashy"
            description = "Raises when chosen"
            deactivated = 0

            def activate(self, context):
                super().activate(context)
                raise RuntimeError("activation failed on purpose")

            def deactivate(self):
                type(self).deactivated += 1
                super().deactivate()
    """,
}

BROKEN_ENTRY_POINTS = {
    "crash_on_import": "crashing_plugin:Mode",
    "crash_in_init": "broken_modes:InitCrash",
    "crash_in_actions": "broken_modes:ActionsCrash",
    "takes_f5": "broken_modes:TakesF5",
    "python_again": "broken_modes:PythonAgain",
    "crashy": "broken_modes:Crashy",
}


def install_broken_plugins(folder: Path, monkeypatch) -> Path:
    """The distribution ``broken-modes 2.0``: five modes that fail to load, one (``crashy``)
    that loads and raises when activated."""
    return install_distribution(folder, monkeypatch, "broken-modes", "2.0", BROKEN_MODULES,
                                BROKEN_ENTRY_POINTS)
