"""Remember the session: open files, cursors, window geometry (and its screen), mode.

Written on every clean exit and restored on the next start, so a speaker who closes the
laptop between rehearsal and talk finds everything where it was.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from PyQt5.QtCore import QRect
from PyQt5.QtWidgets import QApplication

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
    geometry = window.normalGeometry() if window.isMaximized() else window.geometry()
    screen = window.screen() if hasattr(window, "screen") else None
    return {
        "files": files,
        "current": current.info.path if current else None,
        "geometry": {
            "x": geometry.x(), "y": geometry.y(), "w": geometry.width(), "h": geometry.height(),
            "maximized": window.isMaximized(),
            "screen": screen.name() if screen is not None else "",
            "output_share": _output_share(window),
        },
    }


def _output_share(window) -> float:
    """How much of the height the output pane had (the user may have dragged the divider)."""
    sizes = window.splitter.sizes()
    total = sum(sizes)
    return round(sizes[1] / total, 3) if total and len(sizes) == 2 else 0.33


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
    current = session.get("current")
    if current:
        editor = bench.window.tabs.find_path(current)
        if editor is not None:
            bench.window.tabs.setCurrentWidget(editor)
    return missing


def restore_geometry(bench: Workbench, geometry: dict[str, Any] | None) -> None:
    """Put the window back on the screen it was on; if that screen is gone, on the primary."""
    window = bench.window
    app = QApplication.instance()
    screens = app.screens() if app else []
    target = None
    rect = None
    if isinstance(geometry, dict):
        try:
            rect = QRect(int(geometry["x"]), int(geometry["y"]), int(geometry["w"]), int(geometry["h"]))
        except (KeyError, TypeError, ValueError):
            rect = None
        name = geometry.get("screen")
        target = next((s for s in screens if s.name() == name), None)
    if target is None:
        target = app.primaryScreen() if app else None
    if target is None:
        return
    available = target.availableGeometry()
    if rect is None or not rect.isValid() or not available.intersects(rect):
        width = min(1200, available.width())
        height = min(800, available.height())
        rect = QRect(0, 0, width, height)
        rect.moveCenter(available.center())
    else:
        rect.setWidth(min(rect.width(), available.width()))
        rect.setHeight(min(rect.height(), available.height()))
    window.setGeometry(rect)
    share = geometry.get("output_share") if isinstance(geometry, dict) else None
    if isinstance(share, (int, float)) and 0.05 <= share <= 0.9:
        height = rect.height()
        window.splitter.setSizes([int(height * (1 - share)), int(height * share)])
    if isinstance(geometry, dict) and geometry.get("maximized"):
        window.setProperty("restore_maximized", True)
