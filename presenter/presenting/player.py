"""The demo player: performs steps, and goes back by restoring snapshots.

``position`` is how many steps are done (0 before the first, n after the last); the step
bar shows it as "3/7". Next types step ``position + 1`` into its tab, where it lands by
text (``core.demo.plan_step``), so whatever the speaker typed meanwhile stays and the step
still goes in the right place. When a step has landed, the texts of the demo's tabs are
kept as the snapshot for that position.

Back and "go to step k" never replay or undo anything: they put the snapshot of that
position back, each tab's text replaced as one undo action (Ctrl+Z brings back what was
there, so nothing the speaker typed is lost). A position the talk has not reached yet, or
one whose snapshot a newer pass made stale, is computed by playing the steps from the
nearest snapshot before it (``core.demo.apply_step``); the first time through, that is
the demo file's own code.

The player knows the window only through a ``DemoStage`` (tabs, modes, Run, messages),
which the workbench provides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PyQt5 import sip
from PyQt5.QtCore import QObject, pyqtSignal

from presenter.core.demo import Demo, Step, StepError, apply_step, plan_step
from presenter.presenting.typist import Typist
from presenter.qt.editor import Editor

log = logging.getLogger(__name__)


class DemoStage(Protocol):
    """What the player needs of the window."""

    def new_demo_editor(self, name: str, text: str) -> Editor:
        """A new tab called ``name`` (unsaved, like an untitled one) holding ``text``."""

    def has_editor(self, editor: Editor) -> bool:
        """Whether that tab is still open."""

    def show_editor(self, editor: Editor) -> None:
        """Make that tab the current one."""

    def switch_mode(self, mode_id: str) -> str | None:
        """Switch to that mode; returns why not (None when done or already in it)."""

    def current_mode(self) -> str | None:
        """The id of the mode in use."""

    def run_current(self, mode_id: str | None) -> None:
        """Run the current tab (stopping a program still running first), in that mode
        (None: the mode in use); not at all if that mode cannot be had."""

    def show_message(self, text: str, kind: str = "info") -> None: ...

    def show_banner(self, text: str, kind: str = "info",
                    actions: list[tuple[str, Callable[[], None]]] | None = None) -> None: ...


@dataclass
class Snapshot:
    """The demo's tabs at a step boundary: their texts, the tab shown and its caret."""

    texts: dict[str, str]
    current: str
    cursor: int  # character offset in the shown tab


