import * as hdr from 'hdr-histogram-js';
import { clampUs, createHistogram, percentilesMs, recordMs, type Histogram } from './histogram.js';
import { CUMULATIVE_SERIES, SERIES, type SeriesName } from './series.js';

/**
 * Per-interval histograms of the series (series.ts), and cumulative ones of those that add up.
 * Memory is fixed whatever the run length. `roll()` hands the closed interval's histograms to a
 * callback (which must consume them synchronously), folds them into the cumulative ones and
 * resets them.
 */
export class LatencyRecorder {
  readonly interval: Record<SeriesName, Histogram> = {
    latency: createHistogram(),
    serviceTime: createHistogram(),
    scheduleLag: createHistogram(),
    waiting: createHistogram(),
  };

  /**
   * Of the interval's waiting arrivals, those overdue: waiting at least `overdueFromMs` (see
   * recordWaiting). Not a series of the hlog: only the interval's own figures use it.
   */
  readonly overdue: Histogram = createHistogram();

  readonly cumulative: Record<(typeof CUMULATIVE_SERIES)[number], Histogram> = {
    latency: createHistogram(),
    serviceTime: createHistogram(),
    scheduleLag: createHistogram(),
  };

  /** All arguments in ms (float). */
  record(latencyMs: number, serviceMs: number, lagMs: number): void {
    recordMs(this.interval.latency, latencyMs);
    recordMs(this.interval.serviceTime, serviceMs);
    recordMs(this.interval.scheduleLag, lagMs);
  }

  /** Only the schedule lag is known (e.g. a send that failed before any response). */
  recordLag(lagMs: number): void {
    recordMs(this.interval.scheduleLag, lagMs);
  }

  /**
   * `count` arrivals still without an answer at the interval's close, `ageMs` after their intended
   * time; also counted as overdue when `ageMs >= overdueFromMs`.
   */
  recordWaiting(ageMs: number, overdueFromMs: number, count = 1): void {
    if (count <= 0) return;
    const us = clampUs(ageMs);
    this.interval.waiting.recordValueWithCount(us, count);
    if (ageMs >= overdueFromMs) this.overdue.recordValueWithCount(us, count);
  }

  roll(consume: (interval: Record<SeriesName, Histogram>) => void): void {
    consume(this.interval);
    for (const name of CUMULATIVE_SERIES) this.cumulative[name].add(this.interval[name]);
    for (const name of SERIES) this.interval[name].reset();
    this.overdue.reset();
  }

  /**
   * Runs the interval-close path (percentiles, hlog encoding) on the current histograms and
   * discards the result: part of the warm-up, so the first real interval close is not JIT-cold.
   */
  exerciseClosePath(rounds = 20): number {
    let sink = 0;
    for (let r = 0; r < rounds; r++) {
      for (const name of CUMULATIVE_SERIES) {
        sink += percentilesMs(this.interval[name]).p99 ?? 0;
        sink += hdr.encodeIntoCompressedBase64(this.interval[name]).length;
        this.cumulative[name].add(this.interval[name]);
      }
    }
    return sink;
  }

  resetAll(): void {
    for (const name of SERIES) this.interval[name].reset();
    this.overdue.reset();
    for (const name of CUMULATIVE_SERIES) this.cumulative[name].reset();
  }
}
