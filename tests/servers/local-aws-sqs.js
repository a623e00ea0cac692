#!/usr/bin/env node
// local-aws-sqs (SQS, JSON and Query protocols; the only server here whose StartMessageMoveTask
// works) on 127.0.0.1 only, with the queue and its DLQ (RedrivePolicy, maxReceiveCount 5).
//
//   node local-aws-sqs.js [--port 0] [--queue Q] [--dlq D] [--region us-east-1]
//
// emulateQueueCreationLifecycle is off (a deleted name can be created again at once). Prints
// "local-aws-sqs listening on http://127.0.0.1:PORT" once ListQueues answers.

import { announce, assertLoopback, fail, onStopSignal, parseArgs, requirePort, resourceNames, waitReady } from './lib/launch.js';

const NAME = 'local-aws-sqs';
const ACCOUNT = '000000000000';

async function main() {
  const args = parseArgs(process.argv.slice(2), ['port', 'queue', 'dlq', 'region']);
  const { region, queue, dlq } = resourceNames(args);
  const { createSqsServer } = (await import('local-aws-sqs')).default;
  const started = Date.now();
  const server = await createSqsServer({
    port: requirePort(args.port), hostname: '127.0.0.1', region, accountId: ACCOUNT, emulateQueueCreationLifecycle: false,
    queues: [
      { QueueName: dlq, Attributes: { MessageRetentionPeriod: '1209600' } },
      { QueueName: queue, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${region}:${ACCOUNT}:${dlq}`, maxReceiveCount: '5' }) } },
    ],
  });
  onStopSignal(NAME, () => new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections?.();
  }));
  const address = server.address();
  assertLoopback(address.address, NAME);
  const base = `http://127.0.0.1:${address.port}`;
  await waitReady(`${base}/`, {
    method: 'POST', body: '{}',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
    accept: (r) => r.status === 200 && r.body.includes(queue),
  });
  announce(NAME, base, `(queue ${queue}, dlq ${dlq}, region ${region}, ${Date.now() - started} ms)`);
}

main().catch((err) => fail(NAME, err));
