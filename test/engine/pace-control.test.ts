import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent, IntervalSnapshot } from '../../src/engine/events.js';
import { ControlledSchedule } from '../../src/load/controlled-schedule.js';
import { createSchedule } from '../../src/load/pacers.js';
import { FakeClock, noLagProbe } from '../support/fake-clock.js';
import { FakeTarget } from '../support/fake-target.js';
import { constant, fakeSource, testPlan } from '../support/test-plan.js';

/** 100/s for 5 s on the fake clock, with `act` called at run times (ms) to pause, resume or nudge. */
async function run(acts: [number, (e: Engine) => unknown][], controlled = true) {
  const clock = new FakeClock();
  const phases = [constant(100, 5000)];
  const target = new FakeTarget(clock, (t) => ({ atMs: t + 2, outcome: '2xx' }));
  const schedule = controlled ? new ControlledSchedule(createSchedule(phases)) : createSchedule(phases);
  const e = new Engine({ plan: testPlan(phases), schedule, source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe });
  const events: EngineEvent[] = [];
  e.on((ev) => events.push(ev));
  const results: unknown[] = [];
  for (const [at, act] of acts) clock.setTimer(() => results.push(act(e)), at);
  const done = e.run();
  await clock.runUntilIdle();
  const result = await done;
  const intervals = events.filter((ev): ev is Extract<EngineEvent, { type: 'interval' }> => ev.type === 'interval').map((ev) => ev.snapshot);
  return { result, events, intervals, results };
}

const due = (xs: IntervalSnapshot[]) => xs.reduce((a, s) => a + s.counts.due, 0);

describe('the engine\'s load controls (pause, resume, nudge)', () => {
  it('a pause stops arrivals falling due; resume picks up where it stopped: every planned arrival sent once, the paused time not counted as due', async () => {
    const r = await run([[1500, (e) => e.pause()], [3500, (e) => e.resume()]]);
    expect(r.results).toEqual([{ ok: true }, { ok: true }]);
    expect(r.result.totals.ok).toBe(500);
    expect(due(r.intervals)).toBe(500);
    expect(r.result.durationMs).toBeGreaterThanOrEqual(7000);
    // the one whole interval inside the pause (2–3 s) had nothing due and nothing sent
    const paused = r.intervals.filter((i) => i.startMs >= 2000 && i.endMs <= 3000);
    expect(paused.length).toBe(1);
    expect(paused[0]).toMatchObject({ targetRate: 0, counts: { due: 0, sent: 0 } });
    const kinds = r.events.filter((e) => e.type === 'pause' || e.type === 'resume');
    expect(kinds).toMatchObject([{ type: 'pause', tMs: 1500, by: 'manual' }, { type: 'resume', tMs: 3500, by: 'manual', pausedMs: 2000 }]);
    // latency is from the (moved) intended time: nobody waited through the pause
    expect(r.intervals.every((i) => (i.latency.max ?? 0) < 50)).toBe(true);
  });

  it('a nudge to ×1.5 raises the target rate from then on and ends the schedule sooner', async () => {
    const r = await run([[2000, (e) => e.setPace(1.5)]]);
    expect(r.results).toEqual([{ ok: true, pace: 1.5 }]);
    expect(r.result.totals.ok).toBe(500);
    expect(r.intervals[1].targetRate).toBe(100);
    expect(r.intervals[2].targetRate).toBe(150);
    expect(r.result.durationMs).toBeLessThan(4100);
    expect(r.events.find((e) => e.type === 'rate')).toMatchObject({ tMs: 2000, factor: 1.5, by: 'manual' });
  });

  it('refuses with a reason: already paused, not paused, after the load ended, or a schedule that cannot be controlled', async () => {
    const r = await run([[1000, (e) => e.pause()], [1200, (e) => e.pause()], [1400, (e) => e.resume()], [1600, (e) => e.resume()], [9000, (e) => e.pause()]]);
    expect(r.results).toEqual([
      { ok: true }, { ok: false, reason: 'the load is already paused' }, { ok: true }, { ok: false, reason: 'the load is not paused' },
      { ok: false, reason: 'the run is not sending (done)' },
    ]);
    const plain = await run([[1000, (e) => e.pause()]], false);
    expect(plain.results).toEqual([{ ok: false, reason: 'this run\'s schedule cannot be paused or nudged' }]);
  });
});
