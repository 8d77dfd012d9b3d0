#!/usr/bin/env bash
# Builds the Debian package from the build tree with CPack, unpacks it with `dpkg -x` into
# a temporary root (not installed), and runs the mig inside it on the repository's
# migrations with the system's libraries only.
# Usage: deb_package_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build=$1 source=$2 version=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack -G DEB"; }
deb="$work/out/mig_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || fail "no $deb; cpack wrote: $(ls "$work/out")"

[ "$(dpkg-deb --field "$deb" Package)" = mig ] || fail "package name"
[ "$(dpkg-deb --field "$deb" Version)" = "$version" ] || fail "version $(dpkg-deb --field "$deb" Version)"
depends=$(dpkg-deb --field "$deb" Depends)
for library in libpqxx-6.4 libfmt9 libssl3 libc6 libstdc++6; do
  [[ $depends == *"$library "* || $depends == *"$library," || $depends == *"$library" ]] ||
    fail "Depends lacks $library: $depends"
done
[[ $depends != *postgresql-15* ]] || fail "the server is a dependency: $depends"
[ "$(dpkg-deb --field "$deb" Recommends)" = postgresql-15 ] || fail "Recommends"

root="$work/root"
dpkg -x "$deb" "$root"
for path in usr/bin/mig usr/libexec/mig/mig-full usr/share/man/man1/mig.1 \
  usr/share/bash-completion/completions/mig usr/share/zsh/vendor-completions/_mig \
  usr/share/fish/vendor_completions.d/mig.fish \
  usr/share/doc/mig/README.md usr/share/doc/mig/docs/language.md \
  usr/share/doc/mig/docs/rules/locking-index.md; do
  [ -s "$root/$path" ] || fail "the package has no /$path"
done
[ "$(head -c 11 "$root/usr/share/man/man1/mig.1")" = '.TH MIG 1 "' ] || fail "mig.1 is no man page"
grep -qx 'complete .*-F _mig mig' "$root/usr/share/bash-completion/completions/mig" ||
  fail "the bash completion registers no _mig"

mig="$root/usr/bin/mig"
for program in "$mig" "$root/usr/libexec/mig/mig-full"; do
  if ldd "$program" | grep 'not found'; then fail "the packaged $program misses libraries"; fi
done
# mig lints by itself, without libpq or OpenSSL; every other command is mig-full's.
if ldd "$mig" | grep -E 'libpq|libcrypto'; then fail "the packaged mig loads libpq or OpenSSL"; fi
"$mig" --version | grep -qxE "mig $version \(commit ([0-9a-f]+|unknown)\)" ||
  fail "mig --version: $("$mig" --version)"
"$mig" --help | grep -q '^  compile ' || fail "mig --help lists no compile"
cd "$work"
"$mig" compile "$source/migrations" -o plan >compile.log 2>&1 || { cat compile.log; fail "mig compile"; }
migrations=$(find "$source/migrations" -name '[0-9]*.mig' | wc -l)
grep -qx "compiled $migrations migration(s) into plan" compile.log || fail "compile said: $(cat compile.log)"
[ "$(find plan -name '*.up.sql' | wc -l)" = "$migrations" ] || fail "plan/ has not $migrations upgrades"
[ -s plan/manifest.json ] || fail "no plan/manifest.json"
"$mig" lint "$source/migrations" >lint.log 2>&1 || { cat lint.log; fail "mig lint"; }
grep -qx "0 error(s), [0-9]* warning(s)" lint.log || fail "lint said: $(tail -1 lint.log)"
echo "ok: $(basename "$deb"), Depends: $depends"
