import { describe, expect, it } from 'vitest';
import { createPacer, createSchedule } from '../../src/load/pacers.js';
import type { Pacer } from '../../src/load/pacer.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import { bisect, expectCountBeforeInverts, expectMonotoneInRange, sampleArrivals } from './pacer-checks.js';

// A one-hour soak at 200k arrivals/s: 720M arrivals, due times up to 3.6e6 ms, where a
// double resolves ~0.5 ns. Due times are computed from n, so they must stay within 1 ns
// of the exact answer and strictly increasing right to the end.
const HOUR_MS = 3_600_000;
const TOLERANCE_MS = 1e-6;

interface Case {
  label: string;
  phases: PhaseSpec[];
  count: number;
  /** The exact due time of arrival n, computed independently of the pacer. */
  reference: (n: number) => number;
}

const rampK = 400_000 / HOUR_MS; // 0 → 400k/s: per second, per ms
const liftA = 100_000;
const liftK = 200_000 / HOUR_MS; // 100k → 300k/s
const sineOmega = (2 * Math.PI) / 60_000;
const sineG = (t: number) => 200_000 * t + (160_000 / sineOmega) * (1 - Math.cos(sineOmega * t));

const cases: Case[] = [
  {
    label: 'constant 200k/s',
    phases: [{ kind: 'constant', name: 'c', durationMs: HOUR_MS, rate: 200_000 }],
    count: 720_000_000,
    reference: (n) => n / 200,
  },
  {
    label: 'ramp 0 → 400k/s',
    phases: [{ kind: 'ramp', name: 'r', durationMs: HOUR_MS, from: 0, to: 400_000 }],
    count: 720_000_000,
    reference: (n) => Math.sqrt((2000 * n) / rampK),
  },
  {
    label: 'ramp 100k → 300k/s',
    phases: [{ kind: 'ramp', name: 'r', durationMs: HOUR_MS, from: liftA, to: 300_000 }],
    count: 720_000_000,
    // The textbook root: accurate here because 2000·k·n is never small next to from².
    reference: (n) => (Math.sqrt(liftA * liftA + 2000 * liftK * n) - liftA) / liftK,
  },
  {
    label: 'step 100k → 300k/s in 4 steps',
    phases: [{ kind: 'step', name: 's', durationMs: HOUR_MS, from: 100_000, to: 300_000, steps: 4 }],
    count: 720_000_000,
    reference: (n) => {
      const levels = [100_000, 500_000 / 3, 700_000 / 3, 300_000];
      let before = 0;
      for (let i = 0; ; i++) {
        const inStep = (levels[i] * (HOUR_MS / 4)) / 1000;
        if (n < before + inStep || i === 3) return (i * HOUR_MS) / 4 + ((n - before) * 1000) / levels[i];
        before += inStep;
      }
    },
  },
  {
    label: 'sine 200k ± 160k/s, period 1 min',
    phases: [{ kind: 'sine', name: 'w', durationMs: HOUR_MS, mean: 200_000, amplitude: 160_000, periodMs: 60_000 }],
    count: 720_000_000,
    reference: (n) => (n === 0 ? 0 : bisect(sineG, n * 1000, 0, HOUR_MS)),
  },
  {
    label: 'schedule: 200k/s for 30 min, 5 min idle, 200k/s for 25 min',
    phases: [
      { kind: 'constant', name: 'a', durationMs: HOUR_MS / 2, rate: 200_000 },
      { kind: 'idle', name: 'gap', durationMs: 300_000 },
      { kind: 'constant', name: 'b', durationMs: 1_500_000, rate: 200_000 },
    ],
    count: 660_000_000,
    reference: (n) => (n < 360_000_000 ? n / 200 : 2_100_000 + (n - 360_000_000) / 200),
  },
];

function build(phases: PhaseSpec[]): Pacer {
  return phases.length === 1 ? createPacer(phases[0]) : createSchedule(phases);
}

describe.each(cases)('one hour: $label', ({ phases, count, reference }) => {
  const p = build(phases);

  it('counts every arrival', () => {
    expect(p.count).toBe(count);
  });

  it('stays within 1 ns of the exact due time, first arrival to last', () => {
    for (const n of sampleArrivals(p.count, 5000)) {
      const t = p.dueAt(n);
      const ref = reference(n);
      if (!(Math.abs(t - ref) < TOLERANCE_MS)) expect.fail(`arrival ${n}: ${t} ms, exact ${ref} ms`);
    }
  });

  it('is strictly increasing over the last 200k arrivals and ends inside the hour', () => {
    expectMonotoneInRange(p, p.count - 200_000, p.count);
    for (let n = p.count - 200_000 + 1; n < p.count; n++) {
      if (!(p.dueAt(n) > p.dueAt(n - 1))) expect.fail(`arrivals ${n - 1} and ${n} share a due time`);
    }
  });

  it('spaces late arrivals by 1000/rate ms, not by accumulated rounding', () => {
    for (const n of sampleArrivals(p.count - 1, 200)) {
      const t = p.dueAt(n);
      const gap = p.dueAt(n + 1) - t;
      const rate = p.rateAt(t);
      if (rate < 1000) continue; // near a trough or gap: the local rate is no guide
      if (!(Math.abs(gap * rate - 1000) < 1)) expect.fail(`arrival ${n}: gap ${gap} ms at ${rate}/s`);
    }
  });

  it('inverts with countBefore at the far end', () => {
    expectCountBeforeInverts(p, [p.count - 3, p.count - 2, p.count - 1, Math.floor(p.count / 3)], 1e-4);
    expect(p.countBefore(p.durationMs)).toBe(count);
  });
});
