"""Dismissible banners: how the window tells the user something without a modal dialog.

A modal pop-up steals the stage in the middle of a talk. A banner sits above the editor,
says what happened, offers at most a couple of buttons, and goes away when dismissed or
when its cause is gone. Banners must not eat the editor on a 720-line projector either:
each is one line (the whole text is its tooltip), the newest is on top, and at most three
show at once; dismissing one brings back the next older one. The same text is never
stacked twice: repeating it moves the banner to the top.

During a talk the area is *held* (``hold(True)``): only urgent banners show; routine ones,
old and new, wait (each is a real Banner its caller can still dismiss, for example when
its cause is gone) and appear when the hold ends. Every banner goes through here, so
anything that reports with a banner is quiet on stage without knowing about talks.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt5 import sip
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from presenter.qt.labels import ElidedLabel

#: How many banners show at once; older ones wait until a newer one is dismissed.
MAX_VISIBLE = 3


class Banner(QFrame):
    """One message with optional action buttons and a close button."""

    dismissed = pyqtSignal()

    def __init__(self, text: str, kind: str = "info",
                 actions: list[tuple[str, Callable[[], None]]] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")  # themes style QFrame#Banner[kind=...]
        self.setProperty("kind", kind)
        self.text = text
        self.kind = kind
        self.urgent = False  # shown even while the area is held (see BannerArea.hold)
        self._gone = False
        self.label = ElidedLabel(text, self)
        self.label.setObjectName("BannerText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 6, 2)
        layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for label, callback in actions or []:
            button = QPushButton(label, self)
            button.setObjectName("BannerButton")
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
        """Take the banner away (the close button, an action, or its cause being gone)."""
        if self._gone or sip.isdeleted(self):  # also gone when its window closed first
            return
        self._gone = True
        self.hide()
        self.dismissed.emit()
        self.deleteLater()


class BannerArea(QWidget):
    """A vertical stack of banners above the editor, newest first."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("BannerArea")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._banners: list[Banner] = []  # newest first
        self._holding = False

    def show_banner(self, text: str, kind: str = "info",
                    actions: list[tuple[str, Callable[[], None]]] | None = None,
                    urgent: bool = False) -> Banner:
        """Show a banner (or keep it for later while held, unless ``urgent``)."""
        for banner in self._banners:
            if banner.text == text:
                self._banners.remove(banner)
                self._layout.removeWidget(banner)
                banner.urgent = banner.urgent or urgent
                self._add_on_top(banner)
                return banner
        banner = Banner(text, kind, actions, self)
        banner.urgent = urgent
        banner.dismissed.connect(lambda b=banner: self._forget(b))
        self._add_on_top(banner)
        return banner

    def hold(self, holding: bool) -> None:
        """Hold routine banners back (a talk is on) or show what waited (it is over)."""
        self._holding = holding
        self._restack()

    def is_holding(self) -> bool:
        return self._holding

    def banners(self) -> list[Banner]:
        """Every banner not yet dismissed, newest first (hidden older ones included)."""
        return list(self._banners)

    def visible_banners(self) -> list[Banner]:
        return [b for b in self._banners if not b.isHidden()]

    # ---- Internals
    def _add_on_top(self, banner: Banner) -> None:
        self._banners.insert(0, banner)
        self._layout.insertWidget(0, banner)
        self._restack()

    def _forget(self, banner: Banner) -> None:
        if banner in self._banners:
            self._banners.remove(banner)
            self._layout.removeWidget(banner)
            self._restack()

    def _restack(self) -> None:
        showing = [b for b in self._banners if b.urgent or not self._holding][:MAX_VISIBLE]
        for banner in self._banners:
            banner.setHidden(banner not in showing)
