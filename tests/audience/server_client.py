"""A real server on loopback for tests, and a minimal client of its update stream."""

from __future__ import annotations

import http.client
import json
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
        self.response = self.connection.getresponse()

    def next(self) -> dict:
        """The next data message (comments and the retry line skipped)."""
        while True:
            line = self.response.fp.readline()
            if not line:
                raise EOFError("the stream ended")
            if line.startswith(b"data: "):
                return json.loads(line[len(b"data: "):])

    def until(self, predicate) -> dict:
        while True:
            message = self.next()
            if predicate(message):
                return message

    def close(self) -> None:
        self.connection.close()


def code_text(message: dict) -> str:
    return "".join(text for _css, text in message["code"]["runs"])
