"""What survives a restart: files, cursors, zoom, theme, mode, geometry; bad settings."""

from __future__ import annotations

import json

from PyQt5.QtCore import QEvent, QPoint, Qt
from PyQt5.QtGui import QMouseEvent
from PyQt5.QtTest import QTest
from PyQt5.QtWidgets import QApplication

from presenter import paths
from presenter.settings import Settings


def drag_divider(splitter, to_y: int) -> None:
    """Drag the editor/output divider with the mouse, as a user does, to ``to_y`` in the splitter.

    QTest.mouseMove sends no button state, so the move is a QMouseEvent with the left
    button held, sent to the real handle between press and release.
    """
    handle = splitter.handle(1)
    start = handle.rect().center()
    end = handle.mapFrom(splitter, QPoint(start.x(), to_y))
    QTest.mousePress(handle, Qt.LeftButton, Qt.NoModifier, start)
    move = QMouseEvent(QEvent.MouseMove, end, handle.mapToGlobal(end), Qt.NoButton, Qt.LeftButton,
                       Qt.NoModifier)
    QApplication.sendEvent(handle, move)
    QTest.mouseRelease(handle, Qt.LeftButton, Qt.NoModifier, end)


def test_session_is_restored_after_a_clean_exit(make_bench, tmp_path):
    one, two = tmp_path / "one.py", tmp_path / "two.py"
    one.write_text("".join(f"a{n} = {n}\n" for n in range(30)))
    two.write_text("b = 1\nb = 2\n")
    first = make_bench([str(one), str(two)])
    first.window.tabs.find_path(str(one)).setCursorPosition(17, 3)
    first.window.tabs.setCurrentWidget(first.window.tabs.find_path(str(two)))
    first.window.setGeometry(40, 50, 700, 500)  # the offscreen screen is 800x600
    drag_divider(first.window.splitter, first.window.splitter.height() // 2)  # output pane up
    first.window.close()
    assert not first.window.isVisible()

    second = make_bench()
    tabs = second.window.tabs
    assert [e.info.path for e in tabs.editors()] == [str(one), str(two)]
    assert tabs.find_path(str(one)).getCursorPosition() == (17, 3)
    assert tabs.current().info.path == str(two)
    geometry = second.window.geometry()
    assert (geometry.width(), geometry.height()) == (700, 500)
    editor_part, output_part = second.window.splitter.sizes()
    assert abs(output_part - editor_part) <= 0.1 * (output_part + editor_part)


def test_zoom_scales_every_pane_and_persists(make_bench):
    bench = make_bench()
    editor = bench.window.tabs.current()
    editor_before = editor.font_size
    output_before = bench.window.output.font().pointSize()
    icon_before = bench.window.toolbar.iconSize().width()
    bench.actions["view.zoom_in"].trigger()
    bench.actions["view.zoom_in"].trigger()
    assert editor.font_size == editor_before + 2
    assert bench.window.output.font().pointSize() == output_before + 2
    assert bench.window.toolbar.iconSize().width() > icon_before
    sheet = QApplication.instance().styleSheet()
    assert f"{bench.appearance.ui_pt}pt" in sheet
    assert Settings.load().get("zoom") == 2
    bench.window.close()

    again = make_bench()
    assert again.window.tabs.current().font_size == editor_before + 2
    again.actions["view.zoom_reset"].trigger()
    assert again.window.tabs.current().font_size == editor_before
    assert Settings.load().get("zoom") == 0


def test_theme_switches_in_one_click_and_persists(make_bench):
    bench = make_bench()
    seen = [bench.appearance.theme.name]
    for _ in range(4):
        bench.actions["view.theme"].trigger()
        seen.append(bench.appearance.theme.name)
    assert seen == ["day", "night", "high-contrast", "colour-blind", "day"]
    bench.actions["view.theme"].trigger()
    paper = bench.window.tabs.current().SendScintilla(bench.window.tabs.current().SCI_STYLEGETBACK, 0)
    assert Settings.load().get("theme") == "night"
    bench.window.close()
    again = make_bench()
    assert again.appearance.theme.name == "night"
    editor = again.window.tabs.current()
    assert editor.SendScintilla(editor.SCI_STYLEGETBACK, 0) == paper


def test_corrupt_settings_give_defaults_and_a_banner(make_bench):
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"{ this is not json \xff")
    bench = make_bench()
    assert bench.appearance.zoom == 0
    assert any("damaged" in b.text for b in bench.window.banners.banners())
    bench.actions["view.zoom_in"].trigger()
    assert json.loads(path.read_text())["zoom"] == 1


def test_settings_with_wrong_types_fall_back_per_key(make_bench):
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"zoom": "huge", "theme": "night", "session": []}))
    bench = make_bench()
    assert bench.appearance.zoom == 0
    assert bench.appearance.theme.name == "night"


def test_unknown_theme_falls_back_to_day_with_a_banner(make_bench):
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"theme": "no-such-theme"}))
    bench = make_bench()
    assert bench.appearance.theme.name == "day"
    assert any("no-such-theme" in b.text for b in bench.window.banners.banners())
