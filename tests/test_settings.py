"""Settings (defaults, damaged files, type checks, atomic save) and paths (PRESENTER_HOME)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from presenter import paths
from presenter.settings import DEFAULTS, SCHEMA_VERSION, Settings, write_atomically

# ---- Loading


def test_missing_file_gives_defaults_without_warning(tmp_path):
    s = Settings.load(tmp_path / "settings.json")
    assert s.data == DEFAULTS
    assert s.load_warning is None


def test_default_path_follows_presenter_home(presenter_home):
    s = Settings.load()
    assert s.path == presenter_home / "config" / "settings.json"
    s.set("zoom", 3)
    s.save()
    assert json.loads((presenter_home / "config" / "settings.json").read_text())["zoom"] == 3


def test_round_trip_keeps_unknown_keys_and_plugin_sections(tmp_path):
    path = tmp_path / "settings.json"
    s = Settings.load(path)
    s.set("zoom", 4)
    s.set("theme", "night")
    s.section("esp32")["baud"] = 115200  # a plugin's own section
    s.data["from_a_newer_version"] = {"x": 1}
    s.save()
    again = Settings.load(path)
    assert again.get("zoom") == 4
    assert again.get("theme") == "night"
    assert again.get("modes.esp32.baud") == 115200
    assert again.get("modes.python.interpreter") == ""  # defaults still filled in
    assert again.data["from_a_newer_version"] == {"x": 1}
    assert again.data["schema"] == SCHEMA_VERSION


def test_partial_file_is_completed_from_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"editor": {"tab_width": 2}}))
    s = Settings.load(path)
    assert s.get("editor.tab_width") == 2
    assert s.get("editor.base_font_size") == DEFAULTS["editor"]["base_font_size"]
    assert s.get("output.max_lines") == DEFAULTS["output"]["max_lines"]


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"{not json", "Expecting"),
        (b"[1, 2, 3]", "top level is not an object"),
        (b"\xff\xfe\x00garbage", "codec"),
    ],
)
def test_damaged_file_gives_defaults_and_is_kept_aside(tmp_path, raw, reason):
    path = tmp_path / "settings.json"
    path.write_bytes(raw)
    s = Settings.load(path)
    assert s.data == DEFAULTS
    assert "damaged" in s.load_warning and reason in s.load_warning
    assert (tmp_path / "settings.json.damaged").read_bytes() == raw
    assert not path.exists()
    s.save()  # the next save writes a fresh, valid file
    assert json.loads(path.read_text())["zoom"] == 0


def test_unreadable_file_gives_defaults_and_is_not_moved(tmp_path):
    path = tmp_path / "settings.json"
    path.mkdir()  # reading a folder fails with an OSError
    s = Settings.load(path)
    assert s.data == DEFAULTS
    assert "Could not read settings" in s.load_warning
    assert path.is_dir()


def test_wrong_types_fall_back_per_key(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({
        "zoom": "big",  # wrong type
        "theme": "night",  # fine
        "editor": "not a section",  # wrong type for a section
        "output": {"max_lines": 500, "max_line_chars": [1]},
        "session": {"files": "nope", "current": "/tmp/a.py"},
        "modes": {"python": {"interpreter": "/usr/bin/python3"}},
    }))
    s = Settings.load(path)
    assert s.get("zoom") == 0
    assert s.get("theme") == "night"
    assert s.data["editor"] == DEFAULTS["editor"]
    assert s.get("output.max_lines") == 500
    assert s.get("output.max_line_chars") == DEFAULTS["output"]["max_line_chars"]
    assert s.get("session.files") == []
    assert s.get("session.current") == "/tmp/a.py"  # default None accepts any value
    assert s.get("modes.python.interpreter") == "/usr/bin/python3"
    assert s.load_warning is None


def test_null_and_bool_and_float_do_not_replace_typed_defaults(tmp_path):
    """A hand-edited ``"zoom": null`` or ``"base_font_size": 15.5`` must not reach the GUI:
    QFont.setPointSize(None or 15.5) raises TypeError at start-up."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({
        "zoom": None,
        "autosave_seconds": True,
        "editor": {"base_font_size": 15.5, "tab_width": True},
        "theme": None,
    }))
    s = Settings.load(path)
    assert s.get("zoom") == 0
    assert s.get("autosave_seconds") == DEFAULTS["autosave_seconds"]
    assert s.get("editor.base_font_size") == DEFAULTS["editor"]["base_font_size"]
    assert s.get("editor.tab_width") == DEFAULTS["editor"]["tab_width"]
    assert s.get("theme") == "day"


def test_instances_never_share_or_mutate_defaults(tmp_path):
    a = Settings.load(tmp_path / "a.json")
    b = Settings.load(tmp_path / "b.json")
    a.data["session"]["files"].append({"path": "x"})
    a.section("python")["interpreter"] = "/x"
    assert b.get("session.files") == []
    assert DEFAULTS["session"]["files"] == []
    assert DEFAULTS["modes"]["python"]["interpreter"] == ""


# ---- Dotted access


def test_get_set_and_section(tmp_path):
    s = Settings(tmp_path / "s.json")
    assert s.get("modes.microbit.port") == ""
    assert s.get("no.such.key", "fallback") == "fallback"
    assert s.get("zoom.deeper", "fallback") == "fallback"  # walking into a non-dict
    s.set("new.nested.key", 5)
    assert s.data["new"]["nested"]["key"] == 5
    section = s.section("pico")
    section["port"] = "/dev/ttyACM0"
    assert s.get("modes.pico.port") == "/dev/ttyACM0"
    assert s.section("brand-new") == {} and "brand-new" in s.data["modes"]


# ---- Atomic writes


def test_write_atomically_replaces_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "deep" / "er" / "file.bin"
    write_atomically(target, b"one")
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(target.parent) == ["file.bin"]


def test_write_atomically_failure_keeps_the_old_file(tmp_path):
    target = tmp_path / "file.txt"
    target.write_bytes(b"precious")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["file.txt"]


def test_write_atomically_mode_is_private(tmp_path):
    """Documents the current behaviour: the temp file's 0600 becomes the file's mode.

    Fine for settings.json; core.documents restores a user file's own bits itself.
    """
    target = tmp_path / "file.txt"
    target.write_bytes(b"x")
    target.chmod(0o644)
    write_atomically(target, b"y")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# ---- Paths


def test_presenter_home_redirects_every_folder(presenter_home):
    assert paths.config_dir() == presenter_home / "config"
    assert paths.state_dir() == presenter_home / "state"
    assert paths.log_dir() == presenter_home / "log"
    assert paths.recovery_dir() == presenter_home / "state" / "recovery"
    assert paths.settings_file() == presenter_home / "config" / "settings.json"


def test_without_presenter_home_platformdirs_decides(monkeypatch, tmp_path):
    monkeypatch.setenv("PRESENTER_HOME", "")  # empty counts as unset
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "st"))
    if os.name != "posix" or os.uname().sysname != "Linux":
        pytest.skip("XDG variables only steer platformdirs on Linux")
    assert paths.config_dir() == tmp_path / "cfg" / "presenter"
    assert paths.recovery_dir() == tmp_path / "st" / "presenter" / "recovery"


def test_shipped_data_folders_are_found_in_a_checkout():
    assert (paths.themes_dir() / "day.json").is_file()
    assert paths.resources_dir().is_dir()
    with pytest.raises(FileNotFoundError, match="Reinstall Presenter"):
        paths._data_dir("no-such-folder")
