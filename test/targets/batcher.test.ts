import { describe, expect, it } from 'vitest';
import { Batcher, RECORD_TOO_LARGE, type BatchSettings, type CallResult } from '../../src/targets/batch/batcher.js';
import type { SendSink } from '../../src/targets/target.js';
import { FakeClock } from '../support/fake-clock.js';

const SETTINGS: BatchSettings = { maxRecords: 10, maxBatchBytes: 1000, maxRecordBytes: 200, lingerMs: 50, concurrency: 2, retries: 2, baseBackoffMs: 100, maxBackoffMs: 1000, seed: 7 };

interface Call { records: number[]; at: number }

/** A batcher on a fake clock whose calls take `serviceMs` and answer with `answer(records, callIndex)`. */
function harness(over: Partial<BatchSettings>, answer: (records: number[], call: number) => CallResult, serviceMs = 10) {
  const clock = new FakeClock();
  const abort = new AbortController();
  const calls: Call[] = [];
  const done = new Map<number, { outcome: string; responded: boolean; at: number }>();
  const written = new Map<number, number>();
  const requests: { records: number; bytes: number; outcome: string; retries: number }[] = [];
  const sink: SendSink = {
    written: (slot) => written.set(slot, (written.get(slot) ?? 0) + 1),
    done: (slot, outcome, responded) => {
      expect(done.has(slot), `slot ${slot} done twice`).toBe(false);
      done.set(slot, { outcome, responded, at: clock.now() });
    },
    request: (records, bytes, outcome, retries) => requests.push({ records, bytes, outcome, retries }),
  };
  const b = new Batcher<number>({ ...SETTINGS, ...over }, { clock, signal: abort.signal }, (records) => {
    calls.push({ records, at: clock.now() });
    const n = calls.length - 1;
    return new Promise((resolve) => clock.setTimer(() => resolve(answer(records, n)), serviceMs));
  });
  const add = (slot: number, bytes = 50) => b.add(slot, sink, bytes, slot);
  return { clock, abort, calls, done, written, requests, b, add };
}

const allOk = (records: number[]): CallResult => ({ records: records.map(() => ({ ok: true as const })) });

describe('Batcher: batches within limits, linger, retries (fake clock)', () => {
  it('splits by record count and by bytes, and sends a partial batch after its linger', async () => {
    const h = harness({}, allOk);
    for (let i = 0; i < 25; i++) h.add(i, i < 20 ? 50 : 150);
    await h.clock.runUntilIdle();
    // 10 + 10 by count; the last 5 records of 150 bytes: 1000 bytes hold 6, so one batch, sent after the linger
    expect(h.calls.map((c) => c.records.length)).toEqual([10, 10, 5]);
    expect(h.calls[2].at).toBe(50);
    expect(h.done.size).toBe(25);
    expect([...h.done.values()].every((d) => d.outcome === '2xx' && d.responded)).toBe(true);
    expect(h.requests.map((r) => [r.records, r.bytes])).toEqual([[10, 500], [10, 500], [5, 750]]);
  });

  it('a batch full by bytes goes out before the record that would overflow it', async () => {
    const h = harness({}, allOk);
    for (let i = 0; i < 7; i++) h.add(i, 180);
    h.b.flush();
    await h.clock.runUntilIdle();
    expect(h.calls.map((c) => c.records)).toEqual([[0, 1, 2, 3, 4], [5, 6]]);
  });

  it('a message over the record limit ends as record-too-large, never sent', async () => {
    const h = harness({}, allOk);
    h.add(1, 201);
    h.add(2, 200);
    h.b.flush();
    await h.clock.runUntilIdle();
    expect(h.done.get(1)).toMatchObject({ outcome: RECORD_TOO_LARGE, responded: false });
    expect(h.calls.map((c) => c.records)).toEqual([[2]]);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const h = harness({ concurrency: 2 }, allOk, 100);
    for (let i = 0; i < 40; i++) h.add(i);
    await h.clock.runUntilIdle();
    expect(h.calls.map((c) => c.at)).toEqual([0, 0, 100, 100]);
    expect(h.b.capacity).toBe(30);
  });

  it('sends only the failed records again, with backoff, and fails them after the last retry', async () => {
    // records 3 and 7 are throttled on every try; 5 only on the first
    const h = harness({ retries: 2 }, (records, call) => ({
      records: records.map((r) => (r === 3 || r === 7 || (r === 5 && call === 0) ? { ok: false as const, outcome: 'ProvisionedThroughputExceeded', retryable: true } : { ok: true as const })),
    }));
    for (let i = 0; i < 10; i++) h.add(i);
    await h.clock.runUntilIdle();
    expect(h.calls.map((c) => c.records)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 5, 7], [3, 7]]);
    expect(h.calls[1].at).toBeGreaterThanOrEqual(10);
    expect(h.calls[1].at).toBeLessThanOrEqual(10 + 100);
    expect(h.done.get(5)!.outcome).toBe('2xx');
    expect(h.done.get(3)).toMatchObject({ outcome: 'ProvisionedThroughputExceeded', responded: true });
    expect([...h.done.values()].filter((d) => d.outcome === '2xx')).toHaveLength(8);
    expect(h.written.get(3)).toBe(3);
    expect(h.requests.map((r) => [r.records, r.outcome, r.retries])).toEqual([[10, 'ProvisionedThroughputExceeded', 0], [3, 'ProvisionedThroughputExceeded', 3], [2, 'ProvisionedThroughputExceeded', 2]]);
  });

  it('a non-retryable record failure ends at once', async () => {
    const h = harness({}, (records) => ({ records: records.map((r) => (r === 1 ? { ok: false as const, outcome: 'InvalidParameter', retryable: false } : { ok: true as const })) }));
    h.add(0);
    h.add(1);
    h.b.flush();
    await h.clock.runUntilIdle();
    expect(h.calls).toHaveLength(1);
    expect(h.done.get(1)!.outcome).toBe('InvalidParameter');
  });

  it('a whole call that fails is retried whole; a connection failure counts as not answered', async () => {
    const h = harness({ retries: 1 }, () => ({ failed: { outcome: 'refused', retryable: true, responded: false } }));
    h.add(0);
    h.add(1);
    h.b.flush();
    await h.clock.runUntilIdle();
    expect(h.calls.map((c) => c.records)).toEqual([[0, 1], [0, 1]]);
    expect(h.done.get(0)).toMatchObject({ outcome: 'refused', responded: false });
  });

  it('a stop abandons records waiting for a retry: they end with their last failure at once', async () => {
    const h = harness({ retries: 5, baseBackoffMs: 10_000, maxBackoffMs: 10_000 }, (records) => ({ records: records.map(() => ({ ok: false as const, outcome: 'InternalFailure', retryable: true })) }));
    h.add(0);
    h.b.flush();
    h.clock.setTimer(() => h.abort.abort(), 20);
    await h.clock.runUntilIdle();
    expect(h.done.get(0)).toMatchObject({ outcome: 'InternalFailure' });
    expect(h.done.get(0)!.at).toBeLessThan(100);
  });

  it('the same seed draws the same backoffs', async () => {
    const failFirst = (records: number[], call: number): CallResult => ({ records: records.map(() => (call === 0 ? { ok: false as const, outcome: 'x', retryable: true } : { ok: true as const })) });
    const times = async () => {
      const h = harness({}, failFirst);
      h.add(0);
      h.b.flush();
      await h.clock.runUntilIdle();
      return h.calls.map((c) => c.at);
    };
    expect(await times()).toEqual(await times());
  });
});
