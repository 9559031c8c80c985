"""LocalProcess runs real child programs: streams, input, exit codes, and stopping whole trees."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from presenter.core.output import STDERR, STDOUT, Chunk, OutputBuffer
from presenter.local.process import LocalProcess, describe_exit

PROGRAMS = Path(__file__).resolve().parents[1] / "fixtures_programs"
PY = sys.executable


def run_code(code: str, **kwargs) -> LocalProcess:
    proc = LocalProcess([PY, "-u", "-c", code], **kwargs)
    proc.start()
    return proc


def finish(proc: LocalProcess, timeout: float = 20) -> int | None:
    code = proc.wait(timeout)
    assert proc.wait_output(timeout), "output pipes never reached end-of-file"
    return code


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie nobody reaped yet is gone for our purposes
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def kill_quietly(pid: int) -> None:
    """Never leave a test's grandchild running, even when the test fails."""
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def test_stdout_and_stderr_are_tagged_and_exit_code_reported():
    proc = run_code("import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)")
    assert finish(proc) == 3
    chunks = proc.output.chunks()
    assert Chunk(STDOUT, "out\n") in chunks
    assert Chunk(STDERR, "err\n") in chunks
    assert describe_exit(3) == "Process finished with exit code 3"


def test_working_directory_and_environment(tmp_path):
    env = dict(os.environ, PRESENTER_TEST_VALUE="ünïcode")
    proc = run_code(
        "import os; print(os.getcwd()); print(os.environ['PRESENTER_TEST_VALUE'])",
        cwd=tmp_path,
        env=env | {"PYTHONIOENCODING": "utf-8"},
    )
    assert finish(proc) == 0
    assert proc.output.text().splitlines() == [str(tmp_path.resolve()), "ünïcode"]


def test_utf8_split_across_reads_and_bad_bytes_decode():
    code = (
        "import os, time\n"
        "os.write(1, 'é'.encode()[:1]); time.sleep(0.1); os.write(1, 'é'.encode()[1:])\n"
        "os.write(1, b'\\xff!\\n')\n"
    )
    proc = run_code(code)
    assert finish(proc) == 0
    assert proc.output.text() == "é\ufffd!\n"


def test_input_round_trip_and_eof():
    code = (
        "name = input('Name? ')\n"
        "print('Hello', name)\n"
        "try:\n    input()\nexcept EOFError:\n    print('got EOF')\n"
    )
    proc = run_code(code)
    assert wait_for(lambda: "Name? " in proc.output.text())
    proc.write_stdin("Ada\n")
    assert wait_for(lambda: "Hello Ada" in proc.output.text())
    proc.close_stdin()
    assert finish(proc) == 0
    assert proc.output.text().endswith("got EOF\n")


def test_stop_busy_loop():
    proc = run_code("print('spinning')\nwhile True: pass\n")
    assert wait_for(lambda: "spinning" in proc.output.text())
    proc.stop()
    assert proc.wait(5) is not None
    assert proc.stop_requested


def test_stop_program_that_ignores_sigint():
    proc = run_code(
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "print('ready')\nwhile True: time.sleep(0.01)\n"
    )
    assert wait_for(lambda: "ready" in proc.output.text())
    started = time.monotonic()
    proc.stop()
    assert proc.wait(5) is not None
    assert proc.returncode < 0  # ended by a signal, not by choice
    assert time.monotonic() - started < 5


@pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX-only")
def test_stop_ends_grandchild_that_ignores_signals(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    proc = LocalProcess([PY, "-u", str(PROGRAMS / "spawn_grandchild.py"), str(pid_file)])
    proc.start()
    assert wait_for(lambda: "spawned" in proc.output.text())
    grandchild = int(pid_file.read_text())
    assert pid_alive(grandchild)
    try:
        proc.stop()
        assert proc.wait(5) is not None
        assert wait_for(lambda: not pid_alive(grandchild), 5), "grandchild survived Stop"
        assert proc.wait_output(5)  # pipes closed: nothing is left holding them
    finally:
        kill_quietly(grandchild)


def test_stop_does_not_block_caller():
    proc = run_code(
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('x')\n"
        "while True: time.sleep(0.01)\n"
    )
    assert wait_for(lambda: "x" in proc.output.text())
    proc.stop()
    # stop() came back while the escalation (which needs SIGKILL here) is still under way.
    assert proc.poll_exit() is None
    assert proc.wait(5) == -9
    assert describe_exit(-9, stopped=True) == "Process stopped (SIGKILL)"
    assert describe_exit(-9) == "Process killed by signal 9 (SIGKILL)"


def test_flood_stays_bounded_and_drops_are_counted():
    buffer = OutputBuffer(max_lines=1000)
    proc = LocalProcess([PY, "-u", str(PROGRAMS / "flood.py"), "200000"], output=buffer)
    proc.start()
    assert finish(proc, 60) == 0
    assert len(buffer) == 1000
    assert buffer.dropped_lines == 199_000
    assert buffer.text().splitlines() == [str(i) for i in range(199_000, 200_000)]


def test_missing_interpreter_raises_readable_error(tmp_path):
    proc = LocalProcess([str(tmp_path / "no-python")])
    with pytest.raises(OSError, match="Could not start"):
        proc.start()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="descendant scan needs /proc")
