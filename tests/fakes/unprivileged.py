"""Run Python so that file permission bits apply, even when the tests run as root (CI does).

Root bypasses permission bits through the CAP_DAC_* capabilities; dropping them for one
child process (util-linux ``setpriv``) lets the "permission denied" paths be tested for
real instead of skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

DROPPED = "-dac_override,-dac_read_search,-fowner"


def run_python_unprivileged(code: str, **kwargs) -> subprocess.CompletedProcess:
    if sys.platform == "win32":
        pytest.skip("POSIX permission bits are not used on Windows")
    argv = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux): permission bits can't apply")
        argv = [setpriv, "--bounding-set", DROPPED, "--inh-caps", DROPPED, *argv]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env, **kwargs)
