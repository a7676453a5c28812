import type { Clock } from '../util/clock.js';

/** Longest stretch, in seconds, that per-second counts are kept for (a day); later seconds count only in the totals. */
const MAX_SECONDS = 86_400;

/**
 * Sends per second of a fault while it is active: counts in 1 s buckets from its first start
 * (on the run's clock), so the report can give a mean and a peak over the active window. Memory:
 * one number per second active, at most a day's worth.
 */
export class RateWindow {
  private readonly buckets: number[] = [];
  private t0: number | undefined;
  private since: number | undefined;
  private activeMs = 0;
  private inWindow = 0;

  constructor(private readonly clock: Clock) {}

  start(): void {
    const now = this.clock.now();
    if (this.t0 === undefined) this.t0 = now;
    this.since = now;
  }

  stop(): void {
    if (this.since === undefined) return;
    this.activeMs += this.clock.now() - this.since;
    this.since = undefined;
  }

  /** One send now; counted in the window only while active. */
  add(): void {
    if (this.since === undefined || this.t0 === undefined) return;
    this.inWindow++;
    const sec = Math.floor((this.clock.now() - this.t0) / 1000);
    if (sec < MAX_SECONDS) this.buckets[sec] = (this.buckets[sec] ?? 0) + 1;
  }

  /** Time active so far, ms (the current stretch included). */
  get activeForMs(): number {
    return this.activeMs + (this.since === undefined ? 0 : this.clock.now() - this.since);
  }

  /** Sends per second while active: mean over the time active, and the busiest 1 s bucket. */
  perSecond(): { mean: number; peak: number } {
    const ms = this.activeForMs;
    let peak = 0;
    for (const b of this.buckets) if (b !== undefined && b > peak) peak = b;
    return { mean: ms > 0 ? (this.inWindow * 1000) / ms : 0, peak };
  }
}
