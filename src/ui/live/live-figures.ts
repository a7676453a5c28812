import type { IntervalSnapshot, ShardLoad } from '../../metrics/interval-snapshot.js';
import { figureBound, type FigureBound, type LatencyFigures } from '../../metrics/latency-figures.js';
import { metricFigure, type ThresholdInputs } from '../../metrics/thresholds.js';
import type { Figure, LastInterval, LiveThreshold, ShardCell } from './live-state.js';

/** The numbers the view needs from a snapshot (never its arrays or histograms). */
export function copyInterval(s: IntervalSnapshot): LastInterval {
  const fig = (k: 'p50' | 'p99' | 'p999'): Figure => ({ value: s.latency[k], bound: figureBound(s.latency, k) });
  return {
    index: s.index, endMs: s.endMs, targetRate: s.targetRate, achievedRate: s.achievedRate, answeredRate: s.answeredRate,
    inFlight: s.inFlight, awaitingConnection: s.awaitingConnection, dropped: s.counts.dropped,
    p50: fig('p50'), p99: fig('p99'), p999: fig('p999'),
    serviceP99Ms: s.serviceTime.p99, lagP99Ms: s.scheduleLag.p99, eventLoopLagMs: s.eventLoopLagMs,
  };
}

const ratio = (n: number, of: number): number | null => (of > 0 ? n / of : null);

/**
 * Rate metrics as one interval shows them: shares of the interval's completions (drop_rate: of
 * its due arrivals), achieved_rate of its target rate. An approximation of the run's figures,
 * good enough to warn; null when the interval has nothing to divide by.
 */
const RATE_OF: Record<string, (s: IntervalSnapshot) => number | null> = {
  ok_rate: (s) => ratio(s.counts.ok, s.counts.completed),
  error_rate: (s) => ratio(s.counts.failed, s.counts.completed),
  answered_rate: (s) => ratio(s.counts.answered, s.counts.completed),
  drop_rate: (s) => ratio(s.counts.dropped, s.counts.due),
  achieved_rate: (s) => ratio(s.achievedRate, s.targetRate),
};

/** Near the bound: within this share of it (of the headroom to 1 for a floor on a ratio). */
const NEAR = 0.2;

/** The last interval's figure of a latency or rate metric; null for others (delivery, unfinished_rate) or no data. */
function lastFigure(metric: string, s: IntervalSnapshot): { actual: number; bound: FigureBound } | { actual: null; bound: 'never' } | null {
  const rate = RATE_OF[metric];
  if (rate) {
    const v = rate(s);
    return v === null ? null : { actual: v, bound: 'exact' };
  }
  if (metric.endsWith('_rate') || metric.startsWith('e2e_')) return null;
  const inputs: ThresholdInputs = {
    latency: s.latency as LatencyFigures, serviceTime: s.serviceTime, scheduleLag: s.scheduleLag,
    okRate: 0, errorRate: 0, dropRate: 0, unfinishedRate: 0, answeredRate: 0, achievedRatio: 0,
  };
  const f = metricFigure(metric, inputs);
  if (f.bound === 'none') return null;
  if (f.bound === 'never') return { actual: null, bound: 'never' };
  return f.actual === null ? null : { actual: f.actual, bound: f.bound };
}

/**
 * At risk: the last interval's figure is within NEAR of the bound on the bad side, or past it
 * (a breach the live checker may not have judged yet: windowed, or not over the run so far).
 * A lower bound (≥) proves a ceiling at risk but cannot clear it; `==` is never judged.
 */
export function riskOf(t: Pick<LiveThreshold, 'metric' | 'op' | 'value'>, s: IntervalSnapshot): Pick<LiveThreshold, 'risk' | 'lastActual'> {
  const f = t.op === '==' ? null : lastFigure(t.metric, s);
  if (!f) return { risk: null, lastActual: null };
  const ceiling = t.op === '<' || t.op === '<=';
  if (f.bound === 'never') return { risk: ceiling ? 'at-risk' : 'ok', lastActual: null };
  const isRatio = t.metric in RATE_OF;
  let near: boolean;
  if (ceiling) near = t.value > 0 ? f.actual >= t.value * (1 - NEAR) : f.actual > 0;
  else if (isRatio && t.value <= 1) near = 1 - f.actual >= (1 - t.value) * (1 - NEAR);
  else near = f.actual <= t.value * (1 + NEAR);
  if (near) return { risk: 'at-risk', lastActual: f.actual };
  // A lower bound under a ceiling's margin says nothing of the true value.
  return { risk: f.bound === 'atLeast' && ceiling ? null : 'ok', lastActual: f.actual };
}

/** At most this many shards are kept (a wider stream shows its first MAX_SHARDS). */
export const MAX_SHARDS = 64;
/** A shard is hot over this multiple of the mean share of records. */
export const HOT_FACTOR = 1.5;

/** Per-shard cells of one interval: share of its records, hot when over HOT_FACTOR × the mean or throttled. */
export function shardCells(shards: readonly ShardLoad[]): ShardCell[] {
  const kept = shards.slice(0, MAX_SHARDS);
  const total = kept.reduce((a, x) => a + x.records, 0);
  const mean = kept.length ? 1 / kept.length : 0;
  return kept.map((x) => {
    const share = total > 0 ? x.records / total : 0;
    return { id: x.id, records: x.records, throttled: x.throttled, share, hot: x.throttled > 0 || (kept.length > 1 && share > HOT_FACTOR * mean) };
  });
}
