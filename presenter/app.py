"""Composition root: logging, settings, the Qt application and the workbench.

Only ``cli`` imports this module, and only when the window is wanted, so the board
commands never pay for Qt.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
import traceback

from presenter import __version__, paths

log = logging.getLogger("presenter")


def setup_logging() -> None:
    """A rotating log file in the platform's log folder; errors never need a console."""
    root = logging.getLogger("presenter")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    root.setLevel(logging.INFO)
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "presenter.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def _no_display() -> bool:
    """On Linux/BSD without X11, Wayland or an explicit Qt platform, Qt would abort."""
    if sys.platform.startswith(("win", "darwin")) or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_app(files: list[str]) -> int:
    from presenter.qt_packages import qt_problem

    problem = qt_problem()  # before any widget import: one line, never a traceback
    if problem:
        print(f"presenter: {problem}", file=sys.stderr)
        return 1
    if _no_display():
        print("presenter: no display to open the window on (DISPLAY is not set). "
              "Board commands work without one: see presenter --help.", file=sys.stderr)
        return 1
    setup_logging()
    log.info("Presenter %s starting (Python %s)", __version__, sys.version.split()[0])
    from presenter.local.process import let_programs_be_interrupted

    let_programs_be_interrupted()

    # Presenter draws nothing with OpenGL; not loading the GL stack saves ~50 MB on X11.
    os.environ.setdefault("QT_XCB_GL_INTEGRATION", "none")
    from PyQt5.QtCore import Qt
    from PyQt5.QtWidgets import QApplication

    QApplication.setAttribute(Qt.AA_EnableHighDpiScaling, True)
    QApplication.setAttribute(Qt.AA_UseHighDpiPixmaps, True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Presenter")
    app.setApplicationVersion(__version__)

    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    settings = Settings.load()
    bench = Workbench(settings)

    def report_unexpected(kind, value, tb) -> None:
        """An unexpected error is logged and shown as a banner; the talk goes on."""
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        try:
            bench.show_banner(f"Something went wrong: {value}. Details are in the log "
                              f"({paths.log_dir() / 'presenter.log'}).", "error")
        except Exception:
            pass

    sys.excepthook = report_unexpected
    bench.start(files)
    probe = os.environ.get("PRESENTER_STARTUP_PROBE")
    if probe:
        _report_startup(app, bench, wait_for_frame=probe == "frame")
    code = app.exec_()
    # Tear the window down now, while Python is whole: left to the interpreter's shutdown,
    # Qt destroyed it after parts of Python were gone and crashed now and then (SIGSEGV).
    from PyQt5 import sip

    sip.delete(bench.window)
    return code


def _report_startup(app, bench, wait_for_frame: bool = False) -> None:
    """For bench/startup.py and tests: once the first frame is up, say what it shows, then quit.

    Prints to stderr ``presenter-python <sys.executable>`` (which install started: the
    wheels' venv or the system-Qt one), ``presenter-tab <title of the current tab>``, then one line
    ``presenter-ready <monotonic seconds> <chars in current tab> <window visible 0/1>``.
    With ``wait_for_frame`` (``PRESENTER_STARTUP_PROBE=frame``) it then waits until the
    window manager has framed the window and Presenter has settled its placement (at most
    5 s), and prints ``presenter-frame X Y W H`` (the frame, title bar included) and
    ``presenter-screen X Y W H`` (the screen's available area).
    """
    from PyQt5.QtCore import QTimer

    window = bench.window
    started = time.monotonic()

    def report() -> None:
        editor = window.tabs.current()
        chars = len(editor.text()) if editor is not None else -1
        title = editor.info.title if editor is not None else ""
        print(f"presenter-python {sys.executable}", file=sys.stderr, flush=True)
        print(f"presenter-tab {title}", file=sys.stderr, flush=True)
        visible = int(window.isVisible())
        print(f"presenter-ready {time.monotonic():.6f} {chars} {visible}", file=sys.stderr, flush=True)
        if wait_for_frame:
            QTimer.singleShot(50, report_frame)
        else:
            app.quit()

    def report_frame() -> None:
        framed = window.frameGeometry() != window.geometry()
        if not framed and time.monotonic() - started < 5:
            QTimer.singleShot(50, report_frame)
            return
        # Placement may still correct the window once after framing: let it land.
        QTimer.singleShot(500, print_frame)

    def print_frame() -> None:
        frame = window.frameGeometry()
        area = window.screen().availableGeometry()
        for name, rect in (("frame", frame), ("screen", area)):
            print(f"presenter-{name} {rect.x()} {rect.y()} {rect.width()} {rect.height()}",
                  file=sys.stderr, flush=True)
        app.quit()

    QTimer.singleShot(0, report)
