"""The sample demos in resources/demos: valid, one per mode, opened from File > Open Sample Demo."""

from __future__ import annotations

import subprocess
import sys

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QApplication, QMenu

from presenter import paths
from presenter.core.demo import parse_demo, snapshots, validate
from presenter.workbench.demo_host import sample_demos

LONG = 30_000


def demos():
    return [parse_demo((paths.resources_dir() / "demos" / name).read_text(encoding="utf-8"),
                       name)
            for name in sorted(p.name for p in (paths.resources_dir() / "demos").glob("*.demo.py"))]


def test_there_is_a_valid_sample_demo_for_each_mode():
    found = demos()
    for demo in found:
        validate(demo)
        assert demo.length_s and demo.notes and all(step.notes for step in demo.steps)
    assert sorted(demo.mode or "python" for demo in found) == ["microbit", "pico", "python"]
    assert [title for title, _path in sample_demos()] == [  # in the mode picker's order
        "Python: counting words, live", "micro:bit: a heart that beats and listens",
        "Pico: blink, then measure"]


def test_the_python_sample_runs_cleanly_after_every_step():
    demo = next(d for d in demos() if d.mode is None)
    for position, texts in enumerate(snapshots(demo)[1:], start=1):
        result = subprocess.run([sys.executable, "-c", texts[demo.file]], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, f"step {position}: {result.stderr}"


def click_menu_item(qtbot, menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())


def test_file_open_sample_demo_lists_the_samples_and_a_click_starts_one(bench, qtbot):
    window = bench.window
    window.activateWindow()
    qtbot.waitActive(window)
    bar = window.menuBar()
    file_action = next(a for a in bar.actions() if a.text() == "&File")
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(file_action).center())
    file_menu = file_action.menu()
    qtbot.waitUntil(file_menu.isVisible, timeout=LONG)
    click_menu_item(qtbot, file_menu, "Open Sample Demo")
    samples = bench.sample_demos_menu
    qtbot.waitUntil(samples.isVisible, timeout=LONG)
    titles = [a.text() for a in samples.actions()]
    assert titles == [title for title, _path in sample_demos()]
    click_menu_item(qtbot, samples, "Python: counting words, live")
    qtbot.waitUntil(lambda: bench.demos.player is not None, timeout=LONG)
    assert bench.demos.bar.count_label.text() == "0/7"
    assert window.tabs.current().info.title == "words.py"
    assert QApplication.activePopupWidget() is None  # the menus closed
