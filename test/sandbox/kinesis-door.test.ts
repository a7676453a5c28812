import {
  DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import type { DlqEntry } from '../../src/sandbox/dead-letter-queue.js';
import type { OutputEntry } from '../../src/sandbox/output-log.js';
import type { SandboxParamsInput } from '../../src/sandbox/params.js';
import type { SandboxStats } from '../../src/sandbox/pipeline.js';
import type { SandboxHandle } from '../../src/sandbox/spawn-sandbox.js';
import { loadShards, ShardMap } from '../../src/targets/kinesis/shard-map.js';
import { message, readAll, sleep, start, stats, waitForStats } from './helpers.js';

// @aws-sdk/core warns once per process that its later releases need Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The real SDK client a producer would use, pointed at the sandbox (HTTP/1.1: the SDK's Kinesis default is HTTP/2). */
function kinesis(sb: SandboxHandle): KinesisClient {
  return new KinesisClient({
    endpoint: sb.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' }, maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2000, requestTimeout: 10_000 }),
  });
}

/** Runs `fn` against a sandbox at the kinesis door, then stops both. */
async function withDoor(input: SandboxParamsInput, fn: (sb: SandboxHandle, client: KinesisClient, map: ShardMap) => Promise<void>): Promise<void> {
  const sb = await start({ ...input, ingest: 'kinesis' });
  const client = kinesis(sb);
  try {
    await fn(sb, client, new ShardMap(await loadShards(client, { StreamName: 'telemetry' })));
  } finally {
    client.destroy();
    await sb.stop();
  }
}

/** `n` partition keys that rushhour's shard map puts on shard `shard`. */
function keysOn(map: ShardMap, shard: number, n: number, prefix: string): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < n && i < 100_000; i++) if (map.shardOf(`${prefix}-${i}`) === shard) keys.push(`${prefix}-${i}`);
  return keys;
}

function entry(key: string, body: string): PutRecordsRequestEntry {
  return { PartitionKey: key, Data: Buffer.from(body) };
}

const shardsOf = (s: SandboxStats) => s.stream!.shards;

