import { describe, expect, it } from 'vitest';
import type { DlqEntry } from '../../src/sandbox/dead-letter-queue.js';
import type { OutputEntry } from '../../src/sandbox/output-log.js';
import type { SandboxParamsInput } from '../../src/sandbox/params.js';
import { message, post, readAll, start, waitForStats } from './helpers.js';

const fast = { ingest: { initTime: '10ms', workTime: '1ms' }, queue: { visibilityTimeout: '200ms', maxReceiveCount: 3 } };

describe('sandbox: poison messages, retries and the DLQ', () => {
  it('moves an invalid message to the DLQ after exactly maxReceiveCount attempts; valid ones are processed', async () => {
    const sb = await start({ ...fast, processor: { initTime: '50ms' } });
    try {
      for (const body of [message('ok-1'), message('bad-1', { schemaVersion: 2 }), message('ok-2')]) expect((await post(sb, body)).status).toBe(202);
      const s = await waitForStats(sb, (x) => x.dlq.depth === 1 && x.queue.deleted === 2);
      expect(s.processor).toMatchObject({ failedInvalid: 3, processed: 2 });
      expect(s.queue).toMatchObject({ depth: 0, inFlight: 0 });
      const [entry, ...rest] = await readAll<DlqEntry>(sb, '/dlq');
      expect(rest).toEqual([]);
      expect(entry).toMatchObject({ messageId: 'bad-1', receiveCount: 3, lastError: 'unsupported schemaVersion 2', bodyTruncated: false });
      expect(JSON.parse(entry.body)).toMatchObject({ messageId: 'bad-1', schemaVersion: 2 });
      expect(entry.movedAt).toBeGreaterThanOrEqual(entry.enqueuedAt);
      expect((await readAll<OutputEntry>(sb, '/output')).map((e) => e.messageId).sort()).toEqual(['ok-1', 'ok-2']);
    } finally {
      await sb.stop();
    }
  });

  it('keeps the traceparent a message came with in its DLQ entry, so a body whose id is destroyed is still named', async () => {
    const sb = await start(fast);
    const tp = '00-0123456789abcdef000000000000002a-000000000000002a-01';
    try {
      expect((await post(sb, '{"messageId": "lost-1", ', { traceparent: tp })).status).toBe(202);
      expect((await post(sb, message('bad-2', { schemaVersion: 2 }))).status).toBe(202);
      await waitForStats(sb, (x) => x.dlq.depth === 2);
      const entries = await readAll<DlqEntry>(sb, '/dlq');
      expect(entries.find((e) => e.body.startsWith('{"messageId": "lost-1"'))).toMatchObject({ messageId: null, traceparent: tp });
      expect(entries.find((e) => e.messageId === 'bad-2')).not.toHaveProperty('traceparent');
    } finally {
      await sb.stop();
    }
  });

  /** Four valid messages, then a poison one, all in one batch of 5 (a long window fills it). */
  async function poisonedBatch(processor: SandboxParamsInput['processor']) {
    const sb = await start({ ...fast, processor: { batchSize: 5, batchWindow: '2s', initTime: '50ms', reservedConcurrency: 1, ...processor } });
    try {
      for (const body of [...['a', 'b', 'c', 'd'].map((id) => message(id)), message('poison', { seq: -1 })]) expect((await post(sb, body)).status).toBe(202);
      const s = await waitForStats(sb, (x) => x.queue.deleted + x.dlq.depth === 5 && x.queue.inFlight === 0);
      return { s, out: await readAll<OutputEntry>(sb, '/output'), dlq: await readAll<DlqEntry>(sb, '/dlq') };
    } finally {
      await sb.stop();
    }
  }

  it('without idempotency, a failed batch writes its good messages again: duplicates at the output', async () => {
    const { s, out, dlq } = await poisonedBatch({});
    // Each of the 3 attempts wrote a, b, c, d before failing on the poison message.
    expect(s.processor).toMatchObject({ invocations: 3, failedInvalid: 3, processed: 4, duplicates: 8 });
    expect(out).toHaveLength(12);
    expect(new Set(out.map((e) => e.messageId)).size).toBe(4); // 12 writes of 4 messages: 8 duplicates
    expect(out.filter((e) => e.messageId === 'a').map((e) => e.receiveCount)).toEqual([1, 2, 3]);
    // The whole batch kept failing, so the good messages followed the poison one into the DLQ.
    expect(dlq.map((e) => [e.messageId, e.receiveCount])).toEqual([['a', 3], ['b', 3], ['c', 3], ['d', 3], ['poison', 3]]);
    expect(dlq.find((e) => e.messageId === 'poison')!.lastError).toBe('invalid: seq must be a positive integer');
    expect(dlq.find((e) => e.messageId === 'a')!.lastError).toMatch(/^batch failed: /);
  });

  it('with idempotent: true, the retried batch writes nothing twice', async () => {
    const { s, out } = await poisonedBatch({ idempotent: true });
    expect(s.processor).toMatchObject({ processed: 4, duplicates: 0, idempotentSkips: 8 });
    expect(out.map((e) => e.messageId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('with reportBatchItemFailures, only the poison message is retried and dead-lettered', async () => {
    const { s, out, dlq } = await poisonedBatch({ reportBatchItemFailures: true });
    expect(s.processor).toMatchObject({ processed: 4, duplicates: 0 });
    expect(s.queue.deleted).toBe(4);
    expect(out).toHaveLength(4);
    expect(dlq.map((e) => [e.messageId, e.receiveCount])).toEqual([['poison', 3]]);
  });
});
