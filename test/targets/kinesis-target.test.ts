import type { MessageBody } from '../../src/telemetry/payload.js';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KinesisTarget } from '../../src/targets/kinesis/kinesis-target.js';
import { kinesisKind } from '../../src/targets/kinesis/kind.js';
import { loadShards, ShardMap } from '../../src/targets/kinesis/shard-map.js';
import type { SendSink } from '../../src/targets/target.js';
import type { OutMessage } from '../../src/telemetry/types.js';
import { systemClock } from '../../src/util/clock.js';
import { UserError } from '../../src/util/user-error.js';
import { createActiveStream, kinesisClient, REGION, startKinesalite, type Emulator } from '../support/aws-emulators.js';
import { closedPort } from '../support/http-server.js';
import { startKinesisFaultProxy } from '../support/kinesis-fault-proxy.js';

// The target takes credentials from the SDK's default chain, as it does for a user: here, the environment.
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

let emu: Emulator;
let client: KinesisClient;
beforeAll(async () => {
  emu = await startKinesalite();
  client = kinesisClient(emu.endpoint);
  await createActiveStream(client, 'telemetry', 4);
  await createActiveStream(client, 'wide', 8);
});
afterAll(async () => {
  client.destroy();
  await emu.close();
});

const cfg = (over: Partial<Parameters<typeof kinesisKind.schema.parse>[0]> = {}) => kinesisKind.schema.parse({ stream: 'telemetry', region: REGION, endpoint: emu.endpoint, linger: '20ms', ...over });

function message(i: number, bodyBytes = 200): OutMessage {
  const key = `VIN${String(i % 37).padStart(14, '0')}`;
  return { messageId: `m${i}`, vehicleId: key, vehicleIndex: i % 37, seq: i, kind: 'telemetry', partitionKey: key, body: JSON.stringify({ i, pad: 'x'.repeat(Math.max(0, bodyBytes - 20)) }), fields: { messageId: `m${i}`, vehicleId: key, seq: i, kind: 'telemetry' } as unknown as MessageBody };
}

/** Sends messages through the target and resolves when every one is done. */
async function sendAll(target: KinesisTarget, messages: OutMessage[]) {
  const done = new Map<number, string>();
  const requests: { records: number; outcome: string }[] = [];
  await new Promise<void>((resolve) => {
    const sink: SendSink = {
      written: () => {},
      done: (slot, outcome) => {
        done.set(slot, outcome);
        if (done.size === messages.length) resolve();
      },
      request: (records, _bytes, outcome) => requests.push({ records, outcome }),
    };
    messages.forEach((m, i) => target.send(m, i, '', sink));
    target.flush();
  });
  return { done, requests };
}

async function readStream(stream: string): Promise<number> {
  let n = 0;
  for (const s of await loadShards(client, { StreamName: stream })) {
    const it = await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: s.id, ShardIteratorType: 'TRIM_HORIZON' }));
    const page = await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 10_000 }));
    n += page.Records?.length ?? 0;
  }
  return n;
}

