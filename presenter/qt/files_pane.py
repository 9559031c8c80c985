"""The Files pane: a board's files beside a folder on this computer. Shows; emits requests.

A thin view: it never touches a board (no ``presenter.device`` here, see the architecture
rules). It lists what it is told (``show_board_files``), and every action the user takes
comes out as a signal the board mode's controller carries out on the board's worker thread:
copy either way (buttons, or drag and drop between the two lists, or files dropped in from a
file manager), delete (after a confirmation strip *in the pane*, never a dialog: a modal box
would cover the stage), open a board file in a tab, refresh, cancel. While a transfer runs
the pane shows its progress and a Cancel button; its outcome is one line under the lists.

The computer's side is Qt's ``QFileSystemModel``, which reads folders on its own thread and
follows changes on disk, so a file copied from the board shows up without a refresh and a
slow network folder never freezes the window.

Keys (the pane is usable without a mouse; Tab moves between the lists and buttons):
board list: Enter opens a file in a tab (or a folder), Delete asks to delete, Backspace goes
up a folder; computer list: Enter opens a folder (a file: in a tab), Backspace goes up; the
folder field takes a typed path and Enter; in the confirmation strip Enter deletes and Esc
keeps the files. The layout turns from side by side to one above the other when the pane is
taller than wide (it usually sits in the narrow column right of the editor).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Protocol

from PyQt5.QtCore import QDir, QMimeData, QModelIndex, QSize, Qt, pyqtSignal
from PyQt5.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PyQt5.QtWidgets import (
    QAbstractItemView,
    QFileSystemModel,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from presenter.qt.labels import ElidedLabel

#: What a drag out of the board list carries: JSON ``{"board": label, "paths": [...]}``.
BOARD_PATHS_MIME = "application/x-presenter-board-paths"
_PATH_ROLE = Qt.UserRole
_IS_DIR_ROLE = Qt.UserRole + 1
_UP = ".."


class ListedFile(Protocol):
    """One entry of a board folder (``presenter.device.FileEntry`` has exactly these)."""

    name: str
    path: str
    is_dir: bool
    size: int


def size_text(size: int) -> str:
    """Bytes with thousands separators: a micro:bit's space is counted in bytes, not kB."""
    return f"{size:,} byte{'' if size == 1 else 's'}"


