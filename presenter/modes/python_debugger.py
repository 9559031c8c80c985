"""Debug in Python mode: breakpoints, stepping, the paused line and the variables pane.

Joins the Qt-free ``local.debugger.DebugChannel`` to the editor (breakpoints in its margin,
the line the program is paused at), the ``VariablesPane`` and the step actions. The run
itself is the Run machinery's: ``PythonRunner`` starts the child with the same temp copy
for an untitled or unsaved tab, feeds the same output pane, takes ``input()`` from the
same place and stops the whole process tree with the same Stop; only the command line
(``debuggee.py`` in front of the script) and the channel's port and secret in the child's
environment differ.

With no breakpoint set, Debug stops at the program's first line, so a class can step from
the start; with breakpoints it runs to the first one. Breakpoints clicked while the program
runs or is paused take effect at once.
"""

from __future__ import annotations

import os
import time

from PyQt5 import sip
from PyQt5.QtCore import QObject, Qt, QTimer, pyqtSignal

from presenter.local.debugger import (
    BreakpointsMoved,
    Connected,
    DebugChannel,
    Refused,
    Stopped,
    debuggee_argv,
)
from presenter.modes.api import EditorSnapshot, Look, ModeContext
from presenter.modes.debug_actions import (
    BUTTON_TEXT,
    CONTINUE,
    RESUME,
    STEP_INTO,
    STEP_OUT,
    STEP_OVER,
)
from presenter.modes.python_runner import PythonRunner
from presenter.qt.editor import Editor
from presenter.qt.variables_pane import VariablesPane

# A step that has not stopped again after this long shows "Running" (a step that waits for
# input(), a long loop); shorter steps go from one paused line to the next without a flash.
RUNNING_AFTER_MS = 250


