"""Status-bar buttons about boards: which board is in use (and picking another), and hints.

Thin widgets: they show text and report clicks. What a board is, and what picking one does,
belongs to the board modes and the workbench.

Why a status-bar button instead of a dialog: with several boards plugged in the speaker picks
one in two clicks without anything covering the stage; with one board it is just a label
saying which board and port are in use (or "no board").
"""

from __future__ import annotations

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QMenu, QToolButton, QWidget


class BoardButton(QToolButton):
    """``micro:bit v1.0.1 on /dev/ttyACM0`` or ``no board``; a click lists the boards to pick."""

    # ---- Signals

    board_chosen = pyqtSignal(str)
    """The user picked the board on this port from the menu."""

    menu_about_to_show = pyqtSignal()
    """The menu is about to open: the owner may refresh the choices now."""

    # ---- Construction

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BoardButton")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.setText("no board")
        self.menu_widget = QMenu(self)
        self.menu_widget.setObjectName("BoardMenu")
        self._choices: list[tuple[str, str, bool]] = []
        self._empty_text = "No board found"
        self.clicked.connect(self.show_menu)

    # ---- Public API

    def set_state(self, text: str, tip: str = "") -> None:
        """What the button says (the board and port, "connecting…", "no board")."""
        self.setText(text)
        self.setToolTip(tip or text)

    def set_choices(self, choices: list[tuple[str, str, bool]], empty_text: str = "") -> None:
        """``(port, label, current)`` per board; ``empty_text`` says what to do when none."""
        self._choices = list(choices)
        if empty_text:
            self._empty_text = empty_text

    def show_menu(self) -> None:
        """Pop up the list of boards under the button (never blocks: no nested event loop)."""
        self.menu_about_to_show.emit()
        menu = self.menu_widget
        menu.clear()
        if not self._choices:
            info = menu.addAction(self._empty_text)
            info.setEnabled(False)
        for port, label, current in self._choices:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(current)
            action.triggered.connect(lambda _checked=False, p=port: self.board_chosen.emit(p))
        menu.adjustSize()
        # Above the button (the status bar is at the bottom), its right edge on the button's:
        # the button sits at the right end of the window.
        hint = menu.sizeHint()
        where = self.mapToGlobal(self.rect().topRight())
        where.setX(max(0, where.x() - hint.width()))
        where.setY(where.y() - hint.height())
        menu.popup(where)


class HintButton(QToolButton):
    """A one-line offer in the status bar ("micro:bit plugged in: use micro:bit mode")."""

    # ---- Construction

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HintButton")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.hide()

    def offer(self, text: str, tip: str = "") -> None:
        self.setText(text)
        self.setToolTip(tip or text)
        self.show()

    def withdraw(self) -> None:
        self.hide()
