"""Demo mode in the real window: a 7-step demo driven by the keys a clicker sends.

Everything goes in as a person does it: the demo file is opened with Ctrl+O, the clicker's
keys are pressed in whichever widget has the focus, the speaker types into the editor, and
the step bar's controls are clicked. The expected texts come from ``core.demo.snapshots``
(the demo played from empty tabs), so each check compares the editor with the demo file's
own code, character for character.
"""

from __future__ import annotations

import pytest
from PyQt5.QtCore import QPoint, Qt
from PyQt5.QtWidgets import QApplication, QWidget

from presenter.core.demo import parse_demo, snapshots
from presenter.modes.api import Mode

LONG = 30_000  # ms: generous under load; never a speed assertion

SEVEN = """\
# %% demo: Seven steps
# %% length: 5 min
# %% file: app.py
# %% note: Welcome everyone.

# %% step: Imports
# %% note: Say hello.
import math

# %% step: A function
# %% note: Explain def.

def area(r):
    return 0

# %% step: Do the maths
# %% replace: return 0
    return math.pi * r * r

# %% step: A docstring
# %% after: def area(r):
    \"\"\"Area of a circle of radius r.\"\"\"

# %% step: A constant
# %% before: def area(r):
RADIUS = 2


# %% step: Print it
# %% run
# %% note: Run it: 12.57.
print(round(area(RADIUS), 2))

# %% step: A second file
# %% file: helper.py
# %% note: The last step types into a tab of its own.
GREETING = "hello"
"""
EXPECTED = snapshots(parse_demo(SEVEN))


def focused():
    return QApplication.focusWidget()


def open_demo(bench, qtbot, answers, keyboard, tmp_path, text: str = SEVEN,
              name: str = "seven.demo.py"):
    """Ctrl+O in the editor, the file dialog answering with the demo file."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    answers.open_paths = [str(path)]
    window = bench.window
    window.activateWindow()
    qtbot.waitActive(window)
    window.tabs.current().setFocus()
    qtbot.waitUntil(lambda: isinstance(focused(), type(window.tabs.current())), timeout=LONG)
    keyboard.press("Ctrl+O")
    return path


def demo_texts(bench) -> dict[str, str]:
    """The demo's tabs (by name) and their texts; tabs it has not opened yet are empty."""
    texts = {name: "" for name in EXPECTED[0]}
    for editor in bench.window.tabs.editors():
        if editor.info.title in texts:
            texts[editor.info.title] = editor.text()
    return texts


def set_speed(bench, qtbot, text: str) -> None:
    """Pick a speed in the step bar's list with the mouse."""
    choose(qtbot, bench.demos.bar.speed_box, text)


def choose(qtbot, box, text: str) -> None:
    index = box.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    qtbot.mouseClick(box, Qt.LeftButton)
    view = box.view()
    qtbot.waitUntil(view.isVisible, timeout=LONG)
    # The popup ignores a release within a double-click interval of opening (the click
    # that opened it): a person's second click comes later than that.
    qtbot.wait(QApplication.doubleClickInterval() + 100)
    item = view.model().index(index, 0)
    view.scrollTo(item)  # as a person scrolls a long list to the entry they want
    rect = view.visualRect(item)
    assert view.viewport().width() > view.fontMetrics().horizontalAdvance(text)  # not cut
    spot = QPoint(view.viewport().width() // 2, rect.center().y())
    # The pointer goes there, then clicks. It starts off the entry: a pointer already
    # resting there (the last test's click) would send no move, and so no hover.
    qtbot.mouseMove(view.viewport(), QPoint(spot.x(), spot.y() + rect.height()))
    qtbot.mouseMove(view.viewport(), spot)
    qtbot.waitUntil(lambda: view.currentIndex().row() == index, timeout=LONG)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=spot)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=LONG)
    assert box.currentIndex() == index