class FilesPane(QFrame):
    """Board files above (or beside) a local folder, with copy, delete, open and refresh."""

    # ---- Signals

    copy_to_board_requested = pyqtSignal(list, str)
    """Local file paths to copy, and the board folder to copy them into ("" = the top)."""

    copy_to_computer_requested = pyqtSignal(list, str)
    """Board file paths to copy, and the local folder to copy them into."""

    delete_requested = pyqtSignal(list)
    """Board paths to delete; emitted only after the user confirmed in the pane."""

    open_requested = pyqtSignal(str)
    """A board file to open in a tab that saves back to the board."""

    local_open_requested = pyqtSignal(str)
    """A local file to open in a tab (Enter or a double-click in the computer's list)."""

    board_folder_requested = pyqtSignal(str)
    """The user opened a folder on the board (or went up): list this one."""

    refresh_requested = pyqtSignal()
    """List the board again (the computer's side follows the disk by itself)."""

    cancel_requested = pyqtSignal()
    """Cancel the transfer in progress."""

    local_folder_changed = pyqtSignal(str)
    """The computer's side now shows this folder (to remember it)."""

    # ---- Construction

    def __init__(self, parent: QWidget | None = None, local_folder: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FilesPane")
        self._board_folder = ""
        self._connected = False
        self._busy = False
        self._pending_delete: list[str] = []

        # -- the board's side
        self.board_label = ElidedLabel("No board connected", self)
        self.board_label.setObjectName("FilesBoardLabel")
        self.refresh_button = self._button("Refresh", "List the board's files again")
        self.board_list = BoardList(self)
        self.board_list.setObjectName("BoardFiles")
        board_head = QHBoxLayout()
        board_head.setContentsMargins(0, 0, 0, 0)
        board_head.addWidget(self.board_label, 1)
        board_head.addWidget(self.refresh_button)
        board_side = _side(self, board_head, self.board_list)

        # -- the computer's side
        self.up_button = self._button("Up", "The folder above this one")
        self.folder_field = QLineEdit(self)
        self.folder_field.setObjectName("LocalFolder")
        self.folder_field.setToolTip("The folder on this computer: type a path and press Enter")
        self.local_model = QFileSystemModel(self)
        self.local_model.setFilter(QDir.AllDirs | QDir.Files | QDir.NoDotAndDotDot)
        self.local_model.setReadOnly(True)  # drops are ours to handle, never the model's
        self.local_list = LocalList(self)
        self.local_list.setObjectName("LocalFiles")
        self.local_list.setModel(self.local_model)
        for column in (2, 3):  # type and date: the name and size are what matters here
            self.local_list.hideColumn(column)
        self.local_list.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.local_list.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.local_list.header().setStretchLastSection(False)
        self.local_list.setSortingEnabled(True)
        self.local_list.sortByColumn(0, Qt.AscendingOrder)
        local_head = QHBoxLayout()
        local_head.setContentsMargins(0, 0, 0, 0)
        local_head.addWidget(self.up_button)
        local_head.addWidget(self.folder_field, 1)
        local_side = _side(self, local_head, self.local_list)

        self.sides = QSplitter(Qt.Vertical, self)
        self.sides.setObjectName("FilesSplitter")
        self.sides.setChildrenCollapsible(False)
        self.sides.addWidget(board_side)
        self.sides.addWidget(local_side)

        # -- actions
        self.to_computer_button = self._button(
            "Copy to computer", "Copy the selected board files into the folder shown below")
        self.to_board_button = self._button(
            "Copy to board", "Copy the selected files on this computer to the board")
        self.open_button = self._button(
            "Open", "Open the selected board file in a tab; Save writes it back to the board")
        self.delete_button = self._button("Delete", "Delete the selected files from the board")
        # Two by two: the pane stays narrow enough to leave the editor its width at any zoom.
        actions = QGridLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.to_computer_button, 0, 0)
        actions.addWidget(self.to_board_button, 0, 1)
        actions.addWidget(self.open_button, 1, 0)
        actions.addWidget(self.delete_button, 1, 1)

        # -- the confirmation strip (in the pane, not a dialog)
        self.confirm_strip = QFrame(self)
        self.confirm_strip.setObjectName("FilesConfirm")
        # The question on a line of its own, wrapped: it must be read whole before answering,
        # in a narrow pane at a big zoom too.
        self.confirm_label = QLabel("", self.confirm_strip)
        self.confirm_label.setObjectName("FilesConfirmText")
        self.confirm_label.setWordWrap(True)
        self.confirm_button = QPushButton("Delete", self.confirm_strip)
        self.confirm_button.setObjectName("FilesConfirmDelete")
        self.keep_button = QPushButton("Keep", self.confirm_strip)
        self.keep_button.setObjectName("FilesConfirmKeep")
        strip = QVBoxLayout(self.confirm_strip)
        strip.setContentsMargins(6, 4, 6, 4)
        strip.addWidget(self.confirm_label)
        answers = QHBoxLayout()
        answers.addStretch(1)
        answers.addWidget(self.confirm_button)
        answers.addWidget(self.keep_button)
        strip.addLayout(answers)
        self.confirm_strip.hide()

        # -- progress and result
        self.progress_strip = QWidget(self)
        self.progress_label = ElidedLabel("", self.progress_strip)
        self.progress_label.setObjectName("FilesProgressText")
        self.progress_bar = QProgressBar(self.progress_strip)
        self.progress_bar.setObjectName("FilesProgress")
        self.progress_bar.setTextVisible(False)  # the figures go beside it (see the .qss)
        self.progress_figures = QLabel("", self.progress_strip)
        self.progress_figures.setObjectName("FilesProgressFigures")
        self.cancel_button = QPushButton("Cancel", self.progress_strip)
        self.cancel_button.setObjectName("FilesCancel")
        self.cancel_button.setToolTip("Stop this copy; nothing half-written is left under its name")
        progress = QVBoxLayout(self.progress_strip)  # what is copied, above its bar
        progress.setContentsMargins(0, 0, 0, 0)
        progress.setSpacing(2)
        progress.addWidget(self.progress_label)
        bar = QHBoxLayout()
        bar.addWidget(self.progress_bar, 1)
        bar.addWidget(self.progress_figures)
        bar.addWidget(self.cancel_button)
        progress.addLayout(bar)
        self.progress_strip.hide()
        self.result_label = ElidedLabel("", self)
        self.result_label.setObjectName("FilesResult")
        self.result_label.setProperty("kind", "info")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.sides, 1)
        layout.addLayout(actions)
        layout.addWidget(self.confirm_strip)
        layout.addWidget(self.progress_strip)
        layout.addWidget(self.result_label)

        self._wire()
        self._point_buttons()
        self.set_local_folder(local_folder or QDir.homePath())
        self._update_buttons()

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName("Files" + text.title().replace(" ", "") + "Button")
        button.setToolTip(tip)
        return button

    def _wire(self) -> None:
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.up_button.clicked.connect(self.go_up_locally)
        self.folder_field.returnPressed.connect(
            lambda: self.set_local_folder(self.folder_field.text()))
        self.to_computer_button.clicked.connect(self._copy_selected_to_computer)
        self.to_board_button.clicked.connect(self._copy_selected_to_board)
        self.open_button.clicked.connect(self._open_selected)
        self.delete_button.clicked.connect(self.ask_to_delete)
        self.confirm_button.clicked.connect(self._confirm_delete)
        self.keep_button.clicked.connect(self._keep)
        self.cancel_button.clicked.connect(self._cancel)
        self.board_list.itemSelectionChanged.connect(self._update_buttons)
        self.board_list.itemActivated.connect(self._board_item_activated)
        self.board_list.delete_pressed.connect(self.ask_to_delete)
        self.board_list.up_pressed.connect(self._board_up)
        self.board_list.local_paths_dropped.connect(self._local_paths_dropped)
        self.local_list.activated.connect(self._local_index_activated)
        self.local_list.up_pressed.connect(self.go_up_locally)
        self.local_list.board_paths_dropped.connect(self._board_paths_dropped)
        self.local_list.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons())
        self.confirm_strip.installEventFilter(self)

    # ---- Public API: what the controller tells the pane

    def set_board(self, label: str | None) -> None:
        """The board whose files are shown ("micro:bit on /dev/ttyACM0"), or None: none.

        Without a board the list empties and every board action is off, so nothing can be
        asked of a board that is not there.
        """
        self._connected = label is not None
        self.board_label.setText(label if label is not None else "No board connected")
        if label is None:
            self.board_list.clear()
            self._hide_confirmation()
        self.board_list.board = label or ""
        self._update_buttons()

    def show_board_files(self, folder: str, entries: Iterable[ListedFile]) -> None:
        """The entries of ``folder`` on the board ("" or "/" for the top), folders first."""
        selected = set(self.selected_board_paths())
        self._board_folder = folder
        self.board_list.clear()
        if folder not in ("", "/"):
            up = QTreeWidgetItem([_UP, ""])
            up.setData(0, _PATH_ROLE, _parent_folder(folder))
            up.setData(0, _IS_DIR_ROLE, True)
            up.setFlags(Qt.ItemIsEnabled)  # a way up, never selected, copied or deleted
            up.setToolTip(0, "The folder above this one")
            self.board_list.addTopLevelItem(up)
        for entry in sorted(entries, key=lambda e: (not e.is_dir, e.name.lower())):
            item = QTreeWidgetItem([entry.name + ("/" if entry.is_dir else ""),
                                    "" if entry.is_dir else size_text(entry.size)])
            item.setData(0, _PATH_ROLE, entry.path)
            item.setData(0, _IS_DIR_ROLE, entry.is_dir)
            item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
            flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
            if not entry.is_dir:
                flags |= Qt.ItemIsDragEnabled
            item.setFlags(flags)
            self.board_list.addTopLevelItem(item)
            if entry.path in selected:
                item.setSelected(True)
        if self.board_list.currentItem() is None and self.board_list.topLevelItemCount():
            self.board_list.setCurrentItem(self.board_list.topLevelItem(0),
                                           0, self.board_list.selectionModel().NoUpdate)
        self._update_buttons()

    def board_folder(self) -> str:
        return self._board_folder

    def set_local_folder(self, path: str) -> bool:
        """Show ``path`` on the computer's side; a folder that does not exist is refused."""
        path = os.path.abspath(os.path.expanduser(path.strip() or QDir.homePath()))
        if not os.path.isdir(path):
            self.show_result(f"There is no folder {path} on this computer.", "error")
            self.folder_field.setText(self.local_folder())
            return False
        self.local_model.setRootPath(path)
        self.local_list.setRootIndex(self.local_model.index(path))
        self.folder_field.setText(path)
        self.folder_field.setToolTip(path)
        self.local_list.drop_folder = path
        self.up_button.setEnabled(os.path.dirname(path) != path)
        self._update_buttons()
        self.local_folder_changed.emit(path)
        return True

    def local_folder(self) -> str:
        return self.local_model.rootPath() or QDir.homePath()

    def begin_task(self, text: str, cancellable: bool = True) -> None:
        """A transfer started: show its progress; board actions wait until it ends."""
        self._busy = True
        self.progress_label.setText(text)
        self.progress_figures.setText("")
        self.progress_bar.setRange(0, 0)  # busy until the first figure arrives
        self.show_result("")  # the last outcome is not this one's
        self.cancel_button.setText("Cancel")
        self.cancel_button.setEnabled(cancellable)
        self.cancel_button.setVisible(cancellable)
        self.progress_strip.show()
        self._update_buttons()

    def show_progress(self, done: int, total: int) -> None:
        if total <= 0:
            self.progress_bar.setRange(0, 0)
            return
        # QProgressBar holds ints; bytes of a board file always fit, but keep to its range.
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(min(1000, round(1000 * done / total)))
        self.progress_figures.setText(f"{done:,} of {size_text(total)}")

    def end_task(self, message: str = "", kind: str = "info") -> None:
        """The transfer is over (done, failed or cancelled): say how, one line."""
        self._busy = False
        self.progress_strip.hide()
        self.show_result(message, kind)
        self._update_buttons()

    def is_busy(self) -> bool:
        return self._busy

    def show_result(self, text: str, kind: str = "info") -> None:
        """One line under the lists: "info" or "error" (the theme colours errors)."""
        self.result_label.setText(text)
        if self.result_label.property("kind") != kind:
            self.result_label.setProperty("kind", kind)
            self.result_label.style().unpolish(self.result_label)
            self.result_label.style().polish(self.result_label)

    def selected_board_paths(self) -> list[str]:
        return [item.data(0, _PATH_ROLE) for item in self.board_list.selectedItems()
                if not item.data(0, _IS_DIR_ROLE)]

    def selected_local_paths(self) -> list[str]:
        """The selected files on the computer's side (folders are not copied)."""
        rows = self.local_list.selectionModel().selectedRows(0)
        # The model's own file information: no disk access on the GUI thread per click.
        return [self.local_model.filePath(index) for index in rows
                if not self.local_model.isDir(index)]

    def ask_to_delete(self) -> None:
        """The Delete button or key: ask in the pane; nothing is deleted until confirmed."""
        paths = self.selected_board_paths()
        if not paths or not self._connected or self._busy:
            return
        self._pending_delete = paths
        names = ", ".join(p.rstrip("/").rsplit("/", 1)[-1] for p in paths)
        what = names if len(paths) == 1 else f"{len(paths)} files ({names})"
        self.confirm_label.setText(f"Delete {what} from the board? This cannot be undone.")
        self.confirm_strip.show()
        self.confirm_button.setDefault(True)
        self.confirm_button.setFocus()

    def go_up_locally(self) -> None:
        folder = self.local_folder()
        parent = os.path.dirname(folder)
        if parent != folder:
            self.set_local_folder(parent)

    # ---- Qt events

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        # Side by side when there is width for two lists, one above the other in a column.
        wide = self.width() > self.height() * 1.2
        orientation = Qt.Horizontal if wide else Qt.Vertical
        if self.sides.orientation() != orientation:
            self.sides.setOrientation(orientation)
            self._point_buttons()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if (watched is self.confirm_strip and event.type() == event.KeyPress
                and event.key() == Qt.Key_Escape):
            self._keep()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.key() == Qt.Key_Escape and self.confirm_strip.isVisible():
            self._keep()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(360, 480)

    # ---- Internals

    def _point_buttons(self) -> None:
        """The copy buttons' arrows point the way the files go, as the lists are laid out."""
        if self.sides.orientation() == Qt.Horizontal:  # board left, computer right
            self.to_computer_button.setText("Copy to computer →")
            self.to_board_button.setText("← Copy to board")
        else:  # board above, computer below
            self.to_computer_button.setText("↓ Copy to computer")
            self.to_board_button.setText("↑ Copy to board")

    def _update_buttons(self) -> None:
        board_ready = self._connected and not self._busy
        chosen = bool(self.selected_board_paths())
        self.refresh_button.setEnabled(board_ready)
        self.to_computer_button.setEnabled(board_ready and chosen)
        self.open_button.setEnabled(board_ready and len(self.selected_board_paths()) == 1)
        self.delete_button.setEnabled(board_ready and chosen)
        self.to_board_button.setEnabled(board_ready and bool(self.selected_local_paths()))

    def _copy_selected_to_computer(self) -> None:
        paths = self.selected_board_paths()
        if paths and self._connected and not self._busy:
            self.copy_to_computer_requested.emit(paths, self.local_folder())

    def _copy_selected_to_board(self) -> None:
        paths = self.selected_local_paths()
        if paths and self._connected and not self._busy:
            self.copy_to_board_requested.emit(paths, self._board_folder)

    def _open_selected(self) -> None:
        paths = self.selected_board_paths()
        if len(paths) == 1 and self._connected and not self._busy:
            self.open_requested.emit(paths[0])

    def _board_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if not self._connected or self._busy:
            return
        path = item.data(0, _PATH_ROLE)
        if item.data(0, _IS_DIR_ROLE):
            self.board_folder_requested.emit(path)
        else:
            self.open_requested.emit(path)

    def _board_up(self) -> None:
        if self._board_folder not in ("", "/") and self._connected and not self._busy:
            self.board_folder_requested.emit(_parent_folder(self._board_folder))

    def _local_index_activated(self, index: QModelIndex) -> None:
        path = self.local_model.filePath(index)
        if self.local_model.isDir(index):
            self.set_local_folder(path)
        elif path:
            self.local_open_requested.emit(path)

    def _local_paths_dropped(self, paths: list[str]) -> None:
        files = [p for p in paths if os.path.isfile(p)]
        skipped = [os.path.basename(p.rstrip("/")) for p in paths if not os.path.isfile(p)]
        if skipped:
            self.show_result(f"Only files are copied, not folders: {', '.join(skipped)}.",
                             "error")
        if not self._connected:
            self.show_result("Connect a board before copying files to it.", "error")
        elif self._busy:
            self.show_result("Wait for the copy in progress to finish (or cancel it).", "error")
        elif files:
            self.copy_to_board_requested.emit(files, self._board_folder)

    def _board_paths_dropped(self, paths: list[str], folder: str) -> None:
        if self._busy:
            self.show_result("Wait for the copy in progress to finish (or cancel it).", "error")
        elif paths and self._connected:
            self.copy_to_computer_requested.emit(paths, folder)

    def _confirm_delete(self) -> None:
        paths, self._pending_delete = self._pending_delete, []
        self._hide_confirmation()
        if paths and self._connected and not self._busy:
            self.delete_requested.emit(paths)

    def _keep(self) -> None:
        self._pending_delete = []
        self._hide_confirmation()
        self.show_result("Nothing was deleted.")

    def _hide_confirmation(self) -> None:
        had_focus = self.confirm_strip.isAncestorOf(self.focusWidget() or self)
        self.confirm_strip.hide()
        if had_focus:
            self.board_list.setFocus()

    def _cancel(self) -> None:
        self.cancel_button.setText("Cancelling…")
        self.cancel_button.setEnabled(False)
        self.cancel_requested.emit()


