"""Read and save the user's files so that nothing is ever lost or silently changed.

Why this module exists: a speaker opens whatever file a colleague emailed them (Latin-1,
UTF-16 with a BOM, Windows line endings, a PEP 263 cookie) and must be able to edit and
save it without the bytes they did not touch changing underneath them. So loading records
*how* the file was stored (encoding, BOM, newline style) and saving puts it back the same
way, atomically. When something had to be guessed, the guess is reported as a plain
sentence (``LoadedDocument.note``) that the GUI can show in a banner instead of a dialog.

No Qt here: the CLI and tests use this module directly.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from presenter.settings import write_atomically

#: Files above this size are refused: an editor on a projector is the wrong tool for them,
#: and QScintilla would stall the GUI thread while styling them.
MAX_BYTES = 20 * 1024 * 1024

#: How much of the file the binary sniffer looks at.
SNIFF_BYTES = 8192

#: Share of control bytes (excluding tab, newlines, form feed, escape) above which a file
#: without NUL bytes is still treated as binary.
CONTROL_SHARE = 0.10

# BOMs in the order they must be tested: UTF-32 LE starts with the UTF-16 LE BOM.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# PEP 263: "^[ \t\f]*#.*?coding[:=][ \t]*([-_.a-zA-Z0-9]+)" on line 1 or 2.
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-_.a-zA-Z0-9]+)")
_COMMENT_OR_BLANK = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)")

# Bytes that count as "control" when sniffing for binary content.
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b") + b"\x7f"

_LABELS = {
    "utf-8": "UTF-8",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE",
    "cp1252": "Windows-1252 (cp1252)",
    "latin-1": "Latin-1 (ISO-8859-1)",
    "iso8859-1": "Latin-1 (ISO-8859-1)",
    "ascii": "ASCII",
}

NEWLINE_NAMES = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}


class DocumentError(Exception):
    """A file could not be opened or saved; ``str()`` is one sentence naming the file."""


class UnencodableError(DocumentError):
    """The text holds a character the file's encoding cannot store.

    Carries where the first such character is so the GUI can move the cursor there and
    offer "Save as UTF-8": ``save_document(path, with_coding_cookie(text, "utf-8"),
    encoding="utf-8", ...)``. Nothing was written.
    """

    def __init__(self, message: str, *, encoding: str, line: int, column: int, character: str):
        super().__init__(message)
        self.encoding = encoding
        self.line = line  # 1-based
        self.column = column  # 1-based, in characters
        self.character = character


@dataclass(frozen=True)
class FileSignature:
    """What a file looked like when we last read or wrote it, to notice outside edits.

    ``mtime_ns`` and ``size`` are the cheap first check; ``digest`` (BLAKE2b of the bytes)
    decides when the stat changed but the content may not have (a ``touch``, a sync tool
    rewriting identical bytes), so the GUI does not nag about reloads for nothing.
    """

    mtime_ns: int
    size: int
    digest: str


@dataclass(frozen=True)
class LoadedDocument:
    """A decoded file plus everything needed to save it back exactly the same way."""

    text: str  # newlines are always "\n" here
    encoding: str  # codec name to save with (BOM not included in the name)
    newline: str  # "\n" | "\r\n" | "\r": the file's dominant style
    bom: bool
    note: str | None  # a sentence for the user when something was assumed
    mixed_newlines: bool
    signature: FileSignature
    path: Path | None = None


# ---- Public API


def encoding_label(encoding: str) -> str:
    """A human name for a codec, for the status bar and notes ("Windows-1252 (cp1252)")."""
    try:
        canonical = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return _LABELS.get(encoding.lower(), _LABELS.get(canonical, canonical))


def load_document(path: Path) -> LoadedDocument:
    """Read and decode ``path``; raise DocumentError with one clear sentence if we can't.

    Decoding order: BOM, PEP 263 cookie, UTF-8, then cp1252 and latin-1 (which never
    fails) with a note saying what was assumed.
    """
    path = Path(path)
    data, signature = _read_bytes(path)
    return _decoded(path, data, signature, path)


def decode_document(data: bytes, name: str) -> LoadedDocument:
    """Decode bytes that are not a file on this computer (a file read from a board).

    The same rules as ``load_document`` (BOM, cookie, UTF-8, fallbacks, binary refused,
    the newline style recorded), so a board's file saves back exactly as it came; ``name``
    is what messages call it. The signature only records size and digest.
    """
    if len(data) > MAX_BYTES:
        raise DocumentError(f"Cannot open {name}: it is {_size(len(data))}, too large to edit "
                            f"(the limit is {_size(MAX_BYTES)}).")
    return _decoded(name, data, FileSignature(0, len(data), _digest(data)), None)


def _decoded(name: Path | str, data: bytes, signature: FileSignature,
             path: Path | None) -> LoadedDocument:
    """The one decoding path behind load_document and decode_document."""
    notes: list[str] = []
    encoding, bom, text = _decode(name, data, notes)
    # Mixed line endings are reported by the flag alone (the GUI words that itself), so
    # ``note`` stays about the encoding and a file is not announced twice.
    newline, mixed, text = _split_newlines(text)
    return LoadedDocument(
        text=text,
        encoding=encoding,
        newline=newline,
        bom=bom,
        note=" ".join(notes) or None,
        mixed_newlines=mixed,
        signature=signature,
        path=path,
    )


def encode_document(text: str, encoding: str = "utf-8", newline: str = "\n", bom: bool = False,
                    name: str = "the file") -> bytes:
    """The bytes ``save_document`` would write, for a file that is not on this computer.

    Raises UnencodableError (nothing to send) like ``save_document``; ``name`` is what
    messages call the file.
    """
    if newline not in NEWLINE_NAMES:
        raise ValueError(f"newline must be one of {list(NEWLINE_NAMES)!r}, not {newline!r}")
    codec, bom_bytes = _saving_codec(name, encoding, bom)
    return _encode(name, text, codec, newline, bom_bytes)


def save_document(
    path: Path,
    text: str,
    encoding: str = "utf-8",
    newline: str = "\n",
    bom: bool = False,
) -> FileSignature:
    """Save ``text`` the way the file was stored; atomic, keeps permission bits.

    Everything is encoded in memory first, so an unencodable character raises
    UnencodableError before a single byte reaches the disk. Saving through a symlink
    writes the file it points to (the link survives). Pass ``encoding="utf-8"`` to
    implement the GUI's "Save as UTF-8" offer.
    """
    path = Path(path)
    if newline not in NEWLINE_NAMES:
        raise ValueError(f"newline must be one of {list(NEWLINE_NAMES)!r}, not {newline!r}")
    encoding, bom_bytes = _saving_codec(path, encoding, bom)
    data = _encode(path, text, encoding, newline, bom_bytes)

    target = Path(os.path.realpath(path))
    created = False
    try:
        try:
            mode: int | None = stat.S_IMODE(target.stat().st_mode)
            if not os.access(target, os.W_OK):
                raise DocumentError(f"Cannot save {path}: the file is read-only.")
        except FileNotFoundError:
            # A new file: create it empty first so the umask picks its permissions,
            # without touching the process-wide umask from a GUI with many threads.
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            os.close(fd)
            created = True
            mode = stat.S_IMODE(target.stat().st_mode)
        write_atomically(target, data)
        if mode is not None:
            # write_atomically's temp file is 0600; give the file its old bits back.
            os.chmod(target, mode)
        st = target.stat()
    except DocumentError:
        raise
    except PermissionError as exc:
        _remove_if(created, target)
        raise DocumentError(
            f"Cannot save {path}: permission denied (the file or its folder is not writable)."
        ) from exc
    except IsADirectoryError as exc:
        raise DocumentError(f"Cannot save {path}: it is a folder.") from exc
    except FileNotFoundError as exc:
        raise DocumentError(f"Cannot save {path}: the folder {path.parent} does not exist.") from exc
    except OSError as exc:
        _remove_if(created, target)
        raise DocumentError(f"Cannot save {path}: {exc.strerror or exc}.") from exc
    return FileSignature(st.st_mtime_ns, st.st_size, _digest(data))


def with_coding_cookie(text: str, encoding: str) -> str:
    """``text`` with its PEP 263 cookie (if any) rewritten to name ``encoding``.

    Why: after "Save as UTF-8" on a ``# coding: latin-1`` file, a cookie left unchanged
    would make Python (and our own loader) decode the new UTF-8 bytes as Latin-1. The GUI
    applies this to the buffer before saving in a different encoding; files without a
    cookie come back unchanged, and so do cookies that already agree.
    """
    lines = text.split("\n", 2)
    for index, line in enumerate(lines[:2]):
        raw = line.encode("utf-8", "surrogatepass")
        match = _COOKIE.match(raw)
        if match:
            if _text_codec(match.group(1).decode("ascii")) == _text_codec(encoding):
                return text
            start, end = match.span(1)
            lines[index] = (raw[:start] + encoding.encode("ascii") + raw[end:]).decode(
                "utf-8", "surrogatepass"
            )
            return "\n".join(lines)
        if not _COMMENT_OR_BLANK.match(raw):
            break
    return text


def file_signature(path: Path) -> FileSignature | None:
    """The file's current signature, or None if it does not exist (any more)."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DocumentError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return FileSignature(st.st_mtime_ns, st.st_size, _digest(data))


