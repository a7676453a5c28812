import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { createSchedule } from '../../src/load/pacers.js';
import { FakeClock, noLagProbe } from '../support/fake-clock.js';
import { FakeTarget } from '../support/fake-target.js';
import { constant, fakeSource, testPlan } from '../support/test-plan.js';

describe('the engine tells a completion watch of every run arrival', () => {
  it('once each, with its outcome and its intended and completion times (never the warm-up)', async () => {
    const clock = new FakeClock();
    const phases = [constant(100, 2000)];
    let answered = 0;
    const target = new FakeTarget(clock, (t) => ({ atMs: t + 7, outcome: answered++ % 10 === 3 ? '429' : '2xx' }));
    const seen = new Map<number, { outcome: string; dueMs: number; doneMs: number }>();
    let calls = 0;
    const e = new Engine({
      plan: testPlan(phases, { warmupRequests: 5 }), schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe,
      completions: { completed: (n, outcome, dueMs, doneMs) => { calls++; seen.set(n, { outcome, dueMs, doneMs }); } },
    });
    const done = e.run();
    await clock.runUntilIdle();
    const result = await done;
    expect(calls).toBe(200);
    expect(seen.size).toBe(200);
    expect(result.totals.failed).toBeGreaterThan(0);
    expect([...seen.values()].filter((c) => c.outcome === '429').length).toBe(result.totals.failed);
    expect(seen.get(50)).toMatchObject({ outcome: '2xx', dueMs: 500 });
    expect(seen.get(50)!.doneMs - seen.get(50)!.dueMs).toBeCloseTo(7, 0);
  });
});
