"""Writes one line of argv[1] megabytes without a newline, then "done" on its own line."""

import sys

mb = float(sys.argv[1]) if len(sys.argv) > 1 else 5
block = "x" * (1 << 20)
remaining = int(mb * (1 << 20))
while remaining > 0:
    piece = block[: min(remaining, len(block))]
    sys.stdout.write(piece)
    remaining -= len(piece)
sys.stdout.write("\ndone\n")
