"""Every shortcut in the action table, pressed in each place the focus can be.

The cases are the table itself (core and mode actions), crossed with the three places a
speaker's focus can be: the editor, the output pane and the find bar. Each key goes to the
focused widget as a real key press, through Qt's own shortcut machinery (the window is
shown and active). A test then checks that exactly that action ran, that it did what the
table says, and that no text anywhere changed unless the action edits by design.

A new action with a shortcut fails ``test_every_shortcut_has_an_expected_effect`` until its
effect is written down in ``EFFECTS`` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PyQt5.QtWidgets import QApplication, QMenu

from presenter.core.demo import parse_demo
from presenter.modes.registry import discover_modes
from presenter.qt.editor import Editor
from presenter.workbench.workbench import action_table
from tests.fakes.workbench import key_press

LONG = 30_000  # ms: generous under load; never a speed assertion
FOCUSES = ("editor", "output", "find")

# The current tab's text: "x = 0" is an undoable edit on top of ORIGINAL, "b = 2" occurs
# three times so Find Next and Find Previous land on different lines, and it runs cleanly.
ORIGINAL = "b = 2\ndef f():\n    b = 2\nc = 3\nb = 2\n"
EDITED = "x = 0\n" + ORIGINAL
OUTPUT = "hello\nworld\n"
FIND = "b = 2"  # in the find field: "b" was set, " = 2" typed (undoable)
CLIPBOARD = "PASTED"


def table_shortcuts() -> list[tuple[str, str]]:
    modes, _errors = discover_modes()
    return [(spec.id, key) for spec in action_table(modes) for key in spec.shortcuts]


@dataclass
class Stage:
    """A window set up as mid-talk: three tabs, some output, the find bar open."""

    bench: object
    answers: object
    tmp_path: Path
    qtbot: object
    focus: str
    fired: list[str] = field(default_factory=list)
    suggested: str = ""

    @property
    def window(self):
        return self.bench.window

    @property
    def editor(self) -> Editor:
        return self.main

    @property
    def output(self):
        return self.window.output

    @property
    def find_field(self):
        return self.window.find_bar.find_field

    def widget(self, focus: str):
        return {"editor": self.main, "output": self.output, "find": self.find_field}[focus]

    def build(self) -> None:
        bench, tabs = self.bench, self.window.tabs
        self.first = tabs.current()
        self.first.setText("first = 1\n")
        self.first.setModified(False)
        self.main = bench.files.new_file()
        self.main.setText(ORIGINAL)
        self.main.SendScintilla(Editor.SCI_EMPTYUNDOBUFFER)
        self.main.insertAt("x = 0\n", 0, 0)  # the undoable edit
        self.last = bench.files.new_file("last = 3\n")
        tabs.setCurrentWidget(self.main)
        self.main.setSelection(3, 4, 3, 5)  # the "b" of "    b = 2"
        self.output.append_chunks([("stdout", OUTPUT)])
        bench.window.find_bar.open_find("b", replace=False)
        self.find_field.end(False)
        self.find_field.insert(" = 2")  # typed, so the field has an undo step
        self.find_field.setSelection(0, 1)  # its "b"
        QApplication.clipboard().setText(CLIPBOARD)

    def snapshot(self) -> dict[str, object]:
        bar = self.window.find_bar
        return {
            "editor": self.main.text() if _alive(self.main) else None,
            "other tabs": [e.text() for e in self.window.tabs.editors() if e is not self.main],
            "output": self.output.toPlainText(),
            "find": bar.find_field.text(),
            "replace": bar.replace_field.text(),
            "clipboard": QApplication.clipboard().text(),
        }


def _alive(editor: Editor) -> bool:
    try:
        editor.objectName()
    except RuntimeError:
        return False
    return True


def focused():
    return QApplication.focusWidget()


# ---- What each action must do, by focus. Each returns the snapshot keys it changes.

def undo(st: Stage) -> set[str]:
    if st.focus == "find":
        assert st.find_field.text() == "b"
        return {"find"}
    if st.focus == "output":
        assert "cannot undo" in st.window.status.currentMessage()
        return set()
    assert st.editor.text() == ORIGINAL
    return {"editor"}


def redo(st: Stage) -> set[str]:
    if st.focus == "find":
        assert st.find_field.text() == FIND
        return {"find"}
    if st.focus == "output":
        assert "cannot redo" in st.window.status.currentMessage()
        return set()
    assert st.editor.text() == EDITED
    return {"editor"}


def prepare_redo(st: Stage) -> None:
    st.editor.undo()
    st.find_field.undo()
    st.find_field.setSelection(0, 1)


def cut(st: Stage) -> set[str]:
    if st.focus == "find":
        assert st.find_field.text() == " = 2"
        assert QApplication.clipboard().text() == "b"
        return {"find", "clipboard"}
    if st.focus == "output":
        assert "cannot cut" in st.window.status.currentMessage()
        return set()
    assert st.editor.text().splitlines()[3] == "     = 2"
    assert QApplication.clipboard().text() == "b"
    return {"editor", "clipboard"}


def copy(st: Stage) -> set[str]:
    expected = {"find": "b", "output": "hello", "editor": "b"}[st.focus]
    assert QApplication.clipboard().text() == expected
    return {"clipboard"}


def prepare_copy(st: Stage) -> None:
    cursor = st.output.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(5, cursor.KeepAnchor)
    st.output.setTextCursor(cursor)


def paste(st: Stage) -> set[str]:
    if st.focus == "find":
        assert st.find_field.text() == CLIPBOARD + " = 2"
        return {"find"}
    if st.focus == "output":  # no program runs: nothing to type into
        assert "Paste in the output pane" in st.window.status.currentMessage()
        return set()
    assert st.editor.text().splitlines()[3] == f"    {CLIPBOARD} = 2"
    return {"editor"}


def select_all(st: Stage) -> set[str]:
    if st.focus == "find":
        assert st.find_field.selectedText() == FIND
    elif st.focus == "output":
        assert st.output.textCursor().selectedText().replace("\u2029", "\n") == OUTPUT
    else:
        assert st.editor.selectedText() == EDITED
    return set()


def find(st: Stage) -> set[str]:
    bar = st.window.find_bar
    assert bar.isVisible() and not bar.replace_row.isVisible()
    assert focused() is bar.find_field
    assert bar.find_field.text() == "b"  # the editor's selection
    return {"find"}


def replace(st: Stage) -> set[str]:
    bar = st.window.find_bar
    assert bar.isVisible() and bar.replace_row.isVisible()
    assert focused() is bar.find_field
    assert bar.find_field.text() == "b"
    return {"find"}


def find_next(st: Stage) -> set[str]:
    assert st.editor.getSelection() == (5, 0, 5, 5)
    return set()


def find_previous(st: Stage) -> set[str]:
    assert st.editor.getSelection() == (1, 0, 1, 5)
    return set()


def comment(st: Stage) -> set[str]:
    assert st.editor.text().splitlines()[3] == "    # b = 2"
    return {"editor"}


def indent(st: Stage) -> set[str]:
    assert st.editor.text().splitlines()[3] == "        b = 2"
    return {"editor"}


def dedent(st: Stage) -> set[str]:
    assert st.editor.text().splitlines()[3] == "b = 2"
    return {"editor"}


def goto_line(st: Stage) -> set[str]:
    assert st.answers.asked[-1][0] == "line_number"
    assert st.editor.getSelection() == (4, 0, 4, len("c = 3"))  # line 5, selected
    assert focused() is st.editor
    return set()


def prepare_goto_line(st: Stage) -> None:
    st.answers.line_number = 5


def zoom(expected: int) -> Callable[[Stage], set[str]]:
    def check(st: Stage) -> set[str]:
        assert st.bench.appearance.zoom == expected
        return set()
    return check


def prepare_zoom_reset(st: Stage) -> None:
    st.bench.appearance.set_zoom(2)


def theme(st: Stage) -> set[str]:
    assert st.bench.appearance.theme.name != "day"
    return set()


def clear_output(st: Stage) -> set[str]:
    assert st.output.toPlainText() == ""
    return {"output"}


def next_tab(st: Stage) -> set[str]:
    assert st.window.tabs.current() is st.last
    _focus_stays_or_follows_the_tab(st)
    return set()


def previous_tab(st: Stage) -> set[str]:
    assert st.window.tabs.current() is st.first
    _focus_stays_or_follows_the_tab(st)
    return set()


def _focus_stays_or_follows_the_tab(st: Stage) -> None:
    if st.focus == "editor":
        assert focused() is st.window.tabs.current()
    else:
        assert focused() is st.widget(st.focus)


def focus_output(st: Stage) -> set[str]:
    assert focused() is st.output
    return set()


def focus_editor(st: Stage) -> set[str]:
    assert focused() is st.editor
    return set()


def run(st: Stage) -> set[str]:
    st.qtbot.waitUntil(lambda: not st.bench.is_running(), timeout=LONG)
    assert st.output.toPlainText() == "Process finished with exit code 0\n"
    return {"output"}  # a run starts with a clear pane


def stop(st: Stage) -> set[str]:
    st.qtbot.waitUntil(lambda: not st.bench.is_running(), timeout=LONG)
    assert "Process stopped" in st.output.toPlainText()
    return {"output"}


def prepare_stop(st: Stage) -> None:
    st.main.setText("import time\nprint('looping', flush=True)\nwhile True:\n    time.sleep(0.05)\n")
    st.bench.run_or_stop()
    st.qtbot.waitUntil(lambda: "looping" in st.output.toPlainText(), timeout=LONG)


def _paused_at(st: Stage, line: int) -> bool:
    debugger = st.bench.mode.debugger
    editor = debugger.paused_editor() if debugger is not None else None
    return editor is st.main and editor.paused_line() == line


def debug(st: Stage) -> set[str]:
    # No breakpoint set: Debug stops at the first line, "x = 0", highlighted.
    st.qtbot.waitUntil(lambda: _paused_at(st, 1), timeout=LONG)
    assert st.bench.mode.debugger.pane.isVisible()
    return {"output"}  # a run starts with a clear pane


def prepare_paused(st: Stage) -> None:
    """Debug the current tab (stopped at its first line); its keys then have work to do."""
    st.bench.mode.debug()
    st.qtbot.waitUntil(lambda: _paused_at(st, 1), timeout=LONG)


def stepped_to_line_2(st: Stage) -> set[str]:
    # From "x = 0" both step over and step into reach "b = 2": the first call is further on.
    st.qtbot.waitUntil(lambda: _paused_at(st, 2), timeout=LONG)
    return {"output"}


def ran_to_the_end(st: Stage) -> set[str]:
    # Continue (no breakpoints) and step out (of the module) run the program to its end.
    st.qtbot.waitUntil(lambda: not st.bench.is_running(), timeout=LONG)
    assert st.output.toPlainText() == "Process finished with exit code 0\n"
    assert st.main.paused_line() is None
    return {"output"}


def plotter(st: Stage) -> set[str]:
    st.qtbot.waitUntil(st.bench.plotter.is_visible, timeout=LONG)
    return set()


def choose_mode(st: Stage) -> set[str]:
    st.qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=LONG)
    menu = QApplication.activePopupWidget()
    try:
        assert [a.text().split(" — ")[0] for a in menu.actions()] == [m.name for m in st.bench.modes]
    finally:
        menu.close()
    return set()


def new_file(st: Stage) -> set[str]:
    tabs = st.window.tabs
    assert tabs.count() == 4
    assert tabs.current().text() == "" and tabs.current().info.path is None
    assert focused() is tabs.current()
    return {"other tabs"}


def open_file(st: Stage) -> set[str]:
    assert st.answers.asked[-1][0] == "open_paths"
    current = st.window.tabs.current()
    assert current.info.path == str(st.tmp_path / "opened.py")
    assert current.text() == "opened = True\n"
    return {"other tabs"}


def prepare_open(st: Stage) -> None:
    path = st.tmp_path / "opened.py"
    path.write_text("opened = True\n", encoding="utf-8")
    st.answers.open_paths = [str(path)]


def save(st: Stage) -> set[str]:
    path = st.tmp_path / "saved.py"
    assert st.answers.asked[-1] == ("save_path", st.suggested)
    assert path.read_text(encoding="utf-8") == EDITED
    assert st.main.info.path == str(path) and not st.main.isModified()
    return set()


def prepare_save(st: Stage) -> None:
    st.answers.save_path = str(st.tmp_path / "saved.py")
    st.suggested = str(Path.home() / st.main.info.title)  # untitled: home + the tab's name


def close_tab(st: Stage) -> set[str]:
    assert st.answers.asked[-1] == ("save_changes", [st.main.info.title])
    assert st.main not in st.window.tabs.editors()
    return {"editor"}


def quit_window(st: Stage) -> set[str]:
    assert not st.window.isVisible()
    assert st.answers.asked[-1][0] == "save_changes"
    return set()


def present(st: Stage) -> set[str]:
    window = st.window
    assert st.bench.presentation.is_presenting()
    st.qtbot.waitUntil(window.isFullScreen, timeout=LONG)
    assert window.menuBar().isHidden() and window.statusBar().isHidden()
    assert window.stage_toolbar.isVisible() and not window.toolbar.isVisible()
    return set()


def next_preset(st: Stage) -> set[str]:  # only while presenting; otherwise it says so
    assert "presentation mode (F11)" in st.window.status.currentMessage()
    return set()


def keystrokes(st: Stage) -> set[str]:
    view = st.bench.presentation.keystrokes.view
    st.qtbot.waitUntil(view.isVisible, timeout=LONG)
    assert view.text() == "Ctrl+Shift+K  Show Keystrokes"
    assert focused() is st.widget(st.focus)  # the caption never takes the focus
    return set()


def spotlight(st: Stage) -> set[str]:
    assert st.bench.presentation.spotlight.lit_lines() == (3, 3)  # the selection's line
    return set()


def blank(st: Stage) -> set[str]:
    cover = st.bench.presentation.blank.cover()
    assert cover.isVisible() and cover.geometry() == st.window.rect()
    assert focused() is cover  # keys typed in the dark edit nothing
    return set()


DEMO = "# %% demo: Shortcuts\n# %% step: one\ndemo = 1\n# %% step: two\ndemo = 2\n"


def prepare_demo(st: Stage) -> None:
    """A demo open at once-speed, its tab made; the main tab current again, as the stage was."""
    st.bench.settings.set("demo.speed", 0)
    st.bench.demos.start(parse_demo(DEMO))
    st.window.tabs.setCurrentWidget(st.main)


def prepare_demo_step(st: Stage) -> None:
    prepare_demo(st)
    st.bench.demos.next()
    st.window.tabs.setCurrentWidget(st.main)


def demo_tab(st: Stage) -> Editor:
    return next(e for e in st.window.tabs.editors() if e.info.title == "demo.py")


def demo_next(st: Stage) -> set[str]:
    assert demo_tab(st).text() == "demo = 1\n"
    assert st.bench.demos.bar.count_label.text() == "1/2"
    return {"other tabs"}


def demo_back(st: Stage) -> set[str]:
    assert demo_tab(st).text() == ""
    assert st.bench.demos.bar.count_label.text() == "0/2"
    return {"other tabs"}


def demo_notes(st: Stage) -> set[str]:
    assert st.bench.demos.strip.isVisible()  # one screen: the notes strip
    return set()


def repl(st: Stage) -> set[str]:
    pane = st.bench.mode.repl_pane
    assert pane is not None and pane.isVisible()
    assert st.bench.actions["view.repl"].isChecked()
    return set()


def files(st: Stage) -> set[str]:
    toggle = st.bench.mode.files
    assert toggle is not None and toggle.is_visible()
    assert st.bench.actions["view.files"].isChecked()
    return set()


def prepare_board_mode(st: Stage) -> None:
    """Mode actions work only in their mode: the REPL toggle is a board mode's."""
    st.bench.set_mode(next(m for m in st.bench.modes if m.id == "microbit"))


