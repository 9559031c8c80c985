"""Run the current editor buffer with CPython and show it in the output pane.

Joins the Qt-free ``local.process.LocalProcess`` to the thin ``qt.output_pane.OutputPane``:

* the buffer text goes to a temp file in a private folder, named after the tab
  (``untitled-1.py``), so unsaved and untitled buffers run without forcing a Save and
  tracebacks still read naturally; a saved, unmodified file runs in place
  (``local.scripts``, shared with Run in REPL);
* a QTimer drains the process's bounded output store every ``poll_ms`` and hands the pane at
  most ``batch_lines`` lines per tick, in slices, stopping once a tick has spent its time
  budget (coloured text is a Qt call per coloured run; a full pane trims a line for each new
  one), so the event loop always turns during a flood; once the program has ended, what is
  left is drained a tick per event-loop turn;
* traceback lines naming the temp copy show the tab's name instead ("untitled-1",
  "demo.py": the audience never sees a temp path), and clicks on them come back as the
  editor's path, or as ``untitled:<title>`` for an untitled buffer (``UNTITLED_PREFIX``).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from contextlib import nullcontext

from PyQt5.QtCore import QObject, QTimer, pyqtSignal

from presenter.core.output import OutputBatch, OutputBuffer
from presenter.core.tracebacks import UNTITLED_PREFIX  # noqa: F401 (named here since before)
from presenter.local.process import LINE_WAIT_S, LocalProcess, describe_exit
from presenter.local.scripts import ScriptCopies
from presenter.qt.output_pane import OutputPane

# After the program exits, output may still sit in the pipes; a grandchild that inherited
# them may keep them open for ever. Wait this long for end-of-file, then report the exit.
_EXIT_GRACE_S = 1.0
# About how much GUI time one tick may spend showing output; the lines per tick adapt to it.
_TICK_BUDGET_S = 0.025
_MIN_TICK_LINES = 100
# A tick hands the pane lines in slices and stops when its budget is spent. Sizing a whole
# tick from the last one's cost overshot: a line costs four times more once the pane is full
# (Qt then trims the oldest line for each new one) than after a flood's dropped lines
# cleared it, and the first tick into a full pane took 150 ms on X11, which a demo being
# typed meanwhile felt (bench/demo_typing.py). So a slice is sized from what the last slice
# cost a line, to cost about _SLICE_S: a jump in that cost overshoots one slice by a few ms,
# not a tick. A slice must not be needlessly small either: each one makes the pane lay out
# the screenful at its end again (0.5 ms of coloured lines), which at a fixed 250 lines was a
# fifth of a coloured flood's drawing time.
_SLICE_S = 0.004
_SLICE_LINES = 250  # the first slice of a run, before one has been measured
_MIN_SLICE_LINES = 50
_MAX_SLICE_LINES = 2000


class PythonRunner(QObject):
    """Run/Stop/input for one output pane. All methods return at once (GUI-thread safe)."""

    # ---- Signals

    started = pyqtSignal()
    """The program started (the pane is now accepting input)."""

    output_received = pyqtSignal(object)
    """An ``OutputBatch`` was taken from the program (after it went to the attached pane)."""

    finished = pyqtSignal(object, str)
    """The run ended: (exit code or None if it never started, human description)."""

    _output_ended = pyqtSignal(object)  # from a reader thread: all of that process's output is in

    # ---- Construction

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_lines: int = 20000,
        max_line_chars: int = 10000,
        poll_ms: int = 30,
        batch_lines: int = 4000,
        untitled_cwd: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.max_lines = max_lines
        self.max_line_chars = max_line_chars
        self.batch_lines = batch_lines
        self.poll_ms = poll_ms
        self.untitled_cwd = untitled_cwd
        self._tick_lines = batch_lines // 4  # grows at once if lines are cheap to show
        self._slice_lines = _SLICE_LINES
        self._pane: OutputPane | None = None
        self._process: LocalProcess | None = None
        self._exit_seen_at: float | None = None
        self._scripts = ScriptCopies(untitled_cwd)
        self.script: str | None = None  # the file the last run ran (a temp copy or the file)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._drain)
        self._output_ended.connect(self._on_output_ended)

    # ---- Public API

    def attach(self, pane: OutputPane) -> None:
        """Show runs in ``pane``.

        The pane's input (``input_submitted``, ``eof_requested``) is not connected here: the
        workbench routes it to the active mode, which calls ``send_input``/``close_input``.
        One route only, or every typed line reaches the program twice; and attaching again
        (the mode re-activated) must not add connections either.
        """
        self._pane = pane
        pane.set_max_lines(self.max_lines)

    def run(
        self,
        source: str,
        path: str | None,
        title: str,
        interpreter: str | None = None,
        clear: bool = True,
        command: Callable[[str, str], list[str]] | None = None,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        """Run ``source`` (the buffer text of the tab ``title``, saved at ``path`` or not).

        ``command(interpreter, script)`` gives the command line when it is not the plain
        ``interpreter -u script`` (the debugger's), and ``extra_env`` adds to the child's
        environment. Raises RuntimeError if a program is already running (Stop first).
        """
        if self.is_running():
            raise RuntimeError("A program is already running: stop it first.")
        interpreter = interpreter or sys.executable
        script, cwd, alias, extra_path = self._prepare(source, path, title)
        self.script = script
        shown_as = {script: title} if alias else {}  # a temp copy: tracebacks name the tab
        env = dict(os.environ)
        env["PYTHONIOENCODING"] = "utf-8"
        env["PYTHONUNBUFFERED"] = "1"
        if extra_path:  # a temp copy of a saved file still imports its neighbours
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [extra_path, env.get("PYTHONPATH")]))
        env.update(extra_env or {})
        argv = command(interpreter, script) if command else [interpreter, "-u", script]
        output = OutputBuffer(self.max_lines, self.max_line_chars, LINE_WAIT_S)
        process = LocalProcess(argv, cwd=cwd, env=env, output=output)
        process.on_output_finished = lambda: self._output_ended.emit(process)
        if self._pane is not None:
            if clear:
                self._pane.clear()
            self._pane.set_path_aliases({script: alias} if alias else {}, shown_as)
        try:
            process.start()
        except OSError as exc:
            message = f"{exc.strerror or exc}. Check the Python interpreter setting."
            if self._pane is not None:
                self._pane.append_info(message)
            self.finished.emit(None, message)
            return
        self._process = process
        self._exit_seen_at = None
        self._tick_lines = self.batch_lines // 4
        self._slice_lines = _SLICE_LINES
        if self._pane is not None:
            self._pane.set_running(True)
        self._timer.start(self.poll_ms)
        self.started.emit()

    def stop(self) -> None:
        """Stop the program and everything it started (returns at once; ends within ~1 s)."""
        if self._process is not None:
            self._process.stop()

    def send_input(self, text: str) -> None:
        """Send one line to the program's stdin (the pane has echoed it on a line of its own)."""
        if self._process is not None:
            self._process.output.break_line()
            self._process.write_stdin(text + "\n")

    def close_input(self) -> None:
        """End-of-file on the program's stdin (Ctrl+D)."""
        if self._process is not None:
            self._process.close_stdin()

    def is_running(self) -> bool:
        return self._process is not None

    @property
    def process(self) -> LocalProcess | None:
        """The running process (tests and the debugger look at its pid)."""
        return self._process

    def shutdown(self) -> None:
        """Kill any running program and remove the temp folder (window closing)."""
        if self._process is not None:
            self._process.kill()
        self._timer.stop()
        self._process = None
        self._scripts.cleanup()

    # ---- Internals

    def _prepare(self, source: str, path: str | None, title: str) -> tuple[str, str, str, str]:
        """Decide what file to run and where: (script, cwd, traceback alias, PYTHONPATH extra)."""
        self._scripts.untitled_cwd = self.untitled_cwd
        prepared = self._scripts.prepare(source, path, title)
        return prepared.script, prepared.cwd, prepared.alias, prepared.extra_path

    def _drain(self) -> None:
        process = self._process
        if process is None:
            self._timer.stop()
            return
        started = time.perf_counter()
        taken = 0
        # The tick's slices are one document edit: the pane lays out and scrolls once.
        with self._pane.batched() if self._pane is not None else nullcontext():
            while True:
                wanted = min(self._slice_lines, self._tick_lines - taken)
                slice_started = time.perf_counter()
                batch = process.output.take(wanted)
                self._deliver(batch)
                taken += batch.lines_taken
                now = time.perf_counter()
                self._fit_slice(batch.lines_taken, now - slice_started)
                spent = now - started
                if (batch.lines_taken < wanted or taken >= self._tick_lines
                        or spent >= _TICK_BUDGET_S):
                    break  # all there was, all a tick may take, or its time is up
                if batch.dropped_lines >= self._tick_lines and not process.output_finished():
                    # More was dropped since the last tick than a tick can draw: the
                    # program prints at least twice as fast as the pane can show, the buffer
                    # is full, and the next gap will clear whatever more the pane draws now.
                    # One slice keeps the view moving; the GUI thread's time is better left
                    # to the reader thread, which the program waits on, and to what the user
                    # is doing. (A smaller gap draws on as before, so a pane that can catch
                    # up does.)
                    break
        spent = time.perf_counter() - started
        self._fit_tick(taken, spent)
        code = process.poll_exit()
        if code is None:
            if process.output_finished():
                # All output is in (the program is ending, or closed its pipes): draw the
                # rest a tick per event-loop turn, then wait for the exit at the poll rate.
                self._timer.setInterval(0 if len(process.output) else self.poll_ms)
            return
        now = time.monotonic()
        if self._exit_seen_at is None:
            self._exit_seen_at = now
        if not process.output_finished() and now - self._exit_seen_at < _EXIT_GRACE_S:
            return
        if len(process.output):
            if process.output_finished():
                self._timer.setInterval(0)  # nothing more comes: a batch per event-loop turn
                return  # still draining in bounded batches
        process.output.end_line()
        self._deliver(process.output.take())
        self._timer.stop()
        self._process = None
        description = describe_exit(code, stopped=process.stop_requested)
        if self._pane is not None:
            self._pane.set_running(False)
            self._pane.append_info(description)
        self.finished.emit(code, description)

    def _on_output_ended(self, process: LocalProcess) -> None:
        """The program's output ended: draw what is left now, not at the next poll (a
        coloured flood's last 20,000 lines take ~0.15 s to draw; a poll is up to 30 ms)."""
        if process is self._process and self._timer.isActive():
            self._timer.setInterval(0)

    def _fit_slice(self, taken: int, spent_s: float) -> None:
        """Size the next slice to cost about ``_SLICE_S``, from what this one cost a line."""
        if taken < _MIN_SLICE_LINES:
            return  # too few lines to say what one costs (the tail of a tick, a quiet program)
        scaled = int(taken * _SLICE_S / max(spent_s, 1e-4))
        self._slice_lines = max(_MIN_SLICE_LINES, min(_MAX_SLICE_LINES, scaled))

    def _fit_tick(self, taken: int, spent_s: float) -> None:
        """Scale the lines per tick so a tick costs about ``_TICK_BUDGET_S`` of GUI time."""
        if spent_s <= _TICK_BUDGET_S and taken < self._tick_lines:
            return  # the program is not outrunning the pane: nothing to learn
        scaled = int(self._tick_lines * _TICK_BUDGET_S / max(spent_s, 1e-3))
        self._tick_lines = max(_MIN_TICK_LINES, min(self.batch_lines, scaled))

    def _deliver(self, batch: OutputBatch) -> None:
        if not batch.chunks and not batch.dropped_lines:
            return
        if self._pane is not None:
            self._pane.append_chunks(batch.chunks, batch.dropped_lines)
        self.output_received.emit(batch)
