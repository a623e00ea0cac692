#!/usr/bin/env bash
# Issue 12's benchmark (bench/README.md, "Incremental fetches"): `rawfeed run` with the default
# `fetch = "incremental"` over the all-equities universe against rawfeed-replay (the 5d/1d
# template, 50 ms per request, 64 in flight, gzip), three runs on one lake and state:
#
#   first     no watermarks yet: the plain 5d period batch (every symbol, 5 bars each)
#   same-day  right after: every symbol is up to date, so no request and nothing written
#   next-day  the watermarks moved back one exchange day (last_day and checked_at; Saturdays
#             and Sundays skipped, as the planner skips them) and the newest day's partition
#             removed from the lake: what the first run's lake and watermarks would be had it
#             run one trading day earlier. Each symbol asks period1..period2 for the one new
#             day; the replay server cuts the template to that window, as Yahoo answers one.
#
# The replay server is restarted for each run and its shutdown line gives that run's chart
# requests and chart body bytes (before gzip) and bytes sent (after). Lake and state are on
# tmpfs, as in figure 1. The cycle is repeated BENCH_RUNS times with fresh directories; wall and
# CPU are medians. Touches only 127.0.0.1 and /dev/shm/rawfeed-bench-incr-*.
#
#   bench/run-incremental.sh [BUILD_DIR]
#
# Knobs (environment): BENCH_RUNS (cycles, 3), BENCH_UNIVERSE (a universe file), BENCH_WORKERS
# (worker_concurrency, 8), BENCH_MPD (messages_per_delivery, 10), BENCH_CHUNK (chunk_size, 5),
# BENCH_COMPRESSION (none, gzip or zstd; gzip), BENCH_TIMEOUT (s per run, 600).
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
compression=${BENCH_COMPRESSION:-gzip}
run_timeout=${BENCH_TIMEOUT:-600}
in_flight=64
latency_ms=50
template="$root/bench/chart_template_5d_1d.json"

for tool in "$bin/rawfeed" "$bin/rawfeed-replay" /usr/bin/time; do
  [ -x "$tool" ] || { echo "bench: missing $tool (build first; apt-get install time)" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "bench: python3 is needed to rewrite watermarks" >&2; exit 1; }
[ -f "$universe" ] || { echo "bench: no universe $universe" >&2; exit 1; }

