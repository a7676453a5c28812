import { describe, expect, it } from 'vitest';
import { createHistogram, recordMs, type Percentiles } from '../../src/metrics/histogram.js';
import { latencyFigures } from '../../src/metrics/latency-figures.js';
import { evaluateThresholds, expectsFailure, holds, metricFigure, type ThresholdInputs, type ThresholdSpec } from '../../src/metrics/thresholds.js';

const pct = (base: number): Percentiles => ({ count: 100, p50: base, p75: base * 1.5, p90: base * 2, p95: base * 3, p99: base * 4, p999: base * 5, max: base * 6, mean: base * 1.2 });

function exactLatency(): ThresholdInputs['latency'] {
  const h = createHistogram();
  for (let i = 1; i <= 100; i++) recordMs(h, i);
  return latencyFigures(h, undefined, 0);
}

const rates = { okRate: 0.97, errorRate: 0.02, dropRate: 0, unfinishedRate: 0.01, answeredRate: 0.98, achievedRatio: 0.995 };
const inputs: ThresholdInputs = { latency: exactLatency(), serviceTime: pct(1), scheduleLag: pct(0.1), ...rates };

/** 10 answers at 5 ms, 40 arrivals still waiting at 12 s, 50 dropped. */
function hungLatency(): ThresholdInputs['latency'] {
  const rec = createHistogram();
  const wait = createHistogram();
  for (let i = 0; i < 10; i++) recordMs(rec, 5);
  for (let i = 0; i < 40; i++) recordMs(wait, 12_000);
  return latencyFigures(rec, wait, 50);
}
const hung: ThresholdInputs = { ...inputs, latency: hungLatency() };

describe('thresholds (pure)', () => {
  it.each([
    ['p50', 50, 'exact'], ['p99', 99, 'exact'], ['max', 100, 'exact'],
    ['service_p99', 4, 'exact'], ['lag_max', 0.6000000000000001, 'exact'],
    ['ok_rate', 0.97, 'exact'], ['error_rate', 0.02, 'exact'], ['drop_rate', 0, 'exact'], ['unfinished_rate', 0.01, 'exact'],
    ['answered_rate', 0.98, 'exact'], ['achieved_rate', 0.995, 'exact'],
    ['p42', null, 'none'], ['bogus_p99', null, 'none'],
  ])('metric %s reads %s (%s)', (metric, expected, bound) => {
    const f = metricFigure(metric, inputs);
    if (expected === null) expect(f.actual).toBeNull();
    else expect(f.actual).toBeCloseTo(expected, 1);
    expect(f.bound).toBe(bound);
  });

  it.each([
    ['p99 < 250ms', 'p99', '<', 250, true],
    ['p99 < 98ms', 'p99', '<', 98, false],
    ['p99 <= 100ms', 'p99', '<=', 100, true],
    ['error_rate < 1%', 'error_rate', '<', 0.01, false],
    ['error_rate < 5%', 'error_rate', '<', 0.05, true],
    ['achieved_rate >= 99%', 'achieved_rate', '>=', 0.99, true],
    ['drop_rate == 0', 'drop_rate', '==', 0, true],
    ['ok_rate > 99%', 'ok_rate', '>', 0.99, false],
    ['service_p50 > 1ms', 'service_p50', '>', 1, false],
    ['nonsense < 1ms', 'nonsense', '<', 1, false],
  ] as const)('%s → pass=%s', (source, metric, op, value, pass) => {
    const [r] = evaluateThresholds([{ source, metric, op, value }], inputs);
    expect(r.pass).toBe(pass);
    expect(r.source).toBe(source);
  });

  it.each([
    // a hang: p50 is a lower bound (≥ 12 s), p99 is never answered
    ['p50 < 1s', 'p50', '<', 1000, false, 'atLeast'],
    ['p50 < 1h', 'p50', '<', 3_600_000, false, 'atLeast'], // a lower bound proves no ceiling
    ['p50 > 10s', 'p50', '>', 10_000, true, 'atLeast'],
    ['p50 >= 13s', 'p50', '>=', 13_000, false, 'atLeast'], // 12 s or more: not proven
    ['p99 < 1s', 'p99', '<', 1000, false, 'never'],
    ['p99 > 30s', 'p99', '>', 30_000, true, 'never'],
    ['p99 == 5ms', 'p99', '==', 5, false, 'never'],
    ['p05 is not a metric', 'p05', '<', 1, false, 'none'],
  ] as const)('on a hung pipeline %s → pass=%s (%s)', (source, metric, op, value, pass, bound) => {
    const [r] = evaluateThresholds([{ source, metric, op, value }], hung);
    expect(r.bound).toBe(bound);
    expect(r.pass).toBe(pass);
  });

  it.each([
    ['none', 5, '<', 10, false], ['none', null, '>', 0, false],
    ['exact', 5, '<', 10, true], ['exact', 5, '>', 10, false],
    ['atLeast', 5, '<', 10, false], ['atLeast', 15, '>', 10, true], ['atLeast', 10, '>=', 10, true], ['atLeast', 15, '==', 15, false],
    ['never', null, '<', 10, false], ['never', null, '>=', 10, true], ['never', null, '==', 10, false],
  ] as const)('holds(%s %s %s %s) = %s', (bound, actual, op, value, expected) => {
    expect(holds(actual, bound, op, value)).toBe(expected);
  });

  it.each([
    ['error_rate > 50%', 'error_rate', '>', 0.5, true],
    ['error_rate >= 0', 'error_rate', '>=', 0, false],
    ['error_rate == 100%', 'error_rate', '==', 1, true],
    ['error_rate < 1%', 'error_rate', '<', 0.01, false],
    ['drop_rate > 0', 'drop_rate', '>', 0, true],
    ['unfinished_rate >= 10%', 'unfinished_rate', '>=', 0.1, true],
    ['ok_rate < 10%', 'ok_rate', '<', 0.1, true],
    ['ok_rate == 0', 'ok_rate', '==', 0, true],
    ['ok_rate > 99%', 'ok_rate', '>', 0.99, false],
    ['achieved_rate < 50%', 'achieved_rate', '<', 0.5, true],
    ['p99 > 2s', 'p99', '>', 2000, true],
    ['p99 < 250ms', 'p99', '<', 250, false],
    ['lag_p99 > 1ms', 'lag_p99', '>', 1, false],
    ['service_p99 >= 1s', 'service_p99', '>=', 1000, false],
  ] as const)('%s expects a failing pipeline: %s', (source, metric, op, value, expected) => {
    const spec: ThresholdSpec = { source, metric, op, value };
    expect(expectsFailure(spec)).toBe(expected);
  });
});
