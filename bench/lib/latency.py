#!/usr/bin/env python3
"""Percentiles from pgbench per-transaction logs (--log): prints "p50_ms p99_ms count".

Column 3 of each line is the transaction's latency in microseconds. A failed or skipped
transaction (anything but a number there) makes this fail, so a broken path cannot report
a latency.
"""
import sys


def percentile(sorted_values, q):
    # Nearest-rank: the smallest value with at least q of the samples at or below it.
    rank = max(1, -(-len(sorted_values) * q // 100))
    return sorted_values[int(rank) - 1]


def main():
    values = []
    for path in sys.argv[1:]:
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) < 3 or not fields[2].isdigit():
                    sys.exit(f"latency: unexpected pgbench log line in {path}: {line.strip()}")
                values.append(int(fields[2]))
    if not values:
        sys.exit("latency: no transactions logged")
    values.sort()
    print(f"{percentile(values, 50) / 1000:.3f} {percentile(values, 99) / 1000:.3f} {len(values)}")


if __name__ == "__main__":
    main()
