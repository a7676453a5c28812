import { describe, expect, it } from 'vitest';
import { summarizeShards, withIteratorAges } from '../../src/results/shards.js';
import { iteratorAgeLine } from '../../src/results/summary-text.js';
import type { ProbeReadings } from '../../src/metrics/probe-readings.js';
import { probeLine } from '../../src/ui/probe-line.js';

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

describe('per-shard iterator age from the probes (pure)', () => {
  const at = (ages: [string, number, boolean][]) => ({ shards: ages.map(([id, iteratorAgeMs, blocked]) => ({ id, iteratorAgeMs, blocked })) });

  it('keeps the target\'s summary as it is when no probe read shards', () => {
    const s = summarizeShards([iv(0, 1000, [['a', 10, 100, 0]])]);
    expect(withIteratorAges(s, [undefined, { queues: [] }])).toBe(s);
  });

  it.each([
    // [name, readings, expected {id: [max, blocked]}]
    ['one blocked shard climbs, the others stay at zero', [at([['a', 0, false], ['b', 0, false]]), at([['a', 0, false], ['b', 1200, true]]), at([['a', 0, false], ['b', 2400, true]]), at([['a', 0, false], ['b', 0, false]])], { a: [0, false], b: [2400, true] }],
    ['a shard that only lagged was never blocked', [at([['a', 300, false]]), at([['a', 120.6, false]])], { a: [300, false] }],
    ['a shard only the probe names is added with no load', [at([['a', 5, false], ['z', 7, false]])], { a: [5, false], z: [7, false] }],
  ] as const)('%s', (_name, readings, want) => {
    const s = withIteratorAges(summarizeShards([iv(0, 1000, [['a', 10, 100, 0], ['b', 10, 100, 0]])]), readings.map((r) => ({ shards: r.shards.map((x) => ({ ...x })) })))!;
    for (const [id, [max, blocked]] of Object.entries(want)) {
      const x = s.find((y) => y.id === id)!;
      expect([x.iteratorAgeMsMax, x.blocked]).toEqual([max, blocked]);
    }
  });

  it.each([
    ['names the oldest shard and the block', [['b', 8200, true], ['a', 120, false], ['c', 0, false]], 'iterator age: max 8.20s on b; the other 2 shard(s) ≤ 120ms (blocked by a failing batch: b)'],
    ['all caught up', [['a', 0, false]], 'iterator age: max 0.00ms on a'],
  ] as const)('iteratorAgeLine: %s', (_name, ages, line) => {
    const shards = ages.map(([id, iteratorAgeMsMax, blocked]) => ({ id, records: 0, bytes: 0, throttled: 0, share: 0, peakRecordsPerS: 0, peakBytesPerS: 0, hot: false, why: '', iteratorAgeMsMax, blocked }));
    expect(iteratorAgeLine(shards)).toBe(line);
  });

  it('iteratorAgeLine says nothing when no probe read the shards', () => {
    expect(iteratorAgeLine(summarizeShards([iv(0, 1000, [['a', 10, 100, 0]])])!)).toBeUndefined();
  });

  it.each([
    ['the oldest shard, blocked', { shards: [{ id: 'a', iteratorAgeMs: 10, blocked: false }, { id: 'b', iteratorAgeMs: 4200, blocked: true }] }, 'iter 4.20s b blocked'],
    ['caught up', { shards: [{ id: 'a', iteratorAgeMs: 0, blocked: false }] }, 'iter 0.00ms'],
    ['no shards read', { queues: [{ name: 'q', role: 'dlq' as const, visible: 3, notVisible: 0, delayed: 0 }] }, 'dlq 3'],
  ] as const)('probeLine: %s', (_name, readings, line) => {
    expect(probeLine(structuredClone(readings) as unknown as ProbeReadings)).toBe(line);
  });
});
