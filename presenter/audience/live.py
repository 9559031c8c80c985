"""What the room sees, handed from the window to the audience server.

The window's side (a small bridge on the GUI thread) writes here: the code the current tab
shows, the output's tail, the demo step, the handout once exported. The server's thread
reads it. Writing never waits for the server: it sets a field under a short lock and, at
most once until the server has looked, pokes the server's loop (``publish``). So however
busy the server is with 200 viewers, the GUI thread only ever holds this lock for a copy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from presenter.core.output_tail import OutputTail, TailChange

#: Lines of output the page keeps: enough to follow a run, bounded for phones and memory.
OUTPUT_LINES = 500
OUTPUT_LINE_CHARS = 2000


@dataclass(frozen=True)
class CodeView:
    """The current tab as the room sees it: its name, its text, the line the caret is on."""

    title: str
    text: str
    line: int = 0  # 0-based


@dataclass(frozen=True)
class DemoStep:
    """The demo step being shown: ``index`` of ``count`` (from 1), and its title."""

    index: int
    count: int
    title: str = ""


@dataclass(frozen=True)
class HandoutFiles:
    """An exported handout, offered to the room as downloads."""

    name: str  # file name stem, e.g. "turtles-2025-05-01"
    html: bytes
    markdown: bytes


@dataclass(frozen=True)
class Changes:
    """Everything that changed since the server last looked (None: unchanged)."""

    code: CodeView | None = None
    code_changed: bool = False
    demo: DemoStep | None = None
    demo_changed: bool = False
    handout: HandoutFiles | None = None
    handout_changed: bool = False
    output: TailChange | None = None

    def any(self) -> bool:
        return self.code_changed or self.demo_changed or self.handout_changed or bool(self.output)


class LiveState:
    """The page's content: written on the GUI thread, read on the server's."""

    def __init__(self) -> None:
        self.output = OutputTail(OUTPUT_LINES, OUTPUT_LINE_CHARS)
        self._lock = threading.Lock()
        self._code: CodeView | None = None
        self._demo: DemoStep | None = None
        self._handout: HandoutFiles | None = None
        self._changed: set[str] = set()
        self._waker: Callable[[], None] | None = None
        self._poked = False

    # ---- Window side
    def set_code(self, code: CodeView | None) -> None:
        self._set("code", code)

    def set_demo(self, step: DemoStep | None) -> None:
        self._set("demo", step)

    def set_handout(self, handout: HandoutFiles | None) -> None:
        self._set("handout", handout)

    def publish(self) -> None:
        """Tell the server something changed; cheap, and at most one poke is ever pending."""
        with self._lock:
            if self._poked or self._waker is None:
                return
            self._poked = True
            waker = self._waker
        waker()

    # ---- Server side
    def set_waker(self, waker: Callable[[], None] | None) -> None:
        """``waker`` schedules the server's look (thread-safe); None when the server stops."""
        with self._lock:
            self._waker = waker
            self._poked = False

    def take_changes(self) -> Changes:
        with self._lock:
            self._poked = False
            changed, self._changed = self._changed, set()
            code, demo, handout = self._code, self._demo, self._handout
        return Changes(code, "code" in changed, demo, "demo" in changed, handout,
                       "handout" in changed, self.output.take_changes())

    def current(self) -> tuple[CodeView | None, DemoStep | None, HandoutFiles | None]:
        with self._lock:
            return self._code, self._demo, self._handout

    # ---- Internals
    def _set(self, name: str, value) -> None:
        attribute = "_" + name
        with self._lock:
            if getattr(self, attribute) != value:
                setattr(self, attribute, value)
                self._changed.add(name)
