import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

export type { Histogram };

/**
 * The only place HDR histograms are configured.
 * Values are recorded in MICROSECONDS (integers), from 1 µs to 1 hour, 3 significant digits
 * (0.1 % value resolution). A value above the range is clamped to the highest trackable value,
 * so a pathological outlier never throws on the hot path.
 */
export const HISTOGRAM_LOWEST_US = 1;
export const HISTOGRAM_HIGHEST_US = 3_600_000_000;
export const HISTOGRAM_DIGITS = 3 as const;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: HISTOGRAM_LOWEST_US,
    highestTrackableValue: HISTOGRAM_HIGHEST_US,
    numberOfSignificantValueDigits: HISTOGRAM_DIGITS,
    useWebAssembly: false,
  });
}

/** Record a duration given in ms (float) as integer µs, clamped into the histogram's range. */
export function recordMs(h: Histogram, ms: number): void {
  let us = Math.round(ms * 1000);
  if (us < 0) us = 0;
  else if (us > HISTOGRAM_HIGHEST_US) us = HISTOGRAM_HIGHEST_US;
  h.recordValue(us);
}

/** Percentiles of a histogram in ms; all zero for an empty histogram. */
export interface Percentiles {
  count: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function percentilesMs(h: Histogram): Percentiles {
  const count = h.totalCount;
  if (count === 0) return { count: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const at = (p: number) => round3(h.getValueAtPercentile(p) / 1000);
  return {
    count,
    p50: at(50),
    p75: at(75),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: round3(h.maxValue / 1000),
    mean: round3(h.mean / 1000),
  };
}

/** Round to 3 decimals (µs resolution when the unit is ms). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
