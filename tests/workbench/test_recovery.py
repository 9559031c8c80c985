"""Unsaved work survives a crash: autosave, kill -9 of a real app process, restore."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

from presenter import paths
from presenter.qt.tabs import DIRTY_MARK

DRIVER = textwrap.dedent("""
    import sys
    from PyQt5.QtCore import QTimer
    from PyQt5.QtWidgets import QApplication
    from presenter import paths
    from presenter.settings import Settings
    from presenter.workbench.workbench import Workbench

    app = QApplication([])
    bench = Workbench(Settings.load())
    bench.start([sys.argv[2], sys.argv[1]])
    bench.window.tabs.current().append("added = 'never saved'\\n")
    scratch = bench.files.new_file()
    scratch.setText("scratch = 'ünïcode ✓'\\n")

    def report():
        files = list(paths.recovery_dir().rglob("buf-*.json"))
        session = Settings.load().get("session.files") or []
        if len(files) >= 2 and len(session) == 2:
            print("autosaved", flush=True)
        else:
            QTimer.singleShot(100, report)

    QTimer.singleShot(100, report)
    app.exec_()
""")


def test_unsaved_buffers_survive_kill_9(make_bench, tmp_path):
    demo = tmp_path / "demo.py"
    demo.write_text("original = 1\n")
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"autosave_seconds": 1}))

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    clean = tmp_path / "clean.py"
    clean.write_text("nothing to recover = 'but reopen me'\n")
    app = subprocess.Popen([sys.executable, "-c", DRIVER, str(demo), str(clean)], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = app.stdout.readline()
        assert line.strip() == "autosaved", app.stderr.read()
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(10)
    assert demo.read_text() == "original = 1\n"  # autosave never touches the user's file

    bench = make_bench()
    editors = {e.info.title: e for e in bench.window.tabs.editors()}
    assert editors["demo.py"].text() == "original = 1\nadded = 'never saved'\n"
    assert editors["demo.py"].info.path == str(demo)
    assert editors["demo.py"].isModified()
    scratch = [e for e in editors.values() if e.info.path is None and "scratch" in e.text()]
    assert len(scratch) == 1 and scratch[0].text() == "scratch = 'ünïcode ✓'\n"
    index = bench.window.tabs.indexOf(editors["demo.py"])
    assert bench.window.tabs.tabText(index).endswith(DIRTY_MARK)
    assert any("Recovered 2 unsaved buffers" in b.text for b in bench.window.banners.banners())
    reopened = bench.window.tabs.find_path(str(clean))  # open but clean: back from the session
    assert reopened is not None and not reopened.isModified()


def test_saved_buffers_leave_nothing_to_recover(make_bench, tmp_path, answers):
    path = tmp_path / "a.py"
    path.write_text("a = 1\n")
    bench = make_bench([str(path)])
    editor = bench.window.tabs.find_path(str(path))
    editor.append("b = 2\n")
    bench.autosaver.save_now()
    assert list(paths.recovery_dir().rglob("buf-*.json"))
    bench.files.save(editor)
    assert not list(paths.recovery_dir().rglob("buf-*.json"))
    bench.window.close()
    again = make_bench()
    assert not any("Recovered" in b.text for b in again.window.banners.banners())
    assert again.window.tabs.find_path(str(path)).text() == "a = 1\nb = 2\n"
