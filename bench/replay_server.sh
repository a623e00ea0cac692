# Sourced by the bench scripts: starts rawfeed-replay in the background and waits for its address.
#
#   start_replay_server BIN DIR PORT [replay flags...]
#
# Writes DIR/replay.out and DIR/replay.err; sets `replay` (its pid), `url` and `port`. Exits the
# calling script with the server's own words when it does not come up.
start_replay_server() {
  local bin=$1 dir=$2 want=$3
  shift 3
  mkdir -p "$dir"
  "$bin/rawfeed-replay" --port "$want" "$@" >"$dir/replay.out" 2>"$dir/replay.err" &
  replay=$!
  url=""
  for _ in $(seq 200); do
    url=$(sed -n 's/^rawfeed-replay listening on //p' "$dir/replay.out" 2>/dev/null || true)
    [ -n "$url" ] && break
    kill -0 "$replay" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$url" ]; then
    echo "bench: rawfeed-replay did not start:" >&2
    cat "$dir/replay.err" >&2
    exit 1
  fi
  case "$url" in http://127.0.0.1:*) ;; *) echo "bench: unexpected url $url" >&2; exit 1 ;; esac
  port=${url##*:}
}
