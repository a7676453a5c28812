#!/usr/bin/env node
// Can the sandbox's kinesis door sustain 20,000 records/s? Starts the sandbox (kinesis door, 24
// shards so the per-shard write limit of 1,000 records/s admits the rate, batchSize 100), sends
// PutRecords of 500 telemetry records (prebuilt bodies, ~200-byte messages over 2,000 partition
// keys) on an open schedule at --rate records/s for --duration s, waits for the stream to drain,
// and prints the sandbox process's CPU per record (utime+stime from /proc, the whole run: parse,
// base64, routing, the event source mapping, the processor's validation and output writes).
// The peer, in the same run: kinesalite (the emulator the tests use; it only stores the records)
// gets the same PutRecords bodies at the same rate, and its process's CPU per record is printed
// beside the sandbox's, with the ratio — what the sandbox's consumer model costs over storing.
// Usage: npm run build && node bench/sandbox-kinesis.mjs [--rate 20000] [--duration 5] [--no-peer]
// A benchmark, never a test: the machine is shared and its figures are indicative.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEndpoint, stopEndpoint } from './lib/aws-runs.mjs';
import { KINESALITE_SERVER } from './lib/kinesis-runs.mjs';
import { sandboxParamsSchema } from '../dist/sandbox/params.js';
import { startSandbox } from '../dist/sandbox/spawn-sandbox.js';

const { values: opt } = parseArgs({ options: { rate: { type: 'string', default: '20000' }, duration: { type: 'string', default: '5' }, 'no-peer': { type: 'boolean', default: false } } });
const RATE = Number(opt.rate);
const DURATION_S = Number(opt.duration);
const PER_CALL = 500;
const TICK_MS = 1000 / 100; // /proc CPU times are in clock ticks of 10 ms (CLK_TCK 100)

/** utime+stime of a process so far, ms. */
const cpuMsOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
};

let seq = 0;
function putBody() {
  const Records = [];
  for (let i = 0; i < PER_CALL; i++) {
    const v = seq % 2000;
    const msg = { messageId: `m${seq}`, vehicleId: `VIN-${v}`, seq: ++seq, sentAt: Date.now(), schemaVersion: 1, kind: 'telemetry', gps: { lat: 52.1, lon: 13.2 }, speed: 57.3 };
    Records.push({ PartitionKey: `VIN-${v}`, Data: Buffer.from(JSON.stringify(msg)).toString('base64') });
  }
  return JSON.stringify({ StreamName: 'telemetry', Records });
}

const bodies = Array.from({ length: Math.ceil((RATE * DURATION_S) / PER_CALL) }, putBody);
// kinesalite wants a signature's shape (it checks none); the sandbox ignores it.
const headers = {
  'x-amz-target': 'Kinesis_20131202.PutRecords', 'content-type': 'application/x-amz-json-1.1', 'x-amz-date': '20261201T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=bench/20261201/us-east-1/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0',
};
let firstError;
const records = bodies.length * PER_CALL;

/** Sends every body to `url` on the open schedule; resolves with the records refused and the seconds it took. */
async function drive(url) {
  const t0 = performance.now();
  let failed = 0;
  const calls = [];
  for (let i = 0; i < bodies.length; i++) {
    const wait = t0 + (i * PER_CALL * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    calls.push(fetch(url, { method: 'POST', body: bodies[i], headers }).then(async (r) => {
      const out = await r.json();
      if (out.FailedRecordCount === undefined) firstError ??= out;
      failed += out.FailedRecordCount ?? PER_CALL;
    }, (e) => { firstError ??= String(e); failed += PER_CALL; }));
  }
  await Promise.all(calls);
  if (firstError) console.error('first failed call:', JSON.stringify(firstError).slice(0, 300));
  return { failed, sendSeconds: Number(((performance.now() - t0) / 1000).toFixed(2)) };
}

const sb = await startSandbox(sandboxParamsSchema.parse({ ingest: 'kinesis', stream: { shards: 24, batchSize: 100 }, processor: { initTime: '10ms' } }));
const stats = async () => (await fetch(sb.statsUrl)).json();
const cpu0 = cpuMsOf(sb.pid);
const sent = await drive(`${sb.baseUrl}/`);
for (let i = 0; i < 100 && (await stats()).stream.pending > 0; i++) await new Promise((r) => setTimeout(r, 100));
const cpu = cpuMsOf(sb.pid) - cpu0;
const s = await stats();
const sandbox = {
  records, ...sent, processed: s.processor.processed, pending: s.stream.pending,
  iteratorAgeMsMax: Math.max(...s.stream.shards.map((x) => x.iteratorAgeMsMax)), invocations: s.processor.invocations,
  sandboxCpuMs: cpu, cpuUsPerRecord: Number(((cpu * 1000) / records).toFixed(1)),
};
await sb.stop();
console.log(JSON.stringify({ sandbox }));

if (!opt['no-peer']) {
  const ep = await startEndpoint(KINESALITE_SERVER, ['--stream', 'telemetry', '--shards', '24']);
  try {
    const c0 = cpuMsOf(ep.pid);
    const peerSent = await drive(`${ep.url}/`);
    const peerCpu = cpuMsOf(ep.pid) - c0;
    const kinesalite = { records, ...peerSent, cpuMs: peerCpu, cpuUsPerRecord: Number(((peerCpu * 1000) / records).toFixed(1)) };
    console.log(JSON.stringify({ kinesalite }));
    console.log(`CPU per record: sandbox (stream + consumer + processor) ${sandbox.cpuUsPerRecord} µs, kinesalite (stores only) ${kinesalite.cpuUsPerRecord} µs — ratio sandbox/kinesalite ${(sandbox.cpuUsPerRecord / kinesalite.cpuUsPerRecord).toFixed(2)}×`);
  } finally {
    await stopEndpoint(ep);
  }
}
