"""Blank: the presentation screen goes black and comes back exactly as it was.

Nothing is hidden, closed or paused: a black cover (``qt/blank_screen.py``) goes over the
window, so the editor, the output, a program still printing and the scroll positions are
all untouched underneath. The focus moves to the cover while it shows (keys typed in the
dark must not edit hidden code) and goes back to where it was.
"""

from __future__ import annotations

from PyQt5 import sip
from PyQt5.QtWidgets import QApplication, QWidget

from presenter.presenting.state import PresentationState
from presenter.qt.blank_screen import BlankScreen


class Blanker:
    """Owns the cover; the state model says whether the screen is blank."""

    def __init__(self, window: QWidget, state: PresentationState) -> None:
        self._window = window
        self._state = state
        self._cover: BlankScreen | None = None  # made the first time it is needed
        self._focus: QWidget | None = None

    # ---- Public API
    def is_blank(self) -> bool:
        return self._state.is_blank()

    def toggle(self) -> None:
        self.set_blank(not self.is_blank())

    def set_blank(self, blank: bool) -> None:
        if blank == self.is_blank():
            return
        if blank:
            self._focus = QApplication.focusWidget()
            self._cover_widget().cover()
        else:
            self._cover_widget().hide()
            focus, self._focus = self._focus, None
            if focus is not None and not sip.isdeleted(focus) and focus.isVisible():
                focus.setFocus()
        self._state.set_blank(blank)

    def cover(self) -> BlankScreen | None:
        """The cover widget, once it exists (for tests and the presenter screen)."""
        return self._cover

    # ---- Internals
    def _cover_widget(self) -> BlankScreen:
        if self._cover is None:
            self._cover = BlankScreen(self._window)
            self._cover.wake_requested.connect(lambda: self.set_blank(False))
        return self._cover
