"""The variables pane: readable at projector sizes, in a narrow pane, without hiding anything."""

from __future__ import annotations

from PyQt5.QtWidgets import QAction

from presenter.qt.variables_pane import GLOBALS, SHOWN_CHARS, VariablesPane


def make_pane(qtbot, width: int = 380) -> VariablesPane:
    pane = VariablesPane()
    qtbot.addWidget(pane)
    pane.resize(width, 500)
    pane.set_code_font("DejaVu Sans Mono", 18)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def test_a_long_value_wraps_onto_more_lines_instead_of_being_cut(qtbot):
    pane = make_pane(qtbot)
    numbers = "[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]"
    pane.show_stop("Paused at line 2", None, [("numbers", numbers), ("x", "1")])
    group = pane.tree.topLevelItem(1)
    qtbot.waitUntil(lambda: pane.tree.visualItemRect(group.child(0)).height()
                    > 1.5 * pane.tree.visualItemRect(group.child(1)).height(), timeout=5000)
    assert pane.rows(GLOBALS)[0] == ("numbers", numbers)  # all of it, on two lines or more


def test_very_long_values_are_shortened_with_the_rest_in_the_tooltip(qtbot):
    pane = make_pane(qtbot)
    value = "'" + "word " * 39 + "'"  # 197 characters, as the child may send
    pane.show_stop("Paused", None, [("words", value)])
    item = pane.tree.topLevelItem(1).child(0)
    assert len(item.text(1)) == SHOWN_CHARS and item.text(1).endswith("\u2026")
    assert item.toolTip(1) == value


def test_what_changed_since_the_last_stop_is_bold(qtbot):
    pane = make_pane(qtbot)
    pane.start_session()
    pane.show_stop("first", [("n", "0")], [("total", "0"), ("i", "0")])
    assert pane.changed_names() == []  # the first stop: nothing to compare with
    pane.show_stop("second", [("n", "0"), ("result", "0")], [("total", "0"), ("i", "1")])
    assert pane.changed_names() == ["result", "i"]
    pane.show_stop("module level", None, [("total", "1"), ("i", "1")])
    assert pane.tree.topLevelItem(0).isHidden()  # no Locals group at module level
    assert pane.changed_names() == ["total"]


def test_all_step_buttons_stay_visible_in_a_narrow_pane(qtbot):
    pane = make_pane(qtbot, width=260)
    actions = [QAction(text, pane) for text in ("Continue", "Over", "Into", "Out", "Stop")]
    pane.set_actions(actions)
    pane.set_icon_size(44)
    qtbot.waitUntil(lambda: all(b.isVisible() for b in pane.buttons), timeout=5000)
    assert len({b.y() for b in pane.buttons}) > 1  # wrapped onto more rows, not cut off
    for button in pane.buttons:
        assert button.geometry().right() <= pane.width()
    pane.resize(900, 500)
    qtbot.waitUntil(lambda: len({b.y() for b in pane.buttons}) == 1, timeout=5000)


def test_status_dims_the_values_of_the_last_stop(qtbot):
    pane = make_pane(qtbot)
    pane.show_stop("Paused at line 3", None, [("x", "1")])
    assert pane.tree.isEnabled()
    pane.set_status("Running…")
    assert pane.where.text() == "Running…" and not pane.tree.isEnabled()
    assert pane.rows(GLOBALS) == [("x", "1")]
