"""Loading and saving user files: encodings, newlines, refusals, atomic save, change polling."""

from __future__ import annotations

import codecs
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from presenter.core.documents import (
    MAX_BYTES,
    DocumentError,
    UnencodableError,
    file_signature,
    has_changed_on_disk,
    load_document,
    save_document,
    with_coding_cookie,
)
from tests.fakes.unprivileged import run_python_unprivileged

# ---- Decoding


def test_plain_utf8_has_no_note(tmp_path):
    f = tmp_path / "a.py"
    f.write_bytes("print('héllo')\n".encode())
    doc = load_document(f)
    assert doc.text == "print('héllo')\n"
    assert (doc.encoding, doc.newline, doc.bom, doc.note, doc.mixed_newlines) == (
        "utf-8", "\n", False, None, False)
    assert doc.signature.size == f.stat().st_size


def test_empty_file_defaults(tmp_path):
    f = tmp_path / "empty.py"
    f.write_bytes(b"")
    doc = load_document(f)
    assert (doc.text, doc.encoding, doc.newline, doc.bom, doc.note) == ("", "utf-8", "\n", False, None)


@pytest.mark.parametrize(
    "bom, codec",
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_files_round_trip_byte_for_byte(tmp_path, bom, codec):
    original = bom + "x = 'ünï 😀'\r\ny = 2\r\n".encode(codec)
    f = tmp_path / "bom.py"
    f.write_bytes(original)
    doc = load_document(f)
    assert doc.text == "x = 'ünï 😀'\ny = 2\n"
    assert (doc.encoding, doc.bom, doc.newline) == (codec, True, "\r\n")
    save_document(f, doc.text, doc.encoding, doc.newline, doc.bom)
    assert f.read_bytes() == original


def test_coding_cookie_latin1(tmp_path):
    f = tmp_path / "l.py"
    original = "# -*- coding: latin-1 -*-\ns = 'café'\n".encode("latin-1")
    f.write_bytes(original)
    doc = load_document(f)
    assert doc.text.endswith("s = 'café'\n")
    assert codecs.lookup(doc.encoding).name == "iso8859-1"
    assert doc.note is None
    save_document(f, doc.text, doc.encoding, doc.newline, doc.bom)
    assert f.read_bytes() == original


def test_vim_cookie_on_second_line_after_shebang(tmp_path):
    f = tmp_path / "v.py"
    f.write_bytes("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '€'\n".encode("cp1252"))
    doc = load_document(f)
    assert "x = '€'" in doc.text
    assert doc.encoding == "cp1252"


def test_cookie_on_line_two_ignored_when_line_one_is_code(tmp_path):
    f = tmp_path / "c.py"
    f.write_bytes(b"x = 1\n# coding: latin-1\n")
    assert load_document(f).encoding == "utf-8"


def test_unknown_cookie_gives_note_and_falls_back(tmp_path):
    f = tmp_path / "u.py"
    f.write_bytes("# coding: klingon-8\nx = 'ü'\n".encode())
    doc = load_document(f)
    assert doc.encoding == "utf-8"
    assert "klingon-8" in doc.note and "unknown" in doc.note


def test_cookie_that_lies_falls_back_with_note(tmp_path):
    f = tmp_path / "lie.py"
    f.write_bytes(b"# coding: utf-8\nx = '\xe9t\xe9'\n")  # latin-1 bytes, claims utf-8
    doc = load_document(f)
    assert doc.encoding == "cp1252"
    assert doc.text.endswith("x = 'été'\n")
    assert "declares UTF-8" in doc.note and "Windows-1252" in doc.note


def test_invalid_utf8_falls_back_to_cp1252_with_note(tmp_path):
    f = tmp_path / "w.py"
    f.write_bytes("print('naïve — “quoted”')\n".encode("cp1252"))
    doc = load_document(f)
    assert doc.encoding == "cp1252"
    assert doc.text == "print('naïve — “quoted”')\n"
    assert doc.note.startswith("Not valid UTF-8: opened as Windows-1252 (cp1252).")
    assert "Saving keeps that encoding" in doc.note


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path):
    f = tmp_path / "l1.txt"
    f.write_bytes(b"a\x81b\x8dc\n")  # 0x81/0x8D are undefined in cp1252
    doc = load_document(f)
    assert doc.encoding == "latin-1"
    assert doc.text == "a\x81b\x8dc\n"
    assert "Latin-1" in doc.note
    save_document(f, doc.text, doc.encoding, doc.newline, doc.bom)
    assert f.read_bytes() == b"a\x81b\x8dc\n"


