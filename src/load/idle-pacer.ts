import { requireDuration, type PhaseOf, type PhasePacer } from './pacer-support.js';

/** No arrivals for durationMs: a gap that lets the pipeline reclaim idle environments. */
export class IdlePacer implements PhasePacer {
  readonly count = 0;
  readonly durationMs: number;
  readonly peakRate = 0;

  constructor(spec: PhaseOf<'idle'>) {
    requireDuration(spec);
    this.durationMs = spec.durationMs;
  }

  /** There is no valid n; NaN rather than a plausible time, so misuse shows. */
  dueAt(_n: number): number {
    return Number.NaN;
  }

  rateAt(_tMs: number): number {
    return 0;
  }

  countBefore(_tMs: number): number {
    return 0;
  }
}
