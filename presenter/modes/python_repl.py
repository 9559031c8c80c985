"""Python mode's REPL: an IPython kernel (``local.kernel``) shown in a ``JupyterPane``.

Nothing of it is imported until the REPL is first opened: this module, the pane and the
kernel machinery load on that first click, so start-up time and memory do not change
(``bench/startup.py``; a test checks the imports). qtconsole itself (~0.4 s to import) is
imported on the worker thread while the kernel boots; the pane shows "Starting…" meanwhile.

How it behaves:

* **Same Python as Run.** The kernel runs with the ``modes.python.interpreter`` setting, in
  the current tab's folder (home for an untitled tab). Without ipykernel there, the pane
  says so and shows the exact install command; Restart tries again (after installing, or
  after changing the setting).
* **Never blocking.** Starting, restarting and ending the kernel happen on one worker thread
  (``qt.workers.Worker``), in order; the answers come back on the GUI thread.
* **Run in REPL** runs the current tab with IPython's ``%run``: the saved file itself, or a
  private copy named after the tab (``local.scripts``, as Run does), after a ``%cd`` to the
  file's folder when the REPL is elsewhere. Its variables stay in the REPL to explore. If
  the kernel is still starting, the run waits for the first prompt; if code is running, the
  status bar says to interrupt it first.
* **Interrupt** is Ctrl-C for the running code; **Restart** gives a fresh Python.
* **A kernel that ends by itself** (``exit()``, a crash) is replaced by a fresh one if it
  had been working; one that ends before its first prompt leaves its last words in the pane.
* Hiding the pane keeps the kernel and its variables; leaving the mode or closing the
  window ends it (and ipykernel ends itself if Presenter dies).
"""

from __future__ import annotations

import logging
import os
import shlex
from collections.abc import Callable
from pathlib import Path

from PyQt5.QtCore import QObject, QTimer, pyqtSignal

from presenter import paths
from presenter.local.kernel import KernelProcess, KernelUnavailable
from presenter.local.scripts import ScriptCopies
from presenter.modes.api import EditorSnapshot, Look, ModeContext, mark_pane_toggle
from presenter.qt.jupyter_pane import JupyterPane
from presenter.qt.workers import Worker

log = logging.getLogger(__name__)

REPL_ACTION = "view.repl"
REPL_SETTING = "repl_visible"
WATCH_MS = 500  # how often to look whether the kernel process is still there


