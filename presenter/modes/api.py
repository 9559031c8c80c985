"""The Mode interface: what every mode (built-in or plugin) declares and does.

A mode declares itself in class attributes so the mode picker, the status bar and tests
can read it without activating it; behaviour lives in a few methods with safe defaults,
so the window never has to ask ``hasattr`` (Mu's anti-pattern). A plugin imports only this
module (``Mode``, ``BoardMode``, ``ActionSpec``, ``PaneSpec``, ``ModeContext``, ``Look``,
``EditorSnapshot``) and ``presenter.device``'s public names; anything else in Presenter may
change without notice. The README's "Writing a mode" walks through a whole plugin
(``plugins/presenter-esp32``).

Declarations (class attributes, read without activating the mode):

* ``id`` (unique, also the settings section ``modes.<id>``), ``name`` (the picker and the
  status bar), ``description`` (the picker, after the name), ``icon`` (a name in
  ``resources/icons`` without ".svg", or the path of your own monochrome SVG drawn with
  ``currentColor``).
* ``board_kinds``: the engine's board kinds the mode works with (``("microbit",)``; see
  ``presenter.device.BoardInfo.kind``); the window offers the mode when such a board is
  plugged in while another mode is active.
* ``panes``: ``PaneSpec``s for the panes the mode shows (a REPL, a file browser), each with
  the id of the checkable action in ``actions()`` that toggles it. The mode builds its panes
  itself, puts them in the window with ``ModeContext.place_pane`` and shows them in
  ``activate`` / hides them in ``deactivate``.

Actions: ``actions()`` rows join the window's one action table. They are shown (toolbar,
menus) only while their mode is active, and their shortcuts work only then; two modes may
offer the same action id (both board modes have ``view.repl``): the first declaration gives
its label and keys, and the active mode's ``action_handlers()`` entry runs. A mode may not
reuse the id or a key of one of Presenter's own actions (``run.run``, F5, ...).

Running code: Run (F5) calls ``run()``, Stop calls ``stop()``; the mode tells the window
with ``context.set_running(True/False)`` and writes to ``context.output_pane()``; what the
user types there arrives in ``send_input()`` (a line) and ``close_input()`` (Ctrl+D). None of
these may block: work belongs on a thread, results come back by Qt signal. ``BoardMode``
already does all of it for a MicroPython board over USB serial: a board mode is usually a
``BoardMode`` subclass with a few declarations, an ``open_board`` if its boards need a
particular ``BoardProfile``, and its own actions.

Lifecycle: the registry (``registry.py``) makes one instance of each mode at start-up;
``activate(context)`` runs when the mode is chosen, ``deactivate()`` when another is chosen
or the window closes. A mode whose import, construction, ``actions()`` or ``activate``
raises is named in a banner and the log and skipped; the window goes on without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from presenter.qt.actions import ActionSpec

if TYPE_CHECKING:
    from PyQt5.QtWidgets import QAction, QWidget

    from presenter.core.locations import SaveLocation
    from presenter.core.themes import Theme
    from presenter.modes.board import BoardMode  # noqa: F401 - given by __getattr__ below
    from presenter.modes.board_watcher import BoardWatcher
    from presenter.qt.editor import Editor
    from presenter.qt.output_pane import OutputPane


@dataclass(frozen=True)
class PaneSpec:
    """A pane a mode shows, declared so the window and tests know it without activating it.

    ``area``: "bottom" puts it beside the output pane (below the editor), "side" to the
    right of the editor and output, full height (where the plotter goes).
    ``action``: the id of the mode's checkable action that shows and hides it.
    """

    id: str
    title: str
    action: str
    area: str = "bottom"


@dataclass(frozen=True)
class Look:
    """The window's zoom and theme, for a mode styling its own panes (``apply_appearance``)."""

    theme: Theme
    ui_pt: int  # point size of menus, labels, buttons
    code_pt: int  # point size of code and program output
    code_family: str  # the editor's font family


@dataclass
class EditorSnapshot:
    """What a mode needs to run the current tab: its text and where it came from."""

    text: str
    path: str | None  # None for an untitled buffer
    title: str


