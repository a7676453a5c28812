import { describe, expect, it } from 'vitest';
import { AwsApiError } from '../../src/sandbox/aws/json-protocol.js';
import { sequenceNumber } from '../../src/sandbox/stream/sequence-numbers.js';
import { body, EPOCH, withStream, type StreamHarness } from './stream-harness.js';

/** The kinesis door's API called directly (no HTTP; the SDK round trip is kinesis-door.test.ts). */

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

/** The AwsApiError `fn` throws, as [type, message]. */
function refusal(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (e) {
    if (e instanceof AwsApiError) return [e.type, e.message];
    throw e;
  }
  throw new Error('expected an AwsApiError');
}

type Records = { Records: { SequenceNumber: string; Data: string; PartitionKey: string; ApproximateArrivalTimestamp: number }[]; NextShardIterator: string; MillisBehindLatest: number };

function iterator(h: StreamHarness, input: Record<string, unknown>): string {
  return (h.api.handle('GetShardIterator', { StreamName: 'telemetry', ShardId: 'shardId-000000000000', ...input }) as { ShardIterator: string }).ShardIterator;
}

function read(h: StreamHarness, it: string, limit?: number): Records {
  return h.api.handle('GetRecords', { ShardIterator: it, ...(limit ? { Limit: limit } : {}) }) as Records;
}

const oneShard = { stream: { shards: 1 } };