# ---- Newlines


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_newline_style_detected_and_kept(tmp_path, newline):
    f = tmp_path / "n.py"
    original = newline.join(["a = 1", "b = 2", "", "c = 3", ""]).encode()
    f.write_bytes(original)
    doc = load_document(f)
    assert doc.newline == newline
    assert doc.text == "a = 1\nb = 2\n\nc = 3\n"
    assert not doc.mixed_newlines
    save_document(f, doc.text + "d = 4\n", doc.encoding, doc.newline, doc.bom)
    assert f.read_bytes() == original + f"d = 4{newline}".encode()


def test_mixed_newlines_dominant_style_wins_and_is_noted(tmp_path):
    f = tmp_path / "m.py"
    f.write_bytes(b"a\r\nb\r\nc\nd\r\n")
    doc = load_document(f)
    assert doc.newline == "\r\n"
    assert doc.mixed_newlines
    assert doc.text == "a\nb\nc\nd\n"
    assert doc.note is None  # the flag says it; the note is about encodings


def test_save_normalises_stray_carriage_returns(tmp_path):
    f = tmp_path / "s.py"
    save_document(f, "a\r\nb\rc\n", "utf-8", "\r\n")
    assert f.read_bytes() == b"a\r\nb\r\nc\r\n"


# ---- Refusals


def test_binary_file_refused(tmp_path):
    f = tmp_path / "image.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(DocumentError, match="image.png.*looks like a binary file"):
        load_document(f)


def test_control_heavy_file_without_nul_refused(tmp_path):
    f = tmp_path / "blob.dat"
    f.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 65, 66]) * 100)
    with pytest.raises(DocumentError, match="binary"):
        load_document(f)


def test_text_with_a_few_escape_codes_is_not_binary(tmp_path):
    f = tmp_path / "ansi.txt"
    f.write_bytes(b"\x1b[31mred\x1b[0m plain text and a bell \x07 here\n" * 20)
    assert "red" in load_document(f).text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo (POSIX)")
def test_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError, match="not a regular file"):
        load_document(fifo)  # opening it for reading would wait forever for a writer


