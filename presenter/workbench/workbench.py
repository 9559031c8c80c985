"""The workbench: builds the window from the action table and wires editing and modes.

This is the one object that knows both the widgets and the behaviour, so everything
else can stay ignorant of one side: widgets emit signals, modes get a ModeContext, and
the core never sees Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PyQt5.QtCore import QPoint, QTimer
from PyQt5.QtWidgets import QAction, QApplication, QLineEdit, QMenu

from presenter import __version__
from presenter.core.tracebacks import UNTITLED_PREFIX
from presenter.modes.api import EditorSnapshot, Look, Mode
from presenter.modes.registry import discover_modes
from presenter.presenting.demo_controller import DemoController
from presenter.presenting.presentation import Presentation
from presenter.qt import dialogs
from presenter.qt.actions import CORE_ACTIONS, ActionSpec, build_action
from presenter.qt.banner import Banner
from presenter.qt.edit_target import edit_target_of
from presenter.qt.editor import Editor
from presenter.qt.keymap import TableKeysFirst, free_editor_keys, table_key_codes
from presenter.qt.mainwindow import MainWindow
from presenter.settings import Settings
from presenter.workbench import session
from presenter.workbench.appearance import Appearance
from presenter.workbench.autosave import Autosaver
from presenter.workbench.board_hints import BoardHints
from presenter.workbench.demo_host import DemoHost, sample_demos
from presenter.workbench.disk_watch import DiskWatcher
from presenter.workbench.files import FileCommands
from presenter.workbench.plotter import Plotter

log = logging.getLogger(__name__)

BIG_BUTTONS = {"run.run"}


class Workbench:
    """Owns the window, the settings, the modes and the editing machinery."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.closing = False
        self.window = MainWindow()
        self.presentation = Presentation(self)
        self.files = FileCommands(self)
        self.appearance = Appearance(self)
        self.plotter = Plotter(self)
        self.autosaver = Autosaver(self, float(settings.get("autosave_seconds", 5) or 5))
        self.disk_watcher = DiskWatcher(self)
        self.modes, mode_errors = discover_modes()
        self.mode: Mode | None = None
        self.actions: dict[str, QAction] = {}
        self.specs: dict[str, ActionSpec] = {}
        self._held_message = ""  # the last status message while presenting (bar hidden)
        self.mode_actions: dict[str, list[Mode]] = {}  # action id -> the modes offering it
        self.board_hints = BoardHints(self)
        self._build_actions()
        self.presentation.restore_preferences()
        self.demos = DemoController(DemoHost(self), self.actions)
        self.demos.watch(self.window.output)
        # A new step clears the spotlight; while the demo holds the clicker's keys, its B and
        # "." blank the screen even with the focus in the editor (presenting/stage_keys.py).
        self.demos.step_started.connect(lambda _n: self.presentation.spotlight.clear())
        self.demos.clicker_driving_changed.connect(
            lambda driving: setattr(self.presentation.state, "clicker_driving", driving))
        self._add_sample_demos_menu()
        self._wire_widgets()
        for error in mode_errors:
            self.show_banner(error.message, "error")

    # ---- Construction
    def _handlers(self) -> dict[str, Callable[[], None]]:
        tabs = self.window.tabs

        def on_editor(method: str) -> Callable[[], None]:
            def call() -> None:
                editor = tabs.current()
                if editor is not None:
                    getattr(editor, method)()
            return call

        return {
            "file.new": self.files.new_file,
            "file.open": self.files.ask_and_open,
            "file.save": self.files.save,
            "file.save_as": self.files.save_as,
            "file.close": self.files.close_editor,
            "file.quit": self.window.close,
            "edit.undo": lambda: self._edit_focused("undo"),
            "edit.redo": lambda: self._edit_focused("redo"),
            "edit.cut": lambda: self._edit_focused("cut"),
            "edit.copy": lambda: self._edit_focused("copy"),
            "edit.paste": lambda: self._edit_focused("paste"),
            "edit.select_all": lambda: self._edit_focused("selectAll"),
            "edit.find": lambda: self._open_find(replace=False),
            "edit.replace": lambda: self._open_find(replace=True),
            "edit.find_next": lambda: self._find(self.window.find_bar.pattern(), True),
            "edit.find_previous": lambda: self._find(self.window.find_bar.pattern(), False),
            "edit.comment": on_editor("toggle_comment"),
            "edit.indent": self._indent,
            "edit.dedent": self._dedent,
            "edit.goto_line": self._goto_line,
            "view.zoom_in": lambda: self._zoom_by(1),
            "view.zoom_out": lambda: self._zoom_by(-1),
            "view.zoom_reset": self._zoom_reset,
            "view.theme": self.appearance.next_theme,
            "view.clear_output": self.window.output.clear,
            "view.plotter": self.plotter.toggle,
            "view.next_tab": lambda: self._cycle_tab(1),
            "view.previous_tab": lambda: self._cycle_tab(-1),
            "view.focus_output": self.window.output.setFocus,
            "view.focus_editor": self._focus_editor,
            "run.run": self.run_or_stop,
            "run.stop": self.stop,
            "mode.choose": self._choose_mode,
            "present.toggle": self.presentation.toggle,
            "present.preset": self.presentation.next_preset,
            "present.keystrokes": self.presentation.toggle_keystrokes,
            "present.spotlight": self.presentation.spotlight.toggle,
            "present.blank": self.presentation.blank.toggle,
            "help.about": self._about,
            # Demo mode is made after the actions (it needs them): look it up when pressed.
            **{spec_id: (lambda s=spec_id: self.demos.handlers()[s]())
               for spec_id in ("demo.next", "demo.back", "demo.restart", "demo.notes",
                               "demo.clock", "demo.edit", "demo.end")},
        }

    def all_action_specs(self) -> list[ActionSpec]:
        """Core actions plus every mode's: the table the shortcut test walks."""
        return action_table(self.modes)

    def _build_actions(self) -> None:
        handlers = self._handlers()
        for mode in self.modes:
            for spec in mode.actions():
                self.mode_actions.setdefault(spec.id, []).append(mode)
        for spec_id in self.mode_actions:
            handlers[spec_id] = lambda i=spec_id: self._run_mode_action(i)
        menus: dict[str, QMenu] = {}
        toolbar: list[ActionSpec] = []
        for spec in self.all_action_specs():
            action = build_action(spec, self.window, handlers.get(spec.id),
                                  observer=self.presentation.keystrokes.watch)
            self.actions[spec.id] = action
            self.specs[spec.id] = spec
            if spec.menu:
                if spec.menu not in menus:
                    menus[spec.menu] = self.window.menuBar().addMenu("&" + spec.menu)
                menus[spec.menu].addAction(action)
            if spec.toolbar:
                toolbar.append(spec)
        # Run and Mode first (what a speaker reaches for), then files, then the view.
        toolbar.sort(key=_toolbar_place)
        previous = None
        for spec in toolbar:
            if previous is not None and spec.menu != previous:
                self.window.toolbar.addSeparator()
            previous = spec.menu
            self.window.add_toolbar_action(self.actions[spec.id], big=spec.id in BIG_BUTTONS)
        self.actions["run.stop"].setEnabled(False)
        # The table's keys beat the widgets' own bindings wherever the focus is.
        self.table_keys = table_key_codes(self.all_action_specs())
        self.key_guard = TableKeysFirst(self.table_keys, self.window)
        bar = self.window.find_bar
        self.key_guard.watch(self.window.output, bar.find_field, bar.replace_field)

    def stage_actions(self) -> list[tuple[QAction, bool]]:
        """The presentation toolbar: rows marked ``presenting``, of the core table and of the
        current mode (each mode says which of its controls a talk needs), in toolbar order."""
        own = {spec.id for spec in CORE_ACTIONS}
        if self.mode is not None:
            own |= {spec.id for spec in self.mode.actions()}
        specs = sorted((s for s in self.all_action_specs() if s.presenting and s.id in own),
                       key=_toolbar_place)
        return [(self.actions[spec.id], spec.id in BIG_BUTTONS) for spec in specs]

    def _add_sample_demos_menu(self) -> None:
        """File > Open Sample Demo: one entry per demo in resources/demos."""
        file_menu = self.actions["file.open"].associatedWidgets()
        menu = next((w for w in file_menu if isinstance(w, QMenu)), None)
        if menu is None:
            return
        samples = QMenu("Open Sa&mple Demo", menu)
        samples.setObjectName("SampleDemosMenu")
        for title, path in sample_demos():
            action = samples.addAction(title)
            action.setToolTip(path)
            action.triggered.connect(
                lambda _c=False, p=path: self.files.open_path(p, start_demo=True))
        samples.setEnabled(not samples.isEmpty())
        menu.insertMenu(self.actions["file.save"], samples)
        self.sample_demos_menu = samples

    def _wire_widgets(self) -> None:
        window = self.window
        self.presentation.state.presenting_changed.connect(self._on_presenting_changed)
        window.close_requested.connect(self._on_close)
        window.files_dropped.connect(
            lambda paths: [self.files.open_path(p, start_demo=True) for p in paths])
        window.tabs.close_requested.connect(self.files.close_editor)
        window.tabs.currentChanged.connect(lambda _i: self.update_status())
        bar = window.find_bar
        bar.find_requested.connect(self._find)
        bar.replace_requested.connect(self._replace)
        bar.replace_all_requested.connect(self._replace_all)
        bar.closed.connect(self._focus_editor)
        window.output.location_activated.connect(self.go_to)
        window.output.input_submitted.connect(lambda text: self.mode and self.mode.send_input(text))
        window.output.eof_requested.connect(lambda: self.mode and self.mode.close_input())

    def refresh_icons(self) -> None:
        for spec_id, action in self.actions.items():
            spec = self.specs[spec_id]
            if spec_id == "run.run":
                action.setIcon(self.appearance.run_icon(self.is_running()))
            elif spec.icon:
                action.setIcon(self.appearance.icon(spec.icon))
        self.window.setWindowIcon(self.appearance.icon("presenter"))

    # ---- Start and stop
    def start(self, paths: list[str]) -> None:
        """Restore the last session, open the given files, recover crashed buffers, show."""
        session_data = self.settings.get("session") or {}
        session.restore_geometry(self, session_data.get("geometry"))
        missing = session.restore_files(self, session_data)
        for path in paths:
            self.files.open_path(path, create_missing=True, start_demo=True)
        restored = self.autosaver.restore_pending()
        if self.window.tabs.count() == 0:
            self.files.new_file()
        wanted = self.settings.get("mode", "python")
        self.set_mode(next((m for m in self.modes if m.id == wanted), self.modes[0] if self.modes else None))
        self.appearance.apply()
        self.plotter.restore()
        if self.window.property("restore_maximized"):
            self.window.showMaximized()
        else:
            self.window.show()
        if restored:
            self.autosaver.announce_recovered()
        if missing:
            self.show_message("Not reopened (no longer on disk): " + ", ".join(missing))
        if self.settings.load_warning:
            self.show_banner(self.settings.load_warning, "warning")
        self.autosaver.start()
        self.disk_watcher.start()
        QTimer.singleShot(0, self.board_hints.start)  # after the first frame: boards come later
        self.update_status()
        current = self.window.tabs.current()
        if current is not None:
            current.setFocus()

    def _on_close(self, event) -> None:
        if not self.files.confirm_close_all():
            event.ignore()
            return
        self.closing = True
        # Captured mid-talk, the session keeps the window from before the talk; leaving
        # then puts back the settings the talk changed, without moving a closing window.
        captured = session.capture(self)
        self.presentation.leave(move_window=False)
        self.demos.shutdown()
        if self.mode is not None:
            self._leave(self.mode)
        self.board_hints.stop()
        self.settings.set("session", captured)
        self.save_settings()
        self.autosaver.shutdown()
        event.accept()

    def save_session_if_changed(self) -> None:
        """Keep the open-files list current on disk, so even a crash reopens them."""
        current = session.capture(self)
        if current != self.settings.get("session"):
            self.settings.set("session", current)
            self.save_settings()

    def save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError as exc:
            log.error("could not save settings: %s", exc)
            self.show_message(f"Could not save settings: {exc}", "error")

    # ---- Editors
    def prepare_editor(self, editor: Editor) -> None:
        self.appearance.style_editor(editor)
        free_editor_keys(editor, self.table_keys)
        self.key_guard.watch(editor)
        self.presentation.prepare_editor(editor)
        self.demos.watch(editor)
        editor.cursor_moved.connect(lambda *_: self.update_status())
        # Undo back to the saved text: the recovery copy is stale, drop it.
        editor.modificationChanged.connect(
            lambda dirty, e=editor: None if dirty else self.recovery_discard(e))

    def forget_editor(self, editor: Editor) -> None:
        """Hook for closing tabs: nothing keeps references yet, but modes may later."""

    def recovery_discard(self, editor: Editor) -> None:
        self.autosaver.discard(editor)

    def update_status(self) -> None:
        editor = self.window.tabs.current()
        if editor is None:
            self.window.position_label.setText("")
            self.window.encoding_label.setText("")
            return
        line, column = editor.getCursorPosition()
        self.window.position_label.setText(f"Ln {line + 1}, Col {column + 1}")
        newline = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}.get(editor.info.newline, "")
        self.window.encoding_label.setText(f"{editor.info.encoding.upper()} {newline}")
        self.window.setWindowTitle(f"{editor.info.title} — Presenter")

    def go_to(self, path: str, line: int) -> None:
        """Jump to a traceback location: an open tab (untitled too) or the file opened now."""
        tabs = self.window.tabs
        if path.startswith(UNTITLED_PREFIX):  # how the Python runner names an untitled buffer
            path = path[len(UNTITLED_PREFIX):]
        target = next((e for e in tabs.editors() if path in (e.info.path, e.info.title)), None)
        if target is None:
            target = tabs.find_path(path) or self.files.open_path(path)
        if target is None:
            return
        tabs.setCurrentWidget(target)
        target.go_to_line(line)

    # ---- Messages (never modal; held while presenting)
    def show_message(self, text: str, kind: str = "info") -> None:
        """A status-bar message. During a talk the status bar is hidden: the last message
        waits and shows when the talk ends (every message is in the log as it comes)."""
        (log.warning if kind in ("warning", "error") else log.info)("%s", text)
        if self.presentation.is_presenting():
            self._held_message = text
            return
        self.window.status.showMessage(text, 8000)

    def show_banner(self, text: str, kind: str = "info",
                    actions: list[tuple[str, Callable[[], None]]] | None = None) -> Banner:
        """Show a banner; the caller may keep it to dismiss it once its cause is gone.

        During a talk only errors show at once; the others wait for its end (BannerArea.hold).
        """
        (log.warning if kind in ("warning", "error") else log.info)("banner: %s", text)
        return self.window.banners.show_banner(text, kind, actions, urgent=kind == "error")

    def _on_presenting_changed(self, presenting: bool) -> None:
        self.window.banners.hold(presenting)
        if not presenting and self._held_message:
            self.window.status.showMessage(self._held_message, 8000)
            self._held_message = ""

    # ---- Modes
    def set_mode(self, mode: Mode | None) -> None:
        """Switch to ``mode``. One that raises while starting is named in a banner and
        dropped from the picker; the previous mode comes back, else Python mode."""
        if mode is self.mode:
            return
        previous = self.mode
        if previous is not None:
            self._leave(previous)
        python = next((m for m in self.modes if m.id == "python"), None)
        for candidate in dict.fromkeys(m for m in (mode, previous, python) if m is not None):
            if self._enter(candidate):
                return
        self.mode = None
        self._show_mode_actions()

    def _enter(self, mode: Mode) -> bool:
        self.mode = mode
        self._show_mode_actions()
        try:
            mode.activate(_Context(self, mode))
            mode.apply_appearance(self.look())
        except Exception as exc:  # noqa: BLE001 - a plugin's bug must not stop the talk
            log.exception("mode %s (from %s) failed to start", mode.id, mode.source)
            self._leave(mode)  # let it undo what it had started
            self.mode = None
            self._show_mode_actions()
            if mode in self.modes:
                self.modes.remove(mode)
            self.show_banner(f"The {mode.name} mode (from {mode.source or 'unknown'}) failed "
                             f"to start and was skipped: {type(exc).__name__}: {exc}", "error")
            return False
        self.settings.set("mode", mode.id)
        self.window.mode_label.setText(mode.status_text())
        self.board_hints.mode_changed()
        self.presentation.mode_changed()
        return True

    def _leave(self, mode: Mode) -> None:
        try:
            mode.deactivate()
        except Exception:  # noqa: BLE001 - leaving must always work
            log.exception("mode %s (from %s) failed to stop cleanly", mode.id, mode.source)

    def _show_mode_actions(self) -> None:
        """A mode's actions are visible (and their keys work) only while it is active."""
        for spec_id, modes in self.mode_actions.items():
            self.actions[spec_id].setVisible(self.mode in modes)

    def _run_mode_action(self, spec_id: str) -> None:
        handler = self.mode.action_handlers().get(spec_id) if self.mode is not None else None
        if handler is not None:
            handler()

    def look(self) -> Look:
        """The zoom and theme, for modes styling their own panes."""
        appearance = self.appearance
        family = self.settings.get("editor.font_family", "DejaVu Sans Mono")
        return Look(appearance.theme, appearance.ui_pt, appearance.editor_pt, family)

    def _choose_mode(self) -> None:
        menu = QMenu(self.window)
        current = None
        for mode in self.modes:
            action = menu.addAction(self.appearance.icon(mode.icon),
                                    f"{mode.name} — {mode.description}")
            action.setCheckable(True)
            action.setChecked(mode is self.mode)
            action.triggered.connect(lambda _c=False, m=mode: self.switch_mode(m))
            if mode is self.mode:
                current = action
        button = self.window.toolbar.widgetForAction(self.actions["mode.choose"])
        if button is not None and button.isVisible():
            where = button.mapToGlobal(button.rect().bottomLeft())
        else:  # presenting (no Mode button on stage) or behind the overflow button
            where = self.window.mapToGlobal(self.window.rect().topLeft() + QPoint(40, 40))
        menu.popup(where)
        if current is not None:  # the keys start from the current mode: Return keeps it
            menu.setActiveAction(current)

    def switch_mode(self, mode: Mode) -> None:
        """Switch as the picker does (refused while a program runs), and remember it."""
        if self.is_running():
            self.show_message("Stop the running program before changing mode.", "warning")
            return
        self.set_mode(mode)
        self.save_settings()
        if self.mode is mode:
            self.show_message(f"Mode: {mode.name}")

    def is_running(self) -> bool:
        return bool(self.mode and self.mode.is_running())

    def run_or_stop(self) -> None:
        if self.mode is None:
            return
        if self.mode.is_running():
            self.stop()
        else:
            self.mode.run()

    def stop(self) -> None:
        if self.mode is not None and self.mode.is_running():
            self.mode.stop()

    def set_running(self, running: bool) -> None:
        action = self.actions["run.run"]
        action.setText("Stop" if running else "Run")
        tip = "Stop the running program (F5)" if running else "Run this file (F5)"
        action.setToolTip(tip)
        action.setIcon(self.appearance.run_icon(running))
        self.actions["run.stop"].setEnabled(running)
        for toolbar in self.window.toolbars():
            button = toolbar.widgetForAction(action)
            if button is not None:
                button.setProperty("running", running)
                button.style().unpolish(button)
                button.style().polish(button)
        self.window.output.set_running(running)
        # Typing goes where the program is listening while it runs (input()), and back to
        # the code afterwards - but only if the user had not moved focus elsewhere.
        if running and self.window.tabs.current() is not None and self.window.tabs.current().hasFocus():
            self.window.output.setFocus()
        elif not running and self.window.output.hasFocus():
            self._focus_editor()

    # ---- Zoom: the whole window, or during a talk the code alone
    def _zoom_by(self, steps: int) -> None:
        if self.presentation.is_presenting():
            self.presentation.zoom_code(steps)
        else:
            self.appearance.zoom_by(steps)

    def _zoom_reset(self) -> None:
        if self.presentation.is_presenting():
            self.presentation.reset_code_zoom()
        else:
            self.appearance.set_zoom(0)

    # ---- Edit helpers
    def _current(self) -> Editor | None:
        return self.window.tabs.current()

    def _edit_focused(self, command: str) -> None:
        """Undo, redo, cut, copy, paste and select all act where the focus is.

        In a find-bar field they edit the field (Ctrl+Z after a typo in the search must not
        undo the code); in the output pane copy and select all work on the output, paste
        types into the running program's input, and the rest say why they do nothing
        there. A pane that edits its own way (an ``EditTarget``: the Python REPL) does so.
        Anywhere else they act on the current editor.
        """
        from presenter.qt.repl_pane import ReplPane  # loaded with the board modes, not at start

        focus = QApplication.focusWidget()
        output = self.window.output
        target = edit_target_of(focus)
        if focus is output:
            self._edit_output(command)
        elif isinstance(focus, ReplPane) and self.window.isAncestorOf(focus):
            self._edit_repl(focus, command)
        elif target is not None and self.window.isAncestorOf(focus):
            message = target.edit(command)
            if message:
                self.show_message(message)
        elif isinstance(focus, QLineEdit) and self.window.isAncestorOf(focus):
            getattr(focus, command)()
        elif (editor := self._current()) is not None:
            getattr(editor, command)()

    def _edit_output(self, command: str) -> None:
        output = self.window.output
        if command in ("copy", "selectAll"):
            getattr(output, command)()
        elif command == "paste" and output.is_running():
            output.type_text(QApplication.clipboard().text())
        elif command == "paste":
            self.show_message("Paste in the output pane types into a running program's input.")
        else:  # undo, redo, cut: the output is read-only
            self.show_message(f"The output pane cannot {command}: Ctrl+E goes back to the editor.")

    def _edit_repl(self, pane, command: str) -> None:
        """In a board's REPL: copy and select all work on its text, paste types at the prompt."""
        if command in ("copy", "selectAll", "paste"):
            getattr(pane, command)()
        else:
            self.show_message(f"The REPL cannot {command}: Ctrl+E goes to the board there; "
                              "click the editor to edit code.")

    def _indent(self) -> None:
        if (editor := self._current()) is not None:
            editor.shift_lines(1)

    def _dedent(self) -> None:
        if (editor := self._current()) is not None:
            editor.shift_lines(-1)

    def _goto_line(self) -> None:
        editor = self._current()
        if editor is None:
            return
        line = dialogs.ask_line_number(self.window, editor.getCursorPosition()[0] + 1, editor.lines())
        if line:
            editor.go_to_line(line)

    def _focus_editor(self) -> None:
        editor = self._current()
        if editor is not None:
            editor.setFocus()

    def _cycle_tab(self, step: int) -> None:
        tabs = self.window.tabs
        if tabs.count():
            typing_in_code = tabs.current() is not None and tabs.current().hasFocus()
            tabs.setCurrentIndex((tabs.currentIndex() + step) % tabs.count())
            if typing_in_code:  # keep typing into the tab now shown, not a hidden one
                self._focus_editor()

    def _open_find(self, replace: bool) -> None:
        editor = self._current()
        initial = editor.selectedText() if editor is not None and editor.hasSelectedText() else ""
        self.window.find_bar.open_find(initial, replace)

    def _find(self, pattern: str, forward: bool) -> None:
        editor = self._current()
        if editor is None or not pattern:
            if not pattern:
                self._open_find(replace=False)
            return
        found = editor.find_text(pattern, forward=forward, **self.window.find_bar.options())
        self.window.find_bar.show_result("" if found else "Not found")

    def _replace(self, pattern: str, replacement: str) -> None:
        editor = self._current()
        if editor is None or not pattern:
            return
        found = editor.replace_selection_if_match(pattern, replacement, **self.window.find_bar.options())
        self.window.find_bar.show_result("" if found else "No more matches")

    def _replace_all(self, pattern: str, replacement: str) -> None:
        editor = self._current()
        if editor is None or not pattern:
            return
        count = editor.replace_all(pattern, replacement, **self.window.find_bar.options())
        self.window.find_bar.show_result(f"Replaced {count}")

    def _about(self) -> None:
        self.show_banner(f"Presenter {__version__}: a Python IDE for live coding. "
                         f"Logs: {_log_path()}", "info")


