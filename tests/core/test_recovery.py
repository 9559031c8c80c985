"""Recovery store: real child processes are killed with SIGKILL and their buffers come back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from presenter.core import recovery
from presenter.core.recovery import RecoveryStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL and flock (POSIX)")

ROOT = Path(__file__).resolve().parents[2]

# The child saves the buffers it is given, optionally claims what is pending first,
# reports its session folder, then waits to be killed.
CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from presenter.core.recovery import RecoveryStore
    store = RecoveryStore(Path(sys.argv[1]))
    plan = json.loads(sys.argv[2])
    claimed = []
    if plan.get("claim"):
        claimed = store.claim(store.pending())
    for b in plan.get("save", []):
        store.save(b["id"], b["text"], path=b["path"], title=b["title"],
                   encoding="utf-8", newline=b.get("newline", "\\n"), cursor=tuple(b["cursor"]))
    for buffer_id in plan.get("discard", []):
        store.discard(buffer_id)
    print(json.dumps({"session": str(store.session_dir), "claimed": claimed}), flush=True)
    time.sleep(600)
    """
)

UNICODE_TEXT = "print('héllo 😀')\r\n# tab\there\n" + "x = 1\n" * 2000


class Child:
    """A real Python process holding a recovery session until we kill it."""

    def __init__(self, directory: Path, plan: dict) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(directory), json.dumps(plan)],
            stdout=subprocess.PIPE, env=env, cwd=ROOT, text=True,
        )
        line = self.proc.stdout.readline()
        assert line, f"child exited early with {self.proc.wait()}"
        self.report = json.loads(line)

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(timeout=10) == -signal.SIGKILL
        self.proc.stdout.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.kill9()


@pytest.fixture
def children():
    started: list[Child] = []

    def start(directory: Path, plan: dict) -> Child:
        child = Child(directory, plan)
        started.append(child)
        return child

    yield start
    for child in started:
        child.stop()


def _plan_two_buffers() -> dict:
    return {
        "save": [
            {"id": "tab-1", "text": UNICODE_TEXT, "path": "/home/me/demo.py",
             "title": "demo.py", "cursor": [3, 7], "newline": "\r\n"},
            {"id": "tab-2", "text": "untitled work\n", "path": None,
             "title": "untitled 1", "cursor": [0, 13]},
            {"id": "tab-3", "text": "saved later\n", "path": "/tmp/x.py",
             "title": "x.py", "cursor": [0, 0]},
        ],
        "discard": ["tab-3"],
    }


def test_buffers_survive_kill9_and_live_sessions_are_not_offered(tmp_path, children):
    live = children(tmp_path, {"save": [{"id": "live", "text": "mine!\n", "path": None,
                                          "title": "live", "cursor": [0, 0]}]})
    victim = children(tmp_path, _plan_two_buffers())
    victim.kill9()

    store = RecoveryStore(tmp_path)
    found = {b.buffer_id: b for b in store.pending()}
    assert set(found) == {"tab-1", "tab-2"}  # not the discarded one, not the live one
    demo = found["tab-1"]
    assert demo.text == UNICODE_TEXT
    assert (demo.path, demo.title, demo.encoding, demo.newline, demo.cursor) == (
        "/home/me/demo.py", "demo.py", "utf-8", "\r\n", (3, 7))
    assert found["tab-2"].path is None
    assert time.time() - 60 < demo.saved_at <= time.time()

    # Once the other instance dies too, its buffer is offered as well.
    live.kill9()
    assert {b.buffer_id for b in RecoveryStore(tmp_path).pending()} == {"tab-1", "tab-2", "live"}


