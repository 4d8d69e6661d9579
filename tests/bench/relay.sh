#!/usr/bin/env bash
# Relay benchmarks: the real `pitwall --daemon` on a private PostgreSQL cluster, driven by
# bench_relay_load (real WebSocket forwarders and receivers). Writes
# tests/bench/results/relay.txt; the README summarises it. Each figure next to its reference:
#   1. ingest: 8 forwarders, each sending 500-event batches stop-and-wait (send, wait for the ack),
#      200 000 events; reference: psql \copy of the same rows into an identical events table
#      (median of 3), target ratio >= 0.30;
#   2. forwarder-to-receiver latency at 2 000 events/s (20 events every 10 ms) with 10 live
#      receivers, from the send time each event carries; target p99 <= 5 ms;
#   3. replay from cursor 0 of 1 000 000 events, which are COPY'd straight into the daemon's
#      database; one live receiver, hello to last event; target >= 100 000 events/s;
#   4. daemon RSS after each phase; target <= 150 MiB.
# Next to the latency: PostgreSQL's own floor, the p50/p99 of a single-row INSERT and COMMIT
# (pgbench, one client, on the same cluster and its settings).
# Every phase also records the CPU seconds of the daemon, PostgreSQL, the load generator and
# everything else on the machine, so a busy machine shows in the results.
# PITWALL_BUILD_DIR names an existing build to use as it is (nothing is configured or built);
# without it the script configures and builds a Release tree of its own in build-bench.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../support/device.sh
source "$root/tests/support/device.sh"
out="$root/tests/bench/results/relay.txt"
forwarders=${FORWARDERS:-8}
ingest_events=${INGEST_EVENTS:-200000}
batch=${BATCH:-500}
copy_runs=${COPY_RUNS:-3}
rate=${RATE:-2000}
receivers=${RECEIVERS:-10}
latency_seconds=${LATENCY_SECONDS:-15}
replay_events=${REPLAY_EVENTS:-1000000}

"$root/installer/install-deps.sh" --test
if [[ -n ${PITWALL_BUILD_DIR:-} ]]; then
  build=$PITWALL_BUILD_DIR
else
  build="$root/build-bench"
  cmake -S "$root" -B "$build" -DPITWALL_GUI=OFF -DPITWALL_TESTS=OFF -DPITWALL_BENCHMARKS=ON \
        -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$(nproc)" --target pitwall bench_relay_load >/dev/null
fi
build_type=$(awk -F= '/^CMAKE_BUILD_TYPE:/ {print $2}' "$build/CMakeCache.txt")
load="$build/tests/bench/bench_relay_load"

work=$(mktemp -d)
chmod 755 "$work" # the cluster below it runs as the postgres user when we are root
pg="$work/pg"
pg_port=$((40000 + RANDOM % 10000))
daemon=""
cleanup() {
  [[ -n $daemon ]] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
  bash "$root/tests/support/pg-cluster.sh" stop "$pg" "$pg_port" || true
  rm -rf "$work"
}
trap cleanup EXIT

sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U pitwall -d "$@"; }
now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
value() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
calc() { awk "BEGIN {printf \"$1\", $2}"; }

# CPU accounting for one phase: clock ticks of the daemon, of the cluster (postmaster with its
# reaped children, plus the live backends) and of every CPU of the machine; the load generator
# prints its own (process_cpu_s).
tick_hz=$(getconf CLK_TCK)
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
process_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cluster_ticks() {
  local postmaster total
  postmaster=$(head -1 "$pg/data/postmaster.pid")
  total=$(process_ticks "$postmaster")
  for child in $(pgrep -P "$postmaster"); do total=$((total + $(process_ticks "$child"))); done
  echo "$total"
}
phase_begin() {
  p_wall=$(now_ns); p_machine=$(machine_ticks); p_daemon=$(process_ticks "$daemon")
  p_cluster=$(cluster_ticks)
}
# Prints "daemon D s, postgres P s, load generator L s, other processes O s, in W s on N cores";
# $1 is the load generator's output.
phase_cpu() {
  local wall machine daemon_s cluster_s load_s other_s
  wall=$(calc %.1f "($(now_ns) - $p_wall) / 1e9")
  machine=$(( $(machine_ticks) - p_machine ))
  daemon_s=$(calc %.1f "($(process_ticks "$daemon") - $p_daemon) / $tick_hz")
  cluster_s=$(calc %.1f "($(cluster_ticks) - $p_cluster) / $tick_hz")
  load_s=$(calc %.1f "$(value process_cpu_s "$1")")
  other_s=$(calc %.1f "$machine / $tick_hz - $daemon_s - $cluster_s - $load_s")
  # Backends that exit are added to the postmaster when reaped, with all their time, so this
  # can dip a little below zero.
  [[ $other_s == -* ]] && other_s=0.0
  echo "daemon $daemon_s s, postgres $cluster_s s, load generator $load_s s, other processes" \
       "$other_s s, in $wall s on $(nproc) cores"
}
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$daemon/status"; }

