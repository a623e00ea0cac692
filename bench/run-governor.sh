#!/usr/bin/env bash
# The rate-limited source benchmark of bench/README.md ("Rate-limited source (issue 9)"): the
# source governor (README "Rate limits") against rawfeed-replay's limiter, each scenario with its
# floor (symbols / the source's admitted rate) measured in the same run. rawfeed keeps the
# DEFAULT [source.limits] (adaptive, 2 requests/s and 4 in flight to start, max_in_flight =
# requests_in_flight = 64) except where a scenario says otherwise. Touches only 127.0.0.1 and
# /dev/shm/rawfeed-gov-*.
#
#   bench/run-governor.sh [BUILD_DIR]
#
# Scenarios (GOV_SCENARIOS, default "1 2 3 4"):
#   1  cold start: source admits 100/s and 16 at once, 10 s ban after any excess; empty state
#   2  restart: the same source again (same port: the governor record is per host:port) with
#      run 1's state directory, so the learned limit is where it starts; fresh lake, new batch
#   3  fleet: three `rawfeed work` against a 50/s source (10 s ban), one SQLite queue file and one
#      lake shared, tracker and governor record in the lake, a state directory each; the lake is
#      a /dev/shm directory, or with GOV_FLEET_LAKE=s3 a prefix of the S3 test server (fauxqs
#      behind bench/aws_proxy.sh's SigV4 proxy; scripts/aws-test-servers.sh starts it)
#   4  a 3-minute ban: source 100/s with --ban-ms 180000, rawfeed max_rate 200 so slow start
#      overshoots and the ban falls early in the run; every chunk must still land
#
# Knobs (environment): BENCH_BIN (folder of the binaries; default BUILD_DIR/bin), BENCH_UNIVERSE
# (all_equities.json), GOV_SCENARIOS, GOV_SYMBOLS (scenarios 1-2: first N symbols, 0 = all),
# GOV_FLEET_SYMBOLS (scenario 3: first N symbols, 3000; 0 =
# all), GOV_FLEET_LAKE (scenario 3: shm or s3), GOV_BAN_SYMBOLS (scenario 4: 2000), BENCH_WORKERS (8), BENCH_MPD (10), BENCH_CHUNK (5),
# BENCH_TIMEOUT (s per run, 900).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
bin=${BENCH_BIN:-$build/bin}
shared=${RAWFEED_SHARED_DIR:-$root/../shared}
universe=${BENCH_UNIVERSE:-$shared/universes/all_equities.json}
scenarios=${GOV_SCENARIOS:-1 2 3 4}
symbols=${GOV_SYMBOLS:-0}
fleet_symbols=${GOV_FLEET_SYMBOLS:-3000}
fleet_lake=${GOV_FLEET_LAKE:-shm}
case "$fleet_lake" in shm | s3) ;; *) echo "bench: GOV_FLEET_LAKE is shm or s3" >&2; exit 1 ;; esac
ban_symbols=${GOV_BAN_SYMBOLS:-2000}
workers=${BENCH_WORKERS:-8}
mpd=${BENCH_MPD:-10}
chunk=${BENCH_CHUNK:-5}
in_flight=64
latency_ms=50
run_timeout=${BENCH_TIMEOUT:-900}
template="$root/bench/chart_template_5d_1d.json"

for tool in "$bin/rawfeed" "$bin/rawfeed-replay"; do
  [ -x "$tool" ] || { echo "bench: missing $tool (build first)" >&2; exit 1; }
done
[ -f "$universe" ] || { echo "bench: no universe $universe" >&2; exit 1; }

shm=$(mktemp -d /dev/shm/rawfeed-gov-XXXXXX)
replay=""
fleet_pids=()
proxy="" started_servers=0
# shellcheck source=bench/aws_proxy.sh
. "$root/bench/aws_proxy.sh"
cleanup() {
  local pid
  for pid in "${fleet_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$replay" ]; then
    kill "$replay" 2>/dev/null || true
    wait "$replay" 2>/dev/null || true
  fi
  stop_aws_proxy "$root"
  rm -rf "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: load average at start: $load_start (2 cores, shared: recorded, not enforced)"

# The first N symbols of the universe as a one-symbol-a-line file (0: all of them).
subset() {
  local n=$1 out=$2
  if [ "$n" = 0 ]; then
    grep -o '"[^"]*"' "$universe" | tr -d '"' >"$out"
  else
    grep -o '"[^"]*"' "$universe" | tr -d '"' | head -n "$n" >"$out"
  fi
  wc -l <"$out"
}

