#!/usr/bin/env bash
# The first benchmark's `rawfeed run` with the AWS backends: the lake on S3 and the queue on SQS
# (fauxqs, the project's local S3+SQS server, behind a SigV4-verifying proxy of this script's
# own, as the tests use it), the source the same rawfeed-replay (50 ms per request, 64 in flight,
# 1d/5d, gzip). For each run: the requests by operation counted from the proxy's log (one line
# per request), the wall time against the replay server's latency floor, and the servers' floor:
# the same number and kind of requests from a trivial client (bench/aws_floor.mjs) through the
# same proxy, measured right after the run. Touches only 127.0.0.1, /dev/shm/rawfeed-bench-aws-*
# and the test servers' state (out/aws-test-servers*, started here if not running, stopped again).
#
#   bench/run-aws.sh [BUILD_DIR]          (make bench-aws)
#
# Knobs (environment): BENCH_AWS_SYMBOLS (the first N symbols of the universe, 1500),
# BENCH_AWS_SERVER (fauxqs, or moto: slower, but it honours If-None-Match, so create-only puts
# are one request there as on AWS; fauxqs ignores it and rawfeed falls back to HEAD + PUT),
# BENCH_UNIVERSE (all_equities.json), BENCH_RUNS (1), BENCH_WORKERS (worker_concurrency, 8),
# BENCH_MPD (messages_per_delivery, 10), BENCH_CHUNK (chunk_size, 5), BENCH_LAKE_WRITERS
# (lake_writers, 8), BENCH_TIMEOUT (s per run, 600).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
bin="$build/bin"
shared=${RAWFEED_SHARED_DIR:-$root/../shared}
universe_src=${BENCH_UNIVERSE:-$shared/universes/all_equities.json}
symbols=${BENCH_AWS_SYMBOLS:-1500}
runs=${BENCH_RUNS:-1}
workers=${BENCH_WORKERS:-8}
mpd=${BENCH_MPD:-10}
chunk=${BENCH_CHUNK:-5}
writers=${BENCH_LAKE_WRITERS:-8}
run_timeout=${BENCH_TIMEOUT:-600}
in_flight=64
latency_ms=50
server=${BENCH_AWS_SERVER:-fauxqs}
case "$server" in fauxqs | moto) ;; *) echo "bench-aws: BENCH_AWS_SERVER is fauxqs or moto" >&2; exit 1 ;; esac

for tool in "$bin/rawfeed" "$bin/rawfeed-replay" /usr/bin/time; do
  [ -x "$tool" ] || { echo "bench-aws: missing $tool (build first; apt-get install time)" >&2; exit 1; }
done
[ -f "$universe_src" ] || { echo "bench-aws: no universe $universe_src" >&2; exit 1; }

