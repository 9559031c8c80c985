"""Find modes through the ``presenter.modes`` entry-point group, built-ins included.

Built-ins go through the same path as plugins so the plugin path is exercised on every
start. Each mode loads inside its own try/except: a broken plugin is reported (status
bar and log) and skipped, because one bad plugin must never stop a talk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import metadata

from presenter.modes.api import Mode

log = logging.getLogger(__name__)

GROUP = "presenter.modes"

# Used when Presenter runs from a checkout that was never installed (no entry points).
BUILTIN = {
    "python": "presenter.modes.python:PythonMode",
    "microbit": "presenter.modes.microbit:MicrobitMode",
    "pico": "presenter.modes.pico:PicoMode",
}


@dataclass
class ModeLoadError:
    name: str
    message: str


def _load_target(target: str) -> type[Mode]:
    module_name, _, attr = target.partition(":")
    module = __import__(module_name, fromlist=[attr])
    return getattr(module, attr)


def discover_modes() -> tuple[list[Mode], list[ModeLoadError]]:
    """Instantiate every installed mode; return them with the failures to report."""
    targets: dict[str, str] = {}
    try:
        for entry in metadata.entry_points(group=GROUP):
            targets.setdefault(entry.name, entry.value)
    except Exception as exc:  # broken metadata must not stop the app
        log.warning("could not read %s entry points: %s", GROUP, exc)
    for name, target in BUILTIN.items():
        targets.setdefault(name, target)

    modes: list[Mode] = []
    errors: list[ModeLoadError] = []
    for name, target in targets.items():
        try:
            cls = _load_target(target)
            if not (isinstance(cls, type) and issubclass(cls, Mode)):
                raise TypeError(f"{target} is not a presenter.modes.api.Mode subclass")
            mode = cls()
            if not mode.id:
                raise TypeError(f"{target} does not declare an id")
            modes.append(mode)
        except Exception as exc:
            log.exception("mode %s (%s) failed to load", name, target)
            errors.append(ModeLoadError(name, f"Mode '{name}' could not be loaded: {exc}"))
    order = {"python": 0, "microbit": 1, "pico": 2}
    modes.sort(key=lambda m: (order.get(m.id, 9), m.name))
    return modes, errors
