"""REPL protocol against the pty fake boards (reference section 6 cases noted per test)."""

from __future__ import annotations

import threading
import time

import pytest

from presenter.device import Board, BoardError, Disconnected, NoResponse, State
from presenter.device.repl import Repl
from presenter.device.transport import Transport


def _run(board, source, **kw):
    out, err = [], []
    result = board.run(source, out.append, err.append, **kw)
    return result, "".join(out), "".join(err)


@pytest.mark.parametrize("prefix", [b"pri", b"for i in range(3):\r", b"\x01", b"\x01\x05A\x01print('x"])
def test_known_state_from_anywhere(fake_modern, prefix):
    """Case 2: half-typed line, `...` block, raw `>`, mid raw-paste: raw prompt within 3 s."""
    t = Transport.open(fake_modern.port)
    try:
        t.write(prefix)
        time.sleep(0.1)
        repl = Repl(t, Board.__init__.__globals__["PROFILES"]["generic"])
        start = time.monotonic()
        repl.enter_raw(3.0)
        assert time.monotonic() - start < 3.0
        assert repl.exec("print(6*7)") == "42\n"
    finally:
        t.close()


def test_garbage_before_banner(fake_modern):
    """Case 4: AT lines, random non-UTF-8 bytes and a partial raw banner before connecting."""
    fake_modern.emit(b"AT+GCAP\r\nNameError\r\n" + bytes(range(0x80, 0xB2)) + b"PL; CTRL-B to exit\r\n>")
    with Board.open(fake_modern.port) as board:
        assert board.eval("1+1") == 2
        assert board.identity.kind == "pico"


def test_raw_paste_print(fake_modern):
    """Case 7: raw-paste used, window respected, output/empty stderr, back at `>`."""
    with Board.open(fake_modern.port) as board:
        result, out, err = _run(board, 'print("hi")')
        assert (result.ending, out, err) == ("normal", "hi\n", "")
        assert board.identity.raw_paste and fake_modern.paste_count >= 2
        assert fake_modern.window_violations == 0
        assert board.state == State.COMMAND


def test_v1_fallback_and_4kb_script_intact(fake_v1):
    """Case 8: V1 answers the probe with the raw banner; paced classic raw delivers 4 KB intact."""
    lines = [f"x{i} = {i} * 3  # padding padding padding!" for i in range(100)]
    source = "\n".join(lines) + "\nprint(x99)\n"
    assert len(source) > 4000
    with Board.open(fake_v1.port) as board:
        assert board.identity.raw_paste is False and board.repl.raw_paste is False
        result, out, err = _run(board, source)
        assert (result.ending, out, err) == ("normal", "297\n", "")
    assert fake_v1.dropped == 0
    assert fake_v1.submissions[-1] == source.encode()


def test_syntax_error_deep_in_big_script_aborts_paste(fake_modern):
    """Case 9: device stops raw-paste early; the engine acks and reports the right line."""
    lines = [f"a{i} = {i}" for i in range(400)]
    lines[199] = "def broken(:"
    with Board.open(fake_modern.port) as board:
        start = time.monotonic()
        result, out, err = _run(board, "\n".join(lines) + "\n")
        assert time.monotonic() - start < 5
        assert result.ending == "exception"
        assert "line 200" in err and "SyntaxError" in err
        assert board.eval("2") == 2  # still usable


def test_exception_after_output(fake_modern):
    """Case 10: partial stdout, traceback as error text, ready again."""
    with Board.open(fake_modern.port) as board:
        result, out, err = _run(board, "print('before')\nx = 1/0\n")
        assert out == "before\n"
        assert result.ending == "exception"
        assert "ZeroDivisionError" in result.error_text and 'line 2' in result.error_text
        assert board.eval("3") == 3


