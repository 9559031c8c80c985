"""Share and Export Handout in the window, as a speaker uses them (no browser here).

What the room receives is read from the real server over loopback with a plain client;
tests/audience/test_browser.py looks at the same page in Chromium.
"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PyQt5.QtCore import QPoint, Qt
from PyQt5.QtWidgets import QApplication

from presenter.audience.address import choose_address
from presenter.audience.qr import qr_matrix
from presenter.qt import dialogs
from presenter.settings import Settings
from tests.audience.server_client import StreamWatcher, code_text, get
from tests.fakes.board_window import click_toolbar
from tests.presenting.test_demo_mode import open_demo
from tests.workbench.test_run import choose_menu_item

LONG = 30_000  # ms: generous under load; never a speed assertion


def rehearsal_settings(port: int = 0) -> None:
    """Share on this computer only: tests only ever connect to loopback."""
    settings = Settings.load()
    settings.set("audience.loopback", True)
    settings.set("audience.port", port)
    settings.save()


@pytest.fixture
def sharing_bench(make_bench, qtbot):
    """A window with Share pressed (this computer only), serving its page."""
    rehearsal_settings()
    bench = make_bench()
    bench.window.resize(1600, 900)
    click_toolbar(bench, qtbot, "view.share")
    qtbot.waitUntil(lambda: bool(bench.audience.url), timeout=LONG)
    return bench


def wait_code(qtbot, watcher: StreamWatcher, wanted: str) -> None:
    watcher.wait_page(qtbot, lambda page: page.code == wanted)


def test_share_is_off_until_pressed_and_shows_the_address_and_its_qr_code(make_bench, qtbot):
    rehearsal_settings()
    bench = make_bench()
    bench.window.resize(1600, 900)
    action = bench.actions["view.share"]
    assert not action.isChecked() and not bench.audience.is_sharing()
    assert bench.audience.panel is None  # nothing bound, nothing shown
    click_toolbar(bench, qtbot, "view.share")
    qtbot.waitUntil(lambda: bool(bench.audience.url), timeout=LONG)
    url = bench.audience.url
    panel = bench.audience.panel
    assert action.isChecked()
    assert urlsplit(url).hostname == "127.0.0.1"
    assert panel.isVisible() and panel.qr.isVisible()
    assert panel.qr.matrix == qr_matrix(url)
    assert min(panel.qr.width(), panel.qr.height()) >= 160  # big enough to scan
    assert panel.url_label.text().replace("\u200b", "") == url.split("://")[1]
    assert "Nobody is watching yet" in panel.status_label.text()
    pixmap = bench.audience.qr_pixmap(400)  # what the presenter screen can show
    assert pixmap.width() == 400 and not pixmap.toImage().isNull()
    assert get(url, urlsplit(url).path).status == 200


def test_the_room_follows_typing_and_a_run_and_never_sees_other_tabs(sharing_bench, qtbot,
                                                                     keyboard):
    bench = sharing_bench
    other = bench.window.tabs.current()
    other.setText("SECRET = 'not for the room'\n")
    editor = bench.files.new_file()
    editor.setFocus()
    reader = StreamWatcher(bench.audience.url)
    try:
        first = reader.wait_for(qtbot, lambda m: m.get("code"))
        assert "SECRET" not in code_text(first)
        keyboard.type("print('hi', 6 * 7)")
        keyboard.press("Return")
        wait_code(qtbot, reader, "print('hi', 6 * 7)\n")
        qtbot.waitUntil(lambda: bench.audience.viewers == 1, timeout=LONG)
        assert "1 person is watching" in bench.audience.panel.status_label.text()
        keyboard.press("F5")
        reader.wait_page(qtbot, lambda page: "exit code 0" in page.output)
        assert reader.page.lines[0] == [["o", "hi 42"]]
        keyboard.press("Ctrl+Shift+Tab")  # the other tab, now on screen: now the room sees it
        reader.wait_page(qtbot, lambda page: "SECRET" in page.code)
    finally:
        reader.close()


def test_output_already_shown_reaches_a_room_that_arrives_later(make_bench, qtbot):
    rehearsal_settings()
    bench = make_bench()
    bench.window.resize(1600, 900)
    bench.window.output.append_chunks([("stdout", "before sharing\n"), ("stderr", "an error\n")])
    click_toolbar(bench, qtbot, "view.share")
    qtbot.waitUntil(lambda: bool(bench.audience.url), timeout=LONG)
    reader = StreamWatcher(bench.audience.url)
    try:
        lines = reader.wait_for(qtbot, lambda _m: True)["out"]["lines"]
    finally:
        reader.close()
    assert lines[:2] == [[["o", "before sharing"]], [["e", "an error"]]]


def test_this_computer_only_and_stop_sharing_from_the_panel(make_bench, qtbot):
    settings = Settings.load()
    settings.set("audience.port", 0)
    settings.save()
    bench = make_bench()
    bench.window.resize(1600, 900)
    lan = choose_address()
    click_toolbar(bench, qtbot, "view.share")
    if lan is not None:  # a network: the address shown is the network's (never connected to)
        qtbot.waitUntil(lambda: bool(bench.audience.url), timeout=LONG)
        assert urlsplit(bench.audience.url).hostname == lan.address
        assert "on the network" in bench.audience.panel.status_label.text()
    panel = bench.audience.panel
    token = bench.audience.token
    box = panel.loopback_box  # rehearsal: this computer only; a click on its tick box
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(box.height() // 2, box.height() // 2))
    qtbot.waitUntil(lambda: urlsplit(bench.audience.url).hostname == "127.0.0.1", timeout=LONG)
    assert token in bench.audience.url  # the same address for anyone who has it
    assert Settings.load().get("audience.loopback") is True
    url = bench.audience.url
    assert get(url, urlsplit(url).path).status == 200
    server = bench.audience.server

    qtbot.mouseClick(panel.copy_button, Qt.LeftButton)
    assert QApplication.clipboard().text() == url

    qtbot.mouseClick(panel.stop_button, Qt.LeftButton)
    assert not bench.actions["view.share"].isChecked() and not panel.isVisible()
    assert server.join(LONG / 1000)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((urlsplit(url).hostname, urlsplit(url).port), timeout=5)


def test_the_status_bar_button_hides_and_shows_the_panel_while_sharing(sharing_bench, qtbot):
    button = sharing_bench.audience.panel_button
    panel = sharing_bench.audience.panel
    assert button.isVisible() and "0 watching" in button.text()
    qtbot.mouseClick(button, Qt.LeftButton)
    assert not panel.isVisible() and sharing_bench.audience.is_sharing()
    qtbot.mouseClick(button, Qt.LeftButton)
    assert panel.isVisible()


def test_closing_the_window_stops_sharing(sharing_bench, qtbot):
    server = sharing_bench.audience.server
    url = sharing_bench.audience.url
    sharing_bench.window.close()
    assert server.join(LONG / 1000)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((urlsplit(url).hostname, urlsplit(url).port), timeout=5)


def test_an_address_that_cannot_be_used_says_so_and_sharing_stays_off(make_bench, qtbot):
    settings = Settings.load()
    settings.set("audience.address", "203.0.113.7")  # not this machine's: binding fails
    settings.save()
    bench = make_bench()
    bench.window.resize(1600, 900)
    click_toolbar(bench, qtbot, "view.share")
    qtbot.waitUntil(lambda: any("203.0.113.7" in b.text for b in bench.window.banners.banners()),
                    timeout=LONG)
    assert not bench.actions["view.share"].isChecked() and not bench.audience.is_sharing()


def test_export_handout_writes_html_and_markdown_and_the_page_offers_them(
        sharing_bench, qtbot, keyboard, monkeypatch, tmp_path):
    bench = sharing_bench
    editor = bench.window.tabs.current()
    editor.setFocus()
    keyboard.type("print('first run')")
    keyboard.press("F5")
    qtbot.waitUntil(lambda: "exit code 0" in bench.window.output.toPlainText(), timeout=LONG)
    editor.setFocus()
    keyboard.press("Ctrl+A")
    keyboard.type("print('<b>second</b>')")
    keyboard.press("F5")
    qtbot.waitUntil(lambda: "<b>second</b>" in bench.window.output.toPlainText()
                    and not bench.is_running(), timeout=LONG)
    asked = []
    target = tmp_path / "pycon-live-coding.html"
    monkeypatch.setattr(dialogs, "ask_handout_path",
                        lambda parent, suggestion: asked.append(suggestion) or str(target))
    reader = StreamWatcher(bench.audience.url)
    try:
        assert reader.wait_for(qtbot, lambda _m: True)["handout"] is None
        choose_menu_item(bench, qtbot, "file.export_handout")
        assert asked and asked[0].endswith(".html")
        html = target.read_text(encoding="utf-8")
        markdown = target.with_suffix(".md").read_text(encoding="utf-8")
        assert "<h1>Pycon live coding</h1>" in html
        assert "first run" in html and "&lt;b&gt;second&lt;/b&gt;" in html
        assert markdown.startswith("# Pycon live coding\n")
        assert "### Run 1: untitled" in markdown and "### Run 2: untitled" in markdown
        assert "The code that ran:\n\n```python\nprint('first run')\n```" in markdown
        assert "```text\n<b>second</b>\n" in markdown
        offered = reader.wait_for(qtbot, lambda m: m.get("handout"))
        assert offered["handout"] == {"html": "handout.html", "md": "handout.md"}
    finally:
        reader.close()
    path = urlsplit(bench.audience.url).path
    assert get(bench.audience.url, path + "handout.html").body.decode("utf-8") == html
    assert "Handout written" in bench.window.status.currentMessage()


def test_a_handout_that_cannot_be_written_says_why_and_writes_nothing(bench, qtbot, monkeypatch,
                                                                      tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    monkeypatch.setattr(dialogs, "ask_handout_path",
                        lambda parent, suggestion: str(blocked / "talk.html"))
    choose_menu_item(bench, qtbot, "file.export_handout")
    assert any("handout was not written" in b.text for b in bench.window.banners.banners())
    assert blocked.read_text() == "in the way"
    assert not list(Path(tmp_path).glob("**/talk.*"))


TWO_FILES = """\
# %% demo: Turtles in ten minutes
# %% file: shapes.py