def test_core_modules_never_import_qt():
    code = ("import sys, presenter.core.documents, presenter.core.recovery, "
            "presenter.core.themes; print([m for m in sys.modules if m.startswith('PyQt')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError, match=r"nope\.py.*does not exist"):
        load_document(tmp_path / "nope.py")


def test_directory(tmp_path):
    with pytest.raises(DocumentError, match="folder"):
        load_document(tmp_path)


def test_permission_denied_on_open(tmp_path):
    f = tmp_path / "secret.py"
    f.write_text("x")
    f.chmod(0)
    result = run_python_unprivileged(
        "from pathlib import Path\n"
        "from presenter.core.documents import DocumentError, load_document\n"
        f"try:\n    load_document(Path({str(f)!r}))\nexcept DocumentError as e:\n    print(e)\n")
    assert result.returncode == 0, result.stderr
    assert re.search(r"secret\.py.*permission denied", result.stdout), result.stdout


def test_other_os_errors_become_document_errors(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(DocumentError, match=r"Cannot open .*child\.py: Not a directory"):
        load_document(tmp_path / "file.txt" / "child.py")


def test_too_large_file_names_the_size(tmp_path):
    f = tmp_path / "huge.log"
    with open(f, "wb") as handle:
        handle.truncate(MAX_BYTES + 5 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(DocumentError, match=r"huge\.log.*25\.0 MB.*too large"):
        load_document(f)


def test_fifty_thousand_lines_load_correctly(tmp_path):
    f = tmp_path / "big.py"
    f.write_bytes("".join(f"value_{i} = {i} * 2  # comment {i}\r\n" for i in range(50_000)).encode())
    doc = load_document(f)
    assert doc.text.count("\n") == 50_000
    assert doc.newline == "\r\n"
    assert doc.text.splitlines()[49_999] == "value_49999 = 49999 * 2  # comment 49999"


# ---- Saving


def test_unencodable_character_raises_and_writes_nothing(tmp_path):
    f = tmp_path / "latin.py"
    original = "# coding: latin-1\nx = 'é'\n".encode("latin-1")
    f.write_bytes(original)
    doc = load_document(f)
    text = doc.text + "smile = 'ok 😀'\n"
    with pytest.raises(UnencodableError) as info:
        save_document(f, text, doc.encoding, doc.newline, doc.bom)
    err = info.value
    assert (err.line, err.column, err.character) == (3, 13, "😀")
    assert "line 3" in str(err) and "U+1F600" in str(err) and "UTF-8" in str(err)
    assert "latin.py" in str(err)
    assert f.read_bytes() == original  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latin.py"]  # no temp file left
    # The GUI's offer: save as UTF-8 instead.
    # A stale "latin-1" cookie would make the UTF-8 bytes decode as mojibake.
    fixed = with_coding_cookie(text, "utf-8")
    assert fixed.splitlines()[0] == "# coding: utf-8"
    save_document(f, fixed, encoding="utf-8", newline=doc.newline)
    reloaded = load_document(f)
    assert (reloaded.text, reloaded.encoding, reloaded.note) == (fixed, "utf-8", None)


def test_with_coding_cookie_leaves_other_text_alone():
    assert with_coding_cookie("x = 1\n# coding: latin-1\n", "utf-8") == "x = 1\n# coding: latin-1\n"
    assert with_coding_cookie("# -*- coding: utf8 -*-\n", "utf-8") == "# -*- coding: utf8 -*-\n"
    assert with_coding_cookie("#!/bin/py\n# vim: set fileencoding=cp1252 :\n", "utf-8") == (
        "#!/bin/py\n# vim: set fileencoding=utf-8 :\n")


def test_save_keeps_permission_bits(tmp_path):
    f = tmp_path / "script.py"
    f.write_text("#!/usr/bin/env python3\n")
    f.chmod(0o751)
    save_document(f, "#!/usr/bin/env python3\nprint(1)\n")
    assert stat.S_IMODE(f.stat().st_mode) == 0o751


def test_new_file_gets_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        f = tmp_path / "new.py"
        save_document(f, "x = 1\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(f.stat().st_mode) == 0o644
    assert f.read_bytes() == b"x = 1\n"


def test_save_through_symlink_keeps_link(tmp_path):
    real = tmp_path / "real.py"
    real.write_text("a\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    save_document(link, "b\n")
    assert link.is_symlink()
    assert real.read_text() == "b\n"


def test_save_to_missing_folder_is_clear(tmp_path):
    with pytest.raises(DocumentError, match="does not exist"):
        save_document(tmp_path / "no" / "such" / "x.py", "x")


def test_save_read_only_file_refused(tmp_path):
    f = tmp_path / "ro.py"
    f.write_text("a")
    f.chmod(0o444)
    result = run_python_unprivileged(
        "from pathlib import Path\n"
        "from presenter.core.documents import DocumentError, save_document\n"
        f"try:\n    save_document(Path({str(f)!r}), 'b')\nexcept DocumentError as e:\n    print(e)\n")
    assert result.returncode == 0, result.stderr
    assert "read-only" in result.stdout, result.stdout
    assert f.read_text() == "a"


def test_utf8_sig_name_does_not_double_the_bom(tmp_path):
    f = tmp_path / "b.py"
    save_document(f, "x\n", encoding="utf-8-sig", bom=True)
    assert f.read_bytes() == codecs.BOM_UTF8 + b"x\n"


def test_save_returns_signature_matching_disk(tmp_path):
    f = tmp_path / "sig.py"
    sig = save_document(f, "x = 1\n")
    assert sig == file_signature(f)
    assert has_changed_on_disk(f, sig) == "same"


# ---- Change detection


def test_has_changed_on_disk(tmp_path):
    f = tmp_path / "w.py"
    f.write_text("one\n")
    sig = load_document(f).signature
    assert has_changed_on_disk(f, sig) == "same"

    # touched with identical content: stat moved, content did not
    os.utime(f, ns=(sig.mtime_ns + 5_000_000_000, sig.mtime_ns + 5_000_000_000))
    assert has_changed_on_disk(f, sig) == "same"

    # same size, different content, as a formatter or git checkout might do
    f.write_text("two\n")
    assert has_changed_on_disk(f, sig) == "changed"

    f.write_text("longer now\n")
    assert has_changed_on_disk(f, sig) == "changed"

    f.unlink()
    assert has_changed_on_disk(f, sig) == "deleted"
    assert file_signature(f) is None
