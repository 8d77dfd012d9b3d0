#!/usr/bin/env bash
# Checks editors/vim/syntax/mig.vim with Vim itself; exit 77 (a skip for CTest) when no
# Vim with syntax support is installed.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v vim >/dev/null || ! vim --version | grep -q '+syntax'; then
  echo "vim with +syntax is not installed: the Vim syntax test is skipped (apt-get install vim)"
  exit 77
fi
export MIG_VIM_RESULT
MIG_VIM_RESULT=$(mktemp)
trap 'rm -f "$MIG_VIM_RESULT"' EXIT
status=0
vim -Es -u NONE -i NONE -S vim_syntax.vim </dev/null || status=$?
cat "$MIG_VIM_RESULT"
exit "$status"