class DemoPlayer(QObject):
    """Steps through one demo in the window's tabs."""

    # ---- Signals
    changed = pyqtSignal()
    """Position, typing state or speed changed: the step bar and notes follow."""
    step_started = pyqtSignal(int)
    """A step (its number) starts landing: a spotlight from the last step is cleared."""
    step_landed = pyqtSignal(int)
    """A step's code is all in (before its Run, if any)."""

    def __init__(self, demo: Demo, stage: DemoStage, speed: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.demo = demo
        self.stage = stage
        self.speed = speed
        self.position = 0
        self.typist = Typist(self)
        self.typist.finished.connect(self._landed)
        self._editors: dict[str, Editor] = {}
        self._typing_step: Step | None = None
        self._start_mode: str | None = None  # the mode before step 1 when the demo names none
        self._snapshots: dict[int, Snapshot] = {
            0: Snapshot({name: "" for name in demo.files()}, demo.file, 0)}

    # ---- State
    @property
    def total(self) -> int:
        return len(self.demo.steps)

    def is_typing(self) -> bool:
        return self.typist.is_typing()

    def current_step(self) -> Step | None:
        """The step done last (being typed, while it is): the one the notes are about."""
        return self.demo.steps[self.position - 1] if self.position > 0 else None

    def next_step(self) -> Step | None:
        return self.demo.steps[self.position] if self.position < self.total else None

    def editor(self, name: str) -> Editor | None:
        """The demo's tab of that name, if it is still open."""
        editor = self._editors.get(name)
        if editor is None or sip.isdeleted(editor) or not self.stage.has_editor(editor):
            return None
        return editor

    # ---- Commands
    def start(self) -> None:
        """Open the demo's first tab, empty, in the demo's mode."""
        self._start_mode = self.demo.mode or self.stage.current_mode()
        if self.demo.mode:
            self._switch_mode(self.demo.mode)
        editor = self._ensure_editor(self.demo.file, "")
        self.stage.show_editor(editor)
        self.changed.emit()

    def set_speed(self, speed: int) -> None:
        self.speed = speed
        self.changed.emit()

    def next(self) -> None:
        """Type the next step; during typing, finish the step at once instead."""
        if self.is_typing():
            self.typist.finish()
            return
        step = self.next_step()
        if step is None:
            self.stage.show_message(f"That was the last step ({self.total}/{self.total}): "
                                    "Back or Go to takes you to an earlier one.")
            return
        if step.mode:
            self._switch_mode(step.mode)
        editor = self._ensure_editor(step.file, self._snapshot_text(step.file))
        self.stage.show_editor(editor)
        text = editor.text()
        try:
            landing = plan_step(text, step)
        except StepError as exc:
            self._cannot_land(exc)
            return
        self.position = step.number
        self._typing_step = step
        self.step_started.emit(step.number)
        speed = self.speed if step.speed is None else step.speed
        self.typist.type(editor, text, landing, speed)  # _landed follows, maybe at once
        if self.is_typing():
            self.changed.emit()

    def back(self) -> None:
        """Restore the snapshot before the current step (Back during typing, too)."""
        if self.position == 0 and not self.is_typing():
            self.stage.show_message("This is the start of the demo.")
            return
        self.go_to(self.position - 1)

    def go_to(self, position: int) -> None:
        """Put the tabs back as they were after ``position`` steps."""
        position = max(0, min(self.total, position))
        if self.is_typing():
            self.typist.abort()
            self._typing_step = None
        snapshot = self._snapshot(position)
        mode = self.demo.mode_at(position) or self._start_mode
        if mode:
            self._switch_mode(mode)
        for name, text in snapshot.texts.items():
            editor = self.editor(name)
            if editor is None:
                if not text:
                    continue  # a tab the demo has not needed yet
                editor = self._ensure_editor(name, text)
            elif editor.text() != text:
                _replace_text(editor, text)
        shown = self._ensure_editor(snapshot.current, snapshot.texts.get(snapshot.current, ""))
        self.stage.show_editor(shown)
        _set_caret(shown, snapshot.texts.get(snapshot.current, ""), snapshot.cursor)
        self.position = position
        self.changed.emit()

    def stop(self) -> None:
        """The demo ends: a step being typed is finished, so its code is whole."""
        self.typist.finish()

    # ---- Internals
    def _landed(self) -> None:
        step, self._typing_step = self._typing_step, None
        if step is None:
            return
        editor = self.editor(step.file)
        self._snapshots = {k: v for k, v in self._snapshots.items() if k < step.number}
        if editor is not None:
            text = editor.text()
            line, index = editor.getCursorPosition()
            self._snapshots[step.number] = Snapshot(self._texts_now(), step.file,
                                                    _offset(text, line, index))
        self.step_landed.emit(step.number)
        self.changed.emit()
        if step.run:
            self.stage.run_current(self.demo.mode_at(step.number) or self._start_mode)

    def _texts_now(self) -> dict[str, str]:
        texts = {}
        for name in self.demo.files():
            editor = self.editor(name)
            texts[name] = editor.text() if editor is not None else self._snapshot_text(name)
        return texts

    def _snapshot_text(self, name: str) -> str:
        """The text a tab had at the last snapshot (for a tab the speaker closed)."""
        for position in sorted(self._snapshots, reverse=True):
            if position <= self.position:
                return self._snapshots[position].texts.get(name, "")
        return ""

    def _snapshot(self, position: int) -> Snapshot:
        """The snapshot taken at ``position``, or one computed from the nearest before it."""
        if position in self._snapshots:
            return self._snapshots[position]
        base = max(k for k in self._snapshots if k < position)
        try:
            computed = self._play(self._snapshots[base].texts, base, position)
        except StepError:  # the speaker's edits removed an anchor: play from the start
            computed = self._play(self._snapshots[0].texts, 0, position)
        return computed

    def _play(self, texts: dict[str, str], done: int, position: int) -> Snapshot:
        texts = dict(texts)
        cursor, current = 0, self.demo.file_at(position)
        for step in self.demo.steps[done:position]:
            before = texts.get(step.file, "")
            landing = plan_step(before, step)
            texts[step.file] = apply_step(before, step)
            cursor = landing.start + len(landing.code)
        return Snapshot(texts, current, cursor)

    def _ensure_editor(self, name: str, text: str) -> Editor:
        editor = self.editor(name)
        if editor is None:
            editor = self.stage.new_demo_editor(name, text)
            self._editors[name] = editor
        return editor

    def _switch_mode(self, mode: str) -> None:
        problem = self.stage.switch_mode(mode)
        if problem:
            self.stage.show_banner(problem, "warning")

    def _cannot_land(self, exc: StepError) -> None:
        step = exc.step
        where = f"line {step.anchor.line}" if step.anchor else f"line {step.line}"
        back_to = self.position
        self.stage.show_banner(
            f"Step {step.number} ({step.title}) {exc.problem} any more (demo file {where}). "
            f"Restoring step {back_to} puts its code back; then Next types the step.",
            "warning", [(f"Restore step {back_to}", lambda: self.go_to(back_to))])


def _replace_text(editor: Editor, text: str) -> None:
    """The whole text, as one undo action (Ctrl+Z brings the old one back)."""
    editor.beginUndoAction()
    editor.selectAll()
    editor.replaceSelectedText(text)
    editor.endUndoAction()


def _offset(text: str, line: int, index: int) -> int:
    """Character offset of (line, index); QScintilla's index counts characters here."""
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[:line]) + min(index, len(lines[line]) if
                                                             line < len(lines) else 0)


def _set_caret(editor: Editor, text: str, offset: int) -> None:
    before = text[:max(0, min(offset, len(text)))]
    line = before.count("\n")
    index = len(before) - (before.rfind("\n") + 1)
    editor.setCursorPosition(line, index)
    editor.ensureLineVisible(line)
