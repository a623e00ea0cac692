#!/usr/bin/env bash
# The tests under the sanitizers, each in a build directory of its own (CMake options
# RAWFEED_SANITIZE_ADDRESS / RAWFEED_SANITIZE_THREAD, cmake/RawfeedSanitizers.cmake):
#
#   asan  build-asan, AddressSanitizer + UndefinedBehaviorSanitizer (fatal) + LeakSanitizer: the
#         tests labelled unit, contract and concurrency
#   tsan  build-tsan, ThreadSanitizer: the tests labelled concurrency (the worker and writer
#         pools, the queues, the trackers, the schedulers, the HTTP client and server, `rawfeed
#         run` and `rawfeed serve` as processes)
#   all   both (the default)
#
# Each builds only the test binaries it runs (the rawfeed_tests_<label> targets, and the rawfeed
# binary the process tests start) with line tables (-g1), ASan at -Og and TSan at -O1, without
# benchmarks. The S3/SQS test servers are started as `make test` does
# (scripts/aws-test-servers.sh; left running if they already were). Any sanitizer report fails
# the run: reports are written under BUILD/sanitizer-logs (from a test's own process or from a
# `rawfeed` it started) and printed at the end, with the wall time of each stage.
# Suppressions: tests/sanitizers/<kind>.supp (third-party false positives only, each explained).
#
# Usage: scripts/run-sanitizers.sh [asan|tsan|all]
#   RAWFEED_SANITIZER_JOBS (default: nproc) build and test jobs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

what=${1:-all}
case "$what" in
  asan) kinds=(asan) ;;
  tsan) kinds=(tsan) ;;
  all) kinds=(asan tsan) ;;
  *) echo "usage: $0 [asan|tsan|all]" >&2; exit 2 ;;
esac
jobs=${RAWFEED_SANITIZER_JOBS:-$(nproc)}
supp="$root/tests/sanitizers"

stage_names=()
stage_seconds=()
stage() {  # stage NAME COMMAND...: runs it, records its wall time
  local name=$1 start status=0
  shift
  echo "== sanitizers: $name"
  start=$(date +%s)
  "$@" || status=$?
  stage_names+=("$name")
  stage_seconds+=($(($(date +%s) - start)))
  echo "== sanitizers: $name: $((stage_seconds[-1] / 60)) min $((stage_seconds[-1] % 60)) s"
  return $status
}
summary() {
  local i
  echo "== sanitizers: wall time per stage"
  for i in "${!stage_names[@]}"; do
    printf '   %-14s %4d s\n' "${stage_names[$i]}" "${stage_seconds[$i]}"
  done
}

configure_and_build() {  # KIND
  local kind=$1 build="$root/build-$1" option flags
  # Line tables (-g1) are all a report needs. GCC's UBSan checks make -O1 compile twice as slow
  # as -Og; TSan needs the optimisation more (its tests are the slow ones) and costs little more.
  case "$kind" in
    asan) option=-DRAWFEED_SANITIZE_ADDRESS=ON flags="-Og -g1" ;;
    tsan) option=-DRAWFEED_SANITIZE_THREAD=ON flags="-O1 -g1" ;;
  esac
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="$flags" \
    -DRAWFEED_BUILD_BENCH=OFF "$option" >/dev/null || return
  # shellcheck disable=SC2046 # one word per target
  cmake --build "$build" -j "$jobs" --target $(targets "$kind")
}

targets() {
  case "$1" in
    asan) echo rawfeed_tests_unit rawfeed_tests_contract rawfeed_tests_concurrency ;;
    tsan) echo rawfeed_tests_concurrency ;;
  esac
}

labels() {
  case "$1" in
    asan) echo '^(unit|contract|concurrency)$' ;;
    tsan) echo '^concurrency$' ;;
  esac
}

report_pattern='runtime error:|ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer'

suppressions() {  # KIND: the option naming its suppression file, if there is one
  if [ -f "$supp/$1.supp" ]; then echo "suppressions=$supp/$1.supp"; fi
}

run_tests() {  # KIND
  local kind=$1 build="$root/build-$1" logs="$root/build-$1/sanitizer-logs" status=0
  rm -rf "$logs"
  mkdir -p "$logs"
  local common="halt_on_error=1:exitcode=66:log_path=$logs/$kind" run=()
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS TSAN_OPTIONS
  case "$kind" in
    asan)
      export ASAN_OPTIONS="$common:detect_leaks=1:strict_init_order=1:check_initialization_order=1"
      export UBSAN_OPTIONS="$common:print_stacktrace=1"
      LSAN_OPTIONS=$(suppressions lsan)
      export LSAN_OPTIONS
      ;;
    tsan)
      TSAN_OPTIONS="$common:second_deadlock_stack=1:$(suppressions tsan)"
      export TSAN_OPTIONS
      # GCC 12's TSan cannot map its shadow memory beside a heap placed with more than 28 bits of
      # ASLR entropy (newer kernels' default): without randomisation where the kernel lets us.
      if setarch "$(uname -m)" -R true 2>/dev/null; then run=(setarch "$(uname -m)" -R); fi
      ;;
  esac
  "${run[@]}" ctest --test-dir "$build" -L "$(labels "$kind")" --output-on-failure -j "$jobs" \
    --timeout 900 || status=$?
  # UBSan's reports under ASan go to the process's stderr whatever log_path says: a test's own
  # are in CTest's log (a child process's end its run with the exit code above).
  if ! grep -E -m 20 -n "$report_pattern" "$build/Testing/Temporary/LastTest.log" \
    >"$logs/from-ctest-log" 2>/dev/null; then
    rm -f "$logs/from-ctest-log"
  fi
  if compgen -G "$logs/*" >/dev/null; then
    echo "== sanitizers: $kind reported $(find "$logs" -type f | wc -l) finding(s):" >&2
    local log
    for log in "$logs"/*; do
      echo "--- ${log#"$root"/}" >&2
      head -n 60 "$log" >&2
    done
    status=1
  fi
  return $status
}

# The S3/SQS test servers, as scripts/run-tests.sh starts them; stopped at exit unless they
# were running before.
servers="$root/scripts/aws-test-servers.sh"
started_servers=0
start_servers() {
  local env_file="$root/out/aws-test-servers.env"
  if ! { [ -f "$env_file" ] && "$servers" status >/dev/null 2>&1; }; then started_servers=1; fi
  "$servers" start || return  # checks each one and (re)starts them unless all are running
  set -a
  # shellcheck disable=SC1090
  . "$env_file" || return
  set +a
}
finish() {
  local status=$?
  if [ "$started_servers" = 1 ]; then "$servers" stop || true; fi
  summary
  exit $status
}
trap finish EXIT

for kind in "${kinds[@]}"; do
  stage "$kind build" configure_and_build "$kind"
done
stage "servers" start_servers
failed=()
for kind in "${kinds[@]}"; do
  stage "$kind tests" run_tests "$kind" || failed+=("$kind")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "== sanitizers: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "== sanitizers: passed: ${kinds[*]}"
