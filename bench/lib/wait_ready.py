#!/usr/bin/env python3
"""wait_ready.py FILE PID SECONDS: wait until FILE has serve's ready line.

Exits 0 when the line is there, 1 when PID has exited first, 2 after SECONDS. One process that
reads the file every 2 ms: a shell loop of grep and sleep forks two processes every few
milliseconds, and on this 2-core machine that took ~0.1 s from the starting JVM (see
docs/benchmarks.md, run 8).
"""
import os
import sys
import time

path, pid, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
end = time.monotonic() + limit
while time.monotonic() < end:
    try:
        with open(path, "rb") as f:
            if b"\nverifull: listening on" in b"\n" + f.read():
                sys.exit(0)
    except FileNotFoundError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit(1)
    time.sleep(0.002)
sys.exit(2)
