"""Typing stays instant in big files: what each keystroke sets off, counted, not timed.

The echo time itself is measured black-box by bench/large_file.py. These tests pin down
the per-keystroke work that made it slow, with real key presses in the focused editor:
QScintilla's per-edit notifications (each one counted the characters from the top of the
file for the accessibility layer) and a layout pass of the status bar and window.
"""

from __future__ import annotations

from PyQt5.QtCore import QEvent, QObject, Qt
from PyQt5.QtWidgets import QApplication

from presenter.qt import accessibility

LINES = 20_000


def big_file(tmp_path, lines: int = LINES):
    path = tmp_path / "big.py"
    path.write_text("".join(f"value_{n} = {n}  # a comment about {n}\n" for n in range(lines)))
    return path


def editor_at_bottom(make_bench, qtbot, path):
    bench = make_bench([str(path)])
    editor = bench.window.tabs.current()
    qtbot.waitExposed(bench.window)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=5000)
    qtbot.keyClick(editor, Qt.Key_End, Qt.ControlModifier)
    assert editor.getCursorPosition()[0] == editor.lines() - 1  # the empty last line
    qtbot.wait(50)  # let the show/focus follow-ups run, as a person's pause would
    return bench, editor


class EventCounter(QObject):
    def __init__(self, kind: QEvent.Type) -> None:
        super().__init__()
        self.kind = kind
        self.seen: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == self.kind:
            self.seen.append(watched.objectName() or watched.metaObject().className())
        return False


def test_typing_at_the_bottom_of_a_big_file_sets_off_no_per_edit_notifications(
        make_bench, qtbot, tmp_path):
    assert not accessibility.assistive_technology_active()  # no screen reader in the tests
    _bench, editor = editor_at_bottom(make_bench, qtbot, big_file(tmp_path))
    notifications = []
    editor.SCN_MODIFIED.connect(lambda *args: notifications.append(args[1]))
    qtbot.keyClicks(editor, "total = 1")
    qtbot.keyClick(editor, Qt.Key_Backspace)
    assert editor.text(LINES) == "total = "
    assert notifications == [], "each notification counts every character above the caret"


def test_edits_still_report_text_and_line_changes(make_bench, qtbot, tmp_path):
    bench, editor = editor_at_bottom(make_bench, qtbot, big_file(tmp_path, lines=998))
    changes, line_changes = [], []
    editor.textChanged.connect(lambda: changes.append(editor.lines()))
    editor.linesChanged.connect(lambda: line_changes.append(editor.lines()))
    margin = editor.marginWidth(0)
    qtbot.keyClicks(editor, "x = 1")
    qtbot.waitUntil(lambda: len(changes) > 0, timeout=5000)
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: bool(line_changes) and line_changes[-1] == 1002, timeout=5000)
    # 1002 lines need four digits: the line-number margin widened to fit them.
    qtbot.waitUntil(lambda: editor.marginWidth(0) > margin, timeout=5000)
    assert bench.window.tabs.current() is editor


def test_a_keystroke_lays_nothing_out_again(make_bench, qtbot, tmp_path):
    bench, editor = editor_at_bottom(make_bench, qtbot, big_file(tmp_path))
    qtbot.keyClicks(editor, "warm")  # the first edit marks the tab unsaved: a real change
    qtbot.wait(50)
    counter = EventCounter(QEvent.LayoutRequest)
    QApplication.instance().installEventFilter(counter)
    try:
        for character in "abcdefgh":
            qtbot.keyClick(editor, character)
            QApplication.processEvents()
    finally:
        QApplication.instance().removeEventFilter(counter)
    assert editor.text(LINES) == "warmabcdefgh"
    assert bench.window.position_label.text() == f"Ln {LINES + 1}, Col 13"
    assert counter.seen == [], f"typing re-laid out {sorted(set(counter.seen))}"


def test_with_a_screen_reader_listening_the_editor_keeps_every_notification(
        make_bench, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(accessibility, "assistive_technology_active", lambda: True)
    _bench, editor = editor_at_bottom(make_bench, qtbot, big_file(tmp_path, lines=50))
    notifications, changes = [], []
    editor.SCN_MODIFIED.connect(lambda *args: notifications.append(args[1]))
    editor.textChanged.connect(lambda: changes.append(1))
    qtbot.keyClicks(editor, "ok")
    assert len(notifications) >= 2  # what QScintilla tells the accessibility layer from
    assert len(changes) == 2  # once per edit, from QScintilla itself, not twice
