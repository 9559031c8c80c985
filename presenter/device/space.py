"""Will a file fit on the board?  Decided before a byte of it is sent.

A write normally goes to a temporary file beside the target and replaces it only once the
new content is verified, so it needs room for the new file *while the old one is still
there* (on a micro:bit V1, which has no rename, also for a second copy of the new one).
When only the old file's space makes the difference, the engine writes in place instead:
the old file is removed first (the caller says so to the user).  When even that is not
enough, nothing is sent and the error names the free space.

Two ways to know the free space:

* ``os.statvfs`` (Pico, ESP32, pyboard: littlefs or FAT): free blocks times the block size,
  and a file is counted as its blocks plus one for metadata.  Slightly pessimistic for tiny
  files, which littlefs stores inline, never optimistic.
* The micro:bit V1's flash file system, replayed chunk by chunk (``microbit_fs``).

Boards with neither (micro:bit V2) are written the normal safe way and a full file system is
reported by the board itself; the temporary file is then removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from presenter.device.errors import DeviceError
from presenter.device.microbit_fs import FlashFs, chunks_for


class NoSpace(DeviceError):
    """The file does not fit on the board; nothing was written.  ``room`` is in bytes."""

    def __init__(self, message: str, port: str | None = None, room: int | None = None) -> None:
        super().__init__(message, port)
        self.room = room


@dataclass(frozen=True)
class BlockSpace:
    """statvfs figures: free bytes and the block size, plus the old file's size (or None)."""

    free: int
    block: int

    def blocks(self, size: int) -> int:
        return -(-size // self.block) if size > 0 else 0

    def need(self, size: int) -> int:
        return (self.blocks(size) + 1) * self.block  # +1: the file's metadata

    def fits_beside(self, size: int, old_size: int | None) -> bool:
        del old_size  # the old file stays until the rename: it frees nothing
        return self.need(size) <= self.free

    def fits_in_place(self, size: int, old_size: int | None) -> bool:
        return self.need(size) <= self.free + self.blocks(old_size or 0) * self.block

    def room(self, old_size: int | None) -> int:
        return max(0, self.free + self.blocks(old_size or 0) * self.block - self.block)


@dataclass(frozen=True)
class WritePlan:
    """How to write one file: beside the old one (``in_place`` False) or over it."""

    in_place: bool
    room: int | None  # bytes the file could have had (None: the board cannot tell)


def plan_write(
    space: BlockSpace | FlashFs | None,
    path: str,
    size: int,
    temp: str,
    old_size: int | None,
    has_rename: bool,
    port: str,
) -> WritePlan:
    """Decide safe (temporary file) or in place, or raise NoSpace; sends nothing."""
    if space is None:
        return WritePlan(in_place=False, room=None)
    if isinstance(space, FlashFs):
        new = chunks_for(path, size)
        old = [path] if old_size is not None else []
        # No rename on the V1: the verified temporary is copied over the target on the board,
        # so the safe way needs the temporary, then (old file removed) a second copy.
        safe = [("write", chunks_for(temp, size))]
        if not has_rename:
            safe += [("remove", path)] if old else []
            safe += [("write", new)]
        if space.fits(safe):
            return WritePlan(False, space.room_for(path))
        room = space.room_for(path, removing=old)
        if size <= room:
            return WritePlan(True, room)
        raise _no_space(path, size, room, port)
    if space.fits_beside(size, old_size):
        return WritePlan(False, space.room(old_size))
    room = space.room(old_size)
    if space.fits_in_place(size, old_size):
        return WritePlan(True, room)
    raise _no_space(path, size, room, port)


def _no_space(path: str, size: int, room: int, port: str) -> NoSpace:
    room = max(room, 0)
    return NoSpace(
        f"{path} ({size} bytes) does not fit on the board on {port}: there is room for "
        f"{room} bytes. Nothing was written; remove files with `presenter fs rm NAME` and "
        "try again.",
        port,
        room,
    )
