#!/usr/bin/env bash
# The README's test command (`make test`) after the build: starts the S3- and SQS-speaking test
# servers on 127.0.0.1 (scripts/aws-test-servers.sh; npm ci on first use), runs every CTest test
# with their addresses in the environment, and stops them whatever happened.
# Usage: scripts/run-tests.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
cd "$root"

"$root/scripts/aws-test-servers.sh" start
trap '"$root/scripts/aws-test-servers.sh" stop' EXIT
set -a
# shellcheck disable=SC1091
. "$root/out/aws-test-servers.env"
set +a

ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
