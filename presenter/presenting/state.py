"""What presentation mode is doing, as a small model others can watch.

The window, the presenter screen and the demo player all need to know whether a talk is
on, which font preset is in use and whether the projector is blanked; they read it here and
connect to the signals instead of asking the objects that do the work.
"""

from __future__ import annotations

from PyQt5.QtCore import QObject, pyqtSignal


class PresentationState(QObject):
    """The talk's state. Changed only by presentation mode and the blanker; read by anyone."""

    # ---- Signals
    presenting_changed = pyqtSignal(bool)
    """Presentation mode started (True) or ended (False)."""
    preset_changed = pyqtSignal(str)
    """The font preset now in use, by name ("1024x768", "back row"); "" when not presenting."""
    blank_changed = pyqtSignal(bool)
    """The presentation screen went black (True) or came back (False)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._presenting = False
        self._preset = ""
        self._blank = False
        # Set by whoever drives the talk from a clicker (the demo player): the clicker's
        # bare keys (B and . blank the screen) then act even with the focus in the editor,
        # because the speaker is not typing. See presenting/stage_keys.py.
        self.clicker_driving = False

    # ---- Public API
    def is_presenting(self) -> bool:
        return self._presenting

    def preset(self) -> str:
        return self._preset

    def is_blank(self) -> bool:
        return self._blank

    def set_presenting(self, presenting: bool) -> None:
        if presenting != self._presenting:
            self._presenting = presenting
            self.presenting_changed.emit(presenting)

    def set_preset(self, name: str) -> None:
        if name != self._preset:
            self._preset = name
            self.preset_changed.emit(name)

    def set_blank(self, blank: bool) -> None:
        if blank != self._blank:
            self._blank = blank
            self.blank_changed.emit(blank)
