#!/usr/bin/env bash
# Desktop console benchmarks: bench_console (the MainWindow with every panel and the engines
# embedded, as the app builds them) on SQLite, under QT_QPA_PLATFORM (offscreen unless set).
# Writes tests/bench/results/console.txt; the README summarises it. Each figure next to its
# reference:
#   1. cold start, process start to the end of the window's first paint, with 1 000 000 stored
#      relay events (the rows bench_relay_load's csv mode makes, loaded with sqlite3 into the
#      migrated database); also until the streams panel lists the seeded streams. Reference: the
#      same with the migrated, empty database. Median of RUNS each;
#   2. GUI event-loop stall, the largest lateness of a 10 ms precise timer on the GUI thread,
#      while real forwarders (bench_relay_load latency, over WebSocket) ingest 5 000 reads/s
#      into the embedded relay with its panels shown (one live receiver per forwarder, as the
#      load generator's latency mode has it); target <= 50 ms. Reference: the same
#      window idle, no ingest, for IDLE_SECONDS first;
#   3. the console's RSS during the ingest, sampled every 10 s: start, end, max and the slope;
#      it must stay flat. Beside it what malloc holds in use and, of that, SQLite, to tell live
#      data from arena slack; the samples go to the results file's "-rss" sibling.
# PITWALL_BUILD_DIR names an existing build with PITWALL_GUI and PITWALL_BENCHMARKS to use as it
# is; without it the script configures and builds a Release tree of its own in build-bench.
# OUT names another results file (the hour run keeps its own: console-hour.txt).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../support/device.sh
source "$root/tests/support/device.sh"
out=${OUT:-$root/tests/bench/results/console.txt}
runs=${RUNS:-5}
stored_events=${STORED_EVENTS:-1000000}
stored_streams=${STORED_STREAMS:-8}
rate=${RATE:-5000}
forwarders=${FORWARDERS:-4}
idle_seconds=${IDLE_SECONDS:-30}
load_seconds=${LOAD_SECONDS:-180}
rss_every=${RSS_EVERY:-10}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
drift_interval_ms=10 # bench_console's drift timer (DriftIntervalMs)

"$root/installer/install-deps.sh" --test
if [[ -n ${PITWALL_BUILD_DIR:-} ]]; then
  build=$PITWALL_BUILD_DIR
else
  build="$root/build-bench"
  cmake -S "$root" -B "$build" -DPITWALL_GUI=ON -DPITWALL_TESTS=OFF -DPITWALL_BENCHMARKS=ON \
        -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$(nproc)" --target bench_console bench_relay_load >/dev/null
fi
build_type=$(awk -F= '/^CMAKE_BUILD_TYPE:/ {print $2}' "$build/CMakeCache.txt")
console="$build/tests/bench/bench_console"
load="$build/tests/bench/bench_relay_load"

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# The console's settings and saved layout stay in here, so every run starts from the defaults.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
value() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
calc() { awk "BEGIN {printf \"$1\", $2}"; }
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The GUI (main) thread's schedstat: ns on a CPU, ns runnable but waiting for one.
gui_schedstat() { cat "/proc/$1/task/$1/schedstat"; }

busy_before="load average $(cut -d' ' -f1-3 /proc/loadavg), $(pgrep -fc 'cmake --build' || true) cmake builds running"

# Runs `bench_console start` on data dir $1 RUNS times; prints the median of key $2.
cold_start() {
  local dir=$1 key=$2 expect=${3:-0} samples=()
  for i in $(seq 1 "$runs"); do
    "$console" start --data-dir "$dir" --expect-streams "$expect" --t0-ns "$(date +%s%N)" \
      >"$work/start.out" 2>"$work/start.log" || { cat "$work/start.log" >&2; exit 1; }
    samples+=("$(value "$key" "$work/start.out")")
  done
  echo "$(printf '%s\n' "${samples[@]}" | median) $(printf '%.0f ' "${samples[@]}")"
}

# The migrated, empty database: one start creates it, the timed ones find it.
empty="$work/empty"
"$console" start --data-dir "$empty" --t0-ns "$(date +%s%N)" >/dev/null 2>"$work/migrate.log"
read -r empty_paint_ms empty_paint_all <<<"$(cold_start "$empty" first_paint_ms)"
empty_rss=$(value window_rss_kib "$work/start.out")