class ModeContext(Protocol):
    """What the window offers a mode. Passed in, never fetched from a global."""

    settings: dict[str, Any]  # this mode's own section of the settings

    def current_editor(self) -> EditorSnapshot | None: ...
    def output_pane(self) -> OutputPane: ...
    def show_message(self, text: str, kind: str = "info") -> None: ...  # status bar
    def show_banner(self, text: str, kind: str = "info",
                    actions: list[tuple[str, Callable[[], None]]] | None = None) -> None: ...
    def set_running(self, running: bool) -> None: ...  # Run <-> Stop
    def go_to(self, path: str, line: int) -> None: ...
    def save_settings(self) -> None: ...
    def window(self) -> QWidget: ...
    def boards(self) -> BoardWatcher: ...  # plugged-in boards, app-wide; boards_changed signal
    def place_pane(self, widget: QWidget, area: str = "bottom") -> None: ...  # see PaneSpec
    def add_status_widget(self, widget: QWidget) -> None: ...  # left of the status bar's labels
    def action(self, action_id: str) -> QAction | None: ...  # e.g. to check a pane's toggle
    def look(self) -> Look: ...  # the zoom and theme now (see Mode.apply_appearance)
    # A file that lives elsewhere (a board's) in a tab that saves back there; raises
    # core.documents.DocumentError (binary, too big) for the caller to show.
    def open_location(self, location: SaveLocation, data: bytes) -> None: ...
    def open_file(self, path: str) -> None: ...  # a local file in a tab (or its tab shown)
    def editor_widget(self) -> Editor | None: ...  # the current tab (Check marks its lines)


class Mode:
    """Base class for modes. Subclasses set the attributes and override what they need."""

    # ---- Declaration (read without activating)
    id: str = ""
    name: str = ""
    description: str = ""
    icon: str = "mode"
    file_suffix: str = ".py"
    board_kinds: tuple[str, ...] = ()  # engine board kinds this mode works with
    panes: tuple[PaneSpec, ...] = ()
    # Set by the registry: the distribution the mode came from ("presenter-esp32 0.1.0"),
    # so messages about it can say whose it is.
    source: str = ""

    def __init__(self) -> None:
        self.context: ModeContext | None = None

    # ---- Lifecycle
    def activate(self, context: ModeContext) -> None:
        """Called when the user switches to this mode."""
        self.context = context

    def deactivate(self) -> None:
        """Called when leaving the mode or closing the window: stop what runs."""
        if self.is_running():
            self.stop()
        self.context = None

    # ---- Behaviour
    def actions(self) -> list[ActionSpec]:
        """Extra actions this mode adds to the table (unique shortcuts are tested).

        Presentation mode keeps only the controls a talk needs on its toolbar: Run/Stop
        and this toggle from the core, plus this mode's toolbar rows marked
        ``presenting=True`` (a board mode's Flash or Save to board). Everything else is
        hidden there, its keys still working.
        """
        return []

    def action_handlers(self) -> dict[str, Callable[[], None]]:
        return {}

    def run(self) -> None:
        """Run the current tab."""

    def stop(self) -> None:
        """Stop what run() started; must return at once (the work happens off the GUI thread)."""

    def is_running(self) -> bool:
        return False

    def send_input(self, text: str) -> None:
        """A line the user typed into the output pane while the program runs."""

    def close_input(self) -> None:
        """Ctrl+D in the output pane: end of input for the program."""

    def status_text(self) -> str:
        return self.name

    def apply_appearance(self, look: Look) -> None:
        """Zoom or theme changed (and once after ``activate``): style the mode's own panes."""


def mark_pane_toggle(context: ModeContext, action_id: str, visible: bool,
                     setting: str = "", remember: bool = True) -> None:
    """After a mode's pane was shown or hidden: its toggle action says so (menu tick, button
    state) and, with ``setting`` and ``remember``, the next start opens it the same way."""
    action = context.action(action_id)
    if action is not None:
        action.setChecked(visible)
    if setting and remember and bool(context.settings.get(setting)) != visible:
        context.settings[setting] = visible
        context.save_settings()


__all__ = ["ActionSpec", "BoardMode", "EditorSnapshot", "Look", "Mode", "ModeContext",
           "PaneSpec", "mark_pane_toggle"]


def __getattr__(name: str):
    """``BoardMode`` on first use: board.py builds on this module, so it cannot be imported
    at the top, and Python mode's start-up should not pay for it anyway."""
    if name == "BoardMode":
        from presenter.modes.board import BoardMode

        return BoardMode
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
