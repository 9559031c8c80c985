"""Where a tab's code runs from (shared by Run and Run in REPL)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from presenter.core.tracebacks import UNTITLED_PREFIX
from presenter.local.scripts import ScriptCopies, safe_name


def test_a_saved_unchanged_file_runs_in_place(tmp_path):
    path = tmp_path / "demo.py"
    path.write_text("print(1)\n", encoding="utf-8")
    prepared = ScriptCopies().prepare("print(1)\n", str(path), "demo.py")
    assert (prepared.script, prepared.cwd, prepared.alias) == (str(path), str(tmp_path), "")


def test_unsaved_changes_run_from_a_private_copy_in_the_files_folder(tmp_path):
    path = tmp_path / "demo.py"
    path.write_text("print(1)\n", encoding="utf-8")
    copies = ScriptCopies()
    prepared = copies.prepare("print(2)\n", str(path), "demo.py")
    script = Path(prepared.script)
    assert script.name == "demo.py" and script.parent != tmp_path
    assert script.read_text(encoding="utf-8") == "print(2)\n"
    assert stat.S_IMODE(os.stat(script.parent).st_mode) == 0o700
    assert (prepared.cwd, prepared.alias, prepared.extra_path) == (str(tmp_path), str(path),
                                                                    str(tmp_path))
    copies.cleanup()
    assert not script.exists()


def test_an_untitled_tab_runs_as_its_title_in_the_untitled_folder(tmp_path):
    prepared = ScriptCopies(untitled_cwd=str(tmp_path)).prepare("x = 1\n", None, "untitled-3.py")
    assert Path(prepared.script).name == "untitled-3.py"
    assert prepared.cwd == str(tmp_path)
    assert prepared.alias == UNTITLED_PREFIX + "untitled-3.py"


def test_safe_names():
    assert safe_name("untitled-1") == "untitled-1.py"
    assert safe_name("my demo.py") == "my-demo.py"
    assert safe_name("...") == "untitled.py"
