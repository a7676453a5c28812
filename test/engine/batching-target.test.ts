import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { createSchedule } from '../../src/load/pacers.js';
import { createHistogram, percentilesMs } from '../../src/metrics/histogram.js';
import { FakeClock, noLagProbe } from '../support/fake-clock.js';
import { FakeBatchTarget } from '../support/fake-target.js';
import { constant, fakeSource, testPlan } from '../support/test-plan.js';

async function runBatched(target: FakeBatchTarget, rate: number, durationMs: number, stopAtMs?: number) {
  const clock = new FakeClock();
  await target.open({ clock, signal: new AbortController().signal });
  const phases = [constant(rate, durationMs)];
  const e = new Engine({ plan: testPlan(phases), schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe });
  const events: EngineEvent[] = [];
  const latency = createHistogram();
  const service = createHistogram();
  e.on((ev) => {
    events.push(ev);
    if (ev.type === 'interval') {
      latency.add(ev.histograms.latency);
      service.add(ev.histograms.serviceTime);
    }
  });
  if (stopAtMs !== undefined) clock.setTimer(() => e.stop(), stopAtMs);
  const done = e.run();
  await clock.runUntilIdle();
  const result = await done;
  const intervals = events.filter((ev): ev is Extract<EngineEvent, { type: 'interval' }> => ev.type === 'interval').map((ev) => ev.snapshot);
  return { result, intervals, latency: percentilesMs(latency), service: percentilesMs(service) };
}

describe('a target that carries batches (fake clock)', () => {
  it('latency runs from the intended time through the linger to the batch call\'s answer; service time is the call', async () => {
    // 1 arrival a ms, batches of up to 100 lingering 50 ms: ~50 messages a batch, each call 10 ms
    const target = new FakeBatchTarget({ maxBatch: 100, lingerMs: 50, concurrency: 2, serviceMs: 10 });
    const { result, latency, service, intervals } = await runBatched(target, 1000, 2000);
    expect(result.totals).toMatchObject({ due: 2000, ok: 2000, failed: 0, dropped: 0 });
    expect(result.unfinished).toBe(0);
    expect(latency.p50!).toBeGreaterThan(30); // linger/2 + the call
    expect(latency.max!).toBeGreaterThan(55);
    expect(latency.max!).toBeLessThan(65); // linger + the call
    expect(service.max!).toBeLessThan(11);
    // counts are messages; the batch calls are reported beside them
    const calls = intervals.reduce((a, s) => a + (s.requests?.count ?? 0), 0);
    const records = intervals.reduce((a, s) => a + (s.requests?.records ?? 0), 0);
    expect(records).toBe(2000);
    expect(calls).toBe(target.batchSizes.length);
    expect(calls).toBeGreaterThanOrEqual(38);
    expect(calls).toBeLessThanOrEqual(42);
  });

  it('capacity counts messages: the engine never hands over more than batch size × calls in flight', async () => {
    // 10 messages × 1 call of 100 ms = 100 messages/s against 500/s offered: the rest waits in the engine
    const target = new FakeBatchTarget({ maxBatch: 10, lingerMs: 20, concurrency: 1, serviceMs: 100 });
    const { result, intervals } = await runBatched(target, 500, 1000);
    expect(target.maxHeld).toBeLessThanOrEqual(10);
    expect(Math.max(...intervals.map((s) => s.awaitingConnection))).toBeGreaterThan(300);
    expect(result.totals.ok).toBe(500);
    expect(result.totals.ok + result.totals.failed + result.totals.dropped + result.unfinished).toBe(500);
  });

  it('the last partial batch is sent when the schedule ends, not when its linger timer fires', async () => {
    const target = new FakeBatchTarget({ maxBatch: 500, lingerMs: 60_000, concurrency: 1, serviceMs: 5 });
    const { result, latency } = await runBatched(target, 100, 1000);
    expect(result.totals.ok).toBe(100);
    expect(result.durationMs).toBeLessThan(1100);
    expect(latency.max!).toBeLessThan(1100);
  });

  it('a stop sends what is held at once: nothing waits for a linger timer', async () => {
    const target = new FakeBatchTarget({ maxBatch: 500, lingerMs: 60_000, concurrency: 1, serviceMs: 5 });
    const { result } = await runBatched(target, 100, 10_000, 1500);
    expect(result.reason).toBe('interrupted');
    expect(result.durationMs).toBeLessThan(1600);
    expect(result.totals.ok).toBe(result.totals.sent);
    expect(result.unfinished).toBe(0);
  });
});
