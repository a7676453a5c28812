import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, QueueDoesNotExist, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient,
  type MessageAttributeValue, type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { md5OfMessageAttributes } from '../../src/sandbox/aws/sqs-messages.js';
import type { DlqEntry } from '../../src/sandbox/dead-letter-queue.js';
import type { OutputEntry } from '../../src/sandbox/output-log.js';
import type { SandboxParamsInput } from '../../src/sandbox/params.js';
import type { SandboxHandle } from '../../src/sandbox/spawn-sandbox.js';
import { openProbeQueue } from '../../src/probes/sqs-queue-probe.js';
import { silenceNodeVersionWarning } from '../../src/targets/aws/client-config.js';
import { awsOpenError } from '../../src/targets/aws/open-errors.js';
import { sqsKind } from '../../src/targets/sqs/kind.js';
import { SqsTarget } from '../../src/targets/sqs/sqs-target.js';
import type { SendSink } from '../../src/targets/target.js';
import type { MessageBody } from '../../src/telemetry/payload.js';
import type { OutMessage } from '../../src/telemetry/types.js';
import { systemClock } from '../../src/util/clock.js';
import { TestEnv } from '../support/env.js';
import { message, post, readAll, start, waitForStats } from './helpers.js';

/**
 * The sqs front door driven by the real AWS SDK v3 client, with its default MD5 checks of the
 * bodies in SendMessage(Batch) answers on (md5 is not turned off), and by rushhour's own
 * SqsTarget and DLQ probe.
 */

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const fast = { queue: { visibilityTimeout: '200ms' }, processor: { initTime: '20ms' } } satisfies SandboxParamsInput;

silenceNodeVersionWarning();

