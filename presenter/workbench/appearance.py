"""One zoom level and one theme for the whole window.

Zoom is a number of steps, stored once; every pane, the toolbar and the status bar derive
their size from it, so nothing is left small on a projector. Themes come from files in
themes/ (a Qt stylesheet plus editor colours as data) and from the user's themes/ folder
beside settings.json; the Theme button cycles through them (see core/themes.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PyQt5.QtWidgets import QApplication, QWidget

from presenter.core.themes import Theme, ThemeError, available_themes, load_theme
from presenter.qt import icons

if TYPE_CHECKING:
    from presenter.qt.editor import Editor
    from presenter.workbench.workbench import Workbench

log = logging.getLogger(__name__)

ZOOM_MIN, ZOOM_MAX = -6, 30
CODE_PT_MIN, CODE_PT_MAX = 6, 96
UI_BASE_PT = 11
ICON_BASE = 32


class Appearance:
    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self.zoom = _clamp(int(bench.settings.get("zoom", 0) or 0))
        self._reported: set[str] = set()  # problems with user themes, each told once
        self.theme_names = self._scan()
        self.theme: Theme = self._load(bench.settings.get("theme", "day"))
        # Presentation mode sets the code's size from a projector preset, for the talk only:
        # the editor and output pane take it, the rest of the window keeps the zoom level.
        self.code_pt: int | None = None
        # False during a talk: theme and zoom changes then last until it ends, unsaved.
        self.persist = True

    def _load(self, name: str) -> Theme:
        try:
            return load_theme(name)
        except ThemeError as exc:
            log.warning("theme %s: %s", name, exc)
            if name != "day":
                self.bench.show_banner(f"{exc} Using the day theme.", "warning")
                return load_theme("day")
            raise

    # ---- Sizes derived from the one zoom level
    @property
    def editor_pt(self) -> int:
        if self.code_pt is not None:
            return self.code_pt
        return max(6, int(self.bench.settings.get("editor.base_font_size", 14)) + self.zoom)

    @property
    def ui_pt(self) -> int:
        return max(7, UI_BASE_PT + self.zoom)

    @property
    def icon_px(self) -> int:
        return max(16, ICON_BASE + 2 * self.zoom)

    @property
    def close_px(self) -> int:
        """Tab close buttons: a little bigger than the tab text, so they can be hit."""
        return max(14, round(self.ui_pt * 1.4))

    # ---- Changing them
    def zoom_by(self, steps: int) -> None:
        self.set_zoom(self.zoom + steps)

    def set_zoom(self, zoom: int) -> None:
        self.zoom = _clamp(zoom)
        self.apply()
        if self.persist:
            self.bench.settings.set("zoom", self.zoom)
            self.bench.save_settings()  # the status bar's zoom label says the new level, once

    def set_code_size(self, points: int | None) -> None:
        """Code (editor and output) at ``points`` whatever the zoom; None: back to the zoom."""
        points = None if points is None else max(CODE_PT_MIN, min(CODE_PT_MAX, int(points)))
        if points != self.code_pt:
            self.code_pt = points
            self.apply()

    def next_theme(self) -> None:
        names = self.theme_names = self._scan()  # a theme dropped in meanwhile joins now
        current = names.index(self.theme.name) if self.theme.name in names else -1
        self.set_theme(names[(current + 1) % len(names)])

    def _scan(self) -> list[str]:
        """The cycle: built-ins, then the user's themes; a malformed one is named once."""
        names, problems = available_themes()
        for problem in problems:
            text = str(problem)
            if text not in self._reported:
                self._reported.add(text)
                self.bench.show_banner(text, "warning")  # logged there too
        return names

    def set_theme(self, name: str, announce: bool = True) -> None:
        self.theme = self._load(name)
        self.apply()
        if self.persist:
            self.bench.settings.set("theme", self.theme.name)
            self.bench.save_settings()
        if announce and self.persist:  # a talk's own theme is not news after the talk
            self.bench.show_message(f"Theme: {self.theme.label}")

    # ---- Applying them
    def apply(self) -> None:
        window = self.bench.window
        app = QApplication.instance()
        if app is not None:
            app.setStyleSheet(self.theme.stylesheet(self.ui_pt) + self._code_pane_rule())
        for editor in window.tabs.editors():
            self.style_editor(editor)
        window.output.set_colours(self.theme.output)
        window.output.set_ansi_palette(self.theme.ansi_palette())
        window.output.set_font_size(self.editor_pt)
        window.set_icon_size(self.icon_px)
        window.set_overflow_icon(self.icon("more"))
        ui = self.theme.ui
        window.tabs.set_close_icons(self.icon("close", ui.get("tab_text")),
                                    self.icon("close", ui.get("tab_active_text")), self.close_px)
        self.bench.refresh_icons()
        window.zoom_label.setText(zoom_text(self.zoom))
        self.bench.plotter.apply_appearance()
        self.bench.presentation.spotlight.restyle()
        self.bench.demos.apply_appearance()
        if self.bench.mode is not None:
            self.bench.mode.apply_appearance(self.bench.look())
        # On X11 some widgets (toolbar, output pane) kept their old background until the
        # next expose; ask every widget for a repaint so a theme switch is complete at once.
        for widget in window.findChildren(QWidget):
            widget.update()
        window.update()

    def _code_pane_rule(self) -> str:
        """Panes that show code or program output use the editor's size, not the UI's.

        A stylesheet rule wins over setFont() once the sheet is polished, so the size has
        to be part of the sheet itself.
        """
        family = self.bench.settings.get("editor.font_family", "DejaVu Sans Mono")
        return (f'\nQPlainTextEdit#OutputPane {{ font-family: "{family}"; '
                f"font-size: {self.editor_pt}pt; }}\n")

    def style_editor(self, editor: Editor) -> None:
        family = self.bench.settings.get("editor.font_family", "DejaVu Sans Mono")
        editor.apply_font(family, self.editor_pt)
        editor.apply_theme({**self.theme.editor, **self.theme.debug}, self.theme.tokens)
        editor.set_caret_width(self.theme.caret_width)
        editor.problems.set_colours(self.theme.banner)

    def icon(self, name: str, colour: str | None = None):
        return icons.icon(name, colour or self.theme.ui.get("text", "#333333"))

    def run_icon(self, running: bool):
        """The big Run/Stop button's glyph, in the colour its own background calls for."""
        if running:
            return icons.icon("square", self.theme.ui.get("stop_text", "#ffffff"))
        return icons.icon("play", self.theme.ui.get("run_text", "#ffffff"))


def zoom_text(zoom: int) -> str:
    """The status bar's one mention of the zoom level."""
    return f"Zoom {zoom:+d}" if zoom else "Zoom 0"


def _clamp(zoom: int) -> int:
    return max(ZOOM_MIN, min(ZOOM_MAX, zoom))
