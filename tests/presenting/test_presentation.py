"""Presentation mode in the real window: F11 in, F11 out, and nothing left changed.

Keys are pressed in the focused widget as a speaker presses them. The window is observed
from the outside (what is shown, where, how big, which settings are on disk), not through
what presentation mode recorded about it.
"""

from __future__ import annotations

import copy
import json

import pytest
from PyQt5.Qsci import QsciScintilla
from PyQt5.QtCore import QPoint, Qt
from PyQt5.QtWidgets import QApplication, QToolTip

from presenter import paths
from presenter.modes.api import Mode
from presenter.presenting.presets import MIN_COLUMNS, MIN_LINES, preset_named
from presenter.qt.actions import ActionSpec
from presenter.settings import Settings

LONG = 30_000  # ms: generous under load; never a speed assertion
# Longer and wider than any preset's grid, so both scroll bars show and the fit is tight.
CODE = "".join(f"value_{n:03d} = {n} * 2  # a comment that runs past eighty columns, on purpose\n"
               for n in range(120))


def ready(bench, qtbot):
    window = bench.window
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    editor = window.tabs.current()
    editor.setText(CODE)
    editor.setModified(False)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    return editor


def view_of(bench) -> dict:
    """Everything a speaker could notice about the window, and the settings on disk."""
    window, tabs = bench.window, bench.window.tabs
    plotter = bench.plotter.pane
    settings_file = paths.settings_file()
    return {
        "geometry": window.geometry().getRect(),
        "window state": int(window.windowState()),
        "hidden": {
            "menu bar": window.menuBar().isHidden(), "toolbar": window.toolbar.isHidden(),
            "stage toolbar": window.stage_toolbar.isHidden(),
            "tab bar": tabs.tabBar().isHidden(), "find bar": window.find_bar.isHidden(),
            "status bar": window.status.isHidden(),
            "plotter": plotter is None or plotter.isHidden(),
        },
        "toolbar": [a.objectName() for a in window.toolbar.actions()],
        "splitter": window.splitter.sizes(),
        "output share": window.splitter.output_share,
        "side splitter": window.side_area.sizes(),
        "zoom": bench.appearance.zoom,
        "theme": bench.appearance.theme.name,
        "editor sizes": [e.font_size for e in tabs.editors()],
        "output font": window.output.font().pointSize(),
        "toolbar icons": window.toolbar.iconSize().width(),
        "plotter checked": bench.actions["view.plotter"].isChecked(),
        "banners": [(b.text, b.isHidden()) for b in window.banners.banners()],
        "focus": QApplication.focusWidget(),
        "settings": copy.deepcopy(bench.settings.data),
        "settings file": json.loads(settings_file.read_text()) if settings_file.exists() else None,
    }


