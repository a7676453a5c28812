import { describe, expect, it } from 'vitest';
import { createPacer, createSchedule, peakRate, totalArrivals } from '../../src/load/pacers.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import { expectCountBeforeInverts, expectMonotoneInRange, sampleArrivals } from './pacer-checks.js';

const warm: PhaseSpec = { kind: 'ramp', name: 'warm', durationMs: 2000, from: 0, to: 1000 };
const hold: PhaseSpec = { kind: 'constant', name: 'hold', durationMs: 3000, rate: 1000 };
const gap: PhaseSpec = { kind: 'idle', name: 'gap', durationMs: 5000 };
const burst: PhaseSpec = { kind: 'spike', name: 'burst', durationMs: 2000, base: 200, peak: 2000, atMs: 0, forMs: 500 };
const wave: PhaseSpec = { kind: 'sine', name: 'wave', durationMs: 4000, mean: 300, amplitude: 200, periodMs: 2000 };
const steps: PhaseSpec = { kind: 'step', name: 'steps', durationMs: 3000, from: 100, to: 500, steps: 3 };

// warm 1000, hold 3000, gap 0, burst 1000 + 300, wave 1200, steps 900.
const phases = [warm, hold, gap, burst, wave, steps];
const counts = [1000, 3000, 0, 1300, 1200, 900];
const starts = [0, 2000, 5000, 10_000, 12_000, 16_000];

describe('createSchedule', () => {
  const s = createSchedule(phases);

  it('adds up counts and durations', () => {
    expect(s.phaseCount).toBe(6);
    expect(s.count).toBe(7400);
    expect(s.durationMs).toBe(19_000);
    expect(totalArrivals(phases)).toBe(7400);
  });

  it.each(phases.map((p, i) => [p.name, i] as const))('phase %s (#%d) starts where the earlier phases end', (_name, i) => {
    const first = counts.slice(0, i).reduce((a, b) => a + b, 0);
    expect(s.phaseStartMs(i)).toBe(starts[i]);
    expect(s.phaseFirstArrival(i)).toBe(first);
    expect(createPacer(phases[i]).count).toBe(counts[i]);
  });

  it('gives the end as the start of the phase after the last', () => {
    expect(s.phaseStartMs(6)).toBe(19_000);
    expect(s.phaseFirstArrival(6)).toBe(7400);
  });

  it.each([-1, 7, 1.5, Number.NaN])('rejects phase index %d', (i) => {
    expect(() => s.phaseStartMs(i)).toThrow(RangeError);
    expect(() => s.phaseFirstArrival(i)).toThrow(RangeError);
  });

  it.each([
    // [n, due ms]: the first arrival of each phase with arrivals lands on the phase start.
    [0, 0],
    [999, Math.sqrt(4000 * 999)],
    [1000, 2000],
    [1001, 2001],
    [3999, 4999],
    [4000, 10_000], // first after the idle gap: the gap's 5 s hold no arrival
    [4001, 10_000 + 1000 / 2000],
    [5000, 10_500],
    [5001, 10_505],
    [5300, 12_000],
    [6500, 16_000],
    [7399, 16_000 + 2000 + 499 * 2], // levels 100, 300, 500/s: the last 500 at 2 ms apart
  ])('arrival %d is due at %d ms', (n, t) => {
    expect(s.dueAt(n)).toBeCloseTo(t, 6);
  });

  it('gives the same due times whatever order they are asked in', () => {
    const forward = sampleArrivals(s.count, 500).map((n) => s.dueAt(n));
    const backward = sampleArrivals(s.count, 500)
      .reverse()
      .map((n) => s.dueAt(n))
      .reverse();
    expect(backward).toEqual(forward);
  });

  it.each([
    [0, 0],
    [1999.999, 0],
    [2000, 1],
    [4999.999, 1],
    [5000, 2],
    [9999.999, 2],
    [10_000, 3],
    [12_000, 4],
    [16_000, 5],
    [18_999, 5],
    [-3, 0],
    [50_000, 5],
  ])('at %d ms phase %d is playing', (t, i) => {
    expect(s.phaseIndexAt(t)).toBe(i);
  });

  it.each([
    [1000, 500],
    [3000, 1000],
    [7000, 0],
    [10_250, 2000],
    [11_000, 200],
    [12_500, 500],
    [13_500, 100],
    [17_500, 300],
    [19_000, 0],
  ])('rate at %d ms is %d/s', (t, r) => {
    expect(s.rateAt(t)).toBeCloseTo(r, 9);
  });

  it('counts arrivals before an offset, idle gap included', () => {
    expect(s.countBefore(5000)).toBe(4000);
    expect(s.countBefore(7500)).toBe(4000);
    expect(s.countBefore(10_000)).toBe(4000);
    expect(s.countBefore(10_000.0001)).toBe(4001);
    expect(s.countBefore(19_000)).toBe(7400);
  });

  it('is non-decreasing, inside [0, durationMs), and inverted by countBefore', () => {
    expect(expectMonotoneInRange(s)).toBe(7400);
    expectCountBeforeInverts(s, sampleArrivals(s.count, 10_000));
  });

  it('reports the peak rate over all phases', () => {
    expect(s.peakRate()).toBe(2000);
    expect(peakRate(phases)).toBe(2000);
    expect(peakRate([warm, gap])).toBe(1000);
    expect(peakRate([gap])).toBe(0);
    expect(peakRate([wave])).toBe(500);
  });
});

