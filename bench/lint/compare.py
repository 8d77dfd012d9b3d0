#!/usr/bin/env python3
"""Times commands side by side: each round runs every command once, in turn, so that a
change in the machine's load falls on all of them alike. Per command: the median wall
time, user+system CPU time and peak resident memory over the rounds.

The peak is GNU time's (`/usr/bin/time`, Debian package `time`), not this process's rusage
of its child: Linux counts a child's peak from the moment it is forked, so a command started
from Python would never show less than Python's own 13 MB.

    python3 bench/lint/compare.py ROUNDS DIR NAME=COMMAND [NAME=COMMAND ...]

COMMAND runs through `sh -c` in DIR with its output discarded. Prints a Markdown table,
the load average before and after, and warns about a command that failed to start.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time


def run(command, cwd):
    """Wall seconds, CPU seconds and peak RSS in MB of one run."""
    with tempfile.NamedTemporaryFile(mode="r") as peak:
        start = time.perf_counter()
        process = subprocess.Popen(
            ["/usr/bin/time", "-f", "%M", "-o", peak.name, "sh", "-c", "exec " + command],
            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        peak_kb = int(peak.read().split()[-1])  # after "Command exited with non-zero status"
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 2, 3):  # linters exit non-zero on findings
        sys.exit(f"`{command}` exited {code}")
    return wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024


def main():
    rounds, cwd, specs = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    commands = [spec.split("=", 1) for spec in specs]
    load_before = os.getloadavg()
    samples = {name: [] for name, _ in commands}
    for name, command in commands:  # warm-up: file cache, dynamic loader
        run(command, cwd)
    for _ in range(rounds):
        for name, command in commands:
            samples[name].append(run(command, cwd))
    load_after = os.getloadavg()
    base = commands[-1][0]
    base_wall = statistics.median(s[0] for s in samples[base])
    print(f"| command | wall (median) | wall min–max | user+sys | peak RSS | wall vs {base} |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, _ in commands:
        walls = [s[0] for s in samples[name]]
        cpu = statistics.median(s[1] for s in samples[name])
        rss = max(s[2] for s in samples[name])
        wall = statistics.median(walls)
        print(f"| {name} | {wall * 1000:.0f} ms | {min(walls) * 1000:.0f}–{max(walls) * 1000:.0f} ms"
              f" | {cpu * 1000:.0f} ms | {rss:.1f} MB | {base_wall / wall:.1f}× |")
    print(f"\n{rounds} rounds, load average before {load_before[0]:.2f}, after "
          f"{load_after[0]:.2f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
