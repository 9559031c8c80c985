"""The audience page in a real browser: Debian's Chromium, headless, driven by chromedriver.

The window is a real Workbench; the speaker presses Share and types with real keys in its
editor; the page is opened from the address the window shows (this computer only). One
browser serves the whole module (starting Chromium costs a second or two).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from presenter.qt import dialogs
from presenter.settings import Settings
from tests.fakes.board_window import click_toolbar
from tests.workbench.test_run import choose_menu_item

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LONG = 30_000  # ms: generous under load; never a speed assertion
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1200,900")

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason="needs Debian's chromium and chromium-driver (scripts/setup-env --test installs them)")


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the test extras)")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="presenter-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(LONG / 1000)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def shared(make_bench, qtbot):
    """A window sharing on this computer only (tests never reach out to the network)."""
    settings = Settings.load()
    settings.set("audience.loopback", True)
    settings.set("audience.port", 0)
    settings.save()
    bench = make_bench()
    bench.window.resize(1600, 900)
    click_toolbar(bench, qtbot, "view.share")
    qtbot.waitUntil(lambda: bool(bench.audience.url), timeout=LONG)
    return bench


def text_of(browser, element_id: str) -> str:
    return browser.execute_script(f"return document.getElementById({element_id!r}).textContent")


def code_shown(browser) -> str:
    """The code as the page shows it: one div per line."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#code .ln')).map(l => l.textContent)"
        ".join('\\n')")


def open_page(browser, qtbot, url: str) -> None:
    browser.get(url)
    qtbot.waitUntil(lambda: text_of(browser, "status") == "Live", timeout=LONG)


def test_the_page_shows_the_code_and_follows_an_edit_and_a_run(shared, browser, qtbot, keyboard):
    editor = shared.window.tabs.current()
    editor.setText("def greet(name):\n    return 'Hello ' + name\n")
    open_page(browser, qtbot, shared.audience.url)
    qtbot.waitUntil(lambda: code_shown(browser).startswith("def greet(name):"), timeout=LONG)
    assert browser.execute_script("return document.querySelector('#code .k').textContent") == "def"
    # The highlighting's style reached the browser: a keyword is coloured and bold.
    keyword, plain = browser.execute_script(
        "var k = getComputedStyle(document.querySelector('#code .k'));"
        "return [[k.color, k.fontWeight], getComputedStyle(document.getElementById('code')).color]")
    assert keyword[0] != plain and int(keyword[1]) >= 600
    assert "untitled" in text_of(browser, "file")

    editor.setFocus()
    editor.setCursorPosition(2, 0)
    keyboard.type("print(greet('room'))")
    qtbot.waitUntil(lambda: code_shown(browser).endswith("print(greet('room'))"), timeout=LONG)
    # The line being typed is marked, so a phone can find the speaker's place.
    assert browser.execute_script("return document.querySelector('#code .cur').textContent") \
        == "print(greet('room'))"

    keyboard.press("F5")
    qtbot.waitUntil(lambda: "exit code 0" in text_of(browser, "out"), timeout=LONG)
    assert text_of(browser, "out").startswith("Hello room")


def test_the_copy_button_copies_the_code(shared, browser, qtbot):
    from selenium.webdriver.common.by import By

    code = "for i in range(3):\n    print(i)\n"
    shared.window.tabs.current().setText(code)
    open_page(browser, qtbot, shared.audience.url)
    parts = urlsplit(shared.audience.url)
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": f"{parts.scheme}://{parts.netloc}",
        "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    qtbot.waitUntil(lambda: code_shown(browser).startswith("for i"), timeout=LONG)
    read_clipboard = "navigator.clipboard.readText().then(arguments[0], e => arguments[0]('!' + e))"

    browser.find_element(By.ID, "copy-code").click()
    qtbot.waitUntil(lambda: browser.execute_async_script(read_clipboard) == code, timeout=LONG)
    assert text_of(browser, "copy-code") == "Copied"

    # A phone on the room's network: plain http is no secure context, there is no
    # Clipboard API, and the page falls back to the copy command.
    shared.window.output.append_chunks([("stdout", "0\n1\n2\n")])
    qtbot.waitUntil(lambda: text_of(browser, "out").startswith("0"), timeout=LONG)
    browser.execute_script("window.realClipboard = navigator.clipboard;"
                           "Object.defineProperty(navigator, 'clipboard', {get: () => undefined});")
    browser.find_element(By.ID, "copy-out").click()
    qtbot.waitUntil(lambda: browser.execute_async_script(
        read_clipboard.replace("navigator.clipboard", "window.realClipboard")).startswith("0\n1\n2"),
        timeout=LONG)


def test_without_the_token_the_browser_gets_404(shared, browser):
    parts = urlsplit(shared.audience.url)
    token = shared.audience.token
    for path in ("/", f"/{token[:-1]}/", f"/{token}x/", "/events"):
        browser.get(f"{parts.scheme}://{parts.netloc}{path}")
        assert browser.execute_script("return document.body.textContent") == "Not found", path
        assert browser.execute_script("return document.getElementById('code')") is None


def test_html_and_script_in_the_code_and_output_stay_text(shared, browser, qtbot, keyboard):
    nasty = ("x = '</script><script>window.hacked = 1</script>'\n"
             "y = '<img src=nowhere onerror=\"window.hacked = 2\">'\n")
    open_page(browser, qtbot, shared.audience.url)
    editor = shared.window.tabs.current()
    editor.setFocus()
    keyboard.type(nasty.replace("\n", "\r"))  # typed as a person does: Enter between lines
    qtbot.waitUntil(lambda: "onerror" in code_shown(browser), timeout=LONG)
    assert code_shown(browser).startswith(nasty.rstrip("\n"))
    editor.setText(f"print({nasty.splitlines()[1][4:]})\n")
    keyboard.press("F5")
    qtbot.waitUntil(lambda: "exit code 0" in text_of(browser, "out"), timeout=LONG)
    assert '<img src=nowhere onerror="window.hacked = 2">' in text_of(browser, "out")
    assert browser.execute_script("return document.querySelectorAll('img, #code script, #out script').length") == 0
    assert browser.execute_script("return window.hacked === undefined")


def test_the_demo_step_and_the_handout_download_appear(shared, browser, qtbot, monkeypatch,
                                                       tmp_path):
    open_page(browser, qtbot, shared.audience.url)
    assert browser.execute_script("return document.getElementById('step').hidden")
    shared.audience.set_demo_step(3, 7, "Draw a square")
    qtbot.waitUntil(lambda: text_of(browser, "step") == "Step 3/7 · Draw a square", timeout=LONG)
    assert browser.execute_script("return document.getElementById('handout').hidden")

    shared.window.tabs.current().setText("print('take me home')\n")
    monkeypatch.setattr(dialogs, "ask_handout_path", lambda parent, s: str(tmp_path / "talk.html"))
    choose_menu_item(shared, qtbot, "file.export_handout")
    qtbot.waitUntil(lambda: not browser.execute_script(
        "return document.getElementById('handout').hidden"), timeout=LONG)
    fetched = browser.execute_async_script(
        "fetch(document.getElementById('handout-md').href).then(r => r.text())"
        ".then(arguments[0], e => arguments[0]('!' + e))")
    assert fetched == (tmp_path / "talk.md").read_text(encoding="utf-8")
    assert "print('take me home')" in fetched
