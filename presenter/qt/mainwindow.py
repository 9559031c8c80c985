"""The main window's layout: toolbar, banners, tabs, find bar, output pane, status bar.

``stage_toolbar`` is the toolbar of presentation mode: hidden until then, it holds only the
controls a talk needs (the same QActions as the main toolbar, so keys, enabled states and
checked states are shared) while the main toolbar is hidden.

``side_area`` is a horizontal splitter: the editor above the output (``splitter``), and to
their right panes that need height, such as the plotter (added when first shown).
``bottom_area`` holds the output pane and, beside it, panes a mode adds (the REPL).

Layout only. The window has no behaviour of its own: actions are attached by the
workbench from the action table, and modes drive the output pane. What it does own is
how its parts share the space at any zoom: the output pane keeps its share of the height,
toolbar commands that do not fit go behind an overflow button that is as big and as
visible as the others, and the status bar never makes the window wider than the screen.
"""

from __future__ import annotations

from PyQt5.QtCore import QSize, Qt, pyqtSignal
from PyQt5.QtGui import QIcon
from PyQt5.QtWidgets import (
    QAction,
    QMainWindow,
    QProxyStyle,
    QSplitter,
    QStatusBar,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from presenter.qt.banner import BannerArea
from presenter.qt.find_bar import FindBar
from presenter.qt.labels import ElidedLabel, SteadyLabel
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
        self.stage_toolbar = QToolBar("Presenting", self)
        self.stage_toolbar.setObjectName("StageToolbar")
        self.stage_toolbar.setMovable(False)
        self.stage_toolbar.setToolButtonStyle(Qt.ToolButtonTextUnderIcon)
        self.stage_toolbar.setIconSize(QSize(32, 32))
        self.stage_toolbar.toggleViewAction().setVisible(False)  # not in the toolbar menu
        self.addToolBar(Qt.TopToolBarArea, self.stage_toolbar)
        self.stage_toolbar.hide()

        self.banners = BannerArea(self)
        self.tabs = EditorTabs(self)
        self.find_bar = FindBar(self)
        self.output = OutputPane(self)

        editor_area = QWidget(self)
        editor_layout = QVBoxLayout(editor_area)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.setSpacing(0)
        editor_layout.addWidget(self.tabs, 1)
        editor_layout.addWidget(self.find_bar)

        # Below the editor: the output pane, and beside it the panes a mode adds (a REPL):
        # on a 1280x720 projector height is what is short.
        self.bottom_area = QSplitter(Qt.Horizontal, self)
        self.bottom_area.setObjectName("BottomSplitter")
        self.bottom_area.setChildrenCollapsible(False)
        self.bottom_area.addWidget(self.output)

        self.splitter = ShareSplitter(self)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.addWidget(editor_area)
        self.splitter.addWidget(self.bottom_area)
        self.splitter.setChildrenCollapsible(False)

        self.side_area = QSplitter(Qt.Horizontal, self)
        self.side_area.setObjectName("SideSplitter")
        self.side_area.setChildrenCollapsible(False)
        self.side_area.addWidget(self.splitter)
        # Banners above both panes: while they show, the editor and the output pane give
        # up height in proportion, instead of the editor alone shrinking to two lines.
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.banners)
        central_layout.addWidget(self.side_area, 1)
        self._central_layout = central_layout
        self.setCentralWidget(central)

        self.status = QStatusBar(self)
        self.status.setObjectName("StatusBar")
        self.setStatusBar(self.status)
        # Elided labels: at a big zoom their full width would make the window wider than a
        # 1280-pixel projector.
        self.mode_label = ElidedLabel("", self)
        self.mode_label.setObjectName("ModeLabel")
        self.position_label = SteadyLabel("Ln 00000, Col 000", self)  # changes every keystroke
        self.position_label.setObjectName("PositionLabel")
        self.encoding_label = ElidedLabel("", self)
        self.encoding_label.setObjectName("EncodingLabel")
        self.zoom_label = ElidedLabel("", self)
        self.zoom_label.setObjectName("ZoomLabel")
        for label in (self.position_label, self.encoding_label, self.zoom_label, self.mode_label):
            self.status.addPermanentWidget(label)

        # The toolbar's overflow ("more") button: Qt sizes it by a style metric of 12
        # pixels and draws it with the style's dark arrow, invisible on the night theme.
        # The toolbar gets a style that sizes it with the icons (see set_icon_size).
        self._toolbar_style = _ToolbarStyle()
        # Owned by the toolbar, so it outlives the toolbar's use of it: left to Python, it
        # could be freed first at exit and the toolbar's teardown crashed.
        self._toolbar_style.setParent(self.toolbar)
        self._toolbar_styled = False

    # ---- Public API
    def add_toolbar_action(self, action, big: bool = False,
                           toolbar: QToolBar | None = None) -> QToolButton:
        toolbar = toolbar or self.toolbar
        toolbar.addAction(action)
        button = toolbar.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setObjectName("RunButton" if big else "ToolButton_" + action.objectName().replace(".", "_"))
        return button

    def set_stage_actions(self, actions: list[tuple[QAction, bool]]) -> None:
        """The presentation toolbar's controls, in order: (action, is the big Run button)."""
        self.stage_toolbar.clear()
        for action, big in actions:
            self.add_toolbar_action(action, big, self.stage_toolbar)

    def toolbars(self) -> tuple[QToolBar, QToolBar]:
        """Both toolbars: a button's look (Run turning into Stop) is set on each."""
        return self.toolbar, self.stage_toolbar

    def add_bottom_bar(self, widget: QWidget) -> None:
        """A full-width row under the editor and output (the demo's step bar, notes strip)."""
        self._central_layout.addWidget(widget)

    def add_pane(self, widget: QWidget, area: str = "bottom") -> None:
        """Give a mode's pane a place: "bottom" beside the output pane, "side" at the right.

        Half of the bottom (or a third of the width at the side) to start; the dividers can
        be dragged. The caller shows and hides the pane.
        """
        splitter = self.side_area if area == "side" else self.bottom_area
        splitter.addWidget(widget)
        sizes = splitter.sizes()
        total = sum(sizes)
        if total > 0 and len(sizes) > 1:
            share = 1 / 3 if area == "side" else 1 / len(sizes)
            part = round(total * share)
            rest = (total - part) / (len(sizes) - 1)
            splitter.setSizes([round(rest)] * (len(sizes) - 1) + [part])

    def set_icon_size(self, size: int) -> None:
        self.toolbar.setIconSize(QSize(size, size))
        self.stage_toolbar.setIconSize(QSize(size, size))
        self._toolbar_style.extension_extent = size + 16
        if not self._toolbar_styled:
            # Here, not in __init__: the theme's stylesheet exists by now, so Qt wraps this
            # style in its stylesheet style and the toolbar keeps its themed look.
            self.toolbar.setStyle(self._toolbar_style)
            self._toolbar_styled = True
        overflow = self.overflow_button()
        if overflow is not None:
            overflow.setIconSize(QSize(size, size))
        self.toolbar.updateGeometry()
        self.toolbar.layout().invalidate()

    def set_overflow_icon(self, icon: QIcon) -> None:
        """The overflow button's glyph, in the theme's text colour."""
        overflow = self.overflow_button()
        if overflow is not None:
            overflow.setIcon(icon)
            overflow.setToolTip("More commands")

    def overflow_button(self) -> QToolButton | None:
        """Qt's extension button, shown when the toolbar's commands do not all fit."""
        return self.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")

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


