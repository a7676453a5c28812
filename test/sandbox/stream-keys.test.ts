import { describe, expect, it } from 'vitest';
import { ShardMap } from '../../src/targets/kinesis/shard-map.js';
import { evenHashKeyRanges, explicitHashKey, HashKeyRouter, md5HashKey, routeLane, routeShard } from '../../src/sandbox/stream/hash-keys.js';
import { parseSequenceNumber, SEQUENCE_DIGITS, sequenceNumber, shardId, shardIndexOf } from '../../src/sandbox/stream/sequence-numbers.js';

const MAX = (1n << 128n) - 1n;

describe('stream hash keys', () => {
  it.each([
    [1, [['0', MAX.toString()]]],
    // AWS's ranges for a new stream of 2 and 4 shards.
    [2, [['0', '170141183460469231731687303715884105727'], ['170141183460469231731687303715884105728', MAX.toString()]]],
    [4, [
      ['0', '85070591730234615865843651857942052863'],
      ['85070591730234615865843651857942052864', '170141183460469231731687303715884105727'],
      ['170141183460469231731687303715884105728', '255211775190703847597530955573826158591'],
      ['255211775190703847597530955573826158592', MAX.toString()],
    ]],
    // 2^128 / 3 is not whole: shard i starts at i × floor(2^128 / 3), the last one ends at 2^128-1.
    [3, [
      ['0', '113427455640312821154458202477256070484'],
      ['113427455640312821154458202477256070485', '226854911280625642308916404954512140969'],
      ['226854911280625642308916404954512140970', MAX.toString()],
    ]],
  ])('splits the hash-key space evenly between %i shards, as AWS does', (shards, expected) => {
    expect(evenHashKeyRanges(shards as number).map((r) => [r.start, r.end])).toEqual(expected);
  });

  it.each([1, 2, 3, 4, 7, 64, 256])('routes every key to the shard rushhour predicts (%i shards)', (shards) => {
    const ranges = evenHashKeyRanges(shards);
    const predicted = new ShardMap(ranges.map((r, i) => ({ id: shardId(i), start: BigInt(r.start), end: BigInt(r.end) })));
    const router = new HashKeyRouter(ranges, 1);
    for (let i = 0; i < 2000; i++) {
      const key = i % 3 === 0 ? `VIN-${i}` : `vehicle/${i * 7919}/x`;
      expect(routeShard(router.route(key)), key).toBe(predicted.shardOf(key));
    }
  });

  it.each([
    ['0', 0],
    ['85070591730234615865843651857942052863', 0],
    ['85070591730234615865843651857942052864', 1],
    ['255211775190703847597530955573826158592', 3],
    [MAX.toString(), 3],
  ])('routes ExplicitHashKey %s to shard %i (boundaries inclusive)', (key, shard) => {
    const router = new HashKeyRouter(evenHashKeyRanges(4), 1);
    expect(routeShard(router.routeExplicit('any', explicitHashKey(key)!))).toBe(shard);
  });

  it.each([['340282366920938463463374607431768211456'], ['-1'], ['1e5'], ['']])('refuses ExplicitHashKey %j (outside 0..2^128-1)', (key) => {
    expect(explicitHashKey(key)).toBeUndefined();
  });

  it('keeps one partition key in one lane, and spreads keys over every lane', () => {
    const router = new HashKeyRouter(evenHashKeyRanges(2), 10);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const r = router.route(`VIN-${i}`);
      expect(router.route(`VIN-${i}`)).toBe(r);
      expect(routeLane(router.routeExplicit(`VIN-${i}`, md5HashKey('other')))).toBe(routeLane(r));
      seen.add(routeLane(r));
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(routeLane(new HashKeyRouter(evenHashKeyRanges(2), 1).route('VIN-1'))).toBe(0);
  });
});

describe('stream sequence numbers and shard ids', () => {
  it.each([
    [0, 0],
    [3, 17],
    [255, 123_456_789],
    [9999, Number.MAX_SAFE_INTEGER],
  ])('shard %i position %i: fixed width, read back', (shard, position) => {
    const s = sequenceNumber(shard, position);
    expect(s).toMatch(/^\d+$/);
    expect(s).toHaveLength(SEQUENCE_DIGITS);
    expect(parseSequenceNumber(s)).toEqual({ shardIndex: shard, position });
  });

  it('increase strictly within a shard (as text and as numbers) and differ across shards', () => {
    const all = new Set<string>();
    for (let shard = 0; shard < 4; shard++) {
      for (let p = 0; p < 50; p++) {
        const a = sequenceNumber(shard, p);
        const b = sequenceNumber(shard, p + 1);
        expect(a < b).toBe(true);
        expect(BigInt(a) < BigInt(b)).toBe(true);
        all.add(a);
      }
    }
    expect(all.size).toBe(200);
  });

  it.each([['0'], ['1234'], ['49' + '9'.repeat(54)], ['x'.repeat(56)], ['50' + '0'.repeat(54)]])('does not read %j as a sandbox sequence number', (text) => {
    expect(parseSequenceNumber(text)).toBeUndefined();
  });

  it.each([
    [0, 'shardId-000000000000'],
    [12, 'shardId-000000000012'],
  ])('names shard %i %s and reads it back', (index, id) => {
    expect(shardId(index)).toBe(id);
    expect(shardIndexOf(id)).toBe(index);
  });

  it.each([['shard-1', -1], ['shardId-1', -1], ['7', 7]])('reads shard id %j as %i', (id, index) => {
    expect(shardIndexOf(id)).toBe(index);
  });
});
