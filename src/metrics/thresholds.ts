import type { PercentileKey, Percentiles } from './histogram.js';
import { figureBound, type FigureBound, type LatencyFigures } from './latency-figures.js';

/** One threshold as written (`p99 < 250ms`) and parsed. Values are in ms for latency metrics, a ratio 0..1 for rates. */
export interface ThresholdSpec {
  source: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=' | '==';
  value: number;
  /** A sliding window (`over 30s`), ms: judged at each interval close over the intervals inside it, and at the end over its worst window. */
  windowMs?: number;
  /** A guardrail: a live breach stops the run (verdict ABORTED, exit 3). */
  abortOnFail?: boolean;
  /** A guardrail's grace from the run's start, ms: a breach before it never aborts. */
  delayMs?: number;
}

/**
 * What thresholds are evaluated against: a subset of summary.json. Latencies in ms; rates are
 * fractions of the due arrivals (0..1), except achievedRatio (achieved / target rate).
 */
export interface ThresholdInputs {
  /** Every due arrival, censored: a hang shows as lower bounds, a refusal as never answered. */
  latency: LatencyFigures;
  serviceTime: Percentiles;
  scheduleLag: Percentiles;
  okRate: number;
  errorRate: number;
  dropRate: number;
  unfinishedRate: number;
  answeredRate: number;
  achievedRatio: number;
  /** What the output consumer found; absent when no probe read the output (delivery thresholds then cannot pass). */
  delivery?: { lost: number; unexpected: number; accepted: number; seen: number; duplicated: number; reordered: number; e2eLatency: Percentiles };
  /** The highest depth any sampled dead-letter queue reached; absent when none was sampled. */
  dlqPeakDepth?: number;
  /**
   * The result of each windowed threshold (`over …`) by its index in the specs: the worst window
   * of the run (src/metrics/threshold-windows.ts). A windowed threshold without one fails (no data).
   */
  windowed?: (ThresholdResult | undefined)[];
}

export interface ThresholdResult {
  source: string;
  metric: string;
  op: ThresholdSpec['op'];
  /** Threshold value: ms for latency metrics, ratio 0..1 for rates. */
  value: number;
  /** Measured value in the same unit (a lower bound when `bound` is atLeast); null when never answered, without samples, or unknown. */
  actual: number | null;
  /** How `actual` is known: exact, at least (censored), never answered, or none (no samples or an unknown metric). */
  bound: FigureBound;
  pass: boolean;
  /** Windowed thresholds: the window length, and the end of the worst window (ms from the start). */
  windowMs?: number;
  windowEndMs?: number;
}

const RATES: Record<string, (x: ThresholdInputs) => number> = {
  ok_rate: (x) => x.okRate,
  error_rate: (x) => x.errorRate,
  drop_rate: (x) => x.dropRate,
  unfinished_rate: (x) => x.unfinishedRate,
  answered_rate: (x) => x.answeredRate,
  achieved_rate: (x) => x.achievedRatio,
};

/** Counts (messages) and shares from the delivery checks; undefined when there is no such data. */
const DELIVERY: Record<string, (x: ThresholdInputs) => number | undefined> = {
  lost: (x) => x.delivery?.lost,
  unexpected: (x) => x.delivery?.unexpected,
  dlq_depth: (x) => x.dlqPeakDepth,
  lost_rate: (x) => (x.delivery ? share(x.delivery.lost, x.delivery.accepted) : undefined),
  duplicated: (x) => (x.delivery ? share(x.delivery.duplicated, x.delivery.seen) : undefined),
  reordered: (x) => (x.delivery ? share(x.delivery.reordered, x.delivery.seen) : undefined),
};

const share = (n: number, of: number): number => (of === 0 ? 0 : n / of);

const NO_SAMPLES: Percentiles = { count: 0, p50: null, p75: null, p90: null, p95: null, p99: null, p999: null, max: null, mean: null };

const SERIES_PREFIX: Record<string, (x: ThresholdInputs) => Percentiles> = {
  e2e: (x) => x.delivery?.e2eLatency ?? NO_SAMPLES,
  '': (x) => x.latency,
  service: (x) => x.serviceTime,
  lag: (x) => x.scheduleLag,
};

const KEYS = new Set<string>(['p50', 'p75', 'p90', 'p95', 'p99', 'p999', 'max', 'mean']);

