"""The few questions that deserve a dialog: choosing files and not losing work.

Everything routine uses banners and the status bar. These functions are module-level so
tests (and a future presentation mode) can replace them in one place.
"""

from __future__ import annotations

from PyQt5.QtWidgets import (
    QAbstractSpinBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QSpinBox,
    QWidget,
)

PYTHON_FILTER = "Python files (*.py *.pyw);;All files (*)"
FIRMWARE_FILTER = "UF2 firmware (*.uf2);;All files (*)"


def ask_open_paths(parent: QWidget, folder: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, "Open", folder, PYTHON_FILTER)
    return paths


def ask_firmware_path(parent: QWidget, folder: str) -> str | None:
    """A MicroPython .uf2 to install on a Pico (Install MicroPython); None if cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, "Install MicroPython from", folder,
                                          FIRMWARE_FILTER)
    return path or None


def ask_save_path(parent: QWidget, suggestion: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save As", suggestion, PYTHON_FILTER)
    return path or None


def ask_handout_path(parent: QWidget, suggestion: str) -> str | None:
    """Where File > Export Handout writes NAME.html (and NAME.md beside it); None if cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export Handout", suggestion,
                                          "Web page (*.html);;All files (*)")
    return path or None


def ask_save_changes(parent: QWidget, names: list[str]) -> str:
    """'save', 'discard' or 'cancel' for closing unsaved buffers."""
    if len(names) == 1:
        text = f"“{names[0]}” has unsaved changes."
    else:
        text = "These files have unsaved changes:\n  " + "\n  ".join(names)
    box = QMessageBox(QMessageBox.Warning, "Unsaved changes", text, parent=parent)
    box.setInformativeText("Save them before closing?")
    save = box.addButton("Save", QMessageBox.AcceptRole)
    discard = box.addButton("Don't Save", QMessageBox.DestructiveRole)
    box.addButton("Cancel", QMessageBox.RejectRole)
    box.setDefaultButton(save)
    box.exec_()
    clicked = box.clickedButton()
    if clicked is save:
        return "save"
    if clicked is discard:
        return "discard"
    return "cancel"


def ask_line_number(parent: QWidget, current: int, maximum: int) -> int | None:
    """A line number typed in a plain field (Up/Down still step it).

    No spin arrows: the themes style the field's box, and the style then drew its arrows in
    the text colour of the default palette, black on the night theme's dark field.
    """
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Go to Line")
    dialog.setLabelText(f"Line (1–{maximum}):")
    dialog.setInputMode(QInputDialog.IntInput)
    dialog.setIntRange(1, maximum)
    dialog.setIntValue(current)
    for field in dialog.findChildren(QSpinBox):
        field.setButtonSymbols(QAbstractSpinBox.NoButtons)
    accepted = dialog.exec_() == QDialog.Accepted
    value = dialog.intValue()
    dialog.deleteLater()
    return value if accepted else None


def ask_text(parent: QWidget, title: str, label: str, value: str) -> str | None:
    """One line of text (a setting such as the interpreter path); None if cancelled."""
    text, ok = QInputDialog.getText(parent, title, label, text=value)
    return text if ok else None
