"""The micro:bit V1 flash file system, modelled closely enough to know whether a file fits.

MicroPython for the micro:bit V1 (1.0.x, based on MicroPython 1.9.2) has no ``os.statvfs``,
and a write that runs out of space must never be started: when the firmware has to *sweep*
the file system to find room (see below) on a board whose spare page was never marked, it
re-reads its chunks one page off and other files end up truncated and holding bytes of the
new one (seen on the virtual micro:bit, whose flash starts zeroed; microfs triggers it too).
So the engine reads the file system's state from flash and replays the firmware's allocator
on the host before it sends a byte.

The arithmetic, from the firmware's ``source/microbit/filesystem.c`` and
``inc/microbit/filesystem.h`` / ``memory.h`` (bbcmicrobit/micropython, tags v1.0.1 and v1.1.1):

* Flash is split into 128-byte chunks: a 1-byte marker, 126 data bytes, a 1-byte link to the
  next chunk.  Markers: 0xFF unused (erased), 0x00 freed (deleted, not yet erased), 0xFE first
  chunk of a file, 0xFD the spare page's "persistent data" marker, anything else the index of
  the previous chunk of the same file.
* A file's first chunk holds ``end_offset`` (1 byte), ``name_len`` (1 byte) and the name, then
  data; later chunks hold 126 data bytes each.  A write that fills a chunk's 126 bytes
  allocates the next chunk at once, even if no byte follows.  So a file whose name is N bytes
  (UTF-8) and whose content is S bytes takes ``(N + 2 + S) // 126 + 1`` chunks.  Names are at
  most 120 bytes (``MAX_FILENAME_LENGTH``; a longer name gives "file not found").
* The region: it ends one page below the compass-calibration page (the last flash page, or
  the page below an old-style appended script at 0x3E000 when its first byte is 'M') and
  starts at ``end - 240 * 128`` rounded up to a page, moved up page by page until it is past
  the end of the firmware's code (``__etext`` plus the size of the initialised data, which
  the firmware's reset handler loads from a literal pool we read).  One page of the region
  is the spare page; the rest, ``(end - start) / 128`` chunks, hold files: 216 chunks (27,216
  data bytes) for the firmware uflash ships.
* Allocation (``find_chunk_and_erase``): an unused chunk if there is one; else a page whose
  chunks are all freed (it is erased and reused); else, if at least 8 chunks are freed (any
  freed chunk from release 1.1 on), a *sweep* moves every page down or up by one to erase
  the freed chunks; else "no more storage space".  The sweep finds its way back through the
  0xFD marker on the spare page.  Where neither end page carries it, a sweep scrambles the
  file system, so freed chunks that only a sweep could reclaim are not counted as free.

``PROBE`` reads the markers, the names and the sizes in one submission; ``parse_probe``
cross-checks them (every file's chain of chunks must be as long as its size says) and
returns None when anything disagrees, so a firmware this model does not describe is never
trusted with the last chunk.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

CHUNK_SIZE = 128
DATA_PER_CHUNK = 126
MAX_NAME_BYTES = 120
UNUSED = 0xFF
FREED = 0x00
FILE_START = 0xFE
SPARE_PAGE_MARKER = 0xFD

# Runs on the board (kept well under the V1's ~900-byte submission and its 10 kB heap: one
# line at a time).  Prints None on anything that is not a micro:bit V1, else a line
# (page size, chunk count, end of code, spare page marked, release), a line with the chunk
# markers, then ('H', first chunk, name) per file and ('S', name, size) per listed file.
PROBE = """\
import os,gc
gc.collect()
def _p():
 u=os.uname()
 if 'nRF51' not in u.machine:return print(None)
 import machine
 m=machine.mem8;w=machine.mem32
 p=w[0x10000010];e=p*w[0x10000014]
 end=(0x3e000 if m[0x3e000]==77 else e)-2*p
 r=w[4]&~3;k=0
 for a in range(r,r+128,4):
  if w[a]>>16==0x2000 and w[a+4]>>16==0x2000 and 0<w[a-4]<e:
   k=w[a-4]+w[a+4]-w[a];break
 if not k:return print(None)
 s=(end-30720+p-1)//p*p
 while s<k:s+=p
 n=(end-s)//128
 b=s+(p if m[s]==253 else 0)
 print(repr((p,n,k,m[s]==253 or m[end]==253,u.release)))
 a=bytearray(n)
 for i in range(n):a[i]=m[b+i*128]
 print(repr(bytes(a)))
 for i in range(n):
  if a[i]==254:
   x=b+i*128;print(repr(('H',i+1,bytes(m[x+3+j] for j in range(m[x+2])))))
 for f in os.listdir():print(repr(('S',f,os.size(f))))
try:
 _p()
except Exception:
 print(None)
