#!/usr/bin/env bash
# The lint speed benchmark: generates 2,000 migrations (as .mig and as plain .sql), then
# times `mig lint` over both and squawk over the .sql files, in the same run.
#
#   bash bench/lint/run.sh            # 2000 migrations, 10 timed runs each
#   COUNT=500 RUNS=5 bash bench/lint/run.sh
#
# Needs build/mig (cmake --build build), python3, npm (squawk-cli is installed into
# bench/lint/.squawk on the first run) and hyperfine if available (apt-get install
# hyperfine); without hyperfine the script times the runs itself.
set -euo pipefail
cd "$(dirname "$0")/../.."

count=${COUNT:-2000}
runs=${RUNS:-10}
mig=$PWD/build/mig
out=bench/lint/out
corpus=$out/corpus
squawk=$PWD/bench/lint/.squawk/node_modules/.bin/squawk

[ -x "$mig" ] || { echo "build mig first: cmake -S . -B build && cmake --build build" >&2; exit 2; }
if [ ! -x "$squawk" ]; then
  echo "installing squawk-cli into bench/lint/.squawk"
  npm install --silent --no-audit --no-fund --prefix bench/lint/.squawk squawk-cli >/dev/null
fi

mkdir -p "$out"
python3 bench/lint/generate.py "$corpus" --count "$count"
echo "mig:    $("$mig" --version 2>/dev/null || echo "$mig")"
echo "squawk: $("$squawk" --version)"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
echo

# What each tool reports on the corpus (one run, outside the timing).
mig_dir_findings=$(cd "$corpus" && "$mig" lint migrations --format json | python3 -c \
  'import json,sys; print(len(json.load(sys.stdin)["findings"]))' || true)
mig_sql_findings=$(cd "$corpus" && "$mig" lint sql/*.sql --format json | python3 -c \
  'import json,sys; print(len(json.load(sys.stdin)["findings"]))' || true)
squawk_findings=$(cd "$corpus" && "$squawk" --reporter json sql/*.sql 2>/dev/null | python3 -c \
  'import json,sys; print(len(json.load(sys.stdin)))' || true)

commands=(
  "$mig lint migrations"
  "$mig lint sql/*.sql"
  "$squawk sql/*.sql"
)
names=("mig lint (.mig dir)" "mig lint (.sql files)" "squawk (.sql files)")
findings=("$mig_dir_findings" "$mig_sql_findings" "$squawk_findings")

if [ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null; then
  (cd "$corpus" && hyperfine --style basic --warmup 2 --runs "$runs" --ignore-failure \
    --export-json ../timings.json \
    -n "${names[0]}" "${commands[0]}" -n "${names[1]}" "${commands[1]}" \
    -n "${names[2]}" "${commands[2]}")
else
  # The same JSON shape as hyperfine's --export-json.
  (cd "$corpus" && python3 - "$runs" "${names[@]}" "${commands[@]}" >../timings.json <<'PY'
import json, statistics, subprocess, sys, time
runs, names, commands = int(sys.argv[1]), sys.argv[2:5], sys.argv[5:8]
results = []
for name, command in zip(names, commands):
    samples = []
    for i in range(runs + 2):
        start = time.perf_counter()
        subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i >= 2:
            samples.append(time.perf_counter() - start)
    results.append({"command": name, "mean": statistics.mean(samples),
                    "stddev": statistics.stdev(samples)})
json.dump({"results": results}, sys.stdout)
PY
  )
fi

echo
echo "$count migrations; mean of $runs runs after 2 warm-up runs"
python3 - "$out/timings.json" "${findings[@]}" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
findings = sys.argv[2:]
squawk = results[2]["mean"]
print(f"| {'tool':<22} | {'time (ms)':>14} | {'findings':>8} | {'vs squawk':>13} |")
print(f"|{'-' * 24}|{'-' * 16}|{'-' * 10}|{'-' * 15}|")
for r, n in zip(results, findings):
    time = f"{r['mean'] * 1000:.0f} ± {r['stddev'] * 1000:.0f}"
    speed = f"{squawk / r['mean']:.1f}x faster" if r is not results[2] else "1.0x"
    print(f"| {r['command']:<22} | {time:>14} | {n or '?':>8} | {speed:>13} |")
PY
