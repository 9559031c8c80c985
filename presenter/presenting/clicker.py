"""The keys a presentation clicker sends drive the demo, without stealing typing.

A clicker is a keyboard with a few keys: most send Page Down / Page Up, some Right / Left
or Space. The focus is in the editor while they are pressed, where those same keys move the
caret and type spaces. The rule, while a demo is open:

* **Page Down / Page Up** always mean Next / Back (in the editor, the output pane and the
  presenter screen): paging through code is what a mouse wheel is for on stage.
* **Right, Space / Left** mean Next / Back while *the demo holds the keys*: from the moment
  a step lands (or Back, or a reset) until the speaker types. The first other key the
  speaker presses in the editor or the output pane (a letter, Enter, Backspace, an arrow up
  or down, ...), or a mouse click there, hands the keys to the speaker: from then on Right,
  Left and Space edit as usual, and that first key does what it always does. The next step
  (Page Down, the Next button) or **Esc** gives them back to the demo.
* On the presenter screen nothing is typed, so all five keys always drive the demo.

While a step is being typed, any key other than the clicker's (a shortcut such as F5 Run or
Ctrl+Z included) first finishes the step at once, so it acts on the whole step and nothing
the speaker types lands inside the step's code.
"""

from __future__ import annotations

from PyQt5 import sip
from PyQt5.QtCore import QEvent, QObject, Qt, pyqtSignal
from PyQt5.QtGui import QKeyEvent
from PyQt5.QtWidgets import QWidget

ALWAYS_NEXT = (Qt.Key_PageDown,)
ALWAYS_BACK = (Qt.Key_PageUp,)
HELD_NEXT = (Qt.Key_Right, Qt.Key_Space)
HELD_BACK = (Qt.Key_Left,)
CLICKER_KEYS = frozenset(ALWAYS_NEXT + ALWAYS_BACK + HELD_NEXT + HELD_BACK)
_MODIFIER_KEYS = frozenset((Qt.Key_Shift, Qt.Key_Control, Qt.Key_Alt, Qt.Key_Meta,
                            Qt.Key_AltGr, Qt.Key_CapsLock, Qt.Key_NumLock))
# Modifiers a clicker key may carry and still be one (the keypad's Page Down is one).
_IGNORED = int(Qt.KeypadModifier)


class ClickerKeys(QObject):
    """Event filter on the editors, the output pane and the presenter screen."""

    # ---- Signals
    next_pressed = pyqtSignal()
    back_pressed = pyqtSignal()
    interrupted = pyqtSignal()
    """A key that is not the clicker's is about to act: finish a step being typed first."""
    holder_changed = pyqtSignal(bool)
    """True: the demo holds Right, Left and Space; False: the speaker types with them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.active = False
        self.demo_holds_keys = True
        self._watched: list[QWidget] = []
        self._presenter_widgets: set[int] = set()
        self._own_shortcuts: frozenset[int] = frozenset()

    # ---- Public API
    def watch(self, widget: QWidget, presenter_screen: bool = False) -> None:
        """Filter ``widget``'s keys; ``presenter_screen``: nothing is typed there."""
        widget.installEventFilter(self)
        self._watched.append(widget)
        if presenter_screen:
            self._presenter_widgets.add(id(widget))

    def stop_watching(self) -> None:
        """Take every filter off (the window is closing: no Python filter at teardown)."""
        for widget in self._watched:
            if not sip.isdeleted(widget):
                widget.removeEventFilter(self)
        self._watched.clear()
        self._presenter_widgets.clear()

    def ignore_shortcuts(self, codes: frozenset[int]) -> None:
        """The demo's own shortcuts (Alt+PgDown, ...): they must not count as interruptions,
        or Next during typing would finish the step and then type the next one as well."""
        self._own_shortcuts = codes

    def give_to_demo(self) -> None:
        self._set_holder(True)

    def give_to_speaker(self) -> None:
        self._set_holder(False)

    # ---- The filter
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if not self.active:
            return False
        kind = event.type()
        if kind == QEvent.KeyPress:
            return self._key_press(watched, event)
        if kind == QEvent.ShortcutOverride:
            if event.key() == Qt.Key_Escape:  # also when Esc is a shortcut (spotlight off)
                self._set_holder(True)
            elif not self._is_clicker_key(event) and _code(event) not in self._own_shortcuts \
                    and event.key() not in _MODIFIER_KEYS:
                self.interrupted.emit()
            return False
        if kind == QEvent.MouseButtonPress and id(watched) not in self._presenter_widgets:
            self.interrupted.emit()
            self._set_holder(False)
        return False

    def _key_press(self, watched: QObject, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False
        plain = self._is_clicker_key(event)
        on_presenter_screen = id(watched) in self._presenter_widgets
        if plain and (key in ALWAYS_NEXT or key in ALWAYS_BACK
                      or self.demo_holds_keys or on_presenter_screen):
            if event.isAutoRepeat():
                return True  # a held clicker button must not race through the demo
            if key in ALWAYS_NEXT or key in HELD_NEXT:
                self.next_pressed.emit()
            else:
                self.back_pressed.emit()
            return True
        if key == Qt.Key_Escape:
            self._set_holder(True)
            return False
        if not on_presenter_screen:
            self.interrupted.emit()
            self._set_holder(False)
        return False

    def _is_clicker_key(self, event: QKeyEvent) -> bool:
        modifiers = int(event.modifiers()) & ~_IGNORED
        return event.key() in CLICKER_KEYS and modifiers == 0

    def _set_holder(self, demo: bool) -> None:
        if demo != self.demo_holds_keys:
            self.demo_holds_keys = demo
            self.holder_changed.emit(demo)


def _code(event: QKeyEvent) -> int:
    return int(event.key()) | (int(event.modifiers()) & int(Qt.KeyboardModifierMask)
                               & ~_IGNORED)
