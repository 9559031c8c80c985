"""Autosave of unsaved buffers, so a crash on stage never costs what the speaker typed.

Why a separate store: autosaving over the user's own file would publish half-typed code
(and break "undo by not saving"). Instead every few seconds the GUI hands each dirty
buffer to ``RecoveryStore.save``, which writes it atomically into the recovery folder.
After a crash, ``kill -9`` or a power cut, the next start calls ``pending()`` and offers
what it finds.

Layout (one folder per running Presenter process)::

    recovery_dir()/
      session-<pid>-<random>/
        lock            held with an exclusive flock() for the life of the process
        session.json    {"pid", "start", "boot_id", "created"}
        buf-<hash>.json one file per buffer: text plus metadata, written atomically

How we decide that a session's owner is dead (so its buffers are recoverable):

1. Its ``lock`` file. The owner holds an exclusive ``flock`` on it; the kernel drops the
   lock when the process dies in any way, including SIGKILL. If we can take the lock
   (non-blocking), nobody holds it. If we cannot, the owner is alive: never touch it.
2. Where we can, we double-check with the pid: ``os.kill(pid, 0)`` says whether *some*
   process has that pid, and the process start time (field 22 of ``/proc/<pid>/stat``,
   with ``/proc/sys/kernel/random/boot_id`` to rule out a reboot) says whether it is
   still the *same* process and not a later one that reused the pid. A session counts as
   alive if either check says so. On systems without ``/proc`` (macOS) the lock alone
   decides, since a bare pid check would mistake pid reuse for life.
3. If ``flock`` is unavailable (some network filesystems, Windows without fcntl), the pid
   check decides on its own.

Buffer files are JSON (one ``write_atomically`` rename each), so a crash mid-write leaves
the previous copy, never a torn one. No Qt here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from presenter import paths
from presenter.settings import write_atomically

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
_SESSION_PREFIX = "session-"
_BUFFER_PREFIX = "buf-"


@dataclass
class RecoveredBuffer:
    """A buffer left behind by a run that did not end cleanly."""

    text: str
    path: str | None  # the user's file, or None for an untitled buffer
    title: str
    encoding: str
    newline: str
    cursor: tuple[int, int]  # (line, index), as QScintilla reports it
    saved_at: float  # time.time() of the autosave
    buffer_id: str = ""
    # Where the autosave currently lives; claim() and discard_recovered() use it.
    source: Path | None = field(default=None, repr=False, compare=False)


class RecoveryStore:
    """Autosave store for one Presenter process. Cheap to call ``save`` every few seconds.

    The session folder is created on the first ``save`` or ``claim``, so a run that never
    had an unsaved buffer leaves nothing behind.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else paths.recovery_dir()
        self._session: Path | None = None
        self._lock: IO[bytes] | None = None
        self._fingerprints: dict[str, str] = {}

    # ---- Public API

    @property
    def session_dir(self) -> Path | None:
        """This process's session folder, or None before the first save."""
        return self._session

    def save(
        self,
        buffer_id: str,
        text: str,
        *,
        path: str | None,
        title: str,
        encoding: str,
        newline: str,
        cursor: tuple[int, int],
    ) -> None:
        """Autosave one buffer. Skips the write if text, path and title are unchanged.

        Raises OSError if the recovery folder cannot be written (the GUI shows it once as
        a warning banner: autosave is then off, but editing goes on).
        """
        if self._session is not None and not (self._session / "lock").exists():
            # Someone deleted our folder (a clean-up tool, a user tidying ~/.local/state).
            # Writing into a re-created folder without our lock would let another instance
            # take it for a dead session, so start a fresh session and rewrite everything.
            log.warning("Recovery session %s vanished; starting a new one", self._session)
            self._release()
            self._session = None
            self._fingerprints.clear()
        fingerprint = _fingerprint(text, path, title, encoding, newline)
        if self._fingerprints.get(buffer_id) == fingerprint:
            return
        session = self._ensure_session()
        record = {
            "version": FORMAT_VERSION,
            "buffer_id": buffer_id,
            "path": path,
            "title": title,
            "encoding": encoding,
            "newline": newline,
            "cursor": list(cursor),
            "saved_at": time.time(),
            "text": text,
        }
        data = json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")
        write_atomically(session / _buffer_file_name(buffer_id), data)
        self._fingerprints[buffer_id] = fingerprint

    def discard(self, buffer_id: str) -> None:
        """Forget a buffer's autosave: the user saved it or closed it deliberately."""
        self._fingerprints.pop(buffer_id, None)
        if self._session is not None:
            with contextlib.suppress(FileNotFoundError):
                (self._session / _buffer_file_name(buffer_id)).unlink()

    def pending(self) -> list[RecoveredBuffer]:
        """Buffers left by earlier runs whose process is gone, oldest first.

        Live sessions (another Presenter window open right now) are never included.
        Dead sessions with nothing left in them are tidied away.
        """
        found: list[RecoveredBuffer] = []
        self._remove_stale_builds()
        for session in self._other_sessions():
            if _session_alive(session):
                continue
            buffers = _read_buffers(session)
            if not buffers and not any(session.glob(f"{_BUFFER_PREFIX}*.json")):
                _remove_session_dir(session)
                continue
            found.extend(buffers)
        found.sort(key=lambda b: b.saved_at)
        return found

    def claim(self, recovered: list[RecoveredBuffer]) -> list[str]:
        """Move recovered buffers into this session; return their buffer ids, in order.

        After claiming they are no longer offered to anyone else, yet stay protected if we
        crash again before the user saves them. Use the returned id for the tab's later
        ``save``/``discard`` calls (it only differs from ``RecoveredBuffer.buffer_id`` if
        this session already had a buffer with that id). A buffer another process claimed
        first is skipped (its id is returned as "").
        """
        session = self._ensure_session()
        ids: list[str] = []
        by_session: dict[Path, list[RecoveredBuffer]] = {}
        for buffer in recovered:
            if buffer.source is not None:
                by_session.setdefault(buffer.source.parent, []).append(buffer)
        claimed: dict[int, str] = {}
        for old_session, buffers in by_session.items():
            with _locked(old_session / "lock") as got:
                if not got:
                    continue  # another process is claiming it, or its owner came back
                for buffer in buffers:
                    new_id = buffer.buffer_id or uuid.uuid4().hex
                    while (session / _buffer_file_name(new_id)).exists():
                        new_id = f"{buffer.buffer_id}-{uuid.uuid4().hex[:6]}"
                    target = session / _buffer_file_name(new_id)
                    try:
                        _rewrite_id(buffer.source, target, new_id)
                    except FileNotFoundError:
                        continue
                    buffer.buffer_id, buffer.source = new_id, target
                    claimed[id(buffer)] = new_id
            if not any(old_session.glob(f"{_BUFFER_PREFIX}*.json")):
                _remove_session_dir(old_session)
        for buffer in recovered:
            ids.append(claimed.get(id(buffer), ""))
        return ids

    def discard_recovered(self, recovered: list[RecoveredBuffer]) -> None:
        """Delete recovered buffers the user declined, so they are not offered again."""
        for buffer in recovered:
            if buffer.source is None:
                continue
            if self._session is not None and buffer.source.parent == self._session:
                self.discard(buffer.buffer_id)
                continue
            with _locked(buffer.source.parent / "lock") as got:
                if got:
                    with contextlib.suppress(FileNotFoundError):
                        buffer.source.unlink()
            if not any(buffer.source.parent.glob(f"{_BUFFER_PREFIX}*.json")):
                _remove_session_dir(buffer.source.parent)

    def clean_shutdown(self) -> bool:
        """End of a normal run: remove our session folder if nothing unsaved is left.

        Returns True if it was removed. If buffers remain (the user quit while choosing
        to keep them), the folder stays and the lock is released, so the next start
        offers them.
        """
        session, self._session = self._session, None
        self._fingerprints.clear()
        removed = True
        if session is not None:
            if any(session.glob(f"{_BUFFER_PREFIX}*.json")):
                removed = False
            else:
                _remove_session_dir(session)
        self._release()
        return removed

    # ---- Internals

    def _ensure_session(self) -> Path:
        if self._session is not None:
            return self._session
        self.directory.mkdir(parents=True, exist_ok=True)
        pid = os.getpid()
        name = f"{pid}-{uuid.uuid4().hex[:8]}"
        # Built under a name pending() ignores, then renamed: another instance scanning
        # right now must never see a session folder whose lock is not yet held.
        building = self.directory / f".new-{name}"
        building.mkdir()
        lock = open(building / "lock", "a+b")  # noqa: SIM115 - held for the process's life
        if fcntl is not None:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:  # e.g. ENOLCK on some network filesystems
                log.warning("Recovery lock unavailable in %s (%s); using the pid only", building, exc)
        info = {
            "pid": pid,
            "start": _process_start(pid),
            "boot_id": _boot_id(),
            "created": time.time(),
            "version": FORMAT_VERSION,
        }
        write_atomically(building / "session.json", json.dumps(info).encode("utf-8"))
        session = self.directory / f"{_SESSION_PREFIX}{name}"
        os.rename(building, session)  # the flock belongs to the open file and survives this
        self._lock = lock
        self._session = session
        return session

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing drops the flock
            self._lock = None

    def _remove_stale_builds(self) -> None:
        """Drop ``.new-*`` folders a process died while creating (building takes ms)."""
        try:
            builds = list(self.directory.glob(".new-*"))
        except OSError:
            return
        for build in builds:
            try:
                if time.time() - build.stat().st_mtime > 60:
                    shutil.rmtree(build, ignore_errors=True)
            except OSError:
                pass

    def _other_sessions(self) -> list[Path]:
        try:
            entries = list(self.directory.iterdir())
        except FileNotFoundError:
            return []
        return sorted(
            entry
            for entry in entries
            if entry.name.startswith(_SESSION_PREFIX) and entry.is_dir() and entry != self._session
        )


