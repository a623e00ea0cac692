#!/usr/bin/env bash
# The benchmark of bench/README.md: `rawfeed run` over the all-equities universe against
# rawfeed-replay (50 ms per request, 64 in flight, 1d/5d, gzip), each figure with its floor
# measured in the same run. Touches only 127.0.0.1, /dev/shm/rawfeed-bench-* and out/bench/.
#
#   bench/run.sh [BUILD_DIR]          (make bench)
#
# Knobs (environment): BENCH_WORKERS (worker_concurrency, 8), BENCH_MPD (messages_per_delivery,
# 10), BENCH_CHUNK (chunk_size, 5), BENCH_RUNS (runs per figure, 3), BENCH_UNIVERSE (a universe
# file), BENCH_DISK_DIR (working-disk folder, out/bench), BENCH_SKIP_DISK=1 (figure 1 only),
# BENCH_SEQ_FLOOR=1 (also a single-threaded disk floor, once), BENCH_SKIP_CHECK=1 (no replay
# server check), BENCH_TIMEOUT (s per run, 600), BENCH_COMPRESSION (none, gzip or zstd; gzip),
# BENCH_WRAP (a command put before rawfeed, e.g. "heaptrack -o /tmp/prof": its figures are then
# the wrapper's).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
bin="$build/bin"
shared=${RAWFEED_SHARED_DIR:-$root/../shared}
universe=${BENCH_UNIVERSE:-$shared/universes/all_equities.json}
workers=${BENCH_WORKERS:-8}
mpd=${BENCH_MPD:-10}
chunk=${BENCH_CHUNK:-5}
runs=${BENCH_RUNS:-3}
in_flight=64
latency_ms=50
run_timeout=${BENCH_TIMEOUT:-600}
disk_base=${BENCH_DISK_DIR:-$root/out/bench}
compression=${BENCH_COMPRESSION:-gzip}

for tool in "$bin/rawfeed" "$bin/rawfeed-replay" "$bin/rawfeed-bench-replay-client" \
  "$bin/rawfeed-bench-write-floor" /usr/bin/time; do
  [ -x "$tool" ] || { echo "bench: missing $tool (build first; apt-get install time)" >&2; exit 1; }
done
[ -f "$universe" ] || { echo "bench: no universe $universe" >&2; exit 1; }

