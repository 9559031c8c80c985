"""File operations built on "run code on the board" (never on the port directly).

Why this shape:
- Payload travels as Python literals inside raw-REPL submissions, so control bytes can never
  break the framing.  Binary uses base64 where the firmware has ``binascii``; otherwise a bytes
  literal in which bytes 0x80-0xFF are sent *raw* (MicroPython's lexer copies them as they are;
  probed at connect) and only control bytes, quote and backslash are escaped.  That costs about
  1.4 characters per random byte instead of about 2.9 for ``repr``, and 1.0 for text.
- The raw REPL is entered once, the file handle stays open, and each exec carries as much
  payload as the profile's ``max_submission`` allows (kept well under 1 kB on a micro:bit V1).
- Atomic replace: data goes to ``<path>.part``; its size (and SHA-256 where ``hashlib``
  exists) is verified; then ``os.rename`` replaces the target.  micro:bit V1 has no rename: the
  verified ``.part`` is copied over the target *on the board* (a few ms, no serial traffic) and
  its size checked before ``.part`` is removed.  Guarantee: a failed or interrupted transfer
  never touches the target.  On V1 only, an unplug inside the short on-board copy, or storage
  too full for the copy, leaves the target missing while the verified new content remains as
  ``<path>.part`` (the error says so).
- Unchanged files are skipped: same size and same SHA-256 (computed on the board) where
  ``hashlib`` exists; otherwise same size and identical content read back (reading is several
  times faster than writing because the board->host direction needs no pacing).
"""

from __future__ import annotations

import ast
import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from presenter.device.errors import BoardError
from presenter.device.repl import Repl

