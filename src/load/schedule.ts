import type { Pacer } from './pacer.js';
import { UserError } from '../util/user-error.js';
import { IdlePacer } from './idle-pacer.js';
import { floatBelow, settleCountBefore, type PhasePacer } from './pacer-support.js';

/**
 * Phases played one after another. Phase i starts at phaseStartMs(i) (the sum of the
 * earlier durations) and its arrivals are numbered from phaseFirstArrival(i) (the sum of
 * the earlier counts); within a phase, its own pacer decides. All times are ms from the
 * schedule start; rates are arrivals/second.
 */
export interface Schedule extends Pacer {
  /** Number of phases. */
  readonly phaseCount: number;
  /**
   * The phase playing at tMs: the last phase i with phaseStartMs(i) <= tMs, so a
   * zero-length phase is never "playing". Clamped to [0, phaseCount - 1]; -1 with no phases.
   */
  phaseIndexAt(tMs: number): number;
  /** Offset in ms at which phase i starts; i = phaseCount gives durationMs. */
  phaseStartMs(i: number): number;
  /** Index of phase i's first arrival (its due time is >= phaseStartMs(i)); i = phaseCount gives count. */
  phaseFirstArrival(i: number): number;
  /** Highest target rate (arrivals/second) anywhere in [0, durationMs); 0 if the rate is 0 throughout. */
  peakRate(): number;
}

/** Stands in for the phase list when it is empty, so dueAt needs no extra branch. */
const NO_PHASE = new IdlePacer({ kind: 'idle', name: 'none', durationMs: 0 });

class PhaseSchedule implements Schedule {
  readonly count: number;
  readonly durationMs: number;
  readonly phaseCount: number;
  private readonly pacers: readonly PhasePacer[];
  /** starts[i] = start of phase i in ms; starts[phaseCount] = durationMs. */
  private readonly starts: Float64Array;
  /** firsts[i] = first arrival of phase i; firsts[phaseCount] = count. Exact integers. */
  private readonly firsts: Float64Array;
  /** The latest offset inside [0, durationMs). */
  private readonly lastDueMs: number;
  private readonly peak: number;
  /** Phase of the last dueAt call: consecutive arrivals mostly share one. Changes no result. */
  private hint = 0;

  constructor(pacers: readonly PhasePacer[]) {
    this.phaseCount = pacers.length;
    this.pacers = pacers.length > 0 ? pacers : [NO_PHASE];
    this.starts = new Float64Array(pacers.length + 1);
    this.firsts = new Float64Array(pacers.length + 1);
    let peak = 0;
    for (let i = 0; i < pacers.length; i++) {
      this.starts[i + 1] = this.starts[i] + pacers[i].durationMs;
      this.firsts[i + 1] = this.firsts[i] + pacers[i].count;
      if (pacers[i].peakRate > peak) peak = pacers[i].peakRate;
    }
    this.durationMs = this.starts[pacers.length];
    this.count = this.firsts[pacers.length];
    if (!Number.isSafeInteger(this.count)) {
      throw new UserError(`the phases add up to ${this.count} arrivals, more than can be counted exactly`, {
        hint: 'Shorten the run or lower its rates.',
      });
    }
    this.lastDueMs = this.durationMs > 0 ? floatBelow(this.durationMs) : 0;
    this.peak = peak;
  }

  dueAt(n: number): number {
    let i = this.hint;
    const firsts = this.firsts;
    if (!(n >= firsts[i] && n < firsts[i + 1])) {
      i = this.phaseOfArrival(n);
      this.hint = i;
    }
    const t = this.starts[i] + this.pacers[i].dueAt(n - firsts[i]);
    // A phase's last arrival is below its end, but the addition may round it up to the
    // schedule's end; keep it inside [0, durationMs).
    return t <= this.lastDueMs ? t : this.lastDueMs;
  }

  rateAt(tMs: number): number {
    if (!(tMs >= 0 && tMs < this.durationMs)) return 0;
    const i = this.phaseIndexAt(tMs);
    return this.pacers[i].rateAt(tMs - this.starts[i]);
  }

  countBefore(tMs: number): number {
    if (!(tMs > 0)) return 0;
    if (tMs >= this.durationMs) return this.count;
    const i = this.phaseIndexAt(tMs);
    const estimate = this.firsts[i] + this.pacers[i].countBefore(tMs - this.starts[i]);
    return settleCountBefore(this, tMs, estimate);
  }

  phaseIndexAt(tMs: number): number {
    let lo = 0;
    let hi = this.phaseCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid] <= tMs) lo = mid;
      else hi = mid - 1;
    }
    return hi < 0 ? -1 : lo;
  }

  phaseStartMs(i: number): number {
    return this.starts[this.checkIndex(i)];
  }

  phaseFirstArrival(i: number): number {
    return this.firsts[this.checkIndex(i)];
  }

  peakRate(): number {
    return this.peak;
  }

  /** First phase i with firsts[i+1] > n, the one holding arrival n (skips empty phases). */
  private phaseOfArrival(n: number): number {
    let lo = 0;
    let hi = this.pacers.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.firsts[mid + 1] > n) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private checkIndex(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i <= this.phaseCount)) {
      throw new RangeError(`phase index ${i} is outside 0..${this.phaseCount}`);
    }
    return i;
  }
}

/** Plays the given phase pacers in order. */
export function composeSchedule(pacers: readonly PhasePacer[]): Schedule {
  return new PhaseSchedule(pacers);
}
