"""The live plot: a thin pyqtgraph view of a ``core.plotdata.PlotData`` model.

Why pyqtgraph: it is made for live data (``setData`` on a 500-point curve costs well under a
millisecond), is well kept, and speaks PyQt5. It and numpy cost about 0.1 s to import, so
this module imports them only in ``PlotPane.__init__``, and the workbench builds the pane
only when the plotter is first shown: start-up never pays.

Why a timer: the model changes with every data line. The pane repaints at most
``refresh_hz`` times a second, and only when the model's ``version`` moved, so 1,000 lines
a second cost 25 repaints, not 1,000.

Why the legend is a line of text above the plot rather than pyqtgraph's legend box: the box
sits on top of the data and hides a peak whenever it is in the corner; above the plot
it never covers anything, and it wraps when there are many series. The same line shows a
hint while there is nothing to plot.

Why the mouse does nothing: pyqtgraph's wheel zoom and drag pan switch autoscale off, so
one stray scroll over the plot on stage would leave it frozen on an old range. The plot
always autoscales to the points it holds.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PyQt5.QtCore import Qt, QTimer
from PyQt5.QtGui import QFont, QHideEvent, QShowEvent
from PyQt5.QtWidgets import QLabel, QVBoxLayout, QWidget

from presenter.core.plotdata import PlotData

HINT = "To plot, print tuples of numbers, one per line: print((x, y, z))"
LINE_WIDTH = 3  # px: thin lines vanish on a projector
SWATCH = "\u2501\u2501"  # two heavy box-drawing dashes: a piece of the series' line

DEFAULT_COLOURS = {"paper": "#ffffff", "text": "#1b1f24", "grid": "#b9b1a0"}
DEFAULT_SERIES = ("#0072b2", "#d55e00", "#00805c", "#a23b72")


class PlotPane(QWidget):
    """One curve per series of ``model``, with a legend; repaints on a timer while shown."""

    # ---- Construction

    def __init__(self, model: PlotData, parent: QWidget | None = None,
                 refresh_hz: int = 25) -> None:
        super().__init__(parent)
        import numpy  # imported here on purpose: see the module docstring
        import pyqtgraph

        self._np = numpy
        self._pg = pyqtgraph
        self.setObjectName("PlotPane")
        self._model = model
        self._shown_version = -1
        self.refresh_count = 0  # repaints done: tests prove they are not one per line
        self._colours = dict(DEFAULT_COLOURS)
        self._series_colours: tuple[str, ...] = DEFAULT_SERIES
        self._font_pt = 11

        self._caption = QLabel(HINT, self)  # the legend, or the hint while nothing is plotted
        self._caption.setObjectName("PlotCaption")
        self._caption.setWordWrap(True)
        self._caption.setTextFormat(Qt.RichText)
        self._legend_names: list[str] = []
        self._hint = HINT
        self._plot = pyqtgraph.PlotWidget(self)
        self._plot.setObjectName("PlotWidget")
        item = self._plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.5)
        item.enableAutoRange()
        self._curves: list = []  # pyqtgraph PlotDataItems, one per series, in order

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self._caption)
        layout.addWidget(self._plot, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(1000 / refresh_hz)))
        self._timer.timeout.connect(self.refresh)
        self._apply_colours()

    # ---- Public API

    def refresh(self) -> bool:
        """Draw the model if it changed since the last call; True if it did."""
        model = self._model
        if model.version == self._shown_version:
            return False
        self._shown_version = model.version
        series = model.series
        while len(self._curves) > len(series):
            self._plot.removeItem(self._curves.pop())
        while len(self._curves) < len(series):
            self._curves.append(self._plot.plot(pen=self._pen(len(self._curves))))
        np = self._np
        for curve, one in zip(self._curves, series, strict=True):
            count = len(one.xs)
            xs = np.fromiter(one.xs, dtype=float, count=count)
            ys = np.fromiter(one.ys, dtype=float, count=count)
            ys[~np.isfinite(ys)] = np.nan  # inf would blow the autoscale; nan leaves a gap
            curve.setData(xs, ys, connect="finite")
        self._update_caption([one.name for one in series])
        self.refresh_count += 1
        return True

    def curves(self) -> list:
        """The pyqtgraph curve items, one per series (tests read their ``getData()``)."""
        return list(self._curves)

    def legend_labels(self) -> list[str]:
        """The series names the legend shows, in order ([] while the hint shows)."""
        return list(self._legend_names)

    def legend_colours(self) -> list[str]:
        """The colour of each legend entry's swatch, as ``#rrggbb``."""
        return [self._colour(index) for index in range(len(self._legend_names))]

    def hint_text(self) -> str:
        """The hint above an empty plot, "" when the legend shows instead."""
        return "" if self._legend_names else self._hint

    def set_colours(self, colours: dict[str, str], series: Sequence[str]) -> None:
        """Theme colours: ``paper``, ``text`` (axes, legend), ``grid``; one per series."""
        self._colours.update({k: v for k, v in colours.items() if k in DEFAULT_COLOURS})
        self._series_colours = tuple(series) or DEFAULT_SERIES
        self._apply_colours()

    def set_font_size(self, pt: int) -> None:
        """Zoom: tick labels, legend and hint all follow the app's one zoom level."""
        self._font_pt = max(6, int(pt))
        self._apply_colours()

    def background(self) -> str:
        """The plot's paper colour as ``#rrggbb`` (tests check theming through this)."""
        return self._plot.backgroundBrush().color().name()

    def tick_font_size(self) -> int:
        font = self._plot.getPlotItem().getAxis("left").style.get("tickFont")
        return font.pointSize() if font is not None else -1

    # ---- Qt event handlers

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt name)
        super().hideEvent(event)
        self._timer.stop()  # hidden: no repaint costs at all

    # ---- Internals

    def _colour(self, index: int) -> str:
        return self._series_colours[index % len(self._series_colours)]

    def _pen(self, index: int):
        return self._pg.mkPen(self._colour(index), width=LINE_WIDTH)

    def _apply_colours(self) -> None:
        colours = self._colours
        pt = self._font_pt
        self._plot.setBackground(colours["paper"])
        font = QFont(self.font())
        font.setPointSize(pt)
        item = self._plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(colours["text"])
            axis.setTextPen(colours["text"])
            axis.setTickPen(colours["grid"])  # pyqtgraph draws the grid with the tick pen
            axis.setTickFont(font)
        for index, curve in enumerate(self._curves):
            curve.setPen(self._pen(index))
        self._caption.setFont(font)
        self._caption.setStyleSheet(f"color: {colours['text']};")
        self._update_caption(list(self._legend_names), force=True)

    def _update_caption(self, names: list[str], force: bool = False) -> None:
        """The legend for ``names``, or the hint when there are none (set only on change)."""
        if names == self._legend_names and not force and names:
            return
        self._legend_names = names
        if names:
            entries = [f'<span style="color: {self._colour(i)};">{SWATCH}</span>&nbsp;'
                       f"{html.escape(name)}" for i, name in enumerate(names)]
            self._caption.setText("&nbsp;&nbsp;&nbsp; ".join(entries))
            return
        text = HINT
        ignored = self._model.ignored_lines
        if ignored:
            lines = "line" if ignored == 1 else "lines"
            text = f"{ignored:,} {lines} began with a bracket but were not tuples of numbers. {HINT}"
        self._hint = text
        self._caption.setText(html.escape(text))
