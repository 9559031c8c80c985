"""Which board a board mode opens: precedence, keeping what works, reconnecting, no loops."""

from __future__ import annotations

import pytest

from presenter.device import BoardInfo
from presenter.modes.board_choice import BoardChoice, pick_board


def pico(port: str, serial: str = "E661") -> BoardInfo:
    return BoardInfo(port=port, serial_number=serial, kind="pico", name="Raspberry Pi Pico")


def microbit(port: str) -> BoardInfo:
    return BoardInfo(port=port, serial_number="9900", kind="microbit", name="BBC micro:bit V1")


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("PRESENTER_PORT", raising=False)
    monkeypatch.delenv("PRESENTER_PORTS", raising=False)


def test_pick_board_follows_the_precedence_of_the_cli(no_env, monkeypatch):
    a, b = pico("/dev/ttyACM0"), pico("/dev/ttyACM1", "E662")
    hand = BoardInfo(port="/dev/pts/4", kind="unknown")
    other = microbit("/dev/ttyACM2")
    boards = [a, b, hand, other]
    assert pick_board([a, other], ("pico",), None, None) == (a, [a])  # the only candidate
    assert pick_board(boards, ("pico",), None, None) == (None, [a, b, hand])  # several: ask
    assert pick_board(boards, ("pico",), None, "/dev/ttyACM1")[0] == b  # the mode's setting
    monkeypatch.setenv("PRESENTER_PORT", "/dev/pts/4")
    assert pick_board(boards, ("pico",), None, "/dev/ttyACM1")[0] == hand  # env beats setting
    assert pick_board(boards, ("pico",), "/dev/ttyACM0", "/dev/ttyACM1")[0] == a  # picked wins
    assert pick_board(boards, ("pico",), "/dev/gone", None)[0] == hand  # picked but unplugged
    assert pick_board(boards, ("microbit",), None, None)[0] == hand


def test_the_board_in_use_stays_when_another_is_plugged_in(no_env):
    choice = BoardChoice(("pico",))
    a, b = pico("/dev/ttyACM0"), pico("/dev/ttyACM1", "E662")
    choice.update([a])
    assert choice.decide(None, None) == a
    choice.opening(a)
    choice.update([a, b])
    assert choice.decide(None, "/dev/ttyACM0") is None
    choice.choose("/dev/ttyACM1")  # until the user picks the other one
    assert choice.decide(None, "/dev/ttyACM0", force=True) == b


def test_a_lost_board_is_reopened_when_it_is_back_on_another_port(no_env):
    choice = BoardChoice(("pico",))
    a, other = pico("/dev/ttyACM0"), pico("/dev/ttyACM5", "E669")
    choice.update([a])
    choice.opening(a)
    choice.went_away()  # still listed when the connection noticed: not yet "gone"
    assert choice.decide(None, None) is None
    choice.update([other])  # gone; another board must not take its place
    assert choice.decide(None, None) is None
    back = pico("/dev/ttyACM3")  # same serial number, new port
    choice.update([other, back])
    assert choice.decide(None, None) == back


def test_a_board_that_reset_without_leaving_the_list_is_retried_once(no_env):
    choice = BoardChoice(("pico",))
    a = pico("/dev/ttyACM0")
    choice.update([a])
    choice.opening(a)
    choice.went_away()
    assert choice.decide(None, None) is None
    choice.assume_gone_and_back()
    assert choice.decide(None, None) == a


def test_a_port_given_by_hand_is_found_again_by_its_name(no_env):
    choice = BoardChoice(("microbit",))
    hand = BoardInfo(port="/dev/pts/7", kind="unknown")
    choice.update([hand])
    choice.opening(hand)
    choice.went_away()
    choice.update([])
    choice.update([hand])
    assert choice.decide(None, None) == hand


def test_a_port_that_failed_is_not_retried_until_it_comes_back_or_is_picked(no_env):
    choice = BoardChoice(("pico",))
    a = pico("/dev/ttyACM0")
    choice.update([a])
    choice.opening(a)
    choice.open_failed("Port /dev/ttyACM0 is in use by another program")
    choice.update([a])
    assert choice.decide(None, None) is None  # no retry loop every second
    assert choice.decide(None, None, force=True) == a  # Run or a pick tries again
    choice.update([])
    choice.update([a])  # replugged
    assert choice.decide(None, None) == a


def test_letting_go_on_purpose_forgets_the_board(no_env):
    choice = BoardChoice(("pico",))
    a = pico("/dev/ttyACM0")
    choice.update([a])
    choice.opening(a)
    choice.let_go()
    assert choice.target is None and choice.lost is None
