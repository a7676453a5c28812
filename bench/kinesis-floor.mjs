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
import { buildBatches, clientConfigOf, countFailedCall, floorArgs, report, runPaced } from './lib/sdk-floor.mjs';

const own = { stream: { type: 'string', default: 'bench' }, records: { type: 'string' } };
const { o, cfg } = floorArgs(own, { rate: '5000', duration: '10', batch: '500', concurrency: '8', warmupCalls: '20' }, 500);
const awsClientConfig = await clientConfigOf(cfg, 'records', o.records);
const { KinesisClient, PutRecordsCommand, DescribeStreamSummaryCommand, ListShardsCommand } = await import('@aws-sdk/client-kinesis');

// Pre-built batches of rushhour's own records.
const sample = JSON.parse(fs.readFileSync(o.records, 'utf8')).map((r) => ({ Data: Buffer.from(r.Data, 'base64'), PartitionKey: r.PartitionKey }));
if (sample.length === 0) throw new Error(`${o.records} holds no records`);
const batches = buildBatches(sample, cfg.batch);
const nBatches = batches.length;
const meanDataBytes = sample.reduce((a, r) => a + r.Data.length, 0) / sample.length;
const meanKeyBytes = sample.reduce((a, r) => a + Buffer.byteLength(r.PartitionKey), 0) / sample.length;

const client = new KinesisClient(awsClientConfig({ region: process.env.AWS_REGION }, 'kinesis', cfg.concurrency));
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
    countFailedCall(counts, e);
  }
}

// Open: the same checks rushhour's target makes before its clock.
await client.send(new DescribeStreamSummaryCommand(id));
await client.send(new ListShardsCommand(id));
const loop = await runPaced(cfg, put, counts);
client.destroy();
report(cfg, loop, { counts, sent: counts.records, means: { meanDataBytes, meanKeyBytes }, distinctBatches: nBatches });
