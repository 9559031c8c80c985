"""The keystroke overlay: commands as they are used, large, fading; typing never shown."""

from __future__ import annotations

from PyQt5.QtCore import QPoint, Qt
from PyQt5.QtWidgets import QApplication

from presenter.presenting.keystrokes import caption
from presenter.settings import Settings

LONG = 30_000


def ready(bench, qtbot):
    """The window at a projector's size (every toolbar button in view), shown and active."""
    window = bench.window
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    editor = window.tabs.current()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    return editor


def switch_on(bench, qtbot, keyboard) -> None:
    """Ctrl+Shift+K, as the speaker does outside presentation mode (the button is on the
    presentation toolbar), then wait for its own caption."""
    keyboard.press("Ctrl+Shift+K")
    view = bench.presentation.keystrokes.view
    qtbot.waitUntil(view.isVisible, timeout=LONG)
    assert view.text() == "Ctrl+Shift+K  Show Keystrokes"


def test_a_shortcut_shows_as_pressed_and_the_overlay_never_takes_the_focus(bench, qtbot, keyboard):
    editor = ready(bench, qtbot)
    view = bench.presentation.keystrokes.view
    switch_on(bench, qtbot, keyboard)
    assert QApplication.focusWidget() is editor

    keyboard.press("Ctrl+Shift+L")
    qtbot.waitUntil(lambda: view.text() == "Ctrl+Shift+L  Clear Output", timeout=LONG)
    assert view.isVisible()
    keyboard.press("Ctrl++")  # Zoom In's second key: shown as the one pressed
    qtbot.waitUntil(lambda: view.text() == "Ctrl++  Zoom In", timeout=LONG)
    keyboard.press("F5")
    qtbot.waitUntil(lambda: view.text() == "F5  Run", timeout=LONG)  # what it was when pressed
    qtbot.waitUntil(lambda: not bench.is_running(), timeout=LONG)

    assert QApplication.focusWidget() is editor and QApplication.activeWindow() is bench.window
    assert view.focusPolicy() == Qt.NoFocus
    assert view.testAttribute(Qt.WA_TransparentForMouseEvents)
    assert view.testAttribute(Qt.WA_ShowWithoutActivating)
    assert view.font().pointSize() > editor.font_size  # larger than the code
    centre = view.geometry().center()
    assert abs(centre.x() - bench.window.width() // 2) <= 1 and centre.y() > bench.window.height() // 2

    # A click where the caption is goes to the code underneath, not to the caption.
    point = editor.mapFrom(bench.window, view.geometry().center())
    if editor.rect().contains(point):
        assert QApplication.widgetAt(editor.mapToGlobal(point)) is not view


def test_plain_typing_and_the_editors_own_keys_are_not_shown(bench, qtbot, keyboard):
    editor = ready(bench, qtbot)
    overlay = bench.presentation.keystrokes
    switch_on(bench, qtbot, keyboard)
    overlay.view.dismiss()
    shown: list[str] = []
    overlay.shown.connect(shown.append)

    keyboard.type("total = price * 2")
    keyboard.press("Return")
    keyboard.press("Backspace")
    keyboard.press("Shift+Left")
    keyboard.press("Ctrl+D")  # the editor's duplicate, not a command of the table
    assert editor.text().startswith("total = price * 2")
    keyboard.press("Ctrl+/")
    qtbot.waitUntil(lambda: shown != [], timeout=LONG)
    assert shown == ["Ctrl+/  Toggle Comment"]  # only the command, nothing typed before it


def test_the_caption_fades_away_and_the_choice_is_remembered(make_bench, qtbot, keyboard):
    bench = make_bench()
    ready(bench, qtbot)
    view = bench.presentation.keystrokes.view
    switch_on(bench, qtbot, keyboard)
    keyboard.press("Ctrl+Shift+L")
    qtbot.waitUntil(lambda: view.text() == "Ctrl+Shift+L  Clear Output", timeout=LONG)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=LONG)  # about two seconds
    assert Settings.load().get("presenting.keystrokes") is True

    again = make_bench()
    assert again.actions["present.keystrokes"].isChecked()
    assert again.presentation.keystrokes.is_enabled()
    ready(again, qtbot)
    keyboard.press("Ctrl+Shift+K")  # and off with its key
    assert not again.presentation.keystrokes.is_enabled() and not again.presentation.keystrokes.view.isVisible()


def test_while_presenting_it_shows_on_the_full_screen_but_not_over_a_blank(bench, qtbot, keyboard):
    editor = ready(bench, qtbot)
    view = bench.presentation.keystrokes.view
    keyboard.press("F11")
    qtbot.waitUntil(lambda: bench.window.geometry() == bench.window.screen().geometry(),
                    timeout=LONG)
    assert bench.window.toolbar.widgetForAction(bench.actions["present.keystrokes"]) is None
    button = bench.window.stage_toolbar.widgetForAction(bench.actions["present.keystrokes"])
    qtbot.waitUntil(button.isVisible, timeout=LONG)  # a button on the presentation toolbar
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(view.isVisible, timeout=LONG)
    assert view.text() == "Show Keystrokes"  # a click: no key to show
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=LONG)
    keyboard.press("Ctrl+Shift+L")
    qtbot.waitUntil(lambda: view.text() == "Ctrl+Shift+L  Clear Output", timeout=LONG)
    assert view.isVisible() and bench.window.rect().contains(view.geometry())
    view.dismiss()
    shown: list[str] = []
    bench.presentation.keystrokes.shown.connect(shown.append)
    keyboard.press("Ctrl+Shift+B")
    assert bench.presentation.blank.is_blank()
    keyboard.press("Ctrl+Shift+L")  # a command in the dark: done, not shown
    qtbot.wait(100)
    assert shown == [] and not view.isVisible()  # black means black
    qtbot.mouseClick(bench.presentation.blank.cover(), Qt.LeftButton, pos=QPoint(5, 5))
    assert not bench.presentation.blank.is_blank()


def test_captions_read_like_the_menu():
    assert caption("Ctrl+S", "&Save") == "Ctrl+S  Save"
    assert caption("", "&Open…") == "Open"
    assert caption("F11", "&Presentation Mode") == "F11  Presentation Mode"
    assert caption("", "Fish && Chips") == "Fish & Chips"