def _drag_and_drop_copies(view: QTreeView) -> None:
    """Both lists: several rows at once, dragged out and dropped in, always as copies."""
    view.setUniformRowHeights(True)
    view.setSelectionMode(QAbstractItemView.ExtendedSelection)
    view.setDragEnabled(True)
    view.setAcceptDrops(True)
    view.setDragDropMode(QAbstractItemView.DragDrop)
    view.setDefaultDropAction(Qt.CopyAction)


class BoardList(QTreeWidget):
    """The board's files: a drag carries their board paths; local files may be dropped in."""

    # ---- Signals
    delete_pressed = pyqtSignal()
    """The Delete key."""
    up_pressed = pyqtSignal()
    """Backspace: the folder above."""
    local_paths_dropped = pyqtSignal(list)
    """Local paths dropped here (from the computer's list or a file manager)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board = ""  # named in drags, so a drop from another window's board is refused
        self.setColumnCount(2)
        self.setHeaderLabels(["Name", "Size"])  # as the computer's list says
        self.setRootIsDecorated(False)
        _drag_and_drop_copies(self)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt name)
        return [BOARD_PATHS_MIME]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:  # noqa: N802 (Qt name)
        """What a drag out of this list carries: the board and the files' paths on it."""
        paths = [item.data(0, _PATH_ROLE) for item in items if not item.data(0, _IS_DIR_ROLE)]
        data = QMimeData()
        data.setData(BOARD_PATHS_MIME, json.dumps({"board": self.board, "paths": paths}).encode())
        return data

    def supportedDropActions(self) -> Qt.DropActions:  # noqa: N802 (Qt name)
        return Qt.CopyAction

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        _take_as_copy(event, bool(_local_paths(event.mimeData())))

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt name)
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt name)
        paths = _local_paths(event.mimeData())
        if _take_as_copy(event, bool(paths)):
            self.local_paths_dropped.emit(paths)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.key() == Qt.Key_Delete and not event.modifiers():
            self.delete_pressed.emit()
        elif event.key() == Qt.Key_Backspace and not event.modifiers():
            self.up_pressed.emit()
        else:
            super().keyPressEvent(event)


