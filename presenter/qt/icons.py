"""Toolbar icons from resources/icons, tinted to the theme's text colour.

Icons are monochrome SVGs drawn with ``currentColor``; tinting at load time means one
icon set serves every theme, light or dark, at any zoom.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PyQt5.QtCore import QByteArray, QRectF, QSize, Qt
from PyQt5.QtGui import QIcon, QPainter, QPixmap
from PyQt5.QtSvg import QSvgRenderer

from presenter import paths


@lru_cache(maxsize=256)
def _svg_text(name: str) -> str | None:
    # A plugin cannot add files to resources/icons, so it names its own SVG by path.
    path = Path(name) if name.endswith(".svg") else paths.resources_dir() / "icons" / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def icon(name: str, colour: str = "#333333", size: int = 64) -> QIcon:
    """A QIcon for ``name`` (in resources/icons, or a path ending in ".svg") drawn in
    ``colour``; an empty icon if the file is missing."""
    text = _svg_text(name)
    if text is None:
        return QIcon()
    renderer = QSvgRenderer(QByteArray(text.replace("currentColor", colour).encode("utf-8")))
    result = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(QSize(size * scale, size * scale))
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size * scale, size * scale))
        painter.end()
        result.addPixmap(pixmap)
    return result
