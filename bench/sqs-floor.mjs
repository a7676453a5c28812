#!/usr/bin/env node
// The floor of bench/sqs-cpu.mjs: a bare, paced SendMessageBatch loop through @aws-sdk/client-sqs,
// with nothing of rushhour's engine around it. Part of a benchmark, never a test.
//
//   node bench/sqs-floor.mjs --queue NAME --rate MSG_PER_S --duration S --messages FILE
//        [--batch 10] [--concurrency 16] [--dist DIR] [--warmup-calls N]
//
// Endpoint, region and credentials come from the environment, as for rushhour
// (AWS_ENDPOINT_URL_SQS, AWS_REGION, AWS_ACCESS_KEY_ID/SECRET). The client is built as rushhour's
// SQS target builds its own: awsClientConfig() from DIR/targets/aws/client-config.js (default:
// ../dist) with `concurrency` sockets and the target's 10 s request timeout, then
// `useQueueUrlAsEndpoint: false, md5: false`. So it has exactly rushhour's settings: HTTP/1.1
// NodeHttpHandler, keep-alive agents, connection timeout 5 s, maxAttempts 1, no MD5 check.
//
// FILE is a JSON array of messages as received by the no-op endpoint ({ MessageBody, kind,
// traceparent }): rushhour's own messages. Batches of --batch entries of rushhour's shape (Id "0".."9",
// MessageBody, MessageAttributes schemaVersion Number "1", kind String, traceparent String) are
// pre-built from them (cycling through the sample), so the loop does no per-message work of its
// own: it only sends. Like rushhour, it opens with GetQueueUrl and GetQueueAttributes, then sends
// --warmup-calls calls closed-loop before its clock starts. Then one call is due every batch/rate
// seconds, scheduled from the clock's start (no drift); at most --concurrency calls are in flight,
// the rest wait in a queue. After --duration s it waits for the calls in flight (bounded: 15 s).
//
// Prints one JSON object on stdout: startEpochMs, windowMs, calls, messages, failures, and the
// process's own CPU (process.cpuUsage) while the clock ran, as cpuUsPerMessageClock.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    queue: { type: 'string', default: 'telemetry' },
    rate: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '8' },
    messages: { type: 'string' },
    batch: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    dist: { type: 'string' },
    'warmup-calls': { type: 'string', default: '50' },
  },
});
const RATE = Number(o.rate);
const DURATION_MS = Number(o.duration) * 1000;
const BATCH = Math.max(1, Math.min(10, Math.round(Number(o.batch))));
const CONCURRENCY = Math.max(1, Math.round(Number(o.concurrency)));
const WARMUP_CALLS = Math.max(0, Math.round(Number(o['warmup-calls'])));
const DIST = o.dist ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const REQUEST_TIMEOUT_MS = 10_000; // the SQS target's (dist/targets/sqs/config.js)
if (!o.messages) throw new Error('--messages FILE is required');
if (!(RATE > 0 && DURATION_MS > 0)) throw new Error('--rate and --duration must be positive');

