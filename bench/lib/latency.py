#!/usr/bin/env python3
"""Percentiles from pgbench per-transaction logs (--log): prints "p50_ms p99_ms count".

usage: latency.py [--skip S] LOGFILE...

Column 3 of each line is the transaction's latency in microseconds; columns 5 and 6 are when it
ended (epoch seconds, microseconds). With --skip S, transactions that ended in the first S
seconds of each file (one run) are left out: a new server backend is still warming up then. A
failed or skipped transaction (anything but a number in column 3) makes this fail, so a broken
path cannot report a latency.
"""
import sys


def percentile(sorted_values, q):
    # Nearest-rank: the smallest value with at least q of the samples at or below it.
    rank = max(1, -(-len(sorted_values) * q // 100))
    return sorted_values[int(rank) - 1]


def main():
    args = sys.argv[1:]
    skip = 0.0
    if args[:1] == ["--skip"]:
        skip, args = float(args[1]), args[2:]
    values = []
    for path in args:
        run_start = None
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) < 6 or not fields[2].isdigit():
                    sys.exit(f"latency: unexpected pgbench log line in {path}: {line.strip()}")
                ended = int(fields[4]) + int(fields[5]) / 1e6
                if run_start is None:
                    run_start = ended - int(fields[2]) / 1e6
                if ended - run_start >= skip:
                    values.append(int(fields[2]))
    if not values:
        sys.exit("latency: no transactions logged")
    values.sort()
    print(f"{percentile(values, 50) / 1000:.3f} {percentile(values, 99) / 1000:.3f} {len(values)}")


if __name__ == "__main__":
    main()