# The same database with the stored events: real frames, as the relay stores them, and each
# stream's running metrics as the event store keeps them.
stored="$work/stored"
cp -r "$empty" "$stored"
csv_args=()
for i in $(seq 1 "$stored_streams"); do csv_args+=(--forwarder "stored-fwd-$i"); done
"$load" csv "${csv_args[@]}" --events "$stored_events" --dir "$work/csv" >/dev/null
# bench_relay_load writes raw_frame as PostgreSQL's \x hex; SQLite stores the bytes themselves.
awk -F, -v OFS=, 'BEGIN {for (i = 0; i < 256; i++) byte[sprintf("%02x", i)] = sprintf("%c", i)}
  {hex = substr($5, 3); frame = ""
   for (i = 1; i < length(hex); i += 2) frame = frame byte[substr(hex, i, 2)]
   $5 = frame; print}' "$work/csv/events.csv" >"$work/csv/events.sqlite.csv"
t0=$(date +%s%N)
sqlite3 "$stored/pitwall.db" <<EOF
.mode csv
CREATE TEMP TABLE s (stream_id TEXT, forwarder_id TEXT, reader_ip TEXT);
CREATE TEMP TABLE e (stream_id TEXT, stream_epoch INTEGER, seq INTEGER, reader_timestamp TEXT,
                     raw_frame TEXT, read_type TEXT, tag_id TEXT);
.import $work/csv/streams.csv s
.import $work/csv/events.sqlite.csv e
BEGIN;
INSERT INTO streams (stream_id, forwarder_id, reader_ip) SELECT * FROM s;
INSERT INTO events (stream_id, stream_epoch, seq, reader_timestamp, raw_frame, read_type, tag_id)
  SELECT stream_id, stream_epoch, seq, reader_timestamp, CAST(raw_frame AS BLOB), read_type, tag_id
  FROM e;
INSERT INTO stream_metrics (stream_id, raw_count, dedup_count, last_canonical_event_received_at,
                            epoch_raw_count, epoch_dedup_count, epoch_last_received_at,
                            last_tag_id, last_reader_timestamp)
  SELECT stream_id, count(*), count(*), max(received_at), count(*), count(*), max(received_at),
         (SELECT tag_id FROM events l WHERE l.stream_id = x.stream_id ORDER BY seq DESC LIMIT 1),
         max(reader_timestamp)
  FROM events x GROUP BY stream_id;
COMMIT;
ANALYZE;
EOF
seed_s=$(calc %.1f "($(date +%s%N) - $t0) / 1e9")
stored_count=$(sqlite3 "$stored/pitwall.db" "SELECT count(*) FROM events")
db_mib=$(calc %.0f "$(stat -c %s "$stored/pitwall.db") / 1048576")
read -r stored_paint_ms stored_paint_all <<<"$(cold_start "$stored" first_paint_ms)"
stored_rss=$(value window_rss_kib "$work/start.out")
read -r stored_shown_ms stored_shown_all <<<"$(cold_start "$stored" streams_shown_ms "$stored_streams")"

# 2 and 3: the console on the stored database, idle first, then under ingest.
"$console" load --data-dir "$stored" >"$work/load.out" 2>"$work/load.log" & pids+=($!)
console_pid=$!
for _ in $(seq 1 1000); do
  port=$(awk '$1 == "port" {print $2}' "$work/load.out")
  [[ -n $port ]] && break
  sleep 0.01
done
[[ -n $port ]] || { cat "$work/load.log" >&2; exit 1; }
for _ in $(seq 1 600); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" == 200 ]] && break
  sleep 0.05
done
# bench_relay_load's latency mode paces one forwarder and has a live receiver on its stream.
forwarder_tokens=(); receiver_tokens=()
for i in $(seq 1 "$forwarders"); do
  forwarder_tokens+=("$(device forwarder "bench-live-$i")")
  receiver_tokens+=("$(device receiver "bench-live-rcv-$i")")
done

