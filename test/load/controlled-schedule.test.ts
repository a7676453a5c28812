import { describe, expect, it } from 'vitest';
import { ControlledSchedule } from '../../src/load/controlled-schedule.js';
import { createSchedule } from '../../src/load/pacers.js';
import { constant } from '../support/test-plan.js';

/** 10/s for 10 s: arrival n is due at n × 100 ms in the plan. */
const plan = () => createSchedule([constant(10, 10_000)]);

describe('ControlledSchedule (pause, resume and nudge as a time warp over the plan)', () => {
  it('is the plan itself until touched', () => {
    const s = new ControlledSchedule(plan());
    expect([0, 1, 55, 99].map((n) => s.dueAt(n))).toEqual([0, 100, 5500, 9900]);
    expect(s.durationMs).toBe(10_000);
    expect(s.countBefore(5000)).toBe(50);
  });

  it.each([
    // [what happens, arrival n, its due time (ms of run time)]
    ['paused 2,050–5,050 ms: due before the pause keep their time', 20, 2000],
    ['paused 2,050–5,050 ms: the next is due 3 s later', 21, 5100],
    ['paused 2,050–5,050 ms: the last too', 99, 12_900],
  ])('%s (arrival %i at %i ms)', (_what, n, dueMs) => {
    const s = new ControlledSchedule(plan());
    s.pause(2050);
    expect(s.dueAt(21)).toBe(Infinity); // while paused nothing ahead is due
    expect(s.durationMs).toBe(Infinity);
    expect(s.resume(5050)).toBe(3000);
    expect(s.dueAt(n)).toBeCloseTo(dueMs, 6);
    expect(s.durationMs).toBe(13_000);
  });

  it.each([
    [2, 1000, [[10, 1000], [11, 1050], [30, 2000]], 5500],
    [0.5, 1000, [[10, 1000], [11, 1200], [15, 2000]], 19_000],
  ] as const)('pace ×%s from %i ms: arrivals ahead move, the end moves', (pace, atMs, due, endMs) => {
    const s = new ControlledSchedule(plan());
    expect(s.setPace(atMs, pace)).toBe(pace);
    for (const [n, t] of due) expect(s.dueAt(n)).toBeCloseTo(t, 6);
    expect(s.durationMs).toBeCloseTo(endMs, 6);
    // countBefore is still the inverse of dueAt
    for (const n of [0, 10, 11, 37, 99]) expect(s.countBefore(s.dueAt(n))).toBe(n);
    expect(s.rateAt(atMs + 1)).toBeCloseTo(10 * pace, 6);
  });

  it('a pace set while paused is the one it resumes at; pacing is clamped; pause and resume say when they do nothing', () => {
    const s = new ControlledSchedule(plan());
    expect(s.resume(10)).toBeNull();
    expect(s.pause(1000)).toBe(true);
    expect(s.pause(1500)).toBe(false);
    expect(s.pace).toBe(0);
    s.setPace(1500, 2);
    s.resume(2000);
    expect(s.pace).toBe(2);
    expect(s.dueAt(11)).toBeCloseTo(2050, 6);
    expect(s.setPace(2500, 1000)).toBe(10);
    expect(s.setPace(2500, 0)).toBe(0.1);
  });

  it('phase boundaries follow the warp: a 1 s pause moves the second phase\'s start by 1 s', () => {
    const s = new ControlledSchedule(createSchedule([constant(10, 2000), constant(20, 2000)]));
    s.pause(1000);
    s.resume(2000);
    expect(s.phaseStartMs(1)).toBe(3000);
    expect([s.phaseIndexAt(2500), s.phaseIndexAt(2999), s.phaseIndexAt(3000)]).toEqual([0, 0, 1]);
    expect(s.dueAt(20)).toBeCloseTo(3000, 6); // the second phase's first arrival
  });
});