shm=$(mktemp -d /dev/shm/rawfeed-bench-XXXXXX)
mkdir -p "$disk_base"
disk=$(mktemp -d "$disk_base/run-XXXXXX")
replay=""
cleanup() {
  if [ -n "$replay" ]; then
    kill "$replay" 2>/dev/null || true
    wait "$replay" 2>/dev/null || true
  fi
  rm -rf "$shm" "$disk"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- replay server --------------------------------------------------------------------------
# shellcheck source=bench/replay_server.sh
. "$root/bench/replay_server.sh"
start_replay_server "$bin" "$shm" 0 --template "$root/bench/chart_template_5d_1d.json" \
  --latency-ms "$latency_ms"
# Two cores: anything else running (a compile) shows up in the figures. Recorded, not enforced.
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: load average at start: $load_start (2 cores: anything above ~0.5 disturbs the figures)"
echo "bench: replay server at $url (latency ${latency_ms} ms, template bench/chart_template_5d_1d.json)"

symbols=$(grep -c '"' "$universe" || true)

# --- the replay server alone ------------------------------------------------------------------
echo "bench: replay server check: $symbols requests, $in_flight in flight, trivial client"
if [ "${BENCH_SKIP_CHECK:-0}" = 1 ]; then
  check="skipped wall_s=- ideal_s=- ratio=-"
else
  check=$(timeout 120 "$bin/rawfeed-bench-replay-client" --port "$port" --requests "$symbols" \
    --in-flight "$in_flight" --latency-ms "$latency_ms" --universe "$universe")
fi
echo "  $check"
field() { sed -n "s/.*[ ^]$1=\([^ ]*\).*/\1/p" <<<"$2"; }
check_wall=$(field wall_s "$check")
check_ideal=$(field ideal_s "$check")
check_ratio=$(field ratio "$check")

# --- config -----------------------------------------------------------------------------------
config="$shm/bench.toml"
cat >"$config" <<EOF
environment = "bench"

[defaults]
period = "5d"
fetch = "period"  # a benchmark measures whole fetches, whatever the watermarks say
interval = "1d"
file_format = "json"
compression = "$compression"
chunk_size = $chunk
messages_per_delivery = $mpd
worker_concurrency = $workers
requests_in_flight = $in_flight

[defaults.source]
base_url = "$url"
max_retries = 2

# The replay server has no limits: a fixed 64 in flight, no rate cap (the behaviour before the
# governor), so the figures stay comparable.
[defaults.source.limits]
adaptive = false
fleet = "none"

[domains.bench]
data_source = "yahoo_finance"
data_type = "prices"
table_name = "prices"
universe = "$universe"
period = "5d"
fetch = "period"  # a benchmark measures whole fetches, whatever the watermarks say
interval = "1d"
compression = "$compression"
EOF

# CPU seconds the replay server has used so far (it shares the machine's cores with rawfeed).
replay_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$replay/stat"; }

# One `rawfeed run` under /usr/bin/time -v. Sets: r_wall r_cpu r_rss_mb r_objects r_records
# r_orch_ms r_accepted r_summary_wall.
run_rawfeed() {
  local base=$1 tag=$2
  rm -rf "$base/lake" "$base/state"
  local t0 t1 status=0 replay0
  replay0=$(replay_cpu)
  t0=$(date +%s%N)
  # shellcheck disable=SC2086  # BENCH_WRAP is words
  timeout "$run_timeout" /usr/bin/time -v -o "$base/time.txt" ${BENCH_WRAP:-} \
    "$bin/rawfeed" run --config "$config" --domain bench --source-url "$url" \
    --lake "$base/lake" --state "$base/state" --batch-id "bench-$tag-$(date +%s%N)" \
    --no-progress --log-level warn >"$base/summary.txt" 2>"$base/stderr.txt" || status=$?
  t1=$(date +%s%N)
  if [ "$status" -ne 0 ]; then
    echo "bench: rawfeed run ($tag) exited $status" >&2
    cat "$base/summary.txt" "$base/stderr.txt" >&2
    exit 1
  fi
  r_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  r_lake_mb=$(du -sb "$base/lake" | awk '{ printf "%.1f", $1 / 1e6 }')
  r_replay_cpu=$(awk -v a="$replay0" -v b="$(replay_cpu)" 'BEGIN { printf "%.2f", b - a }')
  r_cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$base/time.txt")
  r_rss_mb=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$base/time.txt")
  r_objects=$(sed -n 's/^ *objects *\([0-9]*\) written.*/\1/p' "$base/summary.txt")
  r_records=$(sed -n 's/^ *records *\([0-9]*\).*/\1/p' "$base/summary.txt")
  r_orch_ms=$(sed -n 's/.*orchestration \([0-9.]*\) ms.*/\1/p' "$base/summary.txt")
  r_summary_wall=$(sed -n 's/^ *time *\([0-9.]*\) s wall.*/\1/p' "$base/summary.txt")
  local total rejected
  total=$(sed -n 's/^ *symbols *\([0-9]*\) total.*/\1/p' "$base/summary.txt")
  rejected=$(sed -n 's/.* \([0-9]*\) rejected at validation.*/\1/p' "$base/summary.txt")
  r_accepted=$((total - rejected))
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
per_s() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }

rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$@")"); }

