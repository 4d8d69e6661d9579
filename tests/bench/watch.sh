#!/usr/bin/env bash
# Watch scanner benchmarks (root: the daemon moves processes between cgroups). Writes
# tests/bench/results/watch.txt; the README summarises it. Parts (PARTS, default all three):
#   scan       full scan with 5000 extra live processes: our scan (in-process, median of 50) next
#              to `pgrep -x ffmpeg` on the same /proc (median of 50 runs of the command);
#   connector  discovery latency through the proc connector (spawn -> "Attaching to PID" log
#              time), then daemon memory per tracked process (RSS with 0 and 100 governed ffmpeg);
#   polling    discovery latency with polling only: the daemon in a network namespace of its own,
#              where the proc connector does not exist, scanning every POLL_INTERVAL_S seconds.
# A run of some parts keeps the other parts' earlier lines in the results file, each part with
# the date and build type it was measured with.
# PITWALL_BUILD_DIR names an existing build to use as it is (nothing is configured or built);
# without it the script configures and builds a Release tree of its own in build-bench.
set -euo pipefail
[[ $(id -u) -eq 0 ]] || { echo "watch.sh: run as root" >&2; exit 1; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$root/tests/bench/results/watch.txt"
parts=${PARTS:-scan connector polling}
extra=${EXTRA_PROCESSES:-5000}
workloads=${WORKLOADS:-100}
spawns=${SPAWNS:-40}
poll_interval_s=${POLL_INTERVAL_S:-1}
poll_spawns=${POLL_SPAWNS:-40}

wants() { [[ " $parts " == *" $1 "* ]]; }

"$root/installer/install-deps.sh" --test
if [[ -n ${PITWALL_BUILD_DIR:-} ]]; then
  build=$PITWALL_BUILD_DIR
else
  build="$root/build-bench"
  targets=(pitwall)
  wants scan && targets+=(bench_watch_scan)
  cmake -S "$root" -B "$build" -DPITWALL_GUI=OFF -DPITWALL_TESTS=OFF -DPITWALL_BENCHMARKS=ON \
        -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >/dev/null
fi
build_type=$(awk -F= '/^CMAKE_BUILD_TYPE:/ {print $2}' "$build/CMakeCache.txt")

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

# Results: the earlier file's lines, replaced key by key by what this run measures.
declare -A result
if [[ -f "$out" ]]; then
  while read -r key value; do [[ -z $key || $key == \#* ]] || result[$key]=$value; done <"$out"
fi
record() { result[$1]=$2; }
measured() { record "measured_$1" "$(date -u +%Y-%m-%dT%H:%MZ), $build_type build"; }

# Starts a daemon with the proc connector (or, with `unshare --net` in front, without it) on
# data dir $1 and a watch config of scan interval $2; sets $daemon and $log.
start_daemon() {
  local dir=$1 interval=$2
  shift 2
  mkdir -p "$dir"
  printf 'scan_interval: "%s"\ncgroup_base: %s\ndefault_limits:\n  cpu_quota: 10\n' \
    "$interval" "$base" >"$dir/w.yaml"
  log="$dir/log"
  "$@" "$build/app/pitwall" --daemon --bind 127.0.0.1:0 --data-dir "$dir" \
    --watch-config "$dir/w.yaml" --log-format json 2>"$log" & daemon=$!
  pids+=("$daemon")
  for _ in $(seq 1 100); do grep -qs '"Performing initial scan..."' "$log" && break; sleep 0.05; done
}

# Spawns one idle ffmpeg ($p) and appends the microseconds until the daemon logs its attach to
# `latencies`. Waits at most $1 seconds.
spawn_and_time_attach() {
  local t0 ts
  t0=$(now_us)
  "${ffmpeg_idle[@]}" & p=$!
  pids+=("$p")
  for _ in $(seq 1 $(( $1 * 200 ))); do grep -q "Attaching to PID $p " "$log" && break; sleep 0.005; done
  ts=$(grep -m1 "Attaching to PID $p " "$log" | sed -E 's/.*"ts":"([^"]+)".*/\1/')
  [[ -n $ts ]] || { echo "watch.sh: PID $p was not attached within $1 s" >&2; exit 1; }
  latencies+=($(( $(date -d "$ts" +%s%6N) - t0 )))
}

stop_daemon() { kill -TERM "$daemon"; wait "$daemon" || true; }

if wants scan; then
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
  measured scan
  record processes_in_proc "$procs   ($extra extra sleepers)"
  record full_scan_us_median "$ours_us   (ProcessScanner::scan in-process, 50 runs)"
  record pgrep_x_ffmpeg_us_median "$pgrep_us   (the command, 50 runs)"
  record scan_ratio "$(awk -v a="$ours_us" -v b="$pgrep_us" 'BEGIN {printf "%.2f", a/b}')"
fi

if wants connector; then
  start_daemon "$work/connector" 10s
  if grep -q 'proc connector unavailable' "$log"; then
    echo "watch.sh: the proc connector is unavailable here" >&2; exit 1
  fi
  rss0=$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")
  latencies=()
  for _ in $(seq 1 "$spawns"); do spawn_and_time_attach 2; done
  for _ in $(seq 1 $((workloads - spawns))); do "${ffmpeg_idle[@]}" & pids+=($!); done
  tracked=0
  for _ in $(seq 1 200); do
    tracked=$(grep -c '"job_id"' "$work/connector/watch-state.json" 2>/dev/null || true)
    [[ "$tracked" -ge "$workloads" ]] && break; sleep 0.1
  done
  sleep 2
  rss1=$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")
  stop_daemon
  measured connector
  record discovery_latency_us_p50 "$(printf '%s\n' "${latencies[@]}" | pct 50)   ($spawns ffmpeg spawns, spawn -> Attaching log line, proc connector, scan_interval 10s)"
  record discovery_latency_us_p99 "$(printf '%s\n' "${latencies[@]}" | pct 99)"
  record daemon_rss_kib_idle "$rss0"
  record daemon_rss_kib_tracking "$rss1   ($tracked governed processes)"
  record rss_per_tracked_process_kib "$(awk -v a="$rss1" -v b="$rss0" -v n="$tracked" 'BEGIN {printf "%.1f", (n>0)?(a-b)/n:0}')"
  # The governed workloads of this part end here, so the polling part starts on a quiet host.
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pids=()
  sleep 1
fi

if wants polling; then
  start_daemon "$work/polling" "${poll_interval_s}s" unshare --net
  if ! grep -q 'proc connector unavailable' "$log"; then
    echo "watch.sh: the daemon in its own network namespace still has the proc connector" >&2
    exit 1
  fi
  latencies=()
  for _ in $(seq 1 "$poll_spawns"); do
    # A random phase against the scan timer; spawning right after an attach would always land
    # just after a scan and measure the whole interval every time.
    sleep "$(awk -v i="$poll_interval_s" -v s="$RANDOM" 'BEGIN {srand(s); printf "%.3f", rand() * i}')"
    spawn_and_time_attach $(( poll_interval_s * 3 ))
    kill "$p"
  done
  stop_daemon
  measured polling
  record polling_latency_us_p50 "$(printf '%s\n' "${latencies[@]}" | pct 50)   ($poll_spawns ffmpeg spawns at random phases, spawn -> Attaching log line, no proc connector, scan_interval ${poll_interval_s}s)"
  record polling_latency_us_p99 "$(printf '%s\n' "${latencies[@]}" | pct 99)"
fi

keys=(measured_scan processes_in_proc full_scan_us_median pgrep_x_ffmpeg_us_median scan_ratio
      measured_connector discovery_latency_us_p50 discovery_latency_us_p99 daemon_rss_kib_idle
      daemon_rss_kib_tracking rss_per_tracked_process_kib
      measured_polling polling_latency_us_p50 polling_latency_us_p99)
mkdir -p "$(dirname "$out")"
{
  echo "# Pitwall watch benchmarks, $(nproc) cores (tests/bench/watch.sh)"
  for key in "${keys[@]}"; do
    if [[ -v result[$key] ]]; then printf '%-32s %s\n' "$key" "${result[$key]}"; fi
  done
} | tee "$out.new"
mv "$out.new" "$out"
