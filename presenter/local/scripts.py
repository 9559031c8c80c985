"""Where a tab's code runs from: the file itself, or a private copy named after the tab.

Run, Run in REPL and the debugger all run what the tab shows, saved or not, without a Save
dialog. Qt-free, shared by all three:

* a saved file whose text on disk is what the tab shows runs in place;
* anything else (unsaved changes, an untitled tab) is written to a private temp folder
  (mode 0700) under the tab's own name (``untitled-1.py``, ``demo.py``), so tracebacks read
  naturally; a copy of a saved file runs in the file's folder and still imports its
  neighbours (``extra_path``), an untitled one runs in ``untitled_cwd`` (the home folder).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

from presenter.core.tracebacks import UNTITLED_PREFIX


@dataclass(frozen=True)
class PreparedScript:
    """What to run and where."""

    script: str  # the file to run
    cwd: str  # the folder to run it in
    alias: str  # what tracebacks should name instead of ``script`` ("" when it is the file)
    extra_path: str  # a folder to put on PYTHONPATH ("" if none)


class ScriptCopies:
    """Prepares scripts for one runner; ``cleanup()`` removes its temp folder."""

    def __init__(self, untitled_cwd: str | None = None) -> None:
        self.untitled_cwd = untitled_cwd
        self._temp_dir: str | None = None

    def prepare(self, source: str, path: str | None, title: str) -> PreparedScript:
        """The script for ``source`` (the text of the tab ``title``, saved at ``path`` or not)."""
        if path:
            real = Path(path).resolve()
            try:
                if real.read_bytes() == source.encode("utf-8"):
                    return PreparedScript(str(real), str(real.parent), "", "")
            except OSError:
                pass  # gone or unreadable: run the buffer from a temp copy
            script = self._write_temp(real.name, source)
            return PreparedScript(script, str(real.parent), str(real), str(real.parent))
        script = self._write_temp(safe_name(title), source)
        cwd = self.untitled_cwd or str(Path.home())
        return PreparedScript(script, cwd, UNTITLED_PREFIX + title, "")

    def cleanup(self) -> None:
        if self._temp_dir:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    def _write_temp(self, name: str, source: str) -> str:
        if self._temp_dir is None or not os.path.isdir(self._temp_dir):
            self._temp_dir = tempfile.mkdtemp(prefix="presenter-run-")  # mode 0700: private
            weakref.finalize(self, shutil.rmtree, self._temp_dir, True)
        target = Path(self._temp_dir) / name
        target.write_text(source, encoding="utf-8")
        return str(target)


def safe_name(title: str) -> str:
    """A file name from a tab title: "untitled-1" -> "untitled-1.py"."""
    name = re.sub(r"[^\w.-]+", "-", title.strip()).strip(".-") or "untitled"
    return name if name.endswith(".py") else name + ".py"
