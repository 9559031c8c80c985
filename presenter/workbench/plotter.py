"""The Plotter toggle: what any mode prints as tuples of numbers, drawn live beside the output.

Why it listens to the output pane rather than to a mode: every mode (Python now, the board
modes next) shows its output in the one ``OutputPane``, which emits each painted batch as
``output_appended``. Tapping there means no mode has to know the plotter exists, and the
plotter inherits the pane's flood guarantees: one call per batch, never one per line.

While the plotter is hidden it is not fed (a flood costs nothing extra); it plots what is
printed while it is shown. A new run clears the output pane, and with it the plot.
The pane, and so pyqtgraph, is built the first time the plotter is shown.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PyQt5.QtCore import QTimer

from presenter.core.output import INFO, LINE_RESET, STDOUT
from presenter.core.plotdata import PlotData

if TYPE_CHECKING:
    from presenter.qt.plot_pane import PlotPane
    from presenter.workbench.workbench import Workbench

log = logging.getLogger(__name__)

ACTION_ID = "view.plotter"
VISIBLE_KEY = "plotter.visible"
SHARE_KEY = "plotter.share"  # of the window's width; the user's last drag of the divider
SHARE_RANGE = (0.15, 0.8)


class Plotter:
    """Owns the plot model, builds the pane on first show, and keeps the toggle's state."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self.model = PlotData()
        self.pane: PlotPane | None = None
        self._feeding = False
        bench.window.output.cleared.connect(self.model.clear)

    # ---- Public API

    def toggle(self) -> None:
        """The toolbar button, the View menu entry and Ctrl+Shift+P."""
        self.set_visible(not self.is_visible())

    def is_visible(self) -> bool:
        return self.pane is not None and not self.pane.isHidden()

    def set_visible(self, visible: bool, remember: bool = True) -> None:
        if visible and self.pane is None and not self._build():
            visible = False
        if self.pane is not None:
            self.pane.setVisible(visible)
        self._feed(visible)
        action = self.bench.actions.get(ACTION_ID)
        if action is not None:
            action.setChecked(visible)
        if remember and bool(self.bench.settings.get(VISIBLE_KEY)) != visible:
            self.bench.settings.set(VISIBLE_KEY, visible)
            self.bench.save_settings()

    def restore(self) -> None:
        """At start-up: show the plotter again if it was shown when Presenter closed.

        Deferred to the first turn of the event loop, so the window appears before the
        plotting library is loaded.
        """
        if self.bench.settings.get(VISIBLE_KEY):
            QTimer.singleShot(0, lambda: self.set_visible(True, remember=False))

    def apply_appearance(self) -> None:
        """Theme colours and the zoom level's font size (called by Appearance.apply)."""
        if self.pane is None:
            return
        appearance = self.bench.appearance
        theme = appearance.theme
        self.pane.set_colours(theme.plot, theme.plot_series)
        self.pane.set_font_size(appearance.ui_pt)

    # ---- Internals

    def _build(self) -> bool:
        try:
            from presenter.qt.plot_pane import PlotPane

            pane = PlotPane(self.model)
        except ImportError as exc:
            log.error("plotter unavailable: %s", exc)
            self.bench.show_banner(
                f"The plotter needs the pyqtgraph package, which could not be loaded ({exc}). "
                "Install it with: pip install pyqtgraph", "error")
            return False
        area = self.bench.window.side_area
        area.addWidget(pane)
        share = self.bench.settings.get(SHARE_KEY, 0.4)
        if not isinstance(share, (int, float)) or not SHARE_RANGE[0] <= share <= SHARE_RANGE[1]:
            share = 0.4
        width = sum(area.sizes()) or area.width()
        area.setSizes([round(width * (1 - share)), round(width * share)])
        area.splitterMoved.connect(self._remember_share)
        self.pane = pane
        self.apply_appearance()
        return True

    def _remember_share(self, *_args) -> None:
        """Kept in the settings, written with them when the window closes."""
        sizes = self.bench.window.side_area.sizes()
        if len(sizes) == 2 and sum(sizes):
            self.bench.settings.set(SHARE_KEY, round(sizes[1] / sum(sizes), 3))

    def _feed(self, on: bool) -> None:
        if on == self._feeding:
            return
        output = self.bench.window.output
        if on:
            output.output_appended.connect(self._on_output)
        else:
            output.output_appended.disconnect(self._on_output)
            self.model.drop_unfinished_line()
        self._feeding = on

    def _on_output(self, chunks: list[tuple[str, str]]) -> None:
        model = self.model
        for stream, text in chunks:
            if stream == STDOUT:
                model.feed(text)
            elif stream == INFO:
                model.end_line()  # an info line (exit status) always starts a line of its own
            elif stream == LINE_RESET:
                model.drop_unfinished_line()  # the program is rewriting it (\r): not data yet