@pytest.mark.parametrize("swallow", [0, 1])
def test_interrupt_infinite_loop(fake_v1, swallow):
    """Case 11: Stop ends `while True: pass` within 1 s, resending Ctrl-C if the first is swallowed."""
    fake_v1.swallow_interrupts = swallow
    with Board.open(fake_v1.port) as board:
        holder = {}
        th = threading.Thread(target=lambda: holder.update(r=_run(board, "while True:\n    pass\n")))
        th.start()
        time.sleep(0.4)
        assert board.running
        start = time.monotonic()
        board.interrupt()
        th.join(3)
        assert not th.is_alive()
        assert time.monotonic() - start < 1.5
        result = holder["r"][0]
        assert result.ending == "interrupted" and "KeyboardInterrupt" in result.error_text
        assert fake_v1.swallow_interrupts == 0


@pytest.mark.parametrize("profile,ending", [("modern", "soft_reboot"), ("v1", "normal")])
def test_sys_exit_endings(profile, ending):
    """Case 13: mainline forced exit (\\x04\\x04 + soft reboot + raw banner) vs V1 plain `>`."""
    from tests.fakes.fake_board import FakeBoard

    fake = FakeBoard(profile)
    try:
        with Board.open(fake.port) as board:
            for code in ("import sys\nprint('bye')\nsys.exit()\n", "import machine\nmachine.soft_reset()\n"):
                result, out, err = _run(board, code, clean=False)
                assert result.ending == ending
                assert board.eval("5") == 5
            if profile == "modern":
                _, out, _ = _run(board, "import sys\nsys.exit()\n", clean=False)
                assert "boot.py output" in out  # shown between reboot and banner (case 14)
    finally:
        fake.close()


def test_soft_reset_during_run_interrupts_first(fake_modern):
    """Case 14: soft reset while a program runs sends Ctrl-C first and reaches a known state."""
    fake_modern.fs.files["main.py"] = b"print('main ran')\n"
    with Board.open(fake_modern.port) as board:
        th = threading.Thread(target=lambda: _run(board, "while True:\n    pass\n"))
        th.start()
        time.sleep(0.3)
        board.soft_reset()
        th.join(3)
        assert not th.is_alive()
        seen = []
        board.start_terminal(seen.append)
        time.sleep(0.3)
        board.stop_terminal()
        assert "main ran" in "".join(seen)
        assert board.eval("7") == 7


def test_hardware_reset_mid_run(fake_modern):
    """Case 15: banner + >>> without framing ends the run as "reset"."""
    with Board.open(fake_modern.port) as board:
        th_result = {}
        th = threading.Thread(target=lambda: th_result.update(r=_run(board, "print('go')\nwhile True:\n    pass\n")))
        th.start()
        time.sleep(0.3)
        fake_modern.hardware_reset()
        th.join(3)
        assert th_result["r"][0].ending == "reset"
        assert board.eval("8") == 8


def test_input_forwarded_and_interruptible(fake_modern):
    """Case 16: send_input feeds input(); Ctrl-C during input() interrupts."""
    with Board.open(fake_modern.port) as board:
        out = []
        res = {}
        th = threading.Thread(target=lambda: res.update(r=board.run("n = input('name? ')\nprint('hello', n)\n", out.append, out.append)))
        th.start()
        time.sleep(0.3)
        board.send_input("Ada\n")
        th.join(3)
        assert res["r"].ending == "normal"
        assert "hello Ada" in "".join(out)
        th = threading.Thread(target=lambda: res.update(r=board.run("input()\n", out.append, out.append)))
        th.start()
        time.sleep(0.3)
        board.interrupt()
        th.join(3)
        assert res["r"].ending == "interrupted"


def test_prompt_lookalikes_in_output(fake_modern):
    """Case 17: printing `>>> ` and `raw REPL` text is just output."""
    code = "print('>>> ')\nprint('raw REPL; CTRL-B to exit')\nprint('>')\nprint('done')\n"
    with Board.open(fake_modern.port) as board:
        result, out, err = _run(board, code)
        assert result.ending == "normal"
        assert out == ">>> \nraw REPL; CTRL-B to exit\n>\ndone\n"


