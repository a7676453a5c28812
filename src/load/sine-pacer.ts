import {
  MS_PER_S,
  arrivalsBelow,
  invalidPhase,
  requireDuration,
  requireRate,
  settleCount,
  settleCountBefore,
  type PhaseOf,
  type PhasePacer,
} from './pacer-support.js';

/** Accuracy a due time is solved to, in ms (0.1 ns): far below the gap between arrivals. */
const TOLERANCE_MS = 1e-7;
/** Enough for bisection alone to shrink any bracket below float resolution. */
const MAX_ITERATIONS = 80;
/** Knots of the precomputed inverse over one period (2 KiB per phase). */
const KNOTS = 256;

/**
 * rate(t) = mean + amplitude·sin(2π·t/periodMs), arrivals/second, t in ms from the phase start.
 *
 * The rate must never be negative, so |amplitude| <= mean is required and a larger
 * amplitude is rejected (not clamped at 0): the scenario validator should reject it first.
 * amplitude == mean touches 0 at each trough; a negative amplitude starts with the trough.
 *
 * With ω = 2π/periodMs and swing = amplitude/ω, G(t) = 1000·N(t) = mean·t + swing·(1 − cos ωt),
 * and G(t + period) = G(t) + mean·period. dueAt(n) reduces 1000·n to whole periods plus a
 * remainder r, then solves G(τ) = r for τ in one period by Newton's method inside a bracket
 * read from a table of G's inverse at KNOTS evenly spaced values, bisecting whenever a Newton
 * step would leave the bracket (as at a trough where the rate is 0). Typically one or two
 * iterations (one sin and one cos each); no allocation.
 */
export class SinePacer implements PhasePacer {
  readonly count: number;
  readonly durationMs: number;
  readonly peakRate: number;
  private readonly mean: number;
  private readonly amplitude: number;
  private readonly periodMs: number;
  /** Radians per ms. */
  private readonly omega: number;
  /** amplitude / ω: arrivals/second times ms. */
  private readonly swing: number;
  /** |amplitude|·ω, the most |G''| can be: bounds the error left after a Newton step. */
  private readonly curvature: number;
  /** G over one period, mean·periodMs. */
  private readonly perPeriod: number;
  /** knots[j] = τ in [0, periodMs] with G(τ) = j·perPeriod/KNOTS. */
  private readonly knots: Float64Array;

  constructor(spec: PhaseOf<'sine'>) {
    requireDuration(spec);
    requireRate(spec, 'mean', spec.mean);
    if (!(Number.isFinite(spec.amplitude) && Math.abs(spec.amplitude) <= spec.mean)) {
      throw invalidPhase(spec, 'amplitude', `must be between -mean and mean (${spec.mean}) so the rate stays >= 0, got ${spec.amplitude}`);
    }
    if (!(Number.isFinite(spec.periodMs) && spec.periodMs > 0)) {
      throw invalidPhase(spec, 'periodMs', `must be a finite number of ms > 0, got ${spec.periodMs}`);
    }
    this.durationMs = spec.durationMs;
    this.mean = spec.mean;
    this.amplitude = spec.amplitude;
    this.periodMs = spec.periodMs;
    this.omega = (2 * Math.PI) / spec.periodMs;
    this.swing = spec.amplitude / this.omega;
    this.curvature = Math.abs(spec.amplitude) * this.omega;
    this.perPeriod = spec.mean * spec.periodMs;
    this.knots = new Float64Array(KNOTS + 1);
    this.peakRate = this.highestRate();
    if (spec.mean > 0) this.fillKnots();
    this.count = spec.mean > 0 ? settleCount(spec, this, this.expectedBefore(spec.durationMs)) : 0;
  }

  dueAt(n: number): number {
    const target = n * MS_PER_S;
    const periods = Math.floor(target / this.perPeriod);
    let r = target - periods * this.perPeriod;
    if (r < 0) r = 0;
    const x = (r / this.perPeriod) * KNOTS;
    let j = Math.floor(x);
    if (j >= KNOTS) j = KNOTS - 1;
    // Widened by the tolerance the knots themselves were solved to.
    const lo = this.knots[j] - TOLERANCE_MS;
    const hi = this.knots[j + 1] + TOLERANCE_MS;
    const guess = this.knots[j] + (this.knots[j + 1] - this.knots[j]) * (x - j);
    return periods * this.periodMs + this.solve(r, lo < 0 ? 0 : lo, hi, guess);
  }

  /**
   * τ in [lo, hi] with G(τ) = g, to within TOLERANCE_MS, given G(lo) <= g <= G(hi).
   * Newton from `guess`, narrowing the bracket by the sign of G − g at each iterate.
   */
  private solve(g: number, lo: number, hi: number, guess: number): number {
    let t = guess >= lo && guess <= hi ? guess : 0.5 * (lo + hi);
    for (let i = 0; i < MAX_ITERATIONS; i++) {
      const phase = this.omega * t;
      const f = this.mean * t + this.swing * (1 - Math.cos(phase)) - g;
      if (f < 0) lo = t;
      else if (f > 0) hi = t;
      else return t;
      const rate = this.mean + this.amplitude * Math.sin(phase);
      const step = f / rate;
      let next = t - step;
      if (next > lo && next < hi) {
        // After a Newton step the error is at most |G''|max·step²/(2·rate), and |G''| <= |amplitude|·ω.
        if (this.curvature * step * step <= TOLERANCE_MS * rate) return next;
      } else {
        // Also catches a zero rate (step ±Infinity or NaN).
        next = 0.5 * (lo + hi);
      }
      if (Math.abs(next - t) <= TOLERANCE_MS) return next;
      t = next;
    }
    return 0.5 * (lo + hi);
  }

  /** The inverse table, each knot bracketed by 0 <= 1 − cos <= 2, so at most periodMs/π wide. */
  private fillKnots(): void {
    const lowExtra = Math.min(0, 2 * this.swing);
    const highExtra = Math.max(0, 2 * this.swing);
    for (let j = 1; j < KNOTS; j++) {
      const g = (j * this.perPeriod) / KNOTS;
      const lo = Math.max(0, (g - highExtra) / this.mean);
      const hi = Math.min(this.periodMs, (g - lowExtra) / this.mean);
      this.knots[j] = this.solve(g, lo, hi, g / this.mean);
    }
    this.knots[KNOTS] = this.periodMs;
  }

  rateAt(tMs: number): number {
    if (!(tMs >= 0 && tMs < this.durationMs)) return 0;
    const r = this.mean + this.amplitude * Math.sin(this.omega * tMs);
    // With amplitude == mean a trough can round to a hair below 0.
    return r > 0 ? r : 0;
  }

  countBefore(tMs: number): number {
    if (!(tMs > 0)) return 0;
    if (tMs >= this.durationMs) return this.count;
    return settleCountBefore(this, tMs, arrivalsBelow(this.expectedBefore(tMs)));
  }

  /** N(tMs): expected arrivals in [0, tMs). */
  private expectedBefore(tMs: number): number {
    return (this.mean * tMs + this.swing * (1 - Math.cos(this.omega * tMs))) / MS_PER_S;
  }

  /** Highest rate in [0, durationMs): the crest if the phase reaches one, else the higher end. */
  private highestRate(): number {
    const d = this.durationMs;
    if (d === 0) return 0;
    const crestMs = ((this.amplitude >= 0 ? 0.25 : 0.75) * 2 * Math.PI) / this.omega;
    if (d > crestMs) return this.mean + Math.abs(this.amplitude);
    return Math.max(this.mean, this.mean + this.amplitude * Math.sin(this.omega * d));
  }
}
