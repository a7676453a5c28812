import { describe, expect, it } from 'vitest';
import { backoffMs, retryableClasses } from '../../src/faults/retry-storm.js';
import { SendPath } from '../../src/faults/send-path.js';
import { systemClock } from '../../src/util/clock.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeBatchTarget } from '../support/fake-target.js';
import { httpRig } from './send-http-support.js';
import { EngineSide, message, rig, startedFault } from './send-path-support.js';

describe('retry-storm: backoff and the classes retried (pure)', () => {
  it.each([
    ['none', false, 1, 0],
    ['none', false, 7, 0],
    ['exponential', false, 1, 100],
    ['exponential', false, 2, 200],
    ['exponential', false, 4, 800],
    ['exponential', false, 10, 5000], // capped
    ['exponential', true, 3, 200], // the draw: half of 400
  ] as const)('%s, jitter %s: retry %i waits %i ms', (backoff, jitter, k, ms) => {
    expect(backoffMs({ backoff, baseMs: 100, capMs: 5000, jitter }, k, (max) => max / 2)).toBe(ms);
  });

  it('throttled means 429 and the batching targets\' throttling classes; 5xx the HTTP class and AWS service failures', () => {
    const t = retryableClasses(['throttled']);
    for (const c of ['429', 'ProvisionedThroughputExceeded', 'ThrottlingException', 'RequestThrottled']) expect(t.has(c)).toBe(true);
    expect(t.has('5xx')).toBe(false);
    const f = retryableClasses(['5xx', 'timeout']);
    for (const c of ['5xx', 'InternalFailure', 'ServiceUnavailable', 'timeout']) expect(f.has(c)).toBe(true);
    expect(f.has('429')).toBe(false);
    expect(f.has('400')).toBe(false);
  });
});