def text_grid(editor) -> tuple[int, int]:
    """Whole columns and lines of code the editor shows now, as Scintilla lays them out."""
    left = sum(editor.marginWidth(m) for m in range(editor.margins()))
    left += editor.SendScintilla(QsciScintilla.SCI_GETMARGINLEFT)
    right = editor.SendScintilla(QsciScintilla.SCI_GETMARGINRIGHT)
    advance = editor.SendScintilla(QsciScintilla.SCI_TEXTWIDTH, 0, b"M" * 100) / 100
    columns = int((editor.viewport().width() - left - right) // advance)
    return columns, editor.SendScintilla(QsciScintilla.SCI_LINESONSCREEN)


def wait_presenting(bench, qtbot, presenting: bool = True) -> None:
    """Until presentation mode has started (the window covering its screen) or ended."""
    window = bench.window

    def arrived() -> bool:
        covering = window.geometry() == window.screen().geometry()
        if presenting:  # and the code sized for the room it has now
            fitted = bench.presentation.fitted_size()
            if fitted is None or window.tabs.current().font_size != fitted:
                return False
        return (bench.presentation.is_presenting() == presenting
                and window.isFullScreen() == presenting and covering == presenting)

    qtbot.waitUntil(arrived, timeout=LONG)


def test_entering_and_leaving_restores_layout_zoom_theme_and_settings_exactly(
        make_bench, qtbot, keyboard):
    Settings.load().path.parent.mkdir(parents=True, exist_ok=True)
    settings = Settings.load()
    settings.set("presenting.theme", "high-contrast")  # a talk in the projector theme
    settings.save()
    bench = make_bench()
    editor = ready(bench, qtbot)
    # Mid-rehearsal state, none of it the default.
    keyboard.press("Ctrl+=")
    keyboard.press("Ctrl+=")
    keyboard.press("Ctrl+Shift+T")  # night
    keyboard.press("Ctrl+Shift+P")
    qtbot.waitUntil(bench.plotter.is_visible, timeout=LONG)
    bench.window.splitter.set_output_share(0.4)
    keyboard.press("Ctrl+F")
    keyboard.press("Ctrl+E")
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    bench.show_banner("A routine note from before the talk")
    qtbot.wait(200)  # let the window settle as a person pauses
    before = view_of(bench)
    assert before["theme"] == "night" and before["zoom"] == 2 and not before["hidden"]["plotter"]

    keyboard.press("F11")
    wait_presenting(bench, qtbot)
    window = bench.window
    during = view_of(bench)
    assert all(during["hidden"][k] for k in ("menu bar", "toolbar", "tab bar", "find bar",
                                             "status bar", "plotter"))
    assert not during["hidden"]["stage toolbar"]
    assert [a.objectName() for a in window.stage_toolbar.actions()] == [
        "run.run", "present.toggle", "present.keystrokes"]
    assert during["theme"] == "high-contrast" and during["zoom"] == 2
    assert during["banners"] == [("A routine note from before the talk", True)]
    assert window.screen().geometry() == window.geometry()
    assert QApplication.focusWidget() is editor

    # During the talk: bigger code, another theme, the plotter shown on purpose.
    fitted = editor.font_size
    keyboard.press("Ctrl+=")
    assert editor.font_size == fitted + 1 and bench.appearance.zoom == 2
    keyboard.press("Ctrl+Shift+T")
    assert bench.appearance.theme.name == "colour-blind"
    keyboard.press("Ctrl+Shift+P")
    qtbot.waitUntil(bench.plotter.is_visible, timeout=LONG)

    keyboard.press("F11")
    wait_presenting(bench, qtbot, False)
    try:
        qtbot.waitUntil(lambda: view_of(bench) == before, timeout=LONG)
    finally:
        after = view_of(bench)
        changed = {k: (before[k], after[k]) for k in before if after[k] != before[k]}
        for key in ("settings", "settings file"):  # name the setting, not the whole file
            if key in changed:
                old, new = changed[key]
                changed[key] = {k: (old.get(k), new.get(k)) for k in {*old, *new}
                                if old.get(k) != new.get(k)}
        assert changed == {}


def test_the_preset_fits_its_grid_and_shift_f11_steps_to_the_back_row(bench, qtbot, keyboard):
    editor = ready(bench, qtbot)
    keyboard.press("F11")
    wait_presenting(bench, qtbot)
    screen = bench.window.screen().geometry()
    preset = bench.presentation.preset()
    assert preset.name == "1024x768"  # the offscreen screen is 800x600: the nearest
    qtbot.waitUntil(lambda: text_grid(editor) >= (preset.columns, preset.lines), timeout=LONG)
    columns, lines = text_grid(editor)
    assert columns >= preset.columns and lines >= preset.lines, (screen, editor.font_size)
    normal = editor.font_size

    for name in ("1280x720", "1920x1080", "back row"):
        keyboard.press("Shift+F11")
        assert bench.presentation.preset().name == name
        current = preset_named(name)
        qtbot.waitUntil(lambda c=current: text_grid(editor)[0] >= c.columns
                        and text_grid(editor)[1] >= c.lines, timeout=LONG)
    back_row = editor.font_size
    assert back_row > normal
    assert text_grid(editor) >= (MIN_COLUMNS, MIN_LINES)
    assert bench.window.output.font().pointSize() == back_row  # the output grows with it
    keyboard.press("Shift+F11")
    assert bench.presentation.preset().name == "1024x768"  # round again


def test_routine_banners_and_messages_wait_for_the_end_of_the_talk(bench, qtbot, keyboard):
    ready(bench, qtbot)
    keyboard.press("F11")
    wait_presenting(bench, qtbot)
    banners = bench.window.banners
    note = bench.show_banner("Saved a copy of your work", "info")
    warning = bench.show_banner("The file changed on disk", "warning")
    gone = bench.show_banner("A board was plugged in", "info")
    error = bench.show_banner("The board stopped answering", "error")
    bench.show_message("Theme: Night")
    bench.show_message("Copied 3 lines")
    assert banners.visible_banners() == [error]  # only what needs the speaker now
    gone.dismiss()  # its cause went away during the talk: never shown
    assert bench.window.status.currentMessage() == ""

    keyboard.press("F11")
    wait_presenting(bench, qtbot, False)
    assert banners.visible_banners() == [error, warning, note]
    assert gone not in banners.banners()
    assert bench.window.status.currentMessage() == "Copied 3 lines"


def test_no_tooltips_or_completion_lists_while_presenting(bench, qtbot, keyboard):
    editor = ready(bench, qtbot)
    editor.setText("value_one = 1\nvalue_two = 2\n")
    editor.setCursorPosition(2, 0)
    editor.setAutoCompletionSource(QsciScintilla.AcsDocument)
    editor.setAutoCompletionThreshold(2)
    run = bench.window.toolbar.widgetForAction(bench.actions["run.run"])
    qtbot.mouseMove(run, QPoint(5, 5))
    qtbot.waitUntil(QToolTip.isVisible, timeout=LONG)  # the pointer resting on a button
    qtbot.mouseMove(editor, QPoint(5, 5))
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=LONG)
    keyboard.type("va")
    qtbot.waitUntil(editor.isListActive, timeout=LONG)  # offered normally
    keyboard.press("Esc")
    qtbot.waitUntil(lambda: not editor.isListActive(), timeout=LONG)
    keyboard.press("Return")

    keyboard.press("F11")
    wait_presenting(bench, qtbot)
    keyboard.type("va")
    qtbot.wait(300)
    assert not editor.isListActive()
    button = bench.window.stage_toolbar.widgetForAction(bench.actions["run.run"])
    qtbot.mouseMove(button, QPoint(5, 5))
    qtbot.wait(1500)  # Qt shows a tooltip after the pointer rests ~0.7 s
    assert not QToolTip.isVisible()

    keyboard.press("F11")
    wait_presenting(bench, qtbot, False)
    assert editor.autoCompletionSource() == QsciScintilla.AcsDocument  # given back
    keyboard.press("Return")
    keyboard.type("va")
    qtbot.waitUntil(editor.isListActive, timeout=LONG)


