"""core.talk_clock: a countdown read from a clock the test controls."""

from __future__ import annotations

from presenter.core.talk_clock import TalkClock, format_duration


class FakeNow:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def test_counts_down_then_over_time():
    now = FakeNow()
    clock = TalkClock(600, now)
    assert clock.text() == "10:00" and not clock.started
    now.value += 30  # not started: the audience is still sitting down
    assert clock.text() == "10:00"
    clock.start()
    now.value += 59.5
    assert clock.text() == "09:01" and not clock.overtime()
    now.value += 540.5
    assert clock.text() == "+00:00" and clock.overtime()
    now.value += 75
    assert clock.text() == "+01:15" and clock.remaining() == -75


def test_a_pause_stops_the_countdown():
    now = FakeNow()
    clock = TalkClock(60, now)
    clock.start()
    now.value += 10
    clock.toggle_pause()
    assert clock.paused
    now.value += 1000
    assert clock.text() == "00:50" and not clock.overtime()
    clock.toggle_pause()
    now.value += 5
    assert clock.text() == "00:45" and not clock.paused
    clock.reset()
    assert clock.text() == "01:00" and not clock.started


def test_toggle_pause_starts_a_clock_not_started_yet():
    now = FakeNow()
    clock = TalkClock(None, now)
    clock.toggle_pause()
    now.value += 3725
    assert clock.started and clock.text() == "1:02:05" and clock.remaining() is None


def test_format_duration_rounds_a_countdown_up():
    assert format_duration(0.4, round_up=True) == "00:01"
    assert format_duration(0.4) == "00:00"
    assert format_duration(59.0, round_up=True) == "00:59"
