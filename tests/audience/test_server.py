"""The audience server without a browser: the token, the headers, escaping, slow readers, limits.

Every test talks to a real server over loopback with real sockets.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import socket
import threading
import time

import pytest

from presenter.audience.live import CodeView, DemoStep, HandoutFiles, LiveState
from presenter.audience.server import AudienceServer, Limits
from presenter.audience.token import TOKEN_ALPHABET, TOKEN_LENGTH, new_token
from tests.audience.server_client import (
    LONG_S,
    StreamReader,
    code_text,
    get,
    host_port,
    start_server,
)

NASTY = "print('</script><img src=x onerror=alert(1)>')\n# <b>bold?</b> &amp; \"quotes\"\n"


@pytest.fixture
def live() -> LiveState:
    return LiveState()


@pytest.fixture
def server(live):
    server = start_server(live)
    yield server
    server.stop()
    assert server.join(LONG_S)


def test_tokens_are_long_random_and_easy_to_type():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(t) == TOKEN_LENGTH and set(t) <= set(TOKEN_ALPHABET) for t in tokens)
    assert TOKEN_LENGTH * math.log2(len(set(TOKEN_ALPHABET))) >= 128
    assert not set("ilo01") & set(TOKEN_ALPHABET)  # nothing to misread off a projector


def test_every_request_without_the_token_gets_404(server):
    token = server.token
    wrong = new_token()
    paths = ["/", "/events", "/handout.html", "/favicon.ico", f"/{wrong}/", f"/{wrong}/events",
             f"/{wrong}/handout.html", f"/{token[:-1]}/", f"/{token}x/events", f"/x/{token}/",
             f"/{token.upper()}/"]
    for path in paths:
        response = get(server.url, path)
        assert response.status == 404, path
        assert token.encode() not in response.body
    assert get(server.url, f"/{token}/").status == 200


def test_nothing_can_be_changed_or_probed(server):
    token = server.token
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        for path in (f"/{token}/", f"/{token}/events"):
            assert get(server.url, path, method).status == 404, (method, path)
    assert get(server.url, f"/{token}/anything-else").status == 404
    assert get(server.url, f"/{token}/handout.html").status == 404  # none exported yet


def test_the_page_has_a_strict_policy_and_nothing_inline_but_its_hashed_blocks(server):
    response = get(server.url, f"/{server.token}/")
    headers = {k.lower(): v for k, v in response.getheaders()}
    policy = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["connect-src"] == "'self'"
    assert "unsafe" not in headers["content-security-policy"]
    page = response.body.decode("utf-8")
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert policy["script-src"] == _sha256(script)  # the one script allowed is the page's own
    assert policy["style-src"] == _sha256(style)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["content-type"].startswith("text/html")
    assert not re.search(r"\son\w+\s*=", page)  # no inline handlers
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page)  # nothing from elsewhere
    assert page.count("<script") == 1 and "@import" not in page and "@font-face" not in page


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_code_and_output_go_out_as_text_never_as_markup(server, live):
    live.set_code(CodeView("<i>tab</i>.py", NASTY, 1))
    live.output.feed([("stdout", "<script>alert(2)</script>\n")])
    live.publish()
    reader = StreamReader(server.url)
    try:
        message = reader.next()
    finally:
        reader.close()
    assert message["full"] is True
    assert code_text(message) == NASTY  # every character, as text runs
    assert message["code"]["title"] == "<i>tab</i>.py"
    assert message["out"]["lines"][0] == [["o", "<script>alert(2)</script>"]]
    page = get(server.url, f"/{server.token}/").body.decode()
    assert "onerror=alert(1)" not in page and "alert(2)" not in page  # the page holds no content


def test_a_viewer_gets_the_state_then_every_change(server, live):
    live.set_code(CodeView("demo.py", "a = 1\n", 0))
    live.publish()
    reader = StreamReader(server.url)
    try:
        first = reader.next()
        assert code_text(first) == "a = 1\n"
        assert first["demo"] is None and first["handout"] is None
        live.set_code(CodeView("demo.py", "a = 1\nb = 2\n", 1))
        live.output.feed([("stdout", "3\n"), ("stderr", "Traceback\n")])
        live.set_demo(DemoStep(3, 7, "Draw a square"))
        live.publish()
        update = reader.until(lambda m: "code" in m)
        assert reader.page.code == "a = 1\nb = 2\n" and reader.page.line == 1
        assert (update["code"]["start"], update["code"]["end"]) == (1, 1)  # only the new line
        assert update["code"]["lines"] == [[["n", "b"], ["", " "], ["o", "="], ["", " "], ["mi", "2"]]]
        assert update["demo"] == {"index": 3, "count": 7, "title": "Draw a square"}
        assert update["out"]["lines"][:2] == [[["o", "3"]], [["e", "Traceback"]]]
        live.output.clear()
        live.publish()
        cleared = reader.until(lambda m: "out" in m)
        assert cleared["out"]["reset"] and cleared["out"]["lines"] == [[]]
    finally:
        reader.close()


def test_a_viewer_that_never_reads_is_dropped_and_the_others_keep_following(live):
    server = start_server(live, Limits(queue_messages=8))
    stuck = _stuck_viewer(server)
    reader = StreamReader(server.url)
    seen: list[str] = []
    reading = threading.Thread(target=lambda: _read_codes(reader, seen), daemon=True)
    reading.start()
    try:
        deadline = time.monotonic() + LONG_S
        _wait_for_viewers(server, 2, deadline)
        published = _publish_until_one_is_dropped(server, live, deadline)
        assert server.dropped_viewers == 1
        # Dropped long before 40 MB of updates piled up for it (it holds 8 at most).
        assert published < 2000
        assert server.viewer_count() == 1
        live.set_code(CodeView("demo.py", "# the end\n", 0))
        live.publish()
        reading.join(LONG_S)
        assert seen[-1] == "# the end\n"
    finally:
        stuck.close()
        reader.close()
        server.stop()
        server.join(LONG_S)


def test_a_stuck_viewer_is_dropped_by_bytes_waiting_too_not_only_by_messages(live):
    # Room for a thousand messages, but only 200 kB waiting: big updates must not pile up
    # 1,000 x 20 kB for a viewer that stopped reading.
    server = start_server(live, Limits(queue_messages=1000, queue_bytes=200_000))
    stuck = _stuck_viewer(server)
    try:
        deadline = time.monotonic() + LONG_S
        _wait_for_viewers(server, 1, deadline)
        published = _publish_until_one_is_dropped(server, live, deadline)
        assert server.dropped_viewers == 1 and server.viewer_count() == 0
        # 200 kB in the queue plus what the kernel's buffers took: far fewer than 1,000.
        assert published < 500
    finally:
        stuck.close()
        server.stop()
        server.join(LONG_S)


def _stuck_viewer(server) -> socket.socket:
    """A viewer that asks for the update stream and never reads it (a small receive buffer,
    so the kernel holds little for it and the server's own queue for it fills)."""
    host, port = host_port(server.url)
    stuck = socket.socket()
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stuck.connect((host, port))
    stuck.sendall(f"GET /{server.token}/events HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return stuck


def _wait_for_viewers(server, count: int, deadline: float) -> None:
    while server.viewer_count() < count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.viewer_count() == count


def _publish_until_one_is_dropped(server, live, deadline: float) -> int:
    """Publish 20 kB updates until the server drops a viewer; how many were published."""
    padding = "  # " + "padding " * 2500  # a 20 kB line, changed by every update
    published = 0
    while server.dropped_viewers == 0 and time.monotonic() < deadline:
        live.set_code(CodeView("demo.py", f"x = {published}{padding}\n", 0))
        live.publish()  # never waits for the server, however stuck a viewer is
        published += 1
        time.sleep(0.002)
    return published


def _read_codes(reader: StreamReader, seen: list[str]) -> None:
    try:
        while not seen or seen[-1] != "# the end\n":
            message = reader.next()
            if message.get("code"):
                seen.append(reader.page.code)
    except (EOFError, OSError):
        pass


def test_more_viewers_than_the_limit_are_turned_away(live):
    server = start_server(live, Limits(max_viewers=2))
    readers = [StreamReader(server.url) for _ in range(2)]
    try:
        for reader in readers:
            reader.next()
        response = get(server.url, f"/{server.token}/events")
        assert response.status == 503
    finally:
        for reader in readers:
            reader.close()
        server.stop()
        server.join(LONG_S)


def test_stopping_cuts_viewers_off_and_closes_the_port(live):
    server = start_server(live)
    reader = StreamReader(server.url)
    reader.next()
    server.stop()
    assert server.join(LONG_S)
    with pytest.raises(EOFError):
        reader.until(lambda _m: False)
    reader.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(host_port(server.url), timeout=LONG_S)


def test_a_taken_port_gives_another_one(live):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    server = AudienceServer(live)
    ready = threading.Event()
    result = {}
    server.start("127.0.0.1", port, on_started=lambda url, error: (result.update(url=url), ready.set()))
    try:
        assert ready.wait(LONG_S)
        assert result["url"] and host_port(result["url"])[1] != port
        assert get(result["url"], f"/{server.token}/").status == 200
    finally:
        taken.close()
        server.stop()
        server.join(LONG_S)


def test_an_address_that_cannot_be_bound_is_reported(live):
    server = AudienceServer(live)
    ready = threading.Event()
    result = {}
    # TEST-NET-3: never an address of this machine, so binding it fails at once.
    server.start("203.0.113.7", 0, on_started=lambda url, error: (result.update(url=url, error=error),
                                                                   ready.set()))
    assert ready.wait(LONG_S)
    assert result["url"] is None and "203.0.113.7" in result["error"]
    assert server.join(LONG_S)


def test_the_handout_downloads_need_the_token_and_arrive_as_files(server, live):
    html = "<!DOCTYPE html><html><head><style>body { color: red; }</style></head><body>x</body></html>"
    live.set_handout(HandoutFiles("my-talk-2025-05-01", html.encode(), b"# My talk\n"))
    live.publish()
    response = get(server.url, f"/{server.token}/handout.html")
    assert response.status == 200 and response.body == html.encode()
    headers = {k.lower(): v for k, v in response.getheaders()}
    assert headers["content-disposition"] == 'attachment; filename="my-talk-2025-05-01.html"'
    assert headers["content-security-policy"].startswith("default-src 'none'; style-src 'sha256-")
    assert headers["x-content-type-options"] == "nosniff"
    markdown = get(server.url, f"/{server.token}/handout.md")
    assert markdown.body == b"# My talk\n"
    assert markdown.getheader("Content-Type").startswith("text/markdown")
    assert get(server.url, "/handout.html").status == 404
    assert get(server.url, f"/{new_token()}/handout.md").status == 404
    reader = StreamReader(server.url)
    try:
        assert reader.next()["handout"] == {"html": "handout.html", "md": "handout.md"}
    finally:
        reader.close()


def test_no_callback_comes_after_stop_returns(live):
    """The window deletes what the callbacks reach right after stopping (closing while the
    server is still binding): a late "started" would call into a deleted Qt object."""
    late: list[str] = []
    for _ in range(5):
        stopped = threading.Event()
        server = AudienceServer(live)
        server.start("127.0.0.1", 0,
                     on_started=lambda url, error, s=stopped: s.is_set() and late.append("started"),
                     on_viewers=lambda count, s=stopped: s.is_set() and late.append("viewers"))
        server.stop()
        stopped.set()
        assert server.join(LONG_S)
    assert late == []