def python_repl(st: Stage) -> set[str]:
    repl_ = st.bench.mode.repl
    st.qtbot.waitUntil(lambda: repl_.pane is not None and repl_.pane.is_ready(), timeout=LONG)
    assert repl_.pane.isVisible() and st.bench.actions["view.repl"].isChecked()
    return set()


def run_in_repl(st: Stage) -> set[str]:
    repl_ = st.bench.mode.repl
    st.qtbot.waitUntil(lambda: repl_.pane is not None and "In [2]:" in repl_.pane.text(),
                       timeout=LONG)
    # the untitled tab runs from a private copy named after it
    assert st.main.info.title in repl_.pane.text().split("%run ")[1]
    return set()


def check(st: Stage) -> set[str]:
    # E302 before the def, the unused local b, E305 after the def
    st.qtbot.waitUntil(lambda: sorted(st.main.problems.lines()) == [3, 4, 5], timeout=LONG)
    return set()


def tidy(st: Stage) -> set[str]:
    tidied = "x = 0\nb = 2\n\n\ndef f():\n    b = 2\n\n\nc = 3\nb = 2\n"
    st.qtbot.waitUntil(lambda: st.main.text() == tidied, timeout=LONG)
    return {"editor"}


@dataclass(frozen=True)
class Effect:
    check: Callable[[Stage], set[str]]
    prepare: Callable[[Stage], None] | None = None


