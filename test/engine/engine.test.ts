import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { WARMUP_NO_ANSWER_MS } from '../../src/engine/warmup.js';
import type { EngineEvent, IntervalSnapshot } from '../../src/engine/events.js';
import { createSchedule } from '../../src/load/pacers.js';
import { createHistogram, percentilesMs } from '../../src/metrics/histogram.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import type { EngineConfig } from '../../src/scenario/run-plan.js';
import { FakeClock, noLagProbe, spend } from '../support/fake-clock.js';
import { FakePoolTarget, FakeTarget } from '../support/fake-target.js';
import { constant, fakeSource, testPlan } from '../support/test-plan.js';

type Respond = ConstructorParameters<typeof FakeTarget>[1];

async function runEngine(phases: PhaseSpec[], respond: Respond, engine: Partial<EngineConfig> = {}, hooks: { clockHook?: (c: FakeClock, e: Engine) => void; source?: typeof fakeSource } = {}) {
  const clock = new FakeClock();
  const target = new FakeTarget(clock, respond);
  const plan = testPlan(phases, engine);
  const e = new Engine({ plan, schedule: createSchedule(phases), source: hooks.source ?? fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe });
  const events: EngineEvent[] = [];
  const cumulative = { latency: createHistogram(), serviceTime: createHistogram() };
  e.on((ev) => {
    events.push(ev);
    if (ev.type === 'interval') {
      cumulative.latency.add(ev.histograms.latency);
      cumulative.serviceTime.add(ev.histograms.serviceTime);
    }
  });
  hooks.clockHook?.(clock, e);
  const done = e.run();
  await clock.runUntilIdle();
  const result = await done;
  const intervals = events.filter((ev): ev is Extract<EngineEvent, { type: 'interval' }> => ev.type === 'interval').map((ev) => ev.snapshot);
  return { result, events, intervals, target, clock, latency: percentilesMs(cumulative.latency), serviceTime: percentilesMs(cumulative.serviceTime) };
}

const sum = (xs: IntervalSnapshot[], f: (s: IntervalSnapshot) => number) => xs.reduce((a, s) => a + f(s), 0);

