"""Starts a grandchild in a new session (outside our process group), writes its pid, spins."""

import os
import subprocess
import sys
import time

GRANDCHILD = (
    "import signal, time\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "while True: time.sleep(0.05)\n"
)
child = subprocess.Popen([sys.executable, "-c", GRANDCHILD], start_new_session=True)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(child.pid))
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
print("spawned", flush=True)
while True:
    time.sleep(0.05)