@pytest.fixture
def demo_bench(make_bench, qtbot, answers, keyboard, tmp_path):
    """The window with SEVEN open at once-speed, the focus in the demo's editor."""
    bench = make_bench()
    bench.settings.set("demo.speed", 0)
    open_demo(bench, qtbot, answers, keyboard, tmp_path)
    qtbot.waitUntil(lambda: bench.demos.player is not None, timeout=LONG)
    editor = bench.window.tabs.current()
    assert editor.info.title == "app.py"
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    return bench


def wait_for_run(bench, qtbot) -> None:
    qtbot.waitUntil(lambda: "exit code" in bench.window.output.toPlainText(), timeout=LONG)
    qtbot.waitUntil(lambda: not bench.is_running(), timeout=LONG)


def test_opening_a_demo_file_starts_demo_mode_with_an_empty_tab_and_the_step_bar(demo_bench):
    bench = demo_bench
    bar = bench.demos.bar
    assert bar.isVisible()
    assert bar.count_label.text() == "0/7"
    assert bar.title_label.text() == "Seven steps"
    assert [e.info.title for e in bench.window.tabs.editors()] == ["app.py"]  # the demo's tab
    assert bench.window.tabs.current().text() == ""
    assert bench.actions["demo.next"].isEnabled()


def test_next_back_and_go_to_reproduce_every_snapshot_exactly(demo_bench, qtbot, keyboard):
    bench = demo_bench
    bar = bench.demos.bar
    for position in range(1, 8):
        keyboard.press("PgDown")
        assert demo_texts(bench) == EXPECTED[position], f"after Next to step {position}"
        assert bar.count_label.text() == f"{position}/7"
        if position == 6:  # "Print it" runs: the output shows the program's answer
            wait_for_run(bench, qtbot)
            assert "12.57" in bench.window.output.toPlainText()
    assert bench.window.tabs.current().info.title == "helper.py"
    keyboard.press("PgDown")  # past the end: nothing changes
    assert demo_texts(bench) == EXPECTED[7]
    for position in range(6, -1, -1):
        keyboard.press("PgUp")
        assert demo_texts(bench) == EXPECTED[position], f"after Back to step {position}"
        assert bar.count_label.text() == f"{position}/7"
    for position in (5, 2, 7, 0, 3):
        choose(qtbot, bar.go_box, bar.go_box.itemText(position))
        assert demo_texts(bench) == EXPECTED[position], f"after Go to {position}"
        assert bar.count_label.text() == f"{position}/7"


def test_next_during_typing_finishes_the_step_at_once(demo_bench, qtbot, keyboard):
    bench = demo_bench
    set_speed(bench, qtbot, "5 char/s")
    assert bench.settings.get("demo.speed") == 5  # the next demo starts at this speed too
    editor = bench.window.tabs.current()
    assert focused() is editor  # choosing a speed leaves the focus in the editor
    keyboard.press("PgDown")
    qtbot.waitUntil(lambda: 0 < len(editor.text()), timeout=LONG)
    assert bench.demos.player.is_typing()
    assert editor.text() != EXPECTED[1]["app.py"]  # "import math" takes two seconds at 5/s
    assert "typing" in bench.demos.bar.title_label.text()
    keyboard.press("PgDown")
    assert editor.text() == EXPECTED[1]["app.py"]
    assert not bench.demos.player.is_typing()
    assert bench.demos.bar.count_label.text() == "1/7"  # finished step 1, not typed step 2


def test_back_during_typing_stops_it_and_restores_the_step_before(demo_bench, qtbot,
                                                                   keyboard):
    bench = demo_bench
    keyboard.press("PgDown")
    set_speed(bench, qtbot, "5 char/s")
    editor = bench.window.tabs.current()
    keyboard.press("PgDown")
    qtbot.waitUntil(lambda: len(editor.text()) > len(EXPECTED[1]["app.py"]), timeout=LONG)
    keyboard.press("PgUp")
    assert editor.text() == EXPECTED[1]["app.py"]
    assert not bench.demos.player.is_typing()
    assert bench.demos.bar.count_label.text() == "1/7"
    length = len(editor.text())
    qtbot.wait(500)  # two characters' time at 5 a second: nothing more is typed
    assert len(editor.text()) == length


