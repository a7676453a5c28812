import * as hdr from 'hdr-histogram-js';
import { createHistogram, percentilesMs, recordMs, type Histogram } from './histogram.js';
import type { SeriesName } from './series.js';

/**
 * Per-interval and cumulative histograms for the three series. Memory is fixed: six histograms
 * whatever the run length. `roll()` hands the closed interval's histograms to a callback (which
 * must consume them synchronously), folds them into the cumulative ones and resets them.
 */
export class LatencyRecorder {
  readonly interval: Record<SeriesName, Histogram> = {
    latency: createHistogram(),
    serviceTime: createHistogram(),
    scheduleLag: createHistogram(),
  };

  readonly cumulative: Record<SeriesName, Histogram> = {
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

  roll(consume: (interval: Record<SeriesName, Histogram>) => void): void {
    consume(this.interval);
    for (const name of ['latency', 'serviceTime', 'scheduleLag'] as const) {
      this.cumulative[name].add(this.interval[name]);
      this.interval[name].reset();
    }
  }

  /**
   * Runs the interval-close path (percentiles, hlog encoding) on the current histograms and
   * discards the result: part of the warm-up, so the first real interval close is not JIT-cold.
   */
  exerciseClosePath(rounds = 20): number {
    let sink = 0;
    for (let r = 0; r < rounds; r++) {
      for (const name of ['latency', 'serviceTime', 'scheduleLag'] as const) {
        sink += percentilesMs(this.interval[name]).p99;
        sink += hdr.encodeIntoCompressedBase64(this.interval[name]).length;
        this.cumulative[name].add(this.interval[name]);
      }
    }
    return sink;
  }

  resetAll(): void {
    for (const name of ['latency', 'serviceTime', 'scheduleLag'] as const) {
      this.interval[name].reset();
      this.cumulative[name].reset();
    }
  }
}
