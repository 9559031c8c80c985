"""Find modes through the ``presenter.modes`` entry-point group, built-ins included.

Built-ins go through the same path as plugins (Presenter's own ``pyproject.toml`` declares
``python``, ``microbit`` and ``pico`` in that group), so the plugin path runs on every start.
Each mode loads inside its own try/except and is checked before the window sees it: a broken
plugin is reported (banner and log, naming the mode and the distribution it came from) and
skipped, because one bad plugin must never stop a talk.

``BUILTIN`` is only for a checkout that was never installed (``PYTHONPATH=. python -m
presenter``): there is no ``presenter`` distribution, so no entry points at all. Once
Presenter is installed its entry points are the only source, so a built-in missing from
``pyproject.toml`` shows up as missing instead of being quietly papered over.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module, metadata

from presenter.modes.api import ActionSpec, Mode

log = logging.getLogger(__name__)

GROUP = "presenter.modes"
OWN_DISTRIBUTION = "presenter"
CHECKOUT = "this checkout"  # Mode.source of a built-in found without entry points

BUILTIN = {
    "python": "presenter.modes.python:PythonMode",
    "microbit": "presenter.modes.microbit:MicrobitMode",
    "pico": "presenter.modes.pico:PicoMode",
}
ORDER = {"python": 0, "microbit": 1, "pico": 2}  # the picker's order; plugins follow by name


@dataclass
class ModeLoadError:
    name: str  # the entry point's name
    message: str  # one sentence for the banner: which mode, from where, what went wrong


class _Refused(Exception):
    """The mode loaded but declares something the window cannot take (said in one sentence)."""


@dataclass(frozen=True)
class _Target:
    name: str
    value: str  # "module:Class"
    source: str  # "presenter-esp32 0.1.0", or CHECKOUT


def discover_modes(path: list[str] | None = None) -> tuple[list[Mode], list[ModeLoadError]]:
    """Instantiate and check every installed mode; return them with the failures to report.

    ``path``: look for distributions there instead of ``sys.path`` (tests; tools).
    """
    errors: list[ModeLoadError] = []
    try:
        targets = _targets(_entry_points(path))
    except Exception as exc:  # broken metadata must not stop the app
        log.warning("could not read %s entry points: %s", GROUP, exc)
        targets = []
    if not any(_own(t) for t in targets):
        targets = [_Target(n, v, CHECKOUT) for n, v in BUILTIN.items()] + targets
    targets.sort(key=lambda t: not _own(t))  # built-ins first: a plugin cannot take their ids

    modes: list[Mode] = []
    core = _core_actions()
    for target in targets:
        try:
            mode = _load(target)
            _check(mode, target, modes, core)
        except Exception as exc:
            log.exception("mode %s (%s, from %s) failed to load", target.name, target.value,
                          target.source)
            errors.append(ModeLoadError(target.name, f"Mode '{target.name}' could not be "
                                        f"loaded and was skipped (from {target.source}): "
                                        f"{_describe(exc)}"))
            continue
        mode.source = target.source
        modes.append(mode)
    modes.sort(key=lambda m: (ORDER.get(m.id, len(ORDER)), m.name.lower()))
    return modes, errors


# ---- Internals


def _entry_points(path: list[str] | None) -> Iterable[metadata.EntryPoint]:
    if path is None:
        return metadata.entry_points(group=GROUP)
    seen: set[str] = set()  # the first distribution of a name on the path wins, as on sys.path
    points = []
    for dist in metadata.distributions(path=path):
        name = (dist.metadata["Name"] or "").lower()
        if name in seen:
            continue
        seen.add(name)
        points.extend(e for e in dist.entry_points if e.group == GROUP)
    return points


def _targets(points: Iterable[metadata.EntryPoint]) -> list[_Target]:
    targets: list[_Target] = []
    for entry in points:  # two entries with one name both load; the id check decides
        dist = entry.dist
        source = f"{dist.metadata['Name']} {dist.version}" if dist is not None else "an unknown distribution"
        targets.append(_Target(entry.name, entry.value, source))
    return targets


def _own(target: _Target) -> bool:
    return target.source == CHECKOUT or target.source.split()[0] == OWN_DISTRIBUTION


def _load(target: _Target) -> Mode:
    module_name, _, attr = target.value.partition(":")
    cls = getattr(import_module(module_name), attr) if attr else None
    if not (isinstance(cls, type) and issubclass(cls, Mode)):
        raise _Refused(f"{target.value} is not a presenter.modes.api.Mode subclass")
    return cls()


def _check(mode: Mode, target: _Target, loaded: list[Mode], core: dict[str, set[str]]) -> None:
    """What would break the window later is refused now, naming the mode."""
    if not isinstance(mode.id, str) or not mode.id:
        raise _Refused(f"{target.value} does not declare an id")
    if not isinstance(mode.name, str) or not mode.name:
        raise _Refused(f"{target.value} does not declare a name")
    other = next((m for m in loaded if m.id == mode.id), None)
    if other is not None:
        raise _Refused(f"the id '{mode.id}' is taken by the {other.name} mode "
                         f"(from {other.source})")
    specs = mode.actions()  # called now: one that raises here would break the window
    for spec in specs:
        if not isinstance(spec, ActionSpec):
            raise _Refused(f"actions() returned {spec!r}, not an ActionSpec")
        if spec.id in core["ids"]:
            raise _Refused(f"its action '{spec.id}' has the id of one of Presenter's own")
        for key in spec.shortcuts:
            if _normal(key) in core["keys"]:
                raise _Refused(f"its action '{spec.id}' takes {key}, which Presenter "
                                 "already uses")
    for pane in mode.panes:
        if pane.action not in {spec.id for spec in specs}:
            raise _Refused(f"its pane '{pane.id}' names the action '{pane.action}', "
                             "which actions() does not offer")


def _core_actions() -> dict[str, set[str]]:
    from presenter.qt.actions import CORE_ACTIONS

    return {"ids": {spec.id for spec in CORE_ACTIONS},
            "keys": {_normal(key) for spec in CORE_ACTIONS for key in spec.shortcuts}}


def _normal(key: str) -> str:
    from PyQt5.QtGui import QKeySequence

    return QKeySequence(key).toString(QKeySequence.PortableText)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, _Refused):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
