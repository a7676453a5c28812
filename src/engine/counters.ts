import type { Counts, RequestCounts } from '../metrics/interval-snapshot.js';

export function zeroCounts(): Counts {
  return { due: 0, sent: 0, written: 0, completed: 0, answered: 0, unanswered: 0, ok: 0, failed: 0, dropped: 0 };
}

export function addCounts(into: Counts, from: Counts): void {
  for (const k of Object.keys(into) as (keyof Counts)[]) into[k] += from[k] ?? 0;
}

export function zeroRequests(): RequestCounts {
  return { count: 0, ok: 0, failed: 0, retries: 0, records: 0, bytes: 0, errors: {} };
}

export function addErrors(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Mutable counters of the interval being recorded; handed out and replaced at each close. */
export class IntervalCounters {
  counts: Counts = zeroCounts();
  errors: Record<string, number> = {};

  recordError(outcome: string): void {
    this.errors[outcome] = (this.errors[outcome] ?? 0) + 1;
  }

  /** Hands out the closed interval's values and starts a fresh set. */
  take(): { counts: Counts; errors: Record<string, number> } {
    const out = { counts: this.counts, errors: this.errors };
    this.counts = zeroCounts();
    this.errors = {};
    return out;
  }
}
