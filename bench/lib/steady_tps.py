#!/usr/bin/env python3
"""Steady-state TPS from pgbench aggregate logs (--log --aggregate-interval=1): prints the mean
transactions per second over the last DURATION whole seconds of the run.

usage: steady_tps.py SKIP DURATION LOGFILE...   (one file per pgbench thread)

pgbench aligns its intervals to whole seconds from the first transaction, so interval 0 is a
partial second, and it does not log the partial interval the run ended in. Its -T also counts
the clients' connection time (0.2 s for 32 clients through most paths, 1.5 s through the socat
relay, which forks per connection). So the run lasts SKIP+DURATION+1 seconds and the window is
the last DURATION logged intervals: they start at least SKIP minus the connection time after
the first transaction, whatever that time was. Fewer intervals than that, or a gap, fails.
"""
import sys
from collections import Counter


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    skip, duration = int(sys.argv[1]), int(sys.argv[2])
    per_second = Counter()
    for path in sys.argv[3:]:
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) < 2 or not fields[0].isdigit() or not fields[1].isdigit():
                    sys.exit(f"steady_tps: unexpected pgbench log line in {path}: {line.strip()}")
                per_second[int(fields[0])] += int(fields[1])
    seconds = sorted(per_second)
    if len(seconds) < duration + 1:
        sys.exit(f"steady_tps: {len(seconds)} intervals logged, need {duration} whole ones after the first "
                 f"(run of {skip + duration + 1} s)")
    if seconds[-1] - seconds[0] != len(seconds) - 1:
        sys.exit(f"steady_tps: intervals missing between {seconds[0]} and {seconds[-1]}")
    window = seconds[-duration:]
    print(f"{sum(per_second[t] for t in window) / duration:.1f}")


if __name__ == "__main__":
    main()