# --- replay server ------------------------------------------------------------------------------
# start_replay DIR PORT LIMIT-FLAGS...: sets replay, url, port.
# shellcheck source=bench/replay_server.sh
. "$root/bench/replay_server.sh"
start_replay() {
  local dir=$1 want=$2
  shift 2
  start_replay_server "$bin" "$dir" "$want" --template "$template" --latency-ms "$latency_ms" "$@"
  echo "  replay server $url: --latency-ms $latency_ms $*"
}

# stop_replay DIR: stops it and sets s_requests s_limited s_banned s_bans s_max1s from the
# counters it prints at shutdown.
stop_replay() {
  local dir=$1 line
  kill "$replay"
  wait "$replay" || true
  replay=""
  line=$(grep 'rawfeed-replay: stopped' "$dir/replay.err" || true)
  echo "  $line"
  s_requests=$(sed -n 's/.*stopped; \([0-9]*\) requests.*/\1/p' <<<"$line")
  s_limited=$(sed -n 's/.* \([0-9]*\) limited.*/\1/p' <<<"$line")
  s_banned=$(sed -n 's/.* \([0-9]*\) banned.*/\1/p' <<<"$line")
  s_bans=$(sed -n 's/.* \([0-9]*\) bans started.*/\1/p' <<<"$line")
  s_max1s=$(sed -n 's/.* \([0-9]*\) max admitted in any 1 s.*/\1/p' <<<"$line")
}

# --- config -----------------------------------------------------------------------------------
# write_config FILE UNIVERSE [EXTRA-DEFAULTS-LINES [LIMITS-LINES]]
write_config() {
  local file=$1 symbols_file=$2 extra=${3:-} limits=${4:-}
  cat >"$file" <<EOF
environment = "bench"

[defaults]
period = "5d"
fetch = "period"  # a benchmark measures whole fetches, whatever the watermarks say
interval = "1d"
file_format = "json"
gzip = true
chunk_size = $chunk
messages_per_delivery = $mpd
worker_concurrency = $workers
requests_in_flight = $in_flight
$extra

[defaults.source]
base_url = "$url"
max_retries = 2

# The shipped governor: everything default unless set here.
[defaults.source.limits]
$limits

[domains.bench]
data_source = "yahoo_finance"
data_type = "prices"
table_name = "prices"
universe = "$symbols_file"
period = "5d"
fetch = "period"  # a benchmark measures whole fetches, whatever the watermarks say
interval = "1d"
gzip = true
EOF
}

field_num() { sed -n "s/$1/\1/p" "$2" | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
landed() {  # distinct symbols with at least one data object in the lake (a directory or s3://)
  case "$1" in
    s3://*)
      local rest=${1#s3://}
      aws s3api list-objects-v2 --bucket "${rest%%/*}" --prefix "${rest#*/}/bench/" \
        --query 'Contents[].Key' --output text | tr '\t' '\n' | sed 's|.*/||' |
        grep -v '^_' | grep '\.json' | sed 's/\.json.*$//' | sort -u | wc -l
      ;;
    *)
      find "$1/bench" -type f -name '*.json*' ! -name '_*' -printf '%f\n' 2>/dev/null |
        sed 's/\.json.*$//' | sort -u | wc -l
      ;;
  esac
}
# The progress lines (every 5 s) as "t=5s:84 t=10s:380 …": where the time went.
timeline() {
  awk '/^progress: / { split($2, a, "/"); t += 5; printf "t=%ds:%s ", t, a[1] }' "$1"
  echo
}
governor_record() {  # the fleet record, on one line
  local f
  for f in "$@"; do
    [ -f "$f" ] && echo "  governor record $f: $(tr -d ' \n' <"$f")"
  done
  return 0
}

# One `rawfeed run`. Sets r_wall r_dead r_ok r_throttled_chunks.
run_rawfeed() {
  local dir=$1 config=$2 tag=$3
  local t0 t1 status=0
  t0=$(date +%s%N)
  timeout "$run_timeout" "$bin/rawfeed" run --config "$config" --domain bench --source-url "$url" \
    --lake "$dir/lake" --state "$dir/state" --batch-id "gov-$tag-$(date +%s%N)" \
    --progress --log-level info >"$dir/summary.txt" 2>"$dir/stderr.txt" || status=$?
  t1=$(date +%s%N)
  if [ "$status" -ne 0 ]; then
    echo "bench: rawfeed run ($tag) exited $status" >&2
    cat "$dir/summary.txt" >&2
    tail -n 20 "$dir/stderr.txt" >&2
    exit 1
  fi
  r_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  r_dead=$(field_num '.* \([0-9]*\) dead-lettered messages.*' "$dir/summary.txt")
  r_ok=$(field_num '^ *symbols *[0-9]* total: \([0-9]*\) ok.*' "$dir/summary.txt")
  r_throttled_chunks=$(grep -c '"event":"chunk_throttled"' "$dir/state/logs/rawfeed.jsonl" || true)
  cat "$dir/summary.txt" | sed 's/^/  /'
  echo "  progress: $(timeline "$dir/stderr.txt")"
  echo "  chunks sent back to the queue while the source was paused: $r_throttled_chunks"
}

rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$@")"); }

