"""The debugger's pane: the step buttons, where the program is paused, and its variables.

A thin widget: it shows what it is given (names and repr text that the debugged program
made) and never asks for more. What changed since the previous stop is drawn bold, because
"which value just changed?" is the question a class asks at every step.

Sizes follow the window's zoom in the code font (a value is code); colours come from the
theme's stylesheet rules for lists and headers, so every theme reads.
"""

from __future__ import annotations

from collections.abc import Sequence

from PyQt5.QtCore import QSize, Qt, pyqtSignal
from PyQt5.QtGui import QFont
from PyQt5.QtWidgets import (
    QAbstractItemView,
    QAction,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

LOCALS = "Locals"
GLOBALS = "Globals"
# A value wraps onto a few lines at most; its tooltip holds all the child sent.
SHOWN_CHARS = 100


class _WrappingDelegate(QStyledItemDelegate):
    """Row heights for wrapped values.

    QTreeView asks for a size hint with an empty rectangle, and Qt's style wraps text only
    within a valid one, so a long value got one line and was elided. Given the value
    column's width (and any height), it gets the lines it needs.
    """

    def sizeHint(self, option, index):  # noqa: N802 (Qt name)
        view = self.parent()
        if index.column() == 1 and view is not None:
            option = QStyleOptionViewItem(option)
            option.rect.setWidth(view.columnWidth(1))
            option.rect.setHeight(max(1, option.rect.height()))
        return super().sizeHint(option, index)


class VariablesPane(QFrame):
    """Debug controls above a two-level list: Locals and Globals, each name = value."""

    # ---- Signals
    hide_requested = pyqtSignal()
    """The pane's Hide button was clicked."""

    # ---- Construction
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("VariablesPane")
        # The step buttons wrap onto a second row when the pane is narrow (a big zoom on a
        # 1280-pixel projector): a toolbar would hide them behind its tiny overflow arrow.
        self._controls = QWidget(self)
        self._controls.setObjectName("DebugControls")
        self._grid = QGridLayout(self._controls)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        self.buttons: list[QToolButton] = []
        self._columns = 0
        self._icon_px = 32

        self.where = QLabel("", self)
        self.where.setObjectName("DebugWhere")
        self.where.setWordWrap(True)
        self.where.setTextFormat(Qt.PlainText)
        self.hide_button = QToolButton(self)
        self.hide_button.setObjectName("VariablesPaneHide")
        self.hide_button.setText("Hide")
        self.hide_button.setToolTip("Hide the variables pane")
        self.hide_button.clicked.connect(self.hide_requested.emit)
        where_row = QHBoxLayout()
        where_row.setContentsMargins(0, 0, 0, 0)
        where_row.addWidget(self.where, 1)
        where_row.addWidget(self.hide_button, 0, Qt.AlignTop)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("VariablesTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Name", "Value"])
        self.tree.setRootIsDecorated(True)
        self.tree.setWordWrap(True)  # a list of numbers reads better on two lines than cut
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.tree.setTextElideMode(Qt.ElideRight)
        self.tree.setFocusPolicy(Qt.ClickFocus)  # Tab keeps moving between editor and output
        self.tree.header().sectionResized.connect(
            lambda *_: self.tree.scheduleDelayedItemsLayout())  # re-wrap at the new width
        self._groups = {name: QTreeWidgetItem(self.tree, [name, ""]) for name in (LOCALS, GLOBALS)}
        for group in self._groups.values():
            group.setFirstColumnSpanned(True)
            group.setExpanded(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.setSpacing(4)
        layout.addWidget(self._controls)
        layout.addLayout(where_row)
        layout.addWidget(self.tree, 1)
        self._previous: dict[tuple[str, str], str] = {}
        self._code_pt = 14

    # ---- Public API
    def set_actions(self, actions: Sequence[QAction]) -> None:
        """The step buttons: the window's own actions, so their keys and tooltips match."""
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        for action in actions:
            button = QToolButton(self._controls)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonTextUnderIcon)
            button.setIconSize(QSize(self._icon_px, self._icon_px))
            button.setObjectName("DebugButton_" + action.objectName().replace(".", "_"))
            self.buttons.append(button)
        self._columns = 0
        self._reflow()

    def start_session(self) -> None:
        """A new debug run: nothing shown yet, and nothing counts as changed."""
        self._previous.clear()
        self._fill(LOCALS, [])
        self._fill(GLOBALS, [])
        self._groups[LOCALS].setHidden(False)
        self.set_status("Starting the program…")

    def show_stop(self, where: str, local_items: Sequence[tuple[str, str]] | None,
                  global_items: Sequence[tuple[str, str]], hidden: int = 0) -> None:
        """The program paused: ``where`` it is, and its names. ``local_items`` is None at
        module level, where the locals are the globals (the Locals group is then hidden)."""
        self.where.setText(where)
        self.tree.setEnabled(True)
        shown: dict[tuple[str, str], str] = {}
        self._groups[LOCALS].setHidden(local_items is None)
        self._fill(LOCALS, local_items or [], shown)
        self._fill(GLOBALS, global_items, shown, hidden)
        self._previous = shown

    def set_status(self, text: str) -> None:
        """Running, ended, ...: the values shown are from the last stop, so they are dimmed."""
        self.where.setText(text)
        self.tree.setEnabled(False)

    def rows(self, group: str) -> list[tuple[str, str]]:
        """What a group shows, as (name, value) pairs (tests and screen readers)."""
        item = self._groups[group]
        return [(item.child(i).text(0), item.child(i).text(1)) for i in range(item.childCount())]

    def changed_names(self) -> list[str]:
        """The names drawn bold: new or changed since the previous stop."""
        return [item.child(i).text(0) for item in self._groups.values()
                for i in range(item.childCount()) if item.child(i).font(1).bold()]

    def set_code_font(self, family: str, pt: int) -> None:
        """Zoom: names and values in the code font at the editor's size.

        The pane's own style sheet, because the window's sheet gives every widget the UI
        size and a sheet wins over ``setFont``.
        """
        self._code_pt = max(6, int(pt))
        self.tree.setStyleSheet(
            f'QTreeWidget#VariablesTree {{ font-family: "{family}"; font-size: {self._code_pt}pt; }}')
        font = QFont(family, self._code_pt)
        self.tree.setFont(font)
        self.tree.header().setStyleSheet(f"font-size: {self._code_pt}pt;")

    def set_icon_size(self, px: int) -> None:
        self._icon_px = px
        for button in self.buttons:
            button.setIconSize(QSize(px, px))
        self._columns = 0
        self._reflow()

    # ---- Qt events
    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._reflow()

    # ---- Internals
    def _reflow(self) -> None:
        """As many buttons per row as fit the pane's width, all of them always visible."""
        if not self.buttons:
            return
        widest = max(button.sizeHint().width() for button in self.buttons) + self._grid.spacing()
        room = max(1, self.width() - 8)
        columns = max(1, min(len(self.buttons), room // max(1, widest)))
        if columns == self._columns:
            return
        self._columns = columns
        for button in self.buttons:
            self._grid.removeWidget(button)
        for index, button in enumerate(self.buttons):
            self._grid.addWidget(button, index // columns, index % columns)

    def _fill(self, group_name: str, items: Sequence[tuple[str, str]],
              shown: dict[tuple[str, str], str] | None = None, hidden: int = 0) -> None:
        group = self._groups[group_name]
        group.takeChildren()
        group.setText(0, f"{group_name} ({len(items)})" if items else f"{group_name} (none)")
        for name, value in items:
            shown_text = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS - 1] + "\u2026"
            item = QTreeWidgetItem(group, [name, shown_text])
            item.setToolTip(1, value)
            if shown is not None:
                key = (group_name, name)
                shown[key] = value
                if self._previous and self._previous.get(key) != value:
                    for column in (0, 1):
                        font = item.font(column)
                        font.setBold(True)
                        item.setFont(column, font)
        if hidden:
            more = QTreeWidgetItem(group, [f"… {hidden} more names not shown", ""])
            more.setFirstColumnSpanned(True)
        group.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        width = self.tree.viewport().width()
        if width > 0 and self.tree.columnWidth(0) > width // 2:
            self.tree.setColumnWidth(0, width // 2)  # long names must not hide the values
