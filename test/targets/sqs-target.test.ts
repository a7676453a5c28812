import type { MessageBody } from '../../src/telemetry/payload.js';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { RECORD_TOO_LARGE } from '../../src/targets/batch/batcher.js';
import { attributeBytes } from '../../src/targets/sqs/entries.js';
import { sqsKind } from '../../src/targets/sqs/kind.js';
import type { SqsTargetConfig } from '../../src/targets/sqs/config.js';
import { SqsTarget } from '../../src/targets/sqs/sqs-target.js';
import type { SendSink } from '../../src/targets/target.js';
import type { MessageKind, OutMessage } from '../../src/telemetry/types.js';
import { systemClock } from '../../src/util/clock.js';
import { UserError } from '../../src/util/user-error.js';
import { REGION, sqsClient, startFauxqs, type Emulator } from '../support/aws-emulators.js';
import { TestEnv } from '../support/env.js';
import { startSqsFaultProxy, type SqsFaultProxy } from '../support/sqs-fault-proxy.js';

/** The SDK's configuration comes from the environment: test credentials, no region, no endpoint, no profile or config files. */
const ENV: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_SESSION_TOKEN: undefined, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: undefined,
  AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_SQS: undefined, AWS_CONFIG_FILE: '/nonexistent/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
};
const env = new TestEnv();

const KINDS: MessageKind[] = ['telemetry', 'trip_start', 'harsh_braking'];

/** A message of vehicle `v`, sequence `seq`; its body is padded to `bodyBytes` when given. */
function message(n: number, o: { v?: number; seq?: number; bodyBytes?: number } = {}): OutMessage {
  const v = o.v ?? n % 3;
  const seq = o.seq ?? n + 1;
  const m = { messageId: `m-${n}`, vehicleId: `VIN${v}`, vehicleIndex: v, seq, kind: KINDS[n % KINDS.length], partitionKey: `VIN${v}` };
  let body = JSON.stringify({ schemaVersion: 1, ...m, pad: '' });
  if (o.bodyBytes !== undefined) body = body.replace('"pad":""', `"pad":"${'x'.repeat(o.bodyBytes - body.length)}"`);
  return { ...m, body, fields: { ...m, sentAt: 0 } as unknown as MessageBody };
}

const traceparent = (n: number) => `00-${n.toString(16).padStart(32, '0')}-${n.toString(16).padStart(16, '0')}-01`;

interface Drive {
  done: Map<number, { outcome: string; responded: boolean }>;
  requests: { records: number; bytes: number; outcome: string; retries: number }[];
}

/** Sends `msgs` (slot = index), then waits until every one is done. */
async function drive(target: SqsTarget, msgs: OutMessage[], flush = false): Promise<Drive> {
  const d: Drive = { done: new Map(), requests: [] };
  let resolve!: () => void;
  const all = new Promise<void>((r) => (resolve = r));
  const sink: SendSink = {
    written: () => {},
    done: (slot, outcome, responded) => {
      expect(d.done.has(slot), `slot ${slot} done twice`).toBe(false);
      d.done.set(slot, { outcome, responded });
      if (d.done.size === msgs.length) resolve();
    },
    request: (records, bytes, outcome, retries) => d.requests.push({ records, bytes, outcome, retries }),
  };
  msgs.forEach((m, i) => target.send(m, i, traceparent(i), sink));
  if (flush) target.flush();
  await all;
  return d;
}

const outcomes = (d: Drive) => [...d.done.values()].reduce<Record<string, number>>((acc, x) => ({ ...acc, [x.outcome]: (acc[x.outcome] ?? 0) + 1 }), {});

