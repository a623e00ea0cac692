#!/usr/bin/env bash
# The offline demo: the sample domain end to end against rawfeed-replay, a local stand-in for
# Yahoo's chart API serving the project's sample responses (demo/responses). Lake and state go
# to out/demo/. Usage: scripts/demo.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
case "$build" in /*) ;; *) build="$root/$build" ;; esac
out="$root/out/demo"
mkdir -p "$out"

port_file=$(mktemp)
"$build/bin/rawfeed-replay" --port 0 --responses "$root/demo/responses" --latency-ms 20 \
  >"$port_file" 2>"$out/replay.log" &
replay=$!
trap 'kill "$replay" 2>/dev/null || true; wait "$replay" 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$port_file" && break
  sleep 0.05
done
url=$(sed -n 's/^rawfeed-replay listening on //p' "$port_file")
if [ -z "$url" ]; then
  echo "demo: rawfeed-replay did not start; see $out/replay.log" >&2
  exit 1
fi
echo "demo: replay server at $url (sample responses from demo/responses)" >&2

status=0
"$build/bin/rawfeed" run --config "$root/config/rawfeed.toml" --domain customer-data \
  --source-url "$url" --lake "$out/lake" --state "$out/state" "$@" || status=$?
echo >&2
echo "demo: objects under $out/lake, completion events in $out/state/events/completion.jsonl" >&2
exit $status