Progress = Callable[[int, int], None] | None


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

    def _exec(self, code: str | bytes, path: str = "", timeout: float = 10.0) -> str:
        try:
            return self._repl.exec(code, timeout)
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
        return ast.literal_eval(self._exec(f"print(repr({expr}))", path, timeout).strip())

    def _join(self, folder: str, name: str) -> str:
        if self.flat:
            return name
        return folder.rstrip("/") + "/" + name if folder not in ("", "/") else "/" + name

    def _norm(self, path: str) -> str:
        return path.lstrip("/") if self.flat else path

    # -- queries ---------------------------------------------------------------------------
    def ls(self, path: str = "/") -> list[FileEntry]:
        if self.flat:
            code = "import os\nfor n in os.listdir():\n print(repr((n,0,os.size(n))))"
        else:
            code = (
                "import os\n"
                f"p={path!r}\n"
                "for e in os.ilistdir(p):\n"
                " s=e[3] if len(e)>3 else -1\n"
                " if s<0 and e[1]!=0x4000:\n"
                "  s=os.stat((p.rstrip('/') or '')+'/'+e[0])[6]\n"
                " print(repr((e[0],e[1],s)))"
            )
        out = self._exec(code, path)
        entries = []
        for line in out.splitlines():
            if line.strip():
                name, kind, size = ast.literal_eval(line)
                is_dir = kind == 0x4000
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
        n = int(self._exec(code, path).strip())
        if n == -2:
            raise BoardError(f"{path} is a folder (board on {self.port}).", self.port)
        return None if n < 0 else n

    def exists(self, path: str) -> bool:
        path = self._norm(path)
        if self.flat:
            return bool(self._eval(f"{path!r} in __import__('os').listdir()", path))
        code = f"import os\ntry:\n os.stat({path!r})\n print(1)\nexcept OSError:\n print(0)"
        return self._exec(code, path).strip() == "1"

    def sha256(self, path: str) -> bytes | None:
        """SHA-256 computed on the board, or None when the firmware has no hashlib."""
        mod = "hashlib" if "hashlib" in self.features else "uhashlib" if "uhashlib" in self.features else None
        if mod is None:
            return None
        code = (
            f"import {mod}\nh={mod}.sha256()\nf=open({self._norm(path)!r},'rb')\n"
            "while 1:\n d=f.read(512)\n if not d:break\n h.update(d)\nf.close()\nprint(repr(h.digest()))"
        )
        return ast.literal_eval(self._exec(code, path, timeout=60).strip())

    # -- read ----------------------------------------------------------------------------------
    def read(self, path: str, progress: Progress = None) -> bytes:
        path = self._norm(path)
        total = self.size(path)
        if total is None:
            raise BoardError(f"{path} does not exist (board on {self.port}).", self.port)
        self._exec(f"_f=open({path!r},'rb')\n_r=_f.read", path)
        data = bytearray()
        n = max(64, self._repl.profile.file_chunk)
        try:
            if progress:
                progress(0, total)
            while True:
                out = self._exec(f"for _i in range(4):\n d=_r({n})\n print(repr(d))\n if not d:break", path)
                done = False
                for line in out.splitlines():
                    if not line.strip():
                        continue
                    piece = ast.literal_eval(line)
                    if not piece:
                        done = True
                        break
                    data.extend(piece)
                if progress:
                    progress(len(data), total)
                if done:
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
        self, path: str, data: bytes, progress: Progress = None, skip_unchanged: bool = True
    ) -> bool:
        """Write ``data`` to ``path`` safely; False when skipped because it is unchanged."""
        path = self._norm(path)
        total = len(data)
        if skip_unchanged and self._unchanged(path, data):
            if progress:
                progress(total, total)
            return False
        tmp = path + ".part"
        use_b64 = "binascii" in self.features or "ubinascii" in self.features
        is_text = _is_ascii_text(data)
        if use_b64 and not is_text:
            mod = "binascii" if "binascii" in self.features else "ubinascii"
            setup = f"import {mod}\n_f=open({tmp!r},'wb')\n_w=lambda s:_f.write({mod}.a2b_base64(s))"
            parts = base64_parts(data, self._budget - 10)
        else:
            setup = f"_f=open({tmp!r},'wb')\n_w=_f.write"
            parts = bytes_literal_parts(data, self._budget - 10, self.raw_high_bytes)
        self._exec(setup, path)
        done = 0
        try:
            if progress:
                progress(0, total)
            # Several literals per exec when they are small; one exec never exceeds the budget.
            batch: list[bytes] = []
            size = 0
            for lit, count in parts:
                if batch and size + len(lit) + 4 > self._budget:
                    self._exec(b"\n".join(batch), path)
                    if progress:
                        progress(done, total)
                    batch, size = [], 0
                batch.append(b"_w(" + lit + b")")
                size += len(lit) + 4
                done += count
            if batch:
                self._exec(b"\n".join(batch), path)
            self._exec("_f.close()\n_f=_w=None", path)
        except BoardError:
            self._close_handle()
            self._remove_quietly(tmp)
            raise
        self._verify(tmp, data, path)
        self._replace(tmp, path, total)
        if progress:
            progress(total, total)
        return True

    def _unchanged(self, path: str, data: bytes) -> bool:
        if self.size(path) != len(data):
            return False
        digest = self.sha256(path)
        if digest is not None:
            return digest == hashlib.sha256(data).digest()
        return self.read(path) == data

    def _verify(self, tmp: str, data: bytes, path: str) -> None:
        got = self.size(tmp)
        if got != len(data):
            self._remove_quietly(tmp)
            raise BoardError(
                f"Writing {path} failed: the board stored {got} of {len(data)} bytes "
                f"(board on {self.port}); nothing was replaced.",
                self.port,
            )
        digest = self.sha256(tmp)
        if digest is not None and digest != hashlib.sha256(data).digest():
            self._remove_quietly(tmp)
            raise BoardError(
                f"Writing {path} failed: the data arrived corrupted (board on {self.port}); "
                "nothing was replaced.",
                self.port,
            )

    def _replace(self, tmp: str, path: str, total: int) -> None:
        if "rename" in self.features:
            code = (
                f"import os\ntry:\n os.rename({tmp!r},{path!r})\nexcept OSError:\n"
                f" os.remove({path!r})\n os.rename({tmp!r},{path!r})"
            )
            self._exec(code, path)
            return
        # No rename (micro:bit V1): drop the old file first (frees its space), then copy the
        # verified .part on the board and check the size before removing .part.
        size_fn = "os.size" if self.flat else "(lambda q:os.stat(q)[6])"
        code = (
            f"import os\ntry:\n os.remove({path!r})\nexcept OSError:\n pass\n"
            f"a=open({tmp!r},'rb')\nb=open({path!r},'wb')\n"
            "while 1:\n d=a.read(256)\n if not d:break\n b.write(d)\n"
            f"a.close()\nb.close()\nif {size_fn}({path!r})=={total}:\n os.remove({tmp!r})\n"
            f"else:\n os.remove({path!r})\n raise OSError(28)"
        )
        try:
            self._exec(code, path, timeout=30)
        except BoardError as exc:
            raise BoardError(
                f"{path} could not be replaced: the board's storage is too full for a safe copy; "
                f"the new content is kept as {tmp} (board on {self.port}).",
                self.port,
                exc.traceback,
            ) from exc

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


def _is_ascii_text(data: bytes) -> bool:
    return all(b in (9, 10, 13) or 32 <= b < 127 for b in data[:4096])