def test_printed_ctrl_d_does_not_deadlock(fake_modern):
    """Case 18 (documented limitation): output containing \\x04 ends without a hang."""
    with Board.open(fake_modern.port) as board:
        start = time.monotonic()
        result, out, err = _run(board, "print('a' + chr(4) + 'b')\n")
        assert time.monotonic() - start < 8
        assert "a" in out
        assert board.eval("9") == 9


def test_stream_arrives_before_program_ends(fake_modern):
    with Board.open(fake_modern.port) as board:
        stamps = []
        start = time.monotonic()
        board.run("import time\nprint('first')\ntime.sleep(0.6)\nprint('second')\n",
                  lambda s: stamps.append((time.monotonic() - start, s)), lambda s: None)
        acc, first = "", None
        for t, s in stamps:
            acc += s
            if first is None and "first\n" in acc:
                first = t
        assert acc == "first\nsecond\n"
        assert stamps[-1][0] - first > 0.4


def test_split_utf8_in_output(fake_modern):
    """Case 21/23: multi-byte characters split across reads decode correctly; invalid -> U+FFFD."""
    with Board.open(fake_modern.port) as board:
        result, out, err = _run(board, "print('°😀é')\n")
        assert out == "°😀é\n"


def test_silent_board_raises_no_response_then_recovers(fake_modern):
    """Case 34: a silent device -> NoResponse naming the port; then resync, no stale bytes."""
    with Board.open(fake_modern.port) as board:
        fake_modern.silent = True
        start = time.monotonic()
        with pytest.raises(NoResponse) as info:
            board.exec("print(1)", timeout=2)
        assert time.monotonic() - start < 6
        assert fake_modern.port in str(info.value)
        fake_modern.silent = False
        assert board.exec("print('fresh')") == "fresh\n"


def test_silent_at_connect(fake_modern):
    fake_modern.silent = True
    with pytest.raises(NoResponse) as info:
        Board.open(fake_modern.port, timeout=1.5)
    assert fake_modern.port in str(info.value)


def test_unplug_mid_run_raises_disconnected_fast(fake_modern):
    """Unplug while running: Disconnected within 2 s, reader thread gone."""
    board = Board.open(fake_modern.port)
    box = {}

    def target():
        try:
            _run(board, "while True:\n    pass\n")
        except Disconnected as exc:
            box["e"] = exc

    th = threading.Thread(target=target)
    th.start()
    time.sleep(0.3)
    start = time.monotonic()
    fake_modern.disconnect()
    th.join(3)
    assert "e" in box and time.monotonic() - start < 2
    assert board.state == State.DISCONNECTED
    board.close()
    assert not board.transport._thread.is_alive()


def test_stop_works_during_output_flood(fake_modern):
    """Case 19 (engine side): a program printing as fast as it can still stops on interrupt."""
    with Board.open(fake_modern.port) as board:
        got = []
        res = {}
        th = threading.Thread(target=lambda: res.update(r=board.run("while True:\n    print('x' * 60)\n", got.append, got.append)))
        th.start()
        time.sleep(0.5)
        board.interrupt()
        th.join(3)
        assert not th.is_alive() and res["r"].ending == "interrupted"
        assert sum(len(s) for s in got) > 10_000
        assert board.eval("11") == 11


def test_program_ignoring_stop_without_break_reset(fake_modern):
    """Case 12: Ctrl-C swallowed for good; Pico-like boards say to replug (BoardError)."""
    from presenter.device import BoardError

    fake_modern.swallow_interrupts = 1000
    board = Board.open(fake_modern.port)
    try:
        th = threading.Thread(target=lambda: _run(board, "while True:\n    pass\n"), daemon=True)
        th.start()
        time.sleep(0.3)
        with pytest.raises(BoardError, match="unplug it and plug it in again"):
            board.hard_reset()
        assert th.is_alive()  # still running: nothing pretended otherwise
        with fake_modern.fault_lock:
            fake_modern.swallow_interrupts = 0
        board.interrupt()
        th.join(3)
        assert not th.is_alive()
    finally:
        board.close()