def test_stop_ends_grandchild_that_left_the_process_group(tmp_path):
    pid_file = tmp_path / "escaper.pid"
    proc = LocalProcess([PY, "-u", str(PROGRAMS / "spawn_escaper.py"), str(pid_file)])
    proc.start()
    assert wait_for(lambda: "spawned" in proc.output.text())
    grandchild = int(pid_file.read_text())
    assert os.getpgid(grandchild) != proc.pid  # really outside the group
    try:
        proc.stop()
        assert proc.wait(5) is not None
        assert wait_for(lambda: not pid_alive(grandchild), 5), "escaped grandchild survived Stop"
    finally:
        kill_quietly(grandchild)


# ---- Order between stdout and stderr (two pipes: see LocalProcess._read_both)


def test_partial_line_then_traceback_shows_the_partial_line_first():
    proc = run_code("print('x', end='')\n1 / 0\n")
    assert finish(proc) == 1
    text = proc.output.take().text()
    assert text.startswith("xTraceback (most recent call last):\n"), text  # as in a terminal
    assert text.endswith("ZeroDivisionError: division by zero\n")


def test_interleaved_writes_with_flush_keep_their_order():
    code = (
        "import sys, time\n"
        "def out(s): sys.stdout.write(s); sys.stdout.flush(); time.sleep(0.3)\n"
        "def err(s): sys.stderr.write(s); sys.stderr.flush(); time.sleep(0.3)\n"
        "out('out 1\\n'); err('err 1\\n'); out('out 2\\n'); err('err 2\\n')\n"
        "out('working... '); err('warning: slow disk\\n'); out('done\\n')\n"
        "err('E'); out('O\\n'); err('\\n')\n"
    )
    proc = run_code(code)
    assert finish(proc) == 0
    assert proc.output.take().text() == (
        "out 1\nerr 1\nout 2\nerr 2\n"
        "working... warning: slow disk\n"  # what a terminal shows, in the order written
        "done\n"
        "EO\n\n"
    )


def test_input_prompt_without_newline_comes_before_what_follows_it():
    # (stderr, then stdout a moment later: within the same few milliseconds the pipes could
    # not tell which came first, see LocalProcess._read_both.)
    proc = run_code("import sys, time\nprint('ready', file=sys.stderr, flush=True)\n"
                    "time.sleep(0.3)\ninput('Name? ')\n")
    assert wait_for(lambda: "Name? " in proc.output.text())
    proc.close_stdin()  # no answer: input() raises EOFError, a traceback on stderr
    assert finish(proc) == 1
    text = proc.output.take().text()
    assert text.startswith("ready\nName? Traceback (most recent call last):\n"), text
    assert text.endswith("EOFError: EOF when reading a line\n")


_LAUNCHED_IGNORING_CTRL_C = """\
import sys, time
from presenter.local.process import LocalProcess, let_programs_be_interrupted
if sys.argv[1] == "as-presenter-starts":
    let_programs_be_interrupted()
program = ("import time\\ntry:\\n print('ready')\\n time.sleep(30)\\n"
           "except KeyboardInterrupt:\\n print('KeyboardInterrupt: the finally-block ran')")
proc = LocalProcess([sys.executable, "-u", "-c", program])
proc.start()
while "ready" not in proc.output.text():
    time.sleep(0.02)
proc.stop()  # SIGINT first, then SIGTERM 0.3 s later
proc.wait(10)
proc.wait_output(10)
print(proc.output.text())
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signal dispositions")
@pytest.mark.parametrize("start", ["as-presenter-starts", "without-it"])
def test_stop_interrupts_the_program_when_presenter_was_launched_ignoring_ctrl_c(start):
    """`nohup presenter &` starts Presenter with SIGINT ignored, which its programs inherit:
    Stop's SIGINT then did nothing and SIGTERM killed the program without its `finally`."""
    import signal
    import subprocess

    child = subprocess.run(
        [PY, "-c", _LAUNCHED_IGNORING_CTRL_C, start], capture_output=True, text=True,
        timeout=60, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert child.returncode == 0, child.stderr
    interrupted = "KeyboardInterrupt: the finally-block ran" in child.stdout
    assert interrupted == (start == "as-presenter-starts"), child.stdout