describe('sandbox: the kinesis door, with the AWS SDK', () => {
  it('describes its stream, takes records on the shards rushhour predicts, processes them and reads them back', async () => {
    await withDoor({ stream: { shards: 4 }, processor: { initTime: '10ms', workTime: '1ms' } }, async (sb, client, map) => {
      const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'telemetry' }))).StreamDescriptionSummary!;
      expect(summary).toMatchObject({ StreamName: 'telemetry', StreamStatus: 'ACTIVE', OpenShardCount: 4, StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/telemetry', StreamModeDetails: { StreamMode: 'PROVISIONED' } });
      expect(summary.StreamCreationTimestamp).toBeInstanceOf(Date);
      const listed = await client.send(new ListShardsCommand({ StreamARN: summary.StreamARN }));
      expect(listed.Shards!.map((s) => s.ShardId)).toEqual(map.shards.map((s) => s.id));
      expect(listed.NextToken).toBeUndefined();

      const records = Array.from({ length: 200 }, (_, i) => entry(`VIN-${i}`, message(`m-${i}`, { vehicleId: `VIN-${i}` })));
      const put = await client.send(new PutRecordsCommand({ StreamName: 'telemetry', Records: records }));
      expect(put.FailedRecordCount).toBe(0);
      put.Records!.forEach((r, i) => expect(r.ShardId, `VIN-${i}`).toBe(map.shards[map.shardOf(`VIN-${i}`)].id));
      expect(new Set(put.Records!.map((r) => r.ShardId)).size).toBe(4);

      const s = await waitForStats(sb, (x) => x.processor.processed === 200 && shardsOf(x).every((sh) => sh.pending === 0));
      expect(shardsOf(s).map((sh) => [sh.pending, sh.iteratorAgeMs, sh.blocked])).toEqual(Array(4).fill([0, 0, false]));
      expect(shardsOf(s).reduce((n, sh) => n + sh.written, 0)).toBe(200);
      const out = await readAll<OutputEntry>(sb, '/output', 1000);
      expect(out).toHaveLength(200);
      expect(new Set(out.map((e) => e.messageId)).size).toBe(200);

      // The shard logs read back, independently of the processor.
      const read = new Map<string, string>();
      for (const shard of map.shards) {
        const it = await client.send(new GetShardIteratorCommand({ StreamName: 'telemetry', ShardId: shard.id, ShardIteratorType: 'TRIM_HORIZON' }));
        const page = await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
        expect(page.MillisBehindLatest).toBe(0);
        for (const r of page.Records!) read.set(r.SequenceNumber!, JSON.parse(Buffer.from(r.Data!).toString()).messageId);
        expect(page.Records!.every((r) => r.ApproximateArrivalTimestamp instanceof Date)).toBe(true);
      }
      expect(read.size).toBe(200);
      put.Records!.forEach((r, i) => expect(read.get(r.SequenceNumber!)).toBe(`m-${i}`));

      await expect(client.send(new DescribeStreamSummaryCommand({ StreamName: 'orders' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Stream orders under account 000000000000 not found.' });
      await expect(client.send(new PutRecordsCommand({ StreamName: 'orders', Records: records.slice(0, 1) }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });
  });

  /**
   * Two valid records and then a poison one (not JSON) on shard 2, two valid ones on every other
   * shard, in one call; then two more valid ones on shard 2 while it is blocked. Each invocation
   * takes 300 ms, so the retries keep the shard blocked long enough to watch.
   */
  async function poisonRun(stream: SandboxParamsInput['stream'], untilDone: boolean) {
    const input = { stream: { shards: 4, batchSize: 10, ...stream }, processor: { initTime: '10ms', workTime: '300ms' }, db: { queryTime: '1ms' } };
    let result: { samples: SandboxStats[]; last: SandboxStats; out: OutputEntry[]; dlq: DlqEntry[] } | undefined;
    await withDoor(input, async (sb, client, map) => {
      const first: PutRecordsRequestEntry[] = [];
      for (let shard = 0; shard < 4; shard++) {
        const keys = keysOn(map, shard, 2, `VIN-${shard}`);
        first.push(entry(keys[0], message(`s${shard}-1`)), entry(keys[1], message(`s${shard}-2`)));
      }
      first.push(entry(keysOn(map, 2, 1, 'POISON')[0], 'not json'));
      expect((await client.send(new PutRecordsCommand({ StreamName: 'telemetry', Records: first }))).FailedRecordCount).toBe(0);
      await waitForStats(sb, (x) => x.processor.invocations >= 4); // each shard has taken its batch
      const behind = keysOn(map, 2, 2, 'LATE').map((k, i) => entry(k, message(`late-${i}`)));
      expect((await client.send(new PutRecordsCommand({ StreamName: 'telemetry', Records: behind }))).FailedRecordCount).toBe(0);
      const samples: SandboxStats[] = [];
      let last = await stats(sb);
      for (let n = 0; n < 300; n++) {
        last = await stats(sb);
        if (shardsOf(last)[2].blocked) samples.push(last);
        const caughtUp = samples.length > 0 && !shardsOf(last)[2].blocked && shardsOf(last)[2].pending === 0;
        if (untilDone ? caughtUp && last.processor.processed === 10 : samples.length >= 8) break;
        await sleep(50);
      }
      result = { samples, last, out: await readAll<OutputEntry>(sb, '/output'), dlq: await readAll<DlqEntry>(sb, '/dlq') };
    });
    return result!;
  }

  /** While shard 2 is blocked and the others have caught up: only shard 2 shows an iterator age, and it grows. */
  function expectOnlyShard2Blocked(samples: SandboxStats[]): void {
    const watched = samples.filter((s) => shardsOf(s).every((sh, i) => i === 2 || sh.pending === 0));
    expect(watched.length, `blocked samples with the other shards caught up (of ${samples.length})`).toBeGreaterThanOrEqual(2);
    for (const s of watched) {
      shardsOf(s).forEach((sh, i) => {
        if (i === 2) expect(sh).toMatchObject({ blocked: true, pending: expect.any(Number) });
        else expect(sh).toMatchObject({ blocked: false, iteratorAgeMs: 0 });
      });
      expect(shardsOf(s)[2].iteratorAgeMs).toBeGreaterThan(0);
    }
    const ages = watched.map((s) => shardsOf(s)[2].iteratorAgeMs);
    for (let i = 1; i < ages.length; i++) expect(ages[i]).toBeGreaterThan(ages[i - 1]);
  }

  it.each([
    // The whole batch fails 1 + 3 times: s2-1 and s2-2 are written each time (6 duplicates), and follow the poison record to the DLQ.
    ['whole batch retried', {}, ['s2-1', 's2-2', null], 6],
    // [s2-1 s2-2 P] fails → [s2-1 s2-2] is written again (2 duplicates) → [P] fails 1 + 3 times → DLQ.
    ['bisectOnError', { bisectOnError: true }, [null], 2],
    // s2-1 and s2-2 are checkpointed at the first failure; [P] is retried 3 times.
    ['reportBatchItemFailures', { reportBatchItemFailures: true }, [null], 0],
  ])('a poison record blocks only its shard (%s), until 3 retries run out; then it is in the DLQ and the shard catches up', async (_name, variant, dlqIds, duplicates) => {
    const { samples, last, out, dlq } = await poisonRun({ maxRetries: 3, ...variant }, true);
    expectOnlyShard2Blocked(samples);
    expect(shardsOf(last)[2]).toMatchObject({ blocked: false, pending: 0, iteratorAgeMs: 0, retries: 3, discarded: dlqIds.length });
    expect(shardsOf(last)[2].iteratorAgeMsMax).toBeGreaterThanOrEqual(shardsOf(samples[samples.length - 1])[2].iteratorAgeMs);
    expect(last.dlq.depth).toBe(dlqIds.length);
    expect(dlq.map((e) => e.messageId)).toEqual(dlqIds);
    const poisonEntry = dlq[dlq.length - 1];
    expect(poisonEntry).toMatchObject({ body: 'not json', lastError: 'malformed JSON', shardId: 'shardId-000000000002' });
    // Every valid record reached the output; those before the poison one in its batch more than once unless checkpointed.
    expect(new Set(out.map((e) => e.messageId)).size).toBe(10);
    expect(last.processor).toMatchObject({ processed: 10, duplicates });
    expect(out).toHaveLength(10 + duplicates);
  });

  it('with unlimited retries the poison record keeps its shard blocked', async () => {
    const { samples, last, dlq } = await poisonRun({ maxRetries: 'unlimited' }, false);
    expectOnlyShard2Blocked(samples);
    expect(shardsOf(last)[2]).toMatchObject({ blocked: true, pending: 5 });
    expect(shardsOf(last)[2].retries).toBeGreaterThan(shardsOf(samples[0])[2].retries);
    expect(dlq).toEqual([]);
    expect(last.processor.processed).toBe(8);
  });
});