# The same rows in both databases (run while the daemon's holds the ingest phase only): every
# event's forwarder, seq, bytes, tag, timestamp and type.
rows_digest() {
  sql "$1" -c "SELECT count(*) || ' ' || md5(string_agg(s.forwarder_id || ':' || e.seq || ':'
      || encode(e.raw_frame, 'hex') || ':' || e.tag_id || ':' || e.reader_timestamp || ':'
      || e.read_type, ',' ORDER BY s.forwarder_id, e.seq)) FROM events e JOIN streams s USING
      (stream_id)"
}
# Loads streams.csv and events.csv written by `bench_relay_load csv` into database $1.
copy_streams() {
  sql "$1" -c "\\copy streams (stream_id, forwarder_id, reader_ip) FROM '$2/streams.csv' WITH (FORMAT csv)" \
      -c "INSERT INTO stream_metrics (stream_id) SELECT stream_id FROM streams ON CONFLICT DO NOTHING"
}
copy_events() {
  sql "$1" -c "\\copy events (stream_id, stream_epoch, seq, reader_timestamp, raw_frame, read_type, tag_id) FROM '$2/events.csv' WITH (FORMAT csv)"
}

busy_before="load average $(cut -d' ' -f1-3 /proc/loadavg), $(pgrep -fc 'cmake --build' || true) cmake builds running"

bash "$root/tests/support/pg-cluster.sh" start "$pg" "$pg_port"
sql postgres -c "CREATE DATABASE relay" -c "CREATE DATABASE copyref"
sql copyref -f "$root/migrations/postgres/0003_relay_events.sql" >/dev/null

mkdir -p "$work/daemon"
DATABASE_URL="postgres://pitwall@127.0.0.1:$pg_port/relay" "$build/app/pitwall" --daemon \
  --bind 127.0.0.1:0 --data-dir "$work/daemon" 2>"$work/daemon.log" & daemon=$!
for _ in $(seq 1 1000); do
  port=$(grep -oE 'listening on [0-9.]+:[0-9]+' "$work/daemon.log" | grep -oE '[0-9]+$' | head -1 || true)
  [[ -n $port ]] && break
  sleep 0.01
done
[[ -n $port ]] || { cat "$work/daemon.log" >&2; exit 1; }
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" == 200 ]]; do sleep 0.05; done

# 1. Ingest, then the COPY reference of the same rows while the daemon idles.
args=()
for i in $(seq 1 "$forwarders"); do args+=(--forwarder "$(device forwarder "bench-fwd-$i")"); done
phase_begin
"$load" ingest --port "$port" "${args[@]}" --events "$ingest_events" --batch "$batch" | tee "$work/ingest.out"
ingest_cpu=$(phase_cpu "$work/ingest.out")
rss_ingest=$(rss_kib)
ingest_rate=$(value ingest_events_per_s "$work/ingest.out")

"$load" csv "${args[@]}" --events "$ingest_events" --dir "$work/copy" >/dev/null
copy_streams copyref "$work/copy"
copy_ms=()
for _ in $(seq 1 "$copy_runs"); do
  sql copyref -c "TRUNCATE events" -c "CHECKPOINT"
  t0=$(now_ns)
  copy_events copyref "$work/copy"
  copy_ms+=($(( ($(now_ns) - t0) / 1000000 )))
done
copy_median_ms=$(printf '%s\n' "${copy_ms[@]}" | median)
copy_rate=$(calc %.0f "$(value ingest_events "$work/ingest.out") * 1000 / $copy_median_ms")
if [[ "$(rows_digest relay)" == "$(rows_digest copyref)" ]]; then same_rows=yes; else same_rows=NO; fi
# Otherwise autovacuum works through the ingest phase's rows during the latency phase.
sql relay -c "VACUUM ANALYZE"

# 2. Latency: one paced forwarder of its own, receivers live on its stream.
args=(--forwarder "$(device forwarder bench-lat)")
for i in $(seq 1 "$receivers"); do args+=(--receiver "$(device receiver "bench-rcv-$i")"); done
phase_begin
"$load" latency --port "$port" "${args[@]}" --rate "$rate" --interval-ms 10 \
  --seconds "$latency_seconds" | tee "$work/latency.out"
