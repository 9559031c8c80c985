"""The audience page's server: aiohttp on a thread of its own, with its own event loop.

Why it cannot hurt the talk:

* The window never waits for it. ``start`` and ``stop`` return at once (the result of
  binding comes back through a callback), and the window's updates go through
  ``LiveState``, which pokes this loop at most once until it has looked.
* Updates are encoded once and shared by every viewer. Each viewer has a bounded queue of
  them; a viewer whose queue is full (a phone that stopped reading, a dead laptop) is
  dropped: its connection is aborted, so neither the queue nor the socket's buffer grows.
  A browser reconnects by itself and gets the whole page state again.
* Nothing here can change anything in the IDE: GET (and HEAD) only, no request body read.

Who may look: the address carries a random token (over 128 bits, see ``new_token``);
every request without it, for the page, the stream or a download alike, gets a bare 404.
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from presenter.audience.code_lines import highlighted_lines, line_change
from presenter.audience.live import OUTPUT_LINES, CodeView, DemoStep, HandoutFiles, LiveState
from presenter.audience.page import SECURITY_HEADERS, inline_style_policy, page
from presenter.audience.token import new_token

log = logging.getLogger(__name__)

STREAM_CODES = {"stdout": "o", "stderr": "e", "info": "i", "input": "u"}
HANDOUT_FILES = {"handout.html": "text/html; charset=utf-8",
                 "handout.md": "text/markdown; charset=utf-8"}


@dataclass(frozen=True)
class Limits:
    """How much one viewer may cost, and how many there may be."""

    queue_messages: int = 64  # about 6 s of updates at 10 a second, then the viewer is dropped
    queue_bytes: int = 2_000_000  # or this much waiting for it, whichever comes first
    max_viewers: int = 1000
    keepalive_s: float = 15.0  # a comment line, so phones and proxies keep the stream open
    retry_ms: int = 2000  # how soon a browser reconnects after losing the stream


class _Viewer:
    __slots__ = ("queue", "queued_bytes", "task", "transport", "dropped")

    def __init__(self, queue: asyncio.Queue, task: asyncio.Task | None, transport) -> None:
        self.queue = queue
        self.queued_bytes = 0
        self.task = task
        self.transport = transport
        self.dropped = False


class AudienceServer:
    """Serves ``live`` to the room; one instance per sharing session."""

    def __init__(self, live: LiveState, token: str | None = None, limits: Limits | None = None) -> None:
        self.live = live
        self.token = token or new_token()
        self.limits = limits or Limits()
        self.url = ""
        self.dropped_viewers = 0  # lifetime count of viewers dropped for not reading
        self._viewers: set[_Viewer] = set()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_requested = threading.Event()
        self._stop_event: asyncio.Event | None = None
        self._code: CodeView | None = None
        self._code_lines: list = []  # the current code, highlighted, as the page has it
        self._count_pending = False
        self._on_started: Callable[[str | None, str | None], None] | None = None
        self._on_viewers: Callable[[int], None] | None = None
        # Held while a callback runs and while stop() forgets them: after stop() returns, no
        # callback can reach an object the window is about to delete (a closing window).
        self._callback_lock = threading.Lock()

    # ---- Public API (any thread; never blocks)
    def start(self, host: str, port: int,
              on_started: Callable[[str | None, str | None], None] | None = None,
              on_viewers: Callable[[int], None] | None = None) -> None:
        """Bind ``host:port`` (any free port if that one is taken) and serve.

        ``on_started(url, None)`` or ``on_started(None, message)`` is called from the
        server's thread once binding worked or failed; ``on_viewers(count)`` whenever the
        number of viewers changed (at most about three times a second).
        """
        if self._thread is not None:
            raise RuntimeError("this server was started already")
        self._on_started = on_started
        self._on_viewers = on_viewers
        self._thread = threading.Thread(target=self._run, args=(host, port),
                                        name="audience-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving: viewers are cut off and the port is closed, soon after this returns.

        No callback is called once this has returned.
        """
        self._stop_requested.set()
        with self._callback_lock:
            self._on_started = self._on_viewers = None
        loop = self._loop
        if loop is not None:
            try:
                loop.call_soon_threadsafe(self._wake_stop)
            except RuntimeError:
                pass  # the loop has closed already

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the server's thread to end (tests, the bench); True if it did."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def viewer_count(self) -> int:
        return len(self._viewers)

    # ---- The server's thread
    def _run(self, host: str, port: int) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve(host, port))
        except Exception as exc:  # never take the IDE down; say what happened
            log.exception("audience server failed")
            self._report_started(None, f"The audience page stopped: {exc}")
        finally:
            self.live.set_waker(None)
            loop.close()

    async def _serve(self, host: str, port: int) -> None:
        self._stop_event = asyncio.Event()  # first, so _wake_stop always finds it
        app = web.Application(client_max_size=1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        try:
            bound = await self._bind(runner, host, port)
        except OSError as exc:
            await runner.cleanup()
            self._report_started(None, f"Could not share on {host}:{port}: {exc.strerror or exc}")
            return
        self.url = f"http://{_url_host(bound[0])}:{bound[1]}/{self.token}/"
        self._sync_everything()
        self.live.set_waker(self._wake)
        log.info("audience page served on %s:%s", bound[0], bound[1])
        self._report_started(self.url, None)
        if not self._stop_requested.is_set():
            await self._stop_event.wait()
        self.live.set_waker(None)
        for viewer in list(self._viewers):
            self._drop(viewer, "sharing stopped")
        await runner.cleanup()
        log.info("audience page stopped")

    async def _bind(self, runner: web.AppRunner, host: str, port: int) -> tuple[str, int]:
        """The wanted port, or any free one when it is taken (another Presenter, a test)."""
        for attempt in (port, 0) if port else (0,):
            site = web.TCPSite(runner, host, attempt)
            try:
                await site.start()
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE and attempt != 0:
                    continue
                raise
            for address in runner.addresses:
                return address[0], address[1]
        raise OSError(errno.EADDRINUSE, "no free port")

    def _wake_stop(self) -> None:
        if self._stop_event is not None:
            self._stop_event.set()

    def _wake(self) -> None:
        """Called by LiveState on the window's thread: look at the changes on ours."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._broadcast)
            except RuntimeError:
                pass

    def _sync_everything(self) -> None:
        """At start: what is there now is the page's state; earlier changes are old news."""
        self.live.take_changes()
        code, _demo, _handout = self.live.current()
        self._set_code(code)

    def _broadcast(self) -> None:
        changes = self.live.take_changes()
        if not changes.any():
            return
        message: dict = {}
        if changes.code_changed:
            message["code"] = self._set_code(changes.code)
        if changes.demo_changed:
            message["demo"] = _encode_demo(changes.demo)
        if changes.handout_changed:
            message["handout"] = _encode_handout(changes.handout)
        if changes.output is not None:
            out = changes.output
            message["out"] = {"reset": out.reset, "start": out.start, "lines": _encode_lines(out.lines)}
        data = _event(message)
        size = len(data)
        for viewer in list(self._viewers):
            if viewer.queued_bytes + size > self.limits.queue_bytes or viewer.queue.full():
                self._drop(viewer, "it did not keep up")
                continue
            viewer.queue.put_nowait(data)
            viewer.queued_bytes += size

    def _set_code(self, code: CodeView | None) -> dict | None:
        """Take ``code`` as the page's; the message that changes the page's copy to it."""
        old_lines = self._code_lines
        self._code = code
        self._code_lines = [] if code is None else highlighted_lines(code.text, code.title)
        if code is None:
            return None
        change = line_change(old_lines, self._code_lines)
        return {"title": code.title, "line": code.line, "start": change.start, "end": change.end,
                "lines": change.lines}

    def _code_message(self) -> dict | None:
        """The whole code, for a viewer that just arrived."""
        code = self._code
        if code is None:
            return None
        return {"title": code.title, "line": code.line, "start": 0, "end": -1,
                "lines": self._code_lines}

    def _full_state(self) -> bytes:
        _code, demo, handout = self.live.current()
        start, lines = self.live.output.snapshot()
        return _event({"full": True, "max": OUTPUT_LINES, "code": self._code_message(),
                       "demo": _encode_demo(demo), "handout": _encode_handout(handout),
                       "out": {"reset": True, "start": start, "lines": _encode_lines(lines)}})

    def _drop(self, viewer: _Viewer, why: str) -> None:
        if viewer.dropped:
            return
        viewer.dropped = True
        self._viewers.discard(viewer)
        if why != "sharing stopped":
            self.dropped_viewers += 1
            log.info("audience viewer dropped: %s", why)
        if viewer.transport is not None:
            viewer.transport.abort()  # frees its buffer now; its pending write fails
        if viewer.task is not None:
            viewer.task.cancel()
        self._count_changed()

    def _count_changed(self) -> None:
        if self._on_viewers is None or self._count_pending or self._loop is None:
            return
        self._count_pending = True

        def report() -> None:
            self._count_pending = False
            with self._callback_lock:
                if self._on_viewers is not None:
                    self._on_viewers(len(self._viewers))

        self._loop.call_later(0.3, report)

    def _report_started(self, url: str | None, error: str | None) -> None:
        with self._callback_lock:
            if self._on_started is not None:
                try:
                    self._on_started(url, error)
                except Exception:
                    log.exception("audience start callback failed")

    # ---- Requests
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        parts = request.path.split("/", 2)
        if request.method not in ("GET", "HEAD") or len(parts) < 2 or not self._token_ok(parts[1]):
            return _not_found()
        rest = parts[2] if len(parts) > 2 else ""
        if rest == "":
            body, policy = page()
            return web.Response(body=body, content_type="text/html", charset="utf-8",
                                headers={**SECURITY_HEADERS, "Content-Security-Policy": policy})
        if rest == "events" and request.method == "GET":
            return await self._stream(request)
        if rest in HANDOUT_FILES:
            return self._handout(rest)
        return _not_found()

    def _token_ok(self, given: str) -> bool:
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode("ascii"))

    def _handout(self, name: str) -> web.Response:
        handout = self.live.current()[2]
        if handout is None:
            return _not_found()
        is_html = name.endswith(".html")
        body = handout.html if is_html else handout.markdown
        download = f"{handout.name}.{'html' if is_html else 'md'}"
        policy = inline_style_policy(handout.html.decode("utf-8")) if is_html else "default-src 'none'"
        return web.Response(body=body, headers={
            **SECURITY_HEADERS, "Content-Type": HANDOUT_FILES[name],
            "Content-Security-Policy": policy,
            "Content-Disposition": f'attachment; filename="{_ascii_name(download)}"'})

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        if len(self._viewers) >= self.limits.max_viewers:
            return web.Response(status=503, text="Too many viewers right now.",
                                headers=dict(SECURITY_HEADERS))
        response = web.StreamResponse(headers={
            **SECURITY_HEADERS, "Content-Type": "text/event-stream; charset=utf-8",
            "Content-Security-Policy": "default-src 'none'", "X-Accel-Buffering": "no"})
        await response.prepare(request)
        viewer = _Viewer(asyncio.Queue(self.limits.queue_messages), asyncio.current_task(),
                         request.transport)
        self._viewers.add(viewer)
        self._count_changed()
        try:
            await response.write(f"retry: {self.limits.retry_ms}\n\n".encode() + self._full_state())
            while not viewer.dropped:
                try:
                    data = await asyncio.wait_for(viewer.queue.get(), self.limits.keepalive_s)
                    viewer.queued_bytes -= len(data)
                except asyncio.TimeoutError:
                    data = b": still here\n\n"
                await response.write(data)
        except (ConnectionError, RuntimeError):
            pass  # the viewer left (RuntimeError: aiohttp's write after the transport closed)
        finally:
            if not viewer.dropped:
                viewer.dropped = True
                self._viewers.discard(viewer)
                self._count_changed()
        return response


def _not_found() -> web.Response:
    return web.Response(status=404, text="Not found", headers=dict(SECURITY_HEADERS))


def _event(message: dict) -> bytes:
    """One server-sent event. JSON escapes newlines, so the data is one line."""
    return b"data: " + json.dumps(message, separators=(",", ":")).encode("ascii") + b"\n\n"


def _encode_demo(step: DemoStep | None) -> dict | None:
    return None if step is None else {"index": step.index, "count": step.count, "title": step.title}


def _encode_handout(handout: HandoutFiles | None) -> dict | None:
    return None if handout is None else {"html": "handout.html", "md": "handout.md"}


def _encode_lines(lines: list) -> list:
    return [[[STREAM_CODES.get(stream, "o"), text] for stream, text in line] for line in lines]


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _ascii_name(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in name) or "handout"