describe('SqsTarget against fauxqs (SendMessageBatch on loopback)', () => {
  let emu: Emulator;
  let admin: SQSClient;
  let proxy: SqsFaultProxy;
  const opened: SqsTarget[] = [];
  const abort = new AbortController();
  const urls: Record<string, string> = {};

  beforeAll(async () => {
    env.set(ENV);
    emu = await startFauxqs();
    admin = sqsClient(emu.endpoint);
    proxy = await startSqsFaultProxy(emu.endpoint);
    const queues: [string, Record<string, string>][] = [['orders', {}], ['telemetry.fifo', { FifoQueue: 'true' }], ['big', {}], ['small', { MaximumMessageSize: '1024' }], ['flaky', {}]];
    for (const [QueueName, Attributes] of queues) urls[QueueName] = (await admin.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((t) => t.close()));
  });

  afterAll(async () => {
    abort.abort();
    admin?.destroy();
    await proxy?.close();
    await emu?.close();
    env.restore();
  });

  async function open(over: Record<string, unknown>, shapedBodies = false): Promise<SqsTarget> {
    const target = new SqsTarget(sqsKind.schema.parse({ endpoint: emu.endpoint, region: REGION, ...over }));
    await target.open({ clock: systemClock, signal: abort.signal, shapedBodies });
    opened.push(target);
    return target;
  }

  /** Receives and deletes until `count` messages came back (FIFO: one per group until deleted), then checks that no more come. */
  async function receiveAll(QueueUrl: string, count: number): Promise<Message[]> {
    const got: Message[] = [];
    const deadline = Date.now() + 5000;
    for (let after = 0; after < 2 && Date.now() < deadline;) {
      const { Messages = [] } = await admin.send(new ReceiveMessageCommand({
        QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
      }));
      got.push(...Messages);
      if (Messages.length > 0) await admin.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
      else await new Promise((r) => setTimeout(r, 10));
      if (got.length >= count) after++;
    }
    expect(got).toHaveLength(count);
    return got;
  }

  const idOf = (m: Message) => (JSON.parse(m.Body!) as { messageId: string }).messageId;

  it('sends 25 messages as batches of 10, 10 and 5 (the last after its linger), each received with its body and attributes', async () => {
    const target = await open({ queue: 'orders' });
    expect(target.capacity).toBe(10 * 17);
    expect(target.description).toBe('sqs orders (standard, 10 per batch, 16 calls in flight)');
    const msgs = Array.from({ length: 25 }, (_, i) => message(i));
    const d = await drive(target, msgs);
    expect(outcomes(d)).toEqual({ '2xx': 25 });
    expect(d.requests.map((r) => r.records).sort((a, b) => b - a)).toEqual([10, 10, 5]);
    expect(d.requests.every((r) => r.outcome === '2xx' && r.retries === 0)).toBe(true);

    const got = await receiveAll(urls.orders, 25);
    const byId = new Map(got.map((m) => [idOf(m), m]));
    msgs.forEach((m, i) => {
      const r = byId.get(m.messageId)!;
      expect(r.Body).toBe(m.body);
      expect(r.MessageAttributes).toEqual({
        schemaVersion: { DataType: 'Number', StringValue: '1' },
        kind: { DataType: 'String', StringValue: m.kind },
        traceparent: { DataType: 'String', StringValue: traceparent(i) },
      });
    });
  });

  it('FIFO: message group = partition key, deduplication id = message id, in order within each group', async () => {
    const target = await open({ queue: 'telemetry.fifo', concurrency: 1 });
    expect(target.fifo).toBe(true);
    const msgs = Array.from({ length: 18 }, (_, i) => message(i, { v: i % 3, seq: Math.floor(i / 3) + 1 }));
    // the same message again (a producer's duplicate): SQS keeps the first, by its deduplication id
    const d = await drive(target, [...msgs, msgs[4]], true);
    expect(outcomes(d)).toEqual({ '2xx': 19 });
    expect(d.requests.map((r) => r.records)).toEqual([10, 9]);

    const got = await receiveAll(urls['telemetry.fifo'], 18);
    for (const m of got) {
      const sent = msgs.find((x) => x.messageId === idOf(m))!;
      expect(m.Attributes).toMatchObject({ MessageGroupId: sent.partitionKey, MessageDeduplicationId: sent.messageId });
    }
    for (const v of [0, 1, 2]) {
      const seqs = got.filter((m) => m.Attributes!.MessageGroupId === `VIN${v}`).map((m) => (JSON.parse(m.Body!) as { seq: number }).seq);
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('FIFO with groupId from a template: the message group is the rendered key', async () => {
    const target = await open({ queue: 'telemetry.fifo', concurrency: 1, groupId: 'g-{{vehicleId}}-{{kind}}' });
    const msgs = Array.from({ length: 6 }, (_, i) => message(100 + i, { v: i % 2 }));
    const d = await drive(target, msgs, true);
    expect(outcomes(d)).toEqual({ '2xx': 6 });
    const got = await receiveAll(urls['telemetry.fifo'], 6);
    for (const m of got) {
      const sent = msgs.find((x) => x.messageId === idOf(m))!;
      expect(m.Attributes!.MessageGroupId).toBe(`g-${sent.vehicleId}-${sent.kind}`);
    }
  });

  it('bodies in the user\'s shape carry no schemaVersion attribute (they are not schema v1)', async () => {
    const target = await open({ queue: 'telemetry.fifo', concurrency: 1 }, true);
    const msgs = Array.from({ length: 3 }, (_, i) => message(200 + i));
    expect(outcomes(await drive(target, msgs, true))).toEqual({ '2xx': 3 });
    const got = await receiveAll(urls['telemetry.fifo'], 3);
    for (const m of got) expect(Object.keys(m.MessageAttributes ?? {}).sort()).toEqual(['kind', 'traceparent']);
  });

  it('groupId on a standard queue is a scenario error', () => {
    expect(sqsKind.schema.safeParse({ queue: 'orders', groupId: '{{vehicleId}}' }).error?.issues[0]).toMatchObject({ path: ['groupId'], message: expect.stringMatching(/expected a FIFO queue/) });
  });

  it('splits batches by size (body and attributes): ~100 KiB messages go 2 a call; one of 300 KiB ends record-too-large, never sent', async () => {
    const target = await open({ queue: 'big' });
    const msgs = [0, 1, 2, 3, 4, 5].map((i) => message(i, { bodyBytes: i === 2 ? 300 * 1024 : 100 * 1024 }));
    const d = await drive(target, msgs, true);
    expect(d.done.get(2)).toEqual({ outcome: RECORD_TOO_LARGE, responded: false });
    expect(outcomes(d)).toEqual({ '2xx': 5, [RECORD_TOO_LARGE]: 1 });
    expect(d.requests.map((r) => r.records)).toEqual([2, 2, 1]);

    const got = await receiveAll(urls.big, 5);
    expect(got.map(idOf).sort()).toEqual(['m-0', 'm-1', 'm-3', 'm-4', 'm-5']);
    // the bytes counted are what SQS counts: body plus every attribute's name, type and value
    const size = (m: Message) => Buffer.byteLength(m.Body!) + Object.entries(m.MessageAttributes!).reduce((s, [name, a]) => s + attributeBytes(name, a), 0);
    const sizes = new Map(got.map((m) => [idOf(m), size(m)]));
    expect(d.requests.reduce((s, r) => s + r.bytes, 0)).toBe([...sizes.values()].reduce((a, b) => a + b, 0));
    expect(sizes.get('m-0')).toBe(100 * 1024 + 13 + 6 + 1 + 4 + 6 + 'telemetry'.length + 11 + 6 + 55);
  });

  it('a queue\'s own MaximumMessageSize bounds a message: exactly the limit is sent, one byte more is record-too-large', async () => {
    const target = await open({ queue: 'small' });
    const attrs = 13 + 6 + 1 + 4 + 6 + 'telemetry'.length + 11 + 6 + 55;
    const d = await drive(target, [message(0, { bodyBytes: 1024 - attrs }), message(3, { bodyBytes: 1025 - attrs })], true);
    expect(d.done.get(0)!.outcome).toBe('2xx');
    expect(d.done.get(1)!.outcome).toBe(RECORD_TOO_LARGE);
    expect((await receiveAll(urls.small, 1)).map(idOf)).toEqual(['m-0']);
  });

  it('fails fast at open: a missing queue name or URL, an unreachable endpoint, no region', async () => {
    const fails = async (over: Record<string, unknown>) => {
      const err = await new SqsTarget(sqsKind.schema.parse({ endpoint: emu.endpoint, region: REGION, ...over })).open({ clock: systemClock, signal: abort.signal }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      return err as UserError;
    };
    expect((await fails({ queue: 'nope' })).message).toMatch(/^queue 'nope' not found in us-east-1 at http:\/\/127\.0\.0\.1:\d+/);
    const gone = urls.orders.replace(/orders$/, 'gone');
    const e = await fails({ queue: gone });
    expect(e.message).toMatch(/^queue 'gone' not found/);
    expect(e.hint).toMatch(/create it/);

    const port = await closedPort();
    const unreachable = await fails({ queue: 'orders', endpoint: `http://admin:hunter2@127.0.0.1:${port}/?token=t0ken` });
    expect(unreachable.message).toMatch(/^cannot reach the SQS endpoint for queue 'orders'.*: refused$/);
    expect(`${unreachable.message} ${unreachable.hint}`).not.toMatch(/hunter2|t0ken/);

    expect((await fails({ queue: 'orders', region: undefined })).message).toBe('no AWS region for queue \'orders\'');
  });

  it('partial failures: only failed entries are sent again; throttled retried up to `retries`, sender faults never', async () => {
    // m-3 is throttled every time, m-5 once; m-7 is a sender fault
    proxy.calls.length = 0;
    const seen = new Map<string, number>();
    proxy.decide = (keys) => {
      const failed: Record<number, { code: string; senderFault: boolean }> = {};
      keys.forEach((k, i) => {
        const n = (seen.get(k) ?? 0) + 1;
        seen.set(k, n);
        if (k === 'm-3' || (k === 'm-5' && n === 1)) failed[i] = { code: 'ThrottlingException', senderFault: false };
        if (k === 'm-7') failed[i] = { code: 'InvalidParameterValue', senderFault: true };
      });
      return { failed };
    };
    const target = await open({ queue: urls.flaky, endpoint: proxy.endpoint, retries: 2 });
    const d = await drive(target, Array.from({ length: 10 }, (_, i) => message(i)));
    expect(proxy.calls).toEqual([Array.from({ length: 10 }, (_, i) => `m-${i}`), ['m-3', 'm-5'], ['m-3']]);
    expect(outcomes(d)).toEqual({ '2xx': 8, ThrottlingException: 1, InvalidParameterValue: 1 });
    expect(d.done.get(3)).toEqual({ outcome: 'ThrottlingException', responded: true });
    expect(d.done.get(5)!.outcome).toBe('2xx');
    expect(d.requests.map((r) => [r.records, r.outcome, r.retries])).toEqual([[10, 'ThrottlingException', 0], [2, 'ThrottlingException', 2], [1, 'ThrottlingException', 1]]);
    expect(d.requests.reduce((s, r) => s + r.retries, 0)).toBe(3);
    expect((await receiveAll(urls.flaky, 8)).map(idOf).sort()).toEqual(['m-0', 'm-1', 'm-2', 'm-4', 'm-5', 'm-6', 'm-8', 'm-9']);
  });

  it('a whole failed call is classified by its error and retried whole', async () => {
    proxy.calls.length = 0;
    proxy.decide = (_keys, call) => (call === 0 ? { error: { status: 400, type: 'RequestThrottled' } } : call === 1 ? { error: { status: 500, type: 'InternalError' } } : undefined);
    const target = await open({ queue: urls.flaky, endpoint: proxy.endpoint, retries: 2 });
    const d = await drive(target, [message(0), message(1)], true);
    expect(outcomes(d)).toEqual({ '2xx': 2 });
    expect(d.requests.map((r) => [r.records, r.outcome, r.retries])).toEqual([[2, 'RequestThrottled', 0], [2, 'InternalError', 2], [2, '2xx', 2]]);
    await receiveAll(urls.flaky, 2);
  });
});

describe('sqs kind: quick mode, defaults, masking (pure)', () => {
  const defaults = { kind: 'sqs', maxMessages: 10, lingerMs: 50, concurrency: 16, retries: 3 };

  it.each([
    ['sqs:orders', { ...defaults, queue: 'orders' }],
    ['sqs:telemetry.fifo', { ...defaults, queue: 'telemetry.fifo' }],
    ['sqs:https://sqs.eu-west-1.amazonaws.com/123456789012/orders', { ...defaults, queue: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' }],
    ['http://127.0.0.1:8080/ingest', undefined],
    ['kinesis:telemetry', undefined],
    ['sandbox', undefined],
    ['orders', undefined],
  ])('fromFlag(%j)', (text, cfg) => {
    expect(sqsKind.fromFlag(text)).toEqual(cfg);
  });

  it.each(['sqs:', 'sqs:bad name', 'sqs:ftp://host/q', `sqs:${'a'.repeat(81)}`, 'sqs:https://sqs.example/'])('fromFlag(%j) is a UserError', (text) => {
    expect(() => sqsKind.fromFlag(text)).toThrow(UserError);
  });

  it('fills the defaults; every field given is taken; bounds and unknown keys are errors', () => {
    expect(sqsKind.schema.parse({ queue: 'orders' })).toEqual({ ...defaults, queue: 'orders' });
    expect(sqsKind.schema.parse({ queue: 'q.fifo', region: 'eu-north-1', endpoint: 'http://127.0.0.1:4566', profile: 'dev', maxMessages: 1, linger: '0ms', concurrency: 2, retries: 0 }))
      .toEqual({ kind: 'sqs', queue: 'q.fifo', region: 'eu-north-1', endpoint: 'http://127.0.0.1:4566', profile: 'dev', maxMessages: 1, lingerMs: 0, concurrency: 2, retries: 0 });
    for (const bad of [{ maxMessages: 11 }, { maxMessages: 0 }, { concurrency: 0 }, { retries: 21 }, { linger: '2m' }, { linger: 50 }, { endpoint: 'ftp://x' }, { batchSize: 5 }, { queue: `${'a'.repeat(76)}.fifo` }]) {
      expect(sqsKind.schema.safeParse({ queue: 'orders', ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('--connections sets the calls in flight; nothing else of the http overrides applies', () => {
    const cfg = sqsKind.schema.parse({ queue: 'orders' });
    expect(sqsKind.resolve(cfg, { overrides: { connections: 64, pipelining: 4, timeoutMs: 1 } })).toEqual({ ...cfg, concurrency: 64 });
    expect(sqsKind.resolve(cfg, { overrides: {} })).toEqual(cfg);
    expect(sqsKind.timeoutMs(cfg)).toBeGreaterThan(5000);
  });

  it('describe, label, mask and the target\'s description never show a secret of the endpoint or the queue URL', () => {
    const cfg: SqsTargetConfig = sqsKind.schema.parse({
      queue: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo?token=q-s3cret',
      endpoint: 'http://admin:hunter2@127.0.0.1:4566/?token=t0ken',
    });
    const lines = sqsKind.describe(cfg);
    const target = new SqsTarget(cfg);
    const shown = [...lines, sqsKind.label(cfg), JSON.stringify(sqsKind.mask(cfg)), target.description, target.endpoint].join('\n');
    expect(shown).not.toMatch(/hunter2|t0ken|q-s3cret|admin/);
    expect(lines).toEqual([
      'target      sqs https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo?token=*** (FIFO: message group = partition key, deduplication id = message id)',
      'region      from the SDK\'s configuration (AWS_REGION, the profile)',
      'endpoint    http://***:***@127.0.0.1:4566/?token=*** (from the scenario)',
      'batches     SendMessageBatch of up to 10 messages (≤ 256 KiB a message and a call, attributes counted), linger 50ms, 16 calls in flight, 3 retries of a failed message',
    ]);
    expect(target.endpoint).toBe('127.0.0.1:4566');
    expect(target.description).toBe('sqs orders.fifo (FIFO, 10 per batch, 16 calls in flight)');
  });

  it('an endpoint from AWS_ENDPOINT_URL_SQS is shown masked, with its source', () => {
    const before = process.env.AWS_ENDPOINT_URL_SQS;
    process.env.AWS_ENDPOINT_URL_SQS = 'http://u:envsecret@127.0.0.1:9324/?X-Amz-Security-Token=envtok';
    try {
      const lines = sqsKind.describe(sqsKind.schema.parse({ queue: 'orders', region: 'eu-north-1' })).join('\n');
      expect(lines).toContain('region      eu-north-1');
      expect(lines).toContain('(from AWS_ENDPOINT_URL_SQS)');
      expect(lines).not.toMatch(/envsecret|envtok/);
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_SQS;
      else process.env.AWS_ENDPOINT_URL_SQS = before;
    }
  });
});

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