del _p
"""


def chunks_for(name: str, size: int) -> int:
    """Chunks a file takes: header (2 bytes + name) and data, plus the eagerly linked next one."""
    return (len(name.encode("utf-8")) + 2 + size) // DATA_PER_CHUNK + 1


def largest_file(chunks: int, name: str) -> int:
    """The most bytes a file called ``name`` can hold in ``chunks`` chunks (-1: not even empty)."""
    return chunks * DATA_PER_CHUNK - 1 - (len(name.encode("utf-8")) + 2)


@dataclass
class FlashFs:
    """A snapshot of the V1 file system: what each chunk holds, which file owns which chunks."""

    markers: list[int]  # index 0 is chunk 1, as in the firmware (chunk 0 means "freed")
    chunks_per_page: int
    sweep_minimum: int  # freed chunks needed before the firmware sweeps (8, or 1 from 1.1)
    sweep_safe: bool  # the spare page is marked, so a sweep keeps files intact
    files: dict[str, list[int]] = field(default_factory=dict)  # name -> its chunks, in order

    @property
    def total_chunks(self) -> int:
        return len(self.markers)

    def after_removing(self, names: Iterable[str]) -> FlashFs:
        """The file system once ``names`` are deleted (their chunks marked freed)."""
        markers = list(self.markers)
        files = dict(self.files)
        for name in names:
            for chunk in files.pop(name, []):
                markers[chunk - 1] = FREED
        return FlashFs(markers, self.chunks_per_page, self.sweep_minimum, self.sweep_safe, files)

    def fits(self, steps: Iterable[tuple[str, str | int]]) -> bool:
        """Whether ("remove", name) / ("write", chunks) steps, in order, all succeed."""
        state: FlashFs | None = self
        for action, arg in steps:
            assert state is not None
            if action == "remove":
                state = state.after_removing([str(arg)])
            else:
                taken = state._take(int(arg))
                if taken is None:
                    return False
                state = taken
        return True

    def _take(self, need: int) -> FlashFs | None:
        """The state after allocating ``need`` chunks as the firmware would; None if it can't.

        Replays ``find_chunk_and_erase``: an unused chunk; else erase a page of freed chunks;
        else sweep, where a sweep is safe and enough chunks are freed; else give up.
        """
        markers = list(self.markers)
        per_page = self.chunks_per_page
        for _ in range(need):
            index = next((i for i, m in enumerate(markers) if m == UNUSED), None)
            if index is None:
                page = next(
                    (p for p in range(len(markers) // per_page)
                     if all(markers[p * per_page + j] == FREED for j in range(per_page))),
                    None,
                )
                if page is not None:
                    for j in range(per_page):
                        markers[page * per_page + j] = UNUSED
                elif self.sweep_safe and markers.count(FREED) >= self.sweep_minimum:
                    markers = [UNUSED if m == FREED else m for m in markers]
                else:
                    return None
                index = markers.index(UNUSED)
            markers[index] = FILE_START  # in use; which file holds it does not matter here
        return FlashFs(markers, per_page, self.sweep_minimum, self.sweep_safe, dict(self.files))

    def room_for(self, name: str, removing: Iterable[str] = ()) -> int:
        """The largest file called ``name`` that fits once ``removing`` are deleted."""
        state = self.after_removing(removing)
        low, high = 0, state.total_chunks
        while low < high:  # the most chunks one write can take
            mid = (low + high + 1) // 2
            if state._take(mid) is not None:
                low = mid
            else:
                high = mid - 1
        return max(-1, largest_file(low, name)) if low else -1


def parse_probe(text: str) -> FlashFs | None:
    """The board's answer to PROBE as a FlashFs, or None when it cannot be trusted."""
    try:
        lines = [ast.literal_eval(line) for line in text.splitlines() if line.strip()]
    except (ValueError, SyntaxError):
        return None
    if len(lines) < 2 or None in lines[:2]:
        return None
    try:
        page, total, _end_of_code, spare_marked, release = lines[0]
    except (TypeError, ValueError):
        return None
    raw = lines[1]
    if not total or not isinstance(raw, bytes) or len(raw) != total or page % CHUNK_SIZE:
        return None
    heads = [line[1:] for line in lines[2:] if line[0] == "H"]
    listed = {line[1]: line[2] for line in lines[2:] if line[0] == "S"}
    markers = list(raw)
    next_of = {}
    for index, marker in enumerate(markers, start=1):
        if 0 < marker <= total:
            next_of[marker] = index
    files: dict[str, list[int]] = {}
    for first, name_bytes in heads:
        chain = [first]
        while chain[-1] in next_of and len(chain) <= total:
            chain.append(next_of[chain[-1]])
        files[name_bytes.decode("utf-8", "replace")] = chain
    # Cross-check: the same files, each chain as long as its size needs, nothing unaccounted.
    if set(files) != set(listed):
        return None
    if any(len(files[name]) != chunks_for(name, size) for name, size in listed.items()):
        return None
    in_use = sum(1 for m in markers if m not in (UNUSED, FREED))
    if in_use != sum(len(chain) for chain in files.values()):
        return None
    sweep_minimum = 8 if str(release).startswith(("0.", "1.0")) else 1
    return FlashFs(markers, page // CHUNK_SIZE, sweep_minimum, bool(spare_marked), files)