latency_cpu=$(phase_cpu "$work/latency.out")
rss_latency=$(rss_kib)

# PostgreSQL's commit round trip, while the daemon idles: pgbench logs each transaction's
# microseconds in its third column.
sql copyref -c "CREATE TABLE commit_probe (id BIGSERIAL PRIMARY KEY, v INT)"
echo 'INSERT INTO commit_probe (v) VALUES (1);' >"$work/probe.sql"
pgbench -h 127.0.0.1 -p "$pg_port" -U pitwall -n -c 1 -t 2000 -f "$work/probe.sql" -l \
  --log-prefix="$work/commit" copyref >/dev/null 2>&1
quantile() { sort -n | awk -v q="$1" '{a[NR]=$1} END {i=int(NR*q); if (i < 1) i=1; print a[i]}'; }
commit_p50=$(cat "$work"/commit.* | awk '{print $3}' | quantile 0.50)
commit_p99=$(cat "$work"/commit.* | awk '{print $3}' | quantile 0.99)

# 3. Replay: the events go straight into the daemon's database while it idles, before the
# receiver connects (the daemon only reads them back).
"$load" csv --forwarder bench-replay --events "$replay_events" --dir "$work/replay" >/dev/null
copy_streams relay "$work/replay"
t0=$(now_ns)
copy_events relay "$work/replay"
replay_load_s=$(calc %.1f "($(now_ns) - $t0) / 1e9")
sql relay -c "ANALYZE events"
phase_begin
"$load" replay --port "$port" --receiver "$(device receiver bench-replay-rcv)" \
  --stream bench-replay --events "$replay_events" | tee "$work/replay.out"
replay_cpu=$(phase_cpu "$work/replay.out")
rss_replay=$(rss_kib)

mkdir -p "$(dirname "$out")"
{
  echo "# Pitwall relay benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $build_type build (tests/bench/relay.sh)"
  printf '%-32s %s\n' \
    machine_at_start "$busy_before" \
    ingest_events_per_s "$(calc %.0f "$ingest_rate")   ($forwarders forwarders x $batch-event stop-and-wait batches, $(value ingest_events "$work/ingest.out") events, $(calc %.1f "$(value ingest_seconds "$work/ingest.out")") s)" \
    copy_events_per_s "$copy_rate   (psql \\copy of the same rows into an identical events table, median of $copy_runs: ${copy_ms[*]} ms)" \
    ingest_ratio "$(calc %.2f "$ingest_rate / $copy_rate")   (target >= 0.30)" \
    ingest_same_rows "$same_rows   (count and md5 of every stored row, daemon vs COPY)" \
    ingest_batch_ack_ms_p50 "$(value batch_ack_ms_p50 "$work/ingest.out")" \
    ingest_batch_ack_ms_p99 "$(value batch_ack_ms_p99 "$work/ingest.out")" \
    ingest_cpu "$ingest_cpu" \
    latency_us_p50 "$(value latency_us_p50 "$work/latency.out")   ($(value latency_receivers "$work/latency.out") live receivers, $(calc %.0f "$(value latency_rate_events_per_s "$work/latency.out")") events/s for $latency_seconds s, $(value latency_samples "$work/latency.out") samples after a 2 s warm-up)" \
    latency_us_p99 "$(value latency_us_p99 "$work/latency.out")   (target <= 5000)" \
    latency_us_max "$(value latency_us_max "$work/latency.out")" \
    latency_forwarder_ack_us_p50 "$(value latency_ack_us_p50 "$work/latency.out")" \
    latency_forwarder_ack_us_p99 "$(value latency_ack_us_p99 "$work/latency.out")" \
    latency_cpu "$latency_cpu" \
    commit_us_p50 "$commit_p50   (pgbench, single-row INSERT + COMMIT, one client, 2000 transactions)" \
    commit_us_p99 "$commit_p99" \
    latency_p99_over_commit_p99 "$(calc %.0f "$(value latency_us_p99 "$work/latency.out") / $commit_p99")" \
    replay_events_per_s "$(calc %.0f "$(value replay_events_per_s "$work/replay.out")")   ($(value replay_events "$work/replay.out") events from cursor 0, hello to last event $(calc %.2f "$(value replay_seconds "$work/replay.out")") s; target >= 100000)" \
    replay_stored_by "psql \\copy into the daemon's database before the receiver connected, $replay_load_s s" \
    replay_cpu "$replay_cpu" \
    daemon_rss_kib_after_ingest "$rss_ingest" \
    daemon_rss_kib_after_latency "$rss_latency" \
    daemon_rss_kib_after_replay "$rss_replay   (target <= 153600)"
} | tee "$out"