def has_changed_on_disk(path: Path, signature: FileSignature) -> str:
    """"same", "changed" or "deleted", for the GUI's poll of open files.

    Costs one stat when nothing happened; the file is only read (and hashed) when its
    size or mtime moved. If it returns "same" after the stat moved, call
    ``file_signature`` and keep the new one so the next poll is cheap again.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "deleted"
    except OSError:
        return "changed"
    if not stat.S_ISREG(st.st_mode):
        return "deleted"
    if st.st_mtime_ns == signature.mtime_ns and st.st_size == signature.size:
        return "same"
    if st.st_size != signature.size:
        return "changed"
    try:
        current = file_signature(path)
    except DocumentError:
        return "changed"
    if current is None:
        return "deleted"
    return "same" if current.digest == signature.digest else "changed"


# ---- Reading


def _read_bytes(path: Path) -> tuple[bytes, FileSignature]:
    try:
        # stat before open: opening a named pipe would block the GUI until a writer came.
        mode = os.stat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise DocumentError(
                f"Cannot open {path}: it is a device, pipe or socket, not a regular file."
            )
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(21, "Is a directory")
            if st.st_size > MAX_BYTES:
                raise DocumentError(
                    f"Cannot open {path}: it is {_size(st.st_size)}, too large to edit "
                    f"(the limit is {_size(MAX_BYTES)})."
                )
            data = handle.read(MAX_BYTES + 1)
    except DocumentError:
        raise
    except FileNotFoundError as exc:
        raise DocumentError(f"Cannot open {path}: the file does not exist.") from exc
    except IsADirectoryError as exc:
        raise DocumentError(f"Cannot open {path}: it is a folder, not a file.") from exc
    except PermissionError as exc:
        raise DocumentError(f"Cannot open {path}: permission denied.") from exc
    except OSError as exc:
        raise DocumentError(f"Cannot open {path}: {exc.strerror or exc}.") from exc
    if len(data) > MAX_BYTES:  # grew while we read it, or a device file
        raise DocumentError(
            f"Cannot open {path}: it is larger than {_size(MAX_BYTES)}, too large to edit."
        )
    return data, FileSignature(st.st_mtime_ns, len(data), _digest(data))


def _decode(path: Path | str, data: bytes, notes: list[str]) -> tuple[str, bool, str]:
    """Return (encoding, bom, text) following the documented order."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            try:
                return codec, True, data[len(mark):].decode(codec)
            except UnicodeDecodeError:
                # A BOM followed by garbage: treat as bytes like any other file.
                notes.append(f"The file starts with a {encoding_label(codec)} mark but is not "
                             f"valid {encoding_label(codec)}.")
                break

    if _looks_binary(data[:SNIFF_BYTES]):
        raise DocumentError(f"Cannot open {path}: it looks like a binary file, not text.")

    cookie = _coding_cookie(data)
    if cookie is not None:
        name, line = cookie
        codec = _text_codec(name)
        if codec is None:
            notes.append(f"Line {line} declares an unknown encoding '{name}'; ignored it.")
        else:
            try:
                return codec, False, data.decode(codec)
            except UnicodeDecodeError:
                notes.append(
                    f"Line {line} declares {encoding_label(codec)} but the file is not valid "
                    f"{encoding_label(codec)}; ignored it."
                )

    try:
        return "utf-8", False, data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for fallback in ("cp1252", "latin-1"):
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        label = encoding_label(fallback)
        notes.insert(0, f"Not valid UTF-8: opened as {label}. Saving keeps that encoding.")
        return fallback, False, text
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > CONTROL_SHARE