# ---- Liveness


def _session_alive(session: Path) -> bool:
    """True if the process owning ``session`` may still be running (see module docstring)."""
    lock_state = _probe_lock(session / "lock")
    if lock_state == "held":
        return True
    try:
        info = json.loads((session / "session.json").read_text("utf-8"))
        pid = int(info["pid"])
        start = info.get("start")
        boot = info.get("boot_id")
    except (OSError, ValueError, KeyError, TypeError):
        # Died before writing session.json: the lock (if it works) said free.
        return lock_state == "unsupported"
    if lock_state == "free" and start is None:
        return False  # no start time to guard against pid reuse: trust the lock
    return _process_alive(pid, start, boot)


def _probe_lock(lock_path: Path) -> str:
    """"held", "free" or "unsupported" for a session's lock file."""
    if fcntl is None:
        return "unsupported"
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115
    except OSError:
        return "free" if not lock_path.parent.exists() else "unsupported"
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return "held"
    except OSError:
        return "unsupported"
    finally:
        handle.close()
    return "free"


@contextlib.contextmanager
def _locked(lock_path: Path):
    """Hold a dead session's lock while moving its files, so two new instances starting
    together cannot both claim the same buffers. Yields False if someone holds it."""
    if fcntl is None or not lock_path.parent.exists():
        yield fcntl is None
        return
    handle = open(lock_path, "a+b")  # noqa: SIM115
    try:
        try:
            # Another instance's pending() holds it for microseconds while probing: retry
            # briefly rather than skip buffers that are really free.
            deadline = time.monotonic() + 0.25
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.01)
        except BlockingIOError:
            yield False
            return
        except OSError:
            yield True  # no locking on this filesystem; the pid check already ran
            return
        yield True
    finally:
        handle.close()


