"""Measure the editor and its font, so a preset becomes a point size (see presets.py).

Both halves are real measurements. The room is the editor widget's inside, less its scroll
bars. A font size's cell is measured by Scintilla itself, in a hidden editor on the same
window (so on the same screen, at its DPI): the widest advance and the line height over the
regular, bold, italic and bold italic faces, as token styles use all four. Scintilla's line
height is not Qt's (it adds a pixel for the baseline and rounds each part up), so asking it
is the only way to be exact.
"""

from __future__ import annotations

from PyQt5.Qsci import QsciScintilla
from PyQt5.QtWidgets import QWidget

from presenter.presenting.presets import Preset, Room, TextMetrics, fitting_size
from presenter.qt.editor import (
    Editor,
    breakpoint_margin_width,
    line_bar_width,
    line_number_chars,
    margin_padding,
)

#: Scintilla's default right margin of the text area, in pixels.
MARGIN_RIGHT = 1
#: Advances are measured over this many characters, so Scintilla's whole-pixel answer is
#: precise to a hundredth of a pixel per character.
SAMPLE = 100
_FACES = ((False, False), (True, False), (False, True), (True, True))


class FontRuler:
    """Scintilla's cell for a font size, measured in a hidden editor and remembered."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self._probe: QsciScintilla | None = None
        self._cache: dict[tuple[str, int, int], TextMetrics] = {}

    def metrics(self, family: str, points: int) -> TextMetrics:
        dpi = self._window.logicalDpiY()  # another screen, another answer
        key = (family, points, dpi)
        if key not in self._cache:
            self._cache[key] = self._measure(family, points)
        return self._cache[key]

    def _measure(self, family: str, points: int) -> TextMetrics:
        probe = self._probe_editor()
        # Every style in this family and size (as in the editor), then the four faces.
        probe.SendScintilla(QsciScintilla.SCI_STYLESETFONT, QsciScintilla.STYLE_DEFAULT,
                            family.encode("utf-8"))
        probe.SendScintilla(QsciScintilla.SCI_STYLESETSIZE, QsciScintilla.STYLE_DEFAULT, points)
        probe.SendScintilla(QsciScintilla.SCI_STYLECLEARALL)
        for style, (bold, italic) in enumerate(_FACES):
            probe.SendScintilla(QsciScintilla.SCI_STYLESETBOLD, style, bold)
            probe.SendScintilla(QsciScintilla.SCI_STYLESETITALIC, style, italic)
        advance = max(probe.SendScintilla(QsciScintilla.SCI_TEXTWIDTH, style, b"M" * SAMPLE)
                      for style in range(len(_FACES))) / SAMPLE
        line_height = probe.SendScintilla(QsciScintilla.SCI_TEXTHEIGHT, 0)  # all styles' tallest
        return TextMetrics(advance, line_height)

    def _probe_editor(self) -> QsciScintilla:
        if self._probe is None:
            self._probe = QsciScintilla(self._window)
            self._probe.setObjectName("FontRuler")
            self._probe.hide()
        return self._probe


def editor_room(editor: Editor, longest: int | None = None) -> Room:
    """The room ``editor`` has for code, with both scroll bars counted as shown.

    ``longest`` is the most lines of any open tab: the line-number margin grows with it,
    and every tab must fit, not only this one.
    """
    inside = editor.contentsRect()
    width = inside.width() - editor.verticalScrollBar().sizeHint().width()
    height = inside.height() - editor.horizontalScrollBar().sizeHint().height()
    chars = line_number_chars(longest if longest is not None else editor.lines())

    def gutter(points: int, metrics: TextMetrics) -> float:
        return (chars * metrics.advance + breakpoint_margin_width(points)
                + line_bar_width(points) + margin_padding(points) + MARGIN_RIGHT)

    return Room(width, height, gutter)


def point_size_for(editor: Editor, ruler: FontRuler, family: str, preset: Preset,
                   longest: int | None = None) -> int:
    """The largest point size at which ``preset`` fits ``editor`` in ``family``."""
    return fitting_size(editor_room(editor, longest), preset,
                        lambda points: ruler.metrics(family, points))