def test_typing_between_steps_keeps_later_steps_in_place(demo_bench, keyboard):
    bench = demo_bench
    editor = bench.window.tabs.current()
    for _ in range(3):
        keyboard.press("PgDown")
    # The speaker adds a line at the top and one at the end, live.
    keyboard.press("Ctrl+Home")
    keyboard.type("# live!")
    keyboard.press("Return")
    keyboard.press("Ctrl+End")
    keyboard.type("print(area(1))")
    keyboard.press("Return")
    top, bottom = "# live!\n", "print(area(1))\n"
    assert editor.text() == top + EXPECTED[3]["app.py"] + bottom
    keyboard.press("PgDown")  # after "def area(r):", which moved down a line
    assert editor.text() == top + EXPECTED[4]["app.py"] + bottom
    keyboard.press("PgDown")  # before "def area(r):"
    assert editor.text() == top + EXPECTED[5]["app.py"] + bottom
    keyboard.press("PgDown")  # no anchor: at the end, under what the speaker typed
    assert editor.text() == top + EXPECTED[5]["app.py"] + bottom + "print(round(area(RADIUS), 2))\n"


def test_back_restores_the_snapshot_and_undo_brings_back_what_was_typed(demo_bench, keyboard):
    bench = demo_bench
    editor = bench.window.tabs.current()
    keyboard.press("PgDown")
    keyboard.press("PgDown")
    keyboard.press("Ctrl+End")
    keyboard.type("typo = (")
    typed = editor.text()
    keyboard.press("PgUp")  # a live typo never derails the talk: back to step 1's code
    assert editor.text() == EXPECTED[1]["app.py"]
    keyboard.press("Ctrl+Z")  # ... and nothing typed is lost
    assert editor.text() == typed


def test_undo_after_a_step_takes_the_whole_step_away(demo_bench, keyboard):
    bench = demo_bench
    editor = bench.window.tabs.current()
    keyboard.press("PgDown")
    keyboard.press("PgDown")
    keyboard.press("Ctrl+Z")
    assert editor.text() == EXPECTED[1]["app.py"]
    keyboard.press("Ctrl+Shift+Z")
    assert editor.text() == EXPECTED[2]["app.py"]


def test_right_and_space_drive_the_demo_until_the_speaker_types(demo_bench, keyboard):
    bench = demo_bench
    editor = bench.window.tabs.current()
    bar = bench.demos.bar
    keyboard.press("Right")
    keyboard.press("Space")
    assert editor.text() == EXPECTED[2]["app.py"]
    keyboard.press("Left")
    assert editor.text() == EXPECTED[1]["app.py"]
    assert "demo" in bar.keys_label.text()
    # The speaker types: from the first key on, Space is a space and the arrows move.
    keyboard.press("Ctrl+End")
    keyboard.type("x = 1")
    keyboard.press("Space")
    keyboard.press("Left")
    keyboard.type("#")
    assert editor.text() == EXPECTED[1]["app.py"] + "x = 1# "
    assert "typing" in bar.keys_label.text()
    keyboard.press("PgDown")  # Page Down always drives the demo, and gives the keys back
    assert editor.text() == EXPECTED[1]["app.py"] + "x = 1# \n" + "\ndef area(r):\n    return 0\n"
    assert "demo" in bar.keys_label.text()
    keyboard.press("Ctrl+End")
    keyboard.type("y")
    keyboard.press("Escape")  # Esc gives them back too
    keyboard.press("Space")
    assert bar.count_label.text() == "3/7"
    assert editor.text().endswith("y")  # step 3 replaced its line; the speaker's y stays


def test_presentation_mode_hears_of_each_step_and_of_who_holds_the_keys(demo_bench, qtbot,
                                                                         keyboard):
    """What presentation mode listens to: a step starting clears its spotlight, and while
    the demo holds the keys the clicker's bare keys (B and . blank) act in the editor."""
    demos = demo_bench.demos
    started, driving = [], []
    demos.step_started.connect(started.append)
    demos.clicker_driving_changed.connect(driving.append)
    keyboard.press("PgDown")
    keyboard.press("PgDown")
    assert started == [1, 2]
    keyboard.press("Ctrl+End")
    keyboard.type("x")
    keyboard.press("Escape")
    qtbot.mouseClick(demos.bar.end_button, Qt.LeftButton)
    assert driving == [False, True, False]  # typing, Esc, the demo ended


