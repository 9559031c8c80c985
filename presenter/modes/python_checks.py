"""Check and Tidy for an editor tab, run in a child process so the window never waits.

``core.checks`` does the work in ``python -m presenter.core.checks check|tidy`` (Presenter's
own Python, which has pyflakes, pycodestyle and black); a ``QProcess`` feeds it the tab's
text and reads the JSON answer, so nothing here blocks or holds the GIL (black on a thread
froze the window for most of a second on a big file).

What the answer does to the tab:

* **Check**: the findings become margin markers with their messages under the lines
  (``qt.problem_markers``: those in view at once, the rest a slice at a time). If the text
  changed while the check ran, or changes before all its findings are shown, the check runs
  again on the new text rather than marking lines that have moved.
* **Tidy**: the formatted text replaces only the part that changed, as one undo step, so a
  single Ctrl+Z gives back exactly what was there; findings shown before are checked again. If the code does not parse, nothing
  changes: the cursor goes to the line and its marker and message say what is wrong. If the
  text changed while black ran, nothing changes either (the edit wins) and the status bar
  says to press Tidy again.

Messages go through the status bar (``show_message``), never a dialog.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PyQt5 import sip
from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, pyqtSignal

from presenter.core.checks import (
    ERROR,
    STYLE,
    WARNING,
    count_kinds,
    iter_problems,
    problems_from_reply,
)
from presenter.qt.editor import Editor

log = logging.getLogger(__name__)

TIMEOUT_MS = 120_000  # black on a 50,000-line file takes ~30 s on a slow machine
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding presenter/


class CodeChecks(QObject):
    """Runs Check and Tidy for editors; at most one job per editor at a time."""

    # ---- Signals
    checked = pyqtSignal(object)
    """(editor): a check finished; its findings are being shown (those in view first, all
    once ``editor.problems.marking()`` is false)."""
    tidied = pyqtSignal(object, bool)
    """(editor, changed): a tidy finished (changed False: already tidy, or refused)."""

    def __init__(self, show_message: Callable[[str, str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show_message = show_message
        self._jobs: dict[int, _Job] = {}  # id(editor) -> the job running for it

    # ---- Public API
    def check(self, editor: Editor) -> None:
        """Check the editor's text; its findings appear when the child answers."""
        self._start(editor, "check")

    def tidy(self, editor: Editor) -> None:
        """Format the editor's text with black, as one undo step."""
        self._start(editor, "tidy")

    def is_busy(self, editor: Editor) -> bool:
        return id(editor) in self._jobs

    def shutdown(self) -> None:
        """Stop every child (the window is closing or the mode is left)."""
        for job in list(self._jobs.values()):
            job.cancel()
        self._jobs.clear()

    # ---- Internals
    def _start(self, editor: Editor, action: str) -> None:
        running = self._jobs.get(id(editor))
        if running is not None:
            verb = "checked" if running.action == "check" else "tidied"
            self._show_message(f"{editor.info.title} is still being {verb}: one moment.", "info")
            return
        job = _Job(self, editor, action)
        self._jobs[id(editor)] = job
        job.finished.connect(self._on_finished)
        job.start()

    def _on_finished(self, job: _Job) -> None:
        self._jobs.pop(id(job.editor), None)
        editor = job.editor
        if sip.isdeleted(editor):
            return  # the tab was closed meanwhile
        if job.failure:
            self._show_message(f"{'Check' if job.action == 'check' else 'Tidy'} could not run: "
                               f"{job.failure}", "error")
            return
        if job.action == "check":
            self._check_done(editor, job)
        else:
            self._tidy_done(editor, job)

    def _check_done(self, editor: Editor, job: _Job) -> None:
        if editor.text() != job.source:
            self._start(editor, "check")  # the lines moved: check what is there now
            return
        counts = count_kinds(job.reply)
        editor.problems.show(iter_problems(job.reply),
                             on_stale=lambda: self._check_again(editor))
        self._show_message(describe_problems(counts), "warning" if any(counts.values())
                           else "info")
        self.checked.emit(editor)

    def _check_again(self, editor: Editor) -> None:
        """The text changed before all the findings were shown: check what is there now
        (unless a check or tidy is already running for it, which will)."""
        if not sip.isdeleted(editor) and not self.is_busy(editor):
            self._start(editor, "check")

    def _tidy_done(self, editor: Editor, job: _Job) -> None:
        if editor.text() != job.source:
            self._show_message("The code changed while Tidy was running, so nothing was "
                               "changed: press Tidy again.", "warning")
            self.tidied.emit(editor, False)
            return
        if "error" in job.reply:
            [problem] = problems_from_reply(job.reply)
            editor.problems.show([problem])
            editor.setCursorPosition(problem.line - 1, max(0, problem.column - 1))
            editor.ensureLineVisible(problem.line - 1)
            self._show_message(f"Tidy changed nothing: line {problem.line}: {problem.message}",
                               "error")
            self.tidied.emit(editor, False)
            return
        tidied = job.reply["text"]
        if tidied == job.source:
            self._show_message("Already tidy: black had nothing to change.", "info")
            self.tidied.emit(editor, False)
            return
        had_findings = bool(editor.problems.lines())
        replace_changed_part(editor, job.source, tidied)
        self._show_message("Tidied with black (Ctrl+Z undoes it).", "info")
        self.tidied.emit(editor, True)
        if had_findings:  # black fixed some of them, perhaps on lines it did not touch
            self._start(editor, "check")


