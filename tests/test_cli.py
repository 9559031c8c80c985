"""The ``presenter`` command line, tested as a user meets it: a real child process.

Board commands run against the virtual micro:bit (real V1 MicroPython in QEMU); faults
(a board that vanishes) come from the fake board on a pty.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from presenter import cli
from tests.fakes.emulator import soft_reset

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60,
            input_text: str | None = None) -> subprocess.CompletedProcess:
    """``python -m presenter ARGS`` with a clean port environment unless ``env`` adds one."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("PRESENTER_PORT", "PRESENTER_PORTS")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "presenter", *args], cwd=ROOT, env=full_env,
        capture_output=True, text=True, timeout=timeout,
        input=input_text, stdin=None if input_text is not None else subprocess.DEVNULL,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("presenter: "), proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], proc.stderr


# ---- Without a board


@pytest.mark.sysqt
def test_every_command_has_help_and_a_handler():
    names = [c.name for c in cli.COMMANDS]
    assert sorted(names) == ["devices", "flash", "fs", "repl", "reset", "run"]
    for command in cli.COMMANDS:
        proc = run_cli(command.name, "--help")
        assert proc.returncode == 0, proc.stderr
        assert command.help.split()[0] in proc.stdout


def test_version_still_works():
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip().startswith("presenter ")


@pytest.mark.sysqt
def test_device_commands_do_not_import_qt():
    code = (
        "import presenter.cli, presenter.device, presenter.device.flash, sys\n"
        "assert 'PyQt5' not in sys.modules, 'Qt imported'\n"
        "sys.argv = ['presenter', 'devices']\n"
        "try:\n"
        "    presenter.cli.main()\n"
        "finally:\n"
        "    assert 'PyQt5' not in sys.modules, 'Qt imported by devices'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert "Qt imported" not in proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr


def test_devices_without_boards_says_how_to_give_a_port():
    proc = run_cli("devices")  # this machine has no USB boards and no MICROBIT drive
    assert_one_line_error(proc, "no boards found", "--port", "PRESENTER_PORT")
    assert proc.returncode == 1


@pytest.mark.sysqt
def test_bad_port_is_one_line_without_traceback(tmp_path):
    script = tmp_path / "x.py"
    script.write_text("print(1)\n")
    proc = run_cli("run", "--port", str(tmp_path / "ttyNOPE"), str(script))
    assert_one_line_error(proc, "ttyNOPE")


def test_no_port_and_no_board_explains(tmp_path):
    script = tmp_path / "x.py"
    script.write_text("print(1)\n")
    assert_one_line_error(run_cli("run", str(script)), "--port")


def test_missing_local_file_is_one_line():
    assert_one_line_error(run_cli("run", "--port", "/dev/null", "no_such_file.py"),
                          "no_such_file.py")


def test_non_utf8_script_is_refused_clearly(tmp_path):
    script = tmp_path / "latin1.py"
    script.write_bytes(b"print('caf\xe9')\n")
    assert_one_line_error(run_cli("run", "--port", "/dev/null", str(script)), "UTF-8")


def test_flash_to_drive_writes_a_hex_with_the_script(tmp_path):
    from tests.device.test_flash import V1_FS_START, hex_sections, read_main_py

    script = tmp_path / "prog.py"
    script.write_text("from microbit import *\ndisplay.scroll('hi')\n")
    drive = tmp_path / "MICROBIT"
    drive.mkdir()
    proc = run_cli("flash", "--drive", str(drive), str(script))
    assert proc.returncode == 0, proc.stderr
    assert "as a .hex" in proc.stdout
    sections = hex_sections((drive / "micropython.hex").read_text())
    assert read_main_py(sections["9900"], V1_FS_START) == script.read_bytes()


def test_flash_too_large_script_is_refused_and_nothing_written(tmp_path):
    script = tmp_path / "big.py"
    script.write_text("# padding\n" * 3000)
    drive = tmp_path / "MICROBIT"
    drive.mkdir()
    proc = run_cli("flash", "--drive", str(drive), str(script))
    assert_one_line_error(proc, "30000 bytes", "at most")
    assert list(drive.iterdir()) == []


def _read_until(fd: int, marker: bytes, timeout: float = 15.0) -> bytes:
    import select

    got = b""
    deadline = time.monotonic() + timeout
    while marker not in got and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                got += os.read(fd, 4096)
            except OSError:
                break
    assert marker in got, got
    return got


# ---- Faults, on fake boards behind ptys


@pytest.mark.sysqt
def test_board_unplugged_during_run_is_one_line(fake_modern, tmp_path):
    script = write_script(tmp_path, "import time\nprint('go')\nwhile True:\n    time.sleep(0.01)\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "run", "--port", fake_modern.port, str(script)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "go"
        fake_modern.disconnect()
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 1
    assert "Traceback" not in err
    assert err.startswith("presenter: ") and "disconnected" in err and len(err.splitlines()) == 1


def test_repl_notices_an_unplugged_board(fake_modern):
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "repl", "--port", fake_modern.port],
        cwd=ROOT, stdin=slave, stdout=slave, stderr=slave,
    )
    try:
        _read_until(master, b">>> ")
        fake_modern.disconnect()  # nobody types: the command must notice on its own
        assert proc.wait(timeout=10) == 1
        shown = _read_until(master, b"disconnected", timeout=5)
        assert b"Traceback" not in shown and b"presenter: " in shown
    finally:
        proc.kill()
        os.close(master)
        os.close(slave)


