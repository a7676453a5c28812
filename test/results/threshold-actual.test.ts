import { describe, expect, it } from 'vitest';
import type { ThresholdResult } from '../../src/metrics/thresholds.js';
import { thresholdActual } from '../../src/results/verdict.js';

const result = (metric: string, actual: number | null, bound: ThresholdResult['bound'] = 'exact') => ({ metric, actual, bound }) as unknown as ThresholdResult;

describe('a threshold\'s actual value in the table (pure)', () => {
  it.each([
    ['a latency in ms', result('p99', 420), '420ms'],
    ['a rate of arrivals', result('ok_rate', 0.8717), '87.17%'],
    ['duplicates, a share of the messages seen', result('duplicated', 0.196), '19.60%'],
    ['reordered, a share', result('reordered', 0), '0.00%'],
    ['lost, a count of messages', result('lost', 1234), '1,234'],
    ['the DLQ depth, a count', result('dlq_depth', 0), '0'],
    ['e2e latency', result('e2e_p99', 1500), '1.50s'],
    ['no data', result('lost', null, 'none'), 'no data'],
  ] as const)('%s', (_name, t, text) => {
    expect(thresholdActual(t)).toBe(text);
  });
});
