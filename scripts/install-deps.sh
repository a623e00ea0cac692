#!/usr/bin/env bash
# Installs the Debian 12 packages rawfeed needs. Idempotent: skips apt entirely when everything is
# already there.
#   scripts/install-deps.sh run   what building and running the `rawfeed` binary needs (`make run`)
#   scripts/install-deps.sh       that, plus what the tests, benchmarks, fuzzers and the format
#                                 check need (`make test`, `.ci/run`): GoogleTest, Google
#                                 Benchmark, Chromium, clang, Node.js
set -euo pipefail

profile=${1:-all}
case "$profile" in
  run | all) ;;
  *) echo "usage: $0 [run|all]" >&2; exit 2 ;;
esac

packages=(
  build-essential cmake ninja-build pkg-config ca-certificates tzdata
  libcurl4-openssl-dev libsqlite3-dev libsimdjson-dev libfmt-dev libcli11-dev
  libtomlplusplus-dev zlib1g-dev libzstd-dev libssl-dev libcpp-httplib-dev
  libhowardhinnant-date-dev nlohmann-json3-dev libzip-dev
)
if [ "$profile" = all ]; then
  packages+=(
    libgtest-dev libgmock-dev libbenchmark-dev unzip
    chromium  # the dashboard's browser tests
    clang libclang-rt-14-dev  # the fuzz targets (libFuzzer); the runtimes are only recommended
    clang-format              # scripts/check-format.sh, `make format`
  )
  # The AWS backends' test servers run on Node (tests/servers); use the machine's node/npm when
  # it has them, Debian's otherwise.
  if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} Debian packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
