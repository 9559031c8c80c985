"""Sizes that fit a projector, checked in the real window with real keys and clicks.

The output pane keeps its share of the height at any zoom, every toolbar command stays
reachable (and its overflow button visible in every theme), tab close buttons scale and
show in every theme, the zoom level is said once, restored and recovered tabs show their
cursor, and banners clear themselves when their cause is gone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter

import pytest
from PyQt5.QtCore import QPoint, QRect, Qt, QTimer
from PyQt5.QtWidgets import QLabel, QToolButton

from presenter import paths
from presenter.core.themes import BUILT_IN, contrast_ratio
from presenter.settings import Settings
from tests.fakes.board_window import focus_editor
from tests.workbench.test_session import drag_divider


def press(qtbot, key, modifiers=Qt.NoModifier, times: int = 1) -> None:
    """Press a key in whichever widget has the focus, as a person at the keyboard does."""
    from PyQt5.QtWidgets import QApplication

    for _ in range(times):
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        qtbot.keyClick(widget, key, modifiers)


def output_share(window) -> float:
    editor_part, output_part = window.splitter.sizes()
    return output_part / (editor_part + output_part)


def ink_contrast(widget, area: QRect | None = None) -> float:
    """How well the drawn glyph stands out: WCAG contrast of its strongest pixel to the
    most common one (the background), in a screenshot of ``widget`` (or ``area`` of it).

    The screenshot is taken of the parent, so a button with a transparent background is
    seen over what is really behind it.
    """
    area = (area or widget.rect()).translated(widget.pos())
    image = widget.parentWidget().grab(area).toImage()
    counts = Counter(image.pixelColor(x, y).name() for x in range(image.width())
                     for y in range(image.height()))
    background = counts.most_common(1)[0][0]
    return max(contrast_ratio(colour, background) for colour in counts)


# ---- The output pane's share of the height


def test_the_output_pane_starts_with_a_third_of_the_height_at_any_zoom(make_bench, qtbot):
    for zoom in (0, 12):
        settings = Settings.load()
        settings.set("zoom", zoom)
        settings.save()
        bench = make_bench()
        qtbot.waitExposed(bench.window)
        assert abs(output_share(bench.window) - 1 / 3) < 0.02, f"at zoom {zoom}"
        bench.window.close()


def test_zooming_keeps_the_output_pane_share_where_the_user_dragged_it(bench, qtbot):
    window = bench.window
    qtbot.waitExposed(window)
    drag_divider(window.splitter, window.splitter.height() // 2)
    dragged = output_share(window)
    assert 0.45 < dragged < 0.55
    focus_editor(bench, qtbot)
    press(qtbot, Qt.Key_Equal, Qt.ControlModifier, times=6)
    assert bench.appearance.zoom == 6
    assert abs(output_share(window) - dragged) < 0.02
    press(qtbot, Qt.Key_0, Qt.ControlModifier)
    assert bench.appearance.zoom == 0
    assert abs(output_share(window) - dragged) < 0.02


def test_resizing_the_window_keeps_the_output_pane_share(bench, qtbot):
    window = bench.window
    qtbot.waitExposed(window)
    tall = window.height()
    window.resize(window.width(), tall - 160)
    qtbot.waitUntil(lambda: window.height() == tall - 160, timeout=5000)
    drag_divider(window.splitter, window.splitter.height() // 2)
    dragged = output_share(window)
    assert 0.45 < dragged < 0.55
    window.resize(window.width(), tall)  # e.g. maximised, or moved to a bigger screen
    qtbot.waitUntil(lambda: window.height() == tall, timeout=5000)
    assert abs(output_share(window) - dragged) < 0.02


# ---- Every toolbar command reachable at any zoom, visibly


@pytest.mark.parametrize("theme", BUILT_IN)
def test_at_a_big_zoom_hidden_commands_are_behind_a_visible_overflow_button(make_bench, qtbot,
                                                                            theme):
    settings = Settings.load()
    settings.set("theme", theme)
    settings.set("zoom", 14)
    settings.save()
    bench = make_bench()
    window = bench.window
    qtbot.waitExposed(window)
    clear = bench.actions["view.clear_output"]
    clear_button = window.toolbar.widgetForAction(clear)
    qtbot.waitUntil(lambda: not clear_button.isVisible(), timeout=5000)  # it did not fit
    overflow = window.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")  # Qt's own
    assert overflow is not None and overflow.isVisible()
    icon = window.toolbar.iconSize().width()
    assert overflow.width() >= icon, "the overflow button is a sliver next to the others"
    inner = overflow.rect().adjusted(6, 6, -6, -6)  # the glyph, not the outline
    assert ink_contrast(overflow, inner) >= 3.0, f"overflow glyph barely visible in {theme}"

    window.output.append_info("old output")
    menu = overflow.menu()
    if menu is None:  # the hidden buttons show in a second row of the toolbar
        qtbot.mouseClick(overflow, Qt.LeftButton)
        qtbot.waitUntil(clear_button.isVisible, timeout=5000)
        qtbot.mouseClick(clear_button, Qt.LeftButton)
    else:
        # Qt pops up a menu instead when the expanded toolbar would be taller than the
        # window (QToolBarLayout::checkUsePopupMenu): Clear Output is picked there. The
        # click on the overflow button runs the menu's own event loop, hence the timer.
        def pick() -> None:
            qtbot.waitUntil(menu.isVisible, timeout=5000)
            qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(clear).center())

        QTimer.singleShot(0, pick)
        qtbot.mouseClick(overflow, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.output.toPlainText() == "", timeout=5000)


def test_the_status_bar_never_makes_the_window_wider_than_a_projector(make_bench, qtbot):
    settings = Settings.load()
    settings.set("zoom", 30)  # the largest zoom there is
    settings.save()
    bench = make_bench()
    assert bench.window.minimumSizeHint().width() <= 1280


# ---- Tab close buttons


@pytest.mark.parametrize("theme", BUILT_IN)
def test_tab_close_buttons_show_in_every_theme_and_grow_with_the_zoom(make_bench, qtbot, tmp_path,
                                                                       theme):
    settings = Settings.load()
    settings.set("theme", theme)
    settings.save()
    other = tmp_path / "other.py"
    other.write_text("x = 1\n")
    bench = make_bench([str(other)])
    bench.files.new_file()  # the current tab; other.py's tab is behind it
    tabs = bench.window.tabs
    bar = tabs.tabBar()
    qtbot.waitExposed(bench.window)
    buttons = [bar.tabButton(index, bar.RightSide) for index in range(tabs.count())]
    assert len(buttons) == 2 and all(b is not None and b.isVisible() for b in buttons)
    for button in buttons:  # on the current tab and on the one behind it
        assert ink_contrast(button) >= 3.0, f"tab close glyph barely visible in {theme}"
    small = buttons[0].width()
    focus_editor(bench, qtbot)
    press(qtbot, Qt.Key_Equal, Qt.ControlModifier, times=8)
    qtbot.waitUntil(lambda: buttons[0].width() >= small * 1.4, timeout=5000)

    qtbot.mouseClick(buttons[0], Qt.LeftButton)  # other.py's
    qtbot.waitUntil(lambda: tabs.find_path(str(other)) is None, timeout=5000)


# ---- The zoom level, once


def test_the_zoom_level_appears_once_in_the_status_bar(bench, qtbot):
    qtbot.waitExposed(bench.window)
    focus_editor(bench, qtbot)
    press(qtbot, Qt.Key_Equal, Qt.ControlModifier, times=2)

    def mentions() -> list[str]:
        status = bench.window.status
        texts = [status.currentMessage()]
        texts += [label.text() for label in status.findChildren(QLabel) if label.isVisible()]
        return [text for text in texts if "Zoom" in text]

    assert mentions() == ["Zoom +2"]
    press(qtbot, Qt.Key_0, Qt.ControlModifier)
    assert mentions() == ["Zoom 0"]


# ---- The cursor of a restored or recovered tab is in view


def cursor_in_view(editor) -> bool:
    line, _ = editor.getCursorPosition()
    first = editor.firstVisibleLine()
    return first <= line < first + editor.SendScintilla(editor.SCI_LINESONSCREEN)


def test_a_restored_tab_in_a_smaller_window_scrolls_to_its_cursor(make_bench, qtbot, tmp_path):
    demo = tmp_path / "demo.py"
    demo.write_text("".join(f"line_{n} = {n}\n" for n in range(2000)))
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    # Saved on a tall screen: the cursor was 40 lines below the top of the view.
    settings.write_text(json.dumps({"session": {
        "files": [{"path": str(demo), "line": 1500, "index": 4, "first_visible": 1460}],
        "current": str(demo),
        "geometry": {"x": 0, "y": 0, "w": 700, "h": 420, "maximized": False}}}))
    bench = make_bench()
    editor = bench.window.tabs.current()
    qtbot.waitExposed(bench.window)
    assert editor.getCursorPosition() == (1500, 4)
    qtbot.waitUntil(lambda: cursor_in_view(editor), timeout=5000)


def test_an_opened_file_starts_with_the_cursor_on_its_first_line(bench, qtbot, tmp_path):
    demo = tmp_path / "demo.py"
    demo.write_text("".join(f"line_{n} = {n}\n" for n in range(2000)))
    editor = bench.files.open_path(str(demo))
    qtbot.waitExposed(bench.window)
    assert editor.getCursorPosition() == (0, 0)  # not at the end, out of view
    assert cursor_in_view(editor)
    qtbot.keyClicks(editor, "# ")
    assert editor.text(0) == "# line_0 = 0\n"


CRASHED = textwrap.dedent("""
    import sys
    from presenter.core.recovery import RecoveryStore

    store = RecoveryStore()
    text = "".join(f"value_{n} = {n}\\n" for n in range(3000))
    store.save("b1", text, path=None, title="untitled-7.py", encoding="utf-8", newline="\\n",
               cursor=(2400, 3))
    store.save("b2", "scratch = 1\\n", path=None, title="untitled-8.py", encoding="utf-8",
               newline="\\n", cursor=(0, 0))
    print("saved", flush=True)
    # Exits without clean_shutdown(): to the next start this is a crashed session.
