"""Python mode: run the current tab with CPython on this computer.

The mode joins the editor, the run machinery (``PythonRunner`` around a Qt-free
``LocalProcess``) and the output pane. Which interpreter runs the code is this mode's
setting, so a speaker can point it at the venv of their demo.
"""

from __future__ import annotations

import os
import shutil
import sys

from presenter.modes.api import Mode, ModeContext
from presenter.qt.actions import ActionSpec


class PythonMode(Mode):
    id = "python"
    name = "Python"
    description = "Run code with Python on this computer"
    icon = "run"

    def __init__(self) -> None:
        super().__init__()
        self._runner = None

    # ---- Lifecycle
    def activate(self, context: ModeContext) -> None:
        super().activate(context)
        if self._runner is None:
            from presenter.modes.python_runner import PythonRunner

            self._runner = PythonRunner(context.window())
            self._runner.started.connect(lambda: self._set_running(True))
            self._runner.finished.connect(lambda *_: self._set_running(False))
        self._runner.attach(context.output_pane())

    def deactivate(self) -> None:
        """Leaving the mode or closing the window: end the program and its temp files."""
        if self._runner is not None:
            self._runner.shutdown()
        super().deactivate()

    # ---- Behaviour
    def actions(self) -> list[ActionSpec]:
        return [ActionSpec("python.interpreter", "Python &Interpreter…",
                           tip="Which Python runs your code (e.g. your demo's venv)", menu="Run")]

    def action_handlers(self):
        return {"python.interpreter": self.choose_interpreter}

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
        if self.context is None or self._runner is None:
            return
        snapshot = self.context.current_editor()
        if snapshot is None:
            return
        interpreter = self.interpreter()
        if not _is_runnable(interpreter):
            self.context.show_banner(
                f"The Python interpreter “{interpreter}” was not found. Set modes.python.interpreter "
                "in the settings file, or clear it to use the Python running Presenter.", "error")
            return
        self._runner.run(snapshot.text, snapshot.path, snapshot.title, interpreter)

    def stop(self) -> None:
        if self._runner is not None:
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
    def _set_running(self, running: bool) -> None:
        if self.context is not None:
            self.context.set_running(running)


def _is_runnable(interpreter: str) -> bool:
    if os.path.sep in interpreter or (os.path.altsep and os.path.altsep in interpreter):
        return os.path.isfile(interpreter) and os.access(interpreter, os.X_OK)
    return shutil.which(interpreter) is not None
