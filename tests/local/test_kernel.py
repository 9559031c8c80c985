"""The REPL's IPython kernel as a real child process: private, loopback-only, interruptible."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time

import psutil
import pytest
from jupyter_client import BlockingKernelClient

from presenter.local.kernel import KernelProcess, KernelUnavailable, install_command
from tests.fakes.processes import has_ended

LONG = 60  # s: a kernel's first start on a busy machine; never a speed assertion


@pytest.fixture
def kernel(tmp_path):
    process = KernelProcess(sys.executable, cwd=tmp_path)
    yield process
    process.shutdown()


def client_for(connection_file: str) -> BlockingKernelClient:
    client = BlockingKernelClient(connection_file=connection_file)
    client.load_connection_file()
    # No heartbeat: wait_for_ready gives up on a kernel whose first heartbeat takes over 1 s
    # (a busy machine); without it, it waits for the kernel_info reply alone.
    client.start_channels(hb=False)
    client.wait_for_ready(timeout=LONG)
    return client


def run(client: BlockingKernelClient, code: str) -> tuple[dict, str]:
    """Execute ``code``; (the reply's content, what it printed)."""
    printed: list[str] = []

    def keep(msg):
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])

    reply = client.execute_interactive(code, output_hook=keep, timeout=LONG)
    return reply["content"], "".join(printed)


def test_the_connection_file_is_private_and_the_kernel_listens_on_loopback_only(kernel):
    path = kernel.start()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # (jupyter_client adds the sticky bit to the folder, so /tmp cleaners leave it alone)
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) & 0o777 == 0o700
    info = json.loads(open(path, encoding="utf-8").read())
    assert info["ip"] == "127.0.0.1" and info["transport"] == "tcp"
    assert len(info["key"]) >= 32 and info["signature_scheme"] == "hmac-sha256"
    client = client_for(path)
    try:
        listening = [c.laddr for c in psutil.Process(kernel.pid).net_connections("inet")
                     if c.status == psutil.CONN_LISTEN]
        ports = {info[name] for name in ("shell_port", "iopub_port", "stdin_port",
                                         "control_port", "hb_port")}
        assert ports <= {address.port for address in listening}
        # every socket it listens on (ipykernel 7 opens one more of its own) is loopback
        assert {address.ip for address in listening} == {"127.0.0.1"}
    finally:
        client.stop_channels()


def test_code_runs_in_the_folder_it_was_given_with_the_same_interpreter(kernel, tmp_path):
    client = client_for(kernel.start())
    try:
        content, printed = run(client, "import os, sys; print(os.getcwd()); print(sys.executable)")
        assert content["status"] == "ok"
        assert printed.split("\n")[:2] == [str(tmp_path), sys.executable]
    finally:
        client.stop_channels()


def test_interrupt_stops_an_endless_loop_and_the_kernel_carries_on(kernel):
    client = client_for(kernel.start())
    try:
        run(client, "x = 42")
        # One interrupt, once the loop has said it runs. (Resending on a slow reply, as this
        # test did, let a second SIGINT land in the next cell on a loaded machine: print(x)
        # was interrupted in CI and printed nothing.)
        looping = client.execute("print('looping', flush=True)\nwhile True:\n    pass\n")
        deadline = time.monotonic() + LONG
        while time.monotonic() < deadline:
            msg = client.get_iopub_msg(timeout=LONG)
            if (msg["parent_header"].get("msg_id") == looping and msg["msg_type"] == "stream"
                    and "looping" in msg["content"]["text"]):
                break
        kernel.interrupt()
        reply = client.get_shell_msg(timeout=LONG)
        assert reply["parent_header"]["msg_id"] == looping
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        content, printed = run(client, "print(x)")
        assert content["status"] == "ok" and printed == "42\n"
    finally:
        client.stop_channels()


def test_restart_gives_a_fresh_python_on_the_same_connection(kernel):
    path = kernel.start()
    client = client_for(path)
    try:
        run(client, "x = 1")
        old_pid = kernel.pid
        assert kernel.restart() == path
        assert kernel.pid != old_pid and not psutil.pid_exists(old_pid)
        client.wait_for_ready(timeout=LONG)
        content, printed = run(client, "print('x' in globals())")
        assert printed == "False\n"
    finally:
        client.stop_channels()


def test_shutdown_ends_the_kernel_and_what_it_started_and_removes_the_file(kernel):
    path = kernel.start()
    client = client_for(path)
    try:
        content, printed = run(client, "import subprocess, sys\n"
                               "p = subprocess.Popen([sys.executable, '-c', "
                               "'import time; time.sleep(600)'])\nprint(p.pid)")
        child = int(printed)
        pid = kernel.pid
    finally:
        client.stop_channels()
    kernel.shutdown()
    assert not os.path.exists(path)
    for gone in (pid, child):
        assert has_ended(gone)


def test_an_interpreter_without_ipykernel_gets_the_exact_install_command(python_without_ipykernel):
    kernel = KernelProcess(python_without_ipykernel)
    with pytest.raises(KernelUnavailable) as caught:
        kernel.start()
    assert caught.value.install_command == f"{python_without_ipykernel} -m pip install ipykernel"
    assert caught.value.install_command in str(caught.value)
    assert kernel.pid is None


def test_install_command_quotes_paths_with_spaces():
    assert install_command("/opt/my env/bin/python") == "'/opt/my env/bin/python' -m pip install ipykernel"


def test_an_interpreter_that_does_not_exist_is_said_so(tmp_path):
    with pytest.raises(KernelUnavailable) as caught:
        KernelProcess(str(tmp_path / "nope" / "python")).start()
    assert "could not be started" in str(caught.value)
    assert caught.value.install_command == ""


def test_the_kernel_ends_itself_when_presenter_dies(tmp_path):
    """A crash or kill -9 of the window must not leave a kernel running."""
    code = textwrap.dedent(f"""\
        import sys, time
        from presenter.local.kernel import KernelProcess
        kernel = KernelProcess(sys.executable, cwd={str(tmp_path)!r})
        kernel.start()
        print(kernel.pid, flush=True)
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        kernel_pid = int(parent.stdout.readline())
        client = client_for(os.path.join(_kernel_folder(kernel_pid), "kernel.json"))
        client.stop_channels()
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(LONG)
    deadline = time.monotonic() + LONG
    while not has_ended(kernel_pid):
        assert time.monotonic() < deadline, "the kernel outlived Presenter"
        time.sleep(0.1)


def _kernel_folder(pid: int) -> str:
    """The connection file's folder, from the kernel's command line (-f PATH)."""
    argv = psutil.Process(pid).cmdline()
    return os.path.dirname(argv[argv.index("-f") + 1])
