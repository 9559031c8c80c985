"""The Share panel: the audience page's address, as a big QR code and as text.

A pane at the side of the window (never a dialog): the room scans the code off the
projector, so it is drawn as large as the pane allows, black on white whatever the theme,
with the quiet zone scanners need. Below it the address in large type for those who type
it, how many are watching, "This computer only" for a rehearsal, Copy link and Stop.

A view only: the workbench decides what to show and acts on the signals.
"""

from __future__ import annotations

from PyQt5.QtCore import QEvent, QRectF, QSize, Qt, pyqtSignal
from PyQt5.QtGui import QColor, QFontDatabase, QPainter, QPixmap
from PyQt5.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def paint_qr(painter: QPainter, matrix: list[list[bool]], rect: QRectF) -> None:
    """Draw ``matrix`` (True = dark) centred in ``rect``, quiet zone included, crisp."""
    if not matrix:
        return
    modules = len(matrix) + 2 * QUIET_ZONE
    cell = int(min(rect.width(), rect.height()) // modules)  # whole pixels: no blurred edges
    if cell < 1:
        return
    side = cell * modules
    left = int(rect.x() + (rect.width() - side) / 2)
    top = int(rect.y() + (rect.height() - side) / 2)
    painter.fillRect(left, top, side, side, QColor("#ffffff"))
    dark = QColor("#000000")
    for row, cells in enumerate(matrix):
        y = top + (row + QUIET_ZONE) * cell
        for column, on in enumerate(cells):
            if on:
                painter.fillRect(left + (column + QUIET_ZONE) * cell, y, cell, cell, dark)


def qr_pixmap(matrix: list[list[bool]], size: int) -> QPixmap:
    """The QR code as a square pixmap (for the presenter screen, or anything else)."""
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(QColor("#ffffff"))
    painter = QPainter(pixmap)
    paint_qr(painter, matrix, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


class QrView(QWidget):
    """A QR code drawn as big as the widget allows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShareQr")
        self.matrix: list[list[bool]] = []
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_matrix(self, matrix: list[list[bool]]) -> None:
        self.matrix = matrix
        self.update()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        return width

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        paint_qr(painter, self.matrix, QRectF(self.rect()))
        painter.end()


class SharePanel(QWidget):
    """Address, QR code, viewer count and the sharing controls."""

    # ---- Signals
    loopback_toggled = pyqtSignal(bool)
    """The "This computer only" box changed: serve on 127.0.0.1 (True) or the network."""
    copy_clicked = pyqtSignal()
    """Copy link was clicked."""
    stop_clicked = pyqtSignal()
    """Stop sharing was clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SharePanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.heading = QLabel("Follow the code on your phone or laptop:", self)
        self.heading.setWordWrap(True)
        self.qr = QrView(self)
        self.url_label = QLabel("", self)
        self.url_label.setObjectName("ShareUrl")
        self.url_label.setWordWrap(True)
        self.url_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.url_label.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("ShareStatus")
        self.status_label.setWordWrap(True)
        self.loopback_box = QCheckBox("This computer only (rehearsal)", self)
        self.loopback_box.setObjectName("ShareLoopback")
        self.loopback_box.toggled.connect(self.loopback_toggled)
        self.copy_button = QPushButton("Copy link", self)
        self.copy_button.setObjectName("ShareCopy")
        self.copy_button.clicked.connect(self.copy_clicked)
        self.stop_button = QPushButton("Stop sharing", self)
        self.stop_button.setObjectName("ShareStop")
        self.stop_button.clicked.connect(self.stop_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.stop_button)
        layout.addWidget(self.heading)
        layout.addWidget(self.qr, 1)
        layout.addWidget(self.url_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.loopback_box)
        layout.addLayout(buttons)
        self.url = ""

    # ---- Public API
    def show_address(self, url: str, matrix: list[list[bool]]) -> None:
        """The page's address: "" while starting or after a failure (the status says why)."""
        self.url = url
        shown = url.split("://", 1)[-1]  # browsers add http:// themselves: less to type
        # Break opportunities after the slashes, so the token wraps rather than clips.
        self.url_label.setText(shown.replace("/", "/\u200b"))
        self.url_label.setToolTip(url)
        self.qr.set_matrix(matrix)
        self.copy_button.setEnabled(bool(url))

    def show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def set_loopback(self, on: bool) -> None:
        """Show the setting without emitting ``loopback_toggled``."""
        self.loopback_box.blockSignals(True)
        self.loopback_box.setChecked(on)
        self.loopback_box.blockSignals(False)

    # ---- Qt events
    def changeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """The zoom changed the theme's font size: the address stays half as big again.

        It is read from the back of the room (the theme's stylesheet sets every widget's
        size; a rule on the label itself wins over it).
        """
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.StyleChange):
            size = max(8, round(self.font().pointSizeF() * 1.5))
            rule = f"font-size: {size}pt; font-weight: bold;"
            if self.url_label.styleSheet() != rule:
                self.url_label.setStyleSheet(rule)