def test_flash_all_over_fake_boards_reports_a_full_board(tmp_path):
    from tests.fakes.fake_board import FakeBoard

    boards = [FakeBoard("modern"), FakeBoard("modern", fs_capacity=8), FakeBoard("v1")]
    good, full, v1 = boards
    script = write_script(tmp_path, "print('class demo')\n")
    try:
        proc = run_cli("flash", "--all", str(script),
                       env={"PRESENTER_PORTS": os.pathsep.join(b.port for b in boards)})
        lines = {line.split("\t")[1]: line.split("\t")[2] for line in proc.stdout.splitlines()}
        assert lines[good.port] == "ok" and lines[v1.port] == "ok"
        assert lines[full.port].startswith("failed: ") and "full" in lines[full.port]
        assert len(lines) == 3
        assert proc.returncode == 1
        assert proc.stderr.strip() == "presenter: 1 of 3 boards failed."
        assert good.fs.files["main.py"] == v1.fs.files["main.py"] == script.read_bytes()
        assert "main.py" not in full.fs.files  # the partial file was not left behind
    finally:
        for board in boards:
            board.close()


def test_fs_put_into_a_folder_on_a_flat_board_is_refused(fake_v1, tmp_path):
    local = write_script(tmp_path, "x = 1\n", "x")
    proc = run_cli("fs", "put", "--port", fake_v1.port, str(local), "sub/x")
    assert_one_line_error(proc, "no folders", "sub/x")
    assert fake_v1.fs.files == {}


def test_fs_get_into_a_missing_local_folder_is_refused(fake_modern, tmp_path):
    fake_modern.fs.files["data.txt"] = b"hello"
    missing = tmp_path / "missing-folder"
    proc = run_cli("fs", "get", "--port", fake_modern.port, "data.txt", f"{missing}/")
    assert_one_line_error(proc, "no folder", "missing-folder")
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []
    into = tmp_path / "there"
    into.mkdir()
    ok = run_cli("fs", "get", "--port", fake_modern.port, "data.txt", f"{into}/")
    assert ok.returncode == 0, ok.stderr
    assert (into / "data.txt").read_bytes() == b"hello"


@pytest.mark.sysqt
def test_fs_ls_lists_the_path_it_is_given(fake_modern):
    fake_modern.fs.dirs.add("lib")
    fake_modern.fs.files.update({"lib/m.py": b"abc", "top.py": b"x"})
    folder = run_cli("fs", "ls", "--port", fake_modern.port, "/lib")
    assert folder.returncode == 0, folder.stderr
    assert folder.stdout.split() == ["3", "m.py"]
    one = run_cli("fs", "ls", "--port", fake_modern.port, "/lib/m.py")
    assert one.returncode == 0, one.stderr
    assert one.stdout.split() == ["3", "m.py"]
    assert_one_line_error(run_cli("fs", "ls", "--port", fake_modern.port, "/nope"), "/nope")


def test_flash_all_with_the_same_port_twice_flashes_it_once(fake_modern, tmp_path):
    script = write_script(tmp_path, "print('once')\n")
    proc = run_cli("flash", "--all", "--port", fake_modern.port, "--port", fake_modern.port,
                   str(script))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [f"-\t{fake_modern.port}\tok"]
    assert fake_modern.fs.files["main.py"] == b"print('once')\n"