describe('Engine (open model, fake clock)', () => {
  it('sends every arrival on time at a constant rate and measures latency from the intended time', async () => {
    const { result, intervals } = await runEngine([constant(1000, 3000)], (t) => ({ atMs: t + 5, outcome: '2xx' }));
    expect(result.reason).toBe('completed');
    expect(result.totals).toMatchObject({ due: 3000, sent: 3000, completed: 3000, ok: 3000, failed: 0, dropped: 0 });
    expect(intervals.slice(0, 3).map((s) => s.counts.due)).toEqual([1000, 1000, 1000]);
    expect(intervals.slice(0, 3).map((s) => s.targetRate)).toEqual([1000, 1000, 1000]);
    expect(intervals[1].latency.p50).toBeCloseTo(5, 1);
    expect(intervals[1].scheduleLag.max).toBe(0);
  });

  it.each([
    // [stall start, stall end, p90, p99] for 3000 arrivals at 1000/s: arrival due at t in [from,to) completes at `to`
    [1000, 2000, 700, 970],
    [500, 1500, 700, 970],
  ])('a stall from %i to %i ms shows in latency for every arrival due during it', async (from, to, p90, p99) => {
    const { result, latency, intervals } = await runEngine([constant(1000, 3000)], (t) => ({ atMs: t >= from && t < to ? to : t + 1, outcome: '2xx' }));
    expect(result.totals.ok).toBe(3000);
    expect(latency.p90).toBeGreaterThan(p90 * 0.99);
    expect(latency.p90).toBeLessThan(p90 * 1.01 + 1);
    expect(latency.p99).toBeGreaterThan(p99 * 0.99);
    expect(latency.p99).toBeLessThan(p99 * 1.01 + 1);
    expect(latency.max).toBeGreaterThan(995);
    expect(latency.p50).toBeLessThan(2);
    // Completions are recorded in the interval they complete in: the release lands in one interval.
    const release = intervals.find((s) => s.startMs <= to && to < s.endMs)!;
    expect(release.latency.max).toBeGreaterThan(995);
  });

  it('counts arrivals over the in-flight cap as dropped, never loses them', async () => {
    const { result, events, target } = await runEngine([constant(1000, 3000)], (t) => ({ atMs: t + 100, outcome: '2xx' }), { maxInFlight: 50 });
    expect(target.maxInFlight).toBeLessThanOrEqual(50);
    expect(result.totals.dropped).toBeGreaterThan(1000);
    expect(result.totals.sent + result.totals.dropped).toBe(result.totals.due);
    expect(result.totals.due).toBe(3000);
    expect(events.some((e) => e.type === 'warning' && e.code === 'in-flight-cap')).toBe(true);
  });

  it('classifies failures as data: errors by class, not exceptions', async () => {
    const { result } = await runEngine([constant(100, 2000)], (t) => (Math.round(t / 10) % 10 === 0 ? { atMs: t + 2, outcome: '5xx' } : { atMs: t + 2, outcome: '2xx' }));
    expect(result.totals.failed).toBe(20);
    expect(result.errors).toEqual({ '5xx': 20 });
    expect(result.totals.ok).toBe(180);
  });

  it('emits start, phase changes (idle included), intervals and end in order', async () => {
    const phases: PhaseSpec[] = [constant(100, 2000, 'a'), { kind: 'idle', name: 'gap', durationMs: 2000 }, constant(200, 1000, 'b')];
    const { events, result } = await runEngine(phases, (t) => ({ atMs: t + 1, outcome: '2xx' }));
    expect(events[0].type).toBe('start');
    expect(events.at(-1)!.type).toBe('end');
    const phaseEvents = events.filter((e) => e.type === 'phase').map((e) => (e as { name: string; tMs: number }).name);
    expect(phaseEvents).toEqual(['a', 'gap', 'b']);
    expect(result.totals.sent).toBe(400);
    const intervals = events.filter((e) => e.type === 'interval');
    expect(intervals.length).toBeGreaterThanOrEqual(5);
  });

  it('stops on request: no more sends, in-flight drained, reason interrupted', async () => {
    const { result } = await runEngine([constant(1000, 10_000)], (t) => ({ atMs: t + 10, outcome: '2xx' }), {}, {
      clockHook: (c, e) => c.setTimer(() => e.stop(), 1500),
    });
    expect(result.reason).toBe('interrupted');
    expect(result.totals.sent).toBeGreaterThanOrEqual(1499);
    expect(result.totals.sent).toBeLessThanOrEqual(1501);
    expect(result.totals.completed).toBe(result.totals.sent);
    expect(result.unfinished).toBe(0);
  });

  it('gives up on requests still in flight after the drain bound and counts them unfinished', async () => {
    const { result, events } = await runEngine([constant(10, 1000)], (t) => ({ atMs: t < 500 ? t + 1 : t + 60_000, outcome: '2xx' }), { drainTimeoutMs: 2000 });
    expect(result.unfinished).toBe(5);
    expect(events.some((e) => e.type === 'warning' && e.code === 'drain-timeout')).toBe(true);
  });

  it('warms up before the clock starts and keeps warm-up out of the run figures', async () => {
    const { result, target } = await runEngine([constant(100, 1000)], (t) => ({ atMs: t + 3, outcome: '2xx' }), { warmupRequests: 25 });
    expect(result.warmup).toMatchObject({ requests: 25, ok: 25, failed: 0 });
    expect(result.totals.sent).toBe(100);
    expect(target.maxInFlight).toBeGreaterThan(0);
  });

  it('warns when the generator itself falls behind its schedule', async () => {
    const slow = { next: (n: number, s: number) => { spend(clockRef.c!, 0.5); return fakeSource.next(n, s); } };
    const clockRef: { c?: FakeClock } = {};
    const { events, intervals } = await runEngine([constant(5000, 2000)], (t) => ({ atMs: t + 1, outcome: '2xx' }), {}, { source: slow, clockHook: (c) => (clockRef.c = c) });
    expect(events.some((e) => e.type === 'warning' && e.code === 'generator-behind')).toBe(true);
    expect(Math.max(...intervals.map((s) => s.scheduleLag.p99 ?? 0))).toBeGreaterThan(100);
    expect(sum(intervals, (s) => s.counts.sent)).toBe(10_000);
  });

  it('a target slower than the offered rate: achieved counts what went on the wire, and the client queue is reported', async () => {
    // 4 connections × (1000 / 10 ms) = 400 requests/s can be on the wire; 1000/s are offered.
    const clock = new FakeClock();
    const phases = [constant(1000, 2000)];
    const target = new FakePoolTarget(clock, 4, 10);
    const e = new Engine({ plan: testPlan(phases), schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe });
    const events: EngineEvent[] = [];
    e.on((ev) => events.push(ev));
    const done = e.run();
    await clock.runUntilIdle();
    const result = await done;
    const first = events.find((ev): ev is Extract<EngineEvent, { type: 'interval' }> => ev.type === 'interval')!.snapshot;
    expect(first.counts.sent).toBe(1000);
    expect(first.counts.written).toBeGreaterThanOrEqual(399);
    expect(first.counts.written).toBeLessThanOrEqual(401);
    expect(first.achievedRate).toBeLessThan(410);
    expect(first.awaitingConnection).toBeGreaterThan(500);
    expect(events.some((ev) => ev.type === 'warning' && ev.code === 'client-queue')).toBe(true);
    expect(result.totals.written).toBe(2000);
    expect(result.totals.ok).toBe(2000);
  });

  it('hands the target no more than its capacity; later arrivals wait in the engine and are built when sent', async () => {
    const clock = new FakeClock();
    const phases = [constant(1000, 2000)];
    const target = new FakeTarget(clock, (t) => ({ atMs: t + 10, outcome: '2xx' }));
    target.capacity = 4; // 4 × (1000 / 10 ms) = 400 requests/s
    target.keepMessages = true;
    const e = new Engine({ plan: testPlan(phases), schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe });
    const events: EngineEvent[] = [];
    const lat = createHistogram();
    e.on((ev) => {
      events.push(ev);
      if (ev.type === 'interval') lat.add(ev.histograms.latency);
    });
    const done = e.run();
    await clock.runUntilIdle();
    const result = await done;
    expect(target.maxInFlight).toBe(4);
    const first = events.find((ev): ev is Extract<EngineEvent, { type: 'interval' }> => ev.type === 'interval')!.snapshot;
    expect(first.counts.sent).toBeLessThanOrEqual(404);
    expect(first.awaitingConnection).toBeGreaterThan(550);
    expect(first.scheduleLag.max).toBe(0); // the generator kept its schedule; the wait is the target's
    expect(result.totals.ok).toBe(2000);
    // the last arrival (due at 1999 ms) is sent after 2000 × 10 ms / 4 = 5 s: its latency shows it
    expect(percentilesMs(lat).max).toBeGreaterThan(2900);
    // messages are built when sent: sentAt never runs backwards and spans the 5 s of draining
    const sentAt = target.sent.map((m) => JSON.parse(m.body as string).sentAt as number);
    expect(sentAt.every((t, i) => i === 0 || t >= sentAt[i - 1])).toBe(true);
    expect(sentAt.at(-1)! - sentAt[0]).toBeGreaterThan(4900);
  });

  it('a stop leaves arrivals waiting in the backlog unsent: they end unfinished, never dropped', async () => {
    const clock = new FakeClock();
    const phases = [constant(1000, 5000)];
    const target = new FakeTarget(clock, (t) => ({ atMs: t + 100, outcome: '2xx' }));
    target.capacity = 10; // 100 requests/s: the backlog grows by 900 a second
    const e = new Engine({ plan: testPlan(phases), schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe });
    const events: EngineEvent[] = [];
    e.on((ev) => events.push(ev));
    clock.setTimer(() => e.stop(), 1000);
    const done = e.run();
    await clock.runUntilIdle();
    const result = await done;
    expect(result.reason).toBe('interrupted');
    expect(result.totals.dropped).toBe(0);
    expect(result.totals.ok).toBeGreaterThanOrEqual(100);
    expect(result.unfinished).toBeGreaterThan(850);
    const due = events.filter((ev): ev is Extract<EngineEvent, { type: 'interval' }> => ev.type === 'interval').reduce((a, ev) => a + ev.snapshot.counts.due, 0);
    expect(result.totals.ok + result.totals.failed + result.totals.dropped + result.unfinished).toBe(due);
    // the last interval's latency describes the unfinished arrivals at their age (lower bounds)
    const last = events.filter((ev): ev is Extract<EngineEvent, { type: 'interval' }> => ev.type === 'interval').at(-1)!.snapshot;
    expect(last.latency.waiting).toBe(result.unfinished);
    expect(last.latency.atLeast).toContain('p99');
  });

  it('a target that never answers: the warm-up stops waiting after WARMUP_NO_ANSWER_MS, its requests keep holding the target, the run measures the hang', async () => {
    const { result, intervals, events } = await runEngine([constant(100, 3000)], () => ({ atMs: Infinity, outcome: '2xx' }), { warmupRequests: 20, drainTimeoutMs: 5000 });
    expect(result.warmup).toMatchObject({ requests: 20, answered: 0, unanswered: 20, gaveUp: true });
    expect(result.warmup.durationMs).toBeCloseTo(WARMUP_NO_ANSWER_MS, -1);
    expect((events[0] as Extract<EngineEvent, { type: 'start' }>).warmup.gaveUp).toBe(true);
    expect(result.totals.ok).toBe(0);
    expect(result.unfinished).toBe(300);
    expect(intervals.at(-1)!.latency).toMatchObject({ waiting: 300, censored: true });
    expect(intervals.at(-1)!.latency.p50).toBeGreaterThan(1000);
  });

  it('the warm-up result is checked before the clock starts: a check that throws ends the run with nothing recorded', async () => {
    const clock = new FakeClock();
    const phases = [constant(100, 1000)];
    const target = new FakeTarget(clock, (t) => ({ atMs: t + 1, outcome: 'refused', responded: false }));
    const events: EngineEvent[] = [];
    const e = new Engine({
      plan: testPlan(phases, { warmupRequests: 10 }), schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe,
      checkWarmup: (w) => {
        if (w.errors.refused === w.requests) throw new Error('unreachable');
      },
    });
    e.on((ev) => events.push(ev));
    const done = e.run();
    const settled = done.then(() => 'resolved', (err: Error) => err.message);
    await clock.runUntilIdle();
    expect(await settled).toBe('unreachable');
    expect(events).toEqual([]);
  });
});
