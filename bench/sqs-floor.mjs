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
import { buildBatches, clientConfigOf, countFailedCall, floorArgs, report, runPaced } from './lib/sdk-floor.mjs';

const own = { queue: { type: 'string', default: 'telemetry' }, messages: { type: 'string' } };
const { o, cfg } = floorArgs(own, { rate: '2000', duration: '8', batch: '10', concurrency: '16', warmupCalls: '50' }, 10);
const REQUEST_TIMEOUT_MS = 10_000; // the SQS target's (dist/targets/sqs/config.js)
const awsClientConfig = await clientConfigOf(cfg, 'messages', o.messages);
const { SQSClient, SendMessageBatchCommand, GetQueueUrlCommand, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');

// Pre-built batches of rushhour's own messages, in the target's entry shape.
const SCHEMA_VERSION = Object.freeze({ DataType: 'Number', StringValue: '1' });
const sample = JSON.parse(fs.readFileSync(o.messages, 'utf8'));
if (sample.length === 0) throw new Error(`${o.messages} holds no messages`);
const batches = buildBatches(sample, cfg.batch, (m, i) => ({
  Id: String(i),
  MessageBody: m.MessageBody,
  MessageAttributes: { schemaVersion: SCHEMA_VERSION, kind: { DataType: 'String', StringValue: m.kind }, traceparent: { DataType: 'String', StringValue: m.traceparent } },
}));
const nBatches = batches.length;
const meanBodyBytes = sample.reduce((a, m) => a + Buffer.byteLength(m.MessageBody), 0) / sample.length;

const client = new SQSClient({ ...awsClientConfig({ region: process.env.AWS_REGION }, 'sqs', cfg.concurrency, REQUEST_TIMEOUT_MS), useQueueUrlAsEndpoint: false, md5: false });

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
    countFailedCall(counts, e);
  }
}

// Open: the same checks rushhour's target makes before its clock.
QueueUrl = (await client.send(new GetQueueUrlCommand({ QueueName: o.queue }))).QueueUrl;
await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['MaximumMessageSize'] }));
const loop = await runPaced(cfg, put, counts);
client.destroy();
report(cfg, loop, { head: { queueUrl: QueueUrl }, counts, sent: counts.messages, means: { meanBodyBytes }, distinctBatches: nBatches });
