#!/usr/bin/env node
// The floor of bench/kinesis-cpu.mjs: a bare, paced PutRecords loop through @aws-sdk/client-kinesis,
// with nothing of rushhour's engine around it. Part of a benchmark, never a test.
//
//   node bench/kinesis-floor.mjs --stream NAME --rate MSG_PER_S --duration S --records FILE
//        [--batch 500] [--concurrency 8] [--dist DIR] [--warmup-calls N]
//
// Endpoint, region and credentials come from the environment, as for rushhour
// (AWS_ENDPOINT_URL_KINESIS, AWS_REGION, AWS_ACCESS_KEY_ID/SECRET). The client is built with
// rushhour's own awsClientConfig() from DIR/targets/aws/client-config.js (default: ../dist), so it
// has exactly rushhour's settings: HTTP/1.1 NodeHttpHandler, keep-alive agents with `concurrency`
// sockets, connection timeout 5 s, request timeout 10 s, maxAttempts 1.
//
// FILE is a JSON array of records as received by the no-op endpoint ({ Data: base64, PartitionKey }):
// rushhour's own messages, decoded once here. Batches of --batch records are pre-built from them
// (cycling through the sample), so the loop does no per-message work of its own: it only sends.
// Like rushhour, it opens by calling DescribeStreamSummary and ListShards, then sends --warmup-calls
// calls closed-loop before its clock starts. Then one call is due every batch/rate seconds,
// scheduled from the clock's start (no drift); at most --concurrency calls are in flight, the
// rest wait in a queue. After --duration s it waits for the calls in flight (bounded: 15 s).
//
// Prints one JSON object on stdout: startEpochMs, windowMs, calls, records, failures, and the
// process's own CPU (process.cpuUsage) while the clock ran, as cpuUsPerMessageClock.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    stream: { type: 'string', default: 'bench' },
    rate: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '10' },
    records: { type: 'string' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '8' },
    dist: { type: 'string' },
    'warmup-calls': { type: 'string', default: '20' },
  },
});
const RATE = Number(o.rate);
const DURATION_MS = Number(o.duration) * 1000;
const BATCH = Math.max(1, Math.min(500, Math.round(Number(o.batch))));
const CONCURRENCY = Math.max(1, Math.round(Number(o.concurrency)));
const WARMUP_CALLS = Math.max(0, Math.round(Number(o['warmup-calls'])));
const DIST = o.dist ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
if (!o.records) throw new Error('--records FILE is required');
if (!(RATE > 0 && DURATION_MS > 0)) throw new Error('--rate and --duration must be positive');

const { awsClientConfig } = await import(pathToFileURL(path.join(DIST, 'targets', 'aws', 'client-config.js')).href);
const { KinesisClient, PutRecordsCommand, DescribeStreamSummaryCommand, ListShardsCommand } = await import('@aws-sdk/client-kinesis');

// Pre-built batches of rushhour's own records.
const sample = JSON.parse(fs.readFileSync(o.records, 'utf8')).map((r) => ({ Data: Buffer.from(r.Data, 'base64'), PartitionKey: r.PartitionKey }));
if (sample.length === 0) throw new Error(`${o.records} holds no records`);
const nBatches = Math.max(1, Math.ceil(sample.length / BATCH));
const batches = Array.from({ length: nBatches }, (_, b) => Array.from({ length: BATCH }, (_, i) => sample[(b * BATCH + i) % sample.length]));
const meanDataBytes = sample.reduce((a, r) => a + r.Data.length, 0) / sample.length;
const meanKeyBytes = sample.reduce((a, r) => a + Buffer.byteLength(r.PartitionKey), 0) / sample.length;

const client = new KinesisClient(awsClientConfig({ region: process.env.AWS_REGION }, 'kinesis', CONCURRENCY));
const id = { StreamName: o.stream };

const counts = { calls: 0, records: 0, okRecords: 0, failedRecords: 0, failedCalls: 0, errors: {}, maxQueued: 0, lateCalls: 0 };
let batchSeq = 0;
/** One PutRecords call; resolves, never rejects. */
async function put() {
  const Records = batches[batchSeq++ % nBatches];
  try {
    const out = await client.send(new PutRecordsCommand({ ...id, Records }));
    counts.calls++;
    counts.records += Records.length;
    counts.failedRecords += out.FailedRecordCount ?? 0;
    counts.okRecords += Records.length - (out.FailedRecordCount ?? 0);
  } catch (e) {
    counts.calls++;
    counts.failedCalls++;
    const k = e?.name ?? 'error';
    counts.errors[k] = (counts.errors[k] ?? 0) + 1;
  }
}

// Open: the same checks rushhour's target makes before its clock.
await client.send(new DescribeStreamSummaryCommand(id));
await client.send(new ListShardsCommand(id));
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
    rate: RATE,
    batch: BATCH,
    concurrency: CONCURRENCY,
    periodMs,
    totalCalls,
    warmup,
    ...counts,
    achievedMsgPerS: (counts.records * 1000) / (totalCalls * periodMs),
    meanDataBytes,
    meanKeyBytes,
    distinctBatches: nBatches,
    cpuMsClock: cpuMs,
    cpuUsPerMessageClock: counts.records ? (cpuMs * 1000) / counts.records : null,
  }) + '\n',
);
process.exit(0);
