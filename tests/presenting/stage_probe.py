"""Presenter on a real X server, reporting what presentation mode shows (for test_projector).

Run as ``python -m tests.presenting.stage_probe FILE`` with DISPLAY set. It opens FILE in
the real window and prints, on stderr, one line per event:

* ``probe-ready {...}`` once the window is shown and active (then the test presses F11
  with xdotool: a key through the X server, as a keyboard sends it);
* ``probe-presenting {...}`` once presentation mode has settled: the screen, the window,
  the preset and the grid of code Scintilla shows (columns, lines on screen);
* ``probe-left {...}`` once F11 has brought the window back, then it quits.
"""

from __future__ import annotations

import json
import sys
import time

from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import Qt, QTimer
from PyQt5.QtWidgets import QApplication

DEADLINE = 90  # seconds: a stuck probe must not hang the test run


def rect(r) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def grid(editor) -> tuple[int, int]:
    left = sum(editor.marginWidth(m) for m in range(editor.margins()))
    left += editor.SendScintilla(QsciScintilla.SCI_GETMARGINLEFT)
    right = editor.SendScintilla(QsciScintilla.SCI_GETMARGINRIGHT)
    advance = editor.SendScintilla(QsciScintilla.SCI_TEXTWIDTH, 0, b"M" * 100) / 100
    columns = int((editor.viewport().width() - left - right) // advance)
    return columns, editor.SendScintilla(QsciScintilla.SCI_LINESONSCREEN)


def say(kind: str, data: dict) -> None:
    print(f"probe-{kind} {json.dumps(data)}", file=sys.stderr, flush=True)


def main(path: str) -> int:
    QApplication.setAttribute(Qt.AA_EnableHighDpiScaling, True)
    app = QApplication(sys.argv[:1])
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    bench = Workbench(Settings.load())
    bench.start([path])
    window = bench.window
    started = time.monotonic()
    phase = {"name": "starting", "before": None, "stable": 0}

    def tick() -> None:
        if time.monotonic() - started > DEADLINE:
            say("timeout", {"phase": phase["name"]})
            app.quit()
            return
        editor = window.tabs.current()
        presenting = bench.presentation.is_presenting()
        if phase["name"] == "starting" and window.isActiveWindow() and editor.hasFocus():
            phase["stable"] += 1
            if phase["stable"] >= 5:  # placement settled for a few ticks
                phase["before"] = rect(window.geometry())
                phase["name"] = "ready"
                say("ready", {"geometry": phase["before"]})
        elif phase["name"] == "ready" and presenting:
            covering = window.geometry() == window.screen().geometry()
            if covering and editor.font_size == bench.presentation.fitted_size():
                columns, lines = grid(editor)
                preset = bench.presentation.preset()
                say("presenting", {
                    "screen": rect(window.screen().geometry()),
                    "window": rect(window.geometry()), "full_screen": window.isFullScreen(),
                    "preset": preset.name, "preset_grid": [preset.columns, preset.lines],
                    "points": editor.font_size, "columns": columns, "lines": lines,
                    "menu_hidden": window.menuBar().isHidden(),
                    "status_hidden": window.status.isHidden(),
                    "tab_bar_hidden": window.tabs.tabBar().isHidden(),
                })
                phase["name"] = "presenting"
        elif phase["name"] == "presenting" and not presenting:
            if rect(window.geometry()) == phase["before"] or time.monotonic() - started > DEADLINE - 5:
                say("left", {"geometry": rect(window.geometry()), "before": phase["before"],
                             "points": editor.font_size, "full_screen": window.isFullScreen()})
                bench.window.close()
                app.quit()
                return
        QTimer.singleShot(100, tick)

    QTimer.singleShot(100, tick)
    code = app.exec_()
    from PyQt5 import sip

    sip.delete(window)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
