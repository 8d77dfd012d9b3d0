#!/usr/bin/env bash
# `mig lint` against squawk in one run, on real projects' migrations and on the generated
# corpus: median wall time, user+system CPU time and peak memory, the tools taking turns.
#
#   bash bench/lint/versus.sh                 # ROUNDS=11 COUNT=2000
#   ROUNDS=5 MIRRORS=/path bash bench/lint/versus.sh
#
# Needs build/mig, python3, GNU time (Debian package `time`), npm (squawk-cli goes into
# bench/lint/.squawk; its native binary is timed, not the node wrapper that starts it) and
# bare clones of the projects of real_corpus.py under MIRRORS (default
# /work/.mirror/<owner>+<name>/repo).
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=${ROUNDS:-11}
count=${COUNT:-2000}
mirrors=${MIRRORS:-/work/.mirror}
mig=${MIG:-$PWD/build/mig}
out=$PWD/bench/lint/out

[ -x "$mig" ] || { echo "build mig first: cmake -S . -B build && cmake --build build" >&2; exit 2; }
[ -d bench/lint/.squawk/node_modules/squawk-cli ] ||
  npm install --silent --no-audit --no-fund --prefix bench/lint/.squawk squawk-cli >/dev/null
squawk=$(find "$PWD/bench/lint/.squawk/node_modules/@squawk-cli" -path '*/bin/squawk' -type f | head -1)

python3 bench/lint/real_corpus.py "$out/real" --mirrors "$mirrors"
python3 bench/lint/generate.py "$out/corpus" --count "$count" >/dev/null
echo "mig:    $mig ($(git log -1 --format=%h))"
echo "squawk: $("$squawk" --version)"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"

echo
echo "Real migrations: $(ls "$out/real" | wc -l) files, $(cat "$out"/real/*.sql | wc -c) bytes"
python3 bench/lint/compare.py "$rounds" "$out/real" \
  "mig lint=$mig lint *.sql" "mig lint -j1=$mig lint -j1 *.sql" "squawk=$squawk *.sql"

echo
echo "Generated corpus: $count migrations"
python3 bench/lint/compare.py "$rounds" "$out/corpus" \
  "mig lint (.mig directory)=$mig lint migrations" \
  "mig lint (.sql files)=$mig lint sql/*.sql" "mig lint -j1 (.sql files)=$mig lint -j1 sql/*.sql" \
  "squawk (.sql files)=$squawk sql/*.sql"
