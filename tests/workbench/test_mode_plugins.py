"""Broken plugins in the window: named in a banner and the log, skipped; the window goes on.

The plugins are a real distribution (``broken-modes 2.0``, a dist-info on sys.path found by
``importlib.metadata``): five modes that fail to load, and ``crashy``, which loads and raises
when activated.
"""

from __future__ import annotations

import logging

import pytest

from presenter.settings import Settings
from tests.fakes.board_window import LONG, choose_mode_with_keys, focus_editor, usb_boards
from tests.fakes.plugins import install_broken_plugins


@pytest.fixture
def broken(tmp_path, monkeypatch):
    usb_boards(monkeypatch, [])  # no real USB listing in the picker tests
    return install_broken_plugins(tmp_path / "site", monkeypatch)


def banner_texts(bench) -> list[str]:
    return [b.text for b in bench.window.banners.banners()]


def picker_names(bench) -> list[str]:
    return [m.name for m in bench.modes]


def test_the_window_starts_with_every_other_mode_and_names_each_broken_plugin(
        broken, make_bench, caplog):
    caplog.set_level(logging.WARNING)
    bench = make_bench()
    assert bench.mode.id == "python"
    assert picker_names(bench)[:3] == ["Python", "micro:bit", "Raspberry Pi Pico"]
    assert "Crashy" in picker_names(bench)
    texts = banner_texts(bench)
    logged = caplog.text
    for name in ("crash_on_import", "crash_in_init", "crash_in_actions", "takes_f5",
                 "python_again"):
        prefix = f"Mode '{name}' could not be loaded and was skipped (from broken-modes 2.0)"
        assert any(t.startswith(prefix) for t in texts), (name, texts)
        assert prefix in logged
    assert any("this plugin is broken on purpose" in t for t in texts)


def test_a_remembered_mode_that_fails_to_start_gives_python_mode_and_a_banner(
        broken, make_bench, caplog):
    settings = Settings.load()
    settings.set("mode", "crashy")
    settings.save()
    from broken_modes import Crashy

    left_before = Crashy.deactivated
    caplog.set_level(logging.WARNING)
    bench = make_bench()
    assert bench.mode.id == "python"
    assert bench.window.mode_label.text() == "Python"
    message = ("The Crashy mode (from broken-modes 2.0) failed to start and was skipped: "
               "RuntimeError: activation failed on purpose")
    assert message in banner_texts(bench)
    assert "mode crashy (from broken-modes 2.0) failed to start" in caplog.text
    assert Crashy.deactivated == left_before + 1  # it was asked to undo its half start
    assert "Crashy" not in picker_names(bench)
    assert bench.settings.get("mode") == "python"  # saved so at the latest on quitting


def test_choosing_a_mode_that_fails_to_start_keeps_the_previous_mode(
        broken, make_bench, qtbot, keyboard):
    bench = make_bench()
    bench.window.activateWindow()
    qtbot.waitActive(bench.window)
    focus_editor(bench, qtbot)
    choose_mode_with_keys(bench, qtbot, keyboard, "micro:bit")
    qtbot.waitUntil(lambda: bench.mode.id == "microbit", timeout=LONG)
    focus_editor(bench, qtbot)
    choose_mode_with_keys(bench, qtbot, keyboard, "Crashy")
    qtbot.waitUntil(lambda: any(t.startswith("The Crashy mode") for t in banner_texts(bench)),
                    timeout=LONG)
    assert bench.mode.id == "microbit"  # back where the speaker was, connected as before
    assert bench.mode.context is not None and bench.mode.board_button.isVisible()
    assert bench.actions["microbit.flash"].isVisible()
    assert Settings.load().get("mode") == "microbit"
    assert "Crashy" not in picker_names(bench)
