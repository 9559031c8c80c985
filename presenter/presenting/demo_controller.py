"""Demo mode: joins a demo file to the player, the step bar, the clicker keys and notes.

Opening a demo file (its first line is ``# %% demo: TITLE``) starts demo mode: the demo's
tab opens empty, the step bar appears under the editor and output, the clicker's keys
drive the steps (see ``presenting.clicker``), and the speaker's notes go to the presenter
screen on a second screen, or to a strip in the window (F9) with one screen. A demo file
that cannot be used gives a banner naming the line, and opens as text there so it can be
fixed. Ending the demo (or opening another) leaves its tabs open as ordinary tabs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Protocol

from PyQt5 import sip
from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtWidgets import QAction, QWidget

from presenter.core.demo import Demo, DemoError, Step, parse_demo, validate
from presenter.core.talk_clock import TalkClock
from presenter.presenting.clicker import ClickerKeys
from presenter.presenting.countdown import CountdownLabel
from presenter.presenting.notes_strip import NotesStrip
from presenter.presenting.player import DemoPlayer, DemoStage
from presenter.presenting.presenter_screen import PresenterScreen
from presenter.presenting.screens import ScreenFollower
from presenter.presenting.step_bar import StepBar
from presenter.qt.editor import Editor

log = logging.getLogger(__name__)

DEFAULT_SPEED = 30
#: The demo actions whose keys must not count as "the speaker interrupts the typing".
STEP_ACTIONS = ("demo.next", "demo.back")


class DemoHost(DemoStage, Protocol):
    """What demo mode needs of the window, beyond the player's stage."""

    def main_window(self) -> QWidget:
        """The window: the step bar and the notes strip go into it."""

    def open_as_text(self, path: str, line: int | None = None) -> None:
        """Open a demo file as an ordinary tab (to edit it), the caret on ``line``."""

    def speed_setting(self) -> int: ...
    def save_speed_setting(self, speed: int) -> None: ...
    def style_editor(self, editor: Editor) -> None: ...

    def look(self) -> tuple[dict[str, str], int, int]:
        """The theme's ``ui`` colours, the editor's point size and the UI's (zoom)."""


