"""What demo mode (presenting/) may use of the window: tabs, modes, Run, messages.

``presenting`` must not import the workbench, so the workbench hands it this adapter, as
it hands modes a ModeContext. Sample demos for File > Open Sample Demo are listed here too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PyQt5.QtCore import QTimer
from PyQt5.QtWidgets import QApplication, QWidget

from presenter import paths
from presenter.core.demo import MAX_SPEED, MIN_SPEED, parse_demo
from presenter.qt.editor import Editor

if TYPE_CHECKING:
    from presenter.workbench.workbench import Workbench

log = logging.getLogger(__name__)

#: How long a demo waits for a program to stop before running the next one or switching mode.
STOP_WAIT_MS = 5000
_POLL_MS = 50


class DemoHost:
    """The workbench as demo mode sees it (see presenting.demo_controller.DemoHost)."""

    def __init__(self, bench: Workbench) -> None:
        self._bench = bench

    # ---- The player's stage
    def new_demo_editor(self, name: str, text: str) -> Editor:
        """A tab for the demo's file ``name``; the one an earlier run of a demo left, if open.

        Rehearsing a demo five times must not leave five tabs called words.py: the earlier
        run's tab (unsaved, with that name) is taken over, its text replaced as one undo
        step, so Ctrl+Z there still brings the old text back.
        """
        tabs = self._bench.window.tabs
        for editor in tabs.editors():
            if editor.info.path is None and editor.info.untitled_name == name:
                if editor.text() != text:
                    editor.beginUndoAction()
                    editor.selectAll()
                    editor.replaceSelectedText(text)
                    editor.endUndoAction()
                return editor
        return self._bench.files.new_file(text, name=name)

    def has_editor(self, editor: Editor) -> bool:
        return self._bench.window.tabs.indexOf(editor) >= 0

    def show_editor(self, editor: Editor) -> None:
        tabs = self._bench.window.tabs
        if tabs.current() is editor:
            return
        typing_in_code = isinstance(QApplication.focusWidget(), Editor)
        tabs.setCurrentWidget(editor)
        if typing_in_code:  # the speaker's keys follow the tab the audience now sees
            editor.setFocus()

    def switch_mode(self, mode_id: str) -> str | None:
        bench = self._bench
        mode = next((m for m in bench.modes if m.id == mode_id), None)
        if mode is None:
            have = ", ".join(m.name for m in bench.modes) or "none"
            return (f"This demo is written for the “{mode_id}” mode, which is not installed "
                    f"here (modes: {have}). Its code is typed, but not run.")
        if mode is bench.mode:
            return None

        self._after_stop(lambda: bench.switch_mode(mode))
        return None

    def current_mode(self) -> str | None:
        return self._bench.mode.id if self._bench.mode else None

    def run_current(self, mode_id: str | None) -> None:
        bench = self._bench

        def run() -> None:
            if bench.mode is None:
                return
            if mode_id and bench.mode.id != mode_id:
                # micro:bit code run by Python would only show a traceback to the room.
                bench.show_message(f"Not run: this step is for the “{mode_id}” mode, which "
                                   "is not installed here.", "warning")
                return
            bench.mode.run()

        self._after_stop(run)

    def show_message(self, text: str, kind: str = "info") -> None:
        self._bench.show_message(text, kind)

    def show_banner(self, text: str, kind: str = "info",
                    actions: list[tuple[str, Callable[[], None]]] | None = None) -> None:
        self._bench.show_banner(text, kind, actions)

    # ---- Demo mode's other needs
    def main_window(self) -> QWidget:
        return self._bench.window

    def open_as_text(self, path: str, line: int | None = None) -> None:
        editor = self._bench.files.open_path(path)
        if editor is not None and line:
            editor.go_to_line(line)

    def speed_setting(self) -> int:
        value = self._bench.settings.get("demo.speed", 30)
        if isinstance(value, int) and (value == 0 or MIN_SPEED <= value <= MAX_SPEED):
            return value
        return 30

    def save_speed_setting(self, speed: int) -> None:
        self._bench.settings.set("demo.speed", speed)
        self._bench.save_settings()

    def style_editor(self, editor: Editor) -> None:
        self._bench.appearance.style_editor(editor)

    def look(self) -> tuple[dict[str, str], int, int]:
        appearance = self._bench.appearance
        return dict(appearance.theme.ui), appearance.editor_pt, appearance.ui_pt

    # ---- Internals
    def _after_stop(self, then: Callable[[], object], waited_ms: int = 0) -> None:
        """Do ``then`` now, or once the running program has stopped (asked to stop now)."""
        bench = self._bench
        if not bench.is_running():
            then()
            return
        if waited_ms == 0:
            bench.stop()
        if waited_ms >= STOP_WAIT_MS:
            bench.show_message("The program did not stop in time; press Stop, then Run.",
                               "warning")
            return
        QTimer.singleShot(_POLL_MS, lambda: self._after_stop(then, waited_ms + _POLL_MS))


#: Samples are listed in the order the mode picker lists the modes.
_MODE_ORDER = {"python": 0, "microbit": 1, "pico": 2}


def sample_demos(folder: Path | None = None) -> list[tuple[str, str]]:
    """(title, path) of the demo files shipped in resources/demos: Python, micro:bit, Pico."""
    try:
        folder = folder or paths.resources_dir() / "demos"
    except FileNotFoundError:
        return []
    found = []
    for path in sorted(folder.glob("*.py")):
        try:
            demo = parse_demo(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError, ValueError):
            continue  # not a demo (hello.py), or a broken one: not offered
        found.append((_MODE_ORDER.get(demo.mode or "python", 9), demo.title, str(path)))
    return [(title, path) for _order, title, path in sorted(found)]
