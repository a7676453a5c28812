import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/load/pacers.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import { bisect, expectCountBeforeInverts, expectMonotoneInRange, sampleArrivals } from './pacer-checks.js';

interface Case {
  label: string;
  spec: PhaseSpec;
  count: number;
  /** [n, due ms] */
  due: [number, number][];
  /** [t ms, arrivals/second] */
  rates: [number, number][];
  peak: number;
}

const cases: Case[] = [
  {
    label: 'constant 1000/s for 12 s',
    spec: { kind: 'constant', name: 'c', durationMs: 12_000, rate: 1000 },
    count: 12_000,
    due: [[0, 0], [1, 1], [500, 500], [11_999, 11_999]],
    rates: [[0, 1000], [11_999.9, 1000], [12_000, 0], [-1, 0]],
    peak: 1000,
  },
  {
    label: 'constant 3/s for 1 s',
    spec: { kind: 'constant', name: 'c', durationMs: 1000, rate: 3 },
    count: 3,
    due: [[0, 0], [1, 1000 / 3], [2, 2000 / 3]],
    rates: [[500, 3]],
    peak: 3,
  },
  {
    label: 'constant 2.5/s for 1 s (fractional total rounds up)',
    spec: { kind: 'constant', name: 'c', durationMs: 1000, rate: 2.5 },
    count: 3,
    due: [[0, 0], [1, 400], [2, 800]],
    rates: [[999, 2.5]],
    peak: 2.5,
  },
  {
    label: 'constant 1.1/s for 1 h (float noise in N must not add an arrival)',
    // 1.1 · 3600 computes as 3960.0000000000005; a 3961st arrival would be "due" 0.5 ns before the end.
    spec: { kind: 'constant', name: 'c', durationMs: 3_600_000, rate: 1.1 },
    count: 3960,
    due: [[3959, 3_959_000 / 1.1]],
    rates: [[0, 1.1]],
    peak: 1.1,
  },
  {
    label: 'constant 0/s',
    spec: { kind: 'constant', name: 'c', durationMs: 1000, rate: 0 },
    count: 0,
    due: [],
    rates: [[10, 0]],
    peak: 0,
  },
  {
    label: 'ramp 0 → 1000/s over 10 s',
    spec: { kind: 'ramp', name: 'r', durationMs: 10_000, from: 0, to: 1000 },
    count: 5000,
    due: [[0, 0], [1, Math.sqrt(20_000)], [100, Math.sqrt(2_000_000)], [4999, Math.sqrt(20_000 * 4999)]],
    rates: [[0, 0], [5000, 500], [9999, 999.9]],
    peak: 1000,
  },
  {
    label: 'ramp 1000 → 0/s over 10 s',
    spec: { kind: 'ramp', name: 'r', durationMs: 10_000, from: 1000, to: 0 },
    count: 5000,
    due: [[0, 0], [1, 10_000 - Math.sqrt(1e8 - 20_000)], [4999, 10_000 - Math.sqrt(20_000)]],
    rates: [[0, 1000], [2500, 750]],
    peak: 1000,
  },
  {
    label: 'ramp 100 → 100/s (flat) over 5 s',
    spec: { kind: 'ramp', name: 'r', durationMs: 5000, from: 100, to: 100 },
    count: 500,
    due: [[0, 0], [1, 10], [499, 4990]],
    rates: [[4999, 100]],
    peak: 100,
  },
  {
    label: 'ramp 100 → 300/s over 2 s',
    spec: { kind: 'ramp', name: 'r', durationMs: 2000, from: 100, to: 300 },
    count: 400,
    due: [[0, 0], [100, (Math.sqrt(0.03) - 0.1) / 1e-4], [399, (Math.sqrt(0.01 + 0.0002 * 399) - 0.1) / 1e-4]],
    rates: [[0, 100], [1000, 200]],
    peak: 300,
  },
  {
    label: 'step 100 → 300/s in 3 steps over 3 s',
    spec: { kind: 'step', name: 's', durationMs: 3000, from: 100, to: 300, steps: 3 },
    count: 600,
    due: [[0, 0], [99, 990], [100, 1000], [101, 1005], [299, 1995], [300, 2000], [599, 2000 + 299_000 / 300]],
    rates: [[999, 100], [1000, 200], [2000, 300], [2999, 300]],
    peak: 300,
  },
  {
    label: 'step 0 → 200/s in 3 steps (silent first step)',
    spec: { kind: 'step', name: 's', durationMs: 3000, from: 0, to: 200, steps: 3 },
    count: 300,
    due: [[0, 1000], [99, 1990], [100, 2000], [299, 2995]],
    rates: [[500, 0], [1500, 100], [2500, 200]],
    peak: 200,
  },
  {
    label: 'step 300 → 100/s in 3 steps (falling)',
    spec: { kind: 'step', name: 's', durationMs: 3000, from: 300, to: 100, steps: 3 },
    count: 600,
    due: [[299, 299_000 / 300], [300, 1000], [500, 2000], [599, 2990]],
    rates: [[0, 300], [1500, 200], [2999, 100]],
    peak: 300,
  },
  {
    label: 'spike 100/s with 1000/s at 1 s for 0.5 s',
    spec: { kind: 'spike', name: 'k', durationMs: 3000, base: 100, peak: 1000, atMs: 1000, forMs: 500 },
    count: 750,
    due: [[99, 990], [100, 1000], [101, 1001], [599, 1499], [600, 1500], [601, 1510], [749, 2990]],
    rates: [[999, 100], [1000, 1000], [1499, 1000], [1500, 100]],
    peak: 1000,
  },
  {
    label: 'spike from base 0 (a lone burst: no extra arrival after it)',
    spec: { kind: 'spike', name: 'k', durationMs: 5000, base: 0, peak: 1000, atMs: 1000, forMs: 1000 },
    count: 1000,
    due: [[0, 1000], [999, 1999]],
    rates: [[500, 0], [1500, 1000], [2500, 0]],
    peak: 1000,
  },
  {
    label: 'spike down to 0 (a dip holds no arrival)',
    spec: { kind: 'spike', name: 'k', durationMs: 3000, base: 100, peak: 0, atMs: 1000, forMs: 1000 },
    count: 200,
    due: [[99, 990], [100, 2000], [199, 2990]],
    rates: [[999, 100], [1000, 0], [1999, 0], [2000, 100]],
    peak: 100,
  },
  {
    label: 'spike of zero length',
    spec: { kind: 'spike', name: 'k', durationMs: 1000, base: 100, peak: 5000, atMs: 500, forMs: 0 },
    count: 100,
    due: [[50, 500], [99, 990]],
    rates: [[500, 100]],
    peak: 100,
  },
  {
    label: 'sine 100 ± 50/s, period 1 s, for 2 s',
    spec: { kind: 'sine', name: 'w', durationMs: 2000, mean: 100, amplitude: 50, periodMs: 1000 },
    count: 200,
    // N(period) = mean·period exactly, so arrival 100 starts the second period.
    due: [[0, 0], [100, 1000]],
    rates: [[0, 100], [250, 150], [750, 50], [1250, 150]],
    peak: 150,
  },
  {
    label: 'sine with amplitude = mean (rate touches 0)',
    spec: { kind: 'sine', name: 'w', durationMs: 3000, mean: 100, amplitude: 100, periodMs: 1000 },
    count: 300,
    due: [[0, 0], [100, 1000], [200, 2000]],
    rates: [[250, 200], [750, 0]],
    peak: 200,
  },
  {
    label: 'sine with negative amplitude (trough first)',
    spec: { kind: 'sine', name: 'w', durationMs: 1000, mean: 100, amplitude: -100, periodMs: 1000 },
    count: 100,
    due: [[0, 0]],
    rates: [[250, 0], [750, 200]],
    peak: 200,
  },
  {
    label: 'sine shorter than its first crest',
    spec: { kind: 'sine', name: 'w', durationMs: 500, mean: 100, amplitude: 50, periodMs: 4000 },
    count: Math.ceil((100 * 500 + (50 * 4000) / (2 * Math.PI) * (1 - Math.cos(Math.PI / 4))) / 1000),
    due: [[0, 0]],
    rates: [[0, 100]],
    peak: 100 + 50 * Math.SQRT1_2,
  },
  {
    label: 'idle 5 s',
    spec: { kind: 'idle', name: 'i', durationMs: 5000 },
    count: 0,
    due: [],
    rates: [[0, 0], [4999, 0]],
    peak: 0,
  },
];