class DemoController(QObject):
    """Owns the demo being given (if any) and everything shown for it."""

    # ---- Signals
    step_started = pyqtSignal(int)
    """A step (its number) starts landing: presentation mode clears its spotlight."""
    clicker_driving_changed = pyqtSignal(bool)
    """True while a demo is open and holds the clicker's keys (the speaker is not typing):
    presentation mode then lets the clicker's bare keys (B and . blank) act in the editor."""

    def __init__(self, host: DemoHost, actions: dict[str, QAction]) -> None:
        super().__init__(host.main_window())
        self.host = host
        self.actions = actions
        self.player: DemoPlayer | None = None
        self._driving: bool | None = None
        #: Where the talk clock and the presenter screen's time of day come from (tests).
        self.now: Callable[[], float] = time.monotonic
        self.wall: Callable[[], datetime] = datetime.now
        self.clock = TalkClock()
        self.notes_on = False
        window = host.main_window()
        self.keys = ClickerKeys(window)
        self.keys.next_pressed.connect(self.next)
        self.keys.back_pressed.connect(self.back)
        self.keys.interrupted.connect(self._finish_typing)
        self.keys.ignore_shortcuts(frozenset(
            int(sequence[0]) for spec_id in STEP_ACTIONS if spec_id in actions
            for sequence in actions[spec_id].shortcuts() if sequence.count()))
        self.bar = StepBar(window)
        self.bar.hide()
        self.bar.next_clicked.connect(self.next)
        self.bar.back_clicked.connect(self.back)
        self.bar.go_to_requested.connect(self.go_to)
        self.bar.speed_chosen.connect(self.set_speed)
        self.bar.notes_clicked.connect(self.toggle_notes)
        self.bar.end_clicked.connect(self.end)
        self.keys.holder_changed.connect(self.bar.show_key_holder)
        self.keys.holder_changed.connect(lambda _demo: self._report_driving())
        self.strip = NotesStrip(self.clock, window)
        self.strip.hide()
        self.strip.pause_clicked.connect(self.toggle_clock)
        window.add_bottom_bar(self.strip)
        window.add_bottom_bar(self.bar)
        self.screen: PresenterScreen | None = None  # made when first needed
        self.screens = ScreenFollower(window)
        self.screens.changed.connect(self._place_notes)
        self.screens.screen_added.connect(self._screen_plugged_in)
        self._enable_actions()

    # ---- Opening
    def open(self, path: str, text: str) -> Editor | None:
        """Start the demo in ``text`` (read from ``path``); a bad file is a banner."""
        try:
            demo = parse_demo(text, path)
            validate(demo)
        except DemoError as exc:
            name = path.replace("\\", "/").rsplit("/", 1)[-1]
            self.host.show_banner(f"{name} is not a demo Presenter can play: {exc}. It is open "
                                  "as text so you can fix it.", "error")
            self.host.open_as_text(path, exc.line)
            return None
        self.start(demo)
        return self.player.editor(demo.file) if self.player else None

    def start(self, demo: Demo) -> None:
        self.end()
        self.player = DemoPlayer(demo, self.host, demo.speed or self.host.speed_setting())
        self.player.changed.connect(self._show_progress)
        self.player.step_started.connect(self._step_started)
        self.clock = TalkClock(demo.length_s, self.now)
        for countdown in self._countdowns():
            countdown.clock = self.clock
        self._show_clock_state()
        self.bar.set_steps([step.title for step in demo.steps])
        self.bar.show_speed(self.player.speed)
        self.keys.active = True
        self.keys.give_to_demo()
        self.bar.show_key_holder(True)
        self._report_driving()
        self.bar.show()
        self.player.start()
        self.notes_on = self.screens.speaker_screen() is not None
        self._place_notes()
        self._enable_actions()
        self.host.show_message(f"Demo “{demo.title}”: {len(demo.steps)} steps. Next: Page "
                               "Down, → or Space (the keys a clicker sends).")
        log.info("demo started: %s (%d steps)", demo.path, len(demo.steps))

    def end(self) -> None:
        """Leave demo mode; the demo's tabs stay as they are."""
        if self.player is None:
            return
        self.player.stop()
        self.player.deleteLater()
        self.player = None
        self.keys.active = False
        self._report_driving()
        self.bar.hide()
        self.strip.hide()
        if self.screen is not None:
            self.screen.close_from_code()
        self._enable_actions()

    # ---- Commands (actions, step bar, clicker keys)
    def next(self) -> None:
        if self.player is not None:
            self.keys.give_to_demo()
            self.player.next()

    def back(self) -> None:
        if self.player is not None:
            self.keys.give_to_demo()
            self.player.back()

    def go_to(self, position: int) -> None:
        if self.player is not None:
            self.keys.give_to_demo()
            self.player.go_to(position)

    def restart(self) -> None:
        self.go_to(0)

    def set_speed(self, speed: int) -> None:
        if self.player is not None:
            self.player.set_speed(speed)
        self.host.save_speed_setting(speed)

    def toggle_notes(self) -> None:
        self.notes_on = not self.notes_on
        self._place_notes()

    def toggle_clock(self) -> None:
        self.clock.toggle_pause()
        self._show_clock_state()

    def edit_source(self) -> None:
        if self.player is not None and self.player.demo.path:
            self.host.open_as_text(self.player.demo.path)

    def handlers(self) -> dict[str, Callable[[], None]]:
        """The action table's demo rows."""
        return {"demo.next": self.next, "demo.back": self.back, "demo.restart": self.restart,
                "demo.notes": self.toggle_notes, "demo.clock": self.toggle_clock,
                "demo.edit": self.edit_source, "demo.end": self.end}

    # ---- The window's side
    def watch(self, widget: QWidget) -> None:
        """Editors and the output pane: where the clicker's keys arrive."""
        self.keys.watch(widget)

    def apply_appearance(self) -> None:
        ui, editor_pt, ui_pt = self.host.look()
        self.strip.apply_appearance(ui, ui_pt)
        if self.screen is not None:
            self.screen.apply_appearance(ui, editor_pt, self.host.style_editor)

    def shutdown(self) -> None:
        """The window closes: no window of ours may outlive it, no filter stay behind."""
        self.end()
        self.keys.stop_watching()
        if self.screen is not None and not sip.isdeleted(self.screen):
            self.screen.close_from_code()
            self.screen.deleteLater()
            self.screen = None

    # ---- Internals
    def _finish_typing(self) -> None:
        if self.player is not None and self.player.is_typing():
            self.player.typist.finish()

    def _step_started(self, number: int) -> None:
        if not self.clock.started:
            self.clock.start()  # the talk starts with its first step
            self._show_clock_state()
        self.step_started.emit(number)

    def _report_driving(self) -> None:
        driving = self.keys.active and self.keys.demo_holds_keys
        if driving != self._driving:
            self._driving = driving
            self.clicker_driving_changed.emit(driving)

    def _show_clock_state(self) -> None:
        for countdown in self._countdowns():
            countdown.refresh()
        word = "Resume" if self.clock.paused else "Pause"
        self.strip.pause_button.setText(word)
        if self.screen is not None:
            self.screen.pause_button.setText(word)
        action = self.actions.get("demo.clock")
        if action is not None:
            action.setText(f"{word} Talk &Clock")

    def _show_progress(self) -> None:
        player = self.player
        if player is None:
            return
        current, upcoming = player.current_step(), player.next_step()
        title = current.title if current else player.demo.title
        notes = current.notes_text if current else player.demo.notes_text
        next_title = f"{upcoming.number} · {upcoming.title}" if upcoming else ""
        self.bar.show_position(player.position, player.total, title, player.is_typing())
        self.bar.show_speed(player.speed)
        self.strip.show_step(notes, next_title)
        if self.screen is not None:
            self.screen.show_step(f"{player.position}/{player.total}", title, notes,
                                  next_title, upcoming.code if upcoming else "",
                                  _where(upcoming) if upcoming else "")

    def _screen_plugged_in(self) -> None:
        if self.player is not None:
            self.notes_on = True  # a projector arrived: the speaker's screen is the other one

    def _place_notes(self) -> None:
        """The presenter screen on the speaker's screen, or the strip with one screen."""
        target = self.screens.speaker_screen() if self.player is not None else None
        showing = self.player is not None and self.notes_on
        if showing and target is not None:
            self.strip.hide()
            screen = self._presenter_screen()
            handle = screen.windowHandle()
            if handle.screen() is not target:
                handle.setScreen(target)
            screen.setGeometry(target.availableGeometry())
            screen.show()
        else:
            if self.screen is not None:
                self.screen.close_from_code()
            self.strip.setVisible(showing)
        self.bar.show_notes_on(showing)
        action = self.actions.get("demo.notes")
        if action is not None:
            action.setChecked(showing)
        self._show_progress()
        self._show_clock_state()

    def _presenter_screen(self) -> PresenterScreen:
        if self.screen is None:
            self.screen = PresenterScreen(self.clock, self.wall)
            self.screen.winId()  # a native window now, so it can be given a screen
            self.screen.next_clicked.connect(self.next)
            self.screen.back_clicked.connect(self.back)
            self.screen.pause_clicked.connect(self.toggle_clock)
            self.screen.closed_by_user.connect(self._presenter_screen_closed)
            self.keys.watch(self.screen, presenter_screen=True)
            ui, editor_pt, _ui_pt = self.host.look()
            self.screen.apply_appearance(ui, editor_pt, self.host.style_editor)
        self.screen.countdown.clock = self.clock
        return self.screen

    def _presenter_screen_closed(self) -> None:
        self.notes_on = False
        self._place_notes()

    def _countdowns(self) -> Iterator[CountdownLabel]:
        yield self.strip.countdown
        if self.screen is not None:
            yield self.screen.countdown

    def _enable_actions(self) -> None:
        active = self.player is not None
        for spec_id in ("demo.next", "demo.back", "demo.restart", "demo.notes", "demo.clock",
                        "demo.edit", "demo.end"):
            action = self.actions.get(spec_id)
            if action is not None:
                action.setEnabled(active)


def _where(step: Step) -> str:
    """Where a step lands and what happens then, for the speaker ("It goes after the line
    containing “def area” in app.py. Runs once typed.")."""
    parts = []
    if step.anchor is not None:
        parts.append(f"It {step.anchor.where()}")
    else:
        parts.append("At the end of the code")
    parts[-1] += f" in {step.file}."
    if step.mode:
        parts.append(f"In {step.mode} mode.")
    if step.run:
        parts.append("Runs once typed.")
    return " ".join(parts)
