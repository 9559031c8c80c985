"""Nothing pops up on stage: no tooltips and no completion lists while presenting.

A tooltip left by a resting mouse pointer or a completion list opening under the code
covers what the audience is reading. Tooltips are stopped for the whole application by an
event filter; editors stop offering completions and call tips (each editor's own setting
is kept on it and given back afterwards). Banners and status messages are held by the
workbench and the banner area themselves (see ``BannerArea.hold``).
"""

from __future__ import annotations

from collections.abc import Iterable

from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import QEvent, QObject
from PyQt5.QtWidgets import QApplication, QToolTip

_POPUP_EVENTS = (QEvent.ToolTip, QEvent.WhatsThis)
# Kept on each editor while quiet: its completion source and call-tip style.
_SAVED = "presenter_quiet_saved"


class Quiet(QObject):
    """On while presenting: ``start(editors)``, ``quiet_editor(new_one)``, ``stop(editors)``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.active = False

    def start(self, editors: Iterable[QsciScintilla]) -> None:
        if self.active:
            return
        self.active = True
        QApplication.instance().installEventFilter(self)
        QToolTip.hideText()
        for editor in editors:
            self.quiet_editor(editor)

    def stop(self, editors: Iterable[QsciScintilla]) -> None:
        if not self.active:
            return
        self.active = False
        QApplication.instance().removeEventFilter(self)
        for editor in editors:
            saved = editor.property(_SAVED)
            if saved:
                source, tips = saved
                editor.setAutoCompletionSource(QsciScintilla.AutoCompletionSource(source))
                editor.setCallTipsStyle(QsciScintilla.CallTipsStyle(tips))
                editor.setProperty(_SAVED, None)

    def quiet_editor(self, editor: QsciScintilla) -> None:
        """No completion list or call tip from this editor until ``stop``."""
        if not self.active or editor.property(_SAVED):
            return
        editor.setProperty(_SAVED, [int(editor.autoCompletionSource()), int(editor.callTipsStyle())])
        editor.cancelList()
        editor.SendScintilla(QsciScintilla.SCI_CALLTIPCANCEL)
        editor.setAutoCompletionSource(QsciScintilla.AcsNone)
        editor.setCallTipsStyle(QsciScintilla.CallTipsNone)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        return event.type() in _POPUP_EVENTS
