"""The presenter screen on a real X server with two screens (run by test_presenter_screen.py).

Not collected on its own (the name does not start with ``test_``): the offscreen platform
the suite runs on has one screen. ``test_presenter_screen.py`` starts Xvfb with two
screens and runs this module in a pytest of its own, on that display.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QApplication

from tests.presenting.test_demo_mode import EXPECTED, LONG, open_demo
from tests.presenting.test_speaker_notes import FakeNow


@pytest.fixture
def talk(make_bench, qtbot, answers, keyboard, tmp_path):
    """The window on the first screen, a demo open, at once-speed, a controlled clock."""
    app = QApplication.instance()
    assert len(app.screens()) == 2, "run by test_presenter_screen.py on a two-screen Xvfb"
    bench = make_bench()
    bench.settings.set("demo.speed", 0)
    bench.demos.now = FakeNow()
    bench.demos.wall = lambda: datetime(2024, 5, 17, 14, 5)
    open_demo(bench, qtbot, answers, keyboard, tmp_path)
    qtbot.waitUntil(lambda: bench.demos.player is not None, timeout=LONG)
    screen = bench.demos.screen
    assert screen is not None
    qtbot.waitExposed(screen)
    editor = bench.window.tabs.current()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    return bench


def test_it_opens_on_the_other_screen_with_notes_next_code_and_clocks(talk, qtbot, keyboard):
    bench = talk
    app = QApplication.instance()
    projector, laptop = app.screens()
    screen = bench.demos.screen
    assert bench.window.windowHandle().screen() is projector
    assert screen.isVisible() and screen.windowHandle().screen() is laptop
    assert screen.geometry() == laptop.availableGeometry()  # the whole of the other screen
    assert not bench.demos.strip.isVisible()  # the projector shows only editor and output
    assert bench.window.isActiveWindow()  # it came up without taking the focus
    assert screen.title_label.text() == "0/7  Seven steps"
    assert screen.notes_label.text() == "Welcome everyone."
    assert screen.next_title.text() == "Next: 1 · Imports"
    assert screen.next_code.text() == "import math\n"
    assert screen.next_where.text() == "At the end of the code in app.py."
    assert screen.wall_label.text() == "14:05"
    assert screen.countdown.text() == "05:00 ▷"
    keyboard.press("PgDown")  # in the editor, on the projector
    keyboard.press("PgDown")
    assert screen.title_label.text() == "2/7  A function"
    assert screen.notes_label.text() == "Explain def."
    assert screen.next_title.text() == "Next: 3 · Do the maths"
    assert screen.next_code.text() == "    return math.pi * r * r\n"
    assert screen.next_where.text() == "It replaces the line containing “return 0” in app.py."
    bench.demos.now.value += 61
    qtbot.waitUntil(lambda: screen.countdown.text() == "03:59", timeout=LONG)
    qtbot.mouseClick(screen.pause_button, Qt.LeftButton)
    assert screen.countdown.text() == "03:59 ❚❚"
    assert bench.window.tabs.current().hasFocus()


def test_the_clicker_keys_drive_the_demo_from_the_presenter_screen(talk, qtbot, keyboard):
    bench = talk
    screen = bench.demos.screen
    screen.activateWindow()  # the speaker clicked their own screen
    qtbot.waitActive(screen)
    screen.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen, timeout=LONG)
    for key in ("PgDown", "Right", "Space"):
        keyboard.press(key)
    assert bench.window.tabs.current().text() == EXPECTED[3]["app.py"]
    keyboard.press("Left")
    keyboard.press("PgUp")
    assert bench.window.tabs.current().text() == EXPECTED[1]["app.py"]
    assert screen.title_label.text() == "1/7  Imports"


def test_f9_hides_and_shows_it(talk, qtbot, keyboard):
    bench = talk
    screen = bench.demos.screen
    keyboard.press("F9")
    assert not screen.isVisible() and not bench.demos.strip.isVisible()
    keyboard.press("F9")
    qtbot.waitExposed(screen)
    assert screen.windowHandle().screen() is QApplication.screens()[1]
    assert not bench.demos.strip.isVisible()


def test_it_follows_the_zoom(talk, qtbot, keyboard):
    bench = talk
    notes = bench.demos.screen.notes_label
    before = notes.font().pointSize()
    keyboard.press("Ctrl+=")
    keyboard.press("Ctrl+=")
    qtbot.waitUntil(lambda: notes.font().pointSize() > before, timeout=LONG)
    assert notes.font().pointSize() >= before + 2  # two zoom steps, at least a point each
    assert before > bench.window.tabs.current().font_size  # larger than the code to begin with


def test_unplugging_and_plugging_the_second_screen_is_followed(talk, qtbot, monkeypatch):
    """Xvfb cannot unplug a monitor: turning its only output off, Qt keeps the screen as a
    placeholder and says nothing (tried). So the unplug is what Qt does on a real machine:
    the screen leaves ``QGuiApplication.screens()`` and ``screenRemoved`` is emitted."""
    bench = talk
    app = QApplication.instance()
    projector, laptop = app.screens()
    follower = bench.demos.screens
    screen = bench.demos.screen
    monkeypatch.setattr(follower, "_screens", lambda: [projector])
    app.screenRemoved.emit(laptop)
    qtbot.waitUntil(lambda: not screen.isVisible(), timeout=LONG)
    assert bench.demos.strip.isVisible()  # the notes stay with the speaker, in the window
    assert bench.demos.strip.notes_label.text() == "Welcome everyone."
    monkeypatch.setattr(follower, "_screens", lambda: [projector, laptop])
    app.screenAdded.emit(laptop)
    qtbot.waitUntil(screen.isVisible, timeout=LONG)
    assert screen.windowHandle().screen() is laptop and not bench.demos.strip.isVisible()


def test_a_projector_plugged_in_mid_talk_gets_the_editor_and_the_speaker_the_notes(
        talk, qtbot, keyboard, monkeypatch):
    bench = talk
    app = QApplication.instance()
    projector, laptop = app.screens()
    follower = bench.demos.screens
    screen = bench.demos.screen
    monkeypatch.setattr(follower, "_screens", lambda: [projector])
    app.screenRemoved.emit(laptop)
    qtbot.waitUntil(lambda: not screen.isVisible(), timeout=LONG)
    keyboard.press("F9")  # one screen now: the speaker hides the strip
    assert not bench.demos.strip.isVisible()
    monkeypatch.setattr(follower, "_screens", lambda: [projector, laptop])
    app.screenAdded.emit(laptop)  # a second screen arrives: the presenter screen is back
    qtbot.waitUntil(screen.isVisible, timeout=LONG)
    assert bench.demos.bar.notes_button.isChecked()
