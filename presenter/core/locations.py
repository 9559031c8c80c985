"""Where a buffer is saved when that is not a path on this computer: a file on a board.

Why an abstraction: a tab opened from a board saves back to the board (over its worker
thread, which takes a while and may fail when the board is unplugged), is titled after the
board, is not reopened from disk at the next start, and yet its unsaved text is autosaved
and recovered like any other. Rather than test "is this a board tab?" in the save, close,
autosave and session code, a buffer carries a ``SaveLocation`` (``BufferInfo.location``) and
those places ask it the few things that differ. A buffer without one is a local file (or
untitled), exactly as before.

Saving there is asynchronous: ``write`` returns at once and later calls ``done`` or
``failed(reason)`` on the GUI thread. The workbench clears the unsaved mark only in ``done``,
and only if the text is still what was sent.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Protocol


class SaveLocation(Protocol):
    """A place outside this computer's disk that a buffer saves to."""

    @property
    def key(self) -> Hashable:
        """Equal for the same file on the same board: opening it again shows its tab."""

    @property
    def name(self) -> str:
        """The file's own name ("main.py"), for messages about encoding."""

    @property
    def title(self) -> str:
        """The tab's title, saying where it lives: "main.py — micro:bit (ttyACM0)"."""

    @property
    def description(self) -> str:
        """A longer form for the tab's tooltip: "main.py on the micro:bit at /dev/ttyACM0"."""

    @property
    def recovery_name(self) -> str:
        """What a recovered copy is called after a crash ("main.py (micro:bit)"): it comes
        back as an untitled buffer, since the board may not be there any more."""

    def write(self, data: bytes, done: Callable[[], None],
              failed: Callable[[str], None]) -> None:
        """Start writing ``data``; returns at once. ``done()`` or ``failed(one sentence)``
        follows on the GUI thread."""