def test_two_boards_independent():
    """Case 35: each Board is bound to its port; unplugging one leaves the other working."""
    from tests.fakes.fake_board import FakeBoard

    a, b = FakeBoard("modern"), FakeBoard("v1")
    try:
        with Board.open(a.port) as ba, Board.open(b.port) as bb:
            assert ba.eval("1") == 1 and bb.eval("2") == 2
            a.disconnect()
            with pytest.raises(Disconnected):
                ba.eval("1")
            assert bb.eval("2 + 1") == 3
    finally:
        a.close()
        b.close()


def test_watch_running_main_without_interrupting(fake_modern):
    """Case 3: interrupt=False sends nothing, output is shown; the first command interrupts."""
    fake_modern.fs.files["main.py"] = b"import time\nwhile True:\n    print('tick')\n    time.sleep(0.01)\n"
    fake_modern.soft_reboot(friendly=True)
    time.sleep(0.1)
    board = Board.open(fake_modern.port, interrupt=False)
    try:
        seen = []
        board.start_terminal(seen.append)
        time.sleep(0.4)
        assert "tick" in "".join(seen)
        assert bytes(fake_modern.received) == b""
        assert board.identity is None
        assert board.eval("6 * 7") == 42  # interrupts main.py, identifies
        assert board.identity is not None and board.identity.kind == "pico"
    finally:
        board.close()


