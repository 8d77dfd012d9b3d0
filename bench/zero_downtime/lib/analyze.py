#!/usr/bin/env python3
"""Summarise pgbench per-transaction logs around one DDL run.

pgbench (PostgreSQL 15, --log without aggregation) writes one line per transaction:
    client_id transaction_no time script_no time_epoch time_us [schedule_lag]
`time` is the latency in microseconds; with --rate it counts from the moment the
transaction was scheduled, so time spent queued behind a stalled client is included
(no coordinated omission). time_epoch.time_us is when the transaction ended.

The DDL window is [ddl_start, ddl_end]; a transaction is "during the DDL" when it
overlaps that window. Transactions that ended in the warm-up (before ddl_start and
more than a second after the load started) give the baseline.

Prints one JSON object.
"""
import argparse
import json
import math
import sys

from pgbench_log import transactions


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    index = max(0, math.ceil(fraction * len(sorted_values)) - 1)
    return sorted_values[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log-prefix", required=True, help="pgbench --log-prefix")
    parser.add_argument("--load-start", type=float, required=True, help="epoch seconds")
    parser.add_argument("--ddl-start", type=float, required=True, help="epoch seconds")
    parser.add_argument("--ddl-end", type=float, required=True, help="epoch seconds")
    parser.add_argument("--extra", default="{}", help="JSON merged into the output")
    args = parser.parse_args()

    during, baseline = [], []
    total = failed = 0
    for transaction in transactions(args.log_prefix):
        total += 1
        if transaction is None:
            failed += 1
            continue
        latency, end = transaction
        start = end - latency
        if end >= args.ddl_start and start <= args.ddl_end:
            during.append(latency)
        elif args.load_start + 1 <= end < args.ddl_start:
            baseline.append(latency)
    during.sort()
    baseline.sort()

    def ms(value):
        return None if value is None else round(value * 1000, 1)

    result = {
        # The window on the clock of the pgbench logs, for plot.py.
        "load_start": args.load_start,
        "ddl_start": args.ddl_start,
        "ddl_end": args.ddl_end,
        "ddl_seconds": round(args.ddl_end - args.ddl_start, 2),
        "transactions": total,
        "failed_transactions": failed,
        "during": len(during),
        "worst_ms": ms(during[-1] if during else None),
        "p99_ms": ms(percentile(during, 0.99)),
        "p50_ms": ms(percentile(during, 0.50)),
        "over_100ms": sum(1 for v in during if v > 0.1),
        "over_1s": sum(1 for v in during if v > 1.0),
        "baseline_worst_ms": ms(baseline[-1] if baseline else None),
        "baseline_p99_ms": ms(percentile(baseline, 0.99)),
    }
    result.update(json.loads(args.extra))
    if total == 0:
        print(f"analyze.py: no transactions in {args.log_prefix}.*", file=sys.stderr)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