describe('schedule edge cases', () => {
  it('handles no phases', () => {
    const s = createSchedule([]);
    expect([s.count, s.durationMs, s.phaseCount, s.peakRate()]).toEqual([0, 0, 0, 0]);
    expect(s.phaseIndexAt(0)).toBe(-1);
    expect(s.countBefore(10)).toBe(0);
    expect(s.rateAt(0)).toBe(0);
  });

  it('skips zero-length and silent phases when numbering arrivals', () => {
    const s = createSchedule([
      { kind: 'constant', name: 'none', durationMs: 0, rate: 1000 },
      { kind: 'idle', name: 'lead', durationMs: 1000 },
      { kind: 'constant', name: 'off', durationMs: 1000, rate: 0 },
      { kind: 'constant', name: 'on', durationMs: 1000, rate: 10 },
    ]);
    expect(s.count).toBe(10);
    expect(s.dueAt(0)).toBe(2000);
    expect(s.dueAt(9)).toBe(2900);
    expect(s.phaseIndexAt(0)).toBe(1);
    expect(s.phaseFirstArrival(3)).toBe(0);
  });

  it('carries a fractional phase total as one extra arrival, never fewer', () => {
    // 2.5 expected arrivals per phase → 3 each, the next phase starting afresh at its own t = 0.
    const half: PhaseSpec = { kind: 'constant', name: 'h', durationMs: 1000, rate: 2.5 };
    const s = createSchedule([half, half]);
    expect(s.count).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((n) => s.dueAt(n))).toEqual([0, 400, 800, 1000, 1400, 1800]);
  });

  it('keeps the last arrival inside the schedule when adding the phase offset rounds it up to the end', () => {
    // The phase's last arrival is 1e-10 ms before its end; an hour in, that is under half a float step.
    const s = createSchedule([
      { kind: 'idle', name: 'a', durationMs: 3_600_000 },
      { kind: 'constant', name: 'b', durationMs: 10, rate: 10_000.0000001 },
    ]);
    expect(s.count).toBe(101);
    expect(s.dueAt(100)).toBeLessThan(3_600_010);
    expect(s.dueAt(100)).toBeGreaterThan(s.dueAt(99));
    expect(s.countBefore(s.dueAt(100))).toBe(100);
  });

  it('keeps the last arrival inside the schedule when phase offsets are fractional', () => {
    const s = createSchedule([
      { kind: 'constant', name: 'a', durationMs: 0.1, rate: 10_000 },
      { kind: 'constant', name: 'b', durationMs: 0.2, rate: 10_000 },
      { kind: 'ramp', name: 'c', durationMs: 1e6 / 3, from: 3, to: 7 },
    ]);
    expect(expectMonotoneInRange(s)).toBe(s.count);
    expect(s.dueAt(s.count - 1)).toBeLessThan(s.durationMs);
  });
});
