"""Prints argv[1] numbered lines as fast as it can (the flood tests and the benchmark)."""

import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
for i in range(n):
    print(i)
