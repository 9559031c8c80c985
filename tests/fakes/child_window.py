"""Start the real window in a fresh Python and run a few lines in it: for what a test process
cannot show, such as which modules start-up imports (pytest has imported them all already).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

_START = """\
import sys
from PyQt5.QtWidgets import QApplication
app = QApplication([])
from presenter.settings import Settings
from presenter.workbench.workbench import Workbench
bench = Workbench(Settings.load())
bench.start([])
for _ in range(5):
    app.processEvents()
"""
# Torn down as run_app does: left to the interpreter's exit, Qt crashed now and then (SIGSEGV).
_END = """
bench.window.close()
from PyQt5 import sip
sip.delete(bench.window)
"""


def run_in_window(body: str, home: Path) -> subprocess.CompletedProcess:
    """Run ``body`` (``app`` and ``bench`` are defined) after start-up, offscreen, with its
    own Presenter home; the result's stdout is what ``body`` printed."""
    code = _START + textwrap.dedent(body) + _END
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PRESENTER_HOME=str(home))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env)
