"""Open, save, close and reload: the paths where a user's work could be lost.

Every failure becomes a banner or status message and leaves the buffer as it was: a
save that fails keeps the tab dirty, an unreadable file never replaces a tab's text.

A buffer with a ``location`` (a file on a board, see core.locations) saves there instead of
to a path: asynchronously, so Save returns at once and the unsaved mark clears only when
the write has succeeded and the text is still what was sent. Closing such a tab (or the
window) with "Save" waits for the write and closes once it is done; a failure keeps the
tab open, its text, and says why.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PyQt5 import sip

from presenter.core.demo import is_demo_text
from presenter.core.documents import (
    DocumentError,
    UnencodableError,
    decode_document,
    encode_document,
    load_document,
    save_document,
    with_coding_cookie,
)
from presenter.core.indentation import detect_indent_unit
from presenter.core.locations import SaveLocation
from presenter.qt import dialogs
from presenter.qt.editor import BufferInfo, Editor

if TYPE_CHECKING:
    from presenter.workbench.workbench import Workbench

log = logging.getLogger(__name__)


class FileCommands:
    """File actions for the workbench's tabs."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self.tabs = bench.window.tabs
        self._writing: set[int] = set()  # id() of editors whose location write is under way

    # ---- New and open
    def new_file(self, text: str = "", name: str | None = None) -> Editor:
        """A new unsaved tab; ``name`` instead of "untitled-N.py" (a demo's file), which
        also takes the place of the empty untitled tab a fresh start shows."""
        info = BufferInfo(untitled_name=name) if name else BufferInfo()
        editor = self.tabs.new_editor(info, text)
        self.bench.prepare_editor(editor)
        if name:
            self._replace_lone_empty_untitled()
        return self.tabs.add_editor(editor)

    def ask_and_open(self) -> None:
        current = self.tabs.current()
        folder = os.path.dirname(current.info.path) if current and current.info.path else str(Path.home())
        for path in dialogs.ask_open_paths(self.bench.window, folder):
            self.open_path(path, start_demo=True)

    def open_path(self, path: str, select: bool = True,
                  create_missing: bool = False, start_demo: bool = False) -> Editor | None:
        """Open a file in a tab (or show its tab); problems become a banner, never a crash.

        ``create_missing`` is for names given on the command line: ``presenter new.py``
        opens an empty tab called new.py, and Save creates the file, as editors do.
        ``start_demo`` is for what the user opens (File > Open, a drop, the command line):
        a demo file (see core.demo) then starts demo mode instead of opening as text; a
        restored session, or Edit Demo File, opens it as text.
        """
        path = os.path.abspath(os.path.expanduser(path))
        existing = self.tabs.find_path(path)
        if existing is not None and start_demo and is_demo_text(existing.text()):
            return self.bench.demos.open(path, existing.text())  # as edited, saved or not
        if existing is not None:
            if select:
                self.tabs.setCurrentWidget(existing)
            return existing
        if create_missing and not os.path.lexists(path):
            return self._open_new_path(path, select)
        try:
            document = load_document(Path(path))
        except DocumentError as exc:
            self.bench.show_banner(str(exc), "error")
            log.warning("open failed: %s", exc)
            return None
        if start_demo and is_demo_text(document.text):
            return self.bench.demos.open(path, document.text)
        info = BufferInfo(path=path, encoding=document.encoding, newline=document.newline,
                          bom=document.bom, signature=document.signature)
        editor = self.tabs.new_editor(info, document.text)
        editor.set_indent_unit(detect_indent_unit(document.text))
        self.bench.prepare_editor(editor)
        self._replace_lone_empty_untitled()
        self.tabs.add_editor(editor, select=select)
        if document.note:
            self.bench.show_banner(f"{info.title}: {document.note}", "warning")
        if getattr(document, "mixed_newlines", False):
            self.bench.show_message(
                f"{info.title} mixes line endings; saving uses {_newline_name(document.newline)}.")
        return editor

    def open_location(self, location: SaveLocation, data: bytes) -> Editor:
        """A tab for a file that lives elsewhere (a board's), holding ``data`` decoded.

        The same file already open: its tab is shown (its unsaved text is never replaced).
        Raises DocumentError (binary, too big) with one sentence, for the caller to show
        where the user asked.
        """
        existing = next((e for e in self.tabs.editors() if e.info.location is not None
                         and e.info.location.key == location.key), None)
        if existing is not None:
            self.tabs.setCurrentWidget(existing)
            return existing
        document = decode_document(data, location.name)
        info = BufferInfo(location=location, encoding=document.encoding,
                          newline=document.newline, bom=document.bom)
        editor = self.tabs.new_editor(info, document.text)
        editor.set_indent_unit(detect_indent_unit(document.text))
        self.bench.prepare_editor(editor)
        self._replace_lone_empty_untitled()
        self.tabs.add_editor(editor)
        if document.note:
            self.bench.show_banner(f"{info.title}: {document.note}", "warning")
        return editor

    def _open_new_path(self, path: str, select: bool) -> Editor:
        """An empty, clean tab for a file that does not exist yet; nothing is written now."""
        editor = self.tabs.new_editor(BufferInfo(path=path))
        self.bench.prepare_editor(editor)
        self._replace_lone_empty_untitled()
        self.tabs.add_editor(editor, select=select)
        folder = os.path.dirname(path)
        if os.path.isdir(folder):
            self.bench.show_message(f"{editor.info.title} is a new file: Save creates it")
        else:
            self.bench.show_banner(f"{editor.info.title} is a new file, but its folder {folder} "
                                   "does not exist: use Save As to choose where it goes.", "warning")
        log.info("%s does not exist yet: opened as a new file", path)
        return editor

    def _replace_lone_empty_untitled(self) -> None:
        """Opening the first real file replaces the empty 'untitled' tab a fresh start shows."""
        editors = self.tabs.editors()
        if len(editors) == 1 and editors[0].info.path is None and not editors[0].isModified() \
                and not editors[0].text():
            self.bench.forget_editor(editors[0])
            self.tabs.remove_editor(editors[0])

    # ---- Save
    def save(self, editor: Editor | None = None) -> bool:
        editor = editor or self.tabs.current()
        if editor is None:
            return False
        if editor.info.location is not None:
            self.save_to_location(editor)
            return False  # not saved yet: the write is under way
        if not editor.info.path:
            return self.save_as(editor)
        return self._write(editor, editor.info.path, editor.info.encoding)

    def save_as(self, editor: Editor | None = None) -> bool:
        editor = editor or self.tabs.current()
        if editor is None:
            return False
        suggestion = editor.info.path or str(Path.home() / editor.info.title)
        path = dialogs.ask_save_path(self.bench.window, suggestion)
        if not path:
            return False
        return self._write(editor, os.path.abspath(path), editor.info.encoding)

    def save_as_utf8(self, editor: Editor) -> bool:
        """The offer made when the text no longer fits the file's old encoding."""
        if not editor.info.path and editor.info.location is None:
            return False
        text = editor.text()
        fixed = with_coding_cookie(text, "utf-8")  # a stale "coding: latin-1" line would lie
        if fixed != text:
            line, index = editor.getCursorPosition()
            editor.beginUndoAction()
            editor.selectAll()
            editor.replaceSelectedText(fixed)
            editor.endUndoAction()
            editor.setCursorPosition(line, index)
        editor.info.bom = False
        if editor.info.location is not None:
            editor.info.encoding = "utf-8"
            self.save_to_location(editor)
            return False
        return self._write(editor, editor.info.path, "utf-8")

    def _write(self, editor: Editor, path: str, encoding: str) -> bool:
        info = editor.info
        try:
            signature = save_document(Path(path), editor.text(), encoding, info.newline,
                                      info.bom and encoding == info.encoding)
        except UnencodableError as exc:
            editor.setCursorPosition(exc.line - 1, exc.column - 1)
            actions = [("Save as UTF-8", lambda e=editor: self.save_as_utf8(e))]
            self.bench.show_banner(f"{info.title} was not saved: {exc}", "error", actions)
            return False
        except DocumentError as exc:
            actions = []
            self.bench.show_banner(f"{info.title} was not saved: {exc}", "error", actions)
            return False
        except OSError as exc:
            self.bench.show_banner(f"{info.title} was not saved: {exc.strerror or exc} ({path}). "
                                   "Your text is still here and in the recovery store.", "error")
            return False
        info.path, info.encoding, info.signature = path, encoding, signature
        info.location = None  # Save As from a board's file: the tab is a local file now
        info.disk_state_reported = "same"
        editor.setModified(False)
        self.tabs.refresh_title(editor)
        self.bench.recovery_discard(editor)
        self.bench.show_message(f"Saved {path}")
        self.bench.update_status()
        return True

    def save_to_location(self, editor: Editor,
                         then: Callable[[], None] | None = None) -> None:
        """Write the buffer to its location (a board); ``then()`` runs once it succeeded.

        Returns at once. The unsaved mark clears only on success, and only if nothing was
        typed meanwhile; a failure keeps the text (and its recovery copy) and says why.
        """
        info = editor.info
        location = info.location
        if location is None:
            return
        if id(editor) in self._writing:
            self.bench.show_message(f"Still writing {info.title}; wait a moment and save again.")
            return
        try:
            data = encode_document(editor.text(), info.encoding, info.newline, info.bom,
                                   location.name)
        except UnencodableError as exc:
            editor.setCursorPosition(exc.line - 1, exc.column - 1)
            actions = [("Save as UTF-8", lambda e=editor: self.save_as_utf8(e))]
            self.bench.show_banner(f"{info.title} was not saved: {exc}", "error", actions)
            return
        sent = editor.text()
        self._writing.add(id(editor))
        self.bench.show_message(f"Saving {location.description}…")

        def done() -> None:
            self._writing.discard(id(editor))
            if sip.isdeleted(editor) or self.tabs.indexOf(editor) < 0:
                return
            if editor.text() == sent:
                editor.setModified(False)
                self.bench.recovery_discard(editor)
            self.tabs.refresh_title(editor)  # the board may be on another port now
            self.bench.show_message(f"Saved {location.description}")
            self.bench.update_status()
            if then is not None:
                then()

        def failed(reason: str) -> None:
            self._writing.discard(id(editor))
            if sip.isdeleted(editor) or self.tabs.indexOf(editor) < 0:
                return
            self.bench.show_banner(f"{info.title} was not saved: {reason} Your text is still "
                                   "here and in the recovery store.", "error")

        location.write(data, done, failed)

    # ---- Close
    def close_editor(self, editor: Editor | None = None) -> bool:
        """Close one tab, asking first if it has unsaved work. True if it closed.

        A board's file saved on closing is written first; the tab closes once that worked.
        """
        editor = editor or self.tabs.current()
        if editor is None:
            return False
        if editor.isModified():
            answer = dialogs.ask_save_changes(self.bench.window, [editor.info.title])
            if answer == "cancel":
                return False
            if answer == "save" and editor.info.location is not None:
                self.save_to_location(
                    editor, then=lambda e=editor: None if e.isModified() else self.close_editor(e))
                return False
            if answer == "save" and not self.save(editor):
                return False
        self.bench.recovery_discard(editor)
        self.bench.forget_editor(editor)
        self.tabs.remove_editor(editor)
        if self.tabs.count() == 0 and not self.bench.closing:
            self.new_file()
        return True

    def confirm_close_all(self) -> bool:
        """Before quitting: save or discard every unsaved buffer, or cancel the quit."""
        dirty = [e for e in self.tabs.editors() if e.isModified()]
        if not dirty:
            return True
        answer = dialogs.ask_save_changes(self.bench.window, [e.info.title for e in dirty])
        if answer == "cancel":
            return False
        if answer == "save":
            remote = [e for e in dirty if e.info.location is not None]
            if not all(self.save(e) for e in dirty if e.info.location is None):
                return False
            if remote:
                self._save_then_close(remote)
                return False
            return True
        for editor in dirty:
            self.bench.recovery_discard(editor)
            editor.setModified(False)
        return True

    def _save_then_close(self, editors: list[Editor]) -> None:
        """Quitting with board files to save: write them, then close the window again."""
        pending = {id(e) for e in editors}

        def saved(editor: Editor) -> None:
            pending.discard(id(editor))
            if not pending:
                self.bench.window.close()

        for editor in editors:
            self.save_to_location(editor, then=lambda e=editor: saved(e))
        self.bench.show_message(f"Writing {len(editors)} file{'s' if len(editors) != 1 else ''} "
                                "to the board; Presenter closes once they are saved.")

    # ---- Reload after an outside change
    def reload(self, editor: Editor) -> None:
        if not editor.info.path:
            return
        try:
            document = load_document(Path(editor.info.path))
        except DocumentError as exc:
            self.bench.show_banner(str(exc), "error")
            return
        line, index = editor.getCursorPosition()
        editor.beginUndoAction()
        editor.selectAll()
        editor.replaceSelectedText(document.text)  # stays undoable: Ctrl+Z brings the buffer back
        editor.endUndoAction()
        editor.setCursorPosition(min(line, editor.lines() - 1), index)
        editor.set_indent_unit(detect_indent_unit(document.text))
        editor.info.encoding, editor.info.newline = document.encoding, document.newline
        editor.info.bom, editor.info.signature = document.bom, document.signature
        editor.info.disk_state_reported = "same"
        editor.setModified(False)
        self.tabs.refresh_title(editor)
        self.bench.recovery_discard(editor)
        self.bench.show_message(f"Reloaded {editor.info.title} from disk (Ctrl+Z undoes it)")


def _newline_name(newline: str) -> str:
    return {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}.get(newline, repr(newline))
