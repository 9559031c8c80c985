"""Remember the session: open files, cursors, window geometry (and its screen), mode.

Written on every clean exit and restored on the next start, so a speaker who closes the
laptop between rehearsal and talk finds everything where it was.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from PyQt5.QtCore import QMargins, QRect
from PyQt5.QtWidgets import QApplication

from presenter.qt import placement

if TYPE_CHECKING:
    from presenter.workbench.workbench import Workbench


def capture(bench: Workbench) -> dict[str, Any]:
    """The session as plain data for the settings file."""
    tabs = bench.window.tabs
    files = []
    for editor in tabs.editors():
        if editor.info.path:
            line, index = editor.getCursorPosition()
            files.append({"path": editor.info.path, "line": line, "index": index,
                          "first_visible": editor.firstVisibleLine()})
    current = tabs.current()
    window = bench.window
    maximized = window.isMaximized()
    geometry = window.normalGeometry() if maximized else window.geometry()
    before = bench.presentation.window_before()
    if before is not None:  # presenting: the window to come back to, not the full screen
        geometry, maximized = before
    margins = placement.frame_margins(window)
    screen = window.screen() if hasattr(window, "screen") else None
    return {
        "files": files,
        "current": current.info.path if current else None,
        "geometry": {
            "x": geometry.x(), "y": geometry.y(), "w": geometry.width(), "h": geometry.height(),
            # The window manager's decoration last time: next time the frame is placed
            # with the real figures instead of a guess.
            "frame": [margins.left(), margins.top(), margins.right(), margins.bottom()],
            "maximized": maximized,
            "screen": screen.name() if screen is not None else "",
            "output_share": round(window.splitter.output_share, 3),
        },
    }


def restore_files(bench: Workbench, session: dict[str, Any]) -> list[str]:
    """Reopen the files of the last session; returns those that could not be found."""
    missing = []
    for entry in session.get("files") or []:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not path:
            continue
        if not os.path.exists(path):
            missing.append(path)
            continue
        editor = bench.files.open_path(path, select=False)
        if editor is not None:
            line = int(entry.get("line", 0))
            editor.setCursorPosition(min(line, editor.lines() - 1), int(entry.get("index", 0)))
            editor.setFirstVisibleLine(int(entry.get("first_visible", max(0, line - 5))))
            bench.window.tabs.reveal_cursor(editor)  # if the window is smaller now
    current = session.get("current")
    if current:
        editor = bench.window.tabs.find_path(current)
        if editor is not None:
            bench.window.tabs.setCurrentWidget(editor)
    return missing


def restore_geometry(bench: Workbench, geometry: dict[str, Any] | None) -> None:
    """Put the window back on the screen it was on (else the primary), whole and inside it.

    A saved size from a bigger monitor is shrunk and moved so that the whole frame, title
    bar included, fits the screen's available area; a first start gets a window that fits.
    """
    window = bench.window
    app = QApplication.instance()
    screens = app.screens() if app else []
    target = None
    rect = None
    margins = placement.FRAME_GUESS
    if isinstance(geometry, dict):
        try:
            rect = QRect(int(geometry["x"]), int(geometry["y"]), int(geometry["w"]), int(geometry["h"]))
        except (KeyError, TypeError, ValueError):
            rect = None
        margins = _saved_margins(geometry.get("frame")) or margins
        name = geometry.get("screen")
        target = next((s for s in screens if s.name() == name), None)
    if target is None:
        target = app.primaryScreen() if app else None
    if target is None:
        return
    available = target.availableGeometry()
    if rect is None or not rect.isValid() or not available.intersects(rect):
        frame = placement.default_frame(available)
    else:
        frame = placement.fit_frame(rect.marginsAdded(margins), available)
    placement.place(window, frame, margins)
    placement.KeepOnScreen(window)
    share = geometry.get("output_share") if isinstance(geometry, dict) else None
    if isinstance(share, (int, float)) and 0.05 <= share <= 0.9:
        window.splitter.set_output_share(float(share))
    if isinstance(geometry, dict) and geometry.get("maximized"):
        window.setProperty("restore_maximized", True)


def _saved_margins(value: Any) -> QMargins | None:
    """Frame margins saved by ``capture``; None if absent or not four small numbers."""
    if not isinstance(value, list) or len(value) != 4:
        return None
    try:
        numbers = [int(n) for n in value]
    except (TypeError, ValueError):
        return None
    if not all(0 <= n <= 200 for n in numbers):
        return None
    return QMargins(*numbers)
