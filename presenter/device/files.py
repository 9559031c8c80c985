"""File operations built on "run code on the board" (never on the port directly).

Why this shape:
- Payload travels as Python literals inside raw-REPL submissions, so control bytes can never
  break the framing.  Binary uses base64 where the firmware has ``binascii``; otherwise a bytes
  literal in which bytes 0x80-0xFF are sent *raw* (MicroPython's lexer copies them as they are;
  probed at connect) and only control bytes, quote and backslash are escaped.  That costs about
  1.4 characters per random byte instead of about 2.9 for ``repr``, and 1.0 for text.
- The raw REPL is entered once, the file handle stays open, and each exec carries as much
  payload as the profile's ``max_submission`` allows (kept well under 1 kB on a micro:bit V1).
- Decide before sending (``space``): one survey exec removes temporaries an earlier copy left
  behind, reads the old file's size and the free space; the file is then written beside the
  old one, or in place when only the old one's space makes it fit, or refused at once.
- Atomic replace: data goes to a temporary ``.presenter-<8 hex>.part`` in the target's folder
  (24 characters, so any name the board accepts still has a temporary that fits its name
  limit, and never a name a user chose); its size (and SHA-256 where ``hashlib`` exists) is
  verified; then ``os.rename`` replaces the target.  micro:bit V1 has no rename: the verified
  temporary is copied over the target *on the board* (a few ms, no serial traffic) and its
  size checked before the temporary is removed.  A failed or interrupted transfer never
  touches the target; its temporary is removed at once while the board still answers, else
  by the next write (the error says which).
- Unchanged files are skipped: same size and same SHA-256 (computed on the board) where
  ``hashlib`` exists; otherwise same size and identical content read back (reading is several
  times faster than writing because the board->host direction needs no pacing).
- A board may stall for seconds (a flash erase): every transfer step waits up to
  ``stall_timeout`` for the board, not the few seconds a quick query gets.
- Cancel (the window's Cancel button, from another thread) sets the ``cancel`` Event; it is
  looked at before each exec, so a copy stops within one exec (well under a second at every
  profile's ``max_submission``) and is then treated like Ctrl-C: the handle is closed and the
  temporary removed, and the error (TransferCancelled) says what was left.  Once the last
  byte is sent the copy completes: replacing the target is one short exec, and stopping
  between the verified temporary and the rename would only leave more behind.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import os
import re
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from presenter.device import microbit_fs
from presenter.device.errors import BoardError, DeviceError, Disconnected
from presenter.device.repl import Repl, State, arrived_damaged
from presenter.device.space import BlockSpace, plan_write

Progress = Callable[[int, int], None] | None
Notice = Callable[[str], None] | None
Cancel = threading.Event | None

#: Temporaries are ``.presenter-<8 hex digits>.part``: recognisable, so the next write can
#: remove one an interrupted copy left behind, and short enough for any board's name limit.
TEMP_PREFIX = ".presenter-"
TEMP_SUFFIX = ".part"
TEMP_NAME = re.compile(r"^\.presenter-[0-9a-f]{8}\.part$")
_TEMP_TEST = "len(n)==24 and n[:11]=='.presenter-' and n[-5:]=='.part'"  # TEMP_NAME, on board
#: Seconds a transfer step waits for a silent board (a flash erase stalls it for seconds).
STALL_TIMEOUT = 30.0
#: Longest file name: micro:bit flash file system (``MAX_FILENAME_LENGTH``), else a typical
#: littlefs/FAT name component when the board does not report ``f_namemax``.
FLAT_NAME_MAX = microbit_fs.MAX_NAME_BYTES
NAME_MAX = 255


class TransferInterrupted(DeviceError):
    """Ctrl-C stopped a copy; the message says what, if anything, was left on the board."""


class TransferCancelled(TransferInterrupted):
    """The caller's ``cancel`` Event stopped a copy; the message says what was left."""


class _CancelRequested(BaseException):
    """Raised inside a transfer when ``cancel`` is set; turned into TransferCancelled.

    A BaseException, like KeyboardInterrupt, so it takes the same clean-up path and no
    ``except Exception`` on the way can swallow it.
    """


def _stop_if(cancel: Cancel) -> None:
    if cancel is not None and cancel.is_set():
        raise _CancelRequested()


