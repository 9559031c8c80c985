"""Run a program in a child process: stream its output, feed its input, stop its whole tree.

Qt-free so the command line and tests use it directly. Nothing here ever blocks the caller
for long:

* reader threads read stdout/stderr in large chunks, decode them incrementally (UTF-8 split
  across reads and garbage bytes become U+FFFD) and push into a bounded ``OutputBuffer``, so a
  flood costs fixed memory and the child is never blocked waiting for us;
* the order between stdout and stderr is what one reader sees across both pipes (see
  ``_read_both``): two pipes share no clock, so that is the most there is to know;
* a writer thread feeds stdin, so a program that stops reading can't freeze the window;
* ``stop()`` escalates SIGINT -> SIGTERM -> SIGKILL to the child's whole process group on a
  background thread, finishing within about a second even when the program ignores SIGINT or
  started children of its own.
"""

from __future__ import annotations

import codecs
import os
import queue
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence

from presenter.core.output import STDERR, STDOUT, OutputBuffer

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

READ_CHUNK = 1 << 20  # one read takes whatever the pipe holds, up to 1 MiB
# Linux pipes hold 64 KiB by default: while the reader pauses (below) a fast program fills
# that in a couple of milliseconds and then blocks. A 1 MiB pipe (the unprivileged maximum,
# /proc/sys/fs/pipe-max-size) lets it keep running while the reader batches.
PIPE_SIZE = 1 << 20
# When a read returns only a little, the program is printing in small writes (print() under
# -u is one write per call). Waiting a moment lets the pipe fill so each read carries
# thousands of lines instead of one: far less per-read overhead and GIL traffic, for at most
# this much extra latency.
SMALL_READ = 16384
SMALL_READ_PAUSE_S = 0.004

# Stop escalation: SIGINT (KeyboardInterrupt, lets `finally` run), then SIGTERM, then SIGKILL.
STOP_STEPS_S = (0.3, 0.3)  # pause after SIGINT, pause after SIGTERM; total stays under 1 s

# How long one stream's text may wait for the other stream's unfinished line to end, so
# print("out") (two writes under -u) and a stderr line don't splice into "outerr"; see
# OutputBuffer.append. Nothing is held back otherwise: a prompt such as input("Name? ")
# shows at once.
LINE_WAIT_S = 0.05

_IS_WINDOWS = sys.platform == "win32"
_EOF = object()


def let_programs_be_interrupted() -> None:
    """Programs started from here get Ctrl-C's default, even if Presenter itself ignores it.

    A launcher that backgrounds Presenter (``nohup presenter &``, a script's ``presenter &``)
    starts it with SIGINT ignored, and an ignored signal stays ignored across exec: every
    program Run started would then ignore Stop's SIGINT (no KeyboardInterrupt, no ``finally``;
    only the SIGTERM after it ends the program). A handler, unlike an ignore, is reset to the
    default at exec, so an empty one keeps Presenter deaf to Ctrl-C, as its launcher asked,
    and gives its programs a terminal's Ctrl-C. Call once from the main thread at start.
    """
    if hasattr(signal, "SIGINT") and signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, _ignore_here)


def _ignore_here(_signum: int, _frame: object) -> None:
    """Presenter's own SIGINT, when its launcher asked it to ignore Ctrl-C."""


