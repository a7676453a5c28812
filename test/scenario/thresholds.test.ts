import { describe, expect, it } from 'vitest';
import { COUNT_METRICS, LATENCY_METRICS, parseThreshold, RATIO_METRICS } from '../../src/scenario/thresholds.js';

describe('parseThreshold', () => {
  it.each([
    ['p99 < 250ms', { source: 'p99 < 250ms', metric: 'p99', op: '<', value: 250 }],
    ['  p50<=1.5s ', { source: 'p50 <= 1.5s', metric: 'p50', op: '<=', value: 1500 }],
    ['max > 2m', { source: 'max > 2m', metric: 'max', op: '>', value: 120_000 }],
    ['service_p999 >= 10ms', { source: 'service_p999 >= 10ms', metric: 'service_p999', op: '>=', value: 10 }],
    ['lag_max == 0ms', { source: 'lag_max == 0ms', metric: 'lag_max', op: '==', value: 0 }],
    ['error_rate < 1%', { source: 'error_rate < 1%', metric: 'error_rate', op: '<', value: 0.01 }],
    ['error_rate < 0.5 %', { source: 'error_rate < 0.5 %', metric: 'error_rate', op: '<', value: 0.005 }],
    ['drop_rate <= 0.01', { source: 'drop_rate <= 0.01', metric: 'drop_rate', op: '<=', value: 0.01 }],
    ['achieved_rate >= 99%', { source: 'achieved_rate >= 99%', metric: 'achieved_rate', op: '>=', value: 0.99 }],
    ['achieved_rate <= 105%', { source: 'achieved_rate <= 105%', metric: 'achieved_rate', op: '<=', value: 1.05 }],
  ])('%s', (text, expected) => {
    const t = parseThreshold(text);
    expect(t).toEqual(expected);
  });

  it.each([
    ['p99 < 250', 'expected a duration with a unit after "p99 <"'],
    ['p99 < fast', 'got "fast"'],
    ['p98 < 1s', 'unknown metric "p98"'],
    ['P99 < 1s', 'unknown metric "P99"'],
    ['p99 = 1s', 'expected "<metric> <op> <value>"'],
    ['p99 << 1s', 'expected a duration'],
    ['p99', 'expected "<metric> <op> <value>"'],
    ['', 'expected "<metric> <op> <value>"'],
    ['error_rate < 5', 'ambiguous: write 5% or 0.05'],
    ['error_rate < 150%', 'expected at most 100% for error_rate'],
    ['error_rate < 1ms', 'expected a percentage such as 1% or a fraction such as 0.01'],
    ['drop_rate < -1%', 'expected a percentage'],
  ])('rejects %j', (text, phrase) => {
    const t = parseThreshold(text);
    expect('error' in t && t.error).toContain(phrase);
  });

  it('knows 32 latency metrics, 9 ratios and 3 counts', () => {
    expect(LATENCY_METRICS).toHaveLength(32);
    expect(RATIO_METRICS).toEqual(['ok_rate', 'error_rate', 'drop_rate', 'unfinished_rate', 'answered_rate', 'achieved_rate', 'lost_rate', 'duplicated', 'reordered']);
    expect(COUNT_METRICS).toEqual(['lost', 'unexpected', 'dlq_depth']);
  });

  it.each([
    ['lost == 0', { metric: 'lost', op: '==', value: 0 }],
    ['dlq_depth <= 5', { metric: 'dlq_depth', op: '<=', value: 5 }],
    ['duplicated < 0.1%', { metric: 'duplicated', op: '<', value: 0.001 }],
    ['e2e_p99 < 2s', { metric: 'e2e_p99', op: '<', value: 2000 }],
  ])('delivery metric %s', (text, expected) => {
    expect(parseThreshold(text)).toMatchObject(expected);
  });

  it('a count takes a whole number', () => {
    expect(parseThreshold('lost < 1%')).toEqual({ error: expect.stringMatching(/expected a whole number of messages after "lost <"/) });
  });
});