class ShareSplitter(QSplitter):
    """Editor above, output below; the output keeps its *share* of the height.

    QSplitter keeps pixel sizes and hands gained or lost height out by stretch factor, so
    zooming in (a taller toolbar and status bar) or resizing the window moved the divider
    away from where the user put it. Here the divider is a share: the user sets it by
    dragging (``splitterMoved``), the session restores it, and every resize re-applies it.
    """

    DEFAULT_OUTPUT_SHARE = 1 / 3

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Vertical, parent)
        self.output_share = self.DEFAULT_OUTPUT_SHARE
        self.splitterMoved.connect(self._on_moved)

    def set_output_share(self, share: float) -> None:
        self.output_share = min(0.9, max(0.05, share))
        self._apply_share()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._apply_share()

    def _on_moved(self, _pos: int, _index: int) -> None:
        sizes = self.sizes()
        if len(sizes) == 2 and sum(sizes) > 0:
            self.output_share = sizes[1] / sum(sizes)

    def _apply_share(self) -> None:
        sizes = self.sizes()
        total = sum(sizes)
        if len(sizes) != 2 or total <= 0:
            return
        output = round(total * self.output_share)
        if sizes[1] != output:
            self.setSizes([total - output, output])


class _ToolbarStyle(QProxyStyle):
    """The application's style, with an overflow button as wide as the zoom makes icons."""

    def __init__(self) -> None:
        super().__init__()
        self.extension_extent = 48

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 (Qt name)
        if metric == QStyle.PM_ToolBarExtensionExtent:
            return self.extension_extent
        return super().pixelMetric(metric, option, widget)