shm=$(mktemp -d /dev/shm/rawfeed-bench-incr-XXXXXX)
replay=""
cleanup() {
  if [ -n "$replay" ]; then
    kill "$replay" 2>/dev/null || true
    wait "$replay" 2>/dev/null || true
  fi
  rm -rf "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/replay_server.sh
. "$root/bench/replay_server.sh"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: load average at start: $load_start (2 cores: anything above ~0.5 disturbs the figures)"
symbols=$(grep -c '"' "$universe" || true)

# --- config: run.sh's, but `fetch` left at its default (incremental) -------------------------
config="$shm/bench.toml"
cat >"$config" <<EOF
environment = "bench"

[defaults]
period = "5d"
interval = "1d"
file_format = "json"
compression = "$compression"
chunk_size = $chunk
messages_per_delivery = $mpd
worker_concurrency = $workers
requests_in_flight = $in_flight

[defaults.source]
base_url = "http://127.0.0.1:9"  # each run passes its replay server's --source-url
max_retries = 2

[defaults.source.limits]
adaptive = false
fleet = "none"

[domains.bench]
data_source = "yahoo_finance"
data_type = "prices"
table_name = "prices"
universe = "$universe"
period = "5d"
interval = "1d"
compression = "$compression"
EOF

# The watermark document of the domain's one table (sqlite tracker: under the state directory).
watermarks() {
  echo "$1/state/_rawfeed/watermarks/domain=bench/table_name=prices/interval=1d/data_source=yahoo_finance.jsonl"
}

# One `rawfeed run` against a fresh replay server, under /usr/bin/time -v. Sets: r_wall r_cpu
# r_rss_mb r_requests r_body_bytes r_sent_bytes r_objects r_skipped r_up_to_date r_nothing
# r_watermark_bytes (the watermark document's size after the run).
run_rawfeed() {
  local base=$1 tag=$2
  local dir="$base/$tag" t0 t1 status=0 line
  mkdir -p "$dir"
  start_replay_server "$bin" "$dir" 0 --template "$template" --latency-ms "$latency_ms"
  t0=$(date +%s%N)
  # shellcheck disable=SC2154 # url: set by start_replay_server
  timeout "$run_timeout" /usr/bin/time -v -o "$dir/time.txt" \
    "$bin/rawfeed" run --config "$config" --domain bench --source-url "$url" \
    --lake "$base/lake" --state "$base/state" --batch-id "bench-incr-$tag-$(date +%s%N)" \
    --no-progress --log-level warn >"$dir/summary.txt" 2>"$dir/stderr.txt" || status=$?
  t1=$(date +%s%N)
  kill "$replay"
  wait "$replay" || true
  replay=""
  if [ "$status" -ne 0 ]; then
    echo "bench: rawfeed run ($tag) exited $status" >&2
    cat "$dir/summary.txt" "$dir/stderr.txt" >&2
    exit 1
  fi
  line=$(grep 'rawfeed-replay: stopped' "$dir/replay.err" || true)
  r_requests=$(sed -n 's/.* \([0-9]*\) chart requests.*/\1/p' <<<"$line")
  r_body_bytes=$(sed -n 's/.* \([0-9]*\) chart body bytes.*/\1/p' <<<"$line")
  r_sent_bytes=$(sed -n 's/.* \([0-9]*\) chart bytes sent.*/\1/p' <<<"$line")
  if [ -z "$r_requests" ] || [ -z "$r_body_bytes" ] || [ -z "$r_sent_bytes" ]; then
    echo "bench: no chart counters in the replay server's last line: $line" >&2
    exit 1
  fi
  r_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  r_cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$dir/time.txt")
  r_rss_mb=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$dir/time.txt")
  r_objects=$(sed -n 's/^ *objects *\([0-9]*\) written.*/\1/p' "$dir/summary.txt")
  r_skipped=$(sed -n 's/^ *objects *[0-9]* written, \([0-9]*\) skipped.*/\1/p' "$dir/summary.txt")
  r_up_to_date=$(sed -n 's/.* \([0-9]*\) up to date (not asked).*/\1/p' "$dir/summary.txt")
  r_nothing=0
  if grep -q '^nothing to fetch' "$dir/summary.txt"; then
    r_nothing=1
    r_objects=0
    r_skipped=0
    r_up_to_date=$(sed -n 's/^nothing to fetch: all \([0-9]*\) symbols.*/\1/p' "$dir/summary.txt")
  fi
  : "${r_objects:=0}" "${r_skipped:=0}" "${r_up_to_date:=0}"
  r_watermark_bytes=$(stat -c %s "$(watermarks "$base")" 2>/dev/null || echo 0)
}

# The next day, seen from the lake: each watermark one exchange day back (checked_at and
# last_day; Saturday and Sunday skipped unless the symbol trades then), and the partitions of the
# day that is thereby no longer the lake's removed. Prints that day (YYYY-MM-DD).
rewind_one_day() {
  local base=$1 file day
  file=$(watermarks "$base")
  [ -f "$file" ] || { echo "bench: no watermark document $file" >&2; exit 1; }
  day=$(python3 - "$file" <<'EOF'
import datetime, json, os, sys, zoneinfo

path = sys.argv[1]
one = datetime.timedelta(days=1)
lines, dropped = [], set()
for text in open(path, encoding="utf-8"):
    if not text.strip():
        continue
    mark = json.loads(text)
    trades_weekends = bool(mark.get("weekends"))
    zone = zoneinfo.ZoneInfo(mark["time_zone"])
    checked = datetime.datetime.fromtimestamp(mark["checked_at"], zone) - one
    while not trades_weekends and checked.weekday() >= 5:
        checked -= one
    mark["checked_at"] = int(checked.timestamp())
    if mark.get("last_day"):
        dropped.add(mark["last_day"])
        day = datetime.date.fromisoformat(mark["last_day"]) - one
        while not trades_weekends and day.weekday() >= 5:
            day -= one
        mark["last_day"] = day.isoformat()
    lines.append(json.dumps(mark, separators=(",", ":")))
with open(path + ".tmp", "w", encoding="utf-8") as out:
    out.write("\n".join(lines) + "\n")
os.replace(path + ".tmp", path)
if len(dropped) != 1:
    sys.exit(f"expected one last_day over the universe, found {sorted(dropped)}")
print(dropped.pop())
EOF
  )
  local y=${day:0:4} m=${day:5:2} d=${day:8:2}
  rm -rf "$base/lake/bench/prices/interval=1d/data_source=yahoo_finance/year=$y/month=$m/day=$d"
  echo "$day"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "bench: $symbols symbols, $runs cycles of first / same-day / next-day runs," \
  "latency ${latency_ms} ms, $in_flight in flight, workers=$workers mpd=$mpd chunk=$chunk," \
  "compression $compression"
declare -A walls cpus rss requests body sent objects skipped up_to_date
phases=(first same-day next-day)
for i in $(seq "$runs"); do
  base="$shm/cycle$i"
  rm -rf "$base"
  mkdir -p "$base"
  for phase in "${phases[@]}"; do
    if [ "$phase" = next-day ]; then
      dropped=$(rewind_one_day "$base")
      echo "  cycle $i: watermarks one exchange day back; lake partition $dropped removed"
    fi
    run_rawfeed "$base" "$phase"
    walls[$phase]+="$r_wall "
    cpus[$phase]+="$r_cpu "
    rss[$phase]+="$r_rss_mb "
    requests[$phase]+="$r_requests "
    body[$phase]+="$r_body_bytes "
    sent[$phase]+="$r_sent_bytes "
    objects[$phase]+="$r_objects "
    skipped[$phase]+="$r_skipped "
    up_to_date[$phase]+="$r_up_to_date "
    echo "  cycle $i $phase: wall ${r_wall} s, cpu ${r_cpu} s, rss ${r_rss_mb} MB," \
      "chart requests ${r_requests}, body bytes ${r_body_bytes}, sent bytes ${r_sent_bytes}," \
      "objects ${r_objects} written ${r_skipped} skipped, up to date ${r_up_to_date}," \
      "watermark document ${r_watermark_bytes} bytes" \
      "$([ "$r_nothing" = 1 ] && echo '(nothing to fetch)')"
  done
  rm -rf "$base"
done

# shellcheck disable=SC2086 # the accumulated values are space-separated on purpose
med() { median ${1}; }
first_body=$(med "${body[first]}")
first_sent=$(med "${sent[first]}")
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.1f%%", 100 * a / b }'; }
per_request() { awk -v a="$1" -v n="$2" 'BEGIN { if (n == 0) print "-"; else printf "%.0f", a / n }'; }

echo
echo "| run | chart requests | body bytes received (before gzip) | vs first run | bytes on the wire (gzip) | vs first run | bytes per request | objects written / skipped | symbols not asked | wall s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for phase in "${phases[@]}"; do
  req=$(med "${requests[$phase]}")
  b=$(med "${body[$phase]}")
  s=$(med "${sent[$phase]}")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s |\n' \
    "$phase (median of $runs)" "$req" "$b" "$(pct "$b" "$first_body")" "$s" \
    "$(pct "$s" "$first_sent")" "$(per_request "$b" "$req")" "$(med "${objects[$phase]}")" \
    "$(med "${skipped[$phase]}")" "$(med "${up_to_date[$phase]}")" "$(med "${walls[$phase]}")" \
    "$(med "${cpus[$phase]}")" "$(med "${rss[$phase]}")"
done
echo
for phase in "${phases[@]}"; do
  echo "$phase: walls ${walls[$phase]}s; CPU ${cpus[$phase]}s; requests ${requests[$phase]}"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
