"""Modes load through the `presenter.modes` entry points; a broken one never stops the rest."""

from __future__ import annotations

import importlib
import textwrap

import pytest

from presenter.modes.registry import CHECKOUT, discover_modes
from tests.fakes.plugins import install_broken_plugins, install_distribution


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
    ids = [m.id for m in modes]
    assert ids[:3] == ["python", "microbit", "pico"] and "shell" in ids
    assert next(m for m in modes if m.id == "shell").source == "demo-modes 1.0"
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


def test_builtin_modes_come_from_presenters_own_entry_points():
    """Installed, the built-ins load through pyproject.toml's entry points, not the fallback."""
    from importlib import metadata

    own = metadata.distribution("presenter")
    declared = {e.name: e.value for e in own.entry_points if e.group == "presenter.modes"}
    assert declared == {"python": "presenter.modes.python:PythonMode",
                        "microbit": "presenter.modes.microbit:MicrobitMode",
                        "pico": "presenter.modes.pico:PicoMode"}
    modes = {m.id: m for m in discover_modes()[0]}
    for mode_id in declared:
        assert modes[mode_id].source == f"presenter {own.version}"


def test_the_fallback_is_only_for_a_checkout_that_was_never_installed(tmp_path, monkeypatch):
    """No presenter distribution at all: the built-ins still load. An installed presenter
    whose entry points lack a mode does not get it back from the fallback."""
    empty = tmp_path / "nothing-installed"
    empty.mkdir()
    modes, errors = discover_modes(path=[str(empty)])
    assert [(m.id, m.source) for m in modes] == [("python", CHECKOUT), ("microbit", CHECKOUT),
                                                 ("pico", CHECKOUT)]
    assert errors == []

    partial = install_distribution(tmp_path / "partial", monkeypatch, "presenter", "9.9", {},
                                   {"python": "presenter.modes.python:PythonMode"})
    modes, errors = discover_modes(path=[str(partial)])
    assert [(m.id, m.source) for m in modes] == [("python", "presenter 9.9")]


def test_broken_plugins_are_named_with_their_distribution_and_skipped(tmp_path, monkeypatch):
    install_broken_plugins(tmp_path, monkeypatch)
    modes, errors = discover_modes()
    ids = [m.id for m in modes]
    assert ids[:3] == ["python", "microbit", "pico"]
    assert "crashy" in ids  # it loads; it only fails when chosen (see the window tests)
    assert next(m for m in modes if m.id == "python").name == "Python"  # not the impostor
    failed = {e.name: e.message for e in errors}
    assert set(failed) == {"crash_on_import", "crash_in_init", "crash_in_actions", "takes_f5",
                           "python_again"}
    for name, message in failed.items():
        assert message.startswith(f"Mode '{name}' could not be loaded and was skipped "
                                  "(from broken-modes 2.0): ")
    assert "RuntimeError: this plugin is broken on purpose" in failed["crash_on_import"]
    assert "ValueError: no constructor today" in failed["crash_in_init"]
    assert "KeyError" in failed["crash_in_actions"]
    assert "takes F5, which Presenter already uses" in failed["takes_f5"]
    assert "the id 'python' is taken by the Python mode" in failed["python_again"]