shm=$(mktemp -d /dev/shm/rawfeed-bench-aws-XXXXXX)
replay="" proxy="" started_servers=0
# shellcheck source=bench/aws_proxy.sh
. "$root/bench/aws_proxy.sh"
cleanup() {
  if [ -n "$replay" ]; then
    kill "$replay" 2>/dev/null || true
    wait "$replay" 2>/dev/null || true
  fi
  stop_aws_proxy "$root"
  rm -rf "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- S3/SQS servers and the proxy -------------------------------------------------------------
start_aws_proxy "$root" "$shm" "$server" || exit 1

# --- replay server ----------------------------------------------------------------------------
# shellcheck source=bench/replay_server.sh
. "$root/bench/replay_server.sh"
start_replay_server "$bin" "$shm" 0 --template "$root/bench/chart_template_5d_1d.json" \
  --latency-ms "$latency_ms"

grep -o '"[^"]*"' "$universe_src" | tr -d '"' | awk -v n="$symbols" 'NR <= n' >"$shm/universe.txt"
symbols=$(wc -l <"$shm/universe.txt")
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench-aws: load average at start: $load_start (2 cores: anything above ~0.5 disturbs the figures)"
echo "bench-aws: $symbols symbols; $server $upstream behind proxy $endpoint; replay $url"

config="$shm/bench.toml"
cat >"$config" <<EOF
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
lake_writers = $writers

[defaults.source]
base_url = "$url"
max_retries = 2

[defaults.source.limits]
adaptive = false    # an unlimited replay server: a fixed in-flight limit, no rate cap
fleet = "none"

[domains.bench]
data_source = "yahoo_finance"
data_type = "prices"
table_name = "prices"
universe = "$shm/universe.txt"
state_dir = "$shm/state"
EOF

cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
per() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

rows=()
for i in $(seq "$runs"); do
  stamp="$(date +%s)-$i"
  queue="bench-$stamp"
  prefix="bench-$stamp"
  rm -rf "$shm/state"
  "$bin/rawfeed" provision --config "$config" --domain bench --queue "sqs://$queue" \
    --lake "s3://$bucket/$prefix" >"$shm/provision.out" 2>&1 \
    || { cat "$shm/provision.out" >&2; exit 1; }
  "$bin/rawfeed" provision --config "$config" --domain bench --queue "sqs://floor-$stamp" \
    --lake "s3://$bucket/$prefix" >>"$shm/provision.out" 2>&1 \
    || { cat "$shm/provision.out" >&2; exit 1; }

  from=$(($(wc -l <"$shm/proxy.log") + 1))
  server0=$(cpu_of "$server_pid") proxy0=$(cpu_of "$proxy")
  t0=$(date +%s%N)
  status=0
  timeout "$run_timeout" /usr/bin/time -v -o "$shm/time.txt" \
    "$bin/rawfeed" run --config "$config" --domain bench --lake "s3://$bucket/$prefix" \
    --queue "sqs://$queue" --source-url "$url" --batch-id "bench-aws-$stamp" --no-progress \
    --log-level warn >"$shm/summary.txt" 2>"$shm/stderr.txt" || status=$?
  t1=$(date +%s%N)
  sleep 0.2 # the proxy logs a request when its answer has been sent
  to=$(wc -l <"$shm/proxy.log")
  if [ "$status" -ne 0 ]; then
    echo "bench-aws: rawfeed run exited $status" >&2
    cat "$shm/summary.txt" "$shm/stderr.txt" >&2
    exit 1
  fi
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  server_cpu=$(sub "$server0" "$(cpu_of "$server_pid")")
  proxy_cpu=$(sub "$proxy0" "$(cpu_of "$proxy")")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$shm/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$shm/time.txt")
  objects=$(sed -n 's/^ *objects *\([0-9]*\) written.*/\1/p' "$shm/summary.txt")
  total=$(sed -n 's/^ *symbols *\([0-9]*\) total.*/\1/p' "$shm/summary.txt")
  rejected=$(sed -n 's/.* \([0-9]*\) rejected at validation.*/\1/p' "$shm/summary.txt")
  accepted=$((total - rejected))
  aws_line=$(grep '^aws: ' "$shm/summary.txt" || true)

  # Requests by operation, from the proxy's log of exactly this run.
  sed -n "${from},${to}p" "$shm/proxy.log" | grep -E ': (ACCEPT|REJECT|FAULT) ' >"$shm/run.log" || true
  all=$(wc -l <"$shm/run.log")
  s3_all=$(grep -c 'service=s3 ' "$shm/run.log" || true)
  sqs_all=$(grep -c 'service=sqs ' "$shm/run.log" || true)
  not_2xx=$(grep -Ec -- '-> [^2]|REJECT|FAULT' "$shm/run.log" || true)
  put_data=$(grep ' op=PutObject ' "$shm/run.log" | grep -v '/_rawfeed/' | grep -vc '_batch.manifest.json' || true)
  put_manifest=$(grep ' op=PutObject ' "$shm/run.log" | grep -c '_batch.manifest.json' || true)
  put_tracker=$(grep ' op=PutObject ' "$shm/run.log" | grep -c '/_rawfeed/' || true)
  put_412=$(grep ' op=PutObject ' "$shm/run.log" | grep -c -- '-> 412' || true)
  ops=$(sed -n 's/.* op=\([A-Za-z0-9]*\) .*/\1/p' "$shm/run.log" | sort | uniq -c | sort -rn \
    | awk -v n="$accepted" '{ printf "%s%s %d (%.3f/symbol)", sep, $2, $1, $1 / n; sep = ", " }')
  heads=$(grep -Ec ' op=Head(Object|Bucket) ' "$shm/run.log" || true)
  sends=$(grep -c ' op=SendMessageBatch ' "$shm/run.log" || true)
  receives=$(grep -c ' op=ReceiveMessage ' "$shm/run.log" || true)
  deletes=$(grep -c ' op=DeleteMessageBatch ' "$shm/run.log" || true)

  # The replay server's floor, as in the first benchmark: every source request at 64 in flight.
  latency_floor=$(awk -v n="$((accepted + 1))" -v l="$latency_ms" -v k="$in_flight" \
    'BEGIN { printf "%.3f", n * l / 1000 / k }')

  # The servers' floor: the same puts (sizes) and SQS calls from a trivial client, right after.
  floor_queue_url=$(aws --endpoint-url "$endpoint" sqs get-queue-url --queue-name "floor-$stamp" \
    --query QueueUrl --output text)
  floor_line=$(timeout "$run_timeout" "$node" "$root/bench/aws_floor.mjs" --endpoint "$endpoint" \
    --bucket "$bucket" --from-prefix "$prefix" --to-prefix "floor-$stamp" \
    --queue-url "$floor_queue_url" --send-batches "$sends" --receives "$receives" \
    --delete-batches "$deletes" --message-bytes 400 --put-concurrency "$writers" \
    --sqs-concurrency "$workers" --head-before-put "$((heads > 0 ? 1 : 0))" || true)
  floor=$(sed -n 's/.*floor_s=\([0-9.]*\).*/\1/p' <<<"$floor_line")

  echo "run $i: wall ${wall} s, cpu ${cpu} s, rss ${rss} MB, objects ${objects}, symbols ${accepted};" \
    "$server cpu ${server_cpu} s, proxy cpu ${proxy_cpu} s"
  echo "  $aws_line"
  echo "  proxy log: $all requests ($s3_all S3, $sqs_all SQS; $not_2xx not 2xx): $ops"
  echo "  PutObject: $put_data data objects ($(per "$put_data" "$objects") per object written)," \
    "$put_manifest manifests, $put_tracker tracker documents (_rawfeed/), $put_412 answered 412;" \
    "HEAD requests: $heads"
  echo "  latency floor (replay server): ${latency_floor} s -> ratio $(ratio "$wall" "$latency_floor")"
  echo "  servers' floor (trivial client): $floor_line -> ratio $(ratio "$wall" "$floor")"
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$i" "$symbols" "$wall" \
    "$latency_floor" "$(ratio "$wall" "$latency_floor")" "$floor" "$(ratio "$wall" "$floor")" \
    "$(per "$all" "$accepted")" "$(per "$put_data" "$objects")" "$heads")")
done

echo
echo "load average: $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo "config: worker_concurrency=$workers messages_per_delivery=$mpd chunk_size=$chunk" \
  "lake_writers=$writers requests_in_flight=$in_flight gzip=true period=5d interval=1d"
echo
echo "| run | symbols | wall s | latency floor s | ratio | servers' floor s | ratio | requests/symbol | PUT per object | HEAD |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