class LocalList(QTreeView):
    """The computer's folder: drags carry file URLs; board files may be dropped in."""

    # ---- Signals
    up_pressed = pyqtSignal()
    """Backspace: the folder above."""
    board_paths_dropped = pyqtSignal(list, str)
    """Board paths dropped here, and the local folder they go to (a folder row, or the one
    shown)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drop_folder = ""
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        _drag_and_drop_copies(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        # Only board files: a file manager's drop here would be QFileSystemModel moving
        # files on disk, which this pane never does.
        _take_as_copy(event, event.mimeData().hasFormat(BOARD_PATHS_MIME))

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt name)
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt name)
        paths = _board_paths(event.mimeData())
        if _take_as_copy(event, bool(paths)):
            self.board_paths_dropped.emit(paths, self._folder_at(event.pos()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.key() == Qt.Key_Backspace and not event.modifiers():
            self.up_pressed.emit()
        else:
            super().keyPressEvent(event)

    def _folder_at(self, pos) -> str:
        """A drop onto a folder's row goes into that folder; anywhere else, the one shown."""
        index = self.indexAt(pos)
        model = self.model()
        if index.isValid() and isinstance(model, QFileSystemModel) and model.isDir(index):
            return model.filePath(index)
        return self.drop_folder


def _side(parent: QWidget, head: QHBoxLayout, body: QWidget) -> QWidget:
    side = QWidget(parent)
    layout = QVBoxLayout(side)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addLayout(head)
    layout.addWidget(body, 1)
    return side


def _parent_folder(folder: str) -> str:
    parent = folder.rstrip("/").rpartition("/")[0]
    return parent or ("/" if folder.startswith("/") else "")


def _take_as_copy(event: QDropEvent, wanted: bool) -> bool:
    """Accept a drag or drop as a copy (never a move: neither side's files go away), or
    refuse it; says which."""
    if wanted:
        event.setDropAction(Qt.CopyAction)
        event.accept()
    else:
        event.ignore()
    return wanted


def _local_paths(data: QMimeData) -> list[str]:
    return [url.toLocalFile() for url in data.urls() if url.isLocalFile()] if data.hasUrls() else []


def _board_paths(data: QMimeData) -> list[str]:
    if not data.hasFormat(BOARD_PATHS_MIME):
        return []
    try:
        paths = json.loads(bytes(data.data(BOARD_PATHS_MIME)).decode("utf-8")).get("paths", [])
    except (ValueError, AttributeError):
        return []
    return [p for p in paths if isinstance(p, str) and p]

