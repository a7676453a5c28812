import { round3, type Histogram } from '../metrics/histogram.js';

/**
 * The report appendix's percentile spectrum: the run's merged histograms read at each of
 * SPECTRUM_PERCENTILES, ms (null: no samples, or fewer samples than the percentile needs to mean
 * anything — 99.99 needs 10,000, 99.999 needs 100,000). Latency is of the recorded arrivals (answered
 * or timed out); the ones still waiting or never answered are in the run's censored figures. Pure.
 */
export const SPECTRUM_PERCENTILES = [50, 75, 90, 95, 99, 99.9, 99.99, 99.999, 100] as const;

export interface SpectrumRow {
  percentile: number;
  latencyMs: number | null;
  serviceMs: number | null;
  /** End-to-end, when a probe read the output. */
  e2eMs: number | null;
}

export interface Spectrum {
  counts: { latency: number; service: number; e2e: number };
  rows: SpectrumRow[];
}

export function percentileSpectrum(h: { latency: Histogram; serviceTime: Histogram; e2e: Histogram }): Spectrum {
  const at = (x: Histogram, p: number): number | null => {
    const n = x.totalCount;
    if (n === 0 || (p < 100 && n < 100 / (100 - p) - 1e-9)) return null;
    return round3((p === 100 ? x.maxValue : x.getValueAtPercentile(p)) / 1000);
  };
  return {
    counts: { latency: h.latency.totalCount, service: h.serviceTime.totalCount, e2e: h.e2e.totalCount },
    rows: SPECTRUM_PERCENTILES.map((p) => ({ percentile: p, latencyMs: at(h.latency, p), serviceMs: at(h.serviceTime, p), e2eMs: at(h.e2e, p) })),
  };
}