# --- figure 1: pipeline overhead on tmpfs -----------------------------------------------------
echo "bench: figure 1 (lake + state on /dev/shm), $runs runs, workers=$workers mpd=$mpd chunk=$chunk"
f1_walls=() f1_lines=()
for i in $(seq "$runs"); do
  mkdir -p "$shm/f1"
  run_rawfeed "$shm/f1" "shm$i"
  # The physical limit: every request the run made (the accepted symbols and the probe) paced
  # at latency × requests / in-flight.
  floor=$(awk -v n="$((r_accepted + 1))" -v l="$latency_ms" -v k="$in_flight" \
    'BEGIN { printf "%.3f", n * l / 1000 / k }')
  echo "  run $i: wall ${r_wall} s (summary ${r_summary_wall} s), floor ${floor} s," \
    "ratio $(ratio "$r_wall" "$floor"), cpu ${r_cpu} s, rss ${r_rss_mb} MB," \
    "objects ${r_objects}, records ${r_records}, orchestration ${r_orch_ms} ms," \
    "requests $((r_accepted + 1)), replay server cpu ${r_replay_cpu} s, lake ${r_lake_mb} MB"
  f1_walls+=("$r_wall")
  f1_lines+=("$r_wall $floor $r_cpu $r_rss_mb $r_objects $r_records $r_orch_ms")
  rm -rf "$shm/f1"
done
f1_median=$(median "${f1_walls[@]}")
for line in "${f1_lines[@]}"; do
  read -r w fl c m o rec orch <<<"$line"
  if [ "$w" = "$f1_median" ]; then
    row "1 tmpfs (median of $runs)" "$w" "$fl" "$(ratio "$w" "$fl")" "$c" "$m" \
      "$(per_s "$o" "$w")" "$(per_s "$rec" "$w")" "$orch" "$o"
    break
  fi
done

# --- figure 2: working disk, with its write floor -----------------------------------------------
if [ "${BENCH_SKIP_DISK:-0}" != 1 ]; then
  echo "bench: figure 2 (lake + state on $(df --output=source "$disk" | tail -1)," \
    "$disk), $runs runs, each followed by its floor ($workers writer threads)"
  f2_walls=() f2_floors=() f2_lines=()
  for i in $(seq "$runs"); do
    mkdir -p "$disk/f2"
    run_rawfeed "$disk/f2" "disk$i"
    sync
    floor_out=$(timeout "$run_timeout" "$bin/rawfeed-bench-write-floor" --from "$disk/f2/lake" \
      --to "$disk/f2/floor" --threads "$workers")
    floor=$(field wall_s "$floor_out")
    echo "  run $i: wall ${r_wall} s, floor ${floor} s ($floor_out), ratio $(ratio "$r_wall" "$floor")," \
      "cpu ${r_cpu} s, rss ${r_rss_mb} MB, objects ${r_objects}, records ${r_records}," \
      "orchestration ${r_orch_ms} ms, replay server cpu ${r_replay_cpu} s"
    if [ "${BENCH_SEQ_FLOOR:-0}" = 1 ] && [ "$i" = 1 ]; then
      seq_out=$(timeout "$run_timeout" "$bin/rawfeed-bench-write-floor" --from "$disk/f2/lake" \
        --to "$disk/f2/floor-seq" --threads 1)
      echo "  sequential floor: $seq_out"
    fi
    f2_walls+=("$r_wall")
    f2_floors+=("$floor")
    f2_lines+=("$r_wall $floor $r_cpu $r_rss_mb $r_objects $r_records $r_orch_ms")
    rm -rf "$disk/f2"
    sync
  done
  f2_median=$(median "${f2_walls[@]}")
  f2_floor_median=$(median "${f2_floors[@]}")
  for line in "${f2_lines[@]}"; do
    read -r w fl c m o rec orch <<<"$line"
    if [ "$w" = "$f2_median" ]; then
      row "2 disk (median of $runs)" "$w" "$f2_floor_median" "$(ratio "$w" "$f2_floor_median")" \
        "$c" "$m" "$(per_s "$o" "$w")" "$(per_s "$rec" "$w")" "$orch" "$o"
      break
    fi
  done
fi

# --- results ----------------------------------------------------------------------------------
echo
echo "replay server alone: $symbols requests, $in_flight in flight: ${check_wall} s vs ideal" \
  "${check_ideal} s (ratio ${check_ratio})"
echo "load average: $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo "config: worker_concurrency=$workers messages_per_delivery=$mpd chunk_size=$chunk" \
  "requests_in_flight=$in_flight compression=$compression period=5d interval=1d"
echo
echo "| figure | wall s | floor s | ratio | CPU s | peak RSS MB | objects/s | records/s | orchestration ms | objects |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
