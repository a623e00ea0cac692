// What the server launchers share: options from --flags or the environment, a bounded readiness
// probe, the one ready line, and a clean stop on SIGTERM/SIGINT. Loopback only.

import http from 'node:http';

// Parses --name value / --name=value into an object; unknown names are errors.
export function parseArgs(argv, known) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !known.includes(m[1])) throw new Error(`unknown argument '${argv[i]}' (known: ${known.map((k) => '--' + k).join(' ')})`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    args[m[1]] = value;
  }
  return args;
}

// The names the tests share: from the flag, else RAWFEED_TEST_*, else a default.
export function resourceNames(args) {
  const region = args.region ?? process.env.RAWFEED_TEST_REGION ?? 'us-east-1';
  const bucket = args.bucket ?? process.env.RAWFEED_TEST_BUCKET ?? 'rawfeed-test-lake';
  const queue = args.queue ?? process.env.RAWFEED_TEST_QUEUE ?? 'rawfeed-test-queue';
  const dlq = args.dlq ?? process.env.RAWFEED_TEST_DLQ ?? `${queue}-dlq`;
  return { region, bucket, queue, dlq };
}

export function requirePort(text) {
  const port = Number(text ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port '${text}'`);
  return port;
}

export function assertLoopback(host, what) {
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`${what} is bound to ${host}, not to a loopback address`);
}

// One request; resolves with the status, rejects on a connection error or after timeoutMs.
function probeOnce(url, { method = 'GET', headers = {}, body, timeoutMs = 1000 }) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

// Retries until accept(response) holds, for at most totalMs; throws with the last failure.
export async function waitReady(url, { accept = (r) => r.status === 200, totalMs = 15000, ...request } = {}) {
  const deadline = Date.now() + totalMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await probeOnce(url, request);
      if (accept(response)) return response;
      last = `HTTP ${response.status} ${response.body.slice(0, 200)}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready after ${totalMs} ms at ${url}: ${last}`);
}

export function announce(name, url, details = '') {
  process.stdout.write(`${name} listening on ${url}${details ? ' ' + details : ''}\n`);
}

// Runs stop() once on SIGTERM/SIGINT, then exits; a stop that hangs is cut after 5 s.
export function onStopSignal(name, stop) {
  let stopping = false;
  const handler = async (signal) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 5000).unref();
    try {
      await stop();
    } catch (err) {
      process.stderr.write(`${name}: error while stopping on ${signal}: ${err.message}\n`);
    }
    process.exit(0);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

export function fail(name, err) {
  process.stderr.write(`${name}: ${err.message}\n`);
  process.exit(1);
}
