#!/usr/bin/env bash
# Scale: `rawfeed run` over generated universes of N = 10,000, 50,000 and 100,000 symbols (the
# real all-equities list, each symbol repeated with numbered suffixes: AAPL, AAPL1, AAPL2, …)
# against rawfeed-replay, figure 1's setup (tmpfs, 50 ms, 64 in flight). Reports per N: wall, the
# physical limit, orchestration time, peak RSS, CPU and CPU per symbol (bench/README.md, "Scale").
#
#   bench/run-scale.sh [BUILD_DIR]
#
# Knobs: SCALE_SIZES ("10000 50000 100000"), SCALE_RUNS (runs per N, 1), BENCH_TIMEOUT (s per
# run, 1800). Everything else as bench/run.sh (which it calls with BENCH_SKIP_DISK=1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shared=${RAWFEED_SHARED_DIR:-$root/../shared}
source_universe=$shared/universes/all_equities.json
sizes=${SCALE_SIZES:-10000 50000 100000}
[ -f "$source_universe" ] || { echo "scale: no universe $source_universe" >&2; exit 1; }

work=$(mktemp -d /dev/shm/rawfeed-scale-XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The real symbols, one a line, then copies with suffixes 1, 2, … until N distinct symbols.
generate() {
  local n=$1 out=$2
  sed -n 's/^ *"\([^"]*\)".*/\1/p' "$source_universe" |
    awk -v n="$n" '{ s[NR] = $0 } END {
      k = 0
      for (i = 1; i <= NR; ++i) seen[s[i]] = 0
      for (round = 0; k < n; ++round)
        for (i = 1; i <= NR && k < n; ++i) {
          sym = round == 0 ? s[i] : s[i] round
          if (length(sym) > 20 || (round > 0 && sym in seen)) continue
          seen[sym] = 1; print sym; ++k
        }
    }' >"$out"
}

table=()
for n in $sizes; do
  universe="$work/universe-$n.txt"
  generate "$n" "$universe"
  echo "scale: N = $(wc -l <"$universe") symbols"
  out=$(BENCH_UNIVERSE="$universe" BENCH_SKIP_DISK=1 BENCH_SKIP_CHECK=1 \
    BENCH_RUNS="${SCALE_RUNS:-1}" BENCH_TIMEOUT="${BENCH_TIMEOUT:-1800}" \
    "$root/bench/run.sh" "$build" 2>&1) || { echo "$out" >&2; exit 1; }
  echo "$out" | grep '^  run ' || true
  row=$(echo "$out" | grep '^| 1 tmpfs')
  # | figure | wall | floor | ratio | CPU | RSS | objects/s | records/s | orchestration ms | objects |
  IFS='|' read -r _ _ wall floor ratio cpu rss _ _ orch objects _ <<<"$row"
  per=$(awk -v c="$cpu" -v n="$n" 'BEGIN { printf "%.0f", c / n * 1e6 }')
  table+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s |' "$n" "$wall" "$floor" "$ratio" \
    "$orch" "$rss" "$cpu" "$per")")
done

echo
echo "| symbols | wall s | physical limit s | ratio | orchestration ms | peak RSS MB | CPU s | CPU µs/symbol |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${table[@]}"