def test_on_stage_a_step_ends_the_spotlight_and_the_clicker_blanks_from_the_editor(
        demo_bench, qtbot, keyboard):
    """The wiring in the window: F11, a spotlight, Page Down (the clicker's Next) ends it;
    while the demo holds the keys, the clicker's B blanks even with the focus in the editor
    (where B would otherwise type), and B again brings the stage back untouched."""
    bench = demo_bench
    editor = bench.window.tabs.current()
    keyboard.press("PgDown")
    keyboard.press("F11")
    qtbot.waitUntil(bench.window.isFullScreen, timeout=LONG)
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    keyboard.press("Ctrl+Shift+H")
    assert bench.presentation.spotlight.is_active()
    keyboard.press("PgDown")
    assert not bench.presentation.spotlight.is_active()
    assert editor.text() == EXPECTED[2]["app.py"]
    keyboard.press("B")
    assert bench.presentation.blank.is_blank()
    keyboard.press("B")
    assert not bench.presentation.blank.is_blank()
    assert editor.text() == EXPECTED[2]["app.py"]
    keyboard.press("F11")
    qtbot.waitUntil(lambda: not bench.window.isFullScreen(), timeout=LONG)


def test_the_clicker_keys_drive_the_demo_from_the_output_pane(demo_bench, qtbot, keyboard):
    bench = demo_bench
    output = bench.window.output
    keyboard.press("Ctrl+Shift+O")
    qtbot.waitUntil(lambda: focused() is output, timeout=LONG)
    keyboard.press("PgDown")
    keyboard.press("Space")
    assert demo_texts(bench) == EXPECTED[2]
    keyboard.press("Left")
    assert demo_texts(bench) == EXPECTED[1]


def test_the_step_bar_buttons_drive_the_demo_and_leave_the_focus_in_the_editor(demo_bench,
                                                                               qtbot):
    bench = demo_bench
    bar = bench.demos.bar
    editor = bench.window.tabs.current()
    qtbot.mouseClick(bar.next_button, Qt.LeftButton)
    qtbot.mouseClick(bar.next_button, Qt.LeftButton)
    assert editor.text() == EXPECTED[2]["app.py"]
    qtbot.mouseClick(bar.back_button, Qt.LeftButton)
    assert editor.text() == EXPECTED[1]["app.py"]
    assert focused() is editor


def test_alt_page_down_drives_the_demo_from_the_find_bar(demo_bench, qtbot, keyboard):
    bench = demo_bench
    keyboard.press("Ctrl+F")
    find = bench.window.find_bar.find_field
    qtbot.waitUntil(lambda: focused() is find, timeout=LONG)
    keyboard.press("PgDown")  # typing in the search: the clicker keys are its own there
    assert demo_texts(bench) == EXPECTED[0]
    keyboard.press("Alt+PgDown")
    assert demo_texts(bench) == EXPECTED[1]
    keyboard.press("Alt+PgUp")
    assert demo_texts(bench) == EXPECTED[0]


def test_a_step_whose_anchor_the_speaker_deleted_says_so_and_offers_the_snapshot(
        demo_bench, keyboard):
    bench = demo_bench
    editor = bench.window.tabs.current()
    keyboard.press("PgDown")
    keyboard.press("PgDown")
    editor.setFocus()
    keyboard.press("Ctrl+A")
    keyboard.type("pass")  # the speaker replaced everything, "return 0" included
    keyboard.press("PgDown")
    assert editor.text() == "pass"  # nothing landed in the wrong place
    banner = bench.window.banners.banners()[0]
    assert "Step 3 (Do the maths)" in banner.text and "“return 0”" in banner.text
    assert "line 17" in banner.text  # the demo file's "# %% replace: return 0"
    banner.buttons["Restore step 2"].click()
    assert editor.text() == EXPECTED[2]["app.py"]
    keyboard.press("PgDown")
    assert editor.text() == EXPECTED[3]["app.py"]