function clientOf(sb: SandboxHandle): SQSClient {
  return new SQSClient({ endpoint: sb.baseUrl, region: REGION, credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' }, maxAttempts: 1 });
}

/** Runs `body` with a sandbox of `params` and an SDK client for it; stops both after. */
async function withDoor<T>(params: SandboxParamsInput, body: (sqs: SQSClient, sb: SandboxHandle) => Promise<T>): Promise<T> {
  const sb = await start(params);
  const sqs = clientOf(sb);
  try {
    return await body(sqs, sb);
  } finally {
    sqs.destroy();
    await sb.stop();
  }
}

/** The attributes rushhour's SqsTarget puts on a message, plus a binary one. */
const ATTRIBUTES: Record<string, MessageAttributeValue> = {
  schemaVersion: { DataType: 'Number', StringValue: '1' },
  kind: { DataType: 'String', StringValue: 'telemetry' },
  trace: { DataType: 'Binary', BinaryValue: Uint8Array.from([0, 1, 2, 250]) },
};

const entries = (ids: string[], patch: (id: string) => Partial<SendMessageBatchRequestEntry> = () => ({})): SendMessageBatchRequestEntry[] =>
  ids.map((id, i) => ({ Id: `e${i}`, MessageBody: message(id), ...patch(id) }));

const attributesOf = async (sqs: SQSClient, QueueUrl: string) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};

describe('sandbox sqs door: MD5OfMessageAttributes', () => {
  it('matches SQS\'s algorithm on published vectors (AWS docs example, localstack, sqslite)', () => {
    expect(md5OfMessageAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
    expect(md5OfMessageAttributes({ timestamp: { DataType: 'Number', StringValue: '1493147359900' } })).toBe('235c5c510d26fb653d073faed50ae77c');
    expect(md5OfMessageAttributes({ ordinal: { DataType: 'Number', StringValue: '1' }, category: { DataType: 'String', StringValue: 'test' } }))
      .toBe('d21ae90c49061e927f57df5f5d72be1f');
  });
});

describe('sandbox sqs door: queues and attributes', () => {
  it('answers GetQueueUrl, ListQueues and GetQueueAttributes for the queue and its DLQ', async () => {
    await withDoor({ ...fast, ingest: 'sqs', queue: { name: 'orders', visibilityTimeout: '1500ms', maxReceiveCount: 4 } }, async (sqs, sb) => {
      const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl;
      expect(url).toBe(`${sb.baseUrl}/${ACCOUNT}/orders`);
      expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders-dlq', QueueOwnerAWSAccountId: ACCOUNT }))).QueueUrl).toBe(`${sb.baseUrl}/${ACCOUNT}/orders-dlq`);
      expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual([url, `${url}-dlq`]);
      expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'orders-' }))).QueueUrls).toEqual([`${url}-dlq`]);

      const main = await attributesOf(sqs, url!);
      expect(main).toMatchObject({
        QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`, ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0',
        ApproximateNumberOfMessagesDelayed: '0', MaximumMessageSize: '262144', VisibilityTimeout: '2', DelaySeconds: '0',
      });
      expect(JSON.parse(main.RedrivePolicy!)).toEqual({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq`, maxReceiveCount: 4 });
      // Any host, or the bare name, names the queue; only the attributes asked for come back.
      const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders-dlq`, AttributeNames: ['ApproximateNumberOfMessages', 'QueueArn'] }));
      expect(dlq.Attributes).toEqual({ ApproximateNumberOfMessages: '0', QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq` });
      expect((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: 'orders', AttributeNames: ['MaximumMessageSize'] }))).Attributes).toEqual({ MaximumMessageSize: '262144' });
      await expect(sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Depth' as 'All'] }))).rejects.toMatchObject({ name: 'InvalidAttributeName' });
    });
  });

  it('an unknown queue is QueueDoesNotExist, which rushhour\'s open errors call not found', async () => {
    await withDoor({ ingest: 'sqs' }, async (sqs, sb) => {
      const err = await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' })).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(QueueDoesNotExist);
      expect(err).toMatchObject({ name: 'QueueDoesNotExist', $metadata: { httpStatusCode: 400 } });
      expect((err as Error).message).toContain('telemetry and telemetry-dlq');
      const opened = awsOpenError(err, { service: 'sqs', settings: { endpoint: sb.baseUrl, region: REGION }, what: 'queue \'orders\'', notFoundFix: 'create it' });
      expect(opened.message).toMatch(/^queue 'orders' not found in us-east-1 at /);
      for (const QueueUrl of [`${sb.baseUrl}/${ACCOUNT}/orders`, `${sb.baseUrl}/123456789012/telemetry`]) {
        await expect(sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).rejects.toBeInstanceOf(QueueDoesNotExist);
        await expect(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(['x']) }))).rejects.toBeInstanceOf(QueueDoesNotExist);
      }
      await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'telemetry', QueueOwnerAWSAccountId: '123456789012' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    });
  });
});

