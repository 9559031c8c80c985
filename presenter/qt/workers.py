"""Run blocking callables on one background thread; results come back on the GUI thread.

Why this exists: anything that can block (a serial port, a drive being written) must never
run on the GUI thread, or the stage freezes. A mode hands a ``Worker`` plain callables; the
worker knows nothing about boards (``qt/`` never imports the engines), so a board mode wraps
its engine calls, and any other blocking job can use it too.

Threads and ordering:

* Jobs run one at a time, in the order submitted, on the worker's own thread. One thread per
  resource (a board) means the resource is never used from two threads at once.
* ``call(work, done=, failed=, progress=)`` runs ``work(control)`` on the worker and calls
  ``done(result)`` or ``failed(exception)`` on the GUI thread. Everything a worker hands to the
  GUI thread goes through one ``GuiPost`` queue in order, so a job's last progress report
  arrives before its ``done``.
* Progress is coalesced: however often ``control.progress(n, total)`` is called, at most one
  report waits for the GUI thread, carrying the newest figures, so a fast transfer cannot
  flood the event loop.
* ``Job.cancel()`` only sets ``control.cancelled``; the work decides when to look at it.
* An ``idle`` callback runs on the worker whenever no job arrived for ``idle_interval`` s:
  a cheap place to notice that the resource went away (an unplugged board) without polling
  from the GUI thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PyQt5.QtCore import QObject, Qt, pyqtSignal

log = logging.getLogger(__name__)

T = TypeVar("T")


class GuiPost(QObject):
    """Callables posted from any thread, called in order on the thread that owns this object.

    One queued signal is pending at most, whatever the number of posts, so a busy worker
    never floods the event loop with signals.
    """

    _ready = pyqtSignal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._calls: list[tuple[Callable[..., Any], tuple]] = []
        self._ready.connect(self._drain, Qt.QueuedConnection)

    def post(self, call: Callable[..., Any], *args: Any) -> None:
        """Call ``call(*args)`` on the GUI thread soon (thread-safe, never blocks)."""
        with self._lock:
            first = not self._calls
            self._calls.append((call, args))
        if first:
            try:
                self._ready.emit()
            except RuntimeError:  # the window is gone (quitting): nobody is left to tell
                log.debug("dropped a callback for a deleted receiver: %r", call)

    def _drain(self) -> None:
        with self._lock:
            calls, self._calls = self._calls, []
        for call, args in calls:
            try:
                call(*args)
            except Exception:  # a broken callback must not eat the ones after it
                log.exception("callback %r failed", call)


class JobControl:
    """What a job's work can see: whether it was cancelled, and where progress goes."""

    def __init__(self, report: Callable[[int, int], None] | None = None) -> None:
        self.cancelled = threading.Event()
        self._report = report

    def progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` (bytes, files...); cheap enough to call per chunk."""
        if self._report is not None:
            self._report(done, total)


class Job(Generic[T]):
    """A submitted call: ``cancel()`` asks it to stop; ``finished`` once done or failed."""

    def __init__(self, post: GuiPost, progress: Callable[[int, int], None] | None) -> None:
        self._post = post
        self._on_progress = progress
        self._lock = threading.Lock()
        self._latest: tuple[int, int] | None = None
        self._report_waiting = False
        self.finished = False
        self.control = JobControl(self._report if progress is not None else None)

    def cancel(self) -> None:
        """Set ``control.cancelled``; the work stops at its next look (it may have finished)."""
        self.control.cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self.control.cancelled.is_set()

    # ---- Internals (worker thread -> GUI thread)

    def _report(self, done: int, total: int) -> None:
        with self._lock:
            self._latest = (done, total)
            if self._report_waiting:
                return  # the waiting report will carry these newer figures
            self._report_waiting = True
        self._post.post(self._deliver_progress)

    def _deliver_progress(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
            self._report_waiting = False
        if latest is not None and self._on_progress is not None:
            self._on_progress(*latest)


class Worker:
    """One background thread running submitted jobs in order. Create it on the GUI thread."""

    def __init__(
        self,
        name: str,
        idle: Callable[[], None] | None = None,
        idle_interval: float = 0.25,
        parent: QObject | None = None,
    ) -> None:
        self.name = name
        self._idle = idle
        self._idle_interval = idle_interval
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._post = GuiPost(parent)
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    # ---- Public API

    @property
    def post(self) -> GuiPost:
        """The GUI-thread queue this worker's results go through (for extra callbacks)."""
        return self._post

    def submit(self, job: Callable[[], None]) -> None:
        """Run ``job()`` on the worker thread after the jobs before it. Exceptions are logged."""
        if not self._closed:
            self._jobs.put(job)

    def call(
        self,
        work: Callable[[JobControl], T],
        *,
        done: Callable[[T], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Job[T]:
        """Run ``work(control)`` on the worker; ``done``/``failed``/``progress`` on the GUI thread."""
        job: Job[T] = Job(self._post, progress)

        def run() -> None:
            try:
                result = work(job.control)
            except Exception as exc:  # noqa: BLE001 - every failure reaches ``failed``
                job.finished = True
                if failed is not None:
                    self._post.post(failed, exc)
                else:
                    log.warning("job on %s failed: %s", self.name, exc)
                return
            job.finished = True
            if done is not None:
                self._post.post(done, result)

        self.submit(run)
        return job

    def on_thread(self) -> bool:
        """True when called from this worker's own thread."""
        return threading.current_thread() is self._thread

    def close(self, timeout: float = 0.0) -> None:
        """Let the queued jobs finish, then end the thread; wait at most ``timeout`` s."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        if timeout > 0 and not self.on_thread():
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    # ---- Worker thread

    def _loop(self) -> None:
        while True:
            try:
                job = self._jobs.get(timeout=self._idle_interval if self._idle else None)
            except queue.Empty:
                self._run_safely(self._idle)
                continue
            if job is None:
                return
            self._run_safely(job)

    def _run_safely(self, job: Callable[[], None] | None) -> None:
        if job is None:
            return
        try:
            job()
        except Exception:  # noqa: BLE001 - the worker must outlive a broken job
            log.exception("job on %s failed", self.name)
