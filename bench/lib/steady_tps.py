#!/usr/bin/env python3
"""Steady-state TPS from pgbench aggregate logs (--log --aggregate-interval=1): prints the mean
transactions per second over intervals SKIP .. SKIP+DURATION-1 of the run.

usage: steady_tps.py SKIP DURATION LOGFILE...   (one file per pgbench thread)

pgbench aligns intervals to whole seconds from the first transaction, so interval 0 is a partial
second, and it does not log the partial interval the run ended in; its -T also counts the
clients' connection time. With a run of SKIP+DURATION+1 seconds, intervals SKIP ..
SKIP+DURATION-1 are whole seconds that started at least SKIP-1 seconds after the first
transaction. Missing intervals make this fail rather than report a rate from less.
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
    if not per_second:
        sys.exit("steady_tps: no intervals logged")
    first = min(per_second)
    wanted = range(first + skip, first + skip + duration)
    missing = [t - first for t in wanted if t not in per_second]
    if missing:
        sys.exit(f"steady_tps: intervals {missing} not logged (run shorter than {skip + duration + 1} s?)")
    print(f"{sum(per_second[t] for t in wanted) / duration:.1f}")


if __name__ == "__main__":
    main()
