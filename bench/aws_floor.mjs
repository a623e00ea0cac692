#!/usr/bin/env node
// The servers' floor for bench/run-aws.sh: the same number and kind of S3 and SQS requests that a
// `rawfeed run` made, from a trivial client, through the same SigV4-verifying proxy to the same
// server. PutObject: every object the run wrote under --from-prefix (listed first, untimed), with
// the same key shape and size, under --to-prefix. SQS: --send-batches SendMessageBatch of 10, then
// --receives ReceiveMessage (up to 10, no wait) and --delete-batches DeleteMessageBatch of what
// they got, on --queue-url. Timed as rawfeed works: the sends first (the orchestrator, one call at
// a time), then the puts (--put-concurrency, rawfeed's lake_writers) and the receive/delete loop
// (--sqs-concurrency, its worker_concurrency) at once. Loopback only; bounded by the counts.
//
//   node aws_floor.mjs --endpoint URL --bucket B --from-prefix P --to-prefix Q --queue-url U
//        --send-batches N --receives N --delete-batches N --message-bytes N
//        [--put-concurrency 8] [--sqs-concurrency 8] [--head-before-put 0|1]
//
// --head-before-put 1 adds a HEAD of each key before its PUT (answered 404: the keys are new),
// as rawfeed's create-only fallback does on a server that ignores If-None-Match (fauxqs).
//
// Prints one line of key=value figures. Credentials and region: AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_REGION.

import crypto from 'node:crypto';
import http from 'node:http';

import { signRequest, uriEncode } from '../tests/servers/sigv4-proxy.js';

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const m = /^--([a-z-]+)$/.exec(argv[i]);
    if (!m || argv[i + 1] === undefined) throw new Error(`bad argument '${argv[i]}'`);
    args[m[1]] = argv[i + 1];
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
for (const required of ['endpoint', 'bucket', 'from-prefix', 'to-prefix', 'queue-url']) {
  if (!args[required]) throw new Error(`--${required} is required`);
}
const endpoint = new URL(args.endpoint);
if (!/^127\./.test(endpoint.hostname)) throw new Error('--endpoint must be on 127.0.0.0/8');
const bucket = args.bucket;
const queueUrl = args['queue-url'];
const sendBatches = Number(args['send-batches'] ?? 0);
const receives = Number(args.receives ?? 0);
const deleteBatches = Number(args['delete-batches'] ?? 0);
const messageBytes = Number(args['message-bytes'] ?? 400);
const putConcurrency = Number(args['put-concurrency'] ?? 8);
const sqsConcurrency = Number(args['sqs-concurrency'] ?? 8);
const headBeforePut = args['head-before-put'] === '1';
const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
const secret = process.env.AWS_SECRET_ACCESS_KEY;
const region = process.env.AWS_REGION ?? 'us-east-1';
if (!accessKeyId || !secret) throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');

const agent = new http.Agent({ keepAlive: true, maxSockets: putConcurrency + sqsConcurrency + 2 });
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const amzDateNow = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const counts = {};
let failures = 0;
const failed = {};  // "METHOD status" -> count
const fail = (method, status) => {
  failures += 1;
  failed[`${method} ${status}`] = (failed[`${method} ${status}`] ?? 0) + 1;
};

// One signed exchange; resolves { status, body }.
function call(method, target, extraHeaders, body, service, expected = 200) {
  const amzDate = amzDateNow();
  const headers = [['host', endpoint.host], ...extraHeaders, ['x-amz-date', amzDate]];
  if (service === 's3') headers.push(['x-amz-content-sha256', sha256(body)]);
  const authorization = signRequest({ method, target, headers, payloadHash: sha256(body), accessKeyId, secret, region, service, amzDate });
  const sendHeaders = Object.fromEntries(headers.filter(([k]) => k !== 'host'));
  sendHeaders.authorization = authorization;
  sendHeaders['content-length'] = body.length;
  return new Promise((resolve) => {
    const req = http.request({ host: endpoint.hostname, port: endpoint.port, method, path: target, headers: sendHeaders, agent, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== expected) fail(method, res.statusCode);
        resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => {
      fail(method, err.code ?? err.message);
      resolve({ status: err.message, body: '' });
    });
    req.end(body);
  });
}

const sqs = (action, payload) => {
  counts[action] = (counts[action] ?? 0) + 1;
  return call('POST', '/', [['content-type', 'application/x-amz-json-1.0'], ['x-amz-target', `AmazonSQS.${action}`]], Buffer.from(JSON.stringify(payload)), 'sqs');
};

