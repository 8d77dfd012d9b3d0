#!/usr/bin/env bash
# Installs what is missing (Debian bookworm, as root), then builds mig into build/.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config git
  tao-pegtl-dev libpqxx-dev libfmt-dev catch2 libpg-query-dev libprotobuf-c-dev
  nlohmann-json3-dev libcli11-dev libssl-dev libtomlplusplus-dev libmimalloc-dev
  postgresql-15 postgresql-client-15
  python3-jsonschema)  # tests/e2e/lint_cli_test.cpp validates SARIF with it
# The editor grammar tests (editors/test) run Node and Vim; a Node installed otherwise
# brings its own npm, and Debian's npm would conflict with it.
command -v npm >/dev/null || packages+=(nodejs npm)
command -v vim >/dev/null || packages+=(vim)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# MIG_WERROR=ON in the environment (CI sets it) makes compiler warnings errors.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIG_WERROR="${MIG_WERROR:-OFF}" >/dev/null
cmake --build build -j2
