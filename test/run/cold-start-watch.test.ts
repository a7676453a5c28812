import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent, RunEvent } from '../../src/engine/events.js';
import { createSchedule } from '../../src/load/pacers.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import { combineWatches } from '../../src/run/completion-watches.js';
import { ColdStartWatch, gapsToFollow } from '../../src/run/cold-start-watch.js';
import { RunBus } from '../../src/run/run-bus.js';
import { FakeClock, noLagProbe } from '../support/fake-clock.js';
import { FakeTarget } from '../support/fake-target.js';
import { constant, fakeSource, testPlan } from '../support/test-plan.js';

const idle = (name: string, durationMs: number): PhaseSpec => ({ kind: 'idle', name, durationMs });

describe('gapsToFollow', () => {
  it('follows each idle phase that another phase follows, up to the next idle phase', () => {
    const phases = [constant(100, 2000, 'warm'), idle('gap-1', 2000), constant(100, 2000, 'b1'), constant(50, 2000, 'b1b'), idle('gap-2', 1000), constant(100, 1000, 'b2'), idle('tail', 1000)];
    expect(gapsToFollow(phases, createSchedule(phases))).toEqual([
      { gap: 'gap-1', endMs: 4000, firstArrival: 200, followed: 300 },
      { gap: 'gap-2', endMs: 9000, firstArrival: 500, followed: 100 },
    ]);
  });

  it('no idle phase, or only a trailing one: no watch', () => {
    const phases = [constant(100, 2000), idle('tail', 1000)];
    expect(ColdStartWatch.forRun(phases, createSchedule(phases))).toBeUndefined();
  });
});

describe('ColdStartWatch on the engine (fake clock)', () => {
  it('measures the first K after each gap, the recovery and the cold starts, and publishes them before end', async () => {
    // 100/s: warm 0–2 s, gap 2–4 s, burst 4–6 s; requests written in the first 300 ms after the gap take 300 ms
    const phases = [constant(100, 2000, 'warm'), idle('gap-1', 2000), constant(100, 2000, 'burst')];
    const schedule = createSchedule(phases);
    const clock = new FakeClock();
    const target = new FakeTarget(clock, (t) => ({ atMs: t + (t >= 4000 && t < 4300 ? 300 : 2), outcome: '2xx' }));
    const watch = ColdStartWatch.forRun(phases, schedule, { k: 20, readingLagMs: 0 })!;
    const completions = combineWatches([undefined, watch]);
    const engine = new Engine({ plan: testPlan(phases), schedule, source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe, completions });
    const seen: RunEvent[] = [];
    const bus = new RunBus();
    bus.subscribe((e) => seen.push(e));
    watch.attach(bus);
    const consumer = bus.publish;
    // stands in for the probe stream: the sandbox's ingest cold-start counter with each interval (1 before the gap, 4 after)
    engine.on((e: EngineEvent) => consumer(e.type === 'interval' ? { ...e, probes: { coldStarts: { ingest: e.snapshot.endMs <= 4000 ? 1 : 4, processor: 0 } } } : e));
    const done = engine.run();
    await clock.runUntilIdle();
    await done;

    const types = seen.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['cold-start-tax', 'end']);
    const [tax] = (seen.at(-2) as Extract<RunEvent, { type: 'cold-start-tax' }>).taxes;
    expect(tax).toMatchObject({ gap: 'gap-1', gapEndMs: 4000, baseline: { p50Ms: expect.closeTo(2, 1), p99Ms: expect.closeTo(2, 1) } });
    expect(tax.firstK).toMatchObject({ k: 20, due: 20, completed: 20, failed: 0 });
    expect(tax.firstK.p50Ms).toBeCloseTo(300, 0);
    expect(tax.taxMs).toBeGreaterThan(290);
    expect(tax.firstK.vsBaseline.p99).toBeGreaterThan(100);
    expect(tax.recovery).toMatchObject({ requests: 30, afterMs: 300, atMs: 4300 });
    expect(tax.coldStarts).toEqual({ count: 3, fromMs: 4000, toMs: 5000 });
  });

  it('returns at once for arrivals it does not follow', () => {
    const phases = [constant(100, 2000, 'warm'), idle('gap-1', 2000), constant(100, 2000, 'burst')];
    const schedule = createSchedule(phases);
    const watch = ColdStartWatch.forRun(phases, schedule, { k: 5 })!;
    for (let n = 0; n < 200; n++) watch.completed(n, '2xx', schedule.dueAt(n), schedule.dueAt(n) + 1000);
    watch.completed(400, '2xx', 0, 1e6);
    expect(watch.taxes()[0].firstK.completed).toBe(0);
  });
});
