"""The action table: unique shortcuts, every action wired, menus present."""

from __future__ import annotations

import pytest

from presenter.qt.actions import CORE_ACTIONS, ActionSpec, shortcut_clashes


def test_no_two_actions_share_a_shortcut(bench):
    specs = bench.all_action_specs()
    assert len(specs) >= len(CORE_ACTIONS)
    assert shortcut_clashes(specs) == {}


def test_clash_detection_normalises_key_names():
    specs = [ActionSpec("a", "A", ("Ctrl+Shift+S",)), ActionSpec("b", "B", ("shift+ctrl+s",))]
    assert shortcut_clashes(specs) == {"Ctrl+Shift+S": ["a", "b"]}


def test_action_ids_are_unique_and_every_action_has_a_handler(bench):
    ids = [spec.id for spec in bench.all_action_specs()]
    assert len(ids) == len(set(ids))
    for spec_id, action in bench.actions.items():
        # build_action connects triggered only when a handler exists
        assert action.receivers(action.triggered) > 0, f"{spec_id} does nothing"


def test_standard_shortcuts_are_bound(bench):
    def keys(spec_id):
        return [s.toString() for s in bench.actions[spec_id].shortcuts()]

    assert "Ctrl+S" in keys("file.save")
    assert "Ctrl+Z" in keys("edit.undo")
    assert "F5" in keys("run.run")
    assert "Ctrl+=" in keys("view.zoom_in")
    assert "Ctrl+0" in keys("view.zoom_reset")
    assert "Ctrl+F" in keys("edit.find")


@pytest.mark.sysqt
def test_the_editor_keeps_no_binding_of_a_table_key_and_keeps_the_others(bench):
    from PyQt5.QtGui import QKeySequence

    from presenter.qt.keymap import editor_key_bindings

    bound = editor_key_bindings(bench.window.tabs.current())
    clashes = {QKeySequence(code).toString(): bound[code] for code in bound.keys() & bench.table_keys}
    assert clashes == {}
    assert "Ctrl+L" in {QKeySequence(code).toString() for code in bench.table_keys}  # the walk saw Go to line
    kept = {QKeySequence(code).toString(): what for code, what in bound.items()}
    assert kept["Ctrl+D"] == "Duplicate selection"  # the editor's own keys that collide with nothing
    assert kept["Shift+Del"] == "Cut selection"


@pytest.mark.sysqt
def test_a_table_key_never_edits_even_when_its_action_is_disabled(bench, keyboard):
    """Stop (Shift+F5) is disabled while nothing runs; any action may be. Its key then
    reaches the editor as a plain key press, and must not cut, delete or move a line."""

    editor = bench.window.tabs.current()
    text = "first = 1\nsecond = 2\nthird = 3\n"
    editor.setText(text)
    editor.setCursorPosition(1, 3)
    for action in bench.actions.values():
        action.setEnabled(False)
    pressed = []
    for spec in bench.all_action_specs():
        for shortcut in spec.shortcuts:
            keyboard.press(shortcut)
            pressed.append(shortcut)
            assert editor.text() == text, f"{shortcut} edited the code"
            assert editor.hasFocus()
    assert len(pressed) > 25
