#!/usr/bin/env python3
"""Draw live query latency over time, naive SQL beside mig, one row per scenario.

Reads results.jsonl (one JSON object per run, with its window: load_start, ddl_start,
ddl_end) and each run's pgbench per-transaction logs (runs/<scenario>__<form>__<round>/tx.*),
writes a gnuplot script and its data next to the PNG, and runs gnuplot (Debian package
gnuplot-nox). Only the first round of each scenario and form is drawn.

usage: plot.py OUT_DIR PNG
"""
import json
import os
import subprocess
import sys

from pgbench_log import transactions

FORM_ORDER = ["naive", "naive_offset", "mig"]


def run_dir(out, r):
    form = r["form"].split(" ")[0]  # "mig (--lock-timeout 50)" -> "mig"
    return os.path.join(out, "runs", f"{r['scenario']}__{form}__{r['round']}")


def write_data(path, r, log_prefix):
    """When each transaction was issued (seconds since the load started) and its latency in
    ms, one line per transaction."""
    with open(path, "w") as data:
        for transaction in transactions(log_prefix):
            if transaction is not None:
                latency, end = transaction
                data.write(f"{end - latency - r['load_start']:.3f} {latency * 1000:.2f}\n")


def main():
    out, png = sys.argv[1], sys.argv[2]
    runs = [json.loads(line) for line in open(os.path.join(out, "results.jsonl")) if line.strip()]
    chosen = {}
    for r in runs:
        if r["round"] == 1 and "load_start" in r and r["form"].split(" ")[0] in FORM_ORDER:
            chosen.setdefault((r["scenario"], r["form"].split(" ")[0]), r)
    scenarios = list(dict.fromkeys(s for s, _ in chosen))
    forms = [f for f in FORM_ORDER if any(f == g for _, g in chosen)]
    if not chosen:
        sys.exit(f"plot.py: no runs with a recorded window in {out}/results.jsonl")

    plot_dir = os.path.join(out, "plot")
    os.makedirs(plot_dir, exist_ok=True)
    width, height = 420 * len(forms), 260 * len(scenarios)
    script = [
        f"set terminal pngcairo noenhanced size {width},{height} font ',9'",
        f"set output '{png}'",
        f"set multiplot layout {len(scenarios)},{len(forms)} "
        "title 'Live query latency (ms, log scale) by when the query was issued (s); shaded: the migration'",
        "set logscale y", "set yrange [0.1:20000]", "set grid ytics",
        "unset key",
    ]
    for scenario in scenarios:
        for form in forms:
            r = chosen.get((scenario, form))
            if r is None:
                script += ["set multiplot next"]
                continue
            data = os.path.join(plot_dir, f"{scenario}__{form}.dat")
            write_data(data, r, os.path.join(run_dir(out, r), "tx"))
            start, end = r["ddl_start"] - r["load_start"], r["ddl_end"] - r["load_start"]
            script += [
                f"set title '{scenario}: {form} (worst {r['worst_ms']} ms, {r['result']})'",
                "unset object",
                f"set object 1 rect from {start:.3f}, graph 0 to {max(end, start + 0.05):.3f}, "
                "graph 1 fillcolor rgb '#e07b39' fillstyle transparent solid 0.2 noborder behind",
                f"plot '{data}' using 1:2 with points pointtype 7 pointsize 0.25 "
                f"linecolor rgb '{'#1f77b4' if form == 'mig' else '#7f7f7f'}'",
            ]
    script.append("unset multiplot")
    script_path = os.path.join(plot_dir, "latency.gp")
    with open(script_path, "w") as f:
        f.write("\n".join(script) + "\n")
    subprocess.run(["gnuplot", script_path], check=True)
    print(f"wrote {png}")


if __name__ == "__main__":
    main()
