"""Editor tabs: one Editor per open buffer, with unsaved ones marked.

The tab widget only shows and reports; deciding whether a tab may close (and asking the
user) is the workbench's job, so closing always goes through one path.
"""

from __future__ import annotations

from PyQt5 import sip
from PyQt5.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, pyqtSignal
from PyQt5.QtGui import QIcon
from PyQt5.QtWidgets import QTabBar, QTabWidget, QToolButton

from presenter.qt.editor import BufferInfo, Editor

DIRTY_MARK = " ●"


class EditorTabs(QTabWidget):
    """Tabs of editors; the title shows the file name and a dot when unsaved.

    Each tab has its own close button (not the style's): the style draws a fixed 16-pixel
    glyph in one colour, which is too small on a projector and vanishes on a dark theme.
    Ours takes its size from the zoom level and its colour from the theme, in the current
    tab's text colour on the current tab (``set_close_icons``).
    """

    # ---- Signals
    close_requested = pyqtSignal(object)
    """An Editor whose tab's close button was pressed (the workbench decides)."""
    dirty_changed = pyqtSignal(object, bool)
    """An Editor whose unsaved state changed."""
    editor_removed = pyqtSignal(object)
    """An Editor whose tab was just closed (it is deleted soon after)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("EditorTabs")
        self.setTabsClosable(False)  # our own buttons, see the class docstring
        self.setMovable(True)
        self.setDocumentMode(True)
        self.setUsesScrollButtons(True)
        self._close_icon = QIcon()
        self._current_close_icon = QIcon()
        self._close_size = 16
        self._revealer = _CursorRevealer(self)
        self.currentChanged.connect(lambda _index: self._style_close_buttons())

    # ---- Public API
    def editors(self) -> list[Editor]:
        return [self.widget(i) for i in range(self.count())]

    def current(self) -> Editor | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, Editor) else None

    def add_editor(self, editor: Editor, select: bool = True) -> Editor:
        index = self.addTab(editor, editor.info.title)
        self.tabBar().setTabButton(index, QTabBar.RightSide, self._make_close_button(editor))
        self._style_close_buttons()
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
            editor.setCursorPosition(0, 0)  # setText leaves the caret at the end, out of view
        editor.setModified(False)
        editor.SendScintilla(editor.SCI_EMPTYUNDOBUFFER)
        return editor

    def remove_editor(self, editor: Editor) -> None:
        index = self.indexOf(editor)
        if index >= 0:
            self.removeTab(index)
        self.editor_removed.emit(editor)
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
        self.setTabToolTip(index, editor.info.tooltip)

    def reveal_cursor(self, editor: Editor) -> None:
        """Scroll ``editor`` so its cursor line is in view once it is first shown.

        A restored or recovered tab gets its cursor before it has a size (hidden tabs, a
        window not shown yet), when Scintilla cannot know what is in view.
        """
        self._revealer.watch(editor)

    def set_close_icons(self, icon: QIcon, current_icon: QIcon, size: int) -> None:
        """The close buttons' glyph on other tabs and on the current one, and their size."""
        self._close_icon, self._current_close_icon, self._close_size = icon, current_icon, size
        self._style_close_buttons()

    def close_button(self, editor: Editor) -> QToolButton | None:
        button = self.tabBar().tabButton(self.indexOf(editor), QTabBar.RightSide)
        return button if isinstance(button, QToolButton) else None

    # ---- Internals
    def _make_close_button(self, editor: Editor) -> QToolButton:
        button = QToolButton(self.tabBar())
        button.setObjectName("TabCloseButton")
        button.setFocusPolicy(Qt.NoFocus)  # a click must not pull focus out of the editor
        button.setAutoRaise(True)
        button.setToolTip("Close this tab (Ctrl+W)")
        button.clicked.connect(lambda _c=False, e=editor: self.close_requested.emit(e))
        self._style_close_button(button, current=False)
        return button

    def _style_close_buttons(self) -> None:
        for index in range(self.count()):
            button = self.tabBar().tabButton(index, QTabBar.RightSide)
            if isinstance(button, QToolButton):
                self._style_close_button(button, current=index == self.currentIndex())

    def _style_close_button(self, button: QToolButton, current: bool) -> None:
        button.setIcon(self._current_close_icon if current else self._close_icon)
        button.setIconSize(QSize(self._close_size, self._close_size))
        button.setFixedSize(self._close_size + 8, self._close_size + 8)

    def _on_modified(self, editor: Editor, dirty: bool) -> None:
        self.refresh_title(editor)
        self.dirty_changed.emit(editor, dirty)


class _CursorRevealer(QObject):
    """Waits for an editor's first showing at a real size, then brings its cursor into view.

    Its filters come off when the application quits: a Python event filter left on a
    widget while the interpreter shuts down can crash the process at exit.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._watched: list[Editor] = []
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._stop_all)

    def watch(self, editor: Editor) -> None:
        editor.installEventFilter(self)
        self._watched.append(editor)
        if editor.isVisible() and editor.height() > 0:
            self._reveal(editor)

    def _stop_all(self) -> None:
        for editor in self._watched:
            if not sip.isdeleted(editor):
                editor.removeEventFilter(self)
        self._watched.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if (event.type() in (QEvent.Show, QEvent.Resize) and isinstance(watched, Editor)
                and watched.isVisible()):
            self._reveal(watched)
        return False

    def _reveal(self, editor: Editor) -> None:
        visible = editor.SendScintilla(editor.SCI_LINESONSCREEN)
        if visible <= 0:
            return  # no real size yet: wait for the next resize
        editor.removeEventFilter(self)
        if editor in self._watched:
            self._watched.remove(editor)
        line, _ = editor.getCursorPosition()
        first = editor.firstVisibleLine()
        if not first <= line < first + visible:
            # A third from the top: still in view if the window manager shrinks the window.
            editor.setFirstVisibleLine(max(0, line - visible // 3))


def _same(a: str, b: str) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