def _process_alive(pid: int, start: str | None, boot: str | None) -> bool:
    """Is ``pid`` running and, where we can tell, the same process that wrote the session?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, belongs to another user
    except OSError:
        return False
    if boot is not None and _boot_id() not in (None, boot):
        return False  # the machine rebooted since: every process of that session is gone
    if start is not None:
        current = _process_start(pid)
        if current is not None and current != start:
            return False  # pid reused by a later process
    return True


def _process_start(pid: int) -> str | None:
    """Start time of ``pid`` in clock ticks since boot (Linux /proc), else None."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    fields = raw.rsplit(")", 1)[-1].split()
    try:
        return fields[19]  # field 22 overall; fields[0] here is field 3 (state)
    except IndexError:
        return None


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


# ---- Buffer files


def _buffer_file_name(buffer_id: str) -> str:
    digest = hashlib.sha1(buffer_id.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"{_BUFFER_PREFIX}{digest}.json"


def _fingerprint(text: str, path: str | None, title: str, encoding: str, newline: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (path or "\0", title, encoding, newline):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _load_record(file: Path) -> dict:
    return json.loads(file.read_bytes().decode("utf-8", "surrogatepass"))


def _read_buffers(session: Path) -> list[RecoveredBuffer]:
    buffers = []
    for file in sorted(session.glob(f"{_BUFFER_PREFIX}*.json")):
        try:
            record = _load_record(file)
            cursor = record.get("cursor") or [0, 0]
            buffers.append(
                RecoveredBuffer(
                    text=str(record["text"]),
                    path=record.get("path"),
                    title=str(record.get("title") or "untitled"),
                    encoding=str(record.get("encoding") or "utf-8"),
                    newline=str(record.get("newline") or "\n"),
                    cursor=(int(cursor[0]), int(cursor[1])),
                    saved_at=float(record.get("saved_at") or file.stat().st_mtime),
                    buffer_id=str(record.get("buffer_id") or file.stem),
                    source=file,
                )
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            # Kept on disk for a human to rescue; never deleted by us.
            log.warning("Unreadable recovery file %s: %s", file, exc)
    return buffers


def _rewrite_id(source: Path, target: Path, new_id: str) -> None:
    record = _load_record(source)
    if record.get("buffer_id") != new_id:
        record["buffer_id"] = new_id
        data = json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")
        write_atomically(target, data)
        source.unlink()
    else:
        os.replace(source, target)


def _remove_session_dir(session: Path) -> None:
    """Remove a session folder that holds no buffers (lock, session.json, stray temp files)."""
    if any(session.glob(f"{_BUFFER_PREFIX}*.json")):
        return
    shutil.rmtree(session, ignore_errors=True)