describe('Kinesis target against kinesalite (the real protocol, on loopback)', () => {
  it('maps every partition key to the shard kinesalite reports for it', async () => {
    const map = new ShardMap(await loadShards(client, { StreamName: 'wide' }));
    expect(map.shards).toHaveLength(8);
    const keys = Array.from({ length: 400 }, (_, i) => `key-${i}-${(i * 7919) % 1000}`);
    for (let i = 0; i < keys.length; i += 200) {
      const batch = keys.slice(i, i + 200);
      const out = await client.send(new PutRecordsCommand({ StreamName: 'wide', Records: batch.map((k) => ({ PartitionKey: k, Data: Buffer.from(k) })) }));
      out.Records!.forEach((r, j) => expect(map.shards[map.shardOf(batch[j])].id, batch[j]).toBe(r.ShardId));
    }
    // once per vehicle: the cached answer is the computed one
    expect(map.shardOfVehicle(3, keys[3])).toBe(map.shardOf(keys[3]));
    expect(map.shardOfVehicle(5000, keys[9])).toBe(map.shardOf(keys[9]));
  });

  it('sends PutRecords batches of up to maxRecords; every record lands, and the shard load adds up', async () => {
    const target = new KinesisTarget(cfg({ maxRecords: 500 }));
    await target.open({ clock: systemClock, signal: new AbortController().signal });
    const before = await readStream('telemetry');
    const { done, requests } = await sendAll(target, Array.from({ length: 1200 }, (_, i) => message(i)));
    expect([...done.values()].every((o) => o === '2xx')).toBe(true);
    expect(requests.map((r) => r.records).sort((a, b) => b - a)).toEqual([500, 500, 200]);
    expect((await readStream('telemetry')) - before).toBe(1200);
    const load = target.takeShardLoad();
    expect(load.map((l) => l.id)).toEqual(target.shards.map((s) => s.id));
    expect(load.reduce((a, l) => a + l.records, 0)).toBe(1200);
    expect(load.every((l) => l.throttled === 0)).toBe(true);
    expect(target.takeShardLoad().reduce((a, l) => a + l.records, 0)).toBe(0); // taken: reset
    await target.close();
  });

  it('a partition key from a template: each record goes to the shard of its own key, so the hot-shard view follows the user\'s key', async () => {
    const fleets = ['fleet-a', 'fleet-b'];
    const msgs = Array.from({ length: 300 }, (_, i) => ({ ...message(i), fields: { ...message(i).fields, fleetId: fleets[i % 2] } as unknown as MessageBody }));
    const target = new KinesisTarget(cfg({ partitionKey: 'tenant-1/{{fleetId}}' }));
    await target.open({ clock: systemClock, signal: new AbortController().signal });
    const { done } = await sendAll(target, msgs);
    expect([...done.values()].every((o) => o === '2xx')).toBe(true);
    const map = new ShardMap(await loadShards(client, { StreamName: 'telemetry' }));
    const expected = new Map<string, number>();
    for (const f of fleets) expected.set(map.shards[map.shardOf(`tenant-1/${f}`)].id, (expected.get(map.shards[map.shardOf(`tenant-1/${f}`)].id) ?? 0) + 150);
    const load = target.takeShardLoad().filter((l) => l.records > 0);
    expect(new Map(load.map((l) => [l.id, l.records]))).toEqual(expected);
    await target.close();
  });

  it('a partition key template is checked with the scenario: known fields only, and only fields every message has', () => {
    const problems = (partitionKey: string) => kinesisKind.schema.safeParse({ stream: 's', partitionKey }).error?.issues.map((i) => i.message) ?? [];
    expect(problems('{{fleetId}}-{{kind}}')).toEqual([]);
    expect(problems('{{fleet}}')[0]).toMatch(/unknown field "fleet"/);
    expect(problems('{{tripId}}')[0]).toMatch(/\{\{tripId\}\} is only in trip_start, trip_end messages/);
    expect(problems('x'.repeat(257))[0]).toMatch(/at most 256 characters/);
  });

  it('a message over 1 MiB (data + key) is the outcome record-too-large, never a crash', async () => {
    const target = new KinesisTarget(cfg());
    await target.open({ clock: systemClock, signal: new AbortController().signal });
    const { done } = await sendAll(target, [message(1, 1024 * 1024 + 10), message(2)]);
    expect(done.get(0)).toBe('record-too-large');
    expect(done.get(1)).toBe('2xx');
    await target.close();
  });

  it.each([
    ['a missing stream', () => cfg({ stream: 'nope' }), /stream 'nope' not found in us-east-1 at http:\/\/127\.0\.0\.1:\d+ \(from the scenario\)/, /create it/],
  ])('fails fast before the clock: %s', async (_name, config, message, hint) => {
    const target = new KinesisTarget(config());
    const e = await target.open({ clock: systemClock, signal: new AbortController().signal }).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(message);
    expect((e as UserError).hint).toMatch(hint);
  });

  it('fails fast when the stream is not ACTIVE yet', async () => {
    const slow = await startKinesalite({ createStreamMs: 30_000 });
    const c = kinesisClient(slow.endpoint);
    try {
      await c.send(new CreateStreamCommand({ StreamName: 'young', ShardCount: 1 }));
      const target = new KinesisTarget(cfg({ stream: 'young', endpoint: slow.endpoint }));
      const e = await target.open({ clock: systemClock, signal: new AbortController().signal }).then(() => undefined, (err: unknown) => err);
      expect((e as UserError).message).toBe("stream 'young' is CREATING, not ACTIVE");
      expect((e as UserError).hint).toMatch(/wait until it is ACTIVE/);
    } finally {
      c.destroy();
      await slow.close();
    }
  });

  it.each([
    ['UnrecognizedClientException', 400, /the AWS credentials were rejected or not found for stream 'telemetry'.*UnrecognizedClientException/, /AWS_PROFILE/],
    ['AccessDeniedException', 400, /the AWS credentials were rejected or not found/, /may use this resource/],
  ])('fails fast when the service answers %s', async (type, status, message, hint) => {
    const proxy = await startKinesisFaultProxy(emu.endpoint, { failOperation: (op) => (op === 'DescribeStreamSummary' ? { status, type } : undefined) });
    try {
      const e = await new KinesisTarget(cfg({ endpoint: proxy.endpoint })).open({ clock: systemClock, signal: new AbortController().signal }).then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).message).toMatch(message);
      expect((e as UserError).hint).toMatch(hint);
    } finally {
      await proxy.close();
    }
  });

  it('fails fast without a region', async () => {
    const saved = { r: process.env.AWS_REGION, d: process.env.AWS_DEFAULT_REGION, c: process.env.AWS_CONFIG_FILE, p: process.env.AWS_PROFILE };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
    delete process.env.AWS_PROFILE;
    try {
      const { region: _r, ...noRegion } = cfg();
      const e = await new KinesisTarget(noRegion).open({ clock: systemClock, signal: new AbortController().signal }).then(() => undefined, (err: unknown) => err);
      expect((e as UserError).message).toBe("no AWS region for stream 'telemetry'");
      expect((e as UserError).hint).toMatch(/AWS_REGION/);
    } finally {
      for (const [k, v] of [['AWS_REGION', saved.r], ['AWS_DEFAULT_REGION', saved.d], ['AWS_CONFIG_FILE', saved.c], ['AWS_PROFILE', saved.p]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('fails fast when the endpoint does not answer', async () => {
    const target = new KinesisTarget(cfg({ endpoint: `http://127.0.0.1:${await closedPort()}` }));
    const e = await target.open({ clock: systemClock, signal: new AbortController().signal }).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(/cannot reach the Kinesis endpoint for stream 'telemetry'.*refused/);
  });

  it.each([
    ['kinesis:telemetry', { kind: 'kinesis', stream: 'telemetry', maxRecords: 500, lingerMs: 50, concurrency: 8, retries: 3 }],
    ['kinesis:arn:aws:kinesis:eu-north-1:123456789012:stream/t', { stream: 'arn:aws:kinesis:eu-north-1:123456789012:stream/t' }],
    ['http://x/', undefined],
  ])('--target %s', (flag, expected) => {
    const got = kinesisKind.fromFlag(flag);
    if (expected === undefined) expect(got).toBeUndefined();
    else expect(got).toMatchObject(expected);
  });

  it('a bad stream name is a scenario error, not a crash', () => {
    expect(kinesisKind.schema.safeParse({ stream: 'no spaces allowed' }).success).toBe(false);
  });

  it('throttled records are sent again, only they, up to the retries; what is left fails as ProvisionedThroughputExceeded', async () => {
    // keys hot-*: throttled on every try; flaky-*: only on the first
    const proxy = await startKinesisFaultProxy(emu.endpoint, { throttleRecord: (key, attempt) => key.startsWith('hot-') || (key.startsWith('flaky-') && attempt === 1) });
    try {
      const target = new KinesisTarget(cfg({ endpoint: proxy.endpoint, retries: 2 }));
      await target.open({ clock: systemClock, signal: new AbortController().signal });
      const messages = Array.from({ length: 100 }, (_, i) => ({ ...message(i), vehicleIndex: i, partitionKey: i < 10 ? `hot-${i}` : i < 20 ? `flaky-${i}` : `ok-${i}` }));
      const { done, requests } = await sendAll(target, messages);
      const outcomes = [...done.entries()];
      expect(outcomes.filter(([, o]) => o === '2xx')).toHaveLength(90);
      expect(outcomes.filter(([slot]) => slot < 10).every(([, o]) => o === 'ProvisionedThroughputExceeded')).toBe(true);
      // 100 records, then the 20 throttled ones, then the 10 still throttled: 3 calls, 30 records sent again
      expect(requests.map((r) => r.records)).toEqual([100, 20, 10]);
      expect(requests.map((r) => r.outcome)).toEqual(['ProvisionedThroughputExceeded', 'ProvisionedThroughputExceeded', 'ProvisionedThroughputExceeded']);
      const load = target.takeShardLoad();
      expect(load.reduce((a, l) => a + l.throttled, 0)).toBe(40); // 20 + 10 + 10 throttled answers
      expect(load.reduce((a, l) => a + l.records, 0)).toBe(90);
      await target.close();
    } finally {
      await proxy.close();
    }
  });

  it('a whole call that fails with a 500 InternalFailure is retried whole, then succeeds', async () => {
    const proxy = await startKinesisFaultProxy(emu.endpoint, { failCall: (n) => (n <= 2 ? { status: 500, type: 'InternalFailure' } : undefined) });
    try {
      const target = new KinesisTarget(cfg({ endpoint: proxy.endpoint, retries: 3 }));
      await target.open({ clock: systemClock, signal: new AbortController().signal });
      const { done, requests } = await sendAll(target, Array.from({ length: 50 }, (_, i) => message(i)));
      expect([...done.values()].every((o) => o === '2xx')).toBe(true);
      expect(requests.map((r) => [r.records, r.outcome])).toEqual([[50, 'InternalFailure'], [50, 'InternalFailure'], [50, '2xx']]);
      await target.close();
    } finally {
      await proxy.close();
    }
  });

  it('a whole call throttled with 400 ThrottlingException past the retries fails every record of it by that class', async () => {
    const proxy = await startKinesisFaultProxy(emu.endpoint, { failCall: () => ({ status: 400, type: 'ThrottlingException' }) });
    try {
      const target = new KinesisTarget(cfg({ endpoint: proxy.endpoint, retries: 1 }));
      await target.open({ clock: systemClock, signal: new AbortController().signal });
      const { done, requests } = await sendAll(target, Array.from({ length: 5 }, (_, i) => message(i)));
      expect([...done.values()]).toEqual(Array(5).fill('ThrottlingException'));
      expect(requests).toHaveLength(2);
      await target.close();
    } finally {
      await proxy.close();
    }
  });
});
