"""Files as users meet them: encodings, line endings, bad files, outside changes, closing."""

from __future__ import annotations

import textwrap

from PyQt5.QtCore import Qt

from presenter.qt.tabs import DIRTY_MARK
from tests.fakes.unprivileged import run_python_unprivileged


def test_open_edit_save_keeps_encoding_and_line_endings(bench, tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes("# -*- coding: latin-1 -*-\r\nname = 'Zoë'\r\n".encode("latin-1"))
    editor = bench.files.open_path(str(path))
    assert "Zoë" in editor.text()
    editor.append("print(name)\n")
    assert bench.files.save(editor)
    assert path.read_bytes() == "# -*- coding: latin-1 -*-\r\nname = 'Zoë'\r\nprint(name)\r\n".encode("latin-1")
    assert not editor.isModified()
    assert "LATIN" in bench.window.encoding_label.text().upper() or "8859" in bench.window.encoding_label.text()


def test_non_utf8_without_cookie_says_what_was_assumed(bench, tmp_path):
    path = tmp_path / "legacy.py"
    path.write_bytes("s = 'caf\xe9'\n".encode("cp1252"))
    editor = bench.files.open_path(str(path))
    assert editor.text() == "s = 'café'\n"
    texts = [b.text for b in bench.window.banners.banners()]
    assert any("legacy.py" in t and "1252" in t for t in texts), texts


def test_unencodable_text_is_not_saved_and_offers_utf8(bench, qtbot, tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes("# coding: latin-1\nx = 'é'\n".encode("latin-1"))
    editor = bench.files.open_path(str(path))
    editor.append("y = '🎉'\n")
    assert not bench.files.save(editor)
    assert path.read_bytes() == "# coding: latin-1\nx = 'é'\n".encode("latin-1")
    assert editor.isModified()
    banner = next(b for b in bench.window.banners.banners() if "not saved" in b.text)
    qtbot.mouseClick(banner.buttons["Save as UTF-8"], Qt.LeftButton)
    data = path.read_bytes().decode("utf-8")
    assert "🎉" in data and "latin-1" not in data
    assert not editor.isModified()


def test_binary_file_gives_a_banner_and_no_tab(bench, tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    count = bench.window.tabs.count()
    assert bench.files.open_path(str(path)) is None
    assert bench.window.tabs.count() == count
    assert any("binary" in b.text for b in bench.window.banners.banners())


def test_unreadable_file_gives_a_banner(tmp_path):
    path = tmp_path / "secret.py"
    path.write_text("x = 1\n")
    path.chmod(0)
    result = run_python_unprivileged(textwrap.dedent(f"""
        from PyQt5.QtWidgets import QApplication
        from presenter.settings import Settings
        from presenter.workbench.workbench import Workbench
        app = QApplication([])
        bench = Workbench(Settings.load())
        bench.start([])
        print("opened" if bench.files.open_path({str(path)!r}) else "refused")
        for banner in bench.window.banners.banners():
            print(banner.text)
        from PyQt5 import sip
        sip.delete(bench.window)  # as run_app does: left to Python's exit, Qt crashed (SIGSEGV)
    """))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "refused"
    assert any("secret.py" in line and "permission denied" in line for line in lines[1:]), lines


def test_unwritable_target_keeps_the_buffer_dirty(bench, tmp_path):
    editor = bench.window.tabs.current()
    editor.setText("keep me\n")
    target = tmp_path / "a-file"
    target.write_text("")
    bad = target / "x.py"  # a path under a regular file can never be written
    editor.info.path = str(bad)
    assert not bench.files.save(editor)
    assert editor.isModified() and editor.text() == "keep me\n"
    assert any("not saved" in b.text for b in bench.window.banners.banners())


def test_large_file_opens(bench, tmp_path):
    path = tmp_path / "big.py"
    path.write_text("".join(f"value_{n} = {n}  # a comment\n" for n in range(50_000)))
    editor = bench.files.open_path(str(path))
    assert editor.lines() == 50_001
    bench.go_to(str(path), 49_999)
    assert editor.getCursorPosition()[0] == 49_998


def test_changed_on_disk_offers_reload_and_keeps_the_buffer(bench, qtbot, keyboard, tmp_path):
    path = tmp_path / "demo.py"
    path.write_text("old = 1\n")
    editor = bench.files.open_path(str(path))
    editor.append("mine = 2\n")
    path.write_text("theirs = 3\n# longer so the size differs\n")
    bench.disk_watcher.check()
    banner = next(b for b in bench.window.banners.banners() if "changed on disk" in b.text)
    assert editor.text() == "old = 1\nmine = 2\n"  # nothing replaced without asking
    qtbot.mouseClick(banner.buttons["Reload"], Qt.LeftButton)
    assert editor.text() == "theirs = 3\n# longer so the size differs\n"
    assert not editor.isModified()
    editor.setFocus()
    keyboard.press("Ctrl+Z")  # the user's version is one undo away
    assert editor.text() == "old = 1\nmine = 2\n"


def test_deleted_on_disk_keeps_text_and_marks_unsaved(bench, tmp_path):
    path = tmp_path / "gone.py"
    path.write_text("precious = True\n")
    editor = bench.files.open_path(str(path))
    path.unlink()
    bench.disk_watcher.check()
    assert editor.text() == "precious = True\n"
    assert editor.isModified()
    assert any("deleted" in b.text for b in bench.window.banners.banners())
    assert bench.files.save(editor)
    assert path.read_text() == "precious = True\n"


def test_closing_an_unsaved_tab_asks_and_cancel_keeps_it(bench, answers, keyboard):
    editor = bench.window.tabs.current()
    keyboard.type("work")
    answers.save_changes = "cancel"
    keyboard.press("Ctrl+W")
    assert answers.asked == [("save_changes", [editor.info.title])]
    assert bench.window.tabs.indexOf(editor) >= 0
    answers.save_changes = "discard"
    keyboard.press("Ctrl+W")
    assert bench.window.tabs.indexOf(editor) < 0
    assert bench.window.tabs.count() == 1  # a fresh empty tab, never an empty window


def test_closing_the_window_with_unsaved_work_asks_and_can_cancel(bench, answers, qtbot, tmp_path):
    editor = bench.window.tabs.current()
    qtbot.keyClicks(editor, "unsaved")
    answers.save_changes = "cancel"
    bench.window.close()
    assert bench.window.isVisible()
    answers.save_changes = "save"
    answers.save_path = str(tmp_path / "kept.py")
    bench.window.close()
    assert not bench.window.isVisible()
    assert (tmp_path / "kept.py").read_text() == "unsaved"


def test_untitled_save_as_names_the_tab(bench, answers, keyboard, tmp_path):
    editor = bench.window.tabs.current()
    editor.setText("print('hi')\n")
    answers.save_path = str(tmp_path / "hello.py")
    keyboard.press("Ctrl+S")
    assert (tmp_path / "hello.py").read_text() == "print('hi')\n"
    assert bench.window.tabs.tabText(bench.window.tabs.indexOf(editor)) == "hello.py"
    assert DIRTY_MARK not in bench.window.tabs.tabText(0)
