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
 * A fixed rate r (arrivals/second) for the whole phase: arrival n is due at 1000·n/r ms,
 * so 1000/s for 12 s gives exactly 12000 arrivals at 0, 1, …, 11999 ms. A rate of 0
 * gives no arrivals.
 */
export class ConstantPacer implements PhasePacer {
  readonly count: number;
  readonly durationMs: number;
  readonly peakRate: number;
  private readonly rate: number;

  constructor(spec: PhaseOf<'constant'>) {
    requireDuration(spec);
    requireRate(spec, 'rate', spec.rate);
    this.durationMs = spec.durationMs;
    this.rate = spec.rate;
    this.peakRate = spec.durationMs > 0 ? spec.rate : 0;
    this.count = spec.rate > 0 ? settleCount(spec, this, (spec.rate * spec.durationMs) / MS_PER_S) : 0;
  }

  dueAt(n: number): number {
    // n·1000 is exact for any safe-integer count, so this is the correctly rounded 1000n/r.
    return (n * MS_PER_S) / this.rate;
  }

  rateAt(tMs: number): number {
    return tMs >= 0 && tMs < this.durationMs ? this.rate : 0;
  }

  countBefore(tMs: number): number {
    if (!(tMs > 0)) return 0;
    if (tMs >= this.durationMs) return this.count;
    return settleCountBefore(this, tMs, arrivalsBelow((this.rate * tMs) / MS_PER_S));
  }
}