@pytest.mark.parametrize(("text", "line", "words"), [
    (SEVEN.replace("# %% run", "# %% rnu"), 30, "did you mean “run”"),
    (SEVEN.replace("# %% replace: return 0", "# %% replace: return 1"), 17, "“return 1”"),
])
def test_a_malformed_demo_gives_a_banner_naming_the_line_and_opens_as_text(
        make_bench, qtbot, answers, keyboard, tmp_path, text, line, words):
    bench = make_bench()
    path = open_demo(bench, qtbot, answers, keyboard, tmp_path, text, "broken.demo.py")
    banner = bench.window.banners.banners()[0]
    assert banner.kind == "error"
    assert f"broken.demo.py is not a demo Presenter can play: line {line}: " in banner.text
    assert words in banner.text
    editor = bench.window.tabs.current()
    assert editor.info.path == str(path) and editor.text() == text
    assert editor.getCursorPosition()[0] == line - 1  # the caret on the line to fix
    assert bench.demos.player is None and not bench.demos.bar.isVisible()


def test_a_mode_that_is_not_installed_is_named_and_the_code_still_typed(
        make_bench, qtbot, answers, keyboard, tmp_path):
    bench = make_bench()
    bench.settings.set("demo.speed", 0)
    text = "# %% demo: Board\n# %% mode: nosuchboard\n# %% step: one\n# %% run\nx = 1\n"
    open_demo(bench, qtbot, answers, keyboard, tmp_path, text, "board.demo.py")
    banner = bench.window.banners.banners()[0]
    assert "“nosuchboard” mode, which is not installed" in banner.text
    keyboard.press("PgDown")
    assert bench.window.tabs.current().text() == "x = 1\n"
    # Not run in the wrong mode: board code in Python would only show the room a traceback.
    assert "Not run: this step is for the “nosuchboard” mode" in bench.window.status.currentMessage()
    assert not bench.is_running() and bench.window.output.toPlainText() == ""


def test_opening_the_demo_again_takes_over_its_tab_and_undo_keeps_the_old_run(
        demo_bench, qtbot, answers, keyboard):
    bench = demo_bench
    keyboard.press("PgDown")
    keyboard.press("PgDown")
    keyboard.press("Ctrl+O")  # the same demo file again (the rehearsal starts over)
    qtbot.waitUntil(lambda: bench.demos.bar.count_label.text() == "0/7", timeout=LONG)
    assert [e.info.title for e in bench.window.tabs.editors()] == ["app.py"]
    editor = bench.window.tabs.current()
    assert editor.text() == ""
    keyboard.press("Ctrl+Z")
    assert editor.text() == EXPECTED[2]["app.py"]


def click_menu(qtbot, window, menu_title: str, item: str) -> None:
    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(top).center())
    menu = top.menu()
    qtbot.waitUntil(menu.isVisible, timeout=LONG)
    action = next(a for a in menu.actions() if a.text().replace("&", "") == item)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible(), timeout=LONG)


def test_edit_demo_file_then_open_plays_the_demo_as_edited(demo_bench, qtbot, keyboard):
    bench = demo_bench
    click_menu(qtbot, bench.window, "Demo", "Edit Demo File")
    source = bench.window.tabs.current()
    assert source.info.title == "seven.demo.py" and source.text() == SEVEN
    source.setFocus()
    qtbot.waitUntil(source.hasFocus, timeout=LONG)
    keyboard.press("Ctrl+Home")
    keyboard.press("End")
    keyboard.type(", edited")
    keyboard.press("Ctrl+O")  # not saved: the demo plays what the tab holds
    qtbot.waitUntil(lambda: bench.demos.bar.title_label.text() == "Seven steps, edited",
                    timeout=LONG)
    assert bench.window.tabs.current().info.title == "app.py"


