#!/usr/bin/env bash
# How well `mig lint` catches lock hazards in plain SQL, against squawk, on the rule test
# cases of squawk and eugene (labelled by hazard family), or on real projects' migrations.
#
#   bash bench/lint_hazards/run.sh          # the labelled cases: table per family
#   bash bench/lint_hazards/run.sh real     # kratos, temporal and harbor's migrations
#
# Needs build/mig (or MIG=path), python3, npm (squawk-cli is installed into
# bench/lint_hazards/.squawk on the first run) and bare clones of the source repositories
# under MIRRORS (default /work/.mirror/<owner>+<name>/repo; see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

mig=${MIG:-$PWD/build/mig}
mirrors=${MIRRORS:-/work/.mirror}
out=$PWD/bench/lint_hazards/out
squawk=$PWD/bench/lint_hazards/.squawk/node_modules/.bin/squawk

[ -x "$mig" ] || { echo "build mig first: cmake -S . -B build && cmake --build build" >&2; exit 2; }
if [ ! -x "$squawk" ]; then
  echo "installing squawk-cli into bench/lint_hazards/.squawk"
  npm install --silent --no-audit --no-fund --prefix bench/lint_hazards/.squawk squawk-cli >/dev/null
fi

mkdir -p "$out"
echo "mig:    $mig ($(git log -1 --format=%h))"
echo "squawk: $("$squawk" --version)"
if [ "${1:-}" = real ]; then
  python3 bench/lint_hazards/extract.py --real --mirrors "$mirrors" --out "$out"
  python3 bench/lint_hazards/report.py real "$out" "$mig" "$squawk"
else
  python3 bench/lint_hazards/extract.py --mirrors "$mirrors" --out "$out"
  python3 bench/lint_hazards/report.py cases "$out" "$mig" "$squawk"
  echo
  echo "mig's misses and parse failures: $out/mig_misses.txt"
fi
