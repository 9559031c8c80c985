"""An IPython kernel in a child process, for the REPL pane: start, interrupt, restart, end.

Qt-free, and imported only when the REPL is first opened (jupyter_client is loaded inside
``start``), so start-up never pays for it. The kernel runs with the same interpreter as Run
(the ``modes.python.interpreter`` setting), so the REPL sees the packages the program sees.

What keeps it private and tidy:

* It listens on loopback only (``127.0.0.1``, TCP) and every message is signed with a random
  key; the connection file holding the key and ports is in a private folder (mode 0700)
  and is itself readable by the user alone (0600, jupyter_client's ``secure_write``).
* It runs in its own session and process group (``LocalProcess``), so Interrupt reaches the
  code it runs (and what that code started) and Restart/shut-down end all of it.
* ``JPY_PARENT_PID`` makes ipykernel end itself if Presenter dies (a crash or ``kill -9``
  leaves no kernel behind).

Every method blocks for at most a few seconds: callers on a GUI run them on a worker thread.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from presenter.core.output import OutputBuffer
from presenter.local.process import LocalProcess

LOOPBACK = "127.0.0.1"
PROBE_TIMEOUT_S = 30.0  # a first import on a cold, busy machine can take seconds
# Exits 0 when ipykernel can be imported, 3 when it is not installed (find_spec is cheap:
# nothing is imported, so the probe takes ~30 ms rather than ipykernel's ~1 s).
_PROBE = ("import importlib.util, sys; "
          "sys.exit(0 if importlib.util.find_spec('ipykernel') else 3)")
_NOT_INSTALLED = 3


class KernelUnavailable(Exception):
    """The REPL cannot start with this interpreter; ``str()`` says why and what to do.

    ``install_command`` is set when what is missing is ipykernel: the exact command that
    installs it for this interpreter.
    """

    def __init__(self, message: str, install_command: str = "") -> None:
        super().__init__(message)
        self.install_command = install_command


def install_command(interpreter: str) -> str:
    """The command that installs ipykernel for ``interpreter``, quoted for its platform's shell."""
    argv = [interpreter, "-m", "pip", "install", "ipykernel"]
    if sys.platform == "win32":
        return subprocess.list2cmdline(argv)
    return shlex.join(argv)


def check_interpreter(interpreter: str, timeout: float = PROBE_TIMEOUT_S) -> None:
    """Raise KernelUnavailable unless ``interpreter`` runs and can import ipykernel."""
    try:
        result = subprocess.run([interpreter, "-c", _PROBE], capture_output=True, text=True,
                                timeout=timeout, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise KernelUnavailable(
            f"The Python interpreter “{interpreter}” could not be started "
            f"({exc.strerror or exc}). Check the Python interpreter setting.") from None
    except subprocess.TimeoutExpired:
        raise KernelUnavailable(f"The Python interpreter “{interpreter}” did not answer within "
                                f"{timeout:.0f} s.") from None
    if result.returncode == _NOT_INSTALLED:
        command = install_command(interpreter)
        raise KernelUnavailable(
            f"The REPL needs the ipykernel package, which {interpreter} does not have. "
            f"Install it with: {command}", command)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise KernelUnavailable(f"“{interpreter}” is not a Python that can run the REPL"
                                + (f": {detail[-1]}" if detail else "."))


class KernelProcess:
    """One IPython kernel for one REPL pane; ``connection_file`` is what a client needs."""

    def __init__(self, interpreter: str, cwd: str | os.PathLike[str] | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        self.interpreter = interpreter
        self.cwd = None if cwd is None else os.fspath(cwd)
        self.env = dict(os.environ if env is None else env)
        self.connection_file: str | None = None
        self._folder: str | None = None
        self._process: LocalProcess | None = None

    # ---- Public API

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> str:
        """Check the interpreter, write the connection file, start the kernel; return the file.

        Raises KernelUnavailable (with the install command when ipykernel is missing) or
        OSError. Returns once the process runs; it answers a moment later (a client's first
        request simply waits in its socket until then).
        """
        if self._process is not None:
            raise RuntimeError("the kernel is already running: restart or shut it down")
        check_interpreter(self.interpreter)
        if self.connection_file is None:
            self.connection_file = self._write_connection_file()
        self._launch()
        return self.connection_file

    def interrupt(self) -> None:
        """KeyboardInterrupt in the code the kernel runs (SIGINT to its process group).

        On Windows ipykernel waits for an interrupt event that only jupyter_client's own
        launcher sets up; there the REPL offers Restart instead.
        """
        if self._process is not None:
            self._process.interrupt()

    def restart(self, interpreter: str | None = None) -> str:
        """End the kernel and everything it started, then start a fresh one.

        The new kernel reuses the connection file (same ports, same key), as jupyter_client's
        own restart does, so a connected client reconnects by itself. ``interpreter`` switches
        to another Python (the setting changed, or ipykernel was installed meanwhile).
        """
        self._end()
        if interpreter:
            self.interpreter = interpreter
        return self.start()

    def shutdown(self) -> None:
        """End the kernel's whole process group and remove the connection file's folder."""
        self._end()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None
        self.connection_file = None

    def poll_exit(self) -> int | None:
        """The exit code once the kernel has ended (negative: a signal), else None."""
        return self._process.poll_exit() if self._process else None

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll_exit() is None

    def log_tail(self, max_chars: int = 2000) -> str:
        """The end of what the kernel process wrote itself (start-up errors, crashes).

        Output of the code it runs travels over the kernel's sockets instead.
        """
        if self._process is None:
            return ""
        return self._process.output.text()[-max_chars:]

    # ---- Internals

    def _write_connection_file(self) -> str:
        from jupyter_client.connect import write_connection_file
        from jupyter_client.session import new_id_bytes

        self._folder = tempfile.mkdtemp(prefix="presenter-kernel-")  # 0700: ours alone
        path = os.path.join(self._folder, "kernel.json")
        # Ports 0: jupyter_client picks free ones on 127.0.0.1; secure_write makes it 0600.
        write_connection_file(path, ip=LOOPBACK, transport="tcp", key=new_id_bytes(),
                              kernel_name="presenter")
        return path

    def _launch(self) -> None:
        assert self.connection_file is not None
        env = dict(self.env)
        env["JPY_PARENT_PID"] = str(os.getpid())  # ipykernel ends itself when we are gone
        env.setdefault("PYTHONIOENCODING", "utf-8")
        argv = [self.interpreter, "-m", "ipykernel_launcher", "-f", self.connection_file,
                # IPython's random start-up tip is noise on a projector (older IPythons
                # only log that they do not know the option)
                "--InteractiveShell.enable_tip=False"]
        cwd = self.cwd if self.cwd and Path(self.cwd).is_dir() else None
        process = LocalProcess(argv, cwd=cwd, env=env,
                               output=OutputBuffer(max_lines=200, max_line_chars=2000))
        process.start()
        self._process = process

    def _end(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.kill()  # the whole group: the kernel and anything its code started
        process.close_stdin()  # lets its stdin writer thread end
        process.wait(5.0)
