import type { KinesisStream } from '../stream/kinesis-stream.js';
import { parseSequenceNumber, sequenceNumber, shardId, shardIndexOf } from '../stream/sequence-numbers.js';
import type { Shard, StreamRecord } from '../stream/shard.js';
import { AwsApiError } from './json-protocol.js';
import { checkStream, invalidArgument, notFound, numberField, SANDBOX_ACCOUNT, stringField, Violations, type Input } from './kinesis-input.js';

export const ITERATOR_TYPES = ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] as const;
/** GetRecords answers at most this many records (AWS: Limit ≤ 10,000, the default) and bytes of Data (10 MiB). */
export const MAX_GET_RECORDS = 10_000;
export const MAX_GET_BYTES = 10 * 1024 * 1024;

const SEQUENCE = /^(0|([1-9]\d{0,128}))$/;
const SHARD_ID = /^[a-zA-Z0-9_.-]+$/;

/** What a shard iterator holds: the stream (and its incarnation, see KinesisStream), the shard, the next position to read. */
interface Iterator {
  n: string;
  e: number;
  s: number;
  p: number;
}

/**
 * GetShardIterator: a position in a shard's log. TRIM_HORIZON: the oldest record held; LATEST:
 * after the newest; AT_/AFTER_SEQUENCE_NUMBER: at or after that record; AT_TIMESTAMP (epoch
 * seconds): the first record that arrived at or after it (a timestamp ahead of the sandbox's
 * clock is taken as is, not refused). The iterator is opaque (base64 JSON) and does not expire
 * with time, only when the stream is replaced (POST /reset).
 */
export function getShardIterator(stream: KinesisStream, input: Input): unknown {
  const v = new Violations();
  const id = stringField(input, 'ShardId');
  const type = stringField(input, 'ShardIteratorType');
  const seq = stringField(input, 'StartingSequenceNumber');
  const timestamp = timestampField(input, 'Timestamp');
  v.required(id, 'shardId');
  v.text(id, 'shardId', 1, 128, SHARD_ID);
  v.required(type, 'shardIteratorType');
  if (type !== undefined && !(ITERATOR_TYPES as readonly string[]).includes(type)) v.add(type, 'shardIteratorType', `satisfy enum value set: [${ITERATOR_TYPES.join(', ')}]`);
  v.text(seq, 'startingSequenceNumber', 1, 129, SEQUENCE, '0|([1-9]\\d{0,128})');
  checkStream(input, stream, v);
  const index = shardIndexOf(id as string);
  const shard = stream.shards[index];
  if (index < 0 || !shard) throw notFound(`Shard ${id} in stream ${stream.name} under account ${SANDBOX_ACCOUNT} does not exist`);
  const position = startPosition(stream, shard, type as string, seq, timestamp);
  return { ShardIterator: encodeIterator(stream, index, position) };
}

/**
 * GetRecords: up to `Limit` records (and at most 10 MiB of Data, at least one record) from the
 * iterator's position, or from the oldest held when records it pointed at were trimmed; the
 * iterator to read on; MillisBehindLatest, the age of the oldest record not read yet (0 when at
 * the tip). Reads the log only: the event source mapping is not involved.
 */
export function getRecords(stream: KinesisStream, input: Input): unknown {
  const v = new Violations();
  const text = stringField(input, 'ShardIterator');
  const limit = numberField(input, 'Limit');
  v.required(text, 'shardIterator');
  v.text(text, 'shardIterator', 1, 512);
  v.range(limit, 'limit', 1, MAX_GET_RECORDS);
  v.throwIfAny();
  const it = decodeIterator(stream, text as string);
  const shard = stream.shards[it.s];
  let position = Math.max(it.p, shard.oldestPosition);
  const records: unknown[] = [];
  let bytes = 0;
  for (const max = limit ?? MAX_GET_RECORDS; records.length < max && position < shard.nextPosition; position++) {
    const r = shard.at(position) as StreamRecord;
    if (records.length > 0 && bytes + r.bytes > MAX_GET_BYTES) break;
    bytes += r.bytes;
    records.push(recordJson(stream, shard, r));
  }
  const next = shard.at(position);
  const behind = next ? Math.max(0, Math.round(stream.clock.now() - next.enqueuedAt)) : 0;
  return { Records: records, NextShardIterator: encodeIterator(stream, it.s, position), MillisBehindLatest: behind };
}