describe('sandbox sqs door: sending', () => {
  it('SendMessageBatch and SendMessage put exactly those messages through the processor to the output', async () => {
    await withDoor({ ...fast, ingest: 'sqs', processor: { ...fast.processor, batchSize: 10 } }, async (sqs, sb) => {
      const QueueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'telemetry' }))).QueueUrl!;
      const ids = Array.from({ length: 10 }, (_, i) => `m-${i}`);
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(ids, () => ({ MessageAttributes: ATTRIBUTES })) }));
      expect(out.Failed ?? []).toEqual([]);
      expect(out.Successful!.map((s) => s.Id)).toEqual(ids.map((_, i) => `e${i}`));
      const attributesMd5 = md5OfMessageAttributes({ ...ATTRIBUTES, trace: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 250]).toString('base64') } });
      for (const s of out.Successful!) {
        expect(s.MessageId).toMatch(/^[0-9a-f]{8}-0000-4000-8000-\d{12}$/);
        expect(s.MD5OfMessageAttributes).toBe(attributesMd5);
      }
      const one = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: message('single') }));
      expect(one.MD5OfMessageAttributes).toBeUndefined();
      expect(new Set([...out.Successful!.map((s) => s.MessageId), one.MessageId]).size).toBe(11);

      const s = await waitForStats(sb, (x) => x.processor.processed === 11 && x.queue.deleted === 11);
      expect(s).toMatchObject({ door: 'sqs', queue: { enqueued: 11, depth: 0, inFlight: 0 }, dlq: { depth: 0 }, processor: { duplicates: 0 } });
      expect(s.ingest.received).toBe(0);
      expect((await readAll<OutputEntry>(sb, '/output')).map((e) => e.messageId).sort()).toEqual([...ids, 'single'].sort());
      expect(await attributesOf(sqs, QueueUrl)).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    });
  });

  /** Nine valid messages and a poison one last, in one SendMessageBatch: one batch of 10 for the processor. */
  async function poisonedBatch(processor: SandboxParamsInput['processor']) {
    const params: SandboxParamsInput = {
      ingest: 'sqs', queue: { maxReceiveCount: 2, visibilityTimeout: '200ms' },
      processor: { batchSize: 10, batchWindow: '50ms', initTime: '20ms', reservedConcurrency: 1, ...processor },
    };
    return withDoor(params, async (sqs, sb) => {
      const QueueUrl = `${sb.baseUrl}/${ACCOUNT}/telemetry`;
      const good = Array.from({ length: 9 }, (_, i) => `ok-${i}`);
      const Entries = [...entries(good), { Id: 'poison', MessageBody: message('poison', { schemaVersion: 2 }) }];
      expect((await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }))).Successful).toHaveLength(10);
      const s = await waitForStats(sb, (x) => x.queue.deleted + x.dlq.depth === 10 && x.queue.inFlight === 0 && x.queue.depth === 0);
      const dlqDepth = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${QueueUrl}-dlq`, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes;
      return { s, dlqDepth, out: await readAll<OutputEntry>(sb, '/output'), dlq: await readAll<DlqEntry>(sb, '/dlq'), good };
    });
  }

  it('a poison message in a batch: whole-batch redelivery writes the good ones again, and the batch ends in the DLQ', async () => {
    const { s, dlqDepth, out, dlq, good } = await poisonedBatch({});
    // maxReceiveCount 2: two invocations, each writing the nine good messages before failing on the poison one.
    expect(s.processor).toMatchObject({ invocations: 2, failedInvalid: 2, processed: 9, duplicates: 9 });
    expect(out).toHaveLength(18);
    // The whole batch kept failing, so its good messages followed the poison one into the DLQ (as SQS + Lambda do).
    expect(dlqDepth).toEqual({ ApproximateNumberOfMessages: '10' });
    expect(dlq.map((e) => e.messageId).sort()).toEqual([...good, 'poison'].sort());
    expect(dlq.find((e) => e.messageId === 'poison')).toMatchObject({ receiveCount: 2, lastError: 'unsupported schemaVersion 2' });
  });

  it('with reportBatchItemFailures only the poison message is retried: it alone ends in the DLQ, nothing is written twice', async () => {
    const { s, dlqDepth, out, dlq, good } = await poisonedBatch({ reportBatchItemFailures: true });
    expect(s.processor).toMatchObject({ processed: 9, duplicates: 0 });
    expect(out.map((e) => e.messageId).sort()).toEqual(good.sort());
    expect(dlqDepth).toEqual({ ApproximateNumberOfMessages: '1' });
    expect(dlq.map((e) => [e.messageId, e.receiveCount])).toEqual([['poison', 2]]);
  });

  it('refuses bad batches whole with SQS\'s error types', async () => {
    await withDoor({ ingest: 'sqs' }, async (sqs, sb) => {
      const QueueUrl = `${sb.baseUrl}/${ACCOUNT}/telemetry`;
      const refused = (Entries: SendMessageBatchRequestEntry[]) => sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries })).then(() => undefined, (e: unknown) => e);
      expect(await refused([])).toMatchObject({ name: 'EmptyBatchRequest', $metadata: { httpStatusCode: 400 } });
      expect(await refused(entries(Array.from({ length: 11 }, (_, i) => `m${i}`)))).toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
      expect(await refused(entries(['a', 'b'], () => ({ Id: 'same' })))).toMatchObject({ name: 'BatchEntryIdsNotDistinct' });
      expect(await refused(entries(['a'], () => ({ Id: 'not ok!' })))).toMatchObject({ name: 'InvalidBatchEntryId' });
      // Each message is within MaximumMessageSize (256 KiB); together they are over the call's 256 KiB.
      const big = (id: string) => message(id, { pad: 'x'.repeat(140_000) });
      expect(await refused(entries(['a', 'b'], (id) => ({ MessageBody: big(id) })))).toMatchObject({ name: 'BatchRequestTooLong' });
      expect(await sqs.send(new ReceiveMessageCommand({ QueueUrl })).then(() => undefined, (e: unknown) => e)).toMatchObject({
        name: 'UnknownOperationException', message: expect.stringContaining('GET /output') as unknown,
      });
      const toDlq = await sqs.send(new SendMessageCommand({ QueueUrl: `${QueueUrl}-dlq`, MessageBody: message('x') })).then(() => undefined, (e: unknown) => e);
      expect(toDlq).toMatchObject({ name: 'UnsupportedOperation', message: expect.stringContaining('dead-letter queue') as unknown });
      expect((await waitForStats(sb, () => true)).queue.enqueued).toBe(0);
    });
  });

  it('fails entries on their own: invalid ones as the sender\'s fault, a full queue as retryable ServiceUnavailable', async () => {
    await withDoor({ ingest: { door: 'sqs', maxBodySize: '1KiB' }, queue: { maxMessages: 2 }, processor: { initTime: '2s' } }, async (sqs, sb) => {
      const QueueUrl = `${sb.baseUrl}/${ACCOUNT}/telemetry`;
      const Entries: SendMessageBatchRequestEntry[] = [
        { Id: 'ok1', MessageBody: message('ok1') },
        { Id: 'empty', MessageBody: '' },
        { Id: 'large', MessageBody: message('large', { pad: 'x'.repeat(900) }), MessageAttributes: ATTRIBUTES },
        { Id: 'delayed', MessageBody: message('delayed'), DelaySeconds: 5 },
        { Id: 'ok2', MessageBody: message('ok2') },
        { Id: 'full', MessageBody: message('full') },
      ];
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
      expect(out.Successful!.map((s) => s.Id)).toEqual(['ok1', 'ok2']);
      const failed = Object.fromEntries(out.Failed!.map((f) => [f.Id, [f.Code, f.SenderFault]]));
      expect(failed).toEqual({ empty: ['InvalidParameterValue', true], large: ['InvalidParameterValue', true], delayed: ['InvalidParameterValue', true], full: ['ServiceUnavailable', false] });
      expect(out.Failed!.find((f) => f.Id === 'large')!.Message).toMatch(/shorter than 1024 bytes/);
      const single = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: message('full') })).then(() => undefined, (e: unknown) => e);
      expect(single).toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
      expect(await attributesOf(sqs, QueueUrl)).toMatchObject({ MaximumMessageSize: '1024' });
    });
  });
});

describe('sandbox sqs door at the other doors', () => {
  it('at the http door the queue takes no sends, but its and the DLQ\'s attributes answer (a DLQ probe)', async () => {
    await withDoor({ ...fast, queue: { maxReceiveCount: 1, visibilityTimeout: '200ms' } }, async (sqs, sb) => {
      const QueueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'telemetry' }))).QueueUrl!;
      const err = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(['a']) })).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ name: 'UnsupportedOperation', $metadata: { httpStatusCode: 400 } });
      expect((err as Error).message).toContain('front door is http (sandbox.ingest)');
      expect((err as Error).message).toContain('sandbox.ingest: sqs');
      await expect(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: message('a') }))).rejects.toMatchObject({ name: 'UnsupportedOperation' });

      expect((await post(sb, message('poison', { seq: 0 }))).status).toBe(202);
      await waitForStats(sb, (x) => x.dlq.depth === 1);
      expect(await attributesOf(sqs, `${QueueUrl}-dlq`)).toMatchObject({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '0' });
      expect((await waitForStats(sb, () => true)).queue.enqueued).toBe(1);
    });
  });
});

describe('rushhour\'s SqsTarget and DLQ probe against the sqs door', () => {
  const env = new TestEnv();
  const abort = new AbortController();
  let sb: SandboxHandle;

  beforeAll(async () => {
    // The target and probe take credentials from the SDK's chain: the environment, no profile or files.
    env.set({
      AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox', AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_REGION: undefined,
      AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_SQS: undefined, AWS_CONFIG_FILE: '/nonexistent/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    });
    sb = await start({ ...fast, ingest: 'sqs', processor: { ...fast.processor, batchSize: 10 } });
  });

  afterAll(async () => {
    abort.abort();
    await sb?.stop();
    env.restore();
  });

  it('opens (GetQueueUrl + GetQueueAttributes), sends with SendMessageBatch, and every message reaches the output', async () => {
    const target = new SqsTarget(sqsKind.schema.parse({ queue: 'telemetry', endpoint: sb.baseUrl, region: REGION, maxMessages: 10, linger: '5ms' }));
    await target.open({ clock: systemClock, signal: abort.signal });
    try {
      expect(target.url).toBe(`${sb.baseUrl}/${ACCOUNT}/telemetry`);
      const msgs = Array.from({ length: 25 }, (_, i) => outMessage(i));
      const outcomes = await drive(target, msgs);
      expect(outcomes).toEqual({ '2xx': 25 });
    } finally {
      await target.close();
    }
    await waitForStats(sb, (x) => x.processor.processed === 25);
    expect((await readAll<OutputEntry>(sb, '/output', 100)).map((e) => e.messageId).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `t-${i}`).sort());
  });

  it('the target\'s open names a missing queue; the DLQ probe opens the DLQ', async () => {
    const missing = new SqsTarget(sqsKind.schema.parse({ queue: 'orders', endpoint: sb.baseUrl, region: REGION }));
    await expect(missing.open({ clock: systemClock, signal: abort.signal })).rejects.toThrow(/queue 'orders' not found/);
    const q = await openProbeQueue({ kind: 'sqs', queue: 'telemetry-dlq', endpoint: sb.baseUrl, region: REGION }, 'probes.dlq', 1);
    try {
      expect(q.url).toBe(`${sb.baseUrl}/${ACCOUNT}/telemetry-dlq`);
    } finally {
      q.client.destroy();
    }
  });
});

/** A fleet message whose body is a valid telemetry v1 message. */
function outMessage(n: number): OutMessage {
  const messageId = `t-${n}`;
  const body = message(messageId, { seq: n + 1 });
  return { messageId, vehicleId: 'VIN-TEST-1', vehicleIndex: 0, seq: n + 1, kind: 'telemetry', partitionKey: 'VIN-TEST-1', body, fields: JSON.parse(body) as MessageBody };
}

/** Sends `msgs` through the target (slot = index), flushes, and resolves with the count of each outcome once every one is done. */
function drive(target: SqsTarget, msgs: OutMessage[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let done = 0;
  return new Promise((resolve) => {
    const sink: SendSink = {
      written: () => {},
      done: (_slot, outcome) => {
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        if (++done === msgs.length) resolve(counts);
      },
      request: () => {},
    };
    msgs.forEach((m, i) => target.send(m, i, `00-${i.toString(16).padStart(32, '0')}-${'1'.padStart(16, '0')}-01`, sink));
    target.flush();
  });
}
