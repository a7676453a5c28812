import { describe, expect, it } from 'vitest';
import { checkpointAfterFailure, LaneBatch, nextStepAfterFailure, type FailurePolicy } from '../../src/sandbox/stream/lane-batch.js';
import { WriteLimit } from '../../src/sandbox/stream/write-limit.js';

const policy: FailurePolicy = { reportBatchItemFailures: false, bisectOnError: false, maxRetries: 3, maxRecordAge: null };

describe('stream failure decisions', () => {
  it.each([
    ['without reportBatchItemFailures nothing is checkpointed', false, 3, 0],
    ['with it, the records before the failed one are', true, 3, 3],
    ['failing at the first record checkpoints nothing', true, 0, 0],
    ['a failure of the whole invocation (db refused) checkpoints nothing', true, -1, 0],
  ])('%s', (_name, reportBatchItemFailures, failAt, expected) => {
    expect(checkpointAfterFailure({ failAt }, { reportBatchItemFailures })).toBe(expected);
  });

  const facts = { remaining: 4, checkpointed: false, retries: 0, oldestAgeMs: 10 };
  it.each([
    ['retries while retries remain', {}, {}, 'retry'],
    ['gives up once maxRetries retries were made', {}, { retries: 3 }, 'exhausted'],
    ['maxRetries 0: gives up at the first failure', { maxRetries: 0 }, {}, 'exhausted'],
    ['unlimited retries never run out', { maxRetries: null }, { retries: 1e6 }, 'retry'],
    ['bisects a failed batch of two or more (not a retry)', { bisectOnError: true }, { retries: 3 }, 'bisect'],
    ['a single record is not bisected: it retries', { bisectOnError: true }, { remaining: 1 }, 'retry'],
    ['a single record gives up after maxRetries', { bisectOnError: true }, { remaining: 1, retries: 3 }, 'exhausted'],
    ['after a checkpoint the rest is retried, not bisected', { bisectOnError: true, reportBatchItemFailures: true }, { checkpointed: true }, 'retry'],
    ['records maxRecordAge old are given up on', { maxRecordAge: 1000, maxRetries: null }, { oldestAgeMs: 1000 }, 'expired'],
    ['age is checked before bisecting', { maxRecordAge: 1000, bisectOnError: true }, { oldestAgeMs: 5000 }, 'expired'],
    ['younger records retry', { maxRecordAge: 1000 }, { oldestAgeMs: 999 }, 'retry'],
  ])('%s', (_name, p, f, expected) => {
    expect(nextStepAfterFailure({ ...facts, ...f }, { ...policy, ...p })).toBe(expected);
  });
});

describe('LaneBatch', () => {
  it('bisects down to one record, then moves through the halves in order', () => {
    const b = new LaneBatch<string>();
    b.start(['a', 'b', 'c', 'd', 'e']);
    const ranges: string[] = [];
    const step = (outcome: 'ok' | 'bisect'): void => {
      ranges.push(b.range().join(''));
      if (outcome === 'ok') b.resolve(b.hi - b.lo);
      else b.bisect();
    };
    // [abcde] fails → [abc] fails → [ab] ok → [c] ok → [de] ok.
    for (const o of ['bisect', 'bisect', 'ok', 'ok', 'ok'] as const) step(o);
    expect(ranges).toEqual(['abcde', 'abc', 'ab', 'c', 'de']);
    expect(b.active).toBe(false);
  });

  it('a checkpoint keeps the range and its retries; moving to the next range resets them', () => {
    const b = new LaneBatch<number>();
    b.start([1, 2, 3, 4]);
    b.bisect();
    b.retries = 2;
    b.resolve(1);
    expect([b.range(), b.retries, b.unresolved]).toEqual([[2], 2, 3]);
    b.resolve(1);
    expect([b.range(), b.retries, b.unresolved, b.first]).toEqual([[3, 4], 0, 2, 3]);
    b.failed = true;
    b.resolve(5);
    expect([b.active, b.failed, b.unresolved]).toEqual([false, false, 0]);
  });
});

describe('WriteLimit', () => {
  it('admits a second’s worth of records at once (burst), then 1 per ms', () => {
    const w = new WriteLimit(0);
    let n = 0;
    for (let i = 0; i < 1500; i++) if (w.tryTake(0, 10)) n++;
    expect(n).toBe(1000);
    expect([w.tryTake(0.5, 10), w.tryTake(1, 10), w.tryTake(1, 10)]).toEqual([false, true, false]);
  });

  it('limits bytes to 1 MiB a second, taking both kinds of token or neither', () => {
    const w = new WriteLimit(0);
    expect(w.tryTake(0, 1024 * 1024 - 100)).toBe(true);
    expect(w.tryTake(0, 200)).toBe(false);
    expect(w.tryTake(0, 100)).toBe(true);
    expect(w.tryTake(500, 512 * 1024)).toBe(true); // refilled half a second's worth
    expect(w.tryTake(500, 1)).toBe(false);
  });
});
