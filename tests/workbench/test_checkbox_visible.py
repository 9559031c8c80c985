"""An unticked option can be seen, in every theme: the find bar's Aa / Word / .* boxes.

Seen on screen: with the themes' ``QCheckBox { background: transparent }`` the style drew an
unticked box without a frame, so "Match case" showed as a bare "Aa" and nobody could tell it
was an option, or whether it was on (the Share panel's "This computer only" too).
"""

from __future__ import annotations

from PyQt5.QtCore import QRect, Qt
from PyQt5.QtGui import QImage
from PyQt5.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

from presenter.core.themes import contrast_ratio
from tests.fakes.board_window import focus_editor


def indicator(box: QCheckBox) -> tuple[QImage, QRect]:
    """The drawn box of ``box`` as its parent shows it (its own background is transparent)."""
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SE_CheckBoxIndicator, option, box)
    parent = box.parentWidget()
    shot = parent.grab().toImage()
    return shot.copy(QRect(box.mapTo(parent, rect.topLeft()), rect.size())), rect


def strongest_contrast(image: QImage, background: str) -> float:
    return max(contrast_ratio(image.pixelColor(x, y).name(), background)
               for x in range(image.width()) for y in range(image.height()))


def test_every_theme_draws_the_find_bars_option_boxes_ticked_and_unticked(bench, qtbot, keyboard):
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+F")
    bar = bench.window.find_bar
    qtbot.waitUntil(bar.isVisible)
    seen = []
    for _ in range(4):  # day, night, high contrast, colour-blind
        theme = bench.appearance.theme
        seen.append(theme.name)
        panel = theme.color("ui.panel")
        for box in (bar.case_box, bar.word_box, bar.regex_box):
            assert not box.isChecked()
            unticked, rect = indicator(box)
            assert rect.width() >= 8, (theme.name, box.text(), rect)
            assert strongest_contrast(unticked, panel) >= 3.0, (theme.name, box.text())
            qtbot.mouseClick(box, Qt.LeftButton, pos=rect.center())  # the box itself is the target
            assert box.isChecked()
            ticked, _ = indicator(box)
            assert ticked != unticked, (theme.name, box.text())  # ticked looks different
            qtbot.mouseClick(box, Qt.LeftButton, pos=rect.center())
            assert not box.isChecked()
        focus_editor(bench, qtbot)
        keyboard.press("Ctrl+Shift+T")
    assert seen == ["day", "night", "high-contrast", "colour-blind"]
