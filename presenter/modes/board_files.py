"""Joins the Files pane to a board's connection: list, copy both ways, delete, open, save.

The pane (``qt/files_pane.py``) only shows and asks; this controller carries each request
out as one job on the board's worker thread (``BoardConnection.call``), so serial I/O and
the local disk I/O of a copy never run on the GUI thread. Results come back as one
``_Outcome`` (a sentence for the pane's result line and the folder's fresh listing), so the
pane is refreshed after every change without a second round trip.

Nothing half-written is left under a real name: the engine writes a board file to a
temporary name and renames it once verified (``device/files.py``), and a board file copied
to this computer is read whole, then written to a temporary file beside the target and
renamed (``settings.write_atomically``). Cancel sets the job's ``cancelled`` Event, which the
engine looks at between execs; the message then says what was left.

A board file opened in a tab gets a ``BoardFileLocation`` (a ``core.locations.SaveLocation``):
Ctrl+S writes it back through the same connection, to the same board only (matched by
serial number, else by port), and the workbench clears the unsaved mark when that worked.

Sharing the one connection: a Run holds the worker for as long as the program runs, so file
work is refused meanwhile with a message (``is_running``); the REPL terminal is paused around
each job and resumed after it (``borrow``), as a Run does.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PyQt5.QtCore import QObject, QTimer

from presenter.core.documents import DocumentError
from presenter.device import DeviceError, Disconnected, FileEntry, TransferCancelled
from presenter.modes.api import mark_pane_toggle
from presenter.modes.board import FILES_ACTION
from presenter.qt.files_pane import FilesPane
from presenter.settings import write_atomically

if TYPE_CHECKING:
    from presenter.device import Board
    from presenter.device.files import Files
    from presenter.modes.board_connection import BoardConnection, ConnectedBoard, JobControl

log = logging.getLogger(__name__)

VISIBLE_SETTING = "files_visible"
FOLDER_SETTING = "files_folder"

#: Pauses the REPL terminal (if it runs) and returns what resumes it.
Borrow = Callable[[], Callable[[], None]]


class FilesHost(Protocol):
    """What the controller needs of the window (``ModeContext`` provides these)."""

    settings: dict[str, Any]

    def open_location(self, location: Any, data: bytes) -> None: ...  # DocumentError
    def open_file(self, path: str) -> None: ...


@dataclass
class BoardFileLocation:
    """A file on a board as the place a tab saves to (see core.locations.SaveLocation)."""

    controller: BoardFiles = field(repr=False)
    path: str
    noun: str  # "micro:bit", "Pico", "board"
    port: str
    serial_number: str | None

    @property
    def key(self) -> Hashable:
        return (self.serial_number or self.port, self.path)

    @property
    def name(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1]

    @property
    def title(self) -> str:
        return f"{self.name} — {self.noun} ({_short_port(self.port)})"

    @property
    def description(self) -> str:
        return f"{self.path} on the {self.noun} at {self.port}"

    @property
    def recovery_name(self) -> str:
        return f"{self.name} ({self.noun})"

    def write(self, data: bytes, done: Callable[[], None],
              failed: Callable[[str], None]) -> None:
        self.controller.write_back(self, data, done, failed)


@dataclass
class _Outcome:
    """What a job did, in one sentence, and the folder's listing after it (None: unknown)."""

    message: str
    kind: str = "info"
    folder: str = ""
    entries: list[FileEntry] | None = None
    data: bytes | None = None  # a file read to open in a tab