function recordJson(stream: KinesisStream, shard: Shard, r: StreamRecord): unknown {
  return {
    SequenceNumber: sequenceNumber(shard.index, r.position),
    ApproximateArrivalTimestamp: stream.clock.toEpochMs(r.enqueuedAt) / 1000,
    Data: r.data ?? Buffer.from(r.body, 'utf8').toString('base64'),
    PartitionKey: r.partitionKey,
  };
}

/** The position an iterator of `type` starts at, with AWS's argument checks. */
function startPosition(stream: KinesisStream, shard: Shard, type: string, seq: string | undefined, timestamp: number | undefined): number {
  const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (bySequence !== (seq !== undefined)) {
    throw invalidArgument(
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ' +
        `Request specified ${type} and ${seq === undefined ? 'no' : 'also a'} StartingSequenceNumber.`,
    );
  }
  if (type === 'TRIM_HORIZON') return shard.oldestPosition;
  if (type === 'LATEST') return shard.nextPosition;
  if (type === 'AT_TIMESTAMP') {
    if (timestamp === undefined) throw invalidArgument('Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.');
    return shard.firstArrivedAtOrAfter(timestamp * 1000 - stream.clock.toEpochMs(0));
  }
  const parsed = parseSequenceNumber(seq as string);
  if (!parsed) throw invalidArgument(`StartingSequenceNumber ${seq} used in GetShardIterator on shard ${shard.id} in stream ${stream.name} under account ${SANDBOX_ACCOUNT} is invalid.`);
  if (parsed.shardIndex !== shard.index) {
    throw invalidArgument(`Invalid StartingSequenceNumber. It encodes ${shardId(parsed.shardIndex)}, while it was used in a call to a shard with ${shard.id}`);
  }
  return Math.min(parsed.position + (type === 'AFTER_SEQUENCE_NUMBER' ? 1 : 0), shard.nextPosition);
}

function encodeIterator(stream: KinesisStream, shard: number, position: number): string {
  const it: Iterator = { n: stream.name, e: stream.incarnation, s: shard, p: position };
  return Buffer.from(JSON.stringify(it)).toString('base64');
}

/** The iterator `text` holds: InvalidArgumentException when it is not one, ExpiredIteratorException when its stream was replaced. */
function decodeIterator(stream: KinesisStream, text: string): Iterator {
  let it: Partial<Iterator> | null;
  try {
    it = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<Iterator> | null;
  } catch {
    throw invalidArgument('Invalid ShardIterator.');
  }
  if (it === null || typeof it !== 'object' || typeof it.n !== 'string' || !Number.isInteger(it.e) || !Number.isInteger(it.s) || !Number.isInteger(it.p)) {
    throw invalidArgument('Invalid ShardIterator.');
  }
  const { n, e, s, p } = it as Iterator;
  if (n !== stream.name || s < 0 || s >= stream.shards.length) throw notFound(`Shard ${shardId(s)} in stream ${n} under account ${SANDBOX_ACCOUNT} does not exist`);
  if (e !== stream.incarnation) throw new AwsApiError('ExpiredIteratorException', 'Iterator expired: the sandbox was reset (POST /reset) since it was issued; get a new one.');
  return { n, e, s, p: Math.max(0, p) };
}

/** A timestamp field: epoch seconds (the JSON protocol's form), or an ISO-8601 text. */
function timestampField(input: Input, name: string): number | undefined {
  const v = input[name];
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw invalidArgument(`${name} must be epoch seconds or an ISO-8601 time`);
    return ms / 1000;
  }
  return numberField(input, name);
}