# %% step: Import turtle
import turtle

# %% step: A helper
# %% file: helper.py
SIDE = 100

# %% step: Draw
# %% file: shapes.py
turtle.forward(100)
"""


def test_a_demo_shows_its_step_on_the_page_and_files_each_landed_step_for_the_handout(
        sharing_bench, qtbot, answers, keyboard, monkeypatch, tmp_path):
    bench = sharing_bench
    bench.settings.set("demo.speed", 0)
    reader = StreamWatcher(bench.audience.url)
    try:
        reader.wait_for(qtbot, lambda _m: True)
        open_demo(bench, qtbot, answers, keyboard, tmp_path, TWO_FILES, "turtles.demo.py")
        qtbot.waitUntil(lambda: bench.demos.player is not None, timeout=LONG)
        qtbot.waitUntil(bench.window.tabs.current().hasFocus, timeout=LONG)
        keyboard.press("PgDown")  # the clicker: step 1 types into shapes.py
        reader.wait_for(qtbot, lambda m: m.get("demo") == {"index": 1, "count": 3,
                                                             "title": "Import turtle"})
        keyboard.press("PgDown")  # step 2 lands in another tab
        reader.wait_for(qtbot, lambda m: (m.get("demo") or {}).get("index") == 2)
        wait_code(qtbot, reader, "SIDE = 100\n")  # the room follows the tab the demo shows
        keyboard.press("PgDown")
        reader.wait_for(qtbot, lambda m: (m.get("demo") or {}).get("index") == 3)
        bench.demos.end()  # as the step bar's End does
        reader.wait_for(qtbot, lambda m: "demo" in m and m["demo"] is None)
    finally:
        reader.close()
    monkeypatch.setattr(dialogs, "ask_handout_path",
                        lambda parent, suggestion: str(tmp_path / "talk.html"))
    choose_menu_item(bench, qtbot, "file.export_handout")
    markdown = (tmp_path / "talk.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Turtles in ten minutes\n")  # the demo's title
    # Each step with the code of its own tab once it had landed (step 2: helper.py, though
    # the next step was typed into shapes.py after it).
    assert "### Step 1/3: Import turtle\n\nIn shapes.py" in markdown
    assert "```python\nimport turtle\n```" in markdown
    assert "### Step 2/3: A helper\n\nIn helper.py" in markdown
    assert "```python\nSIDE = 100\n```" in markdown
    assert "### Step 3/3: Draw" in markdown
    assert "```python\nimport turtle\nturtle.forward(100)\n```" in markdown
