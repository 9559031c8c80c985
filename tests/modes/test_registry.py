"""Modes load through the `presenter.modes` entry points; a broken one never stops the rest."""

from __future__ import annotations

import importlib
import textwrap

import pytest

from presenter.modes.registry import discover_modes


@pytest.fixture
def installed_plugins(tmp_path, monkeypatch):
    """A real installed distribution (dist-info with entry points) on sys.path."""
    (tmp_path / "demo_modes.py").write_text(textwrap.dedent("""
        from presenter.modes.api import Mode

        class ShellMode(Mode):
            id = "shell"
            name = "Shell"
            description = "Run shell scripts"

        class NoId(Mode):
            name = "Nameless"

        class NotAMode:
            id = "imposter"
    """))
    dist = tmp_path / "demo_modes-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-modes\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(textwrap.dedent("""
        [presenter.modes]
        shell = demo_modes:ShellMode
        nameless = demo_modes:NoId
        imposter = demo_modes:NotAMode
        missing = no_such_module:Mode
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    return tmp_path


def test_builtin_python_mode_is_found():
    modes, errors = discover_modes()
    assert modes[0].id == "python"
    assert errors == []


def test_board_modes_are_entry_points_and_declare_their_boards_and_panes():
    """The picker and the plug-in hint read these without activating the modes."""
    from importlib import metadata

    from presenter.modes.registry import BUILTIN, GROUP

    points = {e.name: e.value for e in metadata.entry_points(group=GROUP)}
    assert points["microbit"] == BUILTIN["microbit"] == "presenter.modes.microbit:MicrobitMode"
    assert points["pico"] == BUILTIN["pico"] == "presenter.modes.pico:PicoMode"
    modes = {m.id: m for m in discover_modes()[0]}
    assert modes["microbit"].board_kinds == ("microbit",)
    assert modes["pico"].board_kinds == ("pico",)
    assert modes["python"].board_kinds == ()
    for mode_id in ("microbit", "pico"):
        repl, files = modes[mode_id].panes
        assert (repl.id, repl.action, repl.area) == ("repl", "view.repl", "bottom")
        assert (files.id, files.action, files.area) == ("files", "view.files", "side")
        for pane in (repl, files):
            assert pane.action in [spec.id for spec in modes[mode_id].actions()]
        assert modes[mode_id].context is None  # nothing was activated to learn this


def test_plugin_modes_load_and_broken_ones_are_reported(installed_plugins):
    modes, errors = discover_modes()
    assert [m.id for m in modes] == ["python", "microbit", "pico", "shell"]
    failed = {e.name: e.message for e in errors}
    assert set(failed) == {"nameless", "imposter", "missing"}
    assert "no_such_module" in failed["missing"]
    assert "not a presenter.modes.api.Mode subclass" in failed["imposter"]


def test_window_reports_a_broken_plugin_in_a_banner(installed_plugins, make_bench):
    bench = make_bench()
    assert "shell" in [m.id for m in bench.modes]
    texts = [b.text for b in bench.window.banners.banners()]
    assert any("Mode 'missing' could not be loaded" in t for t in texts)
    assert bench.mode.id == "python"
