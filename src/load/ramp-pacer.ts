import {
  MS_PER_S,
  arrivalsBelow,
  requireDuration,
  requireRate,
  settleCount,
  settleCountBefore,
  type PhaseOf,
  type PhasePacer,
} from './pacer-support.js';

/**
 * A rate that moves linearly from `from` to `to` (arrivals/second) over the phase, up or
 * down; either end may be 0.
 *
 * With slope k = (to − from)/D (per second, per ms), 1000·N(t) = from·t + k·t²/2, and
 * arrival n is the root of k·t²/2 + from·t − 1000n = 0. dueAt uses the root in the form
 *   t = 2000n / (from + √(from² + 2000·k·n))
 * which has no cancellation when k is tiny, is exactly 1000n/from when from == to, and
 * reduces to √(2000n/k) when from == 0. √(from² + 2000kn) is the rate at the due time.
 */
export class RampPacer implements PhasePacer {
  readonly count: number;
  readonly durationMs: number;
  readonly peakRate: number;
  private readonly from: number;
  private readonly to: number;
  /** Rate change per ms of the phase, in arrivals/second per ms; 0 for an empty phase. */
  private readonly slope: number;
  /** 2000·slope, precomputed for dueAt. */
  private readonly slope2k: number;

  constructor(spec: PhaseOf<'ramp'>) {
    requireDuration(spec);
    requireRate(spec, 'from', spec.from);
    requireRate(spec, 'to', spec.to);
    this.durationMs = spec.durationMs;
    this.from = spec.from;
    this.to = spec.to;
    this.slope = spec.durationMs > 0 ? (spec.to - spec.from) / spec.durationMs : 0;
    this.slope2k = 2 * MS_PER_S * this.slope;
    this.peakRate = spec.durationMs > 0 ? Math.max(spec.from, spec.to) : 0;
    const expected = ((spec.from + spec.to) * spec.durationMs) / (2 * MS_PER_S);
    this.count = spec.durationMs > 0 ? settleCount(spec, this, expected) : 0;
  }

  dueAt(n: number): number {
    const rateSq = this.from * this.from + this.slope2k * n;
    // rateSq dips below 0 only by rounding at the zero end of a falling ramp.
    const den = this.from + Math.sqrt(rateSq > 0 ? rateSq : 0);
    // den is 0 only for n = 0 on a ramp from 0, due at t = 0.
    return den > 0 ? (2 * MS_PER_S * n) / den : 0;
  }

  rateAt(tMs: number): number {
    if (!(tMs >= 0 && tMs < this.durationMs)) return 0;
    return this.from + ((this.to - this.from) * tMs) / this.durationMs;
  }

  countBefore(tMs: number): number {
    if (!(tMs > 0)) return 0;
    if (tMs >= this.durationMs) return this.count;
    const expected = (tMs * (this.from + (this.slope * tMs) / 2)) / MS_PER_S;
    return settleCountBefore(this, tMs, arrivalsBelow(expected));
  }
}