class TalkMode(Mode):
    """A board-like mode: Flash is a control a talk needs, Files is not."""

    id = "talk"
    name = "Talk"

    def __init__(self) -> None:
        super().__init__()
        self.flashed = 0

    def actions(self):
        return [ActionSpec("talk.flash", "&Flash", (), "save", "Flash", True, menu="Run",
                           presenting=True),
                ActionSpec("talk.files", "&Files", (), "open", "Files", True, menu="Run")]

    def action_handlers(self):
        return {"talk.flash": self.flash}

    def flash(self) -> None:
        self.flashed += 1


def test_each_mode_declares_which_of_its_controls_stay_on_stage(make_bench, qtbot, keyboard,
                                                                  monkeypatch):
    from presenter.modes import registry
    from presenter.workbench import workbench as workbench_module

    found = registry.discover_modes

    def with_talk_mode():
        modes, errors = found()
        return [*modes, TalkMode()], errors

    monkeypatch.setattr(workbench_module, "discover_modes", with_talk_mode)
    bench = make_bench()
    ready(bench, qtbot)
    keyboard.press("F11")
    wait_presenting(bench, qtbot)
    stage = bench.window.stage_toolbar
    assert [a.objectName() for a in stage.actions()] == [
        "run.run", "present.toggle", "present.keystrokes"]  # Python mode: not the talk mode's
    bench.set_mode(next(m for m in bench.modes if m.id == "talk"))
    assert [a.objectName() for a in stage.actions()] == [
        "run.run", "talk.flash", "present.toggle", "present.keystrokes"]
    run = stage.widgetForAction(bench.actions["run.run"])
    assert run.objectName() == "RunButton"  # the big green button
    qtbot.waitUntil(run.isVisible, timeout=LONG)
    flash = stage.widgetForAction(bench.actions["talk.flash"])
    qtbot.waitUntil(flash.isVisible, timeout=LONG)
    qtbot.mouseClick(flash, Qt.LeftButton)  # a real button, wired to the same action
    assert bench.mode.flashed == 1


def test_the_session_saved_during_a_talk_remembers_the_window_from_before(
        make_bench, qtbot, keyboard, answers):
    bench = make_bench()
    ready(bench, qtbot)
    before = bench.window.geometry()
    keyboard.press("F11")
    wait_presenting(bench, qtbot)
    bench.save_session_if_changed()  # what autosave does every few seconds
    saved = Settings.load().get("session")["geometry"]
    assert (saved["x"], saved["y"], saved["w"], saved["h"]) == before.getRect()

    keyboard.press("Ctrl+Shift+T")  # a theme for this talk only
    answers.save_changes = "discard"
    keyboard.press("Ctrl+Q")  # quitting mid-talk
    qtbot.waitUntil(lambda: not bench.window.isVisible(), timeout=LONG)
    stored = Settings.load()
    assert stored.get("theme") == "day"
    geometry = stored.get("session")["geometry"]
    assert (geometry["x"], geometry["y"], geometry["w"], geometry["h"]) == before.getRect()


@pytest.mark.parametrize("key", ["Ctrl+=", "Ctrl+-", "Ctrl+0"])
def test_zoom_keys_size_the_code_for_the_talk_only(bench, qtbot, keyboard, key):
    editor = ready(bench, qtbot)
    keyboard.press("F11")
    wait_presenting(bench, qtbot)
    fitted = editor.font_size
    keyboard.press("Ctrl+=")
    keyboard.press(key)
    expected = {"Ctrl+=": fitted + 2, "Ctrl+-": fitted, "Ctrl+0": fitted}[key]
    assert editor.font_size == expected
    assert bench.appearance.zoom == 0 and Settings.load().get("zoom") == 0
    keyboard.press("F11")
    wait_presenting(bench, qtbot, False)
    assert editor.font_size == 14


def test_the_mode_menu_opens_on_stage_without_its_toolbar_button(bench, qtbot, keyboard):
    from PyQt5.QtWidgets import QMenu

    ready(bench, qtbot)
    keyboard.press("F11")
    wait_presenting(bench, qtbot)
    keyboard.press("Ctrl+Shift+M")
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=LONG)
    menu = QApplication.activePopupWidget()
    try:
        assert bench.window.geometry().contains(menu.geometry().topLeft())
    finally:
        menu.close()