const { awsClientConfig } = await import(pathToFileURL(path.join(DIST, 'targets', 'aws', 'client-config.js')).href);
const { SQSClient, SendMessageBatchCommand, GetQueueUrlCommand, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');

// Pre-built batches of rushhour's own messages, in the target's entry shape.
const SCHEMA_VERSION = Object.freeze({ DataType: 'Number', StringValue: '1' });
const sample = JSON.parse(fs.readFileSync(o.messages, 'utf8'));
if (sample.length === 0) throw new Error(`${o.messages} holds no messages`);
const nBatches = Math.max(1, Math.ceil(sample.length / BATCH));
const batches = Array.from({ length: nBatches }, (_, b) =>
  Array.from({ length: BATCH }, (_, i) => {
    const m = sample[(b * BATCH + i) % sample.length];
    return {
      Id: String(i),
      MessageBody: m.MessageBody,
      MessageAttributes: { schemaVersion: SCHEMA_VERSION, kind: { DataType: 'String', StringValue: m.kind }, traceparent: { DataType: 'String', StringValue: m.traceparent } },
    };
  }),
);
const meanBodyBytes = sample.reduce((a, m) => a + Buffer.byteLength(m.MessageBody), 0) / sample.length;

const client = new SQSClient({ ...awsClientConfig({ region: process.env.AWS_REGION }, 'sqs', CONCURRENCY, REQUEST_TIMEOUT_MS), useQueueUrlAsEndpoint: false, md5: false });

const counts = { calls: 0, messages: 0, okMessages: 0, failedMessages: 0, failedCalls: 0, errors: {}, maxQueued: 0, lateCalls: 0 };
let QueueUrl = '';
let batchSeq = 0;
/** One SendMessageBatch call; resolves, never rejects. */
async function put() {
  const Entries = batches[batchSeq++ % nBatches];
  try {
    const out = await client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    counts.calls++;
    counts.messages += Entries.length;
    const failed = out.Failed?.length ?? 0;
    counts.failedMessages += failed;
    counts.okMessages += out.Successful?.length ?? 0;
  } catch (e) {
    counts.calls++;
    counts.failedCalls++;
    const k = e?.name ?? 'error';
    counts.errors[k] = (counts.errors[k] ?? 0) + 1;
  }
}

// Open: the same checks rushhour's target makes before its clock.
QueueUrl = (await client.send(new GetQueueUrlCommand({ QueueName: o.queue }))).QueueUrl;
await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['MaximumMessageSize'] }));
// Warm-up, closed loop, `CONCURRENCY` at a time.
for (let i = 0; i < WARMUP_CALLS; i += CONCURRENCY) await Promise.all(Array.from({ length: Math.min(CONCURRENCY, WARMUP_CALLS - i) }, put));
const warmup = { calls: counts.calls, failedCalls: counts.failedCalls };
for (const k of Object.keys(counts)) counts[k] = typeof counts[k] === 'number' ? 0 : {};

// The paced loop: call k is due at start + k × period.
const periodMs = (BATCH / RATE) * 1000;
const totalCalls = Math.floor(DURATION_MS / periodMs);
const startEpochMs = Date.now();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let due = 0;
let inFlight = 0;
let queued = 0;
let idle;
const allDone = new Promise((r) => (idle = r));

function launch() {
  while (queued > 0 && inFlight < CONCURRENCY) {
    queued--;
    inFlight++;
    put().then(() => {
      inFlight--;
      launch();
      if (due >= totalCalls && inFlight === 0 && queued === 0) idle();
    });
  }
}

function tick() {
  const now = performance.now() - t0;
  while (due < totalCalls && due * periodMs <= now) {
    if (now - due * periodMs > periodMs) counts.lateCalls++;
    due++;
    queued++;
  }
  if (queued > counts.maxQueued) counts.maxQueued = queued;
  launch();
  if (due < totalCalls) setTimeout(tick, Math.max(0, due * periodMs - (performance.now() - t0)));
  else if (inFlight === 0 && queued === 0) idle();
}
tick();

const drainBound = new Promise((r) => setTimeout(() => r('timeout'), DURATION_MS + 15_000).unref());
const ended = await Promise.race([allDone.then(() => 'done'), drainBound]);
const cpu = process.cpuUsage(cpu0);
const windowMs = performance.now() - t0;
client.destroy();

const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  JSON.stringify({
    startEpochMs,
    windowMs,
    scheduledWindowMs: totalCalls * periodMs,
    ended,
    queueUrl: QueueUrl,
    rate: RATE,
    batch: BATCH,
    concurrency: CONCURRENCY,
    periodMs,
    totalCalls,
    warmup,
    ...counts,
    achievedMsgPerS: (counts.messages * 1000) / (totalCalls * periodMs),
    meanBodyBytes,
    distinctBatches: nBatches,
    cpuMsClock: cpuMs,
    cpuUsPerMessageClock: counts.messages ? (cpuMs * 1000) / counts.messages : null,
  }) + '\n',
);
process.exit(0);
