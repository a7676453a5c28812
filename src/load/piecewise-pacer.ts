import type { PhaseSpec } from './phase.js';
import {
  MS_PER_S,
  arrivalsBelow,
  settleCount,
  settleCountBefore,
  type PhasePacer,
} from './pacer-support.js';

/**
 * A rate that is constant on each of a few segments: the engine under step and spike.
 * Segment i covers [bounds[i], bounds[i+1]) ms at rates[i] arrivals/second; a segment may be
 * empty or have rate 0. Arrival n falls in the first segment whose cumulative total passes
 * n, at bounds[i] + 1000·(n − cum[i]) / rates[i], so a zero-rate segment holds no arrival
 * and the next arrival waits for the next positive segment.
 */
export class PiecewisePacer implements PhasePacer {
  readonly count: number;
  readonly durationMs: number;
  readonly peakRate: number;
  /** Segment edges in ms from the phase start: bounds[0] = 0, bounds[k] = durationMs. */
  private readonly bounds: Float64Array;
  /** Rate of each segment, arrivals/second. */
  private readonly rates: Float64Array;
  /** cum[i] = N(bounds[i]), expected arrivals before segment i (fractional). */
  private readonly cum: Float64Array;
  private readonly segments: number;

  /** `bounds` has one more entry than `rates`, starts at 0, ends at durationMs and never falls. */
  constructor(spec: PhaseSpec, bounds: readonly number[], rates: readonly number[]) {
    if (bounds.length !== rates.length + 1 || rates.length === 0) {
      throw new Error(`pacer for phase "${spec.name}": ${rates.length} rates need ${rates.length + 1} bounds`);
    }
    this.segments = rates.length;
    this.bounds = Float64Array.from(bounds);
    this.rates = Float64Array.from(rates);
    this.cum = new Float64Array(bounds.length);
    let peak = 0;
    for (let i = 0; i < this.segments; i++) {
      const lengthMs = bounds[i + 1] - bounds[i];
      if (!(lengthMs >= 0)) throw new Error(`pacer for phase "${spec.name}": segment ${i} ends before it starts`);
      this.cum[i + 1] = this.cum[i] + (rates[i] * lengthMs) / MS_PER_S;
      if (lengthMs > 0 && rates[i] > peak) peak = rates[i];
    }
    this.durationMs = bounds[this.segments];
    this.peakRate = peak;
    this.count = settleCount(spec, this, this.cum[this.segments]);
  }

  dueAt(n: number): number {
    const i = this.segmentOfArrival(n);
    const t = this.bounds[i] + ((n - this.cum[i]) * MS_PER_S) / this.rates[i];
    // Rounding may put an arrival a hair past its segment's end; holding it at the edge
    // keeps dueAt non-decreasing across segments.
    const end = this.bounds[i + 1];
    return t < end ? t : end;
  }

  rateAt(tMs: number): number {
    if (!(tMs >= 0 && tMs < this.durationMs)) return 0;
    return this.rates[this.segmentAt(tMs)];
  }

  countBefore(tMs: number): number {
    if (!(tMs > 0)) return 0;
    if (tMs >= this.durationMs) return this.count;
    const i = this.segmentAt(tMs);
    const expected = this.cum[i] + (this.rates[i] * (tMs - this.bounds[i])) / MS_PER_S;
    return settleCountBefore(this, tMs, arrivalsBelow(expected));
  }

  /** First segment i with cum[i+1] > n: it has a positive rate and cum[i] <= n. Allocation-free. */
  private segmentOfArrival(n: number): number {
    let lo = 0;
    let hi = this.segments - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cum[mid + 1] > n) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Last segment i with bounds[i] <= tMs (skips empty segments); tMs in [0, durationMs). */
  private segmentAt(tMs: number): number {
    let lo = 0;
    let hi = this.segments - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.bounds[mid] <= tMs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
