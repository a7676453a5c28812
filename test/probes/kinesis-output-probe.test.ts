import { DescribeStreamSummaryCommand, ListShardsCommand, MergeShardsCommand, PutRecordsCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedule } from '../../src/load/pacers.js';
import { findIdentity } from '../../src/payload/identity.js';
import { DeliveryTracker } from '../../src/probes/delivery-tracker.js';
import { KinesisOutputProbe } from '../../src/probes/kinesis-output-probe.js';
import type { KinesisOutputConfig } from '../../src/scenario/probes-schema.js';
import { createMessageSource, type MessageSource } from '../../src/telemetry/message-source.js';
import { UserError } from '../../src/util/user-error.js';
import { createActiveStream, kinesisClient, REGION, startKinesalite, type Emulator } from '../support/aws-emulators.js';
import { TestEnv } from '../support/env.js';
import { fleetConfig } from '../telemetry/fleet-fixture.js';

let emu: Emulator;
let client: KinesisClient;
const env = new TestEnv();

beforeAll(async () => {
  // The probe uses the SDK's own credential chain: dummy keys for the emulator.
  env.set({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  emu = await startKinesalite();
  client = kinesisClient(emu.endpoint);
});
afterAll(async () => {
  client.destroy();
  await emu.close();
  env.restore();
});

const output = (stream: string): KinesisOutputConfig => ({ kind: 'kinesis', stream, endpoint: emu.endpoint, region: REGION });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hash = (n: number) => (Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) >>> 0) / 2 ** 32;

/** Polls `check` until it holds, at most `ms`. */
async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms}ms`);
    await sleep(50);
  }
}

/** A source of `vehicles` vehicles and a tracker of `count` messages over it (seed 33). */
function fixture(count: number, vehicles = 200): { source: MessageSource; tracker: DeliveryTracker } {
  const source = createMessageSource(fleetConfig({ vehicles }), 33);
  const pacer = createSchedule([{ kind: 'constant', name: 's', durationMs: count / 10, rate: 10_000 }]);
  expect(pacer.count).toBe(count);
  const tracker = new DeliveryTracker({ seed: 33, vehicles, schedule: source.schedule, pacer, window: 64, vehicleId: (v) => source.fleet.vehicleId(v) });
  return { source, tracker };
}

/** Writes records with PutRecords, 500 a call, by each message's partition key; asserts none failed. */
async function put(stream: string, records: { key: string; data: string }[]): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    const out = await client.send(new PutRecordsCommand({ StreamName: stream, Records: records.slice(i, i + 500).map((r) => ({ PartitionKey: r.key, Data: Buffer.from(r.data) })) }));
    expect(out.FailedRecordCount ?? 0).toBe(0);
  }
}

/** Messages first..end-1 as records, every one told to the tracker as sent and accepted. */
function messages(source: MessageSource, tracker: DeliveryTracker, first: number, end: number) {
  const out: { key: string; data: string }[] = [];
  for (let n = first; n < end; n++) {
    tracker.sent(n);
    tracker.accepted(n);
    const m = source.next(n, Date.now());
    out.push({ key: m.partitionKey, data: m.body as string });
  }
  return out;
}

async function waitActive(stream: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const s = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await sleep(20);
  }
  throw new Error(`${stream} not ACTIVE`);
}

describe('KinesisOutputProbe (kinesalite)', () => {
  it('a loopback pipeline over 3 shards that drops 1 % and duplicates 0.5 %: exactly those counts come out, nothing unexpected', async () => {
    const COUNT = 3_000;
    const { source, tracker } = fixture(COUNT);
    const idPath = findIdentity(createMessageSource(fleetConfig({ vehicles: 200 }), 33)).idPath;
    expect(idPath).toBe('messageId');
    await createActiveStream(client, 'pipeline-out', 3);
    const probe = new KinesisOutputProbe(output('pipeline-out'), tracker, idPath!);
    await probe.start();
    tracker.started(Date.now());
    const drop = (n: number) => hash(n) < 0.01;
    const dup = (n: number) => hash(n) >= 0.01 && hash(n) < 0.015;
    let dropped = 0;
    let duplicated = 0;
    const records: { key: string; data: string }[] = [];
    for (let n = 0; n < COUNT; n++) {
      const [r] = messages(source, tracker, n, n + 1);
      if (drop(n)) {
        dropped++;
        continue;
      }
      records.push(r);
      if (dup(n)) {
        records.push(r);
        duplicated++;
      }
    }
    await put('pipeline-out', records);
    expect(dropped).toBeGreaterThan(15);
    expect(duplicated).toBeGreaterThan(5);
    try {
      await until(() => probe.received >= records.length, 30_000);
    } finally {
      const t0 = Date.now();
      await probe.stop();
      expect(Date.now() - t0).toBeLessThan(1_500);
    }
    expect(probe.received).toBe(records.length);
    expect(probe.shardsRead).toHaveLength(3);
    expect(probe.readings().delivery).toMatchObject({ seen: COUNT - dropped, pending: dropped, unexpected: 0 });
    const totals = tracker.finish(probe.name);
    expect(totals).toMatchObject({ consumer: 'kinesis pipeline-out', accepted: COUNT, seen: COUNT - dropped, lost: dropped, duplicated, unexpected: 0, late: 0, pending: 0 });
    expect(totals.e2eLatency.count).toBe(COUNT - dropped);
  }, 60_000);

  it('follows resharding: a split shard\'s children and then their merge are read, nothing lost', async () => {
    const COUNT = 2_400;
    const { source, tracker } = fixture(COUNT);
    await createActiveStream(client, 'reshard-out', 2);
    const probe = new KinesisOutputProbe(output('reshard-out'), tracker, 'messageId', Date.now, 1_000);
    await probe.start();
    tracker.started(Date.now());
    try {
      await put('reshard-out', messages(source, tracker, 0, 800));
      const shards = (await client.send(new ListShardsCommand({ StreamName: 'reshard-out' }))).Shards!;
      const s0 = shards.find((s) => s.ShardId === 'shardId-000000000000')!;
      const mid = (BigInt(s0.HashKeyRange!.StartingHashKey!) + BigInt(s0.HashKeyRange!.EndingHashKey!)) / 2n;
      await client.send(new SplitShardCommand({ StreamName: 'reshard-out', ShardToSplit: s0.ShardId, NewStartingHashKey: mid.toString() }));
      await waitActive('reshard-out');
      await put('reshard-out', messages(source, tracker, 800, 1_600));
      await client.send(new MergeShardsCommand({ StreamName: 'reshard-out', ShardToMerge: 'shardId-000000000002', AdjacentShardToMerge: 'shardId-000000000003' }));
      await waitActive('reshard-out');
      await put('reshard-out', messages(source, tracker, 1_600, COUNT));
      await until(() => probe.received >= COUNT, 30_000);
    } finally {
      await probe.stop();
    }
    expect(probe.shardsRead.slice().sort()).toEqual([0, 1, 2, 3, 4].map((i) => `shardId-00000000000${i}`));
    expect(probe.received).toBe(COUNT);
    expect(tracker.finish(probe.name)).toMatchObject({ accepted: COUNT, seen: COUNT, lost: 0, duplicated: 0, unexpected: 0 });
  }, 60_000);

  it('records written before start() are not counted (AT_TIMESTAMP, and the TRIM_HORIZON fallback where kinesalite does not answer it)', async () => {
    for (const [stream, fallback] of [['early-at', false], ['early-trim', true]] as const) {
      const { source, tracker } = fixture(400);
      await createActiveStream(client, stream, 3);
      // Messages 0..199 arrive before the probe's start: read, they would count (as seen of nothing accepted yet, then duplicates).
      await put(stream, messages(source, tracker, 0, 200));
      await put(stream, [{ key: 'x', data: '{"messageId":"early-junk"}' }]);
      await sleep(30);
      const startAt = Date.now();
      await sleep(30);
      // With a record since the start on every shard, AT_TIMESTAMP answers; on empty shards kinesalite never does (the probe falls back).
      if (!fallback) await put(stream, messages(source, tracker, 200, 300));
      let first = true;
      const now = () => (first ? ((first = false), startAt) : Date.now());
      const probe = new KinesisOutputProbe(output(stream), tracker, 'messageId', fallback ? Date.now : now, 1_000);
      await probe.start();
      tracker.started(Date.now());
      try {
        if (fallback) await put(stream, messages(source, tracker, 200, 300));
        await put(stream, [{ key: 'y', data: 'not json' }, { key: 'z', data: '{"other":1}' }]);
        await put(stream, messages(source, tracker, 300, 400));
        await until(() => probe.received >= 202, 15_000);
        await sleep(300);
      } finally {
        await probe.stop();
      }
      expect(probe.received).toBe(202);
      // Messages 0..199 were accepted but (being before the start) never seen: lost; the two bodies without an id: unexpected.
      expect(tracker.finish(probe.name)).toMatchObject({ accepted: 400, seen: 200, lost: 200, duplicated: 0, unexpected: 2 });
      if (fallback) {
        expect(probe.failures.count).toBeGreaterThanOrEqual(1);
        expect(probe.failures.last).toMatch(/Abort|Timeout/i);
      } else {
        expect(probe.failures).toEqual({ count: 0 });
      }
    }
  }, 60_000);

  it('a missing stream, or an endpoint that cannot be reached, is a UserError at start naming probes.output', async () => {
    const { tracker } = fixture(10, 10);
    const err = await new KinesisOutputProbe(output('no-such-out'), tracker, 'messageId').start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/^probes\.output: stream 'no-such-out' not found in us-east-1 at http:\/\/127\.0\.0\.1:\d+ \(from the scenario\)$/);
    expect((err as UserError).hint).toMatch(/create it .*check probes\.output's kinesis\.stream/);
    const down = await new KinesisOutputProbe({ ...output('x'), endpoint: 'http://127.0.0.1:1' }, tracker, 'messageId').start().catch((e: unknown) => e);
    expect(down).toBeInstanceOf(UserError);
    expect((down as UserError).message).toMatch(/^cannot reach the Kinesis endpoint for probes\.output: stream 'x' .*: refused$/);
    expect((down as UserError).hint).toMatch(/probes\.output's endpoint/);
    expect(() => new KinesisOutputProbe(output('bad name!'), tracker, 'messageId')).toThrow(/^probes\.output: kinesis\.stream "bad name!"/);
  });
});