def test_claim_moves_buffers_and_protects_them_against_a_second_crash(tmp_path, children):
    first = children(tmp_path, _plan_two_buffers())
    first.kill9()
    # A second run claims them and crashes before the user saves anything.
    second = children(tmp_path, {"claim": True})
    assert sorted(second.report["claimed"]) == ["tab-1", "tab-2"]
    assert not Path(first.report["session"]).exists()  # emptied and tidied
    assert RecoveryStore(tmp_path).pending() == []  # claimed by a live process: not offered
    second.kill9()

    store = RecoveryStore(tmp_path)
    found = store.pending()
    assert sorted(b.text for b in found) == sorted([UNICODE_TEXT, "untitled work\n"])
    ids = store.claim(found)
    assert sorted(ids) == ["tab-1", "tab-2"]
    assert all(b.source.parent == store.session_dir for b in found)
    assert RecoveryStore(tmp_path).pending() == []  # ours now, and we are alive
    # The user saves both: the session folder goes away on a clean shutdown.
    for buffer_id in ids:
        store.discard(buffer_id)
    assert store.clean_shutdown() is True
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_claim_gives_a_new_id_on_collision(tmp_path, children):
    victim = children(tmp_path, _plan_two_buffers())
    victim.kill9()
    store = RecoveryStore(tmp_path)
    store.save("tab-1", "something else\n", path=None, title="t", encoding="utf-8",
               newline="\n", cursor=(0, 0))
    found = [b for b in store.pending() if b.buffer_id == "tab-1"]
    (new_id,) = store.claim(found)
    assert new_id.startswith("tab-1-") and new_id != "tab-1"
    # both survive a crash: read them back from our session folder
    texts = {r["buffer_id"]: r["text"] for r in
             (json.loads(p.read_text("utf-8")) for p in store.session_dir.glob("buf-*.json"))}
    assert texts == {"tab-1": "something else\n", new_id: UNICODE_TEXT}


def test_declined_buffers_are_not_offered_again(tmp_path, children):
    victim = children(tmp_path, _plan_two_buffers())
    victim.kill9()
    store = RecoveryStore(tmp_path)
    found = store.pending()
    store.discard_recovered([b for b in found if b.buffer_id == "tab-2"])
    assert [b.buffer_id for b in store.pending()] == ["tab-1"]
    store.discard_recovered(store.pending())
    assert store.pending() == []
    assert not Path(victim.report["session"]).exists()


def test_save_skips_unchanged_text_and_rewrites_changes(tmp_path):
    store = RecoveryStore(tmp_path)
    kwargs = dict(path=None, title="t", encoding="utf-8", newline="\n", cursor=(0, 0))
    store.save("b", "one\n", **kwargs)
    (file,) = store.session_dir.glob("buf-*.json")
    inode = file.stat().st_ino
    store.save("b", "one\n", **{**kwargs, "cursor": (0, 3)})
    assert file.stat().st_ino == inode  # no write: atomic writes always make a new inode
    store.save("b", "two\n", **kwargs)
    assert file.stat().st_ino != inode
    assert json.loads(file.read_text("utf-8"))["text"] == "two\n"
    store.discard("b")
    assert list(store.session_dir.glob("buf-*.json")) == []
    # after a discard the same text must be written again
    store.save("b", "two\n", **kwargs)
    assert len(list(store.session_dir.glob("buf-*.json"))) == 1


def test_clean_shutdown_keeps_unsaved_buffers(tmp_path):
    store = RecoveryStore(tmp_path)
    store.save("keep", "unsaved\n", path=None, title="t", encoding="utf-8", newline="\n",
               cursor=(0, 0))
    session = store.session_dir
    assert store.clean_shutdown() is False
    assert [r.name for r in session.glob("buf-*.json")]


def test_default_directory_is_the_recovery_dir(presenter_home):
    store = RecoveryStore()
    store.save("x", "y", path=None, title="t", encoding="utf-8", newline="\n", cursor=(0, 0))
    assert store.session_dir.parent == presenter_home / "state" / "recovery"
    store.discard("x")
    assert store.clean_shutdown() is True


