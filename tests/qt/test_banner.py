"""Banners do not pile up: one line each, newest on top, at most three showing."""

from __future__ import annotations

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QVBoxLayout, QWidget

from presenter.qt.banner import MAX_VISIBLE, BannerArea

LONG = ("latin.py: Not valid UTF-8: opened as Windows-1252 (cp1252). Saving keeps that encoding, "
        "and this sentence goes on well past the width of any projector to make the point.")


@pytest.fixture
def make_area(qtbot):
    """A banner area at the top of a shown window ``width`` pixels wide."""
    hosts: list[QWidget] = []  # the windows must outlive the call that made them

    def make(width: int = 600) -> BannerArea:
        host = QWidget()
        hosts.append(host)
        layout = QVBoxLayout(host)
        area = BannerArea(host)
        layout.addWidget(area)
        layout.addStretch(1)
        qtbot.addWidget(host)
        host.resize(width, 700)
        host.show()
        qtbot.waitExposed(host)
        return area

    return make


def test_the_newest_banner_is_on_top_and_at_most_three_show(qtbot, make_area):
    area = make_area()
    for n in range(1, 6):
        area.show_banner(f"message {n}")
    shown = area.visible_banners()
    assert [b.text for b in shown] == ["message 5", "message 4", "message 3"]
    assert len(shown) == MAX_VISIBLE == 3
    tops = [b.geometry().top() for b in shown]
    assert tops == sorted(tops)  # drawn in that order, newest highest
    assert len(area.banners()) == 5  # the older two wait, they are not lost


def test_dismissing_a_banner_brings_back_the_next_older_one(qtbot, make_area):
    area = make_area()
    for n in range(1, 5):
        area.show_banner(f"message {n}")
    top = area.visible_banners()[0]
    qtbot.mouseClick(top.buttons["✕"], Qt.LeftButton)
    qtbot.waitUntil(lambda: [b.text for b in area.visible_banners()]
                    == ["message 3", "message 2", "message 1"], timeout=5000)


def test_a_repeated_message_moves_to_the_top_instead_of_stacking(qtbot, make_area):
    area = make_area()
    first = area.show_banner("disk full")
    area.show_banner("something else")
    again = area.show_banner("disk full")
    assert again is first
    assert [b.text for b in area.banners()] == ["disk full", "something else"]


def test_a_long_message_keeps_to_one_line_and_loses_nothing(qtbot, make_area):
    area = make_area(width=500)
    banner = area.show_banner(LONG, "warning", [("Save as UTF-8", lambda: None)])
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    line = banner.label.fontMetrics().height()
    assert banner.height() < 2 * line + 20, "the banner grew beyond one line"
    assert banner.label.text() == LONG and banner.label.toolTip() == LONG
    assert banner.label.is_elided()
    assert area.width() <= 500  # it did not widen its window either
