"""A real server on loopback for tests, and a minimal client of its update stream."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from urllib.parse import urlsplit

from presenter.audience.live import LiveState
from presenter.audience.server import AudienceServer, Limits

LONG_S = 30.0  # generous under load; never a speed assertion


def start_server(live: LiveState | None = None, limits: Limits | None = None) -> AudienceServer:
    """An AudienceServer on 127.0.0.1 (any free port), started and ready."""
    server = AudienceServer(live or LiveState(), limits=limits)
    ready = threading.Event()
    errors: list[str] = []

    def started(url, error):
        if error:
            errors.append(error)
        ready.set()

    server.start("127.0.0.1", 0, on_started=started)
    assert ready.wait(LONG_S), "the server did not start"
    assert not errors, errors
    return server


def host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def get(url: str, path: str, method: str = "GET") -> http.client.HTTPResponse:
    """One request to the server of ``url`` (path as given, token or not); body read."""
    host, port = host_port(url)
    connection = http.client.HTTPConnection(host, port, timeout=LONG_S)
    connection.request(method, path)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


class StreamReader:
    """Reads the page's server-sent events, one JSON message at a time."""

    def __init__(self, url: str, path: str | None = None) -> None:
        host, port = host_port(url)
        self.connection = http.client.HTTPConnection(host, port, timeout=LONG_S)
        self.connection.request("GET", path or urlsplit(url).path + "events")
        self._socket = self.connection.sock  # http.client lets go of it for a stream
        self.response = self.connection.getresponse()
        self.page = PageMirror()

    def next(self, lock: threading.Lock | None = None) -> dict:
        """The next data message (comments and the retry line skipped), applied to ``page``
        (under ``lock``, when another thread looks at the page)."""
        while True:
            line = self.response.fp.readline()
            if not line:
                raise EOFError("the stream ended")
            if line.startswith(b"data: "):
                message = json.loads(line[len(b"data: "):])
                if lock is None:
                    self.page.apply(message)
                else:
                    with lock:
                        self.page.apply(message)
                return message

    def until(self, predicate) -> dict:
        while True:
            message = self.next()
            if predicate(message):
                return message

    def close(self) -> None:
        # Shut the socket first: a StreamWatcher's thread blocked in readline() holds the
        # response's buffer, and closing that would wait for the server's next keep-alive
        # comment (15 s).
        try:
            self._socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the server ended it already
        self.connection.close()


def code_text(message: dict) -> str:
    """The code in a message that carries all of it (a viewer's first)."""
    assert message["code"]["end"] == -1, "a change, not the whole code: use a PageMirror"
    return lines_text(message["code"]["lines"])


def lines_text(lines: list) -> str:
    return "\n".join("".join(text for _css, text in line) for line in lines)


class StreamWatcher:
    """A StreamReader on a thread of its own, for tests whose thread runs the Qt event loop.

    Reading the stream on the GUI thread would stop the window from sending what it waits
    for; here messages pile up in ``messages`` and ``wait_for`` keeps the event loop turning.
    """

    def __init__(self, url: str) -> None:
        self.reader = StreamReader(url)
        self.messages: list[dict] = []
        self._lock = threading.Lock()
        self._looked = 0
        self.page = self.reader.page
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while True:
                message = self.reader.next(self._lock)
                with self._lock:
                    self.messages.append(message)
        except (EOFError, OSError, ValueError, AttributeError):
            pass  # the stream ended, or the test closed it (http.client drops its file: None)

    def wait_page(self, qtbot, predicate, timeout_ms: int = int(LONG_S * 1000)) -> None:
        """Until the page, as a browser would have built it from the stream, satisfies it."""
        def look() -> bool:
            with self._lock:
                return bool(predicate(self.page))

        qtbot.waitUntil(look, timeout=timeout_ms)

    def wait_for(self, qtbot, predicate, timeout_ms: int = int(LONG_S * 1000)) -> dict:
        """The first message from now on (or since the last match) that ``predicate`` likes."""
        found: list[dict] = []

        def look() -> bool:
            with self._lock:
                while self._looked < len(self.messages):
                    message = self.messages[self._looked]
                    self._looked += 1
                    if predicate(message):
                        found.append(message)
                        return True
            return False

        qtbot.waitUntil(look, timeout=timeout_ms)
        return found[0]

    def close(self) -> None:
        self.reader.close()


class PageMirror:
    """What the audience page shows, rebuilt from the stream as page.js does."""

    def __init__(self) -> None:
        self.code = ""
        self.code_lines: list = []
        self.title = ""
        self.line = 0
        self.first = 0
        self.lines: list[list] = []
        self.demo = None
        self.handout = None

    @property
    def output(self) -> str:
        return "\n".join("".join(text for _s, text in line) for line in self.lines)

    def apply(self, message: dict) -> None:
        if message.get("code"):
            code = message["code"]
            start, end = (0, len(self.code_lines)) if code["end"] < 0 else (code["start"], code["end"])
            self.code_lines[start:end] = code["lines"]
            self.code = lines_text(self.code_lines)
            self.title = code["title"]
            self.line = code["line"]
        elif "code" in message:
            self.code, self.title, self.code_lines = "", "", []
        if "out" in message:
            out = message["out"]
            keep = out["start"] - self.first
            if out["reset"] or keep < 0 or keep > len(self.lines):
                self.lines, self.first, keep = [], out["start"], 0
            self.lines = self.lines[:keep] + out["lines"]
        if "demo" in message:
            self.demo = message["demo"]
        if "handout" in message:
            self.handout = message["handout"]
