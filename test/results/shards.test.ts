import { describe, expect, it } from 'vitest';
import { summarizeShards } from '../../src/results/shards.js';

const iv = (startMs: number, endMs: number, loads: [string, number, number, number][]) => ({ startMs, endMs, shards: loads.map(([id, records, bytes, throttled]) => ({ id, records, bytes, throttled })) });

describe('per-shard summary and hot shards (pure)', () => {
  it('null for a target without shards', () => {
    expect(summarizeShards([{ startMs: 0, endMs: 1000 }])).toBeNull();
  });

  it.each([
    // [name, intervals, hot ids, reason pattern]
    ['an even load under the limits', [iv(0, 1000, [['a', 400, 4e5, 0], ['b', 400, 4e5, 0]])], [], /^$/],
    ['over 1,000 records/s', [iv(0, 1000, [['a', 1500, 1e5, 0], ['b', 1400, 1e5, 0]])], ['a', 'b'], /1,500 records\/s over the 1,000\/s shard limit/],
    ['over 1 MiB/s', [iv(0, 1000, [['a', 10, 2 * 1048576, 0], ['b', 10, 1000, 0]])], ['a'], /2\.00 MiB\/s over the 1 MiB\/s shard limit/],
    ['throttled records', [iv(0, 1000, [['a', 100, 1000, 3], ['b', 100, 1000, 0]])], ['a'], /3 record\(s\) throttled/],
    ['a share twice the even one', [iv(0, 1000, [['a', 300, 3000, 0], ['b', 50, 500, 0], ['c', 25, 250, 0], ['d', 25, 250, 0]])], ['a'], /75\.0 % of the records, 3\.0× an even share/],
    ['too few records to call skew', [iv(0, 1000, [['a', 30, 300, 0], ['b', 5, 50, 0]])], [], /^$/],
    // a 100 ms drain interval must not inflate the peak: 150 records in it is not 1,500/s
    ['a short last interval', [iv(0, 1000, [['a', 500, 5000, 0], ['b', 500, 5000, 0]]), iv(1000, 1100, [['a', 150, 1500, 0], ['b', 150, 1500, 0]])], [], /^$/],
  ] as const)('%s', (_name, intervals, hot, why) => {
    const s = summarizeShards([...intervals])!;
    expect(s.filter((x) => x.hot).map((x) => x.id).sort()).toEqual([...hot]);
    expect(s[0].why).toMatch(why);
    expect(s.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 3);
  });
});