@dataclass
class _Survey:
    """What one exec learnt before a write: leftovers removed, the old file, the free space."""

    old_size: int | None = None  # None: no such file
    is_folder: bool = False
    folder_missing: bool = False
    removed: list[str] = field(default_factory=list)
    space: BlockSpace | microbit_fs.FlashFs | None = None
    name_max: int = NAME_MAX


@dataclass(frozen=True)
class FileEntry:
    name: str
    path: str
    is_dir: bool
    size: int


def _token_table(raw_high: bool) -> list[bytes]:
    table = []
    for b in range(256):
        if b == 0x5C:
            table.append(b"\\\\")
        elif b == 0x27:
            table.append(b"\\'")
        elif b == 0x0A:
            table.append(b"\\n")
        elif b == 0x0D:
            table.append(b"\\r")
        elif b == 0x09:
            table.append(b"\\t")
        elif 0x20 <= b < 0x7F or (raw_high and b >= 0x80):
            table.append(bytes([b]))
        else:
            table.append(b"\\x%02x" % b)
    return table


_TABLES = {True: _token_table(True), False: _token_table(False)}


def bytes_literal_parts(data: bytes, budget: int, raw_high: bool) -> list[tuple[bytes, int]]:
    """Split ``data`` into bytes literals of at most ``budget`` characters each.

    Returns [(literal source, number of data bytes it carries)].
    """
    table = _TABLES[raw_high]
    parts: list[tuple[bytes, int]] = []
    cur = bytearray(b"b'")
    count = 0
    for i, b in enumerate(data):
        tok = table[b]
        if b == 0 and not (i + 1 < len(data) and 0x30 <= data[i + 1] <= 0x37):
            tok = b"\\0"  # short form, unless an octal digit follows
        if len(cur) + len(tok) + 1 > budget and count:
            parts.append((bytes(cur + b"'"), count))
            cur = bytearray(b"b'")
            count = 0
        cur.extend(tok)
        count += 1
    if count or not parts:
        parts.append((bytes(cur + b"'"), count))
    return parts