def test_flash_says_unchanged_when_main_py_already_held_the_script(fake_modern, tmp_path):
    script = write_script(tmp_path, "print('same')\n")
    fake_modern.fs.files["main.py"] = b"print('same')\n"
    single = run_cli("flash", "--port", fake_modern.port, str(script))
    assert single.returncode == 0, single.stderr
    assert single.stdout.strip().endswith("over serial: unchanged (main.py already held this "
                                          "script; the board was reset)")
    every = run_cli("flash", "--all", "--port", fake_modern.port, str(script))
    assert every.returncode == 0, every.stderr
    assert every.stdout.split("\t")[2].startswith("unchanged")


@pytest.mark.sysqt
def test_ctrl_c_during_put_removes_the_temporary_and_says_so(fake_modern, tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(200_000))
    fake_modern.fs.files["big.bin"] = b"old"
    fake_modern.stall_paste(after=30_000, seconds=2.0)  # holds the copy mid-way for Ctrl-C
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "fs", "put", "--port", fake_modern.port, str(big)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not fake_modern.stalls:
            assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "interrupted" in err and "temporary file was removed and big.bin is unchanged" in err
    assert fake_modern.fs.files == {"big.bin": b"old"}


# ---- On the virtual micro:bit


@pytest.fixture()
def board_port(microbit_port):
    """The emulator's pty, for commands that need MicroPython."""
    return microbit_port


