"""Themes dropped into the config folder join the Theme cycle; a malformed one is named once.

The folder is ``themes/`` beside settings.json, inside the test's private PRESENTER_HOME.
"""

from __future__ import annotations

import json
import logging
import shutil

from PyQt5.QtWidgets import QApplication

from presenter import paths
from tests.fakes.board_window import focus_editor

HALL_PAPER = "#102030"  # a colour no built-in theme uses, to see the stylesheet change


def drop_theme(name: str, label: str, broken: bool = False) -> None:
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads((paths.themes_dir() / "night.json").read_text())
    data["label"] = label
    data["ui"]["window"] = HALL_PAPER
    if broken:
        data["ui"]["accent"] = "blue-ish"
    (folder / f"{name}.json").write_text(json.dumps(data))
    shutil.copy(paths.themes_dir() / "night.qss", folder / f"{name}.qss")


def banner_texts(bench) -> list[str]:
    return [b.text for b in bench.window.banners.banners()]


def next_theme(bench, qtbot, keyboard) -> str:
    focus_editor(bench, qtbot)
    keyboard.press("Ctrl+Shift+T")
    return bench.appearance.theme.name


def test_a_user_theme_joins_the_cycle_and_a_malformed_one_is_named_and_skipped(
        make_bench, qtbot, keyboard, caplog):
    drop_theme("hall", "Hall (the big room)")
    drop_theme("broken", "Broken", broken=True)
    caplog.set_level(logging.WARNING)
    bench = make_bench()
    bench.window.activateWindow()
    qtbot.waitActive(bench.window)
    problem = (f"The theme 'broken' in {paths.user_themes_dir()} was left out: Theme file "
               "broken.json: ui.accent is 'blue-ish', expected a colour like \"#1f2328\".")
    assert problem in banner_texts(bench)
    assert problem in caplog.text
    assert bench.appearance.theme.name == "day"
    cycle = [next_theme(bench, qtbot, keyboard) for _ in range(5)]
    assert cycle == ["night", "high-contrast", "colour-blind", "hall", "day"]  # never broken
    for expected in ("night", "high-contrast", "colour-blind", "hall"):
        assert next_theme(bench, qtbot, keyboard) == expected
    assert bench.window.status.currentMessage() == "Theme: Hall (the big room)"
    assert HALL_PAPER in QApplication.instance().styleSheet()
    assert banner_texts(bench).count(problem) == 1  # told once, not at every press

    drop_theme("zebra", "Zebra")  # dropped in while the window is open
    assert next_theme(bench, qtbot, keyboard) == "zebra"  # after hall, with no restart
    assert bench.settings.get("theme") == "zebra"
    bench.window.close()
    again = make_bench()  # remembered, and found in the user's folder at the next start
    assert again.appearance.theme.name == "zebra"
