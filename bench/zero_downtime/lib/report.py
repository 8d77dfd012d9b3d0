#!/usr/bin/env python3
"""Render the results (one JSON object per line, from analyze.py) as a Markdown table."""
import json
import sys


def cell(value, suffix=""):
    return "-" if value is None else f"{value}{suffix}"


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    print("| scenario | form | change took | worst | p99 | > 100 ms | > 1 s | rows/s | "
          "baseline worst / p99 | result |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        rate = r.get("rows_per_s")
        print("| {} | {} | {} s | {} | {} | {} | {} | {} | {} / {} | {} |".format(
            r["scenario"], r["form"], r["ddl_seconds"], cell(r["worst_ms"], " ms"),
            cell(r["p99_ms"], " ms"), r["over_100ms"], r["over_1s"],
            "-" if rate is None else f"{rate:,.0f}",
            cell(r["baseline_worst_ms"], " ms"), cell(r["baseline_p99_ms"], " ms"),
            r["result"]))


if __name__ == "__main__":
    main()
