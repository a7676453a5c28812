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
  h.recordValue(clampUs(ms));
}

/** A duration in ms (float) as integer µs within the histogram's range. */
export function clampUs(ms: number): number {
  const us = Math.round(ms * 1000);
  return us < 0 ? 0 : us > HISTOGRAM_HIGHEST_US ? HISTOGRAM_HIGHEST_US : us;
}

/**
 * Percentiles of a histogram in ms. `null` means "no samples": an empty series has no figure,
 * never a fake 0 (printed as "–").
 */
export interface Percentiles {
  count: number;
  p50: number | null;
  p75: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
  mean: number | null;
}

export const PERCENTILE_KEYS = ['p50', 'p75', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const;
export type PercentileKey = (typeof PERCENTILE_KEYS)[number];

/** The percentile (0..100) of each key that is a percentile; max and mean are not. */
export const PERCENTILE_OF: Partial<Record<PercentileKey, number>> = { p50: 50, p75: 75, p90: 90, p95: 95, p99: 99, p999: 99.9 };

export function emptyPercentiles(): Percentiles {
  return { count: 0, p50: null, p75: null, p90: null, p95: null, p99: null, p999: null, max: null, mean: null };
}

export function percentilesMs(h: Histogram): Percentiles {
  const count = h.totalCount;
  if (count === 0) return emptyPercentiles();
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

/** The value (µs, highest equivalent) of the r-th smallest recorded value, 1 <= r <= totalCount. */
export function valueAtRankUs(h: Histogram, rank: number): number {
  return h.getValueAtPercentile((100 * (rank - 0.5)) / h.totalCount);
}

/**
 * How many recorded values lie above `us` (µs), at the histogram's resolution: values in the
 * same bucket as `us` (within 0.1 %) count as not above. A binary search over ranks: O(log n) percentile reads.
 */
export function countAboveUs(h: Histogram, us: number): number {
  const n = h.totalCount;
  const limit = (h as { highestEquivalentValue?: (v: number) => number }).highestEquivalentValue?.(us) ?? us;
  if (n === 0 || h.maxValue <= limit) return 0;
  let lo = 0; // ranks 1..lo are at or below us
  let hi = n; // rank hi+1.. above; the answer rank is in lo..hi
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (valueAtRankUs(h, mid) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return n - lo;
}

/** Round to 6 decimals (shares and rates 0..1). */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Round to 3 decimals (µs resolution when the unit is ms). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
