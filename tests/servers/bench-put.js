#!/usr/bin/env node
// A trivial load client: N signed PutObject (or SendMessageBatch of 10) calls with C in flight over
// keep-alive connections, to measure what a server (or the proxy in front of it) can take: the
// floor for rawfeed's benchmark. Signs with the proxy's own canonicalization (sigv4-proxy.js),
// which AWS's test suite and the AWS CLI check elsewhere. Loopback only; bounded by --count.
//
//   node bench-put.js --endpoint http://127.0.0.1:PORT [--op put|sqs-batch] [--count 500]
//        [--concurrency 8] [--bucket B] [--queue-url URL] [--size 200]
//
// Credentials and region from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION.

import crypto from 'node:crypto';
import http from 'node:http';

import { parseArgs } from './lib/launch.js';
import { signRequest } from './sigv4-proxy.js';

const args = parseArgs(process.argv.slice(2), ['endpoint', 'op', 'count', 'concurrency', 'bucket', 'queue-url', 'size']);
const endpoint = new URL(args.endpoint ?? process.exit(console.error('--endpoint is required') ?? 2));
if (!/^127\./.test(endpoint.hostname)) throw new Error('--endpoint must be on 127.0.0.0/8');
const op = args.op ?? 'put';
const count = Number(args.count ?? 500);
const concurrency = Number(args.concurrency ?? 8);
const bucket = args.bucket ?? process.env.RAWFEED_TEST_BUCKET ?? 'rawfeed-test-lake';
const size = Number(args.size ?? 200);
const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
const secret = process.env.AWS_SECRET_ACCESS_KEY;
const region = process.env.AWS_REGION ?? 'us-east-1';
if (!accessKeyId || !secret) throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
if (op === 'sqs-batch' && !args['queue-url']) throw new Error('--queue-url is required for --op sqs-batch');

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const amzDateNow = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function request(i) {
  const amzDate = amzDateNow();
  let method, target, headers, body, service;
  if (op === 'put') {
    const symbol = `SYM${String(i).padStart(5, '0')}`;
    body = Buffer.from(JSON.stringify({ symbol, pad: 'x'.repeat(Math.max(0, size - 30)) }));
    method = 'PUT';
    target = `/${bucket}/bench/prices/interval%3D1d/day%3D07/${symbol}.json`;
    headers = [['content-type', 'application/json'], ['host', endpoint.host], ['x-amz-content-sha256', sha256(body)], ['x-amz-date', amzDate]];
    service = 's3';
  } else {
    const entries = Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: JSON.stringify({ chunk: i * 10 + j }) }));
    body = Buffer.from(JSON.stringify({ QueueUrl: args['queue-url'], Entries: entries }));
    method = 'POST';
    target = '/';
    headers = [['content-type', 'application/x-amz-json-1.0'], ['host', endpoint.host], ['x-amz-date', amzDate], ['x-amz-target', 'AmazonSQS.SendMessageBatch']];
    service = 'sqs';
  }
  const authorization = signRequest({ method, target, headers, payloadHash: sha256(body), accessKeyId, secret, region, service, amzDate });
  const sendHeaders = Object.fromEntries(headers.filter(([k]) => k !== 'host'));
  sendHeaders.authorization = authorization;
  sendHeaders['content-length'] = body.length;
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: endpoint.hostname, port: endpoint.port, method, path: target, headers: sendHeaders, agent, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: err.message, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end(body);
  });
}

const results = [];
let next = 0;
const started = Date.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < count) results.push(await request(next++));
}));
const seconds = (Date.now() - started) / 1000;
agent.destroy();
const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
const statuses = {};
for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
console.log(`${op} x${count} to ${endpoint.origin}, ${concurrency} in flight: ${seconds.toFixed(2)} s, ${(count / seconds).toFixed(0)} calls/s, ` +
  `latency p50 ${pct(0.5)} ms p99 ${pct(0.99)} ms, statuses ${JSON.stringify(statuses)}`);
process.exitCode = Object.keys(statuses).every((s) => s === '200') ? 0 : 1;
