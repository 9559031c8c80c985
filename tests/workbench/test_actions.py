"""The action table: unique shortcuts, every action wired, menus present."""

from __future__ import annotations

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
