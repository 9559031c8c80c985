"""The talk's countdown: how long is left, then how far over; pausable. No Qt.

The clock is read, never ticked: it keeps when it started and how long it was paused,
and computes the rest from ``now()``. So a view may refresh as often or as seldom as it
likes without drifting, and a test passes its own ``now`` instead of sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class TalkClock:
    """Elapsed talk time against the talk's length (None: no length, it only counts up)."""

    def __init__(self, length_s: float | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.length_s = length_s
        self._now = now
        self._started_at: float | None = None
        self._paused_at: float | None = None
        self._paused_total = 0.0

    # ---- State
    @property
    def started(self) -> bool:
        return self._started_at is not None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def elapsed(self) -> float:
        """Seconds of talk so far, pauses left out."""
        if self._started_at is None:
            return 0.0
        end = self._paused_at if self._paused_at is not None else self._now()
        return max(0.0, end - self._started_at - self._paused_total)

    def remaining(self) -> float | None:
        """Seconds left (negative once over time); None without a length."""
        if self.length_s is None:
            return None
        return self.length_s - self.elapsed()

    def overtime(self) -> bool:
        """True from the moment the countdown reaches zero."""
        remaining = self.remaining()
        return remaining is not None and remaining <= 0 and self.started

    def text(self) -> str:
        """``09:58`` counting down, ``+00:12`` once over; elapsed time without a length."""
        remaining = self.remaining()
        if remaining is None:
            return format_duration(self.elapsed())
        if remaining <= 0 and self.started:
            return "+" + format_duration(-remaining)
        return format_duration(remaining, round_up=True)

    # ---- Control
    def start(self) -> None:
        """Start counting (no-op once started; a paused clock resumes)."""
        if self._started_at is None:
            self._started_at = self._now()
        elif self._paused_at is not None:
            self.resume()

    def pause(self) -> None:
        if self._started_at is not None and self._paused_at is None:
            self._paused_at = self._now()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._paused_total += self._now() - self._paused_at
            self._paused_at = None

    def toggle_pause(self) -> None:
        """Pause a running clock, resume a paused one, start one not started yet."""
        if not self.started:
            self.start()
        elif self.paused:
            self.resume()
        else:
            self.pause()

    def reset(self) -> None:
        self._started_at = self._paused_at = None
        self._paused_total = 0.0


def format_duration(seconds: float, round_up: bool = False) -> str:
    """``mm:ss`` (``h:mm:ss`` from an hour). A countdown rounds up, so 0.4 s left is 00:01
    and 00:00 shows only at zero, the moment it turns red."""
    whole = int(-(-seconds // 1)) if round_up else int(seconds)
    hours, rest = divmod(max(0, whole), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