class PythonDebugger(QObject):
    """One debug session at a time, on the runner Python mode also uses for Run."""

    # ---- Signals
    paused = pyqtSignal(str, int)
    """The program paused at (path, line) and the window shows it."""

    _event_arrived = pyqtSignal(object)
    """A channel event, emitted on the channel's thread and handled on the GUI thread."""

    # ---- Construction
    def __init__(self, context: ModeContext, runner: PythonRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.runner = runner
        self.channel: DebugChannel | None = None
        self.pane: VariablesPane | None = None
        self.started_at = 0.0  # perf_counter() when Debug started (the bench reads it)
        self._editor: Editor | None = None  # the tab being debugged
        self._script: str | None = None  # the file the child runs (a temp copy or the file)
        self._paused_in: Editor | None = None
        self._is_paused = False
        self._connected = False
        self._resumes = 0
        self._watched: list[Editor] = []
        self._event_arrived.connect(self._on_event, Qt.QueuedConnection)
        runner.finished.connect(self._on_run_finished)

    # ---- Public API
    def is_active(self) -> bool:
        return self.channel is not None

    def is_paused(self) -> bool:
        return self._is_paused

    def paused_editor(self) -> Editor | None:
        """The tab showing the line the program is paused at (None while it runs)."""
        return self._paused_in if self._is_paused else None

    def start(self, editor: Editor, snapshot: EditorSnapshot, interpreter: str) -> None:
        """Run the tab under the debugger (the runner must be idle)."""
        channel = DebugChannel(self._event_arrived.emit)
        self.channel = channel
        self._connected = False
        self._editor = editor
        self.started_at = time.perf_counter()
        pane = self._show_pane()
        pane.start_session()
        self._enable_steps(False)
        self.runner.run(snapshot.text, snapshot.path, snapshot.title, interpreter,
                        command=debuggee_argv, extra_env=channel.child_env())
        if self.channel is not channel:
            return  # the interpreter could not be started: the run has already ended
        self._script = os.path.realpath(self.runner.script or "")
        breakpoints = self._breakpoints()
        channel.configure(breakpoints, stop_on_entry=not any(breakpoints.values()))
        self._watch_editors()

    def resume(self, action_id: str) -> None:
        """Continue or one of the steps, for a paused program."""
        if self.channel is None or not self._is_paused:
            self.context.show_message("The program is not paused: Debug (F6) runs it in the "
                                      "debugger.")
            return
        self.channel.set_breakpoints(self._breakpoints())
        self.channel.send_command(RESUME[action_id])
        self._is_paused = False
        self._enable_steps(False)
        self._resumes += 1
        resumes = self._resumes
        QTimer.singleShot(RUNNING_AFTER_MS, lambda: self._show_running(resumes))

    def stop(self) -> None:
        """Hang up first (a paused program then ends quietly), then stop the process tree."""
        if self.channel is not None:
            self.channel.close()
        self.runner.stop()

    def hide_pane(self) -> None:
        if self.pane is not None:
            self.pane.hide()

    def shutdown(self) -> None:
        """Leaving the mode or closing the window."""
        if self.channel is not None:
            self._end("The program was stopped.")
        self.hide_pane()

    def apply_appearance(self, look: Look) -> None:
        if self.pane is not None:
            self.pane.set_code_font(look.code_family, look.code_pt)
            self.pane.set_icon_size(max(16, 2 * look.ui_pt + 10))  # the toolbar's size

    # ---- Events from the channel (on the GUI thread)
    def _on_event(self, event) -> None:
        if self.channel is None:
            return  # from a session that has ended
        if isinstance(event, Stopped):
            self._show_stop(event)
        elif isinstance(event, BreakpointsMoved):
            self._move_breakpoints(event)
        elif isinstance(event, Connected):
            self._connected = True
            if self.pane is not None and not self._is_paused:
                self.pane.set_status("Running…")
        elif isinstance(event, Refused):
            self.context.show_message("The debugger refused a connection that did not come "
                                      "from your program.", "warning")

    def _show_stop(self, event: Stopped) -> None:
        editor = self._editor_for(event.path, event.line)
        if self._paused_in is not None and self._paused_in is not editor \
                and not sip.isdeleted(self._paused_in):
            self._paused_in.show_paused_line(None)
        self._paused_in = editor
        if editor is not None:
            tabs = self.context.window().tabs
            if tabs.current() is not editor:
                tabs.setCurrentWidget(editor)
            editor.show_paused_line(event.line)
        self._is_paused = True
        self._enable_steps(True)
        if self.pane is not None:
            local_items = None if event.locals is None else \
                [(v.name, v.value) for v in event.locals]
            self.pane.show_stop(self._where(event), local_items,
                                [(v.name, v.value) for v in event.globals], event.hidden)
        self.paused.emit(event.path, event.line)

    def _where(self, event: Stopped) -> str:
        """"Paused at line 3 in square(), called from line 8", naming other files."""
        def place(path: str, line: int) -> str:
            if os.path.realpath(path) == self._script:
                return f"line {line}"
            return f"{os.path.basename(path)} line {line}"

        start = "Breakpoint at" if event.reason == "breakpoint" else "Paused at"
        text = f"{start} {place(event.path, event.line)}"
        if event.function != "<module>":
            text += f" in {event.function}()"
        if len(event.stack) > 1:
            caller = event.stack[1]
            text += f", called from {place(caller.path, caller.line)}"
        return text

    def _move_breakpoints(self, event: BreakpointsMoved) -> None:
        """Show breakpoints where they really are: a blank or comment line's moves down."""
        editor = self._editor_for(event.path, None)
        if editor is None or all(old == new for old, new in event.lines.items()):
            return
        dropped = [old for old, new in event.lines.items() if new is None]
        lines = [event.lines.get(line, line) for line in editor.breakpoint_lines()]
        editor.set_breakpoint_lines([line for line in lines if line is not None])
        if dropped:
            self.context.show_message(
                f"No code at or after line {dropped[0]}: that breakpoint was removed.")

    # ---- The end of a run
    def _on_run_finished(self, code, description: str) -> None:
        if self.channel is None:
            return
        if code and not self._connected:  # e.g. a Python 2 interpreter: debuggee.py can't run
            description += (" before the debugger started: it needs Python 3.8 or newer "
                            "(the output says why).")
        self._end(description)

    def _end(self, description: str) -> None:
        channel, self.channel = self.channel, None
        if channel is not None:
            channel.close()
        for editor in self._watched:
            if not sip.isdeleted(editor):
                editor.breakpoints_changed.disconnect(self._sync_breakpoints)
        self._watched = []
        if self._paused_in is not None and not sip.isdeleted(self._paused_in):
            self._paused_in.show_paused_line(None)
        self._paused_in = None
        self._is_paused = False
        self._enable_steps(False)
        if self.pane is not None:
            self.pane.set_status(f"The program ended. {description}")

    # ---- Internals
    def _show_pane(self) -> VariablesPane:
        if self.pane is None:
            pane = VariablesPane()
            actions = []
            for action_id in (CONTINUE, STEP_OVER, STEP_INTO, STEP_OUT, "run.stop"):
                action = self.context.action(action_id)
                if action is not None:
                    action.setIconText(BUTTON_TEXT[action_id])
                    actions.append(action)
            pane.set_actions(actions)
            pane.hide_requested.connect(pane.hide)
            self.context.place_pane(pane, "side")
            self.pane = pane
            self.apply_appearance(self.context.look())
        self.pane.show()
        return self.pane

    def _show_running(self, resumes: int) -> None:
        if self.channel is None or self._is_paused or resumes != self._resumes:
            return
        if self._paused_in is not None and not sip.isdeleted(self._paused_in):
            self._paused_in.show_paused_line(None)
        if self.pane is not None:
            self.pane.set_status("Running… (type in the output pane if it waits for input)")

    def _enable_steps(self, enabled: bool) -> None:
        for action_id in RESUME:
            action = self.context.action(action_id)
            if action is not None:
                action.setEnabled(enabled)

    def _open_editors(self) -> list[Editor]:
        return [e for e in self.context.window().tabs.editors() if not sip.isdeleted(e)]

    def _breakpoints(self) -> dict[str, list[int]]:
        """Every open tab's breakpoints, keyed by the file the child sees for it."""
        found: dict[str, list[int]] = {}
        for editor in self._open_editors():
            lines = editor.breakpoint_lines()
            if not lines:
                continue
            if editor is self._editor and self._script:
                found[self._script] = lines
            elif editor.info.path:
                found[os.path.realpath(editor.info.path)] = lines
        return found

    def _sync_breakpoints(self) -> None:
        if self.channel is not None:
            self.channel.set_breakpoints(self._breakpoints())

    def _watch_editors(self) -> None:
        for editor in self._open_editors():
            editor.breakpoints_changed.connect(self._sync_breakpoints)
            self._watched.append(editor)

    def _editor_for(self, path: str, line: int | None) -> Editor | None:
        """The tab showing ``path`` (the debugged tab for its temp copy); with a line, a
        file the program stepped into is opened."""
        real = os.path.realpath(path)
        if real == self._script and self._editor is not None and not sip.isdeleted(self._editor):
            return self._editor
        for editor in self._open_editors():
            if editor.info.path and os.path.realpath(editor.info.path) == real:
                return editor
        if line is None or not os.path.isfile(real):
            return None
        self.context.go_to(real, line)
        return next((e for e in self._open_editors()
                     if e.info.path and os.path.realpath(e.info.path) == real), None)