def _coding_cookie(data: bytes) -> tuple[str, int] | None:
    """The PEP 263 cookie's codec name and line number, if there is one."""
    lines = data[:1024].splitlines()[:2]
    for number, line in enumerate(lines, start=1):
        match = _COOKIE.match(line)
        if match:
            return match.group(1).decode("ascii"), number
        if not _COMMENT_OR_BLANK.match(line):
            break  # PEP 263: line 2 only counts if line 1 is a comment or blank
    return None


def _text_codec(name: str) -> str | None:
    """Canonical name of a text codec, or None for unknown names and bytes-to-bytes codecs."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    canonical = info.name
    if canonical == "utf-8-sig":
        return "utf-8"
    return canonical


def _split_newlines(text: str) -> tuple[str, bool, str]:
    """Return (dominant newline, mixed?, text with "\n" only)."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    counts = {"\n": lf, "\r\n": crlf, "\r": cr}
    used = [style for style, count in counts.items() if count]
    if not used:
        return "\n", False, text
    newline = max(counts, key=lambda style: counts[style])  # ties: first in the dict
    if crlf:
        text = text.replace("\r\n", "\n")
    if cr:
        text = text.replace("\r", "\n")
    return newline, len(used) > 1, text


# ---- Writing


def _saving_codec(path: Path | str, encoding: str, bom: bool) -> tuple[str, bytes]:
    """Normalise codec names that add their own BOM, and return (codec, BOM bytes)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise DocumentError(f"Cannot save {path}: unknown encoding '{encoding}'.") from exc
    if name == "utf-8-sig":
        name, bom = "utf-8", True
    elif name in ("utf-16", "utf-32"):  # these write a native-order BOM themselves
        name, bom = f"{name}-le", True
    if not bom:
        return name, b""
    marks = {codec: mark for mark, codec in _BOMS}
    if name not in marks:
        raise DocumentError(f"Cannot save {path}: {encoding_label(name)} has no byte order mark.")
    return name, marks[name]


def _encode(path: Path | str, text: str, encoding: str, newline: str, bom: bytes) -> bytes:
    if "\r" in text:  # text pasted with foreign newlines: make them the file's style too
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if newline != "\n":
        text = text.replace("\n", newline)
    try:
        return bom + text.encode(encoding)
    except UnicodeEncodeError as exc:
        char = text[exc.start]
        before = text[: exc.start]
        line = before.count(newline) + 1
        if newline in before:
            column = exc.start - (before.rfind(newline) + len(newline)) + 1
        else:
            column = exc.start + 1
        name = unicodedata.name(char, "unnamed character")
        raise UnencodableError(
            f"Cannot save {path} as {encoding_label(encoding)}: line {line}, column {column} "
            f"has {char!r} (U+{ord(char):04X} {name}), which {encoding_label(encoding)} cannot "
            f"store. Nothing was written; save it as UTF-8 to keep that character.",
            encoding=encoding,
            line=line,
            column=column,
            character=char,
        ) from exc


# ---- Small helpers


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _remove_if(created: bool, target: Path) -> None:
    if created:
        try:
            target.unlink()
        except OSError:
            pass