def write_script(tmp_path: Path, text: str, name: str = "prog.py") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.sysqt
@pytest.mark.emulator
def test_run_streams_output_live_and_exits_zero(board_port, tmp_path):
    script = write_script(tmp_path, "from microbit import sleep\nprint('first')\nsleep(1500)\n"
                                    "print('second')\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "run", "--port", board_port, str(script)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        still_running = proc.poll() is None  # "first" arrived while the board still slept
        rest, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert first.strip() == "first"
    assert still_running
    assert rest.strip() == "second"
    assert proc.returncode == 0, err


@pytest.mark.emulator
def test_run_of_a_raising_script_exits_nonzero_with_traceback(board_port, tmp_path):
    script = write_script(tmp_path, "print('before')\nx = {}\nx['missing']\n")
    proc = run_cli("run", "--port", board_port, str(script))
    assert proc.returncode == 1
    assert proc.stdout.strip() == "before"
    assert "Traceback (most recent call last)" in proc.stderr
    assert "line 3" in proc.stderr
    assert "KeyError" in proc.stderr


@pytest.mark.emulator
def test_run_feeds_piped_stdin_to_input(board_port, tmp_path):
    script = write_script(tmp_path, "name = input('name? ')\nprint('hi', name)\n")
    proc = run_cli("run", "--port", board_port, str(script), input_text="Ann\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "hi Ann"


@pytest.mark.emulator
def test_ctrl_c_stops_the_program_on_the_board(board_port, tmp_path):
    script = write_script(tmp_path, "print('looping')\nn = 0\nwhile True:\n    n += 1\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "run", "--port", board_port, str(script)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "looping"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "KeyboardInterrupt" in err
    assert "presenter:" not in err  # the board's own KeyboardInterrupt, not a CLI failure
    # The board itself stopped (not only the CLI): it answers the next command at once.
    after = run_cli("run", "--port", board_port, str(write_script(tmp_path, "print(6 * 7)\n", "b.py")))
    assert after.returncode == 0, after.stderr
    assert after.stdout.strip() == "42"


@pytest.mark.sysqt
@pytest.mark.emulator
def test_fs_round_trip_text_and_binary(board_port, tmp_path):
    tag = uuid.uuid4().hex[:6]
    text_name, bin_name = f"t{tag}.txt", f"b{tag}.bin"
    text = tmp_path / text_name
    text.write_text("line one\nline two é\n", encoding="utf-8")
    binary = tmp_path / bin_name
    payload = bytes(range(256)) * 2
    binary.write_bytes(payload)
    port = ["--port", board_port]
    try:
        assert run_cli("fs", "put", *port, str(text)).returncode == 0
        # stderr on a terminal: the copy shows a progress line there.
        import pty

        master, slave = pty.openpty()
        try:
            put = subprocess.run([sys.executable, "-m", "presenter", "fs", "put", *port, str(binary)],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=slave,
                                 stdin=subprocess.DEVNULL, timeout=60)
            shown = _read_until(master, b"100%", timeout=5)
        finally:
            os.close(master)
            os.close(slave)
        assert put.returncode == 0
        assert b"put " + bin_name.encode() in shown and b"512/512 bytes" in shown
        listing = run_cli("fs", "ls", *port)
        assert listing.returncode == 0, listing.stderr
        sizes = {line.split()[1]: line.split()[0] for line in listing.stdout.splitlines()}
        assert sizes[bin_name] == "512"
        assert sizes[text_name] == str(len(text.read_bytes()))
        cat = run_cli("fs", "cat", *port, text_name)
        assert cat.stdout == "line one\nline two é\n"
        back = tmp_path / "back.bin"
        got = run_cli("fs", "get", *port, bin_name, str(back))
        assert got.returncode == 0, got.stderr
        assert back.read_bytes() == payload
        again = run_cli("fs", "put", *port, str(binary))
        assert "unchanged" in again.stderr
    finally:
        assert run_cli("fs", "rm", *port, text_name).returncode == 0
        assert run_cli("fs", "rm", *port, bin_name).returncode == 0
    missing = run_cli("fs", "cat", *port, bin_name)  # gone, and the error is one line
    assert_one_line_error(missing, bin_name)


@pytest.mark.emulator
def test_repl_with_piped_input(board_port):
    proc = run_cli("repl", "--port", board_port, input_text="print(7 * 6)\n")
    assert proc.returncode == 0, proc.stderr
    assert "42" in proc.stdout


@pytest.mark.emulator
def test_repl_in_a_terminal_passes_keys_and_quits_on_ctrl_bracket(board_port):
    import pty
    import termios

    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "repl", "--port", board_port],
        cwd=ROOT, stdin=slave, stdout=slave, stderr=slave,
    )
    try:
        _read_until(master, b"Ctrl-] quits")
        os.write(master, b"print(6 * 7)\r")  # typed at once: raw mode is on before this line
        _read_until(master, b"42")
        os.write(master, b"while True: pass\r\r")
        time.sleep(0.5)
        os.write(master, b"\x03")  # Ctrl-C goes to the board, the command keeps running
        _read_until(master, b"KeyboardInterrupt")
        assert proc.poll() is None
        os.write(master, b"\x1d")  # Ctrl-] quits
        assert proc.wait(timeout=15) == 0
        assert termios.tcgetattr(slave) == before  # the terminal is left as it was found
    finally:
        proc.kill()
        os.close(master)
        os.close(slave)


@pytest.mark.emulator
def test_flash_over_serial_runs_main_py_after_reset(board_port, tmp_path):
    token = uuid.uuid4().hex[:8]
    # Like most micro:bit programs it never ends: later commands must still get through.
    script = write_script(tmp_path, f"from microbit import sleep\nf = open('flashmark.txt', 'w')\n"
                                    f"f.write('{token}')\nf.close()\nwhile True:\n"
                                    "    print('marked')\n    sleep(100)\n")
    port = ["--port", board_port]
    try:
        proc = run_cli("flash", *port, str(script))
        assert proc.returncode == 0, proc.stderr
        assert "over serial" in proc.stdout
        # main.py runs after the soft reset: watch (not interrupt) until it has written its mark;
        # a fixed wait was too short on a loaded machine, and the next command's Ctrl-C stopped
        # main.py before it wrote the file.
        from presenter.device import Board

        with Board.open(board_port, interrupt=False) as watching:
            watching.transport.read_until([b"marked"], 30.0, "main.py's mark")
        cat = run_cli("fs", "cat", *port, "flashmark.txt")
        assert cat.stdout == token, cat.stderr
        main = run_cli("fs", "cat", *port, "main.py")
        assert main.stdout == script.read_text()
    finally:
        run_cli("fs", "rm", *port, "main.py")
        run_cli("fs", "rm", *port, "flashmark.txt")


@pytest.mark.emulator
def test_flash_too_large_over_serial_writes_nothing(board_port, tmp_path):
    script = write_script(tmp_path, "#" * 25000 + "\n", "huge.py")
    proc = run_cli("flash", "--port", board_port, str(script))
    assert_one_line_error(proc, "at most")
    assert "main.py" not in run_cli("fs", "ls", "--port", board_port).stdout


@pytest.mark.emulator
def test_flash_too_big_for_serial_falls_back_to_the_drive(board_port, tmp_path):
    # 15 kB fits the .hex, and an empty V1 (written in place); with a 14 kB file already on
    # the board (27 kB in all) it cannot fit over serial.
    script = write_script(tmp_path, "".join(f"x{i} = {i}  # padding for size\n" for i in range(500)))
    port = ["--port", board_port]
    filler = tmp_path / "filler.bin"
    filler.write_bytes(b"f" * 14_000)
    assert run_cli("fs", "put", *port, str(filler)).returncode == 0
    try:
        alone = run_cli("flash", *port, str(script))
        assert_one_line_error(alone, "does not fit over serial", "room for", "--drive")
        listing = run_cli("fs", "ls", *port).stdout
        assert "main.py" not in listing and ".presenter-" not in listing  # nothing left behind
        drive = tmp_path / "MICROBIT"
        drive.mkdir()
        both = run_cli("flash", *port, "--drive", str(drive), str(script))
        assert both.returncode == 0, both.stderr
        assert "as a .hex" in both.stdout
        assert (drive / "micropython.hex").stat().st_size > 1_000_000
    finally:
        run_cli("fs", "rm", *port, "filler.bin")


@pytest.mark.emulator
def test_fs_put_of_20_kB_on_a_v1_is_written_in_place_and_says_so(board_port, tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(20_000))
    port = ["--port", board_port]
    try:
        put = run_cli("fs", "put", *port, str(big))
        assert put.returncode == 0, put.stderr
        assert "presenter: note: big.bin: no room for a temporary copy" in put.stderr
        back = tmp_path / "back.bin"
        assert run_cli("fs", "get", *port, "big.bin", str(back)).returncode == 0
        assert back.read_bytes() == big.read_bytes()
    finally:
        run_cli("fs", "rm", *port, "big.bin")


@pytest.mark.emulator
def test_flash_all_reports_one_line_per_board(board_port, tmp_path):
    from tests.device.test_flash import V1_FS_START, hex_sections, read_main_py

    script = write_script(tmp_path, "pass  # flashed by --all\n")
    drive_a, drive_b = tmp_path / "MICROBIT", tmp_path / "MICROBIT1"
    drive_a.mkdir()
    drive_b.mkdir()
    (drive_b / "FAIL.TXT").write_text("An internal error has occurred.\r\n")
    gone = str(tmp_path / "ttyGONE")
    env = {"PRESENTER_PORTS": os.pathsep.join([board_port, gone])}
    try:
        proc = run_cli("flash", "--all", "--drive", str(drive_a), "--drive", str(drive_b),
                       str(script), env=env, timeout=120)
        lines = {line.split("\t")[1]: line for line in proc.stdout.splitlines()}
        assert set(lines) == {board_port, gone, str(drive_a), str(drive_b)}, proc.stdout
        assert lines[board_port].endswith("\tok")
        assert lines[str(drive_a)].endswith("\tok")
        assert "failed" in lines[gone] and "ttyGONE" in lines[gone]
        assert "failed" in lines[str(drive_b)] and "internal error" in lines[str(drive_b)]
        assert proc.returncode == 1
        assert "2 of 4 boards failed" in proc.stderr
        assert "Traceback" not in proc.stderr
        sections = hex_sections((drive_a / "micropython.hex").read_text())
        assert read_main_py(sections["9900"], V1_FS_START) == script.read_bytes()
        assert run_cli("fs", "cat", "--port", board_port, "main.py").stdout == script.read_text()
    finally:
        run_cli("fs", "rm", "--port", board_port, "main.py")


@pytest.mark.emulator
def test_reset_soft_and_hard(board_port):
    soft = run_cli("reset", "--port", board_port)
    assert soft.returncode == 0, soft.stderr
    assert "soft reset" in soft.stdout
    hard = run_cli("reset", "--hard", "--port", board_port)
    assert hard.returncode == 0, hard.stderr
    # Still usable afterwards.
    ok = run_cli("fs", "ls", "--port", board_port)
    assert ok.returncode == 0, ok.stderr


# ---- Issue 7: run/repl/reset under abuse


@pytest.mark.emulator
def test_run_with_stdin_at_end_of_file_ends_input(board_port, tmp_path):
    """Item 5: stdin is /dev/null, the program waits in input(): it gets EOFError, the run ends."""
    script = write_script(tmp_path, "print('asking')\nname = input('name? ')\nprint('never')\n",
                          "hello.py")
    proc = run_cli("run", "--port", board_port, str(script), timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "EOFError" in proc.stderr
    assert "never" not in proc.stdout
    # Item 8: the board's traceback names the file the user ran, with its line number.
    assert f'File "{script}", line 2' in proc.stderr and "<stdin>" not in proc.stderr


@pytest.mark.emulator
def test_ctrl_c_once_stops_a_program_waiting_in_input(board_port, tmp_path):
    """Item 5: one Ctrl-C ends a program blocked in input() (the V1 holds it until Enter): 130."""
    script = write_script(tmp_path, "print('waiting')\ninput()\nprint('never')\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "run", "--port", board_port, str(script)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "waiting"
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)  # stdin stays open, as a terminal's does
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "KeyboardInterrupt" in err and "never" not in out


@pytest.mark.emulator
def test_run_into_a_file_keeps_the_boards_bytes(board_port, tmp_path):
    """Item 10: stdout not a terminal: invalid UTF-8 and the board's line ends pass unchanged."""
    script = write_script(tmp_path, "from microbit import uart\nprint('text')\n"
                                    "uart.write(b'\\xff\\xfe\\x80 raw\\n')\n")
    target = tmp_path / "out.bin"
    with target.open("wb") as sink:
        proc = subprocess.run(
            [sys.executable, "-m", "presenter", "run", "--port", board_port, str(script)],
            cwd=ROOT, stdout=sink, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60,
        )
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes() == b"text\r\n\xff\xfe\x80 raw\n"


TWENTY_LINES = '''def classify(numbers):
    """Sort numbers into buckets."""
    small, big = [], []
    for n in numbers:
        if n < 10:
            small.append(n)

        elif n < 100:
            if n % 2:
                big.append(n)
            else:
                big.append(-n)
        else:
            pass
    total = 0
    for value in small + big:
        total += value
    return (len(small),
            len(big),
            total)
print(classify([1, 2, 30, 41, 500]))
'''


def test_piped_repl_sends_a_function_intact_to_a_v1(fake_v1):
    """Item 4: a 20-line function piped into repl arrives byte for byte through the V1's buffer."""
    assert len(TWENTY_LINES.splitlines()) == 21
    proc = run_cli("repl", "--port", fake_v1.port, input_text=TWENTY_LINES, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "(2, 2, 14)" in proc.stdout, proc.stdout
    assert fake_v1.dropped == 0
    function = TWENTY_LINES.split("print(")[0]
    assert any(s.replace(b"\r", b"\n").strip() == function.strip().encode()
               for s in fake_v1.submissions), fake_v1.submissions


@pytest.mark.emulator
def test_piped_repl_function_with_its_own_indentation_runs(board_port):
    """Item 4 on real firmware: its prompt auto-indents, so typed blocks got indented twice."""
    proc = run_cli("repl", "--port", board_port, input_text=TWENTY_LINES + "1 + 1\n", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "(2, 2, 14)" in proc.stdout, proc.stdout
    assert "Error" not in proc.stdout, proc.stdout
    assert "\n2\r" in proc.stdout.replace("\r\n", "\n\r") or "\n2\n" in proc.stdout


@pytest.mark.emulator
def test_pasting_into_the_terminal_repl_keeps_the_board_alive(board_port):
    """Item 4: a 2 kB paste (a function among it) into `presenter repl` in a terminal arrives
    with its own indentation, runs, and the board answers after (an unpaced burst hung it)."""
    import pty

    block = "".join(f"v{i} = {i} * 2  # a pasted line of code\n" for i in range(60))
    block += TWENTY_LINES
    assert len(block) > 2000
    # 60 new globals want a contiguous 1 kB dict on a 10 kB heap: start from the heap of a
    # freshly plugged V1, not one that earlier tests' programs left fragmented.
    soft_reset(board_port)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "repl", "--port", board_port],
        cwd=ROOT, stdin=slave, stdout=slave, stderr=slave,
    )
    try:
        _read_until(master, b">>> ")
        os.write(master, block.replace("\n", "\r").encode())  # one burst, as a paste arrives
        time.sleep(0.5)
        os.write(master, b"print('sum', v0 + v59)\r")
        shown = _read_until(master, b"sum 118", timeout=30)
        assert b"(2, 2, 14)" in shown and b"Error" not in shown, shown
        os.write(master, b"\x1d")
        assert proc.wait(timeout=15) == 0
    finally:
        proc.kill()
        os.close(master)
        os.close(slave)


def _board_ignoring_ctrl_c():
    """A modern fake board whose main.py loops and swallows every Ctrl-C, reachable over
    RFC 2217 (a pty cannot carry the serial break that resets a real micro:bit)."""
    from tests.fakes.fake_board import FakeBoard

    fake = FakeBoard("modern")
    fake.fs.files["main.py"] = b"while True:\n    pass\n"
    with fake.fault_lock:
        fake.swallow_interrupts = 10**6
    fake.soft_reboot(friendly=True)
    return fake, fake.serve_rfc2217()


def test_hard_reset_needs_no_prompt(tmp_path):
    """Item 6: `reset --hard` on a board that ignores Ctrl-C and never shows a prompt."""
    fake, url = _board_ignoring_ctrl_c()
    try:
        proc = run_cli("reset", "--hard", "--port", url, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert "hard reset done (serial break)" in proc.stdout
        assert fake.breaks == 1
        after = run_cli("run", "--port", url, str(write_script(tmp_path, "print(6 * 7)\n")))
        assert after.returncode == 0, after.stderr
        assert after.stdout.strip() == "42"
    finally:
        fake.close()


def test_advice_after_ignored_ctrl_c_is_a_command_that_works(tmp_path):
    """Item 6: the advice printed after three ignored Ctrl-Cs, run as printed, resets the board."""
    import shlex

    fake, url = _board_ignoring_ctrl_c()
    try:
        with fake.fault_lock:
            fake.swallow_interrupts = 0
        script = write_script(tmp_path, "import micropython\nmicropython.kbd_intr(-1)\n"
                                        "print('stubborn')\nwhile True:\n    pass\n")
        proc = subprocess.Popen(
            [sys.executable, "-m", "presenter", "run", "--port", url, str(script)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "stubborn"
            with fake.fault_lock:
                fake.swallow_interrupts = 10**6  # what kbd_intr(-1) does on a real board
            for _ in range(3):
                proc.send_signal(signal.SIGINT)
                time.sleep(0.5)
            _, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
        assert proc.returncode == 1
        advice = err.strip().split("`")[1]
        assert advice == f"presenter reset --hard --port {url}", err
        argv = shlex.split(advice)[1:]
        reset = run_cli(*argv, timeout=60)
        assert reset.returncode == 0, reset.stderr
        assert fake.breaks == 1
        with fake.fault_lock:
            fake.swallow_interrupts = 0
        after = run_cli("run", "--port", url, str(write_script(tmp_path, "print('back')\n", "b.py")))
        assert after.stdout.strip() == "back", after.stderr
    finally:
        fake.close()


def test_reset_watch_shows_main_py_output_without_interrupting(fake_modern):
    """Item 9/10: `reset --watch` keeps showing what main.py prints at boot and sends it nothing."""
    fake_modern.fs.files["main.py"] = (b"import time\nprint('booted')\n"
                                       b"for i in range(50):\n    print('tick', i)\n"
                                       b"    time.sleep(0.05)\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "presenter", "reset", "--watch", "--port", fake_modern.port],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "booted"
        sent_so_far = len(fake_modern.received)  # the soft reset's own bytes
        for i in range(6):
            assert proc.stdout.readline().strip() == f"tick {i}"  # main.py keeps running
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "soft reset done" in err and "Traceback" not in err
    assert len(fake_modern.received) == sent_so_far  # watching sent nothing to the board
    assert not any(b"KeyboardInterrupt" in s for s in fake_modern.submissions)


def test_port_that_is_not_a_serial_port_is_one_line(tmp_path):
    """Item 9/10: --port /dev/null gets a sentence a person understands."""
    script = write_script(tmp_path, "print(1)\n")
    proc = run_cli("run", "--port", "/dev/null", str(script))
    assert_one_line_error(proc, "/dev/null is not a serial port", "presenter devices")
