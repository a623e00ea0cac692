#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/) for a bounded time and fails on any crash, leak, timeout or
# sanitizer report. Usage:
#   scripts/run-fuzz.sh [BUILD_DIR] [SECONDS_PER_TARGET] [TARGET...]
# BUILD_DIR (default build-fuzz; relative to the repository) is configured with clang and -DRAWFEED_FUZZ=ON when it is not
# yet, and the targets are (re)built in it; SECONDS_PER_TARGET defaults to 60; TARGET names
# (e.g. sigv4 config) pick some targets instead of all. Needs clang and its runtimes (Debian 12:
# apt-get install clang libclang-rt-14-dev) besides the build's usual packages.
#
# Under BUILD_DIR:
#   fuzz-seeds/<target>       the seeds, rebuilt each run (fuzz/seed-corpora.sh)
#   fuzz-corpus/<target>      the corpus libFuzzer grows; kept, so the next run starts from it
#   fuzz-artifacts/<target>/  crash-*, leak-*, timeout-*, oom-*: the inputs that failed
#   fuzz-logs/<target>.log    the full libFuzzer output
# Environment: CC/CXX (default clang/clang++) for a new build directory, RAWFEED_FUZZ_JOBS
# (build parallelism, default 2), RAWFEED_SHARED_DIR (the shared fixtures, default ../shared),
# RAWFEED_FUZZ_ARGS (extra libFuzzer flags, e.g. "-jobs=4 -workers=4").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-build-fuzz}"
seconds="${2:-60}"
shift $(($# > 2 ? 2 : $#))
[[ "$build" = /* ]] || build="$root/$build"
targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in "$root"/fuzz/targets/*.cpp; do  # one target per source file
    targets+=("$(basename "$source" .cpp)")
  done
fi

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "run-fuzz: SECONDS_PER_TARGET must be a whole number of seconds (got '$seconds')" >&2
  exit 2
fi

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC="${CC:-clang}" CXX="${CXX:-clang++}" cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRAWFEED_FUZZ=ON \
    -DRAWFEED_BUILD_TESTS=OFF -DRAWFEED_BUILD_BENCH=OFF
fi
cmake --build "$build" --target rawfeed_fuzz -j "${RAWFEED_FUZZ_JOBS:-2}"

"$root/fuzz/seed-corpora.sh" "$build/fuzz-seeds" >/dev/null

# Leaks fail the run like crashes; UBSan aborts (the build says -fno-sanitize-recover) and
# prints where.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
read -r -a extra_args <<<"${RAWFEED_FUZZ_ARGS:-}"
cd "$build"  # where libFuzzer's own files go (the fuzz-N.log of -jobs)

# The word after the last occurrence of LABEL in FILE ("" when there is none).
last_field() {
  awk -v label="$1" '{ for (i = 1; i < NF; ++i) if ($i == label) value = $(i + 1) }
                     END { print value }' "$2"
}

failed=0
for target in "${targets[@]}"; do
  binary="$build/fuzz/fuzz_$target"
  corpus="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts/$target"
  log="$build/fuzz-logs/$target.log"
  if [[ ! -x "$binary" ]]; then
    printf 'FAIL %-16s no binary %s\n' "$target" "$binary"
    failed=1
    continue
  fi
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  dict=()
  [[ -s "$build/fuzz-seeds/$target.dict" ]] && dict=(-dict="$build/fuzz-seeds/$target.dict")
  status=0
  "$binary" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$artifacts/" "${extra_args[@]}" \
    "$corpus" "$build/fuzz-seeds/$target" >"$log" 2>&1 || status=$?

  execs="$(last_field 'stat::number_of_executed_units:' "$log")"
  cov="$(last_field 'cov:' "$log")"
  features="$(last_field 'ft:' "$log")"
  corp="$(last_field 'corp:' "$log")"
  summary="$(printf '%5s s  execs %-10s cov %-6s ft %-6s corpus %s' "$seconds" "${execs:-?}" \
    "${cov:-?}" "${features:-?}" "${corp:-?}")"
  # A sanitizer report or a broken invariant fails the run even if the exit code missed it.
  if ((status != 0)) || grep -qE '^(==[0-9]+==ERROR|SUMMARY: |.*runtime error: |.*invariant broken)' "$log"; then
    crash="$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)"
    reason="$(grep -m1 -E 'ERROR: |runtime error: |invariant broken|deadly signal' "$log" || true)"
    printf 'FAIL %-16s %s  exit %d\n     %s\n     input: %s\n     log:   %s\n' "$target" \
      "$summary" "$status" "${reason:-see the log}" "${crash:-none written}" "$log"
    failed=1
  else
    printf 'ok   %-16s %s\n' "$target" "$summary"
  fi
done
exit "$failed"