class _Job(QObject):
    """One child process: the editor's text in, JSON out."""

    finished = pyqtSignal(object)

    def __init__(self, owner: QObject, editor: Editor, action: str) -> None:
        super().__init__(owner)
        self.editor = editor
        self.action = action
        self.source = editor.text()
        self.reply: dict = {}
        self.failure = ""
        self._process = QProcess(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._time_out)
        self._hand_over = QTimer(self)
        self._hand_over.setSingleShot(True)
        self._hand_over.setInterval(0)
        self._hand_over.timeout.connect(self._finish)
        self._done = False

    def start(self) -> None:
        process = self._process
        env = QProcessEnvironment.systemEnvironment()
        # The child imports presenter.core.checks from this very checkout or install.
        env.insert("PYTHONPATH", os.pathsep.join(filter(None, [_PACKAGE_ROOT,
                                                               env.value("PYTHONPATH")])))
        env.insert("PYTHONIOENCODING", "utf-8")
        process.setProcessEnvironment(env)
        process.finished.connect(self._on_exit)
        process.errorOccurred.connect(self._on_error)
        process.start(sys.executable, ["-m", "presenter.core.checks", self.action])
        process.write(self.source.encode("utf-8"))
        process.closeWriteChannel()
        self._timer.start(TIMEOUT_MS)

    def cancel(self) -> None:
        self._done = True
        self._timer.stop()
        if self._process.state() != QProcess.NotRunning:
            self._process.kill()
            self._process.waitForFinished(1000)
        self.deleteLater()

    def _on_exit(self, code: int, _status) -> None:
        if self._done:
            return
        output = bytes(self._process.readAllStandardOutput()).decode("utf-8", "replace")
        if code == 0:
            try:
                self.reply = json.loads(output)
            except ValueError:
                self.failure = "its answer could not be read"
        else:
            errors = bytes(self._process.readAllStandardError()).decode("utf-8", "replace")
            log.error("%s child failed (%s): %s", self.action, code, errors)
            lines = errors.strip().splitlines()
            self.failure = lines[-1] if lines else f"exit code {code}"
        # Reading a big answer (27,000 findings: ~15 ms) was this turn of the event loop:
        # what the answer does to the tab comes on the next, so the two never add up.
        # (A timer, not QTimer.singleShot(0, ...): that posts an event, which Qt may handle
        # in the same turn.)
        self._timer.stop()
        self._hand_over.start()

    def _on_error(self, error) -> None:
        if error == QProcess.FailedToStart and not self._done:
            self.failure = f"{sys.executable} could not be started"
            self._finish()

    def _time_out(self) -> None:
        if not self._done:
            self._process.kill()
            self.failure = f"no answer within {TIMEOUT_MS // 1000} s"
            self._finish()

    def _finish(self) -> None:
        if self._done:
            return  # cancelled meanwhile
        self._done = True
        self._timer.stop()
        self.finished.emit(self)
        self.deleteLater()


def describe_problems(counts: dict[str, int]) -> str:
    """The status line after a check, from the findings per kind (``count_kinds``):
    "Check: 1 error, 2 warnings, 3 style points."."""
    if not any(counts.values()):
        return "Check: no problems found."
    parts = [f"{n} {singular if n == 1 else plural}"
             for kind, singular, plural in ((ERROR, "error", "errors"),
                                            (WARNING, "warning", "warnings"),
                                            (STYLE, "style point", "style points"))
             if (n := counts.get(kind, 0))]
    return f"Check: {', '.join(parts)} (marked in the margin; editing a line clears its mark)."


def replace_changed_part(editor: QsciScintilla, old: str, new: str) -> None:
    """Turn ``old`` (the editor's text) into ``new`` by replacing only what differs, as one
    undo step: the view does not jump, and one Ctrl+Z restores ``old`` exactly."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    # Scintilla counts positions in UTF-8 bytes.
    first = len(old[:start].encode("utf-8"))
    last = first + len(old[start:end_old].encode("utf-8"))
    replacement = new[start:end_new].encode("utf-8")
    top = editor.firstVisibleLine()
    editor.beginUndoAction()
    try:
        editor.SendScintilla(QsciScintilla.SCI_SETTARGETRANGE, first, last)
        editor.SendScintilla(QsciScintilla.SCI_REPLACETARGET, len(replacement), replacement)
    finally:
        editor.endUndoAction()
    editor.setFirstVisibleLine(top)
