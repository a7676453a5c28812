#!/usr/bin/env node
// A no-op Kinesis endpoint for bench/kinesis-cpu.mjs: the generator's own ceiling. Part of a
// benchmark, never a test.
//
//   node bench/kinesis-noop-server.mjs [--shards N] [--max-lifetime S]
//
// Listens on 127.0.0.1, port 0, and prints one line on stdout: {"port": 12345, "pid": 678}.
// It speaks the JSON 1.1 protocol the SDK uses for Kinesis (POST /, header
// `x-amz-target: Kinesis_20131202.<Operation>`, content-type application/x-amz-json-1.1) and
// never checks signatures:
//   PutRecords              reads the whole body, parses it (to count the records: the answer has
//                           one entry per record) and answers success for every record:
//                           {"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"shardId-000000000000"},…]}
//   DescribeStreamSummary   the stream, ACTIVE, N open shards
//   ListShards              N open shards splitting the 128-bit hash-key space evenly
//   anything else           400 UnknownOperationException
// Control requests (/__stats, /__reset, /__sample): see bench/lib/kinesis-stats.mjs.
// Bounds: exits when stdin closes, on SIGTERM/SIGINT, or after --max-lifetime s (default 1800).

import { parseArgs } from 'node:util';
import { createStats } from './lib/kinesis-stats.mjs';
import { jsonSender, serveNoop } from './lib/noop-server.mjs';

const { values } = parseArgs({ options: { shards: { type: 'string', default: '4' }, 'max-lifetime': { type: 'string', default: '1800' } } });
const SHARDS = Math.max(1, Math.min(64, Math.round(Number(values.shards)) || 1));
const ACCOUNT = '000000000000';
const REGION = process.env.AWS_REGION || 'us-east-1';
const JSON_TYPE = 'application/x-amz-json-1.1';
const CREATED = Math.floor(Date.now() / 1000);

const stats = createStats();

const shardId = (i) => `shardId-${String(i).padStart(12, '0')}`;
const HASH_SPACE = 2n ** 128n;
const SHARD_LIST = Array.from({ length: SHARDS }, (_, i) => ({
  ShardId: shardId(i),
  HashKeyRange: { StartingHashKey: String((HASH_SPACE * BigInt(i)) / BigInt(SHARDS)), EndingHashKey: String((HASH_SPACE * BigInt(i + 1)) / BigInt(SHARDS) - 1n) },
  SequenceNumberRange: { StartingSequenceNumber: '49546986683135544286507457936321625675700192471156785154' },
}));

// One answer per record count, built once.
const putAnswers = new Map();
function putAnswer(n) {
  let b = putAnswers.get(n);
  if (!b) {
    const one = '{"SequenceNumber":"1","ShardId":"shardId-000000000000"}';
    b = Buffer.from(`{"FailedRecordCount":0,"Records":[${new Array(n).fill(one).join(',')}]}`);
    if (putAnswers.size < 1000) putAnswers.set(n, b);
  }
  return b;
}

const send = jsonSender(JSON_TYPE, 'noop-0000');

function streamOf(input) {
  if (input.StreamName) return input.StreamName;
  const m = /stream\/(.+)$/.exec(input.StreamARN ?? '');
  return m ? m[1] : 'stream';
}

/** Decoded length of a base64 string. */
function b64Bytes(s) {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - pad;
}

function handle(op, body, res) {
  let input;
  try {
    input = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return send(res, 400, { __type: 'SerializationException', message: 'bad JSON' });
  }
  if (op === 'PutRecords') {
    const records = Array.isArray(input.Records) ? input.Records : null;
    if (!records || records.length === 0) return send(res, 400, { __type: 'ValidationException', message: 'Records is required' });
    let dataBytes = 0;
    let keyBytes = 0;
    for (const r of records) {
      dataBytes += b64Bytes(r.Data ?? '');
      keyBytes += Buffer.byteLength(r.PartitionKey ?? '');
    }
    stats.putRecords(records.length, body.length, dataBytes, keyBytes);
    stats.sample(records);
    return send(res, 200, putAnswer(records.length));
  }
  stats.other();
  const name = streamOf(input);
  if (op === 'DescribeStreamSummary') {
    return send(res, 200, {
      StreamDescriptionSummary: {
        StreamName: name, StreamARN: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`, StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'PROVISIONED' },
        RetentionPeriodHours: 24, StreamCreationTimestamp: CREATED, EnhancedMonitoring: [{ ShardLevelMetrics: [] }], EncryptionType: 'NONE', OpenShardCount: SHARDS, ConsumerCount: 0,
      },
    });
  }
  if (op === 'ListShards') return send(res, 200, { Shards: SHARD_LIST });
  return send(res, 400, { __type: 'UnknownOperationException', message: `no-op endpoint: ${op} is not served` });
}

serveNoop({
  stats,
  service: 'Kinesis_20131202',
  handle,
  reject: (res) => send(res, 400, { __type: 'UnknownOperationException', message: 'expected POST with x-amz-target Kinesis_20131202.<Operation>' }),
  ready: (port) => process.stdout.write(JSON.stringify({ port, pid: process.pid, shards: SHARDS }) + '\n'),
  maxLifetimeS: Number(values['max-lifetime']),
});
