"""Speaker notes with one screen (the strip, F9) and the talk's countdown.

The countdown reads a clock the test controls (``bench.demos.now``), so it moves by exactly
the seconds the test says; the label refreshes itself on its own timer, which the test
waits for rather than sleeping.
"""

from __future__ import annotations

from PyQt5.QtCore import Qt
from PyQt5.QtGui import QColor
from PyQt5.QtWidgets import QApplication

from tests.presenting.test_demo_mode import LONG, open_demo


class FakeNow:
    def __init__(self) -> None:
        self.value = 5000.0

    def __call__(self) -> float:
        return self.value


def start(make_bench, qtbot, answers, keyboard, tmp_path, now=None):
    bench = make_bench()
    bench.settings.set("demo.speed", 0)
    if now is not None:
        bench.demos.now = now
    open_demo(bench, qtbot, answers, keyboard, tmp_path)
    qtbot.waitUntil(lambda: bench.demos.player is not None, timeout=LONG)
    editor = bench.window.tabs.current()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    return bench


def test_with_one_screen_f9_toggles_a_notes_strip_that_follows_the_steps(
        make_bench, qtbot, answers, keyboard, tmp_path):
    bench = start(make_bench, qtbot, answers, keyboard, tmp_path)
    strip = bench.demos.strip
    assert len(QApplication.screens()) == 1
    assert not strip.isVisible()  # the audience sees this screen: notes only when asked
    keyboard.press("F9")
    assert strip.isVisible() and bench.demos.bar.notes_button.isChecked()
    assert strip.notes_label.text() == "Welcome everyone."
    assert strip.next_label.text() == "Next: 1 · Imports"
    keyboard.press("PgDown")
    assert strip.notes_label.text() == "Say hello."
    assert strip.next_label.text() == "Next: 2 · A function"
    keyboard.press("PgDown")
    keyboard.press("PgDown")
    assert strip.notes_label.text() == "(no notes for this step)"
    keyboard.press("F9")
    assert not strip.isVisible()
    assert bench.demos.screen is None or not bench.demos.screen.isVisible()
    assert bench.window.tabs.current().hasFocus()  # F9 never moved the speaker's keys


def wait_for_refresh(qtbot, countdown) -> None:
    """Two of the label's own refresh ticks (so a change would have shown)."""
    for _ in range(2):
        with qtbot.waitSignal(countdown._timer.timeout, timeout=LONG):
            pass


def test_the_countdown_starts_with_the_first_step_pauses_and_turns_red_at_zero(
        make_bench, qtbot, answers, keyboard, tmp_path):
    now = FakeNow()
    bench = start(make_bench, qtbot, answers, keyboard, tmp_path, now)
    keyboard.press("F9")
    countdown = bench.demos.strip.countdown
    assert countdown.text() == "05:00 ▷"  # the demo file says 5 min; not started yet
    now.value += 100  # people still sitting down
    wait_for_refresh(qtbot, countdown)
    assert countdown.text() == "05:00 ▷"
    keyboard.press("PgDown")  # the talk starts with its first step
    now.value += 60
    qtbot.waitUntil(lambda: countdown.text() == "04:00", timeout=LONG)
    pause = bench.demos.strip.pause_button
    qtbot.mouseClick(pause, Qt.LeftButton)
    assert countdown.text() == "04:00 ❚❚" and pause.text() == "Resume"
    now.value += 1000
    wait_for_refresh(qtbot, countdown)
    assert countdown.text() == "04:00 ❚❚"
    qtbot.mouseClick(pause, Qt.LeftButton)
    assert bench.window.tabs.current().hasFocus()  # the button took no focus
    now.value += 239
    qtbot.waitUntil(lambda: countdown.text() == "00:01", timeout=LONG)
    assert not countdown.overtime
    normal = paper_colour(countdown)
    now.value += 1
    qtbot.waitUntil(lambda: countdown.text() == "+00:00", timeout=LONG)
    assert countdown.overtime
    red = QColor(bench.appearance.theme.ui["stop_bg"])
    assert paper_colour(countdown) == red != normal  # drawn red, not only flagged
    now.value += 75
    qtbot.waitUntil(lambda: countdown.text() == "+01:15", timeout=LONG)


def paper_colour(label) -> QColor:
    """The colour drawn at the label's left edge, half-way down (inside its padding)."""
    image = label.grab().toImage()
    return QColor(image.pixelColor(3, image.height() // 2).rgb())
