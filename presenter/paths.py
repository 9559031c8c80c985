"""Where Presenter keeps things: config, logs, recovery files, themes and resources.

Every folder can be redirected with one environment variable, ``PRESENTER_HOME``, so
that tests (and a speaker who wants a portable setup on a USB stick) get a private,
disposable tree instead of the user's real configuration.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "presenter"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _home() -> Path | None:
    value = os.environ.get("PRESENTER_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    """The platform's config folder for Presenter (settings.json lives here)."""
    home = _home()
    if home:
        return home / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Per-user state that is not configuration: the recovery store lives below it."""
    home = _home()
    if home:
        return home / "state"
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The platform's log folder: the rotating log file is written here."""
    home = _home()
    if home:
        return home / "log"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def recovery_dir() -> Path:
    """Autosaved copies of unsaved buffers: never the user's own files."""
    return state_dir() / "recovery"


def settings_file() -> Path:
    return config_dir() / "settings.json"


def _data_dir(name: str) -> Path:
    """Find a shipped data folder in a wheel (presenter/_data/NAME) or a checkout (./NAME)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"Presenter's {name}/ folder is missing: looked in {_PACKAGE_DIR / '_data' / name} "
        f"and {_PACKAGE_DIR.parent / name}. Reinstall Presenter."
    )


def themes_dir() -> Path:
    """The built-in themes (day, night, high-contrast, colour-blind)."""
    return _data_dir("themes")


def user_themes_dir() -> Path:
    """Themes the user made: ``themes/`` beside settings.json (read, never created)."""
    return config_dir() / "themes"


def resources_dir() -> Path:
    return _data_dir("resources")