describe('retry-storm on the send path (fake target, fake clock)', () => {
  it('an outcome retried is not reported: the engine gets one done per message, the last attempt\'s; exhausted and hidden failures are counted', async () => {
    const clock = new FakeClock();
    // m0..m3: ok on the 3rd try; m4, m5: 429 every time; m6: a 400, not retried
    const { inner, path, engine } = rig(clock, 8, 5, (m, nth) => (m.messageId === 'm6' ? '400' : ['m4', 'm5'].includes(m.messageId) || nth < 3 ? '429' : '2xx'));
    const f = startedFault({ kind: 'retry-storm', attempts: 3, backoff: 'exponential', base: '10ms', cap: '1s' }, clock, path);
    for (let n = 0; n < 7; n++) engine.send(message(n));
    await clock.runUntilIdle();
    expect([0, 1, 2, 3, 4, 5, 6].map((slot) => engine.done.get(slot)?.outcome)).toEqual(['2xx', '2xx', '2xx', '2xx', '429', '429', '400']);
    expect(engine.done.get(0)!.atMs).toBe(5 + 10 + 5 + 20 + 5); // every attempt and backoff is in the engine's latency
    expect(inner.sendsOf('m0')).toBe(3);
    expect(inner.sendsOf('m6')).toBe(1);
    const e = f.effect();
    expect(e.messages).toBe(6);
    expect(e.examples).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(e.details).toMatchObject({
      firstSends: 7, retries: 12, attemptsPerMessage: 2.714, byAttempts: { 1: 1, 3: 6 }, okFirstTry: 0, okAfterRetries: 4, hiddenFailures: 8,
      hiddenBy: { 429: 8 }, exhausted: 2, notRetryable: 1, retriedOn: { 429: 12 },
      finding: 'success after retries hid 8 failure(s): 4 message(s) ended ok only after retrying',
    });
    expect(engine.problems).toEqual([]);
    expect(inner.problems).toEqual([]);
  });

  it('stop: no new retries; a retry already waiting goes at its time. The engine\'s flush sends waiting retries at once', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 8, 5, (_m, nth) => (nth === 1 ? '5xx' : '2xx'));
    const f = startedFault({ kind: 'retry-storm', attempts: 2, backoff: 'exponential', base: '100ms' }, clock, path);
    engine.send(message(0)); // fails at 5, waits until 105, ok at 110
    clock.advanceTo(50);
    f.scheduled.apply.stop();
    engine.send(message(1)); // not the fault's: its 503 ends it
    await clock.runUntilIdle();
    expect(engine.done.get(0)).toEqual({ outcome: '2xx', atMs: 110 });
    expect(engine.done.get(1)!.outcome).toBe('5xx');
    expect(f.effect().details).toMatchObject({ firstSends: 1, retries: 1, okAfterRetries: 1 });
    const g = startedFault({ kind: 'retry-storm', name: 'g', attempts: 2, backoff: 'exponential', base: '10s' }, clock, path);
    engine.send(message(2));
    clock.advanceTo(clock.now() + 10);
    path.flush();
    await clock.runUntilIdle();
    expect(engine.done.get(2)!.outcome).toBe('2xx');
    expect(engine.done.get(2)!.atMs).toBeLessThan(clock.now() + 1);
    expect(g.effect().details).toMatchObject({ cutShort: 1, okAfterRetries: 1 });
    expect(inner.problems).toEqual([]);
  });

  it('the run\'s abort: retries waiting end with their last outcome, unsent', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 8, 5, () => '429');
    const controller = new AbortController();
    await path.open({ clock, signal: controller.signal });
    const f = startedFault({ kind: 'retry-storm', attempts: 5, backoff: 'exponential', base: '1s' }, clock, path);
    engine.send(message(0));
    clock.advanceTo(10);
    controller.abort();
    await clock.runUntilIdle();
    expect(engine.done.get(0)!.outcome).toBe('429');
    expect(inner.sendsOf('m0')).toBe(1);
    expect(f.effect().details).toMatchObject({ cutOff: 1, retries: 0 });
    expect(path.load).toEqual({ pending: 0, inInner: 0, queued: 0 });
  });

  it('a batching target: a retry re-sends the message alone through the inner send; one done per message; the target never over its capacity', async () => {
    const clock = new FakeClock();
    const inner = new FakeBatchTarget({ maxBatch: 5, lingerMs: 20, concurrency: 2, serviceMs: 10, outcome: 'ProvisionedThroughputExceeded' });
    await inner.open({ clock, signal: new AbortController().signal });
    const path = new SendPath(inner);
    const engine = new EngineSide(path, clock);
    const f = startedFault({ kind: 'retry-storm', attempts: 3, backoff: 'none' }, clock, path);
    for (let n = 0; n < 10; n++) engine.send(message(n));
    await clock.runUntilIdle();
    expect([...engine.done.values()].every((d) => d.outcome === 'ProvisionedThroughputExceeded')).toBe(true);
    expect(engine.done.size).toBe(10);
    expect(inner.batchSizes.reduce((a, b) => a + b, 0)).toBe(30);
    expect(inner.maxHeld).toBeLessThanOrEqual(inner.capacity);
    expect(engine.requests).toBe(inner.batchSizes.length); // request facts go through to the engine
    expect(f.effect().details).toMatchObject({ firstSends: 10, retries: 20, exhausted: 10, byAttempts: { 3: 10 } });
  });
});

describe('retry-storm against a real loopback HTTP server', () => {
  it('429 on each message\'s first request: every message ends 2xx after one retry, the server saw each twice', async () => {
    const r = await httpRig((_id, nth) => (nth === 1 ? 429 : 202));
    try {
      const f = startedFault({ kind: 'retry-storm', attempts: 3, backoff: 'none' }, systemClock, r.path);
      for (let n = 0; n < 30; n++) r.engine.send(message(n, 3));
      await r.settle();
      expect([...r.engine.done.values()].every((d) => d.outcome === '2xx')).toBe(true);
      expect(r.engine.done.size).toBe(30);
      expect(r.ids.length).toBe(60);
      expect(f.effect().details).toMatchObject({ firstSends: 30, retries: 30, okAfterRetries: 30, hiddenFailures: 30, hiddenBy: { 429: 30 } });
      expect(r.engine.problems).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