class PythonRepl(QObject):
    """The REPL pane and its kernel for one window (made on first open)."""

    # ---- Signals
    kernel_started = pyqtSignal()
    """A kernel process runs (its prompt follows once it answers: ``pane.ready``)."""

    def __init__(self, context: ModeContext, interpreter: Callable[[], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._interpreter = interpreter
        self.pane: JupyterPane | None = None
        self.kernel: KernelProcess | None = None
        self._state = "off"  # off, starting, running, failed
        self._answered = False  # the running kernel has shown a prompt
        self._pending: str | None = None  # code to run once the first prompt is up
        self._kernel_cwd = ""
        self._closed = False
        self._scripts = ScriptCopies()
        self._worker: Worker | None = None  # made on first use, ended by shutdown
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._check_alive)

    # ---- Public API
    def is_visible(self) -> bool:
        return self.pane is not None and not self.pane.isHidden()

    def is_running(self) -> bool:
        """A kernel runs (or starts): changing the interpreter needs a Restart."""
        return self._state in ("starting", "running")

    def toggle(self) -> None:
        self.set_visible(not self.is_visible())

    def set_visible(self, visible: bool, remember: bool = True) -> None:
        """Show or hide the pane; the first show starts the kernel. Hiding keeps it."""
        context = self._context
        if visible and self.pane is None:
            self._build_pane()
        if self.pane is not None:
            self.pane.setVisible(visible)
        mark_pane_toggle(context, REPL_ACTION, visible)
        if visible:
            if self._state == "off":
                self._start_kernel()
            self.pane.setFocus()
        if remember and bool(context.settings.get(REPL_SETTING)) != visible:
            context.settings[REPL_SETTING] = visible
            context.save_settings()

    def run_file(self, snapshot: EditorSnapshot) -> None:
        """Run the tab in the kernel (``%run``), so its variables can be explored there."""
        if not self.is_visible():
            self.set_visible(True)
        if self._state == "failed":
            self._context.show_message("The REPL is not running: see the REPL pane.", "warning")
            return
        assert self.pane is not None
        if self.pane.is_busy():
            self._context.show_message("The REPL is still running code: interrupt it first "
                                       "(Ctrl+C in the REPL, or its Interrupt button).", "warning")
            return
        prepared = self._scripts.prepare(snapshot.text, snapshot.path, snapshot.title)
        self._pending = self._run_code(prepared.script, prepared.cwd)
        self._run_pending()
        self.pane.setFocus()

    def interrupt(self) -> None:
        if self.kernel is not None and self._state == "running":
            self.kernel.interrupt()

    def restart(self) -> None:
        """A fresh Python (also: try again after a failed start, with the current setting)."""
        if self._closed or self._state == "starting":
            return
        self._pending = None
        self._start_kernel(restarted=self._state == "running")

    def apply_appearance(self, look: Look) -> None:
        if self.pane is not None:
            self.pane.set_theme(look.theme)
            self.pane.set_font_size(look.code_pt, look.code_family)

    def shutdown(self) -> None:
        """End the kernel and forget the pane's connection (mode left, window closing)."""
        self._watch.stop()
        self._pending = None
        kernel, self.kernel = self.kernel, None
        self._state = "off"
        if self.pane is not None:
            self.pane.disconnect_kernel()
            self.pane.show_message("The REPL starts when it is shown again.")
        if kernel is not None:
            self._submit(kernel.shutdown, lambda _result: None)
        if self._worker is not None:
            self._worker.close()  # its thread ends after the jobs queued
            self._worker = None
        self._scripts.cleanup()

    def close(self) -> None:
        """For good (the window is closing): end the kernel at once, not queued."""
        kernel, self.kernel = self.kernel, None
        self.shutdown()
        self._closed = True
        if kernel is not None:
            kernel.shutdown()

    # ---- Internals
    def _build_pane(self) -> None:
        pane = JupyterPane(self._context.window())
        pane.run_file_requested.connect(self._run_current_tab)
        pane.interrupt_requested.connect(self.interrupt)
        pane.restart_requested.connect(self.restart)
        pane.ready.connect(self._on_prompt)
        self._context.place_pane(pane, "bottom")
        self.pane = pane
        self.apply_appearance(self._context.look())

    def _start_kernel(self, restarted: bool = False) -> None:
        assert self.pane is not None
        interpreter = self._interpreter()
        if self.kernel is None:
            cwd = self._start_folder()
            self.kernel = KernelProcess(interpreter, cwd=cwd, env=_kernel_env())
            self._kernel_cwd = cwd
        kernel = self.kernel
        self._state = "starting"
        self._answered = False
        self._watch.stop()
        self.pane.disconnect_kernel()
        self.pane.show_message(f"Starting {interpreter}…")
        def work() -> str:
            connection_file = kernel.restart(interpreter) if restarted else kernel.start()
            # While the kernel boots (about a second), import qtconsole here rather than
            # on the GUI thread: importing creates no Qt objects, and the window keeps going.
            import presenter.qt.jupyter_console  # noqa: F401

            return connection_file

        self._submit(work, lambda path: self._on_started(kernel, path, restarted),
                     lambda error: self._on_start_failed(kernel, error))

    def _on_started(self, kernel: KernelProcess, connection_file: str, restarted: bool) -> None:
        if kernel is not self.kernel or self._closed:
            kernel.shutdown()  # the mode was left while it started
            return
        self._state = "running"
        self._kernel_cwd = kernel.cwd or self._kernel_cwd
        assert self.pane is not None
        self.pane.connect_kernel(connection_file, restarted=restarted)
        self._watch.start()
        self.kernel_started.emit()

    def _on_start_failed(self, kernel: KernelProcess, error: Exception) -> None:
        if kernel is not self.kernel:
            return
        self._state = "failed"
        assert self.pane is not None
        if isinstance(error, KernelUnavailable):
            self.pane.show_message(f"{error}\n\nThen press Restart.", error.install_command)
            self._context.show_message(str(error), "error")
        else:
            log.error("the REPL's kernel did not start: %s", error)
            self.pane.show_message(f"The REPL could not start: {error}")
            self._context.show_message(f"The REPL could not start: {error}", "error")

    def _run_current_tab(self) -> None:
        snapshot = self._context.current_editor()
        if snapshot is not None:
            self.run_file(snapshot)

    def _on_prompt(self) -> None:
        self._answered = True
        self._run_pending()

    def _run_pending(self) -> None:
        if self._pending and self.pane is not None and self.pane.execute(self._pending):
            self._pending = None

    def _check_alive(self) -> None:
        kernel = self.kernel
        if kernel is None or self._state != "running":
            return
        code = kernel.poll_exit()
        if code is None:
            return
        self._watch.stop()
        assert self.pane is not None
        if self._answered:  # exit(), or the code crashed it: carry on with a fresh one
            self._context.show_message(f"The REPL's Python ended (exit code {code}): a fresh "
                                       "one is starting.", "warning")
            self._start_kernel(restarted=True)
            return
        self._state = "failed"
        last_words = kernel.log_tail().strip()
        self.pane.disconnect_kernel()
        self.pane.show_message(f"The REPL's Python stopped before it was ready (exit code "
                               f"{code}).\n\n{last_words}\n\nPress Restart to try again.")
        self._context.show_message("The REPL's Python stopped before it was ready: see the "
                                   "REPL pane.", "error")

    def _start_folder(self) -> str:
        snapshot = self._context.current_editor()
        if snapshot is not None and snapshot.path:
            return str(Path(snapshot.path).resolve().parent)
        return str(Path.home())

    def _run_code(self, script: str, cwd: str) -> str:
        """``%run`` of the script, after a ``%cd`` when the REPL works elsewhere."""
        lines = []
        if os.path.normcase(cwd) != os.path.normcase(self._kernel_cwd):
            lines.append(f"%cd -q {_quote(cwd)}")
            self._kernel_cwd = cwd
        target = script
        if os.path.normcase(os.path.dirname(script)) == os.path.normcase(cwd):
            target = os.path.basename(script)
        lines.append(f"%run {_quote(target)}")
        return "\n".join(lines)

    def _submit(self, work: Callable[[], object], done: Callable[[object], None],
                failed: Callable[[Exception], None] | None = None) -> None:
        """Run ``work`` on the kernel's worker thread; ``done``/``failed`` on the GUI thread."""
        if self._closed:
            return
        if self._worker is None:
            self._worker = Worker("presenter-kernel", parent=self)
        self._worker.call(lambda _control: work(), done=done, failed=failed)


def _quote(path: str) -> str:
    """A path as IPython's magics read it: bare if it can be, else in double quotes."""
    if path and path == shlex.quote(path):
        return path
    return '"' + path.replace('"', '\\"') + '"'


def _kernel_env() -> dict[str, str]:
    """The kernel's environment: Presenter's, with IPython's folder kept private when
    ``PRESENTER_HOME`` is (a test, a USB stick), instead of the user's ~/.ipython."""
    env = dict(os.environ)
    if os.environ.get("PRESENTER_HOME"):
        env["IPYTHONDIR"] = str(paths.state_dir() / "ipython")
    return env
