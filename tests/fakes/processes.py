"""Asking whether a process has ended, without a race."""

from __future__ import annotations

import psutil


def has_ended(pid: int) -> bool:
    """True once ``pid`` is gone or a zombie (ended, not yet reaped by its parent).

    One call, not ``not pid_exists(pid) or Process(pid).status() == "zombie"``: a process
    that exits between those two calls made Process() raise NoSuchProcess (seen in CI).
    """
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
