"""Presenter: a Python IDE for live coding in front of an audience.

Only the version lives here so that ``import presenter`` costs nothing: the command
line and the device engine import the package without pulling in Qt.
"""

__version__ = "0.1.0"


class PresenterWarning(UserWarning):
    """Base class for Presenter's own warnings (tests turn them into errors)."""
