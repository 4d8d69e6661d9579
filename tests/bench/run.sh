#!/usr/bin/env bash
# Foundation benchmarks. Writes tests/bench/results/foundation.txt; the README summarises it.
#   1. daemon start -> first /readyz 200 on SQLite, against `pitwall --version` (process start
#      and Qt start-up alone) as the reference;
#   2. /healthz throughput with wrk on loopback, against Qt's bare QHttpServer as the reference.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${PITWALL_BUILD_DIR:-$root/build-bench}
out="$root/tests/bench/results/foundation.txt"
runs=${RUNS:-20}

"$root/installer/install-deps.sh" --test
cmake -S "$root" -B "$build" -DPITWALL_GUI=OFF -DPITWALL_TESTS=OFF -DPITWALL_BENCHMARKS=ON \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target pitwall bench_reference_httpserver >/dev/null
pitwall="$build/app/pitwall"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

port_of() { # waits for "listening on ...:PORT" in a log file
  local log=$1
  for _ in $(seq 1 500); do
    port=$(grep -oE 'listening on [0-9.]+:[0-9]+' "$log" | grep -oE '[0-9]+$' | head -1 || true)
    [[ -n "$port" ]] && { echo "$port"; return; }
    sleep 0.01
  done
  echo "no port in $log" >&2; exit 1
}

startup=()
for i in $(seq 1 "$runs"); do
  dir="$work/start$i"; mkdir -p "$dir"
  t0=$(now_ms)
  "$pitwall" --daemon --bind 127.0.0.1:0 --data-dir "$dir" 2>"$dir/log" & pid=$!
  port=$(port_of "$dir/log")
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" == 200 ]]; do sleep 0.005; done
  startup+=($(( $(now_ms) - t0 )))
  kill -TERM "$pid"; wait "$pid"
done
reference=()
for i in $(seq 1 "$runs"); do
  t0=$(now_ms); "$pitwall" --version >/dev/null; reference+=($(( $(now_ms) - t0 )))
done
start_ms=$(printf '%s\n' "${startup[@]}" | median)
ref_ms=$(printf '%s\n' "${reference[@]}" | median)

"$pitwall" --daemon --bind 127.0.0.1:0 --data-dir "$work/wrk" 2>"$work/wrk.log" & pids+=($!)
ours=$(port_of "$work/wrk.log")
"$build/tests/bench/bench_reference_httpserver" >"$work/ref.log" & pids+=($!)
theirs=$(port_of "$work/ref.log")
rps() { wrk -t2 -c32 -d10s "http://127.0.0.1:$1/healthz" | awk '/Requests\/sec/ {print $2}'; }
rps_ref=$(rps "$theirs")
rps_ours=$(rps "$ours")
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/${pids[0]}/status")

mkdir -p "$(dirname "$out")"
{
  echo "# Pitwall foundation benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, Release build"
  echo "startup_to_ready_ms_median       $start_ms   (SQLite, fresh data dir, $runs runs)"
  echo "reference_version_ms_median      $ref_ms   (pitwall --version: process + Qt start-up)"
  echo "startup_ratio                    $(awk -v a="$start_ms" -v b="$ref_ms" 'BEGIN {printf "%.2f", a/b}')"
  echo "healthz_rps_pitwall              $rps_ours   (wrk -t2 -c32 -d10s, loopback)"
  echo "healthz_rps_reference            $rps_ref   (bare QHttpServer, same wrk)"
  echo "healthz_ratio                    $(awk -v a="$rps_ours" -v b="$rps_ref" 'BEGIN {printf "%.2f", a/b}')"
  echo "daemon_rss_after_wrk_kib         $rss_kb"
} | tee "$out"