def _fake_session(directory: Path, info: dict, buffer_text: str = "orphan\n") -> Path:
    session = directory / "session-fake"
    session.mkdir(parents=True)
    (session / "lock").touch()
    (session / "session.json").write_text(json.dumps(info))
    record = {"buffer_id": "orphan", "text": buffer_text, "path": None, "title": "o",
              "encoding": "utf-8", "newline": "\n", "cursor": [0, 0], "saved_at": 1.0}
    (session / "buf-orphan.json").write_text(json.dumps(record))
    return session


@pytest.mark.skipif(recovery._process_start(os.getpid()) is None, reason="needs Linux /proc")
def test_pid_reuse_is_not_mistaken_for_a_live_session(tmp_path):
    # The pid is alive (it is ours) but the start time is not ours: a reused pid.
    boot = recovery._boot_id()
    _fake_session(tmp_path, {"pid": os.getpid(), "start": "1", "boot_id": boot})
    assert [b.text for b in RecoveryStore(tmp_path).pending()] == ["orphan\n"]


@pytest.mark.skipif(recovery._process_start(os.getpid()) is None, reason="needs Linux /proc")
def test_matching_pid_and_start_time_counts_as_alive_even_without_the_lock(tmp_path):
    start = recovery._process_start(os.getpid())
    _fake_session(tmp_path, {"pid": os.getpid(), "start": start, "boot_id": recovery._boot_id()})
    assert RecoveryStore(tmp_path).pending() == []


@pytest.mark.skipif(recovery._boot_id() is None, reason="needs Linux /proc boot_id")
def test_session_from_before_a_reboot_is_dead(tmp_path):
    start = recovery._process_start(os.getpid())
    _fake_session(tmp_path, {"pid": os.getpid(), "start": start, "boot_id": "another-boot"})
    assert [b.text for b in RecoveryStore(tmp_path).pending()] == ["orphan\n"]


def test_damaged_buffer_file_is_skipped_but_kept(tmp_path):
    session = _fake_session(tmp_path, {"pid": 999_999_999, "start": None, "boot_id": None})
    bad = session / "buf-bad.json"
    bad.write_text("{not json")
    assert [b.text for b in RecoveryStore(tmp_path).pending()] == ["orphan\n"]
    assert bad.exists()


@pytest.mark.skipif(recovery._process_start(os.getpid()) is None, reason="needs Linux /proc")
def test_process_start_time_is_the_kernel_start_time(children, tmp_path):
    psutil = pytest.importorskip("psutil", reason="psutil (test extra) cross-checks /proc parsing")
    child = children(tmp_path, {})
    ticks = int(recovery._process_start(child.proc.pid))
    expected = psutil.Process(child.proc.pid).create_time() - psutil.boot_time()
    assert abs(ticks / os.sysconf("SC_CLK_TCK") - expected) < 0.05


def test_a_deleted_session_folder_is_rebuilt_with_its_lock(tmp_path):
    import shutil

    store = RecoveryStore(tmp_path)
    kwargs = dict(path=None, title="t", encoding="utf-8", newline="\n", cursor=(0, 0))
    store.save("a", "first\n", **kwargs)
    old = store.session_dir
    shutil.rmtree(old)  # a clean-up tool empties ~/.local/state under us
    store.save("a", "first\n", **kwargs)  # unchanged text is written again: the copy was lost
    assert store.session_dir != old and (store.session_dir / "lock").exists()
    assert [json.loads(p.read_text())["text"] for p in store.session_dir.glob("buf-*.json")] == [
        "first\n"]
    assert RecoveryStore(tmp_path).pending() == []  # still recognised as a live session


def test_stale_half_built_sessions_are_removed(tmp_path):
    stale, fresh = tmp_path / ".new-1-dead", tmp_path / ".new-2-busy"
    stale.mkdir()
    fresh.mkdir()
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    RecoveryStore(tmp_path).pending()
    assert not stale.exists() and fresh.exists()
