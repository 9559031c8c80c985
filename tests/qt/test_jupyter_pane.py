"""The Python REPL pane on a real IPython kernel: typing, themes, zoom, its own messages."""

from __future__ import annotations

import sys

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QAction

from presenter.core.themes import load_theme
from presenter.local.kernel import KernelProcess
from presenter.qt.jupyter_pane import JupyterPane

LONG = 60_000  # ms: a kernel's first start on a busy machine; never a speed assertion


@pytest.fixture
def pane(qtbot, tmp_path):
    kernel = KernelProcess(sys.executable, cwd=tmp_path)
    widget = JupyterPane()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    widget.set_theme(load_theme("night"))
    widget.set_font_size(20, "DejaVu Sans Mono")
    widget.connect_kernel(kernel.start())
    qtbot.waitUntil(widget.is_ready, timeout=LONG)
    yield widget
    widget.disconnect_kernel()
    kernel.shutdown()


def type_line(qtbot, pane: JupyterPane, text: str) -> None:
    target = pane.input_widget()
    target.setFocus()
    qtbot.waitUntil(target.hasFocus, timeout=LONG)
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key_Return)


def test_typed_code_runs_and_its_output_shows(pane, qtbot):
    assert "In [1]:" in pane.text()
    type_line(qtbot, pane, "print(6 * 7)")
    qtbot.waitUntil(lambda: "42" in pane.text() and "In [2]:" in pane.text(), timeout=LONG)
    type_line(qtbot, pane, "[n * n for n in range(4)]")
    qtbot.waitUntil(lambda: "Out[2]: [0, 1, 4, 9]" in pane.text(), timeout=LONG)


def test_rich_output_shows_an_image_inline(pane, qtbot):
    """A PNG the code displays (as a matplotlib figure would be) becomes an image in the text."""
    code = ("from IPython.display import Image, display; import base64; "
            "display(Image(data=base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"
            "AAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==')))")
    type_line(qtbot, pane, code)
    qtbot.waitUntil(lambda: "In [2]:" in pane.text(), timeout=LONG)
    assert console_images(pane) == 1


def test_execute_puts_back_what_was_half_typed(pane, qtbot):
    target = pane.input_widget()
    target.setFocus()
    qtbot.keyClicks(target, "half_typ")
    assert pane.execute("y = 5")
    qtbot.waitUntil(lambda: "In [2]:" in pane.text(), timeout=LONG)
    qtbot.waitUntil(lambda: pane.console.input_buffer == "half_typ", timeout=LONG)


def test_the_console_takes_the_themes_colours_and_the_zoomed_font(pane):
    night = load_theme("night")
    sheet = pane.console.style_sheet
    assert f"background-color: {night.terminal['paper']}" in sheet
    assert "font-size: 20pt" in sheet
    assert pane.console.font.pointSize() == 20
    pane.set_font_size(26, "DejaVu Sans Mono")
    pane.set_theme(load_theme("day"))
    assert "font-size: 26pt" in pane.console.style_sheet
    assert f"background-color: {load_theme('day').terminal['paper']}" in pane.console.style_sheet
    assert pane.console.font.pointSize() == 26
    red = load_theme("day").terminal["red"]
    assert pane.console._ansi_processor.get_color(1).name() == red


def test_qtconsoles_own_shortcuts_are_gone(pane):
    """Ctrl+S, Ctrl+Shift+P, Ctrl++, Ctrl+-, Ctrl+0 belong to the window's action table."""
    taken = [(a.text(), a.shortcut().toString()) for a in pane.console.findChildren(QAction)
             + pane.console.actions() if not a.shortcut().isEmpty()]
    for key in ("Ctrl+S", "Ctrl+Shift+P", "Ctrl++", "Ctrl+-", "Ctrl+0", "Ctrl+Shift+A"):
        assert all(QKeySequence(key) != QKeySequence(shortcut) for _text, shortcut in taken), taken


def test_the_buttons_ask_the_mode_to_interrupt_and_restart(pane, qtbot):
    with qtbot.waitSignal(pane.interrupt_requested, timeout=LONG):
        qtbot.mouseClick(pane.interrupt_button, Qt.LeftButton)
    with qtbot.waitSignal(pane.restart_requested, timeout=LONG):
        qtbot.mouseClick(pane.restart_button, Qt.LeftButton)


def test_a_message_takes_the_consoles_place_with_the_command_to_copy(qtbot):
    widget = JupyterPane()
    qtbot.addWidget(widget)
    widget.show()
    widget.show_message("The REPL needs ipykernel.", "/x/python -m pip install ipykernel")
    assert widget.message.isVisible() and widget.message.text() == "The REPL needs ipykernel."
    assert widget.command.isVisible() and widget.command.isReadOnly()
    assert widget.command.text() == "/x/python -m pip install ipykernel"
    assert not widget.interrupt_button.isEnabled()


def console_images(pane: JupyterPane) -> int:
    """How many images the console shows (figures, displayed PNGs)."""
    document = pane.input_widget().document()
    return sum(fmt.isImageFormat() for block in _blocks(document) for fmt in _formats(block))


def _blocks(document):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def _formats(block):
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.isValid():
            yield fragment.charFormat()
        iterator += 1
