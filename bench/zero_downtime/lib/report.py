#!/usr/bin/env python3
"""Render the results (one JSON object per line, from analyze.py) as Markdown tables.

With several rounds, a row shows the median over the rounds of the change's time, p99
and rows/s, and the maximum of the worst query and of the counts: a latency target
must hold in every round. The backfill's throughput is compared round by round, each
`mig` run against the single UPDATE run just before it, so that a machine that is
slower for a while slows both sides of a ratio.
"""
import json
import statistics
import sys


def cell(value, suffix=""):
    return "-" if value is None else f"{value}{suffix}"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def maximum(values):
    values = [v for v in values if v is not None]
    return max(values) if values else None


def results_table(rows):
    groups = {}
    for r in rows:
        groups.setdefault((r["scenario"], r["form"]), []).append(r)
    print("| scenario | form | runs | change took | worst | p99 | > 100 ms | > 1 s | rows/s | "
          "baseline worst / p99 | result |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for (scenario, form), runs in groups.items():
        def m(key):
            return median(r[key] for r in runs)

        def worst(key):
            return maximum(r[key] for r in runs)

        rate = m("rows_per_s")
        results = sorted({r["result"] for r in runs})
        print("| {} | {} | {} | {:.2f} s | {} | {} | {} | {} | {} | {} / {} | {} |".format(
            scenario, form, len(runs), m("ddl_seconds"), cell(worst("worst_ms"), " ms"),
            cell(m("p99_ms"), " ms"), worst("over_100ms"), worst("over_1s"),
            "-" if rate is None else f"{rate:,.0f}", cell(worst("baseline_worst_ms"), " ms"),
            cell(m("baseline_p99_ms"), " ms"), ", ".join(results)))


def backfill_ratios(rows):
    single = {r["round"]: r["rows_per_s"] for r in rows
              if r["scenario"] == "backfill" and r["form"] == "naive"}
    ratios = [(r["round"], r["rows_per_s"] / single[r["round"]]) for r in rows
              if r["scenario"] == "backfill" and r["form"] == "mig" and r["round"] in single]
    if not ratios:
        return
    print()
    print("Backfill through `mig` against the single `UPDATE` of the same round: " + ", ".join(
        f"{100 * ratio:.0f} %" for _, ratio in ratios) +
        f"; median **{100 * statistics.median(ratio for _, ratio in ratios):.0f} %**.")


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    results_table(rows)
    backfill_ratios(rows)


if __name__ == "__main__":
    main()