def test_terminal_paste_is_echo_paced_on_v1(fake_v1):
    """Case 33: 3 KB pasted into the REPL pane arrives intact through the V1 drop buffer."""
    code = "".join(f"p{i} = '{'z' * 20}'  # pasted line {i}\n" for i in range(70)) + "print('sum', len(p69) + 69)\n"
    assert len(code) > 3000
    with Board.open(fake_v1.port) as board:
        seen = []
        board.start_terminal(seen.append)
        board.terminal_paste(code)
        deadline = time.monotonic() + 3
        while "sum 89" not in "".join(seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        board.stop_terminal()
        assert "sum 89" in "".join(seen)
    assert fake_v1.dropped == 0
    assert fake_v1.submissions[-1] == code.encode()


def test_garbage_and_split_utf8_mid_run_never_crash(fake_v1):
    """Case 21 live: invalid bytes and an emoji split across writes arrive as U+FFFD / the emoji."""
    with Board.open(fake_v1.port) as board:
        out = []

        def noise():
            time.sleep(0.2)
            fake_v1.emit(b"\xff\xfe\xf0\x9f")
            time.sleep(0.1)
            fake_v1.emit(b"\x98\x80\r\n")

        threading.Thread(target=noise).start()
        result = board.run("import time\ntime.sleep(0.6)\nprint('ok')\n", out.append, out.append)
        assert result.ending == "normal"
        assert "".join(out) == "\ufffd\ufffd😀\nok\n"


def test_one_byte_reads_give_identical_results(fake_modern):
    """Case 23: the same program gives the same stdout/stderr split in 1-byte and bulk reads."""
    code = "print('héllo ' * 50)\nprint('😀' * 20)\nraise ValueError('bad °')\n"
    with Board.open(fake_modern.port) as board:
        bulk = _run(board, code)
        fake_modern.trickle = True
        trickled = _run(board, code)
    assert bulk[0].ending == trickled[0].ending == "exception"
    assert bulk[1:] == trickled[1:]
    assert "ValueError: bad °" in trickled[2] and "😀" * 20 in trickled[1]


def test_late_output_of_timed_out_command_does_not_leak(fake_modern):
    """Case 34: a command that outlives its timeout; its late output never reaches the next one."""
    with Board.open(fake_modern.port) as board:
        with pytest.raises(NoResponse):
            board.exec("import time\ntime.sleep(1.5)\nprint('late')", timeout=0.5)
        time.sleep(1.5)
        assert board.exec("print('mine')") == "mine\n"


def test_paste_inflight_cap_still_delivers(fake_modern):
    """micro:bit V2 profile caps raw-paste bytes in flight at 128 (CODAL RX buffer)."""
    from presenter.device import PROFILES

    source = "".join(f"y{i} = {i}\n" for i in range(300)) + "print(y299)\n"
    with Board.open(fake_modern.port, profile=PROFILES["microbit-v2"]) as board:
        assert board.repl.profile.paste_inflight_cap == 128
        result, out, err = _run(board, source)
        assert (result.ending, out, err) == ("normal", "299\n", "")
    assert fake_modern.window_violations == 0
    assert fake_modern.submissions[-1] == source.encode()


def test_connect_while_main_py_floods_output(fake_v1):
    """Case 3 with interrupt on connect: a main.py printing flat out still yields a prompt."""
    fake_v1.fs.files["main.py"] = b"while True:\n    print('flood ' * 8)\n"
    fake_v1.soft_reboot(friendly=True)
    time.sleep(0.2)
    start = time.monotonic()
    with Board.open(fake_v1.port) as board:
        assert time.monotonic() - start < 3
        assert board.eval("'ready'") == "ready"


@pytest.mark.parametrize("profile", ["v1", "modern"])
def test_stop_while_sending_never_runs_half_a_program(profile):
    """Stop pressed while a long program is still being sent: nothing of it runs."""
    from presenter.device import PROFILES
    from tests.fakes.fake_board import FakeBoard

    fake = FakeBoard(profile)
    fake.paste_delay = 0.02  # modern: slow raw-paste acks so Stop lands mid-transfer
    source = "print('started')\n" + "".join(f"z{i} = {i}  # {'p' * 40}\n" for i in range(400))
    try:
        with Board.open(fake.port, profile=PROFILES["generic"]) as board:
            fake.abort_paste_on_syntax_error = False
            before = len(fake.submissions)
            box = {}
            out = []
            th = threading.Thread(target=lambda: box.update(r=board.run(source, out.append, out.append)))
            th.start()
            time.sleep(0.5)
            board.interrupt()
            th.join(5)
            assert box["r"].ending == "interrupted"
            assert "started" not in "".join(out)
            time.sleep(0.3)
            assert len(fake.submissions) == before  # the program never ran, not even partly
            assert board.eval("'still fine'") == "still fine"
    finally:
        fake.close()


def test_raw_paste_refused_later_falls_back_per_submission(fake_modern):
    """Raw-paste advertised at connect, refused later (R\\x00): that submission goes classic."""
    with Board.open(fake_modern.port) as board:
        assert board.repl.raw_paste is True
        fake_modern.paste_disabled = True
        result, out, err = _run(board, "print('classic')")
        assert (result.ending, out) == ("normal", "classic\n")
        assert board.repl.raw_paste is False
        assert board.eval("1 + 1") == 2


def test_input_typed_before_the_program_runs_is_held_not_executed(fake_v1):
    """Typing ahead while a (slow, paced) V1 submission is on the wire must not end up in the source."""
    with Board.open(fake_v1.port) as board:
        assert board.send_input("stray\n") is False  # nothing running: nothing sent to the REPL
        out = []
        res = {}
        padding = "".join(f"x{n} = {n}\n" for n in range(40))  # long enough to still be sending
        code = padding + "n = input('name? ')\nprint('hello', n)\n"
        th = threading.Thread(target=lambda: res.update(r=board.run(code, out.append, out.append)))
        th.start()
        deadline = time.monotonic() + 5
        while not board.repl._starting and time.monotonic() < deadline:
            time.sleep(0.001)
        assert board.repl._starting, "the run never started sending"
        assert board.send_input("Ada\n") is True
        th.join(10)
        assert res["r"].ending == "normal", res["r"].error_text
        assert "hello Ada" in "".join(out)
        assert board.eval("1 + 1") == 2


@pytest.mark.parametrize("profile", ["modern", "v1"])
def test_banner_and_prompt_printed_by_a_program_are_not_a_reset(profile):
    """Item 10: a reset is read from the protocol (a probe only a prompt echoes), not from text."""
    from tests.fakes.fake_board import BANNERS, FakeBoard

    fake = FakeBoard(profile)
    banner = BANNERS[profile].decode().replace("\r\n", "\n")
    code = (f"import time\nprint({banner!r}, end='')\nprint('>>> ', end='')\n"
            "time.sleep(1.2)\nprint('after the pause')\n")
    try:
        with Board.open(fake.port) as board:
            result, out, err = _run(board, code)
            assert result.ending == "normal", (result, out)
            assert out.endswith(">>> after the pause\n")
            assert board.eval("'still answering'") == "still answering"
    finally:
        fake.close()


def test_a_command_the_board_received_damaged_is_sent_again_only_if_none_of_it_ran(fake_v1):
    """A V1 that falls behind drops bytes of a classic raw write; a command that then fails to
    compile never ran, so the engine sends it again.  One that fails while running may have
    done half its work: that one is reported, not repeated."""
    with Board.open(fake_v1.port) as board:
        fake_v1.lose_bytes(lambda code: code.find(b"(") if code == b"print(6*7)" else None)
        assert board.exec("print(6*7)") == "42\n"
        assert fake_v1.dropped == 1 and board.repl.resent == 1
        assert fake_v1.submissions[-2:] == [b"print6*7)", b"print(6*7)"]
        fake_v1.lose_bytes(lambda code: code.find(b"n") if code == b"print(6*7)" else None)
        with pytest.raises(BoardError, match="NameError"):
            board.exec("print(6*7)")
        assert fake_v1.submissions[-1] == b"prit(6*7)" and board.repl.resent == 1
        assert board.eval("1+1") == 2


def test_a_command_whose_end_the_board_lost_is_sent_again_and_runs_once(fake_v1):
    """The closing Ctrl-D lost: no OK comes.  Ctrl-C then clears the waiting buffer and the
    raw banner with no OK before it proves nothing ran, so the command is sent again."""
    with Board.open(fake_v1.port) as board:
        fake_v1.lose_bytes(lambda code: len(code) if code.startswith(b"n = 0") else None)
        assert board.exec("n = 0\nprint('once')") == "once\n"
        assert board.repl.resent == 1
        assert [s for s in fake_v1.submissions if s.startswith(b"n = 0")] == [b"n = 0\nprint('once')"]


def test_a_program_whose_end_the_board_lost_still_runs_once(fake_v1):
    with Board.open(fake_v1.port) as board:
        fake_v1.lose_bytes(lambda code: len(code) if b"'ran'" in code else None)
        result, out, err = _run(board, "print('ran')")
        assert (result.ending, out, err) == ("normal", "ran\n", "")
        assert board.repl.resent == 1
        assert [s for s in fake_v1.submissions if b"'ran'" in s] == [b"print('ran')"]


def test_fake_v1_drops_nothing_paced_when_its_own_thread_is_starved(fake_v1):
    """Under load the fake's receive thread may not run for a while; a real V1 drains its
    buffer all the same, so paced writes must arrive whole (the fake models arrival time)."""
    lines = [f"x{i} = {i} * 3  # padding padding padding!" for i in range(30)]
    source = "\n".join(lines) + "\nprint(x29)\n"
    with Board.open(fake_v1.port) as board:
        fake_v1.starve(0.3)
        result, out, err = _run(board, source)
        assert (result.ending, out, err) == ("normal", "87\n", "")
    assert fake_v1.dropped == 0
    assert fake_v1.submissions[-1] == source.encode()


def test_identify_that_arrived_damaged_is_asked_again(fake_v1):
    """A byte lost from the identity query (``o.uname``: a NameError once ``import os`` ran)
    must not leave the board with no features, which would send wrong file commands."""
    fake_v1.lose_bytes(lambda code: code.index(b"os.uname") + 1 if b"os.uname" in code else None)
    with Board.open(fake_v1.port) as board:
        assert fake_v1.dropped == 1 and board.repl.resent == 1
        assert board.identity.kind == "microbit" and "size" in board.identity.features
