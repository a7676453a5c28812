import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { createSchedule } from '../../src/load/pacers.js';
import { SendPath, type SendJob, type SendStage } from '../../src/faults/send-path.js';
import { sendFault } from '../../src/faults/send-faults.js';
import { createHistogram, percentilesMs } from '../../src/metrics/histogram.js';
import { FakeClock, noLagProbe } from '../support/fake-clock.js';
import { FakeBatchTarget, FakeTarget } from '../support/fake-target.js';
import { constant, fakeSource, testPlan } from '../support/test-plan.js';
import type { OutMessage } from '../../src/telemetry/types.js';
import { faultConfig, faultContext, message, rig, ScriptedTarget } from './send-path-support.js';

/** A stage that holds every message until flush. */
function holdAll(path: SendPath): SendStage & { held: SendJob[] } {
  const held: SendJob[] = [];
  const stage = {
    order: path.orderFor(0),
    held,
    admit: (job: SendJob) => (held.push(job), true),
    flush: () => {
      for (const j of held.splice(0)) path.pass(j);
    },
  };
  path.register(stage);
  return stage;
}

describe('SendPath (fake target, fake clock)', () => {
  it('with no fault active, forwards each send under the engine\'s slot and reports each done once; capacity is the inner one', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 4, 10);
    expect(path.capacity).toBe(4);
    for (let n = 0; n < 4; n++) engine.send(message(n));
    expect(inner.seen.map((s) => s.slot)).toEqual([0, 1, 2, 3]);
    expect(path.capacity).toBe(4); // 4 the engine has out + no room left
    expect(path.load).toEqual({ pending: 4, inInner: 4, queued: 0 });
    await clock.runUntilIdle();
    expect([...engine.done.values()].map((d) => d.outcome)).toEqual(['2xx', '2xx', '2xx', '2xx']);
    expect(engine.written).toEqual([0, 1, 2, 3]);
    expect(path.load).toEqual({ pending: 0, inInner: 0, queued: 0 });
    expect(engine.problems).toEqual([]);
    expect(path.description).toBe('scripted');
    expect(path.endpoint).toBe('scripted:0');
  });

  it('messages held back do not count against the room: capacity = the engine\'s messages at the path + the inner target\'s free room', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 2, 10);
    const stage = holdAll(path);
    path.install(stage);
    for (let n = 0; n < 5; n++) {
      expect(path.capacity).toBe(n + 2); // every held one adds itself back: the engine always sees room for 2 more
      engine.send(message(n));
    }
    expect(inner.seen).toEqual([]);
    path.uninstall(stage);
    path.flush(); // releases the 5 holds: 2 go to the inner target, 3 queue
    expect(path.load).toEqual({ pending: 5, inInner: 2, queued: 3 });
    expect(path.capacity).toBe(5); // full: the engine hands nothing more until the queue is through
    await clock.runUntilIdle();
    expect(inner.maxHeld).toBe(2);
    expect(inner.problems).toEqual([]);
    expect(engine.done.size).toBe(5);
    expect(engine.problems).toEqual([]);
  });

  it('copies go under the path\'s own (negative) slots, wait in its queue when the inner target is full, and never reach the engine', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 2, 10, (m, nth) => (nth === 2 ? '503' : '2xx'));
    const ends: string[] = [];
    for (let n = 0; n < 2; n++) engine.send(message(n));
    for (let n = 0; n < 3; n++) path.sendCopy(message(n % 2), '00-0-0-01', (o) => ends.push(o));
    expect(path.load).toEqual({ pending: 2, inInner: 2, queued: 3 });
    expect(path.capacity).toBe(2);
    await clock.runUntilIdle();
    expect(inner.problems).toEqual([]);
    expect(inner.maxHeld).toBe(2);
    expect(inner.seen.filter((s) => s.slot < 0).length).toBe(3);
    const own = new Set(inner.seen.filter((s) => s.slot < 0).map((s) => s.slot));
    expect(own.size).toBe(3); // a queued copy holds its slot
    path.sendCopy(message(0), '00-0-0-01', (o) => ends.push(o));
    expect(own.has(inner.seen[inner.seen.length - 1].slot)).toBe(true); // own slots are reused once free
    await clock.runUntilIdle();
    expect(ends.sort()).toEqual(['2xx', '2xx', '503', '503']);
    expect([...engine.done.keys()].sort()).toEqual([0, 1]);
    expect(engine.problems).toEqual([]);
  });

  it('after the engine\'s flush, what the path sends later is flushed into a batching target too (no linger at the end)', async () => {
    const clock = new FakeClock();
    const inner = new FakeBatchTarget({ maxBatch: 10, lingerMs: 60_000, concurrency: 1, serviceMs: 5 });
    await inner.open({ clock, signal: new AbortController().signal });
    const path = new SendPath(inner);
    const stage = holdAll(path);
    path.install(stage);
    const done: number[] = [];
    const sink = { written() {}, done: (slot: number) => void done.push(slot) };
    for (let n = 0; n < 25; n++) path.send(message(n), n, 'tp', sink);
    path.uninstall(stage);
    path.flush();
    await clock.runUntilIdle(30_000); // far less than the linger
    expect(done.length).toBe(25);
    expect(inner.maxHeld).toBeLessThanOrEqual(inner.capacity);
  });

  it('takeShardLoad is there exactly when the inner target has it', () => {
    const clock = new FakeClock();
    expect(new SendPath(new FakeTarget(clock, () => ({ atMs: 0, outcome: '2xx' }))).takeShardLoad).toBeUndefined();
    const sharded = Object.assign(new FakeTarget(clock, () => ({ atMs: 0, outcome: '2xx' })), { takeShardLoad: () => [{ id: 's', records: 1, bytes: 2, throttled: 0 }] });
    expect(new SendPath(sharded).takeShardLoad?.()).toEqual([{ id: 's', records: 1, bytes: 2, throttled: 0 }]);
  });
});

