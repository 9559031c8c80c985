"""All of Presenter's settings in one place: defaults, schema version, atomic save.

Settings are plain JSON so a teacher can read and copy them between machines. Each mode
owns one section (``modes.<mode-id>``) so plugins never collide with the core. A file
that cannot be read or parsed gives the defaults and a warning - never a crash - and
the broken file is kept aside so nothing the user configured is silently destroyed.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from presenter import paths

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

DEFAULTS: dict[str, Any] = {
    "schema": SCHEMA_VERSION,
    "zoom": 0,  # steps from the base font size; one level for every pane
    "theme": "day",
    "mode": "python",
    "session": {
        "files": [],  # [{"path": str, "line": int, "index": int}]
        "current": None,
        "geometry": None,  # {"x","y","w","h","maximized","screen"}
    },
    "editor": {"font_family": "DejaVu Sans Mono", "base_font_size": 14, "tab_width": 4},
    "output": {"max_lines": 20000, "max_line_chars": 10000},
    "plotter": {"visible": False, "share": 0.4},  # the live plot; share = of the width
    # Presentation mode: the theme to present in ("" = keep the current one) and whether
    # the keystroke overlay is on.
    "presenting": {"theme": "", "keystrokes": False},
    "autosave_seconds": 5,
    "demo": {"speed": 30},  # characters a second a demo step is typed at (0: at once)
    "modes": {
        "python": {"interpreter": ""},  # "" = the Python running Presenter
        "microbit": {"port": ""},
        "pico": {"port": ""},
    },
}


def _merge(defaults: dict[str, Any], loaded: dict[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with what was loaded; wrong types fall back to the default."""
    result = copy.deepcopy(defaults)
    for key, value in loaded.items():
        if key in defaults and isinstance(defaults[key], dict):
            if isinstance(value, dict):
                result[key] = _merge(defaults[key], value)
        elif key in defaults and defaults[key] is not None:
            # null, true-for-an-int and 15.5-for-an-int keep the default: the GUI passes
            # these straight to Qt calls (QFont.setPointSize) that reject them.
            default = defaults[key]
            if isinstance(value, bool) or isinstance(default, bool):
                ok = isinstance(value, bool) and isinstance(default, bool)
            elif isinstance(default, float):
                ok = isinstance(value, (int, float))
            else:
                ok = isinstance(value, type(default))
            if ok:
                result[key] = value
        else:
            result[key] = value  # unknown keys (plugins, newer versions) survive a round trip
    return result


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older settings file up to SCHEMA_VERSION (no older schema exists yet)."""
    data["schema"] = SCHEMA_VERSION
    return data


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over the target.

    A crash or power cut at any moment leaves either the old file or the new one,
    never a truncated mixture.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if sys.platform != "win32":
        try:
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:
            pass


class Settings:
    """The settings store. ``load_warning`` says why defaults were used, if they were."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.settings_file()
        self.data: dict[str, Any] = copy.deepcopy(DEFAULTS)
        self.load_warning: str | None = None

    # ---- Loading and saving
    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        settings = cls(path)
        try:
            raw = settings.path.read_bytes()
        except FileNotFoundError:
            return settings
        except OSError as exc:
            settings.load_warning = f"Could not read settings {settings.path}: {exc.strerror}; using defaults."
            log.warning(settings.load_warning)
            return settings
        try:
            loaded = json.loads(raw.decode("utf-8"))
            if not isinstance(loaded, dict):
                raise ValueError("top level is not an object")
        except (ValueError, UnicodeDecodeError) as exc:
            settings.load_warning = (
                f"Settings file {settings.path} is damaged ({exc}); using defaults. "
                f"The damaged file was kept as {settings.path.name}.damaged."
            )
            log.warning(settings.load_warning)
            try:
                os.replace(settings.path, settings.path.with_name(settings.path.name + ".damaged"))
            except OSError:
                pass
            return settings
        settings.data = _merge(DEFAULTS, _migrate(loaded))
        return settings

    def save(self) -> None:
        text = json.dumps(self.data, indent=2, sort_keys=True, ensure_ascii=False)
        write_atomically(self.path, text.encode("utf-8"))

    # ---- Access by dotted key ("modes.python.interpreter")
    def get(self, key: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def set(self, key: str, value: Any) -> None:
        parts = key.split(".")
        node = self.data
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def section(self, mode_id: str) -> dict[str, Any]:
        """The mutable settings section a mode owns; created on first use (plugins too)."""
        return self.data.setdefault("modes", {}).setdefault(mode_id, {})