EFFECTS: dict[str, Effect] = {
    "file.new": Effect(new_file),
    "file.open": Effect(open_file, prepare_open),
    "file.save": Effect(save, prepare_save),
    "file.save_as": Effect(save, prepare_save),
    "file.close": Effect(close_tab),
    "file.quit": Effect(quit_window),
    "edit.undo": Effect(undo),
    "edit.redo": Effect(redo, prepare_redo),
    "edit.cut": Effect(cut),
    "edit.copy": Effect(copy, prepare_copy),
    "edit.paste": Effect(paste),
    "edit.select_all": Effect(select_all),
    "edit.find": Effect(find),
    "edit.replace": Effect(replace),
    "edit.find_next": Effect(find_next),
    "edit.find_previous": Effect(find_previous),
    "edit.comment": Effect(comment),
    "edit.indent": Effect(indent),
    "edit.dedent": Effect(dedent),
    "edit.goto_line": Effect(goto_line, prepare_goto_line),
    "view.zoom_in": Effect(zoom(1)),
    "view.zoom_out": Effect(zoom(-1)),
    "view.zoom_reset": Effect(zoom(0), prepare_zoom_reset),
    "view.theme": Effect(theme),
    "view.clear_output": Effect(clear_output),
    "view.next_tab": Effect(next_tab),
    "view.previous_tab": Effect(previous_tab),
    "view.focus_output": Effect(focus_output),
    "view.focus_editor": Effect(focus_editor),
    "view.plotter": Effect(plotter),
    "run.run": Effect(run),
    "run.stop": Effect(stop, prepare_stop),
    "mode.choose": Effect(choose_mode),
    "present.toggle": Effect(present),
    "present.preset": Effect(next_preset),
    "present.keystrokes": Effect(keystrokes),
    "present.spotlight": Effect(spotlight),
    "present.blank": Effect(blank),
    "python.debug": Effect(debug),
    "python.step_over": Effect(stepped_to_line_2, prepare_paused),
    "python.step_into": Effect(stepped_to_line_2, prepare_paused),
    "python.step_out": Effect(ran_to_the_end, prepare_paused),
    "python.continue": Effect(ran_to_the_end, prepare_paused),
    "view.repl": Effect(repl, prepare_board_mode),
    "view.files": Effect(files, prepare_board_mode),
    "demo.next": Effect(demo_next, prepare_demo),
    "demo.back": Effect(demo_back, prepare_demo_step),
    "demo.notes": Effect(demo_notes, prepare_demo),
    "python.run_in_repl": Effect(run_in_repl),
    "code.check": Effect(check),
    "code.tidy": Effect(tidy),
}


