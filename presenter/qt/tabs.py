"""Editor tabs: one Editor per open buffer, with unsaved ones marked.

The tab widget only shows and reports; deciding whether a tab may close (and asking the
user) is the workbench's job, so closing always goes through one path.
"""

from __future__ import annotations

from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QTabWidget

from presenter.qt.editor import BufferInfo, Editor

DIRTY_MARK = " ●"


class EditorTabs(QTabWidget):
    """Tabs of editors; the title shows the file name and a dot when unsaved."""

    # ---- Signals
    close_requested = pyqtSignal(object)
    """An Editor whose tab's close button was pressed (the workbench decides)."""
    dirty_changed = pyqtSignal(object, bool)
    """An Editor whose unsaved state changed."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("EditorTabs")
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.setUsesScrollButtons(True)
        self.tabCloseRequested.connect(lambda index: self.close_requested.emit(self.widget(index)))

    # ---- Public API
    def editors(self) -> list[Editor]:
        return [self.widget(i) for i in range(self.count())]

    def current(self) -> Editor | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, Editor) else None

    def add_editor(self, editor: Editor, select: bool = True) -> Editor:
        index = self.addTab(editor, editor.info.title)
        editor.modificationChanged.connect(lambda dirty, e=editor: self._on_modified(e, dirty))
        self.refresh_title(editor)
        if select:
            self.setCurrentIndex(index)
            editor.setFocus()
        return editor

    def new_editor(self, info: BufferInfo | None = None, text: str = "") -> Editor:
        editor = Editor(self, info)
        if text:
            editor.setText(text)
        editor.setModified(False)
        editor.SendScintilla(editor.SCI_EMPTYUNDOBUFFER)
        return editor

    def remove_editor(self, editor: Editor) -> None:
        index = self.indexOf(editor)
        if index >= 0:
            self.removeTab(index)
        editor.deleteLater()

    def find_path(self, path: str) -> Editor | None:
        for editor in self.editors():
            if editor.info.path and _same(editor.info.path, path):
                return editor
        return None

    def refresh_title(self, editor: Editor) -> None:
        index = self.indexOf(editor)
        if index < 0:
            return
        title = editor.info.title + (DIRTY_MARK if editor.isModified() else "")
        self.setTabText(index, title)
        self.setTabToolTip(index, editor.info.path or "Not saved yet")

    # ---- Internals
    def _on_modified(self, editor: Editor, dirty: bool) -> None:
        self.refresh_title(editor)
        self.dirty_changed.emit(editor, dirty)


def _same(a: str, b: str) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
