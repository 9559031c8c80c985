"""Notice when an open file changes or disappears on disk, and offer to reload.

Polling a few files' size and mtime every two seconds is cheap and works on every
platform and network drive, unlike file-system notification APIs. The buffer is never
replaced without the user asking.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PyQt5.QtCore import QTimer

from presenter.core.documents import file_signature, has_changed_on_disk

if TYPE_CHECKING:
    from presenter.qt.editor import Editor
    from presenter.workbench.workbench import Workbench


class DiskWatcher:
    def __init__(self, bench: Workbench, interval_ms: int = 2000) -> None:
        self.bench = bench
        self.timer = QTimer(bench.window)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()

    def check(self) -> None:
        for editor in self.bench.window.tabs.editors():
            info = editor.info
            if not info.path or info.signature is None:
                continue
            state = has_changed_on_disk(info.path, info.signature)
            if state == "same" and info.disk_state_reported == "same":
                self._refresh_if_touched(editor)
                continue
            if state == info.disk_state_reported:
                continue
            info.disk_state_reported = state
            if state == "changed":
                self._offer_reload(editor)
            elif state == "deleted":
                editor.setModified(True)  # the text now exists only here: protect it
                self.bench.show_banner(
                    f"{info.title} was deleted or moved on disk. Your text is kept here; "
                    "save to write it back.", "warning")

    def _refresh_if_touched(self, editor: Editor) -> None:
        """Same bytes, new mtime (a ``touch``): remember the new stat so polls stay cheap."""
        try:
            current = os.stat(editor.info.path)
        except OSError:
            return
        signature = editor.info.signature
        if (current.st_mtime_ns, current.st_size) != (signature.mtime_ns, signature.size):
            editor.info.signature = file_signature(editor.info.path) or signature

    def _offer_reload(self, editor: Editor) -> None:
        title = editor.info.title
        if editor.isModified():
            text = f"{title} changed on disk, and you have unsaved changes here."
        else:
            text = f"{title} changed on disk."

        def keep() -> None:
            editor.info.signature = file_signature(editor.info.path)
            editor.info.disk_state_reported = "same"

        self.bench.show_banner(text, "warning", [
            ("Reload", lambda: self.bench.files.reload(editor)),
            ("Keep mine", keep),
        ])
