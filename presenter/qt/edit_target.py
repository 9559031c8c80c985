"""Panes that do Undo, Redo, Cut, Copy, Paste and Select All their own way when focused.

The window's edit actions act where the focus is (the workbench's ``_edit_focused``). A pane
whose text is not a plain editor (the Python REPL: only the prompt line is editable, and
Ctrl+C with nothing selected interrupts) says what each command means there by being an
``EditTarget``; the workbench finds it from the focused widget without knowing the pane.
"""

from __future__ import annotations

from PyQt5.QtWidgets import QWidget

COMMANDS = ("undo", "redo", "cut", "copy", "paste", "selectAll")


class EditTarget:
    """Mixin for a QWidget pane: ``edit`` runs one of ``COMMANDS`` on it."""

    def edit(self, command: str) -> str:
        """Do ``command``; return a status-bar message if there is something to say."""
        raise NotImplementedError


def edit_target_of(widget: QWidget | None) -> EditTarget | None:
    """The EditTarget that ``widget`` is, or is inside of; None if there is none."""
    while widget is not None:
        if isinstance(widget, EditTarget):
            return widget
        widget = widget.parentWidget()
    return None
