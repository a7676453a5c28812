import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPacer, createSchedule, peakRate, totalArrivals } from '../../src/load/pacers.js';
import type { PhaseSpec } from '../../src/load/phase.js';

// Small enough to walk every arrival: at most 2000/s for 5 s per phase, 5 phases.
const rate = fc.double({ min: 0, max: 2000, noNaN: true });
const wholeMs = fc.integer({ min: 0, max: 5000 });
// Fractional ms too, but not durations so small (1e-200 ms) that adding them to the run's
// offset changes nothing: no scenario can express those.
const anyMs = fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 5000, noNaN: true }));
const name = fc.constant('p');

const constant = fc.record({ kind: fc.constant('constant' as const), name, durationMs: anyMs, rate });
const ramp = fc.record({ kind: fc.constant('ramp' as const), name, durationMs: anyMs, from: rate, to: rate });
const step = fc.record({
  kind: fc.constant('step' as const),
  name,
  durationMs: anyMs,
  from: rate,
  to: rate,
  steps: fc.integer({ min: 2, max: 12 }),
});
const spike = fc
  .tuple(wholeMs, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), rate, rate)
  .map(([durationMs, at, len, base, peak]): PhaseSpec => {
    const atMs = Math.floor(at * durationMs);
    return { kind: 'spike', name: 'p', durationMs, base, peak, atMs, forMs: Math.floor(len * (durationMs - atMs)) };
  });
const sine = fc
  .tuple(anyMs, rate, fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 1, max: 10_000, noNaN: true }))
  .map(([durationMs, mean, share, periodMs]): PhaseSpec => ({
    kind: 'sine',
    name: 'p',
    durationMs,
    mean,
    amplitude: share * mean,
    periodMs,
  }));
const idle = fc.record({ kind: fc.constant('idle' as const), name, durationMs: anyMs });

const phase: fc.Arbitrary<PhaseSpec> = fc.oneof(constant, ramp, step, spike, sine, idle);
const phases = fc.array(phase, { minLength: 1, maxLength: 5 });

/** N(durationMs) computed from the spec alone, independently of the pacers. */
function expectedTotal(p: PhaseSpec): number {
  const s = p.durationMs / 1000;
  switch (p.kind) {
    case 'constant':
      return p.rate * s;
    case 'ramp':
      return ((p.from + p.to) / 2) * s;
    case 'step':
      return ((p.from + p.to) / 2) * s; // levels are symmetric about the mean
    case 'spike':
      return (p.base * (p.durationMs - p.forMs) + p.peak * p.forMs) / 1000;
    case 'sine': {
      const w = (2 * Math.PI) / p.periodMs;
      return (p.mean * p.durationMs + (p.amplitude / w) * (1 - Math.cos(w * p.durationMs))) / 1000;
    }
    case 'idle':
      return 0;
  }
}

describe('random phase lists', () => {
  it('schedule every arrival at a non-decreasing time inside [0, durationMs)', () => {
    fc.assert(
      fc.property(phases, (list) => {
        const s = createSchedule(list);
        let prev = 0;
        for (let n = 0; n < s.count; n++) {
          const t = s.dueAt(n);
          if (!(t >= prev && t < s.durationMs)) return false;
          prev = t;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('count each phase as ceil(N(duration)) and number the phases in sequence', () => {
    fc.assert(
      fc.property(phases, (list) => {
        const s = createSchedule(list);
        let first = 0;
        let start = 0;
        list.forEach((p, i) => {
          const exact = expectedTotal(p);
          const count = createPacer(p).count;
          // ceil, allowing for float noise when N lands on a whole number
          expect(count).toBeGreaterThanOrEqual(Math.floor(exact - 1e-6));
          expect(count).toBeLessThanOrEqual(Math.ceil(exact + 1e-6));
          if (Math.abs(exact - Math.round(exact)) > 1e-6) expect(count).toBe(Math.ceil(exact));
          expect(s.phaseFirstArrival(i)).toBe(first);
          expect(s.phaseStartMs(i)).toBeCloseTo(start, 9);
          if (count > 0) expect(s.dueAt(first)).toBeGreaterThanOrEqual(s.phaseStartMs(i));
          first += count;
          start += p.durationMs;
        });
        expect(s.count).toBe(first);
        expect(totalArrivals(list)).toBe(first);
      }),
      { numRuns: 300 },
    );
  });

  it('invert dueAt with countBefore and stay under the peak rate', () => {
    fc.assert(
      fc.property(phases, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }), (list, picks) => {
        const s = createSchedule(list);
        const peak = peakRate(list);
        expect(s.peakRate()).toBe(peak);
        for (const pick of picks) {
          const t = pick * s.durationMs;
          expect(s.rateAt(t)).toBeLessThanOrEqual(peak * (1 + 1e-12));
          if (s.count === 0) continue;
          const n = Math.min(s.count - 1, Math.floor(pick * s.count));
          const due = s.dueAt(n);
          // Equal neighbours (possible only by rounding at a segment edge) make the inverse ambiguous.
          if (n > 0 && s.dueAt(n - 1) === due) continue;
          expect(s.countBefore(due)).toBe(n);
          if (n + 1 === s.count || s.dueAt(n + 1) > due + 1e-9) expect(s.countBefore(due + 1e-9)).toBe(n + 1);
        }
        expect(s.countBefore(s.durationMs)).toBe(s.count);
      }),
      { numRuns: 300 },
    );
  });
});
