import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  PutRecordsCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { kinesisClient, sqsClient, startFauxqs, startKinesalite, type Emulator } from '../support/aws-emulators.js';

/** Kinesis routes a record to the shard whose HashKeyRange holds MD5(partition key) as a 128-bit integer. */
function hashKey(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

function shardFor(shards: Shard[], key: bigint): string | undefined {
  return shards.find((s) => BigInt(s.HashKeyRange!.StartingHashKey!) <= key && key <= BigInt(s.HashKeyRange!.EndingHashKey!))
    ?.ShardId;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Records the host of every request the client actually sends. */
function recordHosts(client: SQSClient): string[] {
  const hosts: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { hostname?: string; port?: number };
      hosts.push(`${req.hostname}:${req.port}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordHosts' },
  );
  return hosts;
}

describe('kinesalite', () => {
  let emu: Emulator;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    emu = await startKinesalite();
    kinesis = kinesisClient(emu.endpoint);
  });

  afterAll(async () => {
    kinesis?.destroy();
    await emu?.close();
  });

  it('listens on loopback only', () => {
    expect(new URL(emu.endpoint).hostname).toBe('127.0.0.1');
  });

  it('routes PutRecords by the MD5 of the partition key, as Kinesis does', async () => {
    const StreamName = 'telemetry';
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 4 }));
    const summary = await until('stream ACTIVE', async () => {
      const { StreamDescriptionSummary: s } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
      return s?.StreamStatus === 'ACTIVE' ? s : undefined;
    });
    expect(summary.OpenShardCount).toBe(4);
    expect(summary.StreamARN).toBe('arn:aws:kinesis:us-east-1:000000000000:stream/telemetry');

    const { Shards: shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName }));
    expect(shards).toHaveLength(4);
    // The four ranges tile [0, 2^128) with no gap or overlap.
    const ranges = shards
      .map((s) => [BigInt(s.HashKeyRange!.StartingHashKey!), BigInt(s.HashKeyRange!.EndingHashKey!)] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(ranges[0]![0]).toBe(0n);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1n);
    expect(ranges.at(-1)![1]).toBe(2n ** 128n - 1n);

    const keys = Array.from({ length: 20 }, (_, i) => `vehicle-${i}`);
    const out = await kinesis.send(
      new PutRecordsCommand({
        StreamName,
        Records: keys.map((PartitionKey, i) => ({ PartitionKey, Data: Buffer.from(JSON.stringify({ i, PartitionKey })) })),
      }),
    );
    expect(out.FailedRecordCount).toBe(0);
    expect(out.Records).toHaveLength(20);
    const seen = new Set<string>();
    out.Records!.forEach((rec, i) => {
      expect(rec.ErrorCode).toBeUndefined();
      expect(rec.ShardId).toMatch(/^shardId-\d{12}$/);
      expect(rec.SequenceNumber).toMatch(/^\d+$/);
      expect(rec.ShardId, keys[i]).toBe(shardFor(shards, hashKey(keys[i]!)));
      seen.add(rec.ShardId!);
    });
    // The keys spread over several shards, so the check above is not trivially one shard.
    expect(seen.size).toBeGreaterThan(1);
    expect(new Set(out.Records!.map((r) => r.SequenceNumber)).size).toBe(20);
  });
});

describe('fauxqs', () => {
  let emu: Emulator;
  let sqs: SQSClient;
  let hosts: string[];

  beforeAll(async () => {
    emu = await startFauxqs();
    sqs = sqsClient(emu.endpoint);
    hosts = recordHosts(sqs);
  });

  afterAll(async () => {
    sqs?.destroy();
    await emu?.close();
  });

  /**
   * Receives and deletes until `count` messages came back. Deleting matters for FIFO: fauxqs hands
   * out one message per group per receive and keeps the group locked until that message is deleted.
   */
  async function receiveAll(QueueUrl: string, count: number): Promise<Message[]> {
    const got: Message[] = [];
    await until(`${count} messages`, async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['MessageGroupId', 'SequenceNumber'],
        }),
      );
      got.push(...Messages);
      if (Messages.length > 0) {
        const deleted = await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl,
            Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
        expect(deleted.Failed ?? []).toEqual([]);
      }
      return got.length >= count ? true : undefined;
    });
    return got;
  }

  function entries(fifo: boolean) {
    return Array.from({ length: 10 }, (_, i) => ({
      Id: `m${i}`,
      MessageBody: JSON.stringify({ vehicle: `v${i % 3}`, seq: i }),
      MessageAttributes: {
        vehicleId: { DataType: 'String', StringValue: `v${i % 3}` },
        seq: { DataType: 'Number', StringValue: String(i) },
        raw: { DataType: 'Binary', BinaryValue: Uint8Array.of(i, 255 - i) },
      },
      ...(fifo ? { MessageGroupId: `v${i % 3}`, MessageDeduplicationId: `dedup-${i}` } : {}),
    }));
  }

  function checkMessages(got: Message[]): void {
    expect(got).toHaveLength(10);
    const bySeq = new Map(got.map((m) => [Number(m.MessageAttributes!.seq!.StringValue), m]));
    for (let i = 0; i < 10; i++) {
      const m = bySeq.get(i);
      expect(m, `message ${i}`).toBeDefined();
      expect(JSON.parse(m!.Body!)).toEqual({ vehicle: `v${i % 3}`, seq: i });
      expect(m!.MessageAttributes!.vehicleId).toMatchObject({ DataType: 'String', StringValue: `v${i % 3}` });
      expect(m!.MessageAttributes!.seq).toMatchObject({ DataType: 'Number', StringValue: String(i) });
      expect(m!.MessageAttributes!.raw!.DataType).toBe('Binary');
      expect([...m!.MessageAttributes!.raw!.BinaryValue!]).toEqual([i, 255 - i]);
    }
  }

  it('listens on loopback only', () => {
    expect(new URL(emu.endpoint).hostname).toBe('127.0.0.1');
  });

  it('round-trips a batch with message attributes on a standard queue', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'events' }));
    // fauxqs names queues by an AWS-style host that does not resolve here ...
    expect(new URL(QueueUrl!).hostname).toBe('sqs.us-east-1.localhost');

    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(false) }));
    expect(sent.Failed ?? []).toEqual([]);
    expect(sent.Successful).toHaveLength(10);
    checkMessages(await receiveAll(QueueUrl!, 10));

    // ... and every request still went to the emulator endpoint, never to the QueueUrl host.
    const endpoint = new URL(emu.endpoint);
    expect(new Set(hosts)).toEqual(new Set([`${endpoint.hostname}:${endpoint.port}`]));
  });

  it('round-trips a batch on a FIFO queue, in order within each message group', async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'events.fifo', Attributes: { FifoQueue: 'true' } }),
    );
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(true) }));
    expect(sent.Failed ?? []).toEqual([]);
    expect(sent.Successful).toHaveLength(10);
    for (const s of sent.Successful!) expect(s.SequenceNumber).toMatch(/^\d+$/);

    const got = await receiveAll(QueueUrl!, 10);
    checkMessages(got);
    for (const group of ['v0', 'v1', 'v2']) {
      const inGroup = got.filter((m) => m.Attributes?.MessageGroupId === group);
      const seqs = inGroup.map((m) => Number(m.MessageAttributes!.seq!.StringValue));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs.length).toBeGreaterThan(0);
    }
  });
});
