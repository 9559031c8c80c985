"""Python mode: run the current tab with CPython on this computer, or debug it.

The mode joins the editor, the run machinery (``PythonRunner`` around a Qt-free
``LocalProcess``) and the output pane; Debug adds ``PythonDebugger`` on the same runner.
Which interpreter runs the code is this mode's setting, so a speaker can point it at the
venv of their demo.

Beside Run and Debug it offers the REPL (``python_repl``: IPython in qtconsole, with Run in
REPL) and Check and Tidy (``python_checks``). Each is built on first use, so a talk that
never opens the REPL never loads qtconsole or starts a kernel.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING

from presenter.modes.api import Look, Mode, ModeContext, PaneSpec
from presenter.modes.debug_actions import DEBUG, RESUME, debug_actions
from presenter.qt.actions import ActionSpec

if TYPE_CHECKING:
    from presenter.modes.python_checks import CodeChecks
    from presenter.modes.python_repl import PythonRepl

REPL_ACTION = "view.repl"  # the board modes' REPL action too: one key, each mode's own REPL
REPL_SETTING = "repl_visible"


class PythonMode(Mode):
    id = "python"
    name = "Python"
    description = "Run code with Python on this computer"
    icon = "run"
    panes = (PaneSpec("repl", "Python REPL", REPL_ACTION),)

    def __init__(self) -> None:
        super().__init__()
        self._runner = None
        self._debugger = None
        self.repl: PythonRepl | None = None
        self.checks: CodeChecks | None = None

    @property
    def debugger(self):
        """The ``PythonDebugger``, once Debug has been used (tests and the bench look at it)."""
        return self._debugger

    @property
    def runner(self):
        return self._runner

    # ---- Lifecycle
    def activate(self, context: ModeContext) -> None:
        super().activate(context)
        if self._runner is None:
            from presenter.modes.python_runner import PythonRunner

            self._runner = PythonRunner(context.window())
            self._runner.started.connect(lambda: self._set_running(True))
            self._runner.finished.connect(lambda *_: self._set_running(False))
        self._runner.attach(context.output_pane())
        if self._debugger is not None:
            self._debugger.context = context
        self._enable_debugger_actions(running=False)
        if context.settings.get(REPL_SETTING):
            from PyQt5.QtCore import QTimer

            # After the first frame: the window shows before the REPL is built.
            QTimer.singleShot(0, lambda: self._show_repl_again(context))

    def deactivate(self) -> None:
        """Leaving the mode or closing the window: end the program, the REPL's kernel, the
        checks, and their temp files."""
        if self._debugger is not None:
            self._debugger.shutdown()
        if self._runner is not None:
            self._runner.shutdown()
        if self.repl is not None:
            self.repl.shutdown()
            if self.repl.pane is not None:
                self.repl.pane.hide()
        if self.checks is not None:
            self.checks.shutdown()
        super().deactivate()

    def apply_appearance(self, look: Look) -> None:
        if self._debugger is not None:
            self._debugger.apply_appearance(look)
        if self.repl is not None:
            self.repl.apply_appearance(look)

    # ---- Behaviour
    def actions(self) -> list[ActionSpec]:
        return [
            ActionSpec("python.interpreter", "Python &Interpreter…",
                       tip="Which Python runs your code (e.g. your demo's venv)", menu="Run"),
            *debug_actions(),
            # The first declaration of view.repl gives its label and keys in every mode.
            ActionSpec(REPL_ACTION, "&REPL", ("Ctrl+Shift+R",), "repl",
                       "A prompt to type Python at: try code, explore your program's values",
                       True, checkable=True, menu="View"),
            ActionSpec("python.run_in_repl", "Run in RE&PL", ("Ctrl+Shift+Return",),
                       tip="Run this file in the REPL, then explore its variables there",
                       menu="Run"),
            ActionSpec("python.repl_interrupt", "Interrupt the REP&L",
                       tip="Stop the code the REPL is running", menu="Run"),
            ActionSpec("python.repl_restart", "R&estart the REPL",
                       tip="A fresh Python in the REPL: every variable is forgotten", menu="Run"),
            ActionSpec("code.check", "Chec&k", ("F2",), "check",
                       "Find mistakes and style problems in this file", True, menu="Edit"),
            ActionSpec("code.tidy", "Tid&y", ("Ctrl+Shift+I",), "tidy",
                       "Format this file with black (one Ctrl+Z undoes it)", True, menu="Edit"),
        ]

    def action_handlers(self):
        handlers = {
            "python.interpreter": self.choose_interpreter,
            DEBUG: self.debug,
            REPL_ACTION: self.toggle_repl,
            "python.run_in_repl": self.run_in_repl,
            "python.repl_interrupt": self.interrupt_repl,
            "python.repl_restart": self.restart_repl,
            "code.check": lambda: self._check("check"),
            "code.tidy": lambda: self._check("tidy"),
        }
        for action_id in RESUME:
            handlers[action_id] = lambda a=action_id: self._debugger and self._debugger.resume(a)
        return handlers

    def choose_interpreter(self) -> None:
        """Ask for the interpreter path; empty means the Python running Presenter."""
        if self.context is None:
            return
        from presenter.qt import dialogs

        current = self.context.settings.get("interpreter") or ""
        answer = dialogs.ask_text(self.context.window(), "Python Interpreter",
                                  "Python to run your code (empty = the one running Presenter):",
                                  current)
        if answer is None:
            return
        answer = answer.strip()
        if answer and not _is_runnable(answer):
            self.context.show_banner(f"“{answer}” is not a Python interpreter that can be run; "
                                     "the setting was not changed.", "error")
            return
        self.context.settings["interpreter"] = answer
        self.context.save_settings()
        restart = (" (the REPL switches when restarted)"
                   if self.repl is not None and self.repl.is_running() else "")
        self.context.show_message(f"Code now runs with {answer or sys.executable}{restart}")

    def interpreter(self) -> str:
        """The configured Python, or the one running Presenter."""
        configured = (self.context.settings.get("interpreter") or "").strip() if self.context else ""
        return configured or sys.executable

    def run(self) -> None:
        interpreter = self._ready_interpreter()
        snapshot = self.context.current_editor() if self.context else None
        if interpreter is None or snapshot is None or self._runner is None:
            return
        if self._debugger is not None:
            self._debugger.hide_pane()
        self._runner.run(snapshot.text, snapshot.path, snapshot.title, interpreter)

    def debug(self) -> None:
        """Run the current tab in the debugger (F6)."""
        if self.is_running():
            self.context.show_message("A program is running: stop it first (Shift+F5).")
            return
        interpreter = self._ready_interpreter()
        snapshot = self.context.current_editor() if self.context else None
        editor = self.context.window().tabs.current() if self.context else None
        if interpreter is None or snapshot is None or editor is None or self._runner is None:
            return
        if self._debugger is None:
            from presenter.modes.python_debugger import PythonDebugger

            self._debugger = PythonDebugger(self.context, self._runner, self._runner)
        self._debugger.start(editor, snapshot, interpreter)

    def stop(self) -> None:
        if self._debugger is not None and self._debugger.is_active():
            self._debugger.stop()
        elif self._runner is not None:
            self._runner.stop()

    def is_running(self) -> bool:
        return bool(self._runner and self._runner.is_running())

    def send_input(self, text: str) -> None:
        if self._runner is not None:
            self._runner.send_input(text)

    def close_input(self) -> None:
        if self._runner is not None:
            self._runner.close_input()

    def status_text(self) -> str:
        return "Python"

    # ---- The REPL
    def toggle_repl(self) -> None:
        """The REPL button and Ctrl+Shift+R: show or hide the REPL (its kernel keeps running)."""
        repl = self._repl()
        if repl is not None:
            repl.toggle()

    def run_in_repl(self) -> None:
        """Run the current tab in the REPL, so the audience can explore its variables."""
        repl = self._repl()
        snapshot = self.context.current_editor() if self.context is not None else None
        if repl is not None and snapshot is not None:
            repl.run_file(snapshot)

    def interrupt_repl(self) -> None:
        if self.repl is not None:
            self.repl.interrupt()

    def restart_repl(self) -> None:
        repl = self._repl()
        if repl is not None:
            if not repl.is_visible():
                repl.set_visible(True)
            repl.restart()

    def _repl(self) -> PythonRepl | None:
        if self.context is None:
            return None
        if self.repl is None:
            from presenter.modes.python_repl import PythonRepl

            self.repl = PythonRepl(self.context, self.interpreter, self.context.window())
        return self.repl

    def _show_repl_again(self, context: ModeContext) -> None:
        if self.context is context:  # still this mode, still this window
            repl = self._repl()
            if repl is not None:
                repl.set_visible(True, remember=False)

    # ---- Check and Tidy
    def _check(self, action: str) -> None:
        if self.context is None:
            return
        editor = self.context.editor_widget()
        if editor is None:
            return
        if self.checks is None:
            from presenter.modes.python_checks import CodeChecks

            self.checks = CodeChecks(self.context.show_message, self.context.window())
        if action == "check":
            self.checks.check(editor)
        else:
            self.checks.tidy(editor)

    # ---- Internals
    def _ready_interpreter(self) -> str | None:
        """The interpreter to use, or None after saying why it cannot be run."""
        if self.context is None:
            return None
        interpreter = self.interpreter()
        if not _is_runnable(interpreter):
            self.context.show_banner(
                f"The Python interpreter “{interpreter}” was not found. Set modes.python.interpreter "
                "in the settings file, or clear it to use the Python running Presenter.", "error")
            return None
        return interpreter

    def _set_running(self, running: bool) -> None:
        if self.context is not None:
            self.context.set_running(running)
            self._enable_debugger_actions(running)

    def _enable_debugger_actions(self, running: bool) -> None:
        """Debug while nothing runs; the steps only while the debugged program is paused
        (the debugger enables those)."""
        if self.context is None:
            return
        debug = self.context.action(DEBUG)
        if debug is not None:
            debug.setEnabled(not running)
        if not running:
            for action_id in RESUME:
                action = self.context.action(action_id)
                if action is not None:
                    action.setEnabled(False)


def _is_runnable(interpreter: str) -> bool:
    if os.path.sep in interpreter or (os.path.altsep and os.path.altsep in interpreter):
        return os.path.isfile(interpreter) and os.access(interpreter, os.X_OK)
    return shutil.which(interpreter) is not None
