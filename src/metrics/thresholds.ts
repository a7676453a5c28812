import type { Percentiles } from './histogram.js';

/** One threshold as written (`p99 < 250ms`) and parsed. Values are in ms for latency metrics, a ratio 0..1 for rates. */
export interface ThresholdSpec {
  source: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=' | '==';
  value: number;
}

/** What thresholds are evaluated against: a subset of summary.json. Latencies in ms, rates 0..1. */
export interface ThresholdInputs {
  latency: Percentiles;
  serviceTime: Percentiles;
  scheduleLag: Percentiles;
  errorRate: number;
  dropRate: number;
  /** achieved / target rate. */
  achievedRatio: number;
}

export interface ThresholdResult {
  source: string;
  metric: string;
  op: ThresholdSpec['op'];
  /** Threshold value: ms for latency metrics, ratio 0..1 for rates. */
  value: number;
  /** Measured value in the same unit; null when the metric is unknown. */
  actual: number | null;
  pass: boolean;
}

const PERCENTILE_KEYS: Record<string, keyof Percentiles> = {
  p50: 'p50', p75: 'p75', p90: 'p90', p95: 'p95', p99: 'p99', p999: 'p999', max: 'max', mean: 'mean',
};

/** The measured value of a threshold metric, or null if the name is unknown. */
export function metricValue(metric: string, x: ThresholdInputs): number | null {
  if (metric === 'error_rate') return x.errorRate;
  if (metric === 'drop_rate') return x.dropRate;
  if (metric === 'achieved_rate') return x.achievedRatio;
  const [prefix, rest] = metric.includes('_') ? metric.split('_', 2) : ['', metric];
  const key = PERCENTILE_KEYS[rest];
  if (!key) return null;
  if (prefix === '') return x.latency[key];
  if (prefix === 'service') return x.serviceTime[key];
  if (prefix === 'lag') return x.scheduleLag[key];
  return null;
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

/** Pure: evaluates every threshold; an unknown metric fails (never silently passes). */
export function evaluateThresholds(specs: ThresholdSpec[], x: ThresholdInputs): ThresholdResult[] {
  return specs.map((s) => {
    const actual = metricValue(s.metric, x);
    return { source: s.source, metric: s.metric, op: s.op, value: s.value, actual, pass: actual !== null && compare(actual, s.op, s.value) };
  });
}