idle_from=$(date +%s%3N)
sleep "$idle_seconds"
load_from=$(date +%s%3N)
ticks_from=$(process_ticks "$console_pid")
read -r gui_run_from gui_wait_from _ <<<"$(gui_schedstat "$console_pid")"
loaders=()
for i in $(seq 1 "$forwarders"); do
  "$load" latency --port "$port" --forwarder "${forwarder_tokens[i - 1]}" \
    --receiver "${receiver_tokens[i - 1]}" --rate $((rate / forwarders)) \
    --interval-ms 10 --seconds "$load_seconds" >"$work/fwd$i.out" 2>"$work/fwd$i.log" & loaders+=($!)
done
for i in "${!loaders[@]}"; do wait "${loaders[i]}" || { cat "$work/fwd$((i + 1)).log" "$work/load.log" >&2; exit 1; }; done
load_to=$(date +%s%3N)
console_cpu_s=$(calc %.1f "($(process_ticks "$console_pid") - $ticks_from) / $(getconf CLK_TCK)")
read -r gui_run_to gui_wait_to _ <<<"$(gui_schedstat "$console_pid")"
gui_cpu_s=$(calc %.1f "($gui_run_to - $gui_run_from) / 1e9")
gui_wait_s=$(calc %.1f "($gui_wait_to - $gui_wait_from) / 1e9")
kill -TERM "$console_pid"; wait "$console_pid"; pids=()

sent=0; rate_sum=0
for i in $(seq 1 "$forwarders"); do
  sent=$((sent + $(value latency_events_sent "$work/fwd$i.out" | cut -d. -f1)))
  rate_sum=$(calc %.0f "$rate_sum + $(value latency_rate_events_per_s "$work/fwd$i.out")")
done
# tick lines: unix ms, the second's largest drift (us), RSS, RssAnon, RssFile (KiB), of that
# late interval the GUI thread's time on a CPU and runnable waiting for one (us), malloc and
# SQLite in use (KiB).
ticks() { awk -v from="$1" -v to="$2" '$1 == "tick" && $2 > from && $2 <= to {print $3, $4, $2, $5, $6, $7, $8, $9, $10}' "$work/load.out"; }
ticks "$idle_from" "$load_from" >"$work/idle.ticks"
ticks "$load_from" "$load_to" >"$work/load.ticks"
drift_max() { awk '$1 > m {m = $1} END {printf "%.1f", m / 1000}' "$1"; }
drift_median() { awk '{print $1}' "$1" | median | awk '{printf "%.1f", $1 / 1000}'; }
# The worst interval of a ticks file: "length ms: on the GUI thread's CPU, waiting for a CPU, asleep".
worst_interval() {
  awk -v every="$drift_interval_ms" '$1 > m {m = $1; run = $6; wait = $7}
    END {total = m / 1000 + every
         printf "%.1f ms: %.1f on the GUI thread, %.1f runnable waiting for a CPU, %.1f asleep",
                total, run / 1000, wait / 1000, total - run / 1000 - wait / 1000}' "$1"
}
seconds_over() { awk -v ms="$2" '$1 > ms * 1000 {n++} END {print n + 0}' "$1"; }
# Every $rss_every s of the ingest: seconds since its start, RSS, RssAnon, RssFile, malloc in use,
# SQLite in use.
awk -v every="$rss_every" 'NR == 1 {t0 = $3} NR % every == 1 {print ($3 - t0) / 1000, $2, $4, $5, $8, $9}' \
  "$work/load.ticks" >"$work/rss.samples"
# Column $1 of the samples from second $2 on: "first last max least-squares-slope-per-minute".
rss_stats() {
  awk -v c="$1" -v from="${2:-0}" '$1 >= from {n++; x += $1; y += $c; xx += $1 * $1; xy += $1 * $c
         if ($c > max) max = $c; if (n == 1) first = $c; last = $c}
    END {printf "%d %d %d %.0f", first, last, max, (n * xy - x * y) / (n * xx - x * x) * 60}' \
    "$work/rss.samples"
}
read -r rss_start rss_end rss_max rss_slope <<<"$(rss_stats 2)"
read -r anon_start anon_end _ anon_slope <<<"$(rss_stats 3)"
read -r file_start file_end _ file_slope <<<"$(rss_stats 4)"
read -r heap_start heap_end _ heap_slope <<<"$(rss_stats 5)"
read -r sqlite_start sqlite_end _ sqlite_slope <<<"$(rss_stats 6)"
half=$(calc %.0f "$load_seconds / 2")
read -r _ _ _ rss_half_slope <<<"$(rss_stats 2 "$half")"
rss_n=$(wc -l <"$work/rss.samples")
final_count=$(sqlite3 "$stored/pitwall.db" "SELECT count(*) FROM events")

