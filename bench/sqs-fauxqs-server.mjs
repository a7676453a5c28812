#!/usr/bin/env node
// fauxqs (an SQS emulator, AWS JSON 1.0 protocol, state in memory) in its own process for
// bench/sqs-cpu.mjs, so its CPU is never the generator's. Part of a benchmark, never a test.
//
//   node bench/sqs-fauxqs-server.mjs --queue NAME [--max-lifetime S]
//
// Started as test/support/aws-emulators.ts does (the bench must not import from test/):
// buildApp({ logger: false, defaultRegion: 'us-east-1' }) and app.listen on 127.0.0.1, port 0 —
// never startFauxqs(), which binds 0.0.0.0. Creates the queue, then prints one line on stdout:
// {"port": 12345, "pid": 678, "queue": "…", "queueUrl": "http://sqs.us-east-1.localhost:PORT/000000000000/NAME"}.
// fauxqs looks a queue up by that exact URL; clients must send to the endpoint, never to the
// URL's host (it does not resolve).
// Control requests (/__stats, /__reset): see bench/lib/sqs-stats.mjs; the messages of each
// SendMessageBatch are counted by the `"Id":` keys of its body, which is otherwise passed on
// unparsed (bodies and attribute values are JSON strings inside it, so their quotes are escaped
// and never match).
// Bounds: exits when stdin closes, on SIGTERM/SIGINT, or after --max-lifetime s (default 1800).

import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import { boundLifetime } from './lib/kinesis-stats.mjs';
import { createSqsStats } from './lib/sqs-stats.mjs';

// @aws-sdk/core warns once per process that SDK releases after January 2027 need Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({ options: { queue: { type: 'string', default: 'telemetry' }, 'max-lifetime': { type: 'string', default: '1800' } } });
const REGION = 'us-east-1';

const { buildApp } = await import('fauxqs');
const app = buildApp({ logger: false, defaultRegion: REGION });
const stats = createSqsStats();

const KEY = Buffer.from('"Id":');
/** Occurrences of `"Id":` in a JSON SendMessageBatch body: its entry count. */
function countEntries(body) {
  let n = 0;
  for (let i = body.indexOf(KEY); i >= 0; i = body.indexOf(KEY, i + KEY.length)) n++;
  return n;
}

// The bench's counters in front of fastify's request handler; the extra `data` listener is
// attached in the same tick as fastify's own, so both see every chunk.
const handlers = app.server.listeners('request');
app.server.removeAllListeners('request');
app.server.on('request', (req, res) => {
  if (stats.control(req, res)) return;
  if (String(req.headers['x-amz-target'] ?? '') === 'AmazonSQS.SendMessageBatch') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      stats.sendBatch(countEntries(body), body.length);
    });
  } else {
    stats.other();
  }
  for (const h of handlers) h.call(app.server, req, res);
});

const address = await app.listen({ host: '127.0.0.1', port: 0 });
const endpoint = new URL(address).origin;
const port = Number(new URL(address).port);
boundLifetime({ close: () => app.close(), closeAllConnections: () => app.server.closeAllConnections?.() }, Number(values['max-lifetime']));

const { SQSClient, CreateQueueCommand } = await import('@aws-sdk/client-sqs');
const { NodeHttpHandler } = await import('@smithy/node-http-handler');
const client = new SQSClient({
  region: REGION,
  endpoint,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  useQueueUrlAsEndpoint: false,
  requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: false }), connectionTimeout: 2000, requestTimeout: 10_000 }),
});
const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: values.queue }));
client.destroy();
process.stdout.write(JSON.stringify({ port, pid: process.pid, queue: values.queue, queueUrl: QueueUrl }) + '\n');
