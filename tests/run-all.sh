#!/usr/bin/env bash
# Builds Pitwall with its tests and runs every test: each database test once on SQLite and once
# on a throwaway PostgreSQL cluster that this script starts and stops. Installs the Debian
# packages it needs first (idempotent). CI runs exactly this (.ci/run).
#
#   tests/run-all.sh [extra ctest arguments, e.g. -L unit or -R config]
#
# PITWALL_BUILD_DIR chooses the build directory (default: build-tests beside this checkout's root).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PITWALL_BUILD_DIR:-$root/build-tests}
jobs=$(nproc)

"$root/installer/install-deps.sh" --test

# The outside-in relay client's one package (ws), pinned by its lock file.
npm ci --prefix "$root/tests/external/relay-client" --no-audit --no-fund --loglevel=error

cmake -S "$root" -B "$build" -DPITWALL_GUI=ON -DPITWALL_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs"

# A free loopback port for the cluster: nothing answers a connect there.
port=
for candidate in $(shuf -i 20000-60000 -n 50); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[[ -n "$port" ]] || { echo "run-all: no free port for PostgreSQL" >&2; exit 1; }

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/pitwall-pg.XXXXXX")
cleanup() {
  bash "$root/tests/support/pg-cluster.sh" stop "$pgdir" "$port" >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap cleanup EXIT
bash "$root/tests/support/pg-cluster.sh" start "$pgdir" "$port"

export PITWALL_TEST_PG_URL="postgres://pitwall@127.0.0.1:$port/postgres"
export PITWALL_REQUIRE_POSTGRES=1
ctest --test-dir "$build" -j2 --output-on-failure --timeout 600 "$@"