# --- scenario 1 and 2: one process, 100/s and 16 at once, 10 s bans -----------------------------
s12_limits=(--limit-rate 100 --limit-concurrent 16 --ban-ms 10000)
s1_port=0
if [[ " $scenarios " == *" 1 "* ]] || [[ " $scenarios " == *" 2 "* ]]; then
  d="$shm/s1"
  mkdir -p "$d"
  n=$(subset "$symbols" "$d/universe.txt")
  floor=$(awk -v n="$((n + 1))" 'BEGIN { printf "%.1f", n / 100 }')
  echo "bench: scenario 1, cold start: $n symbols, source 100/s, 16 at once, 10 s ban" \
    "(floor $((n + 1)) requests / 100/s = $floor s)"
  start_replay "$d" 0 "${s12_limits[@]}"
  s1_port=$port
  write_config "$d/bench.toml" "$d/universe.txt"
  run_rawfeed "$d" "$d/bench.toml" cold
  stop_replay "$d"
  governor_record "$d"/state/governor/*.json
  row "1 cold start, 100/s ≤16, 10 s ban" "$n" "$r_wall" "$floor" "$(ratio "$r_wall" "$floor")" \
    "$s_requests" "$s_limited" "$s_bans" "$s_banned" "$s_max1s" "$r_dead" "$r_ok"

  if [[ " $scenarios " == *" 2 "* ]]; then
    echo "bench: scenario 2, restart with run 1's state directory (learned limit), fresh lake"
    rm -rf "$d/lake"
    start_replay "$d/r2" "$s1_port" "${s12_limits[@]}"
    run_rawfeed "$d" "$d/bench.toml" restart
    stop_replay "$d/r2"
    governor_record "$d"/state/governor/*.json
    row "2 restart, learned state" "$n" "$r_wall" "$floor" "$(ratio "$r_wall" "$floor")" \
      "$s_requests" "$s_limited" "$s_bans" "$s_banned" "$s_max1s" "$r_dead" "$r_ok"
  fi
  rm -rf "$d"
fi

# --- scenario 3: three `rawfeed work` sharing a 50/s source through the lake -------------------
if [[ " $scenarios " == *" 3 "* ]]; then
  d="$shm/s3"
  mkdir -p "$d"
  n=$(subset "$fleet_symbols" "$d/universe.txt")
  floor=$(awk -v n="$n" 'BEGIN { printf "%.1f", n / 50 }')
  echo "bench: scenario 3, fleet: 3 x rawfeed work, $n symbols, source 50/s, 10 s ban," \
    "queue sqlite://$d/q.db, tracker and governor record in the lake (floor $n / 50/s = $floor s)"
  start_replay "$d" 0 --limit-rate 50 --ban-ms 10000
  fleet_lake_uri="$d/lake"
  if [ "$fleet_lake" = s3 ]; then
    start_aws_proxy "$root" "$d" fauxqs || exit 1
    fleet_lake_uri="s3://$bucket/gov-fleet-$(date +%s%N)"
    echo "  lake $fleet_lake_uri through proxy $endpoint"
  fi
  write_config "$d/bench.toml" "$d/universe.txt" \
    "queue_uri = \"sqlite://$d/q.db\"
tracker = \"lake\"" 'fleet = "lake"'
  "$bin/rawfeed" orchestrate --config "$d/bench.toml" --domain bench --source-url "$url" \
    --lake "$fleet_lake_uri" --state "$d/state0" --batch-id "gov-fleet-$(date +%s%N)" \
    --log-level warn >"$d/orchestrate.txt" 2>&1
  sed 's/^/  /' "$d/orchestrate.txt"
  t0=$(date +%s%N)
  fleet_pids=()
  for i in 1 2 3; do
    timeout "$run_timeout" "$bin/rawfeed" work --config "$d/bench.toml" --domain bench \
      --source-url "$url" --lake "$fleet_lake_uri" --state "$d/state$i" --progress --log-level info \
      >"$d/summary$i.txt" 2>"$d/stderr$i.txt" &
    fleet_pids+=($!)
  done
  statuses=()
  for pid in "${fleet_pids[@]}"; do
    status=0
    wait "$pid" || status=$?
    statuses+=("$status")
  done
  fleet_pids=()
  t1=$(date +%s%N)
  r_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  stop_replay "$d"
  dead=0
  throttled_chunks=0
  for i in 1 2 3; do
    echo "  worker $i: exit ${statuses[$((i - 1))]}, progress: $(timeline "$d/stderr$i.txt")"
    sed 's/^/    /' "$d/summary$i.txt"
    grep -h '"level":"\(warn\|error\)"' "$d/stderr$i.txt" | grep -v source_governor |
      head -n 5 | sed 's/^/    stderr: /' || true
    x=$(field_num '.* \([0-9]*\) dead-lettered messages.*' "$d/summary$i.txt")
    dead=$((dead + ${x:-0}))
    x=$(grep -c '"event":"chunk_throttled"' "$d/state$i/logs/rawfeed.jsonl" || true)
    throttled_chunks=$((throttled_chunks + x))
  done
  for s in "${statuses[@]}"; do
    [ "$s" = 0 ] || { echo "bench: a rawfeed work exited $s" >&2; exit 1; }
  done
  echo "  chunks sent back to the queue while the source was paused: $throttled_chunks"
  if [ "$fleet_lake" = s3 ]; then
    aws s3 cp --recursive "$fleet_lake_uri/_rawfeed/governor/" "$d/governor/" >/dev/null || true
    governor_record "$d"/governor/*.json
  else
    governor_record "$d"/lake/_rawfeed/governor/*.json
  fi
  row "3 fleet of 3 work, 50/s, 10 s ban, lake $fleet_lake" "$n" "$r_wall" "$floor" \
    "$(ratio "$r_wall" "$floor")" "$s_requests" "$s_limited" "$s_bans" "$s_banned" "$s_max1s" \
    "$dead" "$(landed "$fleet_lake_uri")"
  stop_aws_proxy "$root"
  rm -rf "$d"
fi

# --- scenario 4: a 3-minute ban early in the run -------------------------------------------------
if [[ " $scenarios " == *" 4 "* ]]; then
  d="$shm/s4"
  mkdir -p "$d"
  n=$(subset "$ban_symbols" "$d/universe.txt")
  floor=$(awk -v n="$((n + 1))" 'BEGIN { printf "%.1f", n / 100 + 180 }')
  echo "bench: scenario 4, 3-minute ban: $n symbols, source 100/s, ban 180 s, rawfeed" \
    "max_rate 200 (floor $((n + 1)) / 100/s + the 180 s ban = $floor s)"
  start_replay "$d" 0 --limit-rate 100 --ban-ms 180000
  write_config "$d/bench.toml" "$d/universe.txt" "" "max_rate = 200"
  run_rawfeed "$d" "$d/bench.toml" ban
  stop_replay "$d"
  governor_record "$d"/state/governor/*.json
  row "4 3-min ban, 100/s, max_rate 200" "$n" "$r_wall" "$floor" "$(ratio "$r_wall" "$floor")" \
    "$s_requests" "$s_limited" "$s_bans" "$s_banned" "$s_max1s" "$r_dead" "$(landed "$d/lake")"
  rm -rf "$d"
fi

# --- results ----------------------------------------------------------------------------------
echo
echo "load average: $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (2 cores)"
echo "config: worker_concurrency=$workers messages_per_delivery=$mpd chunk_size=$chunk" \
  "requests_in_flight=$in_flight period=5d interval=1d, replay latency ${latency_ms} ms;" \
  "[source.limits] default unless noted"
echo
echo "| scenario | symbols | wall s | floor s | ratio | requests | 429s | bans | refused during bans | max admitted in 1 s | dead-lettered | symbols landed |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