// Runs `count` tasks with `concurrency` at once.
async function pool(count, concurrency, task) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await task(next++);
  }));
}

// --- untimed: what the run wrote (key and size of every object) ----------------------------------
const objects = [];
for (let token; ;) {
  let target = `/${bucket}?list-type=2&prefix=${uriEncode(args['from-prefix'] + '/')}`;
  if (token) target += `&continuation-token=${uriEncode(token)}`;
  const page = await call('GET', target, [], Buffer.alloc(0), 's3');
  if (page.status !== 200) throw new Error(`ListObjectsV2 answered ${page.status}: ${page.body.slice(0, 200)}`);
  for (const m of page.body.matchAll(/<Contents>.*?<Key>(.*?)<\/Key>.*?<Size>(\d+)<\/Size>.*?<\/Contents>/gs)) {
    objects.push({ key: m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'"), size: Number(m[2]) });
  }
  token = /<IsTruncated>true<\/IsTruncated>/.test(page.body) ? /<NextContinuationToken>(.*?)<\/NextContinuationToken>/.exec(page.body)?.[1] : undefined;
  if (!token) break;
}
// fauxqs can repeat a key across listing pages: each object once, as the run wrote it.
const unique = [...new Map(objects.map((o) => [o.key, o])).values()];
objects.length = 0;
objects.push(...unique);
failures = 0;
for (const key of Object.keys(failed)) delete failed[key];
const bytes = objects.reduce((sum, o) => sum + o.size, 0);
const messageBody = JSON.stringify({ pad: 'x'.repeat(Math.max(0, messageBytes - 10)) });

// --- timed ------------------------------------------------------------------------------------
const t0 = process.hrtime.bigint();
const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;

await pool(sendBatches, 1, async (i) => {
  const entries = Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: `${messageBody}${i * 10 + j}` }));
  await sqs('SendMessageBatch', { QueueUrl: queueUrl, Entries: entries });
});
const sendSeconds = seconds(t0);

const t1 = process.hrtime.bigint();
let putSeconds = 0;
let sqsSeconds = 0;
const puts = pool(objects.length, putConcurrency, async (i) => {
  const { key, size } = objects[i];
  const rest = key.slice(args['from-prefix'].length + 1);
  const target = `/${bucket}/${[args['to-prefix'], ...rest.split('/')].map((s) => uriEncode(s)).join('/')}`;
  if (headBeforePut) {
    counts.HeadObject = (counts.HeadObject ?? 0) + 1;
    await call('HEAD', target, [], Buffer.alloc(0), 's3', 404);
  }
  counts.PutObject = (counts.PutObject ?? 0) + 1;
  await call('PUT', target, [['content-type', 'application/json'], ['if-none-match', '*']], crypto.randomBytes(size), 's3');
}).then(() => { putSeconds = seconds(t1); });
const pending = [];
let deletesLeft = deleteBatches;
const loop = pool(receives, sqsConcurrency, async () => {
  const answer = await sqs('ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 });
  for (const m of (answer.status === 200 ? JSON.parse(answer.body || '{}').Messages ?? [] : [])) pending.push(m.ReceiptHandle);
  if (deletesLeft > 0 && pending.length > 0) {
    deletesLeft -= 1;
    const handles = pending.splice(0, 10);
    await sqs('DeleteMessageBatch', { QueueUrl: queueUrl, Entries: handles.map((h, j) => ({ Id: String(j), ReceiptHandle: h })) });
  }
}).then(async () => {
  // Deletes the loop did not get to (fewer receives than delete batches): the rest, 10 at a time.
  await pool(deletesLeft, sqsConcurrency, async () => {
    const handles = pending.splice(0, 10);
    if (handles.length === 0) return;  // nothing left to delete: counted short in the output
    await sqs('DeleteMessageBatch', { QueueUrl: queueUrl, Entries: handles.map((h, j) => ({ Id: String(j), ReceiptHandle: h })) });
  });
  sqsSeconds = seconds(t1);
});
await Promise.all([puts, loop]);
const total = seconds(t0);
agent.destroy();

const parts = Object.entries(counts).map(([op, n]) => `${op}=${n}`).join(' ');
console.log(`floor_s=${total.toFixed(3)} send_s=${sendSeconds.toFixed(3)} put_s=${putSeconds.toFixed(3)} sqs_s=${sqsSeconds.toFixed(3)} ` +
  `objects=${objects.length} bytes=${bytes} ${parts} failures=${failures}${failures ? ` ${JSON.stringify(failed).replace(/ /g, '_')}` : ''}`);
process.exitCode = failures === 0 ? 0 : 1;