class LocalProcess:
    """One run of a program: start, stream, input, stop, exit status.

    ``output`` is the bounded store the reader threads fill; a GUI drains it with ``take()``.
    """

    def __init__(
        self,
        argv: Sequence[str],
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        output: OutputBuffer | None = None,
    ) -> None:
        self.argv = list(argv)
        self.cwd = None if cwd is None else os.fspath(cwd)
        self.env = dict(env) if env is not None else None
        self.output = output if output is not None else OutputBuffer(line_wait_s=LINE_WAIT_S)
        self.stop_requested = False
        self._popen: subprocess.Popen[bytes] | None = None
        self._readers: list[threading.Thread] = []
        self._readers_left = 0  # reader threads that have not yet seen end-of-file
        self._readers_lock = threading.Lock()
        self.on_output_finished: Callable[[], None] | None = None
        """Called on a reader thread once all output is in ``output`` (end-of-file on both
        pipes), so a GUI can draw the rest at once instead of at its next poll."""
        self._stdin_queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._stopper: threading.Thread | None = None
        self._escaped: set[int] = set()  # descendants that left the process group

    # ---- Public API

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    def start(self) -> None:
        """Start the program; raises OSError with a readable message if it can't."""
        if self._popen is not None:
            raise RuntimeError("this process was already started")
        kwargs: dict = {}
        if _IS_WINDOWS:
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
        else:
            # Own session and process group: stop() can signal the program and everything it
            # started, and Ctrl+C in the terminal that launched Presenter doesn't reach it.
            kwargs["start_new_session"] = True
        try:
            self._popen = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                bufsize=0,
                **kwargs,
            )
        except OSError as exc:
            raise OSError(
                exc.errno, f"Could not start {self.argv[0]!r}: {exc.strerror or exc}"
            ) from exc
        assert self._popen.stdout and self._popen.stderr
        pipes = ((STDOUT, self._popen.stdout), (STDERR, self._popen.stderr))
        for _stream, pipe in pipes:
            grow_pipe(pipe.fileno())
        if _IS_WINDOWS:  # no select() on pipes: one thread per stream
            targets = [(self._read, pipe) for pipe in pipes]
        else:
            targets = [(self._read_both, pipes)]
        self._readers_left = len(targets)
        for target, args in targets:
            thread = threading.Thread(target=self._run_reader, args=(target, args),
                                      name="presenter-reader", daemon=True)
            thread.start()
            self._readers.append(thread)
        threading.Thread(target=self._write_stdin_loop, name="presenter-stdin", daemon=True).start()

    def write_stdin(self, text: str) -> None:
        """Queue text for the program's stdin (never blocks; a writer thread sends it)."""
        self._stdin_queue.put(text.encode("utf-8"))

    def close_stdin(self) -> None:
        """Send end-of-file after anything already queued (Ctrl+D)."""
        self._stdin_queue.put(_EOF)

    def poll_exit(self) -> int | None:
        """The exit code if the program has ended, else None. Negative: killed by a signal."""
        return self._popen.poll() if self._popen else None

    @property
    def returncode(self) -> int | None:
        return self.poll_exit()

    def output_finished(self) -> bool:
        """True once both output pipes reached end-of-file (all output is in ``output``)."""
        return bool(self._readers) and self._readers_left == 0

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait for the program to end (for the CLI and tests, not the GUI thread)."""
        if self._popen is None:
            return None
        try:
            return self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def wait_output(self, timeout: float | None = None) -> bool:
        """Wait until both reader threads have seen end-of-file; True if they have."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._readers:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(left)
        return self.output_finished()

    def stop(self) -> None:
        """End the program and everything it started, without blocking the caller.

        SIGINT to the process group first (the program sees KeyboardInterrupt and can clean
        up), SIGTERM 0.3 s later, SIGKILL 0.3 s after that, each only if something in the
        group is still alive.
        """
        if self._popen is None:
            return
        self.stop_requested = True
        if self._stopper is not None and self._stopper.is_alive():
            return
        self._stopper = threading.Thread(target=self._escalate, name="presenter-stop", daemon=True)
        self._stopper.start()

    def interrupt(self) -> None:
        """SIGINT to the whole group once, as Ctrl-C in a terminal: KeyboardInterrupt, no stop.

        For programs that keep running after it (the REPL's kernel goes back to its prompt).
        """
        if self._popen is not None and self._popen.poll() is None:
            self._signal_group(signal.SIGINT)

    def kill(self) -> None:
        """SIGKILL the whole group at once (closing the app)."""
        if self._popen is None:
            return
        self.stop_requested = True
        self._signal_group(signal.SIGKILL if not _IS_WINDOWS else signal.SIGTERM)

    # ---- Internals

    def _run_reader(self, target: Callable[..., None], args: tuple) -> None:
        try:
            target(*args)
        finally:
            with self._readers_lock:
                self._readers_left -= 1
                last = self._readers_left == 0
            if last and self.on_output_finished is not None:
                self.on_output_finished()

    def _read_both(self, *pipes) -> None:
        """One reader for both pipes, stdout first whenever both have data.

        What can be known about the order: text read in an earlier pass over the pipes was
        written before text first seen in a later pass. Within one pass (the select wake-up
        plus the short pause that batches small writes, a few ms) the pipes say nothing about
        which came first. Two reader threads would race even across passes, so one reader
        serves both, and within a pass stdout goes first: the common case is a program that
        prints and then fails (``print(...)`` then a traceback), where that is right. A
        program that writes stderr and then stdout within a few milliseconds is shown stdout
        first; only a shared pipe (losing which stream is which) could do better.
        """
        decoders = {stream: codecs.getincrementaldecoder("utf-8")(errors="replace")
                    for stream, _ in pipes}
        open_pipes = {pipe.fileno(): (stream, pipe) for stream, pipe in pipes}
        append = self.output.append
        # poll(), not epoll (Linux's DefaultSelector): an epoll registration stays on the
        # pipes between waits, so every write the program makes runs epoll's wake-up callback,
        # even while this thread is busy or pausing. A flood of 100,000 coloured lines is
        # 200,000 writes: the program took 0.18 s with epoll, 0.165 s with poll (0.155 s with
        # a bare blocking read). poll() only listens while it waits.
        with selectors.PollSelector() as selector:
            for fd, (stream, _pipe) in open_pipes.items():
                selector.register(fd, selectors.EVENT_READ, stream)
            while open_pipes:
                ready = selector.select()
                ready.sort(key=lambda item: item[0].data != STDOUT)
                small = True
                for key, _events in ready:
                    stream = key.data
                    try:
                        data = os.read(key.fd, READ_CHUNK)
                    except OSError:
                        data = b""
                    if not data:
                        selector.unregister(key.fd)
                        _stream, pipe = open_pipes.pop(key.fd)
                        tail = decoders[stream].decode(b"", final=True)
                        if tail:
                            append(stream, tail)
                        try:
                            pipe.close()
                        except OSError:
                            pass
                        continue
                    text = decoders[stream].decode(data)
                    if text:
                        append(stream, text)
                    small = small and len(data) < SMALL_READ
                if small and open_pipes:
                    time.sleep(SMALL_READ_PAUSE_S)
        self.output.flush()

    def _read(self, stream: str, pipe) -> None:
        fd = pipe.fileno()
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        append = self.output.append
        try:
            while True:
                try:
                    data = os.read(fd, READ_CHUNK)
                except OSError:
                    break
                if not data:
                    break
                text = decoder.decode(data)
                if text:
                    append(stream, text)
                if len(data) < SMALL_READ:
                    time.sleep(SMALL_READ_PAUSE_S)
            tail = decoder.decode(b"", final=True)
            if tail:
                append(stream, tail)
            self.output.flush()
        finally:
            try:
                pipe.close()
            except OSError:
                pass

    def _write_stdin_loop(self) -> None:
        assert self._popen is not None
        pipe = self._popen.stdin
        assert pipe is not None
        while True:
            item = self._stdin_queue.get()
            try:
                if item is _EOF:
                    pipe.close()
                    return
                pipe.write(item)  # type: ignore[arg-type]
                pipe.flush()
            except (OSError, ValueError):
                return  # the program closed its stdin or ended: nothing more to send

    def _group_alive(self) -> bool:
        assert self._popen is not None
        self._popen.poll()  # reap the leader so a zombie doesn't count as alive
        if any(_pid_alive(pid) for pid in self._escaped):
            return True
        if _IS_WINDOWS:
            return self._popen.returncode is None
        try:
            os.killpg(self._popen.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def _signal_group(self, sig: int) -> None:
        assert self._popen is not None
        if _IS_WINDOWS:  # best effort: no process groups as on POSIX
            try:
                if sig == signal.SIGINT:
                    self._popen.send_signal(signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined]
                else:
                    subprocess.run(
                        ["taskkill", "/F", "/T", "/PID", str(self._popen.pid)],
                        capture_output=True,
                        check=False,
                    )
            except OSError:
                pass
            return
        try:
            os.killpg(self._popen.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        for pid in self._escaped:
            try:
                os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass

    def _note_escaped_descendants(self) -> None:
        """Remember descendants that left our process group (setsid, start_new_session).

        Signalling the group misses them, and once their parent dies they are re-parented and
        can't be traced back, so look now, while the tree is intact (Linux /proc; elsewhere
        the group signal is all we do).
        """
        assert self._popen is not None
        pgid = self._popen.pid
        for pid in _descendants(pgid):
            try:
                if os.getpgid(pid) != pgid:
                    self._escaped.add(pid)
            except (ProcessLookupError, PermissionError):
                pass

    def _escalate(self) -> None:
        steps = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)
        pauses = (*STOP_STEPS_S, 0.0)
        for sig, pause in zip(steps, pauses, strict=True):
            if not _IS_WINDOWS:
                self._note_escaped_descendants()
            if not self._group_alive():
                return
            self._signal_group(sig)
            deadline = time.monotonic() + pause
            while time.monotonic() < deadline:
                if not self._group_alive():
                    return
                time.sleep(0.01)
        # After SIGKILL, reap the leader promptly so poll_exit() reports at once.
        try:
            self._popen.wait(1.0)  # type: ignore[union-attr]
        except subprocess.TimeoutExpired:
            pass


def grow_pipe(fd: int) -> None:
    """Ask for a PIPE_SIZE pipe (Linux); elsewhere, or when refused, keep the default."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is None:
        return
    try:
        fcntl.fcntl(fd, set_size, PIPE_SIZE)
    except OSError:
        pass  # above the system's limit, or too many big pipes for this user: fine as it is


def _pid_alive(pid: int) -> bool:
    """True if ``pid`` runs and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        if sys.platform.startswith("linux"):
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _descendants(root: int) -> set[int]:
    """Every live descendant of ``root`` (Linux: one pass over /proc; elsewhere empty)."""
    parents: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return set()
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in parents.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def describe_exit(returncode: int | None, stopped: bool = False) -> str:
    """The info line shown when a run ends, e.g. "Process finished with exit code 0"."""
    if returncode is None:
        return "Process stopped" if stopped else "Process ended"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        if stopped:
            return f"Process stopped ({name})"
        return f"Process killed by signal {-returncode} ({name})"
    if stopped:
        return f"Process stopped (exit code {returncode})"
    return f"Process finished with exit code {returncode}"
