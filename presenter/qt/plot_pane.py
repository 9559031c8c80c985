"""The live plot: a thin pyqtgraph view of a ``core.plotdata.PlotData`` model.

Why pyqtgraph: it is made for live data (``setData`` on a 500-point curve costs well under a
millisecond), is well kept, and speaks PyQt5. It and numpy cost about 0.1 s to import, so
this module imports them only in ``PlotPane.__init__``, and the workbench builds the pane
only when the plotter is first shown: start-up never pays.

Why a timer: the model changes with every data line. The pane repaints at most
``refresh_hz`` times a second, and only when the model's ``version`` moved, so 1,000 lines
a second cost 25 repaints, not 1,000.

Why the mouse does nothing: pyqtgraph's wheel zoom and drag pan switch autoscale off, so
one stray scroll over the plot on stage would leave it frozen on an old range. The plot
always autoscales to the points it holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from PyQt5.QtCore import QTimer
from PyQt5.QtGui import QColor, QFont, QHideEvent, QShowEvent
from PyQt5.QtWidgets import QLabel, QVBoxLayout, QWidget

from presenter.core.plotdata import PlotData

HINT = "Print tuples of numbers, one per line, to plot them: print((x, y, z))"
LINE_WIDTH = 3  # px: thin lines vanish on a projector

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

        self._hint = QLabel(HINT, self)
        self._hint.setObjectName("PlotHint")
        self._hint.setWordWrap(True)
        self._plot = pyqtgraph.PlotWidget(self)
        self._plot.setObjectName("PlotWidget")
        item = self._plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.5)
        item.enableAutoRange()
        self._legend = item.addLegend(offset=(10, 5))
        self._curves: list = []  # pyqtgraph PlotDataItems, one per series, in order

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self._hint)
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
            curve = self._curves.pop()
            self._legend.removeItem(curve)
            self._plot.removeItem(curve)
        while len(self._curves) < len(series):
            index = len(self._curves)
            curve = self._plot.plot(name=series[index].name, pen=self._pen(index))
            self._curves.append(curve)
        np = self._np
        for curve, one in zip(self._curves, series, strict=True):
            count = len(one.xs)
            xs = np.fromiter(one.xs, dtype=float, count=count)
            ys = np.fromiter(one.ys, dtype=float, count=count)
            ys[~np.isfinite(ys)] = np.nan  # inf would blow the autoscale; nan leaves a gap
            curve.setData(xs, ys, connect="finite")
        self._update_hint()
        self.refresh_count += 1
        return True

    def curves(self) -> list:
        """The pyqtgraph curve items, one per series (tests read their ``getData()``)."""
        return list(self._curves)

    def legend_labels(self) -> list[str]:
        return [label.text for _sample, label in self._legend.items]

    def hint_text(self) -> str:
        """What the line above the plot says, "" when it is hidden."""
        return self._hint.text() if not self._hint.isHidden() else ""

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

    def _pen(self, index: int):
        colour = self._series_colours[index % len(self._series_colours)]
        return self._pg.mkPen(colour, width=LINE_WIDTH)

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
        paper = QColor(colours["paper"])
        paper.setAlpha(210)  # the legend sits over the data: let the lines show through
        self._legend.setBrush(paper)
        self._legend.setPen(colours["grid"])
        self._legend.setLabelTextColor(colours["text"])
        self._legend.setLabelTextSize(f"{pt}pt")
        for index, curve in enumerate(self._curves):
            curve.setPen(self._pen(index))
        # Labels keep their old size until re-rendered: rebuild the entries.
        self._legend.clear()
        for curve in self._curves:
            self._legend.addItem(curve, curve.name())
        self._hint.setFont(font)
        self._hint.setStyleSheet(f"color: {colours['text']};")
        self._update_hint()

    def _update_hint(self) -> None:
        model = self._model
        if model.series:
            self._hint.hide()
            return
        text = HINT
        if model.ignored_lines:
            lines = "line" if model.ignored_lines == 1 else "lines"
            text = (f"{model.ignored_lines:,} {lines} began with a bracket but were not tuples "
                    f"of numbers. {HINT}")
        self._hint.setText(text)
        self._hint.show()