describe.each(cases)('$label', ({ spec, count, due, rates, peak }) => {
  const p = createPacer(spec);

  it('has the expected count and duration', () => {
    expect(p.count).toBe(count);
    expect(p.durationMs).toBe(spec.durationMs);
  });

  it.each(due)('arrival %d is due at %d ms', (n, t) => {
    expect(p.dueAt(n)).toBeCloseTo(t, 6);
  });

  it.each(rates)('rate at %d ms is %d/s', (t, r) => {
    expect(p.rateAt(t)).toBeCloseTo(r, 9);
  });

  it('reports its peak rate', () => {
    expect(p.peakRate).toBeCloseTo(peak, 9);
  });

  it('schedules every arrival in order inside the phase', () => {
    expect(expectMonotoneInRange(p)).toBe(count);
  });

  it('inverts dueAt with countBefore', () => {
    expectCountBeforeInverts(p, sampleArrivals(count));
    expect(p.countBefore(0)).toBe(0);
    expect(p.countBefore(-5)).toBe(0);
    expect(p.countBefore(spec.durationMs)).toBe(count);
    expect(p.countBefore(spec.durationMs * 10 + 1)).toBe(count);
  });
});

describe('sine accuracy', () => {
  it.each([
    [100, 50, 1000],
    [100, 100, 1000],
    [100, -100, 1000],
    [5000, 4000, 7000],
    [1000, 1, 333],
  ])('mean %d, amplitude %d, period %d ms: each due time matches a bisection of N to 1 ns', (mean, amplitude, periodMs) => {
    const durationMs = 10_000;
    const p = createPacer({ kind: 'sine', name: 'w', durationMs, mean, amplitude, periodMs });
    const omega = (2 * Math.PI) / periodMs;
    const g = (t: number) => mean * t + (amplitude / omega) * (1 - Math.cos(omega * t));
    expect(p.count).toBe(Math.ceil(g(durationMs) / 1000 - 1e-9));
    for (const n of sampleArrivals(p.count, 3000)) {
      // Arrival n: the first instant N(t) = G(t)/1000 reaches n.
      const ref = n === 0 ? 0 : bisect(g, n * 1000, 0, durationMs);
      if (Math.abs(p.dueAt(n) - ref) > 1e-6) expect.fail(`arrival ${n}: ${p.dueAt(n)} ms, reference ${ref} ms`);
    }
  });
});

describe('step levels', () => {
  it.each([
    [0.1, 0.7, 4],
    [7, 3, 5],
    [1000, 0, 2],
  ])('from %d to %d in %d steps ends exactly at `to`', (from, to, steps) => {
    const p = createPacer({ kind: 'step', name: 's', durationMs: 4000, from, to, steps });
    expect(p.rateAt(0)).toBe(from);
    expect(p.rateAt(3999.999)).toBe(to);
    const width = 4000 / steps;
    for (let i = 0; i < steps; i++) {
      expect(p.rateAt(i * width + width / 2)).toBeCloseTo(from + ((to - from) * i) / (steps - 1), 9);
    }
  });
});