/** The real engine over a send path with faults on its timeline (fake clock): the drain never hangs. */
async function runEngine(raws: Record<string, unknown>[], opts: { capacity: number; outcome?: (msg: OutMessage, nth: number) => string; stopAtMs?: number; rate?: number; durationMs?: number }) {
  const clock = new FakeClock();
  const inner = new ScriptedTarget(clock, opts.capacity, 5, opts.outcome);
  const path = new SendPath(inner);
  await path.open({ clock, signal: new AbortController().signal });
  const faults = raws.map((r) => sendFault(faultConfig(r), faultContext(clock, path, 1)));
  const phases = [constant(opts.rate ?? 200, opts.durationMs ?? 2000)];
  const e = new Engine({ plan: testPlan(phases), schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target: path, clock, lagProbe: noLagProbe, faults: faults.map((f) => f.scheduled) });
  const latency = createHistogram();
  e.on((ev) => {
    if (ev.type === 'interval') latency.add(ev.histograms.latency);
  });
  if (opts.stopAtMs !== undefined) clock.setTimer(() => e.stop(), opts.stopAtMs);
  const done = e.run();
  await clock.runUntilIdle();
  return { result: await done, inner, path, effects: faults.map((f) => f.effect()), latency: percentilesMs(latency) };
}

describe('SendPath under the engine (fake clock)', () => {
  it('store-and-forward to the end of the schedule: the timeline stops it before the flush, the burst drains, every arrival ends ok', async () => {
    const { result, inner, path, effects } = await runEngine([{ kind: 'store-and-forward', at: '500ms', vehicles: 1, for: '10s' }], { capacity: 4 });
    expect(result.totals).toMatchObject({ due: 400, ok: 400, dropped: 0 });
    expect(result.unfinished).toBe(0);
    expect(inner.maxHeld).toBe(4);
    expect(inner.problems).toEqual([]);
    expect(path.load).toEqual({ pending: 0, inInner: 0, queued: 0 });
    expect(effects[0].messages).toBeGreaterThan(250);
    expect(effects[0].details).toMatchObject({ vehicles: 1, stillBuffered: 0, burstSize: effects[0].messages });
  });

  it('a stop (Ctrl-C) in the middle of a silence and of retries: held messages are released, the engine drains and ends', async () => {
    const { result, path } = await runEngine([
      { kind: 'store-and-forward', at: '200ms', vehicles: 1, for: '1m' },
      { kind: 'retry-storm', at: '0s', attempts: 4, backoff: 'exponential', base: '1s', cap: '1s' },
    ], { capacity: 8, stopAtMs: 1000, outcome: (_m, nth) => (nth === 1 ? '429' : '2xx'), durationMs: 60_000 });
    expect(result.reason).toBe('interrupted');
    expect(result.unfinished).toBe(0);
    expect(result.totals.ok + result.totals.failed).toBe(result.totals.due - result.totals.dropped);
    expect(path.load).toEqual({ pending: 0, inInner: 0, queued: 0 });
  });

  it('retries under the engine: the latency of a message ok on its second try covers both attempts; the engine counts it once, ok', async () => {
    // a fault at 0 s is on before the first arrival is taken: every message is 429 on its first try, ok on its second
    const outcome = (_m: OutMessage, nth: number) => (nth === 1 ? '429' : '2xx');
    const { result, effects, latency } = await runEngine([{ kind: 'retry-storm', at: '0s', attempts: 3, backoff: 'exponential', base: '100ms', cap: '100ms' }], { capacity: 16, outcome, rate: 10, durationMs: 2000 });
    expect(result.totals).toMatchObject({ due: 20, ok: 20, failed: 0 });
    expect(effects[0].details).toMatchObject({ firstSends: 20, retries: 20, okAfterRetries: 20, hiddenFailures: 20, hiddenBy: { 429: 20 }, byAttempts: { 2: 20 }, exhausted: 0 });
    expect(effects[0].messages).toBe(20);
    // 5 ms, the 100 ms backoff, 5 ms: the engine's latency from the intended time covers both attempts
    expect(latency.p50).toBeGreaterThanOrEqual(110);
  });
});
