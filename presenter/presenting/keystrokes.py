"""The keystroke overlay: the commands a speaker uses, shown large ("Ctrl+S  Save").

It hooks the one place every command fires: the action table's QActions. A key that
reaches an action arrives as a Shortcut event naming the key sequence pressed (Ctrl+= or
Ctrl++ for Zoom In, whichever was used); a click or a menu choice has none, so it shows the
command alone. Plain typing never reaches an action, so it is never shown, and the
editor's own bindings (Ctrl+D duplicate, ...) are not commands of the table either.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt5 import sip
from PyQt5.QtCore import QEvent, QObject, QTimer, pyqtSignal
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QAction, QWidget

from presenter.qt.keystroke_view import KeystrokeView

#: The caption is this much bigger than the code.
SCALE = 1.6


def caption(keys: str, label: str) -> str:
    """``"Ctrl+S  Save"`` for a key, ``"Save"`` for a click (labels lose "&" and "…")."""
    command = label.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()
    return f"{keys}  {command}" if keys else command


class KeystrokeOverlay(QObject):
    """Shows each command as it fires, while switched on."""

    # ---- Signals
    shown = pyqtSignal(str)
    """The caption just shown (the presenter screen may repeat it)."""

    def __init__(self, window: QWidget, code_points: Callable[[], int],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = KeystrokeView(window)
        self._code_points = code_points
        self._enabled = False
        self._keys: dict[QAction, str] = {}  # the sequence that is about to trigger an action
        self.suppressed: Callable[[], bool] = lambda: False  # e.g. while the screen is blank

    # ---- Public API
    def watch(self, action: QAction) -> None:
        """Watch an action of the table (``build_action`` calls this before it connects the
        action's handler, so the caption is taken before the handler changes the label)."""
        action.installEventFilter(self)
        action.triggered.connect(lambda _checked=False: self._on_triggered(action))

    def is_enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        if not enabled:
            self.view.dismiss()

    # ---- Internals
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Shortcut and isinstance(watched, QAction):
            self._keys[watched] = event.key().toString(QKeySequence.NativeText)
        return False

    def _on_triggered(self, action: QAction) -> None:
        # The caption is taken now, before the handler runs (Run turns into Stop as it
        # starts), and shown once the handler is done: switching the overlay on shows its
        # own caption, switching it off or blanking the screen shows none.
        text = caption(self._keys.pop(action, ""), action.text())
        QTimer.singleShot(0, lambda: self._show(text))

    def _show(self, text: str) -> None:
        if not self._enabled or self.suppressed() or sip.isdeleted(self.view):
            return
        self.view.flash(text, max(12, round(self._code_points() * SCALE)))
        self.shown.emit(text)
