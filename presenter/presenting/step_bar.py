"""The demo's step bar: where the talk is ("3/7 Draw a square"), Back/Next, speed, go to.

It stays visible in presentation mode (the audience sees the step count, which helps them
follow), so it is one slim row. None of its controls takes the keyboard focus: a click on
Next must leave the focus in the editor, where the clicker's keys and the speaker's typing
go. It only shows and reports; the demo player decides.
"""

from __future__ import annotations

from PyQt5.QtCore import QSize, Qt, pyqtSignal
from PyQt5.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from presenter.core.demo import INSTANT, MAX_SPEED, MIN_SPEED
from presenter.qt.labels import ElidedLabel

#: The speeds offered, in characters a second; INSTANT (0) is "at once".
SPEEDS = (5, 10, 15, 20, 30, 40, 50, 75, 100, INSTANT)


def speed_text(speed: int) -> str:
    return "At once" if speed == INSTANT else f"{speed} char/s"


class StepBar(QFrame):
    """One row under the editor and output while a demo is open."""

    # ---- Signals
    next_clicked = pyqtSignal()
    back_clicked = pyqtSignal()
    go_to_requested = pyqtSignal(int)
    """Restore the snapshot after this many steps (0: the start)."""
    speed_chosen = pyqtSignal(int)
    """Characters a second, or INSTANT."""
    notes_clicked = pyqtSignal()
    end_clicked = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StepBar")
        self.setFrameShape(QFrame.NoFrame)
        self.setAttribute(Qt.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        # The bar decides its own minimum (see minimumSizeHint): what does not fit is hidden.
        layout.setSizeConstraint(QHBoxLayout.SetNoConstraint)
        self._layout = layout
        self.back_button = self._button("◀ Back", "Previous step (clicker: Page Up or ←)",
                                        self.back_clicked)
        self.next_button = self._button("Next ▶", "Next step (clicker: Page Down, → or Space)",
                                        self.next_clicked)
        self.count_label = QLabel("0/0", self)
        self.count_label.setObjectName("StepCount")
        self.title_label = ElidedLabel("", self)
        self.title_label.setObjectName("StepTitle")
        self.keys_label = QLabel("", self)
        self.keys_label.setObjectName("StepKeys")
        self.speed_box = ListBox(self)
        self.speed_box.setObjectName("StepSpeed")
        self.speed_box.setToolTip(f"Typing speed: {MIN_SPEED}-{MAX_SPEED} characters a "
                                  "second, or the whole step at once")
        for speed in SPEEDS:
            self.speed_box.addItem(speed_text(speed), speed)
        self.speed_box.activated.connect(
            lambda index: self.speed_chosen.emit(int(self.speed_box.itemData(index))))
        self.go_box = ListBox(self)
        self.go_box.setObjectName("StepGoTo")
        self.go_box.setToolTip("Reset the code to how it was after this step")
        self.go_box.activated.connect(self._go_to_chosen)
        # Step titles can be long: the box shows the start of the current one, its open
        # list the whole of each (ListBox).
        self.go_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.go_box.setMinimumContentsLength(12)
        self.notes_button = self._button("Notes", "Speaker notes (F9): the presenter screen, "
                                                  "or a strip here with one screen",
                                         self.notes_clicked)
        self.notes_button.setCheckable(True)
        self.end_button = self._button("End", "End the demo (its tabs stay open)",
                                       self.end_clicked)
        for box in (self.speed_box, self.go_box):
            box.setFocusPolicy(Qt.NoFocus)
        layout.addWidget(self.back_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.count_label)
        layout.addWidget(self.title_label, 1)
        layout.addWidget(self.keys_label)
        layout.addWidget(self.speed_box)
        layout.addWidget(self.go_box)
        layout.addWidget(self.notes_button)
        layout.addWidget(self.end_button)
        #: Hidden in this order when the window is too narrow for the whole bar (a big zoom
        #: on a 1024-pixel projector); Back, Next, the count and the title always show.
        self.optional = (self.keys_label, self.speed_box, self.go_box, self.notes_button,
                         self.end_button)

    # ---- Public API
    def set_steps(self, titles: list[str]) -> None:
        """The go-to list: "Start", then "1 · title" for each step."""
        self.go_box.clear()
        self.go_box.addItem("Go to: start", 0)
        for number, title in enumerate(titles, start=1):
            self.go_box.addItem(f"Go to {number} · {title}", number)

    def show_position(self, position: int, total: int, title: str, typing: bool) -> None:
        self.count_label.setText(f"{position}/{total}")
        shown = title + (" (typing…)" if typing else "")
        self.title_label.setText(shown)
        self.back_button.setEnabled(position > 0)
        self.next_button.setEnabled(position < total or typing)
        index = self.go_box.findData(position)
        if index >= 0:
            self.go_box.setCurrentIndex(index)

    def show_speed(self, speed: int) -> None:
        index = self.speed_box.findData(speed)
        if index < 0:  # a demo file's own speed, between the offered ones
            self.speed_box.addItem(speed_text(speed), speed)
            index = self.speed_box.count() - 1
        self.speed_box.setCurrentIndex(index)

    def show_key_holder(self, demo_holds_keys: bool) -> None:
        """Whether →, ← and Space drive the demo now or type (see presenting.clicker)."""
        self.keys_label.setText("→ ← Space: demo" if demo_holds_keys else "→ ← Space: typing")
        self.keys_label.setToolTip(
            "→, ← and Space drive the demo until you type; Esc or the next step gives them "
            "back. Page Down / Page Up always do." if demo_holds_keys else
            "You are typing: →, ← and Space edit. Page Down / Page Up drive the demo; Esc "
            "gives → ← Space back to it.")

    def show_notes_on(self, on: bool) -> None:
        self.notes_button.setChecked(on)

    # ---- Fitting a narrow window
    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """Only what always shows: the bar never makes the window wider than the screen."""
        hint = super().minimumSizeHint()
        optional = sum(self._width_of(w) for w in self.optional)
        return QSize(max(0, self._full_width() - optional), hint.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        spare = self.width() - self._full_width()
        left_out: set[int] = set()
        for widget in self.optional:  # leave out the least needed first, until it fits
            if spare >= 0:
                break
            left_out.add(id(widget))
            spare += self._width_of(widget)
        for widget in self.optional:
            widget.setVisible(id(widget) not in left_out)

    def _full_width(self) -> int:
        """The bar's minimum width with every control showing."""
        margins = self._layout.contentsMargins()
        count = self._layout.count()
        widths = sum(self._width_of(self._layout.itemAt(i).widget()) for i in range(count))
        return (widths + self._layout.spacing() * (count - 1) + margins.left()
                + margins.right())

    @staticmethod
    def _width_of(widget: QWidget) -> int:
        return max(widget.minimumSizeHint().width(), widget.minimumWidth())

    # ---- Internals
    def _button(self, text: str, tip: str, signal) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.NoFocus)  # the focus stays where the speaker types
        button.setToolButtonStyle(Qt.ToolButtonTextOnly)
        button.clicked.connect(lambda _checked=False: signal.emit())
        return button

    def _go_to_chosen(self, index: int) -> None:
        self.go_to_requested.emit(int(self.go_box.itemData(index)))


class ListBox(QComboBox):
    """A drop-down list whose open list is as wide as its longest entry.

    The box stays narrow in the bar; its list, measured when it opens (at the zoom and
    theme of the moment), never cuts a step's title.
    """

    def showPopup(self) -> None:  # noqa: N802 (Qt name)
        view = self.view()
        metrics = view.fontMetrics()
        text = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())),
                   default=0)
        wanted = (text + 3 * metrics.height() + 2 * view.frameWidth()
                  + view.verticalScrollBar().sizeHint().width())
        # QComboBox gives the list the box's width (wider only in Mac-style popups); its
        # container honours a minimum width.
        view.parentWidget().setMinimumWidth(wanted)
        super().showPopup()
