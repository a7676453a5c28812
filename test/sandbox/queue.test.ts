import { describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '../../src/sandbox/dead-letter-queue.js';
import { defaultSandboxParams } from '../../src/sandbox/params.js';
import { Queue, type QueueMessage } from '../../src/sandbox/queue.js';

function setup(patch: Partial<ReturnType<typeof defaultSandboxParams>['queue']> = {}) {
  const params = { ...defaultSandboxParams().queue, visibilityTimeout: 100, maxReceiveCount: 3, ...patch };
  const dlq = new DeadLetterQueue(100);
  const q = new Queue(params, dlq, { now: () => 0, toEpochMs: (t) => 1000 + t });
  return { q, dlq };
}

describe('Queue', () => {
  it('hands out visible messages oldest first and deletes them', () => {
    const { q } = setup();
    for (const b of ['a', 'b', 'c']) q.send(b, 1, 0);
    const out: QueueMessage[] = [];
    expect(q.receive(2, 0, out)).toBe(2);
    expect(out.map((m) => m.body)).toEqual(['a', 'b']);
    expect([q.visible, q.inFlight]).toEqual([1, 2]);
    expect(q.delete(out[0], 1)).toBe(true);
    expect(q.delete(out[0], 1)).toBe(false);
    expect([q.visible, q.inFlight, q.deleted, q.bytes]).toEqual([1, 1, 1, 2]);
  });

  it('returns an undeleted message after its visibility timeout, with a new receipt', () => {
    const { q } = setup();
    q.send('a', 1, 0);
    const out: QueueMessage[] = [];
    q.receive(1, 0, out);
    const msg = out[0];
    expect(q.nextExpiryAt()).toBe(100);
    expect(q.expire(99)).toBe(0);
    expect(q.expire(100)).toBe(1);
    expect(msg.visibleSince).toBe(100);
    q.receive(1, 100, out);
    expect(msg.receiveCount).toBe(2);
    expect(q.delete(msg, 1)).toBe(false); // stale receipt
    expect(q.delete(msg, 2)).toBe(true);
  });

  it('moves a message to the DLQ at the receive after maxReceiveCount, so its count is exactly maxReceiveCount', () => {
    const { q, dlq } = setup({ maxReceiveCount: 3 });
    const msg = q.send('{"messageId":"x"}', 17, 0)!;
    msg.messageId = 'x';
    const out: QueueMessage[] = [];
    for (let i = 0; i < 3; i++) {
      expect(q.receive(1, i * 100, out)).toBe(1);
      msg.lastError = `attempt ${i + 1}`;
      q.expire(i * 100 + 100);
    }
    expect(q.receive(1, 300, out)).toBe(0);
    expect(dlq.depth).toBe(1);
    const entry = dlq.read(0, 10).items[0];
    expect(entry).toMatchObject({ queueMessageId: msg.id, messageId: 'x', receiveCount: 3, lastError: 'attempt 3', bodyBytes: 17, enqueuedAt: 1000 });
    expect([q.visible, q.inFlight, q.bytes, q.movedToDlq]).toEqual([0, 0, 0, 1]);
  });

  it('refuses messages past maxMessages or maxBytes', () => {
    const { q } = setup({ maxMessages: 2, maxBytes: 1000 });
    expect(q.send('a', 1, 0)).not.toBeNull();
    expect(q.send('b', 1, 0)).not.toBeNull();
    expect(q.send('c', 1, 0)).toBeNull();
    const { q: q2 } = setup({ maxBytes: 10 });
    expect(q2.send('x', 8, 0)).not.toBeNull();
    expect(q2.send('y', 3, 0)).toBeNull();
    expect(q2.rejectedFull).toBe(1);
  });
});