class BoardFiles(QObject):
    """The Files pane's controller for one board mode (one connection)."""

    def __init__(self, connection: BoardConnection, host: FilesHost, noun: str = "board",
                 is_running: Callable[[], bool] = lambda: False, borrow: Borrow | None = None,
                 pane: FilesPane | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connection = connection
        self.host = host
        self.noun = noun
        self._is_running = is_running
        self._borrow = borrow or (lambda: lambda: None)
        folder = str(host.settings.get(FOLDER_SETTING) or "")
        self.pane = pane or FilesPane(local_folder=folder if os.path.isdir(folder) else None)
        self._job = None
        self._folder = ""
        pane = self.pane
        pane.refresh_requested.connect(lambda: self.list_folder(self._folder))
        pane.board_folder_requested.connect(self.list_folder)
        pane.copy_to_board_requested.connect(self.copy_to_board)
        pane.copy_to_computer_requested.connect(self.copy_to_computer)
        pane.delete_requested.connect(self.delete)
        pane.open_requested.connect(self.open)
        pane.local_open_requested.connect(host.open_file)
        pane.cancel_requested.connect(self.cancel)
        pane.local_folder_changed.connect(self._remember_folder)
        connection.connected.connect(self._on_connected)
        connection.disconnected.connect(self._on_disconnected)
        if connection.board is not None:
            self._on_connected(connection.board)

    # ---- Public API

    def set_visible(self, visible: bool) -> None:
        """Show or hide the pane; shown, it lists the board's files afresh."""
        self.pane.setVisible(visible)
        if visible and self.connection.board is not None and not self.pane.is_busy():
            self.list_folder(self._folder)

    def list_folder(self, folder: str) -> None:
        def work(files: Files, control: JobControl) -> _Outcome:
            return _Outcome("", "info", folder, files.ls(folder or "/"))

        self._start(None, work, quiet=True)

    def copy_to_board(self, paths: list[str], folder: str) -> None:
        names = [os.path.basename(p) for p in paths]

        def work(files: Files, control: JobControl) -> _Outcome:
            done: list[str] = []
            unchanged: list[str] = []
            notes: list[str] = []
            message, kind = "", "info"
            try:
                for local, name in zip(paths, names, strict=True):
                    try:
                        data = Path(local).read_bytes()
                    except OSError as exc:
                        raise _LocalError(f"Cannot read {local}: {exc.strerror or exc}; "
                                          "nothing was copied from it.") from exc
                    remote = _join(folder, name, files.flat)
                    wrote = files.write(remote, data, progress=control.progress,
                                        cancel=control.cancelled, on_notice=notes.append)
                    (done if wrote else unchanged).append(name)
            except (DeviceError, _LocalError) as exc:
                message, kind = str(exc), "error"
                if isinstance(exc, TransferCancelled):
                    kind = "info"
            summary = _summary(f"Copied {_names(done)} to the {self.noun}", done)
            summary += _summary(f"{_names(unchanged)} unchanged on the {self.noun}, not copied",
                                unchanged)
            notes_text = " ".join(f"Note: {n}." for n in notes)
            text = " ".join(t for t in (summary, message, notes_text) if t)
            return _Outcome(text, kind, folder, _listing(files, folder))

        self._start(f"Copying {_names(names)} to the {self.noun}…", work)

    def copy_to_computer(self, paths: list[str], folder: str) -> None:
        names = [p.rstrip("/").rsplit("/", 1)[-1] for p in paths]
        board_folder = self._folder

        def work(files: Files, control: JobControl) -> _Outcome:
            done: list[str] = []
            message, kind = "", "info"
            try:
                for path, name in zip(paths, names, strict=True):
                    data = _read_for_copy(files, path, control)
                    _save_local(Path(folder) / name, data)
                    done.append(name)
            except (DeviceError, _LocalError) as exc:
                message, kind = str(exc), "error"
                if isinstance(exc, TransferCancelled):
                    kind = "info"
            summary = _summary(f"Copied {_names(done)} to {folder}", done)
            text = " ".join(t for t in (summary, message) if t)
            return _Outcome(text, kind, board_folder, None)

        self._start(f"Copying {_names(names)} to this computer…", work)

    def delete(self, paths: list[str]) -> None:
        names = [p.rstrip("/").rsplit("/", 1)[-1] for p in paths]
        folder = self._folder

        def work(files: Files, control: JobControl) -> _Outcome:
            done: list[str] = []
            message, kind = "", "info"
            try:
                for path, name in zip(paths, names, strict=True):
                    files.remove(path)
                    done.append(name)
            except DeviceError as exc:
                message, kind = str(exc), "error"
            summary = _summary(f"Deleted {_names(done)} from the {self.noun}", done)
            text = " ".join(t for t in (summary, message) if t)
            return _Outcome(text, kind, folder, _listing(files, folder))

        self._start(f"Deleting {_names(names)}…", work, cancellable=False)

    def open(self, path: str) -> None:
        """Read a board file and open it in a tab that saves back to this board."""
        board = self.connection.board
        if board is None:
            self.pane.show_result(f"Connect the {self.noun} first.", "error")
            return
        location = BoardFileLocation(self, path, self.noun, board.port, board.serial_number)
        folder = self._folder

        def work(files: Files, control: JobControl) -> _Outcome:
            try:
                data = files.read(path, progress=control.progress, cancel=control.cancelled)
            except DeviceError as exc:
                kind = "info" if isinstance(exc, TransferCancelled) else "error"
                return _Outcome(str(exc), kind, folder, None)
            return _Outcome("", "info", folder, None, data)

        def opened(outcome: _Outcome) -> _Outcome:
            if outcome.data is None:
                return outcome
            try:
                self.host.open_location(location, outcome.data)
            except DocumentError as exc:
                return _Outcome(f"{exc} Copy it to the computer instead.", "error", folder)
            return _Outcome(f"Opened {location.name} in a tab: Ctrl+S saves it back to the "
                            f"{self.noun}.", "info", folder)

        self._start(f"Opening {location.name}…", work, then=opened)

    def write_back(self, location: BoardFileLocation, data: bytes, done: Callable[[], None],
                   failed: Callable[[str], None]) -> None:
        """Save a board file's tab: to the board it came from, never to another one."""
        board = self.connection.board
        if board is None:
            failed(f"the {self.noun} it came from is not connected: plug it in and save again.")
            return
        if not _same_board(location, board):
            failed(f"it came from the {self.noun} at {location.port}, and the board connected "
                   f"now is another one ({board.label()}): connect that one and save again, or "
                   "use Save As to keep it on this computer.")
            return
        if self._is_running():
            failed("the board is running a program: stop it and save again.")
            return
        location.port = board.port  # the same board, maybe back on another port
        folder = self._folder

        def work(board: Board, control: JobControl) -> _Outcome:
            files = board.files
            files.write(location.path, data)
            return _Outcome("", "info", folder, _listing(files, folder))

        resume = self._borrow()

        def saved(outcome: _Outcome) -> None:
            resume()
            if outcome.entries is not None:
                self.pane.show_board_files(outcome.folder, outcome.entries)
            done()

        def not_saved(exc: Exception) -> None:
            resume()
            failed(str(exc))

        self.connection.call(work, done=saved, failed=not_saved)

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def close(self) -> None:
        """The mode is leaving: stop listening (a transfer in progress is cancelled)."""
        self.cancel()
        for signal, slot in ((self.connection.connected, self._on_connected),
                             (self.connection.disconnected, self._on_disconnected)):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass

    # ---- Internals

    def _start(self, task: str | None, work: Callable[[Files, JobControl], _Outcome],
               cancellable: bool = True, quiet: bool = False,
               then: Callable[[_Outcome], _Outcome] | None = None) -> None:
        pane = self.pane
        if self.connection.board is None:
            pane.show_result(f"No {self.noun} is connected: plug one in.", "error")
            return
        if self._is_running():
            pane.show_result("The board is running a program: stop it first, then try again.",
                             "error")
            return
        if pane.is_busy():
            pane.show_result("Wait for the copy in progress to finish (or cancel it).", "error")
            return
        if task is not None:
            pane.begin_task(task, cancellable)
        resume = self._borrow()

        def run(board: Board, control: JobControl) -> _Outcome:
            return work(board.files, control)

        def done(outcome: _Outcome) -> None:
            resume()
            self._job = None
            if then is not None:
                outcome = then(outcome)
            self._finish(task, outcome, quiet)

        def failed(exc: Exception) -> None:
            resume()
            self._job = None
            if not isinstance(exc, DeviceError):
                log.error("files job failed", exc_info=exc)
            self._finish(task, _Outcome(str(exc) or type(exc).__name__, "error"), quiet)

        self._job = self.connection.call(run, done=done, failed=failed,
                                         progress=pane.show_progress if task else None)

    def _finish(self, task: str | None, outcome: _Outcome, quiet: bool) -> None:
        pane = self.pane
        if outcome.entries is not None:
            self._folder = outcome.folder
            pane.show_board_files(outcome.folder, outcome.entries)
        if task is not None:
            pane.end_task(outcome.message, outcome.kind)
        elif outcome.message or not quiet:
            pane.show_result(outcome.message, outcome.kind)

    def _on_connected(self, board: ConnectedBoard) -> None:
        self._folder = "" if board.flat_fs else "/"
        self.pane.set_board(f"{self.noun}: {board.label()}" if self.noun not in board.name
                            else board.label())
        if self.pane.isVisible():
            self.list_folder(self._folder)

    def _on_disconnected(self, reason: str) -> None:
        self.pane.set_board(None)
        if not self.pane.is_busy():
            self.pane.show_result(reason, "error")

    def _remember_folder(self, folder: str) -> None:
        if self.host.settings.get(FOLDER_SETTING) != folder:
            self.host.settings[FOLDER_SETTING] = folder


class FilesToggle:
    """The Files pane's part of a board mode: its toggle, the pane in the window, remembered.

    A board mode holds one and calls it from ``activate``/``deactivate`` and its action
    handler; the pane and its controller are built the first time the pane is shown.
    """

    def __init__(self, noun: str) -> None:
        self.noun = noun
        self.controller: BoardFiles | None = None
        self._context: Any = None
        self._connection: BoardConnection | None = None
        self._is_running: Callable[[], bool] = lambda: False
        self._borrow: Borrow | None = None

    def activate(self, context: Any, connection: BoardConnection,
                 is_running: Callable[[], bool], borrow: Borrow | None = None) -> None:
        """The mode became active: show the pane again if it was shown when last used."""
        self._context, self._connection = context, connection
        self._is_running, self._borrow = is_running, borrow
        if context.settings.get(VISIBLE_SETTING):
            # On the event loop's first turn: at start-up the window is not shown yet, and a
            # pane placed in an unsized splitter would take most of the width from the editor.
            QTimer.singleShot(0, lambda: self._context is context
                              and self.set_visible(True, remember=False))

    def deactivate(self) -> None:
        if self.controller is not None:
            self.controller.cancel()
            self.controller.pane.hide()
        self._context = None

    def is_visible(self) -> bool:
        return self.controller is not None and self.controller.pane.isVisible()

    def toggle(self) -> None:
        self.set_visible(not self.is_visible())

    def set_visible(self, visible: bool, remember: bool = True) -> None:
        context, connection = self._context, self._connection
        if context is None or connection is None:
            return
        if visible and self.controller is None:
            self.controller = BoardFiles(connection, context, self.noun,
                                         is_running=lambda: self._is_running(),
                                         borrow=self._borrow, parent=context.window())
            context.place_pane(self.controller.pane, "side")
        if self.controller is not None:
            self.controller.set_visible(visible)
            if visible:
                self.controller.pane.board_list.setFocus()
        mark_pane_toggle(context, FILES_ACTION, visible, VISIBLE_SETTING, remember)


class _LocalError(Exception):
    """This computer's side of a copy failed; the message says what was left as it was."""


def _read_for_copy(files: Files, path: str, control: JobControl) -> bytes:
    name = path.rstrip("/").rsplit("/", 1)[-1]
    try:
        return files.read(path, progress=control.progress, cancel=control.cancelled)
    except TransferCancelled as exc:
        exc.args = (f"{exc} Nothing was written on this computer for {name}.",)
        raise
    except DeviceError as exc:
        message = str(exc).rstrip()
        exc.args = (f"{message}{'' if message.endswith('.') else '.'} Copying {name} failed: "
                    "nothing was written on this computer for it.",)
        raise


def _save_local(target: Path, data: bytes) -> None:
    """Write a copied file atomically (a temporary beside it, then a rename): a failure or a
    crash leaves the old file or none, never half a file under its name."""
    if not target.parent.is_dir():
        raise _LocalError(f"There is no folder {target.parent} on this computer any more: "
                          f"{target.name} was not copied.")
    if target.is_dir():
        raise _LocalError(f"{target} is a folder: {target.name} was not copied.")
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
        write_atomically(target, data)
        os.chmod(target, mode)  # write_atomically's temporary file is private (0600)
    except OSError as exc:
        raise _LocalError(f"Cannot write {target}: {exc.strerror or exc}; "
                          f"{target.name} was left as it was.") from exc


def _umask() -> int:
    """The process umask without setting it (os.umask would race other threads)."""
    try:
        text = Path("/proc/self/status").read_text()
        found = re.search(r"^Umask:\s*([0-7]+)", text, re.M)
        if found:
            return int(found.group(1), 8)
    except OSError:
        pass
    return 0o022


def _listing(files: Files, folder: str) -> list[FileEntry] | None:
    """The folder's entries after a change; None when the board cannot say (unplugged)."""
    try:
        return files.ls(folder or "/")
    except Disconnected:
        return None
    except DeviceError as exc:
        log.info("listing %s after a change: %s", folder, exc)
        return None


def _short_port(port: str) -> str:
    """"ttyACM0" for /dev/ttyACM0, "pts/4" for a pty, COM3 and URLs as they are."""
    return port[len("/dev/"):] if port.startswith("/dev/") else port


def _same_board(location: BoardFileLocation, board: ConnectedBoard) -> bool:
    if location.serial_number and board.serial_number:
        return location.serial_number == board.serial_number
    return location.port == board.port


def _join(folder: str, name: str, flat: bool) -> str:
    if flat or folder in ("",):
        return name
    return folder.rstrip("/") + "/" + name


def _names(names: list[str]) -> str:
    if len(names) <= 3:
        return ", ".join(names)
    return f"{len(names)} files"


def _summary(text: str, names: list[str]) -> str:
    return f"{text}." if names else ""
