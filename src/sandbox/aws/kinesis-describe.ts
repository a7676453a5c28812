import type { KinesisStream } from '../stream/kinesis-stream.js';
import { sequenceNumber, shardIndexOf } from '../stream/sequence-numbers.js';
import { checkStream, invalidArgument, numberField, readStreamId, requireStream, streamArn, stringField, Violations, type Input } from './kinesis-input.js';

/** ListShards answers at most this many shards per page (AWS's default and most). */
const LIST_SHARDS_PAGE = 1000;
/** DescribeStream's default page of shards (AWS: 100). */
const DESCRIBE_STREAM_PAGE = 100;

/**
 * The describing operations of the kinesis door: one stream, always ACTIVE and PROVISIONED, with
 * 24 h retention (nominal: the shards trim by count, `shardCapacity`), no encryption and no
 * enhanced fan-out consumers. Timestamps are epoch seconds, as the JSON protocol carries them.
 */
export function describeStreamSummary(stream: KinesisStream, input: Input): unknown {
  checkStream(input, stream);
  return { StreamDescriptionSummary: { ...streamFields(stream), OpenShardCount: stream.shards.length, ConsumerCount: 0 } };
}

/** DescribeStream (the older call): the summary's fields and a page of shards (`Limit`, `ExclusiveStartShardId`). */
export function describeStream(stream: KinesisStream, input: Input): unknown {
  const v = new Violations();
  const limit = numberField(input, 'Limit');
  v.range(limit, 'limit', 1, 10_000);
  const after = stringField(input, 'ExclusiveStartShardId');
  v.text(after, 'exclusiveStartShardId', 1, 128);
  checkStream(input, stream, v);
  const from = after === undefined ? 0 : shardIndexOf(after) + 1;
  const to = Math.min(stream.shards.length, from + (limit ?? DESCRIBE_STREAM_PAGE));
  return { StreamDescription: { ...streamFields(stream), Shards: shardsJson(stream, from, to), HasMoreShards: to < stream.shards.length } };
}

/**
 * ListShards: the stream's shards in order, `MaxResults` (≤ 1000) a page, the next page by
 * `NextToken` (which must come without StreamName, as AWS requires) or `ExclusiveStartShardId`.
 * ShardFilter is accepted and changes nothing: every shard is open and has been since the start.
 */
export function listShards(stream: KinesisStream, input: Input): unknown {
  const v = new Violations();
  const id = readStreamId(input, v);
  const token = stringField(input, 'NextToken');
  const max = numberField(input, 'MaxResults');
  const after = stringField(input, 'ExclusiveStartShardId');
  v.text(token, 'nextToken', 1, 1048576);
  v.range(max, 'maxResults', 1, 10_000);
  v.text(after, 'exclusiveStartShardId', 1, 128);
  v.throwIfAny();
  let from: number;
  if (token !== undefined) {
    if (id.name !== undefined) throw invalidArgument('NextToken and StreamName cannot be provided together.');
    from = readListToken(stream, token);
  } else {
    if (id.name === undefined && id.arn === undefined) throw invalidArgument('Either NextToken or StreamName should be provided.');
    requireStream(id, stream);
    from = after === undefined ? 0 : shardIndexOf(after) + 1;
  }
  const to = Math.min(stream.shards.length, from + Math.min(max ?? LIST_SHARDS_PAGE, LIST_SHARDS_PAGE));
  return { Shards: shardsJson(stream, from, to), ...(to < stream.shards.length ? { NextToken: listToken(stream, to) } : {}) };
}

/** ListStreams: the one stream. */
export function listStreams(stream: KinesisStream): unknown {
  const f = streamFields(stream);
  const summary = { StreamName: f.StreamName, StreamARN: f.StreamARN, StreamStatus: f.StreamStatus, StreamModeDetails: f.StreamModeDetails, StreamCreationTimestamp: f.StreamCreationTimestamp };
  return { StreamNames: [stream.name], HasMoreStreams: false, StreamSummaries: [summary] };
}

function streamFields(stream: KinesisStream) {
  return {
    StreamName: stream.name,
    StreamARN: streamArn(stream.name),
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: 'PROVISIONED' },
    RetentionPeriodHours: 24,
    StreamCreationTimestamp: stream.createdAtEpochMs / 1000,
    EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
    EncryptionType: 'NONE',
  };
}

/** Shards `from..to-1` as AWS describes them; all open (no EndingSequenceNumber). */
function shardsJson(stream: KinesisStream, from: number, to: number): unknown[] {
  const out: unknown[] = [];
  for (let i = Math.max(0, from); i < to; i++) {
    const range = stream.ranges[i];
    out.push({
      ShardId: stream.shards[i].id,
      HashKeyRange: { StartingHashKey: range.start, EndingHashKey: range.end },
      SequenceNumberRange: { StartingSequenceNumber: sequenceNumber(i, 0) },
    });
  }
  return out;
}

/** An opaque page token: the stream (and its incarnation) and the next shard index. */
function listToken(stream: KinesisStream, from: number): string {
  return Buffer.from(JSON.stringify({ n: stream.name, e: stream.incarnation, from })).toString('base64');
}

function readListToken(stream: KinesisStream, token: string): number {
  let t: { n?: unknown; e?: unknown; from?: unknown };
  try {
    t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as typeof t;
  } catch {
    throw invalidArgument('Invalid NextToken.');
  }
  if (t === null || typeof t !== 'object' || t.n !== stream.name || t.e !== stream.incarnation || typeof t.from !== 'number') throw invalidArgument('Invalid NextToken.');
  return t.from;
}
