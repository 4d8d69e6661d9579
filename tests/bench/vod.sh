#!/usr/bin/env bash
# VOD queue benchmarks. Writes tests/bench/results/vod.txt; the README summarises it.
#   1. pipeline overhead: a 1 GiB VOD through the real `pitwall --daemon` (queued in its SQLite
#      database, VOD_URL_TEMPLATE on tests/support/mediaserver.py, unthrottled, aria2c off, no
#      upload), timed from the queued -> downloading transition to the one out of downloading;
#      reference: the very yt-dlp command line the daemon ran (read from /proc while it ran),
#      run bare against the same server. Runs alternate, outputs are deleted in between; median
#      of DOWNLOAD_RUNS each, and the median of the pairs' ratios; target: daemon <= 1.05 x bare;
#   2. upload: ResumableUpload (bench_vod_upload, its default chunk size) of a 1 GiB file to
#      tests/bench/uploadsink.py, a resumable endpoint that counts and discards the bytes;
#      reference: curl PUTting the whole file to a session of the same sink; median of
#      UPLOAD_RUNS each; target >= 0.90 x curl. Also the uploader's peak RSS growth over the
#      upload (target <= 32 MiB), and the uploader with SMALL_CHUNK-byte chunks next to one curl
#      process PUTting the same chunks one after the other on one connection (the source is all
#      zeros, so every chunk is one zero-filled file): what the protocol's round trips cost.
# Sources are sparse files and the work directory is on tmpfs (BENCH_TMP), so the disk is out
# of the measurement. PITWALL_BUILD_DIR names an existing build to use as it is; without it the
# script configures and builds a Release tree of its own in build-bench.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$root/tests/bench/results/vod.txt"
download_runs=${DOWNLOAD_RUNS:-7}
upload_runs=${UPLOAD_RUNS:-3}
small_chunk=${SMALL_CHUNK:-$((8 * 1024 * 1024))}
size=$((1024 * 1024 * 1024))

if [[ -n ${PITWALL_BUILD_DIR:-} ]]; then
  build=$PITWALL_BUILD_DIR
else
  build="$root/build-bench"
  cmake -S "$root" -B "$build" -DPITWALL_TESTS=OFF -DPITWALL_BENCHMARKS=ON \
        -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$(nproc)" --target pitwall bench_vod_upload >/dev/null
fi
build_type=$(awk -F= '/^CMAKE_BUILD_TYPE:/ {print $2}' "$build/CMakeCache.txt")

work=$(mktemp -d -p "${BENCH_TMP:-/dev/shm}")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
value() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
calc() { awk "BEGIN {printf \"$1\", $2}"; }
# Starts a server script that prints "PORT <n>" first; sets $server_port.
start_server() {
  local log=$1; shift
  : >"$log"
  "$@" >"$log" 2>&1 & pids+=($!)
  server_port=""
  for _ in $(seq 1 500); do
    server_port=$(awk '/^PORT / {print $2; exit}' "$log")
    [[ -n $server_port ]] && return
    sleep 0.01
  done
  cat "$log" >&2; exit 1
}

busy() {
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(pgrep -fc 'cmake --build' || true) cmake builds and $(pgrep -fc 'bin/yt-dlp' || true) yt-dlp processes running"
}
busy_before=$(busy)
truncate -s "$size" "$work/source.bin"

# 1. Download: the daemon and bare yt-dlp, alternating.
ids=()
routes=""
for i in $(seq 1 "$download_runs"); do
  ids+=("bench$i")
  routes+="${routes:+,}\"/videos/bench$i.mp4\": {\"mode\": \"file\", \"file\": \"$work/source.bin\", \"rate\": 0}"
done
echo "{$routes}" >"$work/media.json"
start_server "$work/media.out" python3 "$root/tests/support/mediaserver.py" "$work/media.json" "$work/media.log"
media_port=$server_port

db="$work/pitwall.db"
mkdir -p "$work/daemon"
: >"$work/daemon.log"
DATABASE_URL="sqlite://$db" TWITCH_CHANNELS=bench VOD_PROCESS_INTERVAL=1s \
  VOD_URL_TEMPLATE="http://127.0.0.1:$media_port/videos/{id}.mp4" DOWNLOAD_USE_ARIA2C=0 \
  YOUTUBE_UPLOAD_ENABLED=0 LOG_FORMAT=json "$build/app/pitwall" --daemon --bind 127.0.0.1:0 \
  --data-dir "$work/daemon" 2>"$work/daemon.log" & daemon=$!
pids+=("$daemon")
port=""
for _ in $(seq 1 1000); do
  port=$(grep -oE 'listening on [0-9.]+:[0-9]+' "$work/daemon.log" | grep -oE '[0-9]+$' | head -1 || true)
  [[ -n $port ]] && break
  sleep 0.01