mkdir -p "$(dirname "$out")"
{
  echo "# Pitwall console benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $build_type build, QT_QPA_PLATFORM=$QT_QPA_PLATFORM (tests/bench/console.sh)"
  printf '%-34s %s\n' \
    machine_at_start "$busy_before" \
    first_paint_ms_stored "$stored_paint_ms   (process start to the end of the first paint, $stored_count stored events in $stored_streams streams, ${db_mib} MiB SQLite, median of $runs: $stored_paint_all)" \
    first_paint_ms_empty "$empty_paint_ms   (reference: the same, migrated empty database: $empty_paint_all)" \
    first_paint_ratio "$(calc %.2f "$stored_paint_ms / $empty_paint_ms")" \
    streams_shown_ms_stored "$stored_shown_ms   (until the relay streams panel lists the $stored_streams streams, median of $runs: $stored_shown_all)" \
    seed_seconds "$seed_s   (sqlite3 .import of bench_relay_load csv rows, metrics, ANALYZE)" \
    window_rss_kib_after_start "stored $stored_rss, empty $empty_rss" \
    drift_ms_max_ingest "$(drift_max "$work/load.ticks")   ($forwarders forwarders over WebSocket, each with a live receiver, $rate_sum reads/s for $load_seconds s, $sent sent; 10 ms PreciseTimer on the GUI thread; target <= 50)" \
    drift_ms_median_of_second_max "$(drift_median "$work/load.ticks")   (median over the seconds of each second's largest drift)" \
    drift_seconds_over_50_ms "$(seconds_over "$work/load.ticks" 50) of $(wc -l <"$work/load.ticks") (over 20 ms: $(seconds_over "$work/load.ticks" 20))" \
    drift_worst_interval_ingest "$(worst_interval "$work/load.ticks")   (the 10 ms timer's longest interval, where the GUI thread's time went; schedstat)" \
    drift_ms_max_idle "$(drift_max "$work/idle.ticks")   (reference: same window, no ingest, $idle_seconds s)" \
    drift_ms_median_idle "$(drift_median "$work/idle.ticks")" \
    events_after_ingest "$final_count   (stored before: $stored_count)" \
    console_cpu_s_ingest "$console_cpu_s   (user + system of the console process during the ingest)" \
    gui_thread_cpu_s_ingest "$gui_cpu_s   (of that, the GUI thread's; /proc schedstat)" \
    gui_thread_runqueue_s_ingest "$gui_wait_s   (time the GUI thread was runnable but waited for a CPU)" \
    rss_kib_start "$rss_start   (console process, first sample of the ingest; $rss_n samples every $rss_every s)" \
    rss_kib_end "$rss_end" \
    rss_kib_max "$rss_max" \
    rss_slope_kib_per_min "$rss_slope   (least squares over the whole ingest)" \
    rss_slope_kib_per_min_2nd_half "$rss_half_slope   (second half of the ingest)" \
    rss_anon_kib_start_end_slope "$anon_start $anon_end $anon_slope/min   (RssAnon: heap, stacks)" \
    rss_file_kib_start_end_slope "$file_start $file_end $file_slope/min   (RssFile: mapped files)" \
    malloc_in_use_kib_start_end_slope "$heap_start $heap_end $heap_slope/min   (mallinfo2, all arenas: what the program holds; RssAnon less this is arena slack and stacks)" \
    sqlite_in_use_kib_start_end_slope "$sqlite_start $sqlite_end $sqlite_slope/min   (sqlite3_memory_used, part of malloc in use: page caches, statements)"
} | tee "$out"
{
  echo "# seconds since the ingest started, RSS, RssAnon, RssFile, malloc in use, SQLite in use (KiB)"
  cat "$work/rss.samples"
} >"${out%.txt}-rss.txt"