/** The measured value of a threshold metric and how it is known; `bound: 'none'` for an unknown metric. */
export function metricFigure(metric: string, x: ThresholdInputs): { actual: number | null; bound: FigureBound } {
  const rate = RATES[metric];
  if (rate) return { actual: rate(x), bound: 'exact' };
  const delivery = DELIVERY[metric];
  if (delivery) {
    const v = delivery(x);
    return v === undefined ? { actual: null, bound: 'none' } : { actual: v, bound: 'exact' };
  }
  const [prefix, key] = metric.includes('_') ? metric.split('_', 2) : ['', metric];
  const series = SERIES_PREFIX[prefix];
  if (!series || !KEYS.has(key)) return { actual: null, bound: 'none' };
  const figures = series(x);
  const k = key as PercentileKey;
  return { actual: figures[k], bound: figureBound(figures, k) };
}

export function compare(actual: number, op: ThresholdSpec['op'], value: number): boolean {
  switch (op) {
    case '<': return actual < value;
    case '<=': return actual <= value;
    case '>': return actual > value;
    case '>=': return actual >= value;
    case '==': return actual === value;
  }
}

/**
 * Whether a threshold holds, given how its figure is known. Only what the data proves passes:
 * a lower bound (the true value is that much or more) proves only `>` and `>=`; a never-answered
 * figure (+∞) passes only `>` and `>=`; no samples proves nothing.
 */
export function holds(actual: number | null, bound: FigureBound, op: ThresholdSpec['op'], value: number): boolean {
  const upward = op === '>' || op === '>=';
  switch (bound) {
    case 'none': return false;
    case 'never': return upward;
    case 'atLeast': return upward && compare(actual as number, op, value);
    case 'exact': return compare(actual as number, op, value);
  }
}

/**
 * Whether the data proves a threshold broken (the live view of a guardrail: only a proven breach
 * counts). A lower bound proves `<`, `<=` and `==` broken once it reaches the value; a
 * never-answered figure (+∞) breaks them outright; no samples prove nothing.
 */
export function provenBroken(actual: number | null, bound: FigureBound, op: ThresholdSpec['op'], value: number): boolean {
  const upward = op === '>' || op === '>=';
  switch (bound) {
    case 'none': return false;
    case 'never': return !upward;
    case 'atLeast': return !upward && !compare(actual as number, op === '==' ? '<=' : op, value);
    case 'exact': return !compare(actual as number, op, value);
  }
}

/** Pure: evaluates every threshold; an unknown metric or one without data fails (never silently passes). */
export function evaluateThresholds(specs: ThresholdSpec[], x: ThresholdInputs): ThresholdResult[] {
  return specs.map((s, i) => {
    if (s.windowMs !== undefined) {
      return x.windowed?.[i] ?? { source: s.source, metric: s.metric, op: s.op, value: s.value, actual: null, bound: 'none', pass: false, windowMs: s.windowMs };
    }
    const { actual, bound } = metricFigure(s.metric, x);
    return { source: s.source, metric: s.metric, op: s.op, value: s.value, actual, bound, pass: holds(actual, bound, s.op, s.value) };
  });
}

const FAILURE_SHARES = new Set(['error_rate', 'drop_rate', 'unfinished_rate']);
const SUCCESS_SHARES = new Set(['ok_rate', 'answered_rate', 'achieved_rate']);

/**
 * Whether a threshold is written to expect a failing pipeline (a chaos experiment that checks the
 * failure shows): a floor on a failure share or on latency (`error_rate > 50%`, `p99 >= 2s`), or a
 * ceiling on a success share (`ok_rate < 10%`). Such a threshold lets a run with no ok answer pass.
 */
export function expectsFailure(s: ThresholdSpec): boolean {
  const upward = s.op === '>' || (s.op === '>=' && s.value > 0) || (s.op === '==' && s.value > 0);
  if (FAILURE_SHARES.has(s.metric)) return upward;
  if (SUCCESS_SHARES.has(s.metric)) return s.op === '<' || s.op === '<=' || (s.op === '==' && s.value < 1);
  const latency = !s.metric.startsWith('lag_') && !s.metric.startsWith('service_');
  return latency && (s.op === '>' || s.op === '>=');
}
