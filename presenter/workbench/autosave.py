"""Autosave of unsaved buffers to the recovery store, and restoring them after a crash.

Autosave never writes over the user's own file: it writes to the recovery folder, every
few seconds, only for buffers with unsaved changes. A clean save or a deliberate
discard removes the copy; a crash or ``kill -9`` leaves it for the next start.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from PyQt5.QtCore import QTimer

from presenter.core.indentation import detect_indent_unit
from presenter.core.recovery import RecoveryStore

if TYPE_CHECKING:
    from presenter.qt.editor import Editor
    from presenter.workbench.workbench import Workbench

log = logging.getLogger(__name__)


class Autosaver:
    """Periodically copies dirty buffers into the recovery store."""

    def __init__(self, bench: Workbench, interval_s: float) -> None:
        self.bench = bench
        self.store = RecoveryStore()
        self.timer = QTimer(bench.window)
        self.timer.setInterval(max(1000, int(interval_s * 1000)))
        self.timer.timeout.connect(self.save_now)
        self._failed_once = False
        self.recovered: list[Editor] = []

    def start(self) -> None:
        self.timer.start()

    def save_now(self) -> None:
        for editor in self.bench.window.tabs.editors():
            if editor.isModified():
                self._save(editor)
        self.bench.save_session_if_changed()

    def _save(self, editor: Editor) -> None:
        info = editor.info
        try:
            # A board's file comes back as an untitled buffer named after it (recovery_title):
            # the board may not be there after a crash, but the text must be.
            self.store.save(info.buffer_id, editor.text(), path=info.path, title=info.recovery_title,
                            encoding=info.encoding, newline=info.newline,
                            cursor=editor.getCursorPosition())
        except OSError as exc:
            log.error("autosave of %s failed: %s", info.title, exc)
            if not self._failed_once:
                self._failed_once = True
                self.bench.show_banner(f"Autosave to the recovery folder failed: {exc}. "
                                       "Save your work with Ctrl+S.", "error")

    def discard(self, editor: Editor) -> None:
        try:
            self.store.discard(editor.info.buffer_id)
        except OSError as exc:
            log.warning("could not discard recovery copy of %s: %s", editor.info.title, exc)

    def restore_pending(self) -> int:
        """Reopen buffers a crashed session left behind; returns how many were restored."""
        try:
            pending = self.store.pending()
        except OSError as exc:
            log.error("could not read the recovery folder: %s", exc)
            return 0
        if not pending:
            return 0
        try:
            ids = self.store.claim(pending)
        except OSError as exc:
            log.error("could not claim recovered buffers: %s", exc)
            return 0
        restored = 0
        restored_paths: set[str] = set()
        for item, buffer_id in zip(pending, ids, strict=True):
            if not buffer_id:
                continue  # another Presenter claimed it first
            editor = None
            if item.path and os.path.exists(item.path) and item.path not in restored_paths:
                editor = self.bench.files.open_path(item.path)
            elif item.path in restored_paths:  # two crashed copies of one file: keep both
                item.title, item.path = f"{item.title} (recovered {restored + 1})", None
            if editor is None:
                editor = self.bench.files.new_file()
                if item.path:
                    editor.info.path = item.path
                else:
                    editor.info.untitled_name = item.title
                editor.info.encoding = item.encoding or "utf-8"
                editor.info.newline = item.newline or "\n"
            editor.info.buffer_id = buffer_id
            if item.path:
                restored_paths.add(item.path)
            editor.setText(item.text)
            editor.set_indent_unit(detect_indent_unit(item.text))
            editor.setModified(True)
            line, index = item.cursor if item.cursor else (0, 0)
            editor.setCursorPosition(line, index)
            self.bench.window.tabs.refresh_title(editor)
            self.bench.window.tabs.reveal_cursor(editor)
            self.recovered.append(editor)
            restored += 1
        return restored

    def announce_recovered(self) -> None:
        """Say what was recovered, in a banner that goes once the user has dealt with it.

        The banner asks the user to save or close the recovered buffers; once every one of
        them is saved (or undone back to the file) or closed, it has nothing left to say,
        and a stale banner on a projector is clutter, so it dismisses itself.
        """
        pending = {id(editor) for editor in self.recovered}
        if not pending:
            return
        count = len(pending)
        banner = self.bench.show_banner(
            f"Recovered {count} unsaved buffer{'s' if count != 1 else ''} from the last "
            "session (it did not close cleanly). They are marked unsaved: save or close them.",
            "info")

        def settled(key: int) -> None:
            pending.discard(key)
            if not pending:
                banner.dismiss()

        for editor in self.recovered:
            key = id(editor)
            editor.modificationChanged.connect(lambda dirty, k=key: None if dirty else settled(k))
        self.bench.window.tabs.editor_removed.connect(lambda editor: settled(id(editor)))

    def shutdown(self) -> None:
        self.timer.stop()
        try:
            self.store.clean_shutdown()
        except OSError as exc:
            log.warning("recovery store shutdown: %s", exc)
