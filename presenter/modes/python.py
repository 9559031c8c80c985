"""Python mode: run the current tab with CPython on this computer, or debug it.

The mode joins the editor, the run machinery (``PythonRunner`` around a Qt-free
``LocalProcess``) and the output pane; Debug adds ``PythonDebugger`` on the same runner.
Which interpreter runs the code is this mode's setting, so a speaker can point it at the
venv of their demo.
"""

from __future__ import annotations

import os
import shutil
import sys

from presenter.modes.api import Look, Mode, ModeContext
from presenter.modes.debug_actions import DEBUG, RESUME, debug_actions
from presenter.qt.actions import ActionSpec


class PythonMode(Mode):
    id = "python"
    name = "Python"
    description = "Run code with Python on this computer"
    icon = "run"

    def __init__(self) -> None:
        super().__init__()
        self._runner = None
        self._debugger = None

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

    def deactivate(self) -> None:
        """Leaving the mode or closing the window: end the program and its temp files."""
        if self._debugger is not None:
            self._debugger.shutdown()
        if self._runner is not None:
            self._runner.shutdown()
        super().deactivate()

    def apply_appearance(self, look: Look) -> None:
        if self._debugger is not None:
            self._debugger.apply_appearance(look)

    # ---- Behaviour
    def actions(self) -> list[ActionSpec]:
        return [ActionSpec("python.interpreter", "Python &Interpreter…",
                           tip="Which Python runs your code (e.g. your demo's venv)", menu="Run"),
                *debug_actions()]

    def action_handlers(self):
        handlers = {"python.interpreter": self.choose_interpreter, DEBUG: self.debug}
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
        self.context.show_message(f"Code now runs with {answer or sys.executable}")

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
