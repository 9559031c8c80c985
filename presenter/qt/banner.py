"""Dismissible banners: how the window tells the user something without a modal dialog.

A modal pop-up steals the stage in the middle of a talk. A banner sits above the editor,
says what happened, offers at most a couple of buttons, and goes away when dismissed.
Several can be shown at once; the same text is never stacked twice.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class Banner(QWidget):
    """One message with optional action buttons and a close button."""

    dismissed = pyqtSignal()

    def __init__(self, text: str, kind: str = "info",
                 actions: list[tuple[str, Callable[[], None]]] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setProperty("kind", kind)
        self.setAttribute(Qt.WA_StyledBackground)  # let the stylesheet paint it
        self.text = text
        self.kind = kind
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setObjectName("BannerText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for label, callback in actions or []:
            button = QPushButton(label, self)
            button.clicked.connect(lambda _c=False, cb=callback: self._run(cb))
            layout.addWidget(button)
            self.buttons[label] = button
        close = QPushButton("✕", self)
        close.setObjectName("BannerClose")
        close.setFlat(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.dismiss)
        layout.addWidget(close)
        self.buttons["✕"] = close

    def _run(self, callback: Callable[[], None]) -> None:
        self.dismiss()
        callback()

    def dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
        self.deleteLater()


class BannerArea(QWidget):
    """A vertical stack of banners above the editor."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("BannerArea")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._banners: list[Banner] = []

    def show_banner(self, text: str, kind: str = "info",
                    actions: list[tuple[str, Callable[[], None]]] | None = None) -> Banner:
        for banner in self._banners:
            if banner.text == text:
                return banner
        banner = Banner(text, kind, actions, self)
        banner.dismissed.connect(lambda b=banner: self._forget(b))
        self._banners.append(banner)
        self._layout.addWidget(banner)
        return banner

    def _forget(self, banner: Banner) -> None:
        if banner in self._banners:
            self._banners.remove(banner)

    def banners(self) -> list[Banner]:
        return list(self._banners)