""")


def crash_with_unsaved_buffers() -> None:
    result = subprocess.run([sys.executable, "-c", CRASHED], env=dict(os.environ),
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "saved", result.stderr


def test_a_recovered_tab_scrolls_to_its_cursor(make_bench, qtbot):
    crash_with_unsaved_buffers()
    bench = make_bench()
    editor = next(e for e in bench.window.tabs.editors() if e.text().startswith("value_0"))
    bench.window.tabs.setCurrentWidget(editor)
    qtbot.waitExposed(bench.window)
    assert editor.getCursorPosition() == (2400, 3)
    qtbot.waitUntil(lambda: cursor_in_view(editor), timeout=5000)


def test_the_recovery_banner_goes_once_every_recovered_buffer_is_saved_or_closed(
        make_bench, qtbot, answers, tmp_path):
    crash_with_unsaved_buffers()
    bench = make_bench()
    tabs = bench.window.tabs
    banner = next(b for b in bench.window.banners.banners() if "Recovered 2" in b.text)
    assert banner.isVisible()

    big = next(e for e in tabs.editors() if e.text().startswith("value_0"))
    tabs.setCurrentWidget(big)
    focus_editor(bench, qtbot)
    answers.save_path = str(tmp_path / "kept.py")
    press(qtbot, Qt.Key_S, Qt.ControlModifier)  # Save (As, for an untitled buffer)
    qtbot.waitUntil(lambda: (tmp_path / "kept.py").exists(), timeout=5000)
    assert banner in bench.window.banners.banners(), "one recovered buffer is still unsaved"

    scratch = next(e for e in tabs.editors() if e.text() == "scratch = 1\n")
    tabs.setCurrentWidget(scratch)
    focus_editor(bench, qtbot)
    answers.save_changes = "discard"
    press(qtbot, Qt.Key_W, Qt.ControlModifier)  # Close tab, throwing the scratch away
    qtbot.waitUntil(lambda: banner not in bench.window.banners.banners(), timeout=5000)
    assert not any("Recovered" in b.text for b in bench.window.banners.visible_banners())


# ---- Banners in the window


@pytest.mark.parametrize("theme", BUILT_IN)
def test_banners_are_painted_in_their_kind_colours(make_bench, qtbot, theme):
    settings = Settings.load()
    settings.set("theme", theme)
    settings.save()
    bench = make_bench()
    qtbot.waitExposed(bench.window)
    banner = bench.show_banner("Something to say", "warning")
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    image = banner.grab().toImage()
    middle = image.pixelColor(QPoint(image.width() // 2, image.height() // 2)).name()
    assert middle == bench.appearance.theme.banner["warning"]["bg"]