def test_restart_demo_from_the_menu_goes_back_to_the_start(demo_bench, qtbot, keyboard):
    bench = demo_bench
    for _ in range(3):
        keyboard.press("PgDown")
    click_menu(qtbot, bench.window, "Demo", "Restart Demo")
    assert demo_texts(bench) == EXPECTED[0]
    assert bench.demos.bar.count_label.text() == "0/7"


def test_a_step_that_runs_stops_the_program_still_running_first(
        make_bench, qtbot, answers, keyboard, tmp_path):
    bench = make_bench()
    bench.settings.set("demo.speed", 0)
    text = ("# %% demo: Loops\n# %% step: forever\n# %% run\nimport time\nprint('one', flush=True)\n"
            "while True:\n    time.sleep(0.05)\n# %% step: again\n# %% replace: while True:\n"
            "# %% through: time.sleep\n# %% run\nprint('two')\n")
    open_demo(bench, qtbot, answers, keyboard, tmp_path, text, "loops.demo.py")
    output = bench.window.output
    keyboard.press("PgDown")
    qtbot.waitUntil(lambda: "one" in output.toPlainText(), timeout=LONG)
    assert bench.is_running()
    keyboard.press("PgDown")  # the loop is stopped, then the new code runs
    qtbot.waitUntil(lambda: "two" in output.toPlainText(), timeout=LONG)
    wait_for_run(bench, qtbot)
    assert output.toPlainText() == "one\ntwo\nProcess finished with exit code 0\n"


class SecondMode(Mode):
    """A second mode, as a plugin would add one (only Python mode is installed here)."""

    id = "second"
    name = "Second"
    description = "A mode a demo step switches to"


def test_steps_switch_modes_and_going_back_switches_back(
        make_bench, qtbot, answers, keyboard, tmp_path):
    bench = make_bench()
    bench.modes.append(SecondMode())
    bench.settings.set("demo.speed", 0)
    text = ("# %% demo: Modes\n# %% step: here\nx = 1\n# %% step: there\n# %% mode: second\n"
            "y = 2\n")
    open_demo(bench, qtbot, answers, keyboard, tmp_path, text, "modes.demo.py")
    keyboard.press("PgDown")
    assert bench.mode.id == "python"
    keyboard.press("PgDown")
    assert bench.mode.id == "second" and bench.window.mode_label.text() == "Second"
    keyboard.press("PgUp")
    assert bench.mode.id == "python"


def test_on_a_1024_projector_at_a_big_zoom_the_bar_gives_way_and_keeps_next(demo_bench,
                                                                           qtbot, keyboard):
    bench = demo_bench
    window, bar = bench.window, bench.demos.bar
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: bar.end_button.isVisible(), timeout=LONG)
    assert all(widget.isVisible() for widget in bar.optional)  # room for everything
    for _ in range(12):
        keyboard.press("Ctrl+=")
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=LONG)
    assert window.minimumSizeHint().width() <= 1024  # the bar never widens the window
    qtbot.waitUntil(lambda: not bar.keys_label.isVisible(), timeout=LONG)
    for widget in (bar.back_button, bar.next_button, bar.count_label, bar.title_label):
        assert widget.isVisible()
    shown = [w for w in bar.findChildren(QWidget) if w.isVisible() and w.parent() is bar]
    assert all(w.geometry().right() <= bar.width() for w in shown)  # none cut off
    keyboard.press("PgDown")
    assert bar.count_label.text() == "1/7"


def test_end_demo_leaves_the_tabs_and_frees_the_keys(demo_bench, qtbot, keyboard):
    bench = demo_bench
    keyboard.press("PgDown")
    qtbot.mouseClick(bench.demos.bar.end_button, Qt.LeftButton)
    assert not bench.demos.bar.isVisible() and bench.demos.player is None
    editor = bench.window.tabs.current()
    assert editor.text() == EXPECTED[1]["app.py"]
    editor.setCursorPosition(0, 0)
    keyboard.press("Space")  # ordinary keys again: a space, a caret that moves
    keyboard.press("Right")
    keyboard.press("PgDown")
    assert editor.text() == " " + EXPECTED[1]["app.py"]
    assert editor.getCursorPosition() == (1, 0)
    assert not bench.actions["demo.next"].isEnabled()