def test_every_shortcut_has_an_expected_effect():
    missing = sorted({spec_id for spec_id, _key in table_shortcuts()} - set(EFFECTS))
    assert missing == [], "write down what these keys must do"
    assert len(table_shortcuts()) > 30  # the walk really found the table


@pytest.mark.sysqt
@pytest.mark.parametrize("focus", FOCUSES)
@pytest.mark.parametrize(("spec_id", "shortcut"), table_shortcuts(),
                         ids=[f"{i}:{k}" for i, k in table_shortcuts()])
def test_shortcut_does_what_the_table_says_from_each_focus(make_bench, answers, qtbot, tmp_path,
                                                           spec_id, shortcut, focus):
    press_and_check(make_bench, answers, qtbot, tmp_path, spec_id, shortcut, focus,
                    EFFECTS[spec_id])


@pytest.mark.parametrize("focus", FOCUSES)
def test_the_repl_key_in_python_mode_opens_the_python_repl(make_bench, answers, qtbot, tmp_path,
                                                           focus):
    """view.repl is every mode's REPL: EFFECTS checks a board mode's, this Python mode's."""
    press_and_check(make_bench, answers, qtbot, tmp_path, "view.repl", "Ctrl+Shift+R", focus,
                    Effect(python_repl))


def press_and_check(make_bench, answers, qtbot, tmp_path, spec_id: str, shortcut: str,
                    focus: str, effect: Effect) -> None:
    bench = make_bench()
    bench.window.activateWindow()
    qtbot.waitActive(bench.window)
    st = Stage(bench, answers, tmp_path, qtbot, focus)
    st.build()
    answers.save_changes = "discard"
    if effect.prepare is not None:
        effect.prepare(st)
    target = st.widget(focus)
    target.setFocus()
    qtbot.waitUntil(lambda: focused() is target, timeout=LONG)
    for action_id, action in bench.actions.items():
        action.triggered.connect(lambda _checked=False, i=action_id: st.fired.append(i))
    before = st.snapshot()

    key, modifiers = key_press(shortcut)
    qtbot.keyClick(focused(), key, modifiers)

    assert st.fired == [spec_id]
    changes = effect.check(st)
    after = st.snapshot()
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= changes, {name: (before[name], after[name]) for name in changed - changes}
