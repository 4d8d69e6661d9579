#!/usr/bin/env bash
# The README's screenshot: starts the desktop console under Xvfb (1366x768, the smallest screen
# the default layout is made for) on a fresh data dir, feeds it demo traffic from a real relay
# forwarder and receiver (tests/bench's bench_relay_load over WebSockets), and lets the console
# save its own main window (PITWALL_SCREENSHOT, see ui/shell/screenshot.h) before it quits.
#   tests/gui/screenshot.sh [output.png]          default: docs/screenshot.png
# PITWALL_BUILD_DIR: the build whose app/pitwall runs (default build-tests). The load generator
# is taken from PITWALL_RELAY_LOAD, that build, or build-bench (configured and built if missing,
# as tests/bench/relay.sh does). Needs xvfb-run and curl.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../support/device.sh
source "$root/tests/support/device.sh"
out=$(realpath -m "${1:-$root/docs/screenshot.png}")
build=${PITWALL_BUILD_DIR:-$root/build-tests}
pitwall="$build/app/pitwall"
delay_ms=${SCREENSHOT_DELAY_MS:-12000}
[[ -x $pitwall ]] || { echo "screenshot.sh: no $pitwall; build the pitwall target first" >&2; exit 1; }

load=${PITWALL_RELAY_LOAD:-}
for candidate in "$build/tests/bench/bench_relay_load" "$root/build-bench/tests/bench/bench_relay_load"; do
  [[ -z $load && -x $candidate ]] && load=$candidate
done
if [[ -z $load ]]; then
  cmake -S "$root" -B "$root/build-bench" -DPITWALL_GUI=OFF -DPITWALL_TESTS=OFF \
        -DPITWALL_BENCHMARKS=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build-bench" -j"$(nproc)" --target bench_relay_load >/dev/null
  load="$root/build-bench/tests/bench/bench_relay_load"
fi

work=$(mktemp -d)
port=$((40000 + RANDOM % 10000))
console=""
traffic=""
cleanup() {
  for pid in $traffic $console; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/config" "$(dirname "$out")"
rm -f "$out"
# Its own settings (no saved layout: the default one) and English, whatever this host speaks.
XDG_CONFIG_HOME="$work/config" PITWALL_LANG=en LC_ALL=C.UTF-8 \
  PITWALL_SCREENSHOT="$out" PITWALL_SCREENSHOT_DELAY_MS="$delay_ms" \
  xvfb-run -a -s "-screen 0 1366x768x24" \
  "$pitwall" --data-dir "$work/data" --bind "127.0.0.1:$port" >"$work/console.log" 2>&1 &
console=$!

for _ in $(seq 1 200); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" == 200 ]] && break
  kill -0 "$console" 2>/dev/null || { cat "$work/console.log" >&2; exit 1; }
  sleep 0.1
done

# Stored reads first (a stream with history), then live traffic with a receiver until the shot.
"$load" ingest --port "$port" --forwarder "$(device forwarder finish-line)" --events 5000 \
  --batch 250 >/dev/null
"$load" latency --port "$port" --forwarder "$(device forwarder split-5k)" \
  --receiver "$(device receiver timing-room)" --rate 400 --interval-ms 50 \
  --seconds $((delay_ms / 1000 + 30)) >/dev/null 2>&1 &
traffic=$!

wait "$console" || true
console=""
[[ -s $out ]] || { echo "screenshot.sh: no screenshot written" >&2; cat "$work/console.log" >&2; exit 1; }
echo "screenshot: $out"
