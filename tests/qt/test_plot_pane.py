"""PlotPane: a pyqtgraph view of core.plotdata that repaints on a timer, only when needed."""

from __future__ import annotations

import math

import pytest
from PyQt5.QtWidgets import QLabel, QWidget

from presenter.core.plotdata import PlotData
from presenter.qt.plot_pane import HINT, PlotPane


@pytest.fixture
def shown(qtbot):
    def make(model: PlotData) -> PlotPane:
        pane = PlotPane(model)
        qtbot.addWidget(pane)
        pane.resize(500, 400)
        pane.show()
        qtbot.waitExposed(pane)
        return pane
    return make


def curve_points(pane: PlotPane) -> list[list[tuple[float, float]]]:
    result = []
    for curve in pane.curves():
        xs, ys = curve.getData()
        result.append([(float(x), float(y)) for x, y in zip(xs, ys, strict=True)])
    return result


def test_each_series_is_a_curve_with_a_legend_entry(shown):
    model = PlotData()
    model.feed("(1, 10)\n(2, 20)\n(3, 30)\n")
    pane = shown(model)
    assert curve_points(pane) == [[(0, 1), (1, 2), (2, 3)], [(0, 10), (1, 20), (2, 30)]]
    assert pane.legend_labels() == ["value 1", "value 2"]
    assert pane.hint_text() == ""
    caption = pane.findChild(QLabel, "PlotCaption")
    plot = pane.findChild(QWidget, "PlotWidget")
    assert "value 2" in caption.text()
    assert caption.geometry().bottom() < plot.geometry().top()  # the legend covers no data


def test_the_timer_repaints_what_arrived_and_only_when_something_did(shown, qtbot):
    model = PlotData()
    pane = shown(model)
    assert pane.hint_text() == HINT  # an empty plot says how to fill it
    before = pane.refresh_count
    for n in range(300):  # 300 lines arriving one by one between two ticks
        model.feed(f"({n}, {n * n})\n")
    qtbot.waitUntil(lambda: len(pane.curves()) == 2 and len(pane.curves()[0].getData()[0]) == 300)
    assert pane.refresh_count - before <= 2  # one repaint for many lines, not one per line
    settled = pane.refresh_count
    qtbot.wait(200)  # several ticks with nothing new
    assert pane.refresh_count == settled
    assert pane.refresh() is False


def test_hidden_pane_does_not_repaint_and_catches_up_when_shown(shown, qtbot):
    model = PlotData()
    pane = shown(model)
    pane.hide()
    count = pane.refresh_count
    model.feed("(1,)\n(2,)\n")
    qtbot.wait(150)
    assert pane.refresh_count == count and pane.curves() == []
    pane.show()
    assert curve_points(pane) == [[(0, 1), (1, 2)]]


def test_series_that_end_leave_the_plot_and_the_legend(shown):
    model = PlotData(history=3)
    model.feed("(1, 2, 3)\n")
    pane = shown(model)
    assert len(pane.curves()) == 3
    model.feed("(4,)\n(5,)\n(6,)\n")
    pane.refresh()
    assert curve_points(pane) == [[(1, 4), (2, 5), (3, 6)]]
    assert pane.legend_labels() == ["value 1"]
    model.clear()
    pane.refresh()
    assert pane.curves() == [] and pane.legend_labels() == [] and pane.hint_text() == HINT


def test_inf_and_nan_leave_a_gap_instead_of_breaking_the_scale(shown):
    model = PlotData()
    model.feed("(1,)\n(inf,)\n(nan,)\n(4,)\n")
    pane = shown(model)
    (points,) = curve_points(pane)
    assert [p[1] for p in points][::3] == [1.0, 4.0]
    assert math.isnan(points[1][1]) and math.isnan(points[2][1])
    view = pane.curves()[0].getViewBox()
    view.autoRange()
    (_x0, _x1), (y0, y1) = view.viewRange()
    assert math.isfinite(y0) and math.isfinite(y1) and y1 < 10


def test_the_hint_says_when_lines_were_not_tuples_of_numbers(shown):
    model = PlotData()
    model.feed("(1, two)\n[3, 4\n")
    pane = shown(model)
    assert pane.hint_text().startswith("2 lines began with a bracket but were not tuples")


def test_colours_and_font_size_apply_to_plot_legend_and_new_curves(shown):
    model = PlotData()
    model.feed("(1, 2)\n")
    pane = shown(model)
    pane.set_colours({"paper": "#000000", "text": "#ffffff", "grid": "#808080"},
                     ["#ffff00", "#00ffff"])
    pane.set_font_size(20)
    assert pane.background() == "#000000"
    assert pane.tick_font_size() == 20
    assert [c.opts["pen"].color().name() for c in pane.curves()] == ["#ffff00", "#00ffff"]
    model.feed("(1, 2, 3)\n")
    pane.refresh()
    assert pane.curves()[2].opts["pen"].color().name() == "#ffff00"  # colours repeat in turn
    assert pane.legend_labels() == ["value 1", "value 2", "value 3"]
    assert pane.legend_colours() == ["#ffff00", "#00ffff", "#ffff00"]
    assert "#00ffff" in pane.findChild(QLabel, "PlotCaption").text()
