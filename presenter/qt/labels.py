"""A one-line label that gives way: what does not fit ends in "…" instead of being cut.

Banners and the status bar show text whose length Presenter does not control (file
names, messages) at a zoom the speaker chooses. A plain QLabel either wraps (a banner
grows to several lines) or insists on its full width (the window grows wider than a
1280-pixel projector). This one keeps to one line and to the room it is given;
``text()`` stays the whole text, and so does the tooltip, so nothing is lost.
"""

from __future__ import annotations

from PyQt5.QtCore import QEvent, QSize, Qt
from PyQt5.QtGui import QPainter
from PyQt5.QtWidgets import QLabel, QWidget


class ElidedLabel(QLabel):
    """One line, shortened with "…" when narrower than its text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setToolTip(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        if text == self.text():
            return
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        # QLabel's own hint is the whole text; a few characters (plus the stylesheet's
        # padding, which QLabel's hint includes) is all this one insists on.
        full = super().minimumSizeHint()
        text = self.fontMetrics().horizontalAdvance(self.text())
        return QSize(max(0, full.width() - text) + self.fontMetrics().averageCharWidth() * 4,
                     full.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        del event
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.ElideRight, rect.width())
        self.style().drawItemText(painter, rect, Qt.AlignLeft | Qt.AlignVCenter, self.palette(),
                                  self.isEnabled(), shown, self.foregroundRole())


class SteadyLabel(ElidedLabel):
    """A label for text that changes all the time (the cursor position), sized once.

    Its width is that of ``template`` (the longest text it expects) at its current font.
    A fixed size matters on every keystroke: QLabel asks its parent to lay out again on
    every text change unless its size is fixed, and re-laying out the status bar meant
    repainting all of it, and the window behind it, before each typed key showed.
    """

    def __init__(self, template: str, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._template = template
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.StyleChange):
            self._fit()

    def _fit(self) -> None:
        # QLabel's own size hint for the template, stylesheet padding and all (only on a
        # font change, so the brief text swap costs nothing while typing).
        current = self.text()
        QLabel.setText(self, self._template)
        size = QLabel.sizeHint(self)
        QLabel.setText(self, current)
        self.setFixedSize(size)
