"""Presenter's ESP32 / generic MicroPython mode: a plugin, and the worked example of one.

``mode.py`` is the mode (registered in this package's pyproject.toml under the
``presenter.modes`` entry-point group); ``boards.py`` says which boards it opens and how.
"""

__version__ = "0.1.0"
