"""Share: the room follows the live code in a browser; and the handout they take home.

This joins the Qt-free ``presenter.audience`` package (the server, the page, the handout)
to the window: the Share toolbar button starts and stops the server, the Share panel
shows the address and its QR code, ``AudienceFeed`` keeps the page current, ``RunLog``
remembers each run for File > Export Handout.

Demo mode (``follow_demos``): the page shows "Step 3/7", the handout gets each step's code
as it stood once the step had landed, and the demo's title names the handout. The presenter
screen shows the address and its QR code while sharing (``qr_pixmap`` draws it).

The server (aiohttp), the QR encoder and the handout's highlighter are imported when first
used: Share is off by default, and they cost about 150 ms that no start-up should pay.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtGui import QPixmap
from PyQt5.QtWidgets import QApplication, QToolButton

from presenter.audience.live import DemoStep, LiveState
from presenter.audience.token import new_token
from presenter.qt.share_panel import SharePanel, qr_pixmap
from presenter.workbench.audience_feed import AudienceFeed
from presenter.workbench.run_log import RunLog

if TYPE_CHECKING:
    from presenter.audience.handout import Handout, StepRecord
    from presenter.audience.server import AudienceServer
    from presenter.presenting.demo_controller import DemoController
    from presenter.workbench.workbench import Workbench

log = logging.getLogger(__name__)

ACTION_ID = "view.share"
LOOPBACK_KEY = "audience.loopback"
ADDRESS_KEY = "audience.address"
PORT_KEY = "audience.port"
DEFAULT_PORT = 8765
PRESENTER_SCREEN_QR_PX = 180  # for the speaker to read out or hold up; the room has the panel


class Audience(QObject):
    """The Share toggle, its panel and server, and the handout's records."""

    # ---- Signals
    sharing_changed = pyqtSignal(str)
    """The audience page's address, once it is served; "" when sharing stopped."""
    viewers_changed = pyqtSignal(int)
    """How many browsers follow the page now."""
    _server_started = pyqtSignal(object, object, object)  # server, url, error (from its thread)
    _server_viewers = pyqtSignal(object, int)  # server, count (from its thread)

    def __init__(self, bench: Workbench) -> None:
        super().__init__(bench.window)
        self.bench = bench
        self.live = LiveState()
        self.feed = AudienceFeed(bench.window, self.live)
        self.runs = RunLog(bench.window.output)
        self.server: AudienceServer | None = None
        self.url = ""
        self.matrix: list[list[bool]] = []
        self.viewers = 0
        # One token for the window's life: Share off and on again (or a switch to "this
        # computer only" and back) keeps the address people already have.
        self.token = new_token()
        self.panel: SharePanel | None = None
        self.panel_button: QToolButton | None = None
        self.talk_title = ""
        self.demo_step: DemoStep | None = None
        self.steps: dict[int, StepRecord] = {}
        self._demo = None  # the demo whose steps are filed
        self._interface = ""
        self._start_note = ""
        self._server_started.connect(self._on_started)
        self._server_viewers.connect(self._on_viewers)

    # ---- Public API
    def is_sharing(self) -> bool:
        return self.server is not None

    def toggle(self) -> None:
        """The Share button and View > Share."""
        self.set_sharing(not self.is_sharing())

    def set_sharing(self, on: bool) -> None:
        if on and not self.is_sharing():
            self._start()
        elif not on and self.is_sharing():
            self._stop()
            self.bench.show_message("Sharing stopped: the audience page is closed.")
        self._show_checked()

    def qr_pixmap(self, size: int) -> QPixmap | None:
        """The address's QR code, ``size`` pixels square (the presenter screen); None if off."""
        return qr_pixmap(self.matrix, size) if self.url else None

    def running_changed(self, running: bool) -> None:
        """The workbench's Run/Stop state: a run starting opens its record for the handout."""
        if not running:
            return
        editor = self.bench.window.tabs.current()
        if editor is not None:
            step = self.demo_step
            label = f"step {step.index}/{step.count}" if step else ""
            self.runs.run_started(editor.info.title, editor.text(), label)

    def set_talk_title(self, title: str) -> None:
        """The talk's title (a demo's), for the handout."""
        self.talk_title = title

    def set_demo_step(self, index: int, count: int, title: str = "") -> None:
        """Show step ``index`` of ``count`` (from 1) on the page; 0 or less: no step (the
        demo has not begun, or it ended)."""
        self.demo_step = DemoStep(index, count, title) if index > 0 else None
        self.live.set_demo(self.demo_step)
        self.live.publish()

    def file_step(self, step: StepRecord) -> None:
        """A demo step has landed: ``step.code`` is what the handout shows for it."""
        self.steps[step.index] = step

    def follow_demos(self, demos: DemoController) -> None:
        """Demo mode's steps go to the page and the handout; its presenter screen shows
        the address while sharing."""
        demos.progress_changed.connect(lambda position, total, title:
                                       self._demo_progress(demos, position, total, title))
        self.sharing_changed.connect(lambda _url: self._show_on_presenter_screen(demos))

    def export_handout(self) -> None:
        """File > Export Handout: HTML and Markdown; the page offers them from then on."""
        from presenter.workbench.handout_export import export_handout

        export_handout(self)

    def build_handout(self, title: str) -> Handout:
        from presenter.audience.handout import Handout

        tabs = self.bench.window.tabs
        files = tuple((editor.info.title, editor.text()) for editor in tabs.editors())
        steps = tuple(self.steps[index] for index in sorted(self.steps))
        return Handout(self.talk_title or title, date.today(), files, steps,
                       tuple(self.runs.records()))

    def shutdown(self) -> None:
        """The window closes: the page stops with it."""
        if self.is_sharing():
            self._stop()

    # ---- Internals: sharing
    def _start(self) -> None:
        from presenter.audience.address import LOOPBACK, choose_address
        from presenter.audience.server import AudienceServer

        settings = self.bench.settings
        loopback = bool(settings.get(LOOPBACK_KEY, False))
        candidate = choose_address(str(settings.get(ADDRESS_KEY, "") or ""), loopback)
        note = ""
        if candidate is None:
            candidate = choose_address(loopback=True)
            note = ("No network found: only this computer can open the page. Join the "
                    "room's Wi-Fi, then press Share twice.")
        port = settings.get(PORT_KEY, DEFAULT_PORT)
        port = port if isinstance(port, int) and 0 <= port < 65536 else DEFAULT_PORT
        self._interface = candidate.interface
        server = AudienceServer(self.live, token=self.token)
        self.server = server
        self.feed.start()
        self._ensure_panel()
        self.panel.set_loopback(candidate.address == LOOPBACK)
        self.panel.show_address("", [])
        self.panel.show_status(note or "Starting…")
        self._start_note = note
        self.panel.show()
        server.start(candidate.address, port,
                     on_started=lambda url, error: self._server_started.emit(server, url, error),
                     on_viewers=lambda count: self._server_viewers.emit(server, count))

    def _stop(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.stop()
        self.feed.stop()
        self.url = ""
        self.matrix = []
        self.viewers = 0
        if self.panel is not None:
            self.panel.hide()
        if self.panel_button is not None:
            self.panel_button.hide()
        self.sharing_changed.emit("")

    def _on_started(self, server: AudienceServer, url: str | None, error: str | None) -> None:
        if server is not self.server:
            return  # an earlier server, stopped or replaced since
        if error or not url:
            log.warning("sharing failed: %s", error)
            self._stop()
            self._show_checked()
            self.bench.show_banner(f"{error}. Sharing is off; check the network, or turn on "
                                   "“This computer only” to rehearse.", "error")
            return
        from presenter.audience.qr import qr_matrix

        self.url = url
        self.matrix = qr_matrix(url)
        self.panel.show_address(url, self.matrix)
        self._show_viewers()
        self.panel_button.show()
        self.bench.show_message(f"Sharing the code at {url}")
        self.sharing_changed.emit(url)

    def _on_viewers(self, server: AudienceServer, count: int) -> None:
        if server is self.server:
            self.viewers = count
            self._show_viewers()
            self.viewers_changed.emit(count)

    def _show_viewers(self) -> None:
        if self.panel is None or not self.url:
            return
        watching = {0: "Nobody is watching yet", 1: "1 person is watching"}.get(
            self.viewers, f"{self.viewers} people are watching")
        where = "this computer only" if self._interface == "this computer only" else \
            f"on the network ({self._interface})"
        status = f"{watching} · {where}"
        if self._start_note:
            status = f"{self._start_note}\n{status}"
        self.panel.show_status(status)
        if self.panel_button is not None:
            self.panel_button.setText(f"Sharing · {self.viewers} watching")

    def _set_loopback(self, on: bool) -> None:
        """The panel's "This computer only": remembered, and sharing moves there now."""
        self.bench.settings.set(LOOPBACK_KEY, on)
        self.bench.save_settings()
        if self.is_sharing():
            self._stop()
            self._start()
            self._show_checked()

    def _copy_link(self) -> None:
        if self.url:
            QApplication.clipboard().setText(self.url)
            self.bench.show_message(f"Copied {self.url}")

    def _toggle_panel(self) -> None:
        if self.panel is not None:
            self.panel.setVisible(self.panel.isHidden())

    def _ensure_panel(self) -> None:
        if self.panel is not None:
            return
        window = self.bench.window
        self.panel = SharePanel(window)
        self.panel.hide()
        self.panel.loopback_toggled.connect(self._set_loopback)
        self.panel.copy_clicked.connect(self._copy_link)
        self.panel.stop_clicked.connect(lambda: self.set_sharing(False))
        window.add_pane(self.panel, "side")
        # In the status bar while sharing: how many watch; a click shows or hides the panel
        # (the QR code is needed at the start, the room's width later).
        self.panel_button = QToolButton(window)
        self.panel_button.setObjectName("SharePanelButton")
        self.panel_button.setToolTip("Show or hide the audience page's address and QR code")
        self.panel_button.setAutoRaise(True)
        self.panel_button.clicked.connect(self._toggle_panel)
        self.panel_button.hide()
        window.status.addPermanentWidget(self.panel_button)

    def _show_checked(self) -> None:
        action = self.bench.actions.get(ACTION_ID)
        if action is not None:
            action.setChecked(self.is_sharing())

    # ---- Internals: demo mode
    def _demo_progress(self, demos: DemoController, position: int, total: int, title: str) -> None:
        player = demos.player
        if player is not None and player.demo is not self._demo:
            self._demo = player.demo  # another demo: the handout's steps are its own
            self.steps = {}
            self.set_talk_title(player.demo.title)
        self.set_demo_step(position, total, title)
        step = player.current_step() if player is not None else None
        editor = player.editor(step.file) if step is not None else None
        if editor is not None and not player.is_typing():
            from presenter.audience.handout import StepRecord

            self.file_step(StepRecord(step.number, total, step.title, step.file, editor.text()))
        self._show_on_presenter_screen(demos)

    def _show_on_presenter_screen(self, demos: DemoController) -> None:
        if demos.screen is not None:
            demos.screen.show_share(self.url, self.qr_pixmap(PRESENTER_SCREEN_QR_PX))
