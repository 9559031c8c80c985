"""The main window's layout: toolbar, banners, tabs, find bar, output pane, status bar.

``side_area`` is a horizontal splitter: the editor above the output (``splitter``), and to
their right panes that need height, such as the plotter (added when first shown).

Layout only. The window has no behaviour of its own: actions are attached by the
workbench from the action table, and modes drive the output pane.
"""

from __future__ import annotations

from PyQt5.QtCore import QSize, Qt, pyqtSignal
from PyQt5.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStatusBar,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from presenter.qt.banner import BannerArea
from presenter.qt.find_bar import FindBar
from presenter.qt.output_pane import OutputPane
from presenter.qt.tabs import EditorTabs


class MainWindow(QMainWindow):
    """Presenter's window. ``close_requested`` lets the workbench confirm before closing."""

    # ---- Signals
    close_requested = pyqtSignal(object)
    """The QCloseEvent: the workbench accepts or ignores it (unsaved work)."""
    files_dropped = pyqtSignal(list)
    """Local paths dropped onto the window."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle("Presenter")
        self.setAcceptDrops(True)

        self.toolbar = QToolBar("Toolbar", self)
        self.toolbar.setObjectName("MainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextUnderIcon)
        self.toolbar.setIconSize(QSize(32, 32))
        self.addToolBar(Qt.TopToolBarArea, self.toolbar)

        self.banners = BannerArea(self)
        self.tabs = EditorTabs(self)
        self.find_bar = FindBar(self)
        self.output = OutputPane(self)

        editor_area = QWidget(self)
        editor_layout = QVBoxLayout(editor_area)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.setSpacing(0)
        editor_layout.addWidget(self.banners)
        editor_layout.addWidget(self.tabs, 1)
        editor_layout.addWidget(self.find_bar)

        self.splitter = QSplitter(Qt.Vertical, self)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.addWidget(editor_area)
        self.splitter.addWidget(self.output)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        self.side_area = QSplitter(Qt.Horizontal, self)
        self.side_area.setObjectName("SideSplitter")
        self.side_area.setChildrenCollapsible(False)
        self.side_area.addWidget(self.splitter)
        self.setCentralWidget(self.side_area)

        self.status = QStatusBar(self)
        self.status.setObjectName("StatusBar")
        self.setStatusBar(self.status)
        self.mode_label = QLabel("", self)
        self.mode_label.setObjectName("ModeLabel")
        self.position_label = QLabel("", self)
        self.position_label.setObjectName("PositionLabel")
        self.encoding_label = QLabel("", self)
        self.encoding_label.setObjectName("EncodingLabel")
        self.zoom_label = QLabel("", self)
        self.zoom_label.setObjectName("ZoomLabel")
        for label in (self.position_label, self.encoding_label, self.zoom_label, self.mode_label):
            self.status.addPermanentWidget(label)

    # ---- Public API
    def add_toolbar_action(self, action, big: bool = False) -> QToolButton:
        self.toolbar.addAction(action)
        button = self.toolbar.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setObjectName("RunButton" if big else "ToolButton_" + action.objectName().replace(".", "_"))
        return button

    def set_icon_size(self, size: int) -> None:
        self.toolbar.setIconSize(QSize(size, size))

    # ---- Qt events
    def closeEvent(self, event) -> None:  # noqa: N802
        self.close_requested.emit(event)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.files_dropped.emit(paths)