describe('kinesis door API: PutRecords checks', () => {
  const valid = { PartitionKey: 'k', Data: b64('x') };
  it.each([
    ['no records', { StreamName: 'telemetry', Records: [] }, 'ValidationException', "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    ['501 records', { StreamName: 'telemetry', Records: Array(501).fill(valid) }, 'ValidationException', /at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/],
    ['an empty and a long key', { StreamName: 'telemetry', Records: [{ ...valid, PartitionKey: '' }, { ...valid, PartitionKey: 'k'.repeat(257) }] }, 'ValidationException',
      /^2 validation errors detected: Value '' at 'records.1.member.partitionKey' .*greater than or equal to 1; Value 'k+' at 'records.2.member.partitionKey' .*less than or equal to 256$/],
    ['no Data', { StreamName: 'telemetry', Records: [{ PartitionKey: 'k' }] }, 'ValidationException', /Value null at 'records.1.member.data' failed to satisfy constraint: Member must not be null/],
    ['Data over 1 MiB', { StreamName: 'telemetry', Records: [{ PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024 + 1).toString('base64') }] }, 'ValidationException', /lim=1048577 .*less than or equal to 1048576/],
    ['a malformed ExplicitHashKey', { StreamName: 'telemetry', Records: [{ ...valid, ExplicitHashKey: '01' }] }, 'ValidationException', /explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern/],
    ['an ExplicitHashKey past 2^128-1', { StreamName: 'telemetry', Records: [{ ...valid, ExplicitHashKey: (1n << 128n).toString() }] }, 'InvalidArgumentException', /^Invalid ExplicitHashKey. ExplicitHashKey must be in the range: \[0, 2\^128-1\]/],
    ['data + key over 1 MiB', { StreamName: 'telemetry', Records: [{ PartitionKey: 'kk', Data: Buffer.alloc(1024 * 1024 - 1).toString('base64') }] }, 'InvalidArgumentException', /^Record size of 1048577 bytes/],
    ['over 5 MiB in all', { StreamName: 'telemetry', Records: Array(6).fill({ PartitionKey: 'k', Data: Buffer.alloc(1000 * 1000).toString('base64') }) }, 'InvalidArgumentException', /^Records size of 6000006 bytes exceeds/],
    ['Data that is not base64', { StreamName: 'telemetry', Records: [{ PartitionKey: 'k', Data: 'no*base64' }] }, 'SerializationException', 'Data must be base64-encoded'],
    ['Records not a list', { StreamName: 'telemetry', Records: 'x' }, 'SerializationException', 'Records must be a list'],
    ['a key of the wrong type', { StreamName: 'telemetry', Records: [{ PartitionKey: 1, Data: b64('x') }] }, 'SerializationException', /PartitionKey must be a string/],
    ['another stream', { StreamName: 'orders', Records: [valid] }, 'ResourceNotFoundException', 'Stream orders under account 000000000000 not found.'],
    ['another stream by ARN', { StreamARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders', Records: [valid] }, 'ResourceNotFoundException', 'Stream orders under account 000000000000 not found.'],
    ['no stream', { Records: [valid] }, 'InvalidArgumentException', 'Either StreamName or StreamARN must be provided.'],
    ['a malformed stream name', { StreamName: 'a/b', Records: [valid] }, 'ValidationException', /Value 'a\/b' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+/],
  ])('refuses %s', (_name, input, type, message) => {
    withStream(oneShard, (h) => {
      const [t, m] = refusal(() => h.api.handle('PutRecords', input));
      expect(t).toBe(type);
      if (typeof message === 'string') expect(m).toBe(message);
      else expect(m).toMatch(message);
      expect(h.shard(0).written).toBe(0);
    });
  });

  it('accepts the stream by ARN, whatever its region and account', () => {
    withStream(oneShard, (h) => {
      const answer = h.api.handle('PutRecords', { StreamARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/telemetry', Records: [valid] });
      expect(answer).toEqual({ FailedRecordCount: 0, Records: [{ SequenceNumber: sequenceNumber(0, 0), ShardId: 'shardId-000000000000' }], EncryptionType: 'NONE' });
    });
  });

  it('refuses records over the shard write limit one by one (1,000 a second), and the call still answers', () => {
    withStream(oneShard, (h) => {
      const put = () => h.put(Array.from({ length: 400 }, (_, i): [string, string] => [`k${i}`, 'x']));
      expect([put().FailedRecordCount, put().FailedRecordCount]).toEqual([0, 0]);
      const third = put();
      expect(third.FailedRecordCount).toBe(200);
      expect(third.Records[199]).toHaveProperty('SequenceNumber');
      expect(third.Records[200]).toEqual({ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream telemetry under account 000000000000.' });
      expect(h.shard(0)).toMatchObject({ written: 1000, throttled: 200 });
      h.advance(100); // 100 ms refill 100 records
      expect(put().FailedRecordCount).toBe(300);
      expect(refusal(() => h.api.handle('PutRecord', { StreamName: 'telemetry', PartitionKey: 'k', Data: b64('x') }))[0]).toBe('ProvisionedThroughputExceededException');
    });
  });

  it('without writeLimit a shard takes any rate', () => {
    withStream({ stream: { shards: 1, writeLimit: false } }, (h) => {
      for (let i = 0; i < 5; i++) expect(h.put(Array.from({ length: 500 }, (_, j): [string, string] => [`k${j}`, 'x'])).FailedRecordCount).toBe(0);
    });
  });

  it('PutRecord answers one sequence number; records of a shard are numbered in the order written', () => {
    withStream(oneShard, (h) => {
      const a = h.api.handle('PutRecord', { StreamName: 'telemetry', PartitionKey: 'k', Data: b64('1') }) as { SequenceNumber: string };
      const b = h.put([['k', '2'], ['j', '3']]);
      expect(a).toEqual({ SequenceNumber: sequenceNumber(0, 0), ShardId: 'shardId-000000000000', EncryptionType: 'NONE' });
      expect(b.Records.map((r) => r.SequenceNumber)).toEqual([sequenceNumber(0, 1), sequenceNumber(0, 2)]);
    });
  });
});

describe('kinesis door API: describing the stream', () => {
  it('lists the shards with their hash-key ranges, in pages of MaxResults', () => {
    withStream({ stream: { shards: 3 } }, (h) => {
      const first = h.api.handle('ListShards', { StreamName: 'telemetry', MaxResults: 2 }) as { Shards: { ShardId: string }[]; NextToken: string };
      expect(first.Shards.map((s) => s.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
      const rest = h.api.handle('ListShards', { NextToken: first.NextToken }) as { Shards: { ShardId: string; HashKeyRange: unknown }[]; NextToken?: string };
      expect(rest.Shards).toEqual([{
        ShardId: 'shardId-000000000002',
        HashKeyRange: { StartingHashKey: '226854911280625642308916404954512140970', EndingHashKey: ((1n << 128n) - 1n).toString() },
        SequenceNumberRange: { StartingSequenceNumber: sequenceNumber(2, 0) },
      }]);
      expect(rest.NextToken).toBeUndefined();
      expect(refusal(() => h.api.handle('ListShards', { StreamName: 'telemetry', NextToken: first.NextToken }))).toEqual(['InvalidArgumentException', 'NextToken and StreamName cannot be provided together.']);
      const after = h.api.handle('ListShards', { StreamName: 'telemetry', ExclusiveStartShardId: 'shardId-000000000000' }) as { Shards: unknown[] };
      expect(after.Shards).toHaveLength(2);
    });
  });

  it('describes the stream as ACTIVE and PROVISIONED, times in epoch seconds', () => {
    withStream({ stream: { shards: 2, name: 'fleet' } }, (h) => {
      expect(h.api.handle('DescribeStreamSummary', { StreamName: 'fleet' })).toEqual({
        StreamDescriptionSummary: {
          StreamName: 'fleet', StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/fleet', StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'PROVISIONED' },
          RetentionPeriodHours: 24, StreamCreationTimestamp: EPOCH / 1000, EnhancedMonitoring: [{ ShardLevelMetrics: [] }], EncryptionType: 'NONE', OpenShardCount: 2, ConsumerCount: 0,
        },
      });
      const d = h.api.handle('DescribeStream', { StreamName: 'fleet', Limit: 1 }) as { StreamDescription: { Shards: unknown[]; HasMoreShards: boolean } };
      expect([d.StreamDescription.Shards.length, d.StreamDescription.HasMoreShards]).toEqual([1, true]);
      expect(h.api.handle('ListStreams', {})).toMatchObject({ StreamNames: ['fleet'], HasMoreStreams: false });
    });
  });

  it('names the operations it answers for any other', () => {
    withStream(oneShard, (h) => {
      const [type, message] = refusal(() => h.api.handle('SubscribeToShard', {}));
      expect(type).toBe('UnknownOperationException');
      expect(message).toMatch(/does not answer SubscribeToShard: it answers PutRecords, PutRecord, .*GetRecords on stream telemetry/);
      expect(refusal(() => h.api.handle('constructor', {}))[0]).toBe('UnknownOperationException');
    });
  });
});

describe('kinesis door API: reading a shard', () => {
  it('reads from TRIM_HORIZON in pages of Limit, then waits at the tip', () => {
    withStream(oneShard, (h) => {
      h.put([['a', body('1')], ['b', body('2')], ['c', body('3')]]);
      h.advance(40);
      const page = read(h, iterator(h, { ShardIteratorType: 'TRIM_HORIZON' }), 2);
      expect(page.Records.map((r) => [r.SequenceNumber, r.PartitionKey, JSON.parse(Buffer.from(r.Data, 'base64').toString()).messageId, r.ApproximateArrivalTimestamp])).toEqual([
        [sequenceNumber(0, 0), 'a', '1', EPOCH / 1000],
        [sequenceNumber(0, 1), 'b', '2', EPOCH / 1000],
      ]);
      expect(page.MillisBehindLatest).toBe(40);
      const rest = read(h, page.NextShardIterator);
      expect([rest.Records.length, rest.MillisBehindLatest]).toEqual([1, 0]);
      const tip = read(h, rest.NextShardIterator);
      expect(tip.Records).toEqual([]);
      h.put([['d', body('4')]]);
      expect(read(h, tip.NextShardIterator).Records.map((r) => r.PartitionKey)).toEqual(['d']);
    });
  });

  it.each([
    ['AT_SEQUENCE_NUMBER', 1, ['b', 'c']],
    ['AFTER_SEQUENCE_NUMBER', 1, ['c']],
    ['LATEST', undefined, []],
  ])('%s starts where AWS would', (type, at, keys) => {
    withStream(oneShard, (h) => {
      h.put([['a', 'x'], ['b', 'y'], ['c', 'z']]);
      const it = iterator(h, { ShardIteratorType: type, ...(at === undefined ? {} : { StartingSequenceNumber: sequenceNumber(0, at) }) });
      expect(read(h, it).Records.map((r) => r.PartitionKey)).toEqual(keys);
    });
  });

  it('AT_TIMESTAMP (epoch seconds) starts at the first record that arrived then or later', () => {
    withStream(oneShard, (h) => {
      h.put([['a', 'x']]);
      h.advance(1000);
      h.put([['b', 'y']]);
      h.advance(1000);
      h.put([['c', 'z']]);
      expect(read(h, iterator(h, { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: (EPOCH + 500) / 1000 })).Records.map((r) => r.PartitionKey)).toEqual(['b', 'c']);
      expect(read(h, iterator(h, { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: (EPOCH + 1000) / 1000 })).Records.map((r) => r.PartitionKey)).toEqual(['b', 'c']);
      expect(read(h, iterator(h, { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: EPOCH / 1000 - 60 })).Records).toHaveLength(3);
    });
  });

  it('a position trimmed since is read from the oldest record held', () => {
    withStream({ stream: { shards: 1, shardCapacity: 100, writeLimit: false } }, (h) => {
      const it = iterator(h, { ShardIteratorType: 'TRIM_HORIZON' });
      h.put(Array.from({ length: 150 }, (_, i): [string, string] => [`k${i}`, 'x']));
      const page = read(h, it, 10);
      expect(page.Records[0].SequenceNumber).toBe(sequenceNumber(0, 50));
    });
  });

  it('answers Data that is not UTF-8 exactly as it was sent', () => {
    withStream(oneShard, (h) => {
      const data = Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64');
      h.api.handle('PutRecords', { StreamName: 'telemetry', Records: [{ PartitionKey: 'k', Data: data }] });
      expect(read(h, iterator(h, { ShardIteratorType: 'TRIM_HORIZON' })).Records[0].Data).toBe(data);
    });
  });

  it.each([
    ['an unknown shard', { ShardId: 'shardId-000000000009', ShardIteratorType: 'LATEST' }, 'ResourceNotFoundException', 'Shard shardId-000000000009 in stream telemetry under account 000000000000 does not exist'],
    ['an unknown type', { ShardIteratorType: 'OLDEST' }, 'ValidationException', /Value 'OLDEST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: \[AT_SEQUENCE_NUMBER, /],
    ['a sequence number without its type', { ShardIteratorType: 'LATEST', StartingSequenceNumber: sequenceNumber(0, 0) }, 'InvalidArgumentException', /Request specified LATEST and also a StartingSequenceNumber\.$/],
    ['a type without its sequence number', { ShardIteratorType: 'AT_SEQUENCE_NUMBER' }, 'InvalidArgumentException', /Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber\.$/],
    ['another shard’s sequence number', { ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: sequenceNumber(1, 0) }, 'InvalidArgumentException', 'Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with shardId-000000000000'],
    ['a foreign sequence number', { ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '123' }, 'InvalidArgumentException', /^StartingSequenceNumber 123 used in GetShardIterator on shard shardId-000000000000 .* is invalid\.$/],
    ['AT_TIMESTAMP without a Timestamp', { ShardIteratorType: 'AT_TIMESTAMP' }, 'InvalidArgumentException', /^Must specify timestampInMillis parameter/],
  ])('GetShardIterator refuses %s', (_name, input, type, message) => {
    withStream({ stream: { shards: 2 } }, (h) => {
      const [t, m] = refusal(() => iterator(h, input));
      expect(t).toBe(type);
      if (typeof message === 'string') expect(m).toBe(message);
      else expect(m).toMatch(message);
    });
  });

  it('GetRecords refuses an iterator that is not one, one of a replaced stream, and a Limit over 10,000', () => {
    withStream(oneShard, (h) => {
      expect(refusal(() => read(h, 'bm90IGFuIGl0ZXJhdG9y'))).toEqual(['InvalidArgumentException', 'Invalid ShardIterator.']);
      const it = iterator(h, { ShardIteratorType: 'LATEST' });
      expect(refusal(() => read(h, it, 10_001))[0]).toBe('ValidationException');
      withStream(oneShard, (other) => expect(refusal(() => read(other, it))[0]).toBe('ExpiredIteratorException'));
    });
  });
});
