import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEPOTS, haversineKm } from '../../src/telemetry/geo.js';
import { hash2, hashWide, mix32, normalizeSeed, seedStreams, unit } from '../../src/telemetry/hash.js';

describe('hash', () => {
  it('mix32 is a 32-bit bijection sample: no collisions over 100,000 consecutive inputs', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(mix32(i));
    expect(seen.size).toBe(100_000);
  });

  it('unit maps hashes into [0, 1) and is roughly uniform', () => {
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = unit(hash2(7, i));
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it.each([
    { seed: 0, same: 0 },
    { seed: -1, same: 0xffffffff },
    { seed: 42, same: 42 },
  ])('normalizeSeed($seed) folds like $same', ({ seed, same }) => {
    expect(normalizeSeed(seed)).toBe(normalizeSeed(same));
  });

  it('normalizeSeed rejects non-integers; large seeds still differ', () => {
    expect(() => normalizeSeed(1.5)).toThrow(RangeError);
    expect(normalizeSeed(2 ** 40)).not.toBe(normalizeSeed(2 ** 40 + 1));
  });

  it('seedStreams is deterministic and seed-dependent', () => {
    expect(seedStreams(3)).toEqual(seedStreams(3));
    expect(seedStreams(3)).not.toEqual(seedStreams(4));
    expect(new Set(Object.values(seedStreams(3))).size).toBe(6);
    expect(seedStreams(-1)).toEqual(seedStreams(0xffffffff));
  });

  it('hashWide mixes in the bits above 2^32 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 21 - 1 }), fc.nat(), (hi, lo) => hashWide(1, hi * 2 ** 32 + lo) !== hashWide(1, lo)),
    );
  });
});

describe('geo', () => {
  it('haversine: Oslo to Stockholm is about 416 km', () => {
    expect(haversineKm(DEPOTS[0], DEPOTS[4])).toBeGreaterThan(410);
    expect(haversineKm(DEPOTS[0], DEPOTS[4])).toBeLessThan(420);
  });
});