def base64_parts(data: bytes, budget: int) -> list[tuple[bytes, int]]:
    """Split into ``a('<base64>')`` payloads of at most ``budget`` characters."""
    step = max(3, (budget - 4) // 4 * 3)
    return [
        (b"'" + base64.b64encode(data[i : i + step]) + b"'", len(data[i : i + step]))
        for i in range(0, len(data), step)
    ] or [(b"''", 0)]


_ERRNO_WORDS = [  # (pattern in the board's error line, what it means); most specific first
    (r"ENOSPC|Errno 28\b|OSError: 28\b", "does not fit: the board's storage is full"),
    (r"ENOENT|Errno 2\b|OSError: 2\b|file not found", "does not exist"),  # last: micro:bit V1
    (r"EEXIST|Errno 17\b|OSError: 17\b", "already exists"),
    (r"ENOTEMPTY|Errno 39\b|OSError: 39\b", "is a folder that is not empty"),
    (r"EISDIR|Errno 21\b|OSError: 21\b", "is a folder"),
    (r"ENOTDIR|Errno 20\b|OSError: 20\b", "is not a folder"),
    (r"MemoryError", "does not fit in the board's memory"),
]


class Files:
    """ls / read / write / remove / mkdir / rmdir on one board, via ``Repl.exec``."""

    def __init__(self, repl: Repl, features: frozenset[str], raw_high_bytes: bool) -> None:
        self._repl = repl
        self.features = features
        self.raw_high_bytes = raw_high_bytes
        self.stall_timeout = STALL_TIMEOUT

    # -- helpers ---------------------------------------------------------------------------
    @property
    def port(self) -> str:
        return self._repl.port

    @property
    def flat(self) -> bool:
        return "ilistdir" not in self.features and "stat" not in self.features

    @property
    def _budget(self) -> int:
        return max(120, self._repl.profile.max_submission - 40)

    def _exec(
        self, code: str | bytes, path: str = "", timeout: float = 10.0, repeatable: bool = False
    ) -> str:
        """``repeatable``: see ``Repl.exec`` (queries, the survey, the V1 copy step)."""
        try:
            return self._repl.exec(code, timeout, repeatable)
        except BoardError as exc:
            raise self._friendly(exc, path) from exc

    def _friendly(self, exc: BoardError, path: str) -> BoardError:
        for pattern, words in _ERRNO_WORDS:
            if re.search(pattern, exc.traceback):
                return BoardError(
                    f"{path or 'The file'} {words} (board on {self.port}).", self.port, exc.traceback
                )
        return exc

    def _eval(self, expr: str, path: str = "", timeout: float = 10.0):
        """A query: repeatable (see ``_exec``)."""
        return ast.literal_eval(self._exec(f"print(repr({expr}))", path, timeout, True).strip())

    def _join(self, folder: str, name: str) -> str:
        if self.flat:
            return name
        return folder.rstrip("/") + "/" + name if folder not in ("", "/") else "/" + name

    def _norm(self, path: str) -> str:
        return path.lstrip("/") if self.flat else path

    def _no_folders(self, path: str) -> None:
        """A flat board takes "/" as part of a name: refuse instead of making "sub/x"."""
        if self.flat and "/" in path:
            raise BoardError(
                f"The board on {self.port} has no folders, so {path} cannot be made: give a "
                f"plain name such as {path.rsplit('/', 1)[-1]}.",
                self.port,
            )

    # -- queries ---------------------------------------------------------------------------
    def ls(self, path: str = "/") -> list[FileEntry]:
        """The entries of folder ``path``; for a file, that one file.  Missing: BoardError."""
        if self.flat:
            name = self._norm(path)
            if name in ("", "."):
                code = "import os\nfor n in os.listdir():\n print(repr(('E',n,0,os.size(n))))"
            else:
                self._no_folders(name)
                code = f"import os\nn={name!r}\nprint(repr(('F',n,0,os.size(n))))"
        else:
            code = (
                "import os\n"
                f"p={path!r}\n"
                "s=os.stat(p)\n"
                "if not s[0]&0x4000:\n"
                " print(repr(('F',p,s[0],s[6])))\n"
                "else:\n"
                " for e in os.ilistdir(p):\n"
                "  s=e[3] if len(e)>3 else -1\n"
                "  if s<0 and e[1]!=0x4000:\n"
                "   s=os.stat((p.rstrip('/') or '')+'/'+e[0])[6]\n"
                "  print(repr(('E',e[0],e[1],s)))"
            )
        entries = []
        for line in self._exec(code, path, repeatable=True).splitlines():
            if not line.strip():
                continue
            kind, name, mode, size = ast.literal_eval(line)
            is_dir = mode == 0x4000
            if kind == "F":  # ``path`` names one file: list it under its own name
                entries.append(FileEntry(name.rstrip("/").rsplit("/", 1)[-1], name, False, size))
            else:
                entries.append(FileEntry(name, self._join(path, name), is_dir, 0 if is_dir else size))
        return sorted(entries, key=lambda e: (not e.is_dir, e.name))

    def size(self, path: str) -> int | None:
        """Size in bytes, or None when there is no such file."""
        path = self._norm(path)
        if self.flat:
            code = f"import os\np={path!r}\nprint(os.size(p) if p in os.listdir() else -1)"
        else:
            code = (
                f"import os\ntry:\n s=os.stat({path!r})\n print(-2 if s[0]&0x4000 else s[6])\n"
                "except OSError:\n print(-1)"
            )
        n = int(self._exec(code, path, repeatable=True).strip())
        if n == -2:
            raise BoardError(f"{path} is a folder (board on {self.port}).", self.port)
        return None if n < 0 else n

    def exists(self, path: str) -> bool:
        path = self._norm(path)
        if self.flat:
            return bool(self._eval(f"{path!r} in __import__('os').listdir()", path))
        code = f"import os\ntry:\n os.stat({path!r})\n print(1)\nexcept OSError:\n print(0)"
        return self._exec(code, path, repeatable=True).strip() == "1"

    @property
    def _hash_module(self) -> str | None:
        for mod in ("hashlib", "uhashlib"):
            if mod in self.features:
                return mod
        return None

    def sha256(self, path: str) -> bytes | None:
        """SHA-256 computed on the board, or None when the firmware has no hashlib."""
        mod = self._hash_module
        if mod is None:
            return None
        code = (
            f"import {mod}\nh={mod}.sha256()\nf=open({self._norm(path)!r},'rb')\n"
            "while 1:\n d=f.read(512)\n if not d:break\n h.update(d)\nf.close()\nprint(repr(h.digest()))"
        )
        return ast.literal_eval(self._exec(code, path, self.stall_timeout, True).strip())

    # -- read ----------------------------------------------------------------------------------
    #: Whole reads tried before giving up on a link that keeps losing bytes.
    READ_ATTEMPTS = 3

    def read(self, path: str, progress: Progress = None, cancel: Cancel = None) -> bytes:
        """The file's bytes.  ``cancel`` (set from any thread) stops the read between execs
        with TransferCancelled; the board's handle is closed and its file is untouched.

        The board->host direction can lose a byte too (a host too busy to drain the port; the
        virtual micro:bit under load did): a lost byte changes the length of what the
        board's repr() lines decode to, or makes one unreadable, so a read is checked
        against the file's size and, where it came out wrong, read again from the start.
        """
        path = self._norm(path)
        total = self.size(path)
        if total is None:
            raise BoardError(f"{path} does not exist (board on {self.port}).", self.port)
        got = 0
        chunk = max(64, self._repl.profile.file_chunk)
        attempts = 0
        while attempts < self.READ_ATTEMPTS:
            try:
                data = self._read_once(path, total, progress, cancel, chunk)
            except BoardError as exc:
                # The repr of a binary chunk needs ~4x its size in one piece of the heap; a
                # V1's 10 kB, fragmented by what ran before, may not have it for 480 bytes
                # (seen after a 20 kB copy). Smaller pieces need smaller holes.
                if "MemoryError" not in exc.traceback or chunk <= 64:
                    raise
                chunk = max(64, chunk // 2)
                continue
            attempts += 1
            if data is not None and len(data) == total:
                return data
            got = -1 if data is None else len(data)
        what = "unreadable data" if got < 0 else f"{got} bytes"
        raise BoardError(
            f"Reading {path} failed: the board sent {what} for a {total}-byte file "
            f"{self.READ_ATTEMPTS} times (bytes lost on the way; board on {self.port}). The "
            "file on the board is unchanged: try again, or unplug and replug the board.",
            self.port,
        )

    def _read_once(self, path: str, total: int, progress: Progress, cancel: Cancel,
                   n: int) -> bytes | None:
        """One pass over the file, ``n`` bytes a piece; None if a piece arrived unreadable."""
        self._exec(f"_f=open({path!r},'rb')\n_r=_f.read", path)
        data = bytearray()
        # A micro:bit's 10 kB heap fragments: the repr of a binary chunk needs ~4x its size
        # in one piece, so collect first (a few ms) rather than meet a MemoryError.
        collect = "import gc\ngc.collect()\n" if self.flat else ""
        try:
            if progress:
                progress(0, total)
            while True:
                if cancel is not None and cancel.is_set():
                    raise TransferCancelled(
                        f"Reading {path} was cancelled after {len(data)} of {total} bytes; "
                        f"the file on the board is unchanged (board on {self.port}).",
                        self.port,
                    )
                out = self._exec(
                    f"{collect}for _i in range(4):\n d=_r({n})\n print(repr(d))\n if not d:break",
                    path,
                    self.stall_timeout,
                )
                done = False
                for line in out.splitlines():
                    if not line.strip():
                        continue
                    try:
                        with warnings.catch_warnings():  # a damaged escape warns, then fails
                            warnings.simplefilter("ignore")
                            piece = ast.literal_eval(line)
                    except (ValueError, SyntaxError):
                        return None
                    if not isinstance(piece, bytes):
                        return None
                    if not piece:
                        done = True
                        break
                    data.extend(piece)
                if progress:
                    progress(min(len(data), total), total)
                if done or len(data) > total:
                    break
        finally:
            self._close_handle()
        return bytes(data)

    def _close_handle(self) -> None:
        try:
            self._repl.exec("try:\n _f.close()\nexcept Exception:\n pass\n_f=_r=_w=None", 5.0)
        except Exception:
            pass

    # -- write ---------------------------------------------------------------------------------
    def write(
        self,
        path: str,
        data: bytes,
        progress: Progress = None,
        skip_unchanged: bool = True,
        on_notice: Notice = None,
        cancel: Cancel = None,
    ) -> bool:
        """Write ``data`` to ``path`` safely; False when skipped because it is unchanged.

        Refuses (NoSpace, nothing sent) a file that cannot fit.  ``on_notice`` hears what the
        user should know but is no error: leftovers removed, a file written in place.
        ``cancel`` (set from any thread) stops the copy before its last byte is sent, with
        TransferCancelled saying what was left (normally: nothing; ``path`` unchanged).
        """
        path = self._norm(path)
        self._no_folders(path)
        if self.flat:  # known without asking the board
            self._check_name(path, FLAT_NAME_MAX)
        total = len(data)
        folder = "" if self.flat else path.rpartition("/")[0] or ("/" if path[:1] == "/" else "")
        survey = self._survey(path, folder)
        if survey.removed and on_notice:
            on_notice(
                f"removed {', '.join(survey.removed)}: left on the board by an earlier copy "
                "that did not finish"
            )
        self._check_target(path, folder, survey)
        if cancel is not None and cancel.is_set():
            raise TransferCancelled(
                f"Copying {path} was cancelled before any of it was sent: {path} is unchanged.",
                self.port,
            )
        if skip_unchanged and survey.old_size == total and self._same_content(path, data):
            if progress:
                progress(total, total)
            return False
        tmp_name = TEMP_PREFIX + os.urandom(4).hex() + TEMP_SUFFIX
        tmp = self._join(folder, tmp_name) if folder else tmp_name
        rename = "rename" in self.features
        plan = plan_write(
            survey.space, path, total, tmp_name, survey.old_size, rename, self.port
        )
        dest = tmp
        if plan.in_place:
            if on_notice:
                on_notice(
                    f"{path}: no room for a temporary copy beside the old file, so the old "
                    f"{path} was removed first and the new one written in its place"
                    if survey.old_size is not None else
                    f"{path}: no room for a temporary copy as well, so {path} was written "
                    "directly (in place)"
                )
            if survey.old_size is not None:
                self._exec(f"import os\nos.remove({path!r})", path)
            if not rename:
                dest = path
        for attempt in (1, 2):
            # A byte lost on the way (a micro:bit V1 drops what overflows its 64-byte receive
            # buffer when it falls behind) shows as a wrong size or hash, or as a data command
            # failing with an error it cannot raise itself: send the whole file once more.
            try:
                self._transfer(dest, data, progress, path, plan.in_place, cancel)
            except BoardError as exc:  # the handle is closed and ``dest`` removed by now
                if attempt == 2 or not arrived_damaged(exc):
                    raise
                continue
            if self._verify(dest, data, path, in_place=plan.in_place, final=attempt == 2):
                break
        if dest != path:
            self._replace(dest, path, total)
        if progress:
            progress(total, total)
        return True

    def _survey(self, path: str, folder: str) -> _Survey:
        """One exec: remove leftover temporaries, the old file's size, statvfs if any."""
        if self.flat:
            code = (
                "import os\nL=os.listdir()\nfor n in L:\n"
                f" if {_TEMP_TEST}:\n  os.remove(n);print(repr(('T',n)))\n"
                f"p={path!r}\nprint(repr(('S',os.size(p) if p in L else -1)))\n"
            )
        else:
            code = (
                "import os\ndef _c(d):\n try:\n  L=os.listdir(d) if d else os.listdir()\n"
                " except OSError:\n  return 0\n for n in L:\n"
                f"  if {_TEMP_TEST}:\n"
                "   q=(d.rstrip('/')+'/'+n) if d else n\n"
                "   try:\n    os.remove(q);print(repr(('T',q)))\n   except OSError:pass\n"
                " return 1\n"
                f"d={folder!r}\nprint(repr(('D',_c(d))))\n"
                "if d not in ('','/'):_c('/')\n"
                f"try:\n s=os.stat({path!r});print(repr(('S',-2 if s[0]&0x4000 else s[6])))\n"
                "except OSError:\n print(repr(('S',-1)))\n"
            )
        if "statvfs" in self.features:
            code += (
                f"try:\n v=os.statvfs({(folder or '/')!r});print(repr(('V',v[0],v[1],v[4],v[9])))\n"
                "except Exception:\n pass\n"
            )
        survey = _Survey()
        for line in self._exec(code, path, repeatable=True).splitlines():
            if not line.strip():
                continue
            kind, *values = ast.literal_eval(line)
            if kind == "T":
                survey.removed.append(values[0])
            elif kind == "D":
                survey.folder_missing = not values[0]
            elif kind == "S":
                survey.old_size = values[0] if values[0] >= 0 else None
                survey.is_folder = values[0] == -2
            elif kind == "V":
                bsize, frsize, bavail, namemax = values
                block = frsize or bsize
                if block > 0:
                    survey.space = BlockSpace(free=bavail * block, block=block)
                if namemax:
                    survey.name_max = namemax
        if self.flat:
            survey.name_max = FLAT_NAME_MAX
            if survey.space is None and "size" in self.features:
                survey.space = microbit_fs.parse_probe(self._exec(microbit_fs.PROBE, path, 30.0, True))
        return survey

    def _check_target(self, path: str, folder: str, survey: _Survey) -> None:
        if survey.is_folder:
            raise BoardError(f"{path} is a folder (board on {self.port}).", self.port)
        if survey.folder_missing:
            raise BoardError(
                f"The folder {folder} does not exist on the board on {self.port}: make it "
                f"first with `presenter fs mkdir {folder}`.",
                self.port,
            )
        self._check_name(path if self.flat else path.rsplit("/", 1)[-1], survey.name_max)

    def _check_name(self, name: str, limit: int) -> None:
        size = len(name.encode("utf-8"))
        if size > limit:
            raise BoardError(
                f"The name {name} is {size} bytes long; the board on {self.port} takes names "
                f"of at most {limit} bytes (UTF-8).",
                self.port,
            )

    def _same_content(self, path: str, data: bytes) -> bool:
        digest = self.sha256(path)
        if digest is not None:
            return digest == hashlib.sha256(data).digest()
        return self.read(path) == data

    def _transfer(
        self, dest: str, data: bytes, progress: Progress, path: str, in_place: bool,
        cancel: Cancel = None,
    ) -> None:
        """Send ``data`` into ``dest``; on any failure or a cancel close the handle and remove
        ``dest``."""
        total = len(data)
        use_b64 = "binascii" in self.features or "ubinascii" in self.features
        if use_b64 and not _is_ascii_text(data):
            mod = "binascii" if "binascii" in self.features else "ubinascii"
            setup = f"import {mod}\n_f=open({dest!r},'wb')\n_w=lambda s:_f.write({mod}.a2b_base64(s))"
            parts = base64_parts(data, self._budget - 10)
        else:
            setup = f"_f=open({dest!r},'wb')\n_w=_f.write"
            parts = bytes_literal_parts(data, self._budget - 10, self.raw_high_bytes)
        wait = self.stall_timeout
        try:
            self._exec(setup, path, wait)
            done = 0
            if progress:
                progress(0, total)
            # Several literals per exec when they are small; one exec never exceeds the budget.
            batch: list[bytes] = []
            size = 0
            for lit, count in parts:
                if batch and size + len(lit) + 4 > self._budget:
                    _stop_if(cancel)
                    self._exec(b"\n".join(batch), path, wait)
                    if progress:
                        progress(done, total)
                    batch, size = [], 0
                batch.append(b"_w(" + lit + b")")
                size += len(lit) + 4
                done += count
            if batch:
                _stop_if(cancel)
                self._exec(b"\n".join(batch), path, wait)
            self._exec("_f.close()\n_f=_w=None", path, wait)
        except BaseException as exc:
            removed = self._abandon(dest, exc)
            raise self._explain(exc, path, dest, in_place, removed) from None

    def _abandon(self, dest: str, exc: BaseException) -> bool:
        """Close the board's handle and delete ``dest`` if the board still answers."""
        if isinstance(exc, Disconnected) or self._repl.state == State.DISCONNECTED:
            return False
        if not isinstance(exc, _CancelRequested):  # a cancel comes between execs, at ``>``
            # The board may still be busy with the failed step (or Ctrl-C hit mid-submission):
            # forget the prompt so the next exec interrupts and re-enters the raw REPL first.
            self._repl.state = State.UNKNOWN
        code = (
            "try:\n _f.close()\nexcept Exception:\n pass\n_f=_w=None\nimport os\n"
            f"try:\n os.remove({dest!r})\nexcept OSError:\n pass\nprint('ok')"
        )
        try:
            return self._repl.exec(code, 5.0).strip() == "ok"
        except DeviceError:
            return False

    def _explain(
        self, exc: BaseException, path: str, dest: str, in_place: bool, removed: bool
    ) -> BaseException:
        """The same error, its message extended by what the failed copy left on the board."""
        if in_place:
            left = (f"{path} had been removed to make room and is not on the board now"
                    if removed else
                    f"{path} is incomplete on the board (it was being written in place)")
            left += ": copy it again."
        elif removed:
            left = f"the unfinished temporary file was removed and {path} is unchanged."
        else:
            left = (f"the unfinished temporary file {dest} is still on the board (the next copy "
                    f"to this board removes it); {path} is unchanged.")
        if isinstance(exc, _CancelRequested):
            return TransferCancelled(f"Copying {path} was cancelled: {left}", self.port)
        if isinstance(exc, KeyboardInterrupt):
            return TransferInterrupted(f"Copying {path} was interrupted: {left}", self.port)
        if isinstance(exc, DeviceError):
            message = str(exc).rstrip()
            exc.args = (f"{message}{'' if message.endswith('.') else '.'} Copying {path} failed: "
                        f"{left}",)
        return exc

    def _verify(self, dest: str, data: bytes, path: str, in_place: bool, final: bool) -> bool:
        """True if the board holds exactly ``data`` in ``dest``; else remove it (and raise if
        ``final``)."""
        got = self.size(dest)
        digest = None
        if got == len(data):
            digest = self.sha256(dest)
        if got == len(data) and (digest is None or digest == hashlib.sha256(data).digest()):
            return True
        self._remove_quietly(dest)
        if not final:
            return False
        what = (f"the board stored {got} of {len(data)} bytes" if got != len(data)
                else "the data arrived corrupted")
        after = (f"{path} was removed (it was written in place): copy it again." if in_place
                 else "nothing was replaced.")
        raise BoardError(
            f"Writing {path} failed: {what} (board on {self.port}); {after}", self.port
        )

    def _replace(self, tmp: str, path: str, total: int) -> None:
        if "rename" in self.features:
            code = (
                f"import os\ntry:\n os.rename({tmp!r},{path!r})\nexcept OSError:\n"
                f" os.remove({path!r})\n os.rename({tmp!r},{path!r})"
            )
            self._exec(code, path, self.stall_timeout)
            return
        # No rename (micro:bit V1): drop the old file first (frees its space), then copy the
        # verified temporary on the board and check the size before removing the temporary.
        size_fn = "os.size" if self.flat else "(lambda q:os.stat(q)[6])"
        code = (
            f"import os\ntry:\n os.remove({path!r})\nexcept OSError:\n pass\n"
            f"a=open({tmp!r},'rb')\nb=open({path!r},'wb')\n"
            "while 1:\n d=a.read(256)\n if not d:break\n b.write(d)\n"
            f"a.close()\nb.close()\nif {size_fn}({path!r})=={total}:\n os.remove({tmp!r})\n"
            f"else:\n os.remove({path!r})\n raise OSError(28)"
        )
        try:
            self._exec(code, path, self.stall_timeout, repeatable=True)
            return
        except DeviceError as exc:
            failure = exc
        last = failure.last_line if isinstance(failure, BoardError) else ""
        full = last.startswith("OSError") and ("28" in last or "ENOSPC" in last)
        why = ("the board's storage is too full for a safe copy" if full else
               f"the board's copy step failed ({_reason(failure)})")
        raise BoardError(
            f"{path} could not be replaced: {why}; the new content is kept as {tmp} until the "
            f"next copy to this board (board on {self.port}).",
            self.port,
            getattr(failure, "traceback", ""),
        ) from failure

    def _remove_quietly(self, path: str) -> None:
        try:
            self._repl.exec(f"import os\ntry:\n os.remove({path!r})\nexcept OSError:\n pass", 5.0)
        except Exception:
            pass

    # -- changes ---------------------------------------------------------------------------------
    def remove(self, path: str) -> None:
        path = self._norm(path)
        self._exec(f"import os\nos.remove({path!r})", path)

    def mkdir(self, path: str) -> None:
        self._need_folders(path)
        self._exec(f"import os\nos.mkdir({path!r})", path)

    def rmdir(self, path: str) -> None:
        self._need_folders(path)
        self._exec(f"import os\nos.rmdir({path!r})", path)

    def rename(self, old: str, new: str) -> None:
        if "rename" not in self.features:
            data = self.read(old)
            self.write(new, data, skip_unchanged=False)
            self.remove(old)
            return
        self._exec(f"import os\nos.rename({self._norm(old)!r},{self._norm(new)!r})", old)

    def _need_folders(self, path: str) -> None:
        if self.flat:
            raise BoardError(
                f"The board on {self.port} has a flat file system: folders such as {path} "
                "are not possible on it.",
                self.port,
            )


def _reason(exc: DeviceError) -> str:
    """The board's own last line for an error it reported, else what went wrong on the way."""
    if isinstance(exc, BoardError) and exc.traceback:
        return exc.last_line
    return str(exc).rstrip(".")


def _is_ascii_text(data: bytes) -> bool:
    return all(b in (9, 10, 13) or 32 <= b < 127 for b in data[:4096])
