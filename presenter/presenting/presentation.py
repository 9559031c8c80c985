"""Presentation mode (F11): full screen, the code as big as the screen allows, nothing else.

Entering records the window and the view (``layout.capture``), hides the chrome by its
explicit list, puts a talk's few controls on the stage toolbar (the table rows marked
``presenting``: Run/Stop, a board mode's Flash, this toggle, the keystroke overlay), goes
full screen on the screen the window is on, and sizes the code from a font preset
(``presets.py``) measured on the editor itself (``fit.py``). It refits whenever the editor's
room changes: full screen arriving, a step bar appearing, another screen.

While presenting, routine banners and status messages wait (the workbench holds them),
tooltips and completion lists stay away (``quiet.py``), B and "." can blank the screen
(``stage_keys.py``), and zoom, theme and plotter changes are for the talk only.

Leaving puts back the geometry, the visible panes, both splitters' shares, the zoom, the
theme, the settings those touch and the focus, exactly; then what waited is shown.
"""

from __future__ import annotations

import copy
import logging
from typing import TYPE_CHECKING

from PyQt5.QtCore import QEvent, QObject, QRect, QTimer

from presenter.presenting import layout
from presenter.presenting.blank import Blanker
from presenter.presenting.fit import FontRuler, point_size_for
from presenter.presenting.keystrokes import KeystrokeOverlay
from presenter.presenting.presets import Preset, next_preset, preset_for_screen
from presenter.presenting.quiet import Quiet
from presenter.presenting.spotlight import Spotlight
from presenter.presenting.stage_keys import StageKeys
from presenter.presenting.state import PresentationState

if TYPE_CHECKING:
    from presenter.qt.editor import Editor
    from presenter.workbench.workbench import Workbench

log = logging.getLogger(__name__)

ACTION_ID = "present.toggle"
KEYSTROKES_ID = "present.keystrokes"
#: Settings a talk may change for its own duration; put back as they were on leaving.
TALK_SETTINGS = ("zoom", "theme", "plotter")
#: The theme to present in ("" keeps the current one) and whether the overlay is on.
THEME_KEY = "presenting.theme"
KEYSTROKES_KEY = "presenting.keystrokes"


