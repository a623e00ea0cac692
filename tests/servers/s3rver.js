#!/usr/bin/env node
// s3rver (a second, independent S3 implementation; objects on disk) on 127.0.0.1 only, with the
// test bucket, in a fresh temporary directory that is removed on stop.
//
//   node --openssl-legacy-provider s3rver.js [--port 0] [--bucket B] [--state-dir DIR]
//
// Without --openssl-legacy-provider every truncated ListObjectsV2 answers 500 (its continuation
// tokens use DES), so the launcher refuses to start without it. Clients must use the access key
// S3RVER (the only account it knows; it never checks a V4 signature). Prints
// "s3rver listening on http://127.0.0.1:PORT" once it answers HTTP.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { announce, assertLoopback, fail, onStopSignal, parseArgs, requirePort, resourceNames, waitReady } from './lib/launch.js';

const NAME = 's3rver';

async function main() {
  const legacy = process.execArgv.includes('--openssl-legacy-provider') || (process.env.NODE_OPTIONS ?? '').includes('--openssl-legacy-provider');
  if (!legacy) throw new Error('run it as: node --openssl-legacy-provider s3rver.js (else truncated ListObjectsV2 answers 500)');
  const args = parseArgs(process.argv.slice(2), ['port', 'bucket', 'state-dir']);
  const { bucket } = resourceNames(args);
  const parent = args['state-dir'] ?? os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  const directory = fs.mkdtempSync(path.join(parent, 's3rver-data-'));
  const { default: S3rver } = await import('s3rver');
  const started = Date.now();
  const server = new S3rver({ address: '127.0.0.1', port: requirePort(args.port), silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  // The data goes with the process, however it ends short of SIGKILL.
  process.on('exit', () => fs.rmSync(directory, { recursive: true, force: true }));
  onStopSignal(NAME, async () => {
    const closing = server.close();
    server.httpServer?.closeAllConnections?.(); // keep-alive sockets (the proxy's) would hold close() open
    await closing;
  });
  assertLoopback(address.address, NAME);
  const base = `http://127.0.0.1:${address.port}`;
  await waitReady(`${base}/`, { accept: (r) => r.status > 0 });
  announce(NAME, base, `(bucket ${bucket}, data ${directory}, ${Date.now() - started} ms)`);
}

main().catch((err) => fail(NAME, err));
