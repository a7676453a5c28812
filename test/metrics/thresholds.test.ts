import { describe, expect, it } from 'vitest';
import type { Percentiles } from '../../src/metrics/histogram.js';
import { evaluateThresholds, metricValue, type ThresholdInputs } from '../../src/metrics/thresholds.js';

const pct = (base: number): Percentiles => ({ count: 100, p50: base, p75: base * 1.5, p90: base * 2, p95: base * 3, p99: base * 4, p999: base * 5, max: base * 6, mean: base * 1.2 });
const inputs: ThresholdInputs = { latency: pct(10), serviceTime: pct(1), scheduleLag: pct(0.1), errorRate: 0.02, dropRate: 0, achievedRatio: 0.995 };

describe('thresholds (pure)', () => {
  it.each([
    ['p50', 10], ['p99', 40], ['p999', 50], ['max', 60], ['mean', 12],
    ['service_p99', 4], ['lag_max', 0.6000000000000001], ['error_rate', 0.02], ['drop_rate', 0], ['achieved_rate', 0.995],
    ['p42', null], ['bogus_p99', null],
  ])('metric %s reads %s', (metric, expected) => {
    expect(metricValue(metric, inputs)).toBe(expected);
  });

  it.each([
    ['p99 < 250ms', 'p99', '<', 250, true],
    ['p99 < 40ms', 'p99', '<', 40, false],
    ['p99 <= 40ms', 'p99', '<=', 40, true],
    ['error_rate < 1%', 'error_rate', '<', 0.01, false],
    ['error_rate < 5%', 'error_rate', '<', 0.05, true],
    ['achieved_rate >= 99%', 'achieved_rate', '>=', 0.99, true],
    ['drop_rate == 0', 'drop_rate', '==', 0, true],
    ['service_p50 > 1ms', 'service_p50', '>', 1, false],
    ['nonsense < 1ms', 'nonsense', '<', 1, false],
  ] as const)('%s → pass=%s', (source, metric, op, value, pass) => {
    const [r] = evaluateThresholds([{ source, metric, op, value }], inputs);
    expect(r.pass).toBe(pass);
    expect(r.source).toBe(source);
  });
});
