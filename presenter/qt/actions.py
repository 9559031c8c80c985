"""The action table: every command the window offers, in one list.

One table means one place to read every shortcut, and a test can prove that no two
actions share a key (Mu's F3 clash is the cautionary tale). Modes contribute their own
``ActionSpec`` rows; the window turns the union into QActions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PyQt5.QtGui import QIcon, QKeySequence
from PyQt5.QtWidgets import QAction, QWidget


@dataclass(frozen=True)
class ActionSpec:
    """One command: a dotted id, what people see, and how to reach it."""

    id: str
    label: str
    shortcuts: tuple[str, ...] = ()
    icon: str | None = None  # file name in resources/icons, without ".svg"
    tip: str = ""
    toolbar: bool = False
    checkable: bool = False
    menu: str = ""  # "File", "Edit", "View", "Run", ... ("" = toolbar/keyboard only)
    # "button": a shorter text for the toolbar button than the menu's label.
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # A row on the presentation toolbar: the controls a talk needs (Run/Stop, a board
    # mode's Flash or Save to board, leaving presentation mode, the keystroke overlay).
    # Everything else is hidden there; its keys keep working.
    presenting: bool = False


# Shortcuts are written in Qt's portable form; Qt shows Ctrl as Cmd on macOS by itself.
CORE_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file.new", "&New", ("Ctrl+N",), "new", "New file", True, menu="File"),
    ActionSpec("file.open", "&Open…", ("Ctrl+O",), "open", "Open a file", True, menu="File"),
    ActionSpec("file.save", "&Save", ("Ctrl+S",), "save", "Save this file", True, menu="File"),
    ActionSpec("file.save_as", "Save &As…", ("Ctrl+Shift+S",), menu="File"),
    ActionSpec("file.close", "&Close Tab", ("Ctrl+W",), menu="File"),
    ActionSpec("file.quit", "&Quit", ("Ctrl+Q",), menu="File"),
    ActionSpec("edit.undo", "&Undo", ("Ctrl+Z",), menu="Edit"),
    ActionSpec("edit.redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), menu="Edit"),
    ActionSpec("edit.cut", "Cu&t", ("Ctrl+X",), menu="Edit"),
    ActionSpec("edit.copy", "&Copy", ("Ctrl+C",), menu="Edit"),
    ActionSpec("edit.paste", "&Paste", ("Ctrl+V",), menu="Edit"),
    ActionSpec("edit.select_all", "Select &All", ("Ctrl+A",), menu="Edit"),
    ActionSpec("edit.find", "&Find…", ("Ctrl+F",), "find", "Find in this file", menu="Edit"),
    ActionSpec("edit.replace", "R&eplace…", ("Ctrl+H",), menu="Edit"),
    ActionSpec("edit.find_next", "Find &Next", ("F3",), menu="Edit"),
    ActionSpec("edit.find_previous", "Find Pre&vious", ("Shift+F3",), menu="Edit"),
    ActionSpec("edit.comment", "Toggle &Comment", ("Ctrl+/",), menu="Edit"),
    ActionSpec("edit.indent", "&Indent", ("Ctrl+]",), menu="Edit"),
    ActionSpec("edit.dedent", "&Dedent", ("Ctrl+[",), menu="Edit"),
    ActionSpec("edit.goto_line", "&Go to Line…", ("Ctrl+L",), menu="Edit"),
    ActionSpec("view.zoom_in", "Zoom &In", ("Ctrl+=", "Ctrl++"), "zoom-in", "Bigger text everywhere", True, menu="View"),
    ActionSpec("view.zoom_out", "Zoom &Out", ("Ctrl+-",), "zoom-out", "Smaller text everywhere", True, menu="View"),
    ActionSpec("view.zoom_reset", "&Reset Zoom", ("Ctrl+0",), menu="View"),
    ActionSpec("view.theme", "&Theme", ("Ctrl+Shift+T",), "theme", "Switch theme: day, night, high contrast, colour-blind", True, menu="View"),
    ActionSpec("view.clear_output", "&Clear Output", ("Ctrl+Shift+L",), "clear", "Clear the output pane", True, menu="View"),
    ActionSpec("view.plotter", "&Plotter", ("Ctrl+Shift+P",), "plotter", "Plot tuples of numbers the program prints", True, checkable=True, menu="View"),
    ActionSpec("view.next_tab", "Next Tab", ("Ctrl+Tab", "Ctrl+PgDown")),
    ActionSpec("view.previous_tab", "Previous Tab", ("Ctrl+Shift+Tab", "Ctrl+PgUp")),
    ActionSpec("view.focus_output", "Focus Output", ("Ctrl+Shift+O",), menu="View"),
    ActionSpec("view.focus_editor", "Focus Editor", ("Ctrl+E",), menu="View"),
    ActionSpec("run.run", "&Run", ("F5",), "run", "Run this file (F5)", True, menu="Run",
               presenting=True),
    ActionSpec("run.stop", "&Stop", ("Shift+F5",), "stop", "Stop the running program", menu="Run"),
    ActionSpec("mode.choose", "&Mode…", ("Ctrl+Shift+M",), "mode", "Change mode", True, menu="Run"),
    ActionSpec("present.toggle", "&Presentation Mode", ("F11",), "present",
               "Full screen, big code, no distractions", True, checkable=True, menu="Present",
               presenting=True, extra={"button": "Present"}),
    ActionSpec("present.preset", "Next &Font Preset", ("Shift+F11",), menu="Present"),
    # On the stage toolbar only (presenting, not toolbar): the main toolbar is full already.
    ActionSpec("present.keystrokes", "Show &Keystrokes", ("Ctrl+Shift+K",), "keystrokes",
               "Show the commands you use, large, for the audience", checkable=True,
               menu="Present", presenting=True, extra={"button": "Keystrokes"}),
    ActionSpec("present.spotlight", "&Spotlight", ("Ctrl+Shift+H",), menu="Present",
               tip="Dim all but the current line or the selected lines (Esc ends it)"),
    ActionSpec("present.blank", "&Blank Screen", ("Ctrl+Shift+B",), menu="Present",
               tip="Black screen and back; while presenting, B and . do it too"),
    # Demo mode (presenting/): the clicker's own keys (Page Down, Right, Space; Page Up,
    # Left) are not shortcuts, because they edit when no demo runs: presenting/clicker.py
    # routes them while a demo is open. These keys work from any focus, the find bar too.
    ActionSpec("demo.next", "&Next Step", ("Alt+PgDown",), tip="Next step of the demo "
               "(clicker: Page Down, → or Space)", menu="Demo"),
    ActionSpec("demo.back", "&Previous Step", ("Alt+PgUp",), tip="Back to the code before "
               "this step (clicker: Page Up or ←)", menu="Demo"),
    ActionSpec("demo.restart", "&Restart Demo", menu="Demo"),
    ActionSpec("demo.notes", "Speaker &Notes", ("F9",), tip="The presenter screen (second "
               "screen) or the notes strip (one screen)", checkable=True, menu="Demo"),
    ActionSpec("demo.clock", "Pause Talk &Clock", menu="Demo"),
    ActionSpec("demo.edit", "&Edit Demo File", tip="Open the demo file as text", menu="Demo"),
    ActionSpec("demo.end", "&End Demo", tip="Leave demo mode; its tabs stay", menu="Demo"),
    ActionSpec("help.about", "&About Presenter", (), menu="Help"),
)


def shortcut_clashes(specs: Iterable[ActionSpec]) -> dict[str, list[str]]:
    """Shortcuts bound to more than one action, normalised through QKeySequence."""
    owners: dict[str, list[str]] = {}
    for spec in specs:
        for text in spec.shortcuts:
            normal = QKeySequence(text).toString(QKeySequence.PortableText)
            owners.setdefault(normal, []).append(spec.id)
    return {k: ids for k, ids in owners.items() if len(ids) > 1}


def build_action(spec: ActionSpec, parent: QWidget, handler: Callable[[], None] | None,
                 icon: QIcon | None = None,
                 observer: Callable[[QAction], None] | None = None) -> QAction:
    """The QAction for ``spec``. ``observer`` sees the action before its handler is connected,
    so what it hooks runs first on every trigger (the keystroke overlay reads the label as
    it was when the key was pressed: Run, not the Stop that running makes it)."""
    action = QAction(spec.label, parent)
    action.setObjectName(spec.id)
    if spec.shortcuts:
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        tip = spec.tip or spec.label.replace("&", "").rstrip("…")
        action.setToolTip(f"{tip} ({spec.shortcuts[0]})")
    elif spec.tip:
        action.setToolTip(spec.tip)
    action.setCheckable(spec.checkable)
    if spec.extra.get("button"):
        action.setIconText(spec.extra["button"])
    if icon is not None:
        action.setIcon(icon)
    if observer is not None:
        observer(action)
    if handler is not None:
        action.triggered.connect(lambda _checked=False: handler())
    parent.addAction(action)
    return action