class Presentation:
    """Presentation mode and the stage tools that go with it."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        window = bench.window
        self.state = PresentationState(window)
        self.spotlight = Spotlight(window.tabs, lambda: bench.appearance.theme.editor["paper"],
                                   window)
        self.blank = Blanker(window, self.state)
        self.keystrokes = KeystrokeOverlay(window, lambda: bench.appearance.editor_pt, window)
        self.keystrokes.suppressed = self.state.is_blank
        self._quiet = Quiet(window)
        self._stage_keys = StageKeys(self.state, self.blank.toggle, window)
        self._room_watch = _RoomWatch(self._schedule_fit, window)
        self._ruler = FontRuler(window)
        self._before: layout.WindowBefore | None = None
        self._talk_settings: dict = {}
        self._theme_before = ""
        self._preset: Preset | None = None
        self._size_steps = 0  # the speaker's Ctrl+= / Ctrl+- on top of the preset
        self._fit_pending = False

    # ---- Public API
    def is_presenting(self) -> bool:
        return self.state.is_presenting()

    def preset(self) -> Preset | None:
        return self._preset if self.is_presenting() else None

    def restore_preferences(self) -> None:
        """Once the actions exist: the keystroke overlay as the speaker last left it."""
        if self.bench.settings.get(KEYSTROKES_KEY):
            self.set_keystrokes(True)

    def toggle(self) -> None:
        """F11 and the toolbar button."""
        if self.is_presenting():
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        if self.is_presenting():
            return
        bench, window = self.bench, self.bench.window
        self._before = layout.capture(window)
        self._talk_settings = {key: copy.deepcopy(bench.settings.data.get(key))
                               for key in TALK_SETTINGS}
        self._theme_before = bench.appearance.theme.name
        bench.appearance.persist = False
        self.state.set_presenting(True)  # from here on, banners and messages wait
        layout.hide_chrome(window)
        self._hide_side_panes()
        window.set_stage_actions(bench.stage_actions())
        window.stage_toolbar.show()
        theme = bench.settings.get(THEME_KEY) or ""
        if theme and theme != bench.appearance.theme.name:
            bench.appearance.set_theme(theme, announce=False)
        self._quiet.start(window.tabs.editors())
        self._stage_keys.set_active(True)
        self._preset = preset_for_screen(*self._screen_size())
        self._size_steps = 0
        self._set_checked(True)
        window.showFullScreen()
        self._room_watch.watch(window.tabs)
        self._fit_now()
        self.state.set_preset(self._preset.name)
        log.info("presenting with the %s preset", self._preset.name)

    def leave(self, move_window: bool = True) -> None:
        """Back to the window as it was. ``move_window`` False: the window is closing."""
        if not self.is_presenting() or self._before is None:
            return
        bench, window = self.bench, self.bench.window
        self.blank.set_blank(False)
        self._room_watch.watch(None)
        self._stage_keys.set_active(False)
        self._quiet.stop(window.tabs.editors())
        window.stage_toolbar.hide()
        if bench.appearance.theme.name != self._theme_before:
            bench.appearance.set_theme(self._theme_before, announce=False)
        bench.appearance.set_code_size(None)
        bench.appearance.persist = True
        if bench.plotter.is_visible():
            bench.plotter.set_visible(False, remember=False)
        plotter_pane = bench.plotter.pane
        for pane, shown in self._before.panes:
            if pane is plotter_pane and shown:
                bench.plotter.set_visible(True, remember=False)
        layout.restore(window, self._before, move_window)
        self._restore_talk_settings()
        self._before = None
        self._set_checked(False)
        self.state.set_preset("")
        self.state.set_presenting(False)  # the workbench now shows what waited

    def next_preset(self) -> None:
        """Shift+F11: the next font preset (the sizes in between are Ctrl+= and Ctrl+-)."""
        if not self.is_presenting():
            self.bench.show_message("Font presets size the code in presentation mode (F11).")
            return
        self._preset = next_preset(self._preset)
        self._size_steps = 0
        self._fit_now()
        self.state.set_preset(self._preset.name)

    def zoom_code(self, steps: int) -> None:
        """Ctrl+= / Ctrl+- while presenting: the code one size up or down, for this talk."""
        self._size_steps += steps
        self._fit_now()

    def reset_code_zoom(self) -> None:
        """Ctrl+0 while presenting: back to the preset's own size."""
        self._size_steps = 0
        self._fit_now()

    def set_keystrokes(self, enabled: bool) -> None:
        self.keystrokes.set_enabled(enabled)
        action = self.bench.actions.get(KEYSTROKES_ID)
        if action is not None:
            action.setChecked(enabled)

    def toggle_keystrokes(self) -> None:
        """The toolbar toggle; remembered as a preference, in and out of talks."""
        enabled = not self.keystrokes.is_enabled()
        self.set_keystrokes(enabled)
        self.bench.settings.set(KEYSTROKES_KEY, enabled)
        self.bench.save_settings()

    def prepare_editor(self, editor: Editor) -> None:
        """A tab opened during the talk is quiet too."""
        self._quiet.quiet_editor(editor)

    def mode_changed(self) -> None:
        """Another mode brings other controls to the stage toolbar."""
        if self.is_presenting():
            self.bench.window.set_stage_actions(self.bench.stage_actions())

    def fitted_size(self) -> int | None:
        """The code's point size for the current preset in the editor's room as it is now
        (with the speaker's Ctrl+= / Ctrl+- steps); None when not presenting."""
        if not self.is_presenting() or self._preset is None:
            return None
        tabs = self.bench.window.tabs
        editor = tabs.current()
        if editor is None:
            return None
        longest = max(e.lines() for e in tabs.editors())
        family = self.bench.settings.get("editor.font_family", "DejaVu Sans Mono")
        return point_size_for(editor, self._ruler, family, self._preset, longest) + self._size_steps

    def window_before(self) -> tuple[QRect, bool] | None:
        """While presenting: the window's normal geometry and maximized state from before,
        which is what the session must remember (not the full-screen geometry)."""
        if self._before is None:
            return None
        return QRect(self._before.normal), self._before.maximized

    # ---- Internals
    def _screen_size(self) -> tuple[int, int]:
        screen = self.bench.window.screen()
        size = screen.geometry().size()
        return size.width(), size.height()

    def _hide_side_panes(self) -> None:
        plotter = self.bench.plotter
        for pane in layout.side_panes(self.bench.window):
            if pane is plotter.pane:
                plotter.set_visible(False, remember=False)
            else:
                pane.hide()

    def _set_checked(self, checked: bool) -> None:
        action = self.bench.actions.get(ACTION_ID)
        if action is not None:
            action.setChecked(checked)

    def _schedule_fit(self) -> None:
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self._fit_now)

    def _fit_now(self) -> None:
        self._fit_pending = False
        points = self.fitted_size()
        if points is not None:
            self.bench.appearance.set_code_size(points)

    def _restore_talk_settings(self) -> None:
        settings = self.bench.settings
        if all(settings.data.get(k) == v for k, v in self._talk_settings.items()):
            return
        for key, value in self._talk_settings.items():
            settings.data[key] = copy.deepcopy(value)
        self.bench.save_settings()


class _RoomWatch(QObject):
    """Calls back when the watched widget (the tabs, holding the editors) changes size."""

    def __init__(self, changed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._changed = changed
        self._widget = None

    def watch(self, widget) -> None:
        if self._widget is not None:
            self._widget.removeEventFilter(self)
        self._widget = widget
        if widget is not None:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Resize:
            self._changed()
        return False
