#!/usr/bin/env bash
# Watch scanner benchmarks (root: the daemon moves processes between cgroups). Writes
# tests/bench/results/watch.txt; the README summarises it.
#   1. full scan with 5000 extra live processes: our scan (in-process, median of 50) next to
#      `pgrep -x ffmpeg` on the same /proc (median of 50 runs of the command);
#   2. discovery latency through the proc connector: spawn -> "Attaching to PID" log time;
#   3. daemon memory per tracked process: RSS with 0 and with 100 governed workloads.
set -euo pipefail
[[ $(id -u) -eq 0 ]] || { echo "watch.sh: run as root" >&2; exit 1; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${PITWALL_BUILD_DIR:-$root/build-bench}
out="$root/tests/bench/results/watch.txt"
extra=${EXTRA_PROCESSES:-5000}
workloads=${WORKLOADS:-100}
spawns=${SPAWNS:-40}

"$root/installer/install-deps.sh" --test
cmake -S "$root" -B "$build" -DPITWALL_GUI=OFF -DPITWALL_TESTS=OFF -DPITWALL_BENCHMARKS=ON \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target pitwall bench_watch_scan >/dev/null

work=$(mktemp -d)
base="pitwall-bench-$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pkill -f "$work/filler" 2>/dev/null || true
  sleep 1
  for m in /sys/fs/cgroup/cpu /sys/fs/cgroup/memory /sys/fs/cgroup/unified /sys/fs/cgroup; do
    [[ -d "$m/$base" ]] || continue
    find "$m/$base" -mindepth 1 -maxdepth 1 -type d -exec rmdir {} + 2>/dev/null || true
    rmdir "$m/$base" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
pct() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p/100); if (i<1) i=1; print a[i]}'; }
now_us() { date +%s%6N; }
ffmpeg_idle=(ffmpeg -nostdin -hide_banner -loglevel error -re -f lavfi -i testsrc=size=16x16:rate=1 -f null -)

# 1. Scan cost next to pgrep, with $extra more processes alive.
cp /bin/sleep "$work/filler"
for _ in $(seq 1 "$extra"); do "$work/filler" 600 & done
sleep 2
procs=$(ls -d /proc/[0-9]* | wc -l)
scan=$("$build/tests/bench/bench_watch_scan" 50)
ours_us=$(awk '/scan_us_median/ {print $2}' <<<"$scan")
pgrep_runs=()
for _ in $(seq 1 50); do
  t0=$(now_us); pgrep -x ffmpeg >/dev/null || true; pgrep_runs+=($(( $(now_us) - t0 )))
done
pgrep_us=$(printf '%s\n' "${pgrep_runs[@]}" | median)
pkill -f "$work/filler" || true
sleep 1

# 2 and 3. A daemon with the proc connector: discovery latency, then memory per process.
printf 'scan_interval: "10s"\ncgroup_base: %s\ndefault_limits:\n  cpu_quota: 10\n' "$base" >"$work/w.yaml"
"$build/app/pitwall" --daemon --bind 127.0.0.1:0 --data-dir "$work" --watch-config "$work/w.yaml" \
  --log-format json 2>"$work/log" & daemon=$!
pids+=("$daemon")
for _ in $(seq 1 100); do grep -q '"Performing initial scan..."' "$work/log" && break; sleep 0.05; done
grep -q 'proc connector unavailable' "$work/log" && mode=polling || mode="proc connector"
rss0=$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")

latencies=()
for _ in $(seq 1 "$spawns"); do
  t0=$(now_us)
  "${ffmpeg_idle[@]}" & p=$!
  pids+=("$p")
  for _ in $(seq 1 400); do grep -q "Attaching to PID $p " "$work/log" && break; sleep 0.005; done
  ts=$(grep -m1 "Attaching to PID $p " "$work/log" | sed -E 's/.*"ts":"([^"]+)".*/\1/')
  latencies+=($(( $(date -d "$ts" +%s%6N) - t0 )))
done
p50=$(printf '%s\n' "${latencies[@]}" | pct 50)
p99=$(printf '%s\n' "${latencies[@]}" | pct 99)

for _ in $(seq 1 $((workloads - spawns))); do "${ffmpeg_idle[@]}" & pids+=($!); done
tracked=0
for _ in $(seq 1 200); do
  tracked=$(grep -c '"job_id"' "$work/watch-state.json" 2>/dev/null || true)
  [[ "$tracked" -ge "$workloads" ]] && break; sleep 0.1
done
sleep 2
rss1=$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")

mkdir -p "$(dirname "$out")"
{
  echo "# Pitwall watch benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, Release build"
  echo "processes_in_proc                $procs   ($extra extra sleepers)"
  echo "full_scan_us_median              $ours_us   (ProcessScanner::scan in-process, 50 runs)"
  echo "pgrep_x_ffmpeg_us_median         $pgrep_us   (the command, 50 runs)"
  echo "scan_ratio                       $(awk -v a="$ours_us" -v b="$pgrep_us" 'BEGIN {printf "%.2f", a/b}')"
  echo "discovery_mode                   $mode"
  echo "discovery_latency_us_p50         $p50   ($spawns ffmpeg spawns, spawn -> Attaching log line)"
  echo "discovery_latency_us_p99         $p99"
  echo "daemon_rss_kib_idle              $rss0"
  echo "daemon_rss_kib_tracking          $rss1   ($tracked governed processes)"
  echo "rss_per_tracked_process_kib      $(awk -v a="$rss1" -v b="$rss0" -v n="$tracked" 'BEGIN {printf "%.1f", (n>0)?(a-b)/n:0}')"
} | tee "$out"
kill -TERM "$daemon"; wait "$daemon" || true