def _toolbar_place(spec: ActionSpec) -> int:
    """Toolbar order by menu (the sort keeps the table's order within a menu)."""
    return {"Run": 0, "File": 1, "Edit": 2, "View": 3}.get(spec.menu, 4)


def action_table(modes: list[Mode]) -> list[ActionSpec]:
    """The window's whole action table: the core actions, then each mode's own."""
    specs = list(CORE_ACTIONS)
    seen = {spec.id for spec in specs}
    for mode in modes:
        for spec in mode.actions():
            if spec.id not in seen:  # shared by several modes: declared once
                seen.add(spec.id)
                specs.append(spec)
    return specs


def _log_path() -> str:
    from presenter import paths

    return str(paths.log_dir() / "presenter.log")


class _Context:
    """What a mode may use of the workbench (see modes.api.ModeContext)."""

    def __init__(self, bench: Workbench, mode: Mode) -> None:
        self._bench = bench
        self.settings = bench.settings.section(mode.id)

    def current_editor(self) -> EditorSnapshot | None:
        editor = self._bench.window.tabs.current()
        if editor is None:
            return None
        return EditorSnapshot(editor.text(), editor.info.path, editor.info.title)

    def output_pane(self):
        return self._bench.window.output

    def show_message(self, text: str, kind: str = "info") -> None:
        self._bench.show_message(text, kind)

    def show_banner(self, text: str, kind: str = "info", actions=None) -> None:
        self._bench.show_banner(text, kind, actions)

    def set_running(self, running: bool) -> None:
        self._bench.set_running(running)

    def go_to(self, path: str, line: int) -> None:
        self._bench.go_to(path, line)

    def save_settings(self) -> None:
        self._bench.save_settings()

    def window(self):
        return self._bench.window

    def boards(self):
        return self._bench.board_hints.watcher()

    def place_pane(self, widget, area: str = "bottom") -> None:
        self._bench.window.add_pane(widget, area)

    def add_status_widget(self, widget) -> None:
        self._bench.window.status.addPermanentWidget(widget)

    def action(self, action_id: str):
        return self._bench.actions.get(action_id)

    def look(self) -> Look:
        return self._bench.look()

    def open_location(self, location, data: bytes) -> None:
        self._bench.files.open_location(location, data)

    def open_file(self, path: str) -> None:
        self._bench.files.open_path(path)

    def editor_widget(self):
        return self._bench.window.tabs.current()