done
[[ -n $port ]] || { cat "$work/daemon.log" >&2; exit 1; }
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" == 200 ]]; do sleep 0.05; done
sql() { sqlite3 -cmd '.timeout 10000' "$db" "$@"; }

tick_hz=$(getconf CLK_TCK)
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # its own, reaped yt-dlp excluded
daemon_ms=(); bare_ms=(); daemon_cpu=(); daemon_ok=yes; bare_ok=yes
for id in "${ids[@]}"; do
  sql "INSERT INTO vods (twitch_vod_id, channel, title, date, duration_seconds)
       VALUES ('$id', 'bench', 'bench', '2026-01-01T00:00:00.000Z', 3600)"
  # The daemon's yt-dlp, its command line kept for the bare run.
  pid=""
  until [[ -n $pid ]]; do pid=$(pgrep -f "$work/daemon/.*twitch_$id.mp4" | head -1 || true); sleep 0.02; done
  mapfile -d '' argv <"/proc/$pid/cmdline"
  ticks=$(process_ticks "$daemon")
  # Only a cheap wait while yt-dlp runs: a sqlite3 process every poll would take CPU from it.
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  state=""
  until [[ $state =~ ^(done|done_no_upload|downloaded|failed_retry|failed_terminal)$ ]]; do
    sleep 0.2; state=$(sql "SELECT state FROM vods WHERE twitch_vod_id = '$id'")
  done
  daemon_cpu+=($(calc %.2f "($(process_ticks "$daemon") - $ticks) / $tick_hz"))
  daemon_ms+=($(sql "SELECT CAST(round((julianday(max(changed_at)) - julianday(min(changed_at))) * 86400000) AS INTEGER)
                     FROM vod_transitions WHERE twitch_vod_id = '$id'
                     AND (to_state = 'downloading' OR from_state = 'downloading')"))
  output=""
  for ((j = 0; j < ${#argv[@]}; j++)); do [[ ${argv[j]} == -o ]] && output=${argv[j + 1]}; done
  [[ $(stat -c %s "$output" 2>/dev/null || echo 0) == "$size" && $state != failed_* ]] || daemon_ok="NO ($id: $state)"
  rm -f "$output"

  t0=$(now_ns)
  "${argv[@]}" >"$work/bare.out" 2>&1 || bare_ok="NO (exit $?)"
  bare_ms+=($(( ($(now_ns) - t0) / 1000000 )))
  [[ $(stat -c %s "$output" 2>/dev/null || echo 0) == "$size" ]] || bare_ok="NO ($id: size)"
  rm -f "$output"
done
daemon_median=$(printf '%s\n' "${daemon_ms[@]}" | median)
bare_median=$(printf '%s\n' "${bare_ms[@]}" | median)
# Each daemon run over the bare run right after it: steadier than the ratio of the medians when
# the machine's load changes during the runs.
pair_ratios=$(for ((i = 0; i < download_runs; i++)); do calc %.3f "${daemon_ms[i]} / ${bare_ms[i]}"; echo; done)
pair_median=$(median <<<"$pair_ratios")
ytdlp_args="${argv[*]:1}"
ytdlp_args=${ytdlp_args//$work/<work>}
ytdlp_args=${ytdlp_args//127.0.0.1:$media_port/127.0.0.1:<port>}
# The daemon's own clock of each download (job start to yt-dlp's exit), from its JSON log.
job_ms=$(grep -oE '"dl_ms":[0-9]+' "$work/daemon.log" | cut -d: -f2 | tr '\n' ' ')
kill "$daemon"; wait "$daemon" 2>/dev/null || true

# 2. Upload: bench_vod_upload and curl, alternating, to the same sink.
start_server "$work/sink.out" python3 "$root/tests/bench/uploadsink.py" "$work/sink.log"
sink="http://127.0.0.1:$server_port"
new_session() {
  curl -sf -D - -o /dev/null -X POST -H "X-Upload-Content-Length: $size" -d '{}' \
       "$sink/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status" |
       tr -d '\r' | awk 'tolower($1) == "location:" {print $2}'
}
# A curl config that PUTs the file as chunks of $1 bytes to session $2, one request after another.
chunked_config() {
  for ((first = 0; first < size; first += $1)); do
    ((first > 0)) && echo next
    printf 'url = "%s"\nrequest = "PUT"\nheader = "Expect:"\nheader = "Content-Range: bytes %d-%d/%d"\nupload-file = "%s"\noutput = "/dev/null"\n' \
      "$2" "$first" "$((first + $1 - 1))" "$size" "$work/chunk.bin"
  done
}
upload_rates=(); curl_rates=(); chunked_rates=(); small_rates=(); growth=(); polled=(); cpu=()
for i in $(seq 1 "$upload_runs"); do
  "$build/tests/bench/bench_vod_upload" "$sink" "$work/source.bin" >"$work/upload.out" 2>/dev/null
  upload_rates+=($(value upload_bytes_per_s "$work/upload.out"))
  growth+=($(value rss_kib_peak_growth "$work/upload.out"))
  polled+=($(value rss_kib_polled_peak_growth "$work/upload.out"))
  cpu+=($(value process_cpu_s "$work/upload.out"))
  chunk=$(value upload_chunk_bytes "$work/upload.out")

  curl_rates+=($(curl -sf -o /dev/null -w '%{speed_upload}' -X PUT -H 'Expect:' \
                 -H "Content-Range: bytes 0-$((size - 1))/$size" -T "$work/source.bin" "$(new_session)"))

  "$build/tests/bench/bench_vod_upload" "$sink" "$work/source.bin" "$small_chunk" >"$work/small-upload.out" 2>/dev/null
  small_rates+=($(value upload_bytes_per_s "$work/small-upload.out"))

  truncate -s "$small_chunk" "$work/chunk.bin"
  chunked_config "$small_chunk" "$(new_session)" >"$work/chunked.cfg"
  t0=$(now_ns)
  curl -s --config "$work/chunked.cfg" >/dev/null
  chunked_rates+=($(calc %.0f "$size * 1e9 / ($(now_ns) - $t0)"))
done
complete=$(awk -v s="$size" '$2 == s {n++} END {print n + 0}' "$work/sink.log")
upload_median=$(printf '%s\n' "${upload_rates[@]}" | median)
curl_median=$(printf '%s\n' "${curl_rates[@]}" | median)
chunked_median=$(printf '%s\n' "${chunked_rates[@]}" | median)
small_median=$(printf '%s\n' "${small_rates[@]}" | median)
growth_max=$(printf '%s\n' "${growth[@]}" | sort -n | tail -1)
mib() { calc %.0f "$1 / 1048576"; }

mkdir -p "$(dirname "$out")"
{
  echo "# Pitwall VOD queue benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $build_type build (tests/bench/vod.sh)"
  printf '%-32s %s\n' \
    machine_at_start "$busy_before" \
    machine_at_end "$(busy)" \
    download_daemon_ms "$daemon_median   (1 GiB, queued VOD through pitwall --daemon, downloading transition to the next, median of $download_runs: ${daemon_ms[*]}; complete: $daemon_ok)" \
    download_bare_ytdlp_ms "$bare_median   (the daemon's yt-dlp command line run bare, same server, median of $download_runs: ${bare_ms[*]}; complete: $bare_ok)" \
    download_ratio "$(calc %.3f "$daemon_median / $bare_median")   (of the medians; target <= 1.05)" \
    download_pair_ratio "$pair_median   (median of each run over the bare run after it: $(echo $pair_ratios))" \
    download_mib_per_s "$(mib "$size * 1000 / $daemon_median") daemon, $(mib "$size * 1000 / $bare_median") bare" \
    download_daemon_job_ms "$job_ms  (the daemon's dl_ms log field: DownloadAttempts start to finish)" \
    download_daemon_cpu_s "${daemon_cpu[*]}   (the daemon process itself, yt-dlp excluded, per download)" \
    ytdlp_arguments "$ytdlp_args" \
    upload_mib_per_s "$(mib "$upload_median")   (ResumableUpload, its default $(mib "$chunk") MiB chunks, median of $upload_runs: $(for r in "${upload_rates[@]}"; do printf '%s ' "$(mib "$r")"; done)MiB/s; process CPU ${cpu[*]} s)" \
    curl_mib_per_s "$(mib "$curl_median")   (one PUT of the whole file, median of $upload_runs: $(for r in "${curl_rates[@]}"; do printf '%s ' "$(mib "$r")"; done)MiB/s)" \
    upload_ratio "$(calc %.2f "$upload_median / $curl_median")   (target >= 0.90)" \
    upload_small_chunk_mib_per_s "$(mib "$small_median")   (ResumableUpload, $(mib "$small_chunk") MiB chunks, median of $upload_runs: $(for r in "${small_rates[@]}"; do printf '%s ' "$(mib "$r")"; done)MiB/s; ratio to curl $(calc %.2f "$small_median / $curl_median"))" \
    curl_chunked_mib_per_s "$(mib "$chunked_median")   (one curl, $(mib "$small_chunk") MiB chunk PUTs in sequence on one connection, median of $upload_runs: $(for r in "${chunked_rates[@]}"; do printf '%s ' "$(mib "$r")"; done)MiB/s; ratio of ResumableUpload with the same chunks to it $(calc %.2f "$small_median / $chunked_median"))" \
    upload_sessions_complete "$complete of $((4 * upload_runs))   (sessions whose every byte reached the sink)" \
    upload_rss_kib_peak_growth "$growth_max   (largest of $upload_runs: ${growth[*]}; VmHWM after - VmRSS before; 20 ms VmRSS poll: ${polled[*]}; target <= 32768)"
} | tee "$out"
