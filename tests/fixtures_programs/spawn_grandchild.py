"""Starts a grandchild that ignores SIGINT/SIGTERM, writes its pid to argv[1], then spins."""

import signal
import subprocess
import sys
import time

GRANDCHILD = (
    "import signal, time\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "while True: time.sleep(0.05)\n"
)
child = subprocess.Popen([sys.executable, "-c", GRANDCHILD])
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(child.pid))
import os  # noqa: E402

os.replace(sys.argv[1] + ".tmp", sys.argv[1])
signal.signal(signal.SIGINT, signal.SIG_IGN)
print("spawned", flush=True)
while True:
    time.sleep(0.05)
