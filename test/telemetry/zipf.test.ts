import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createZipf, ZIPF_MAX_EXPONENT, ZIPF_MAX_ITEMS } from '../../src/telemetry/zipf.js';

/** Share of each item when sampling an even grid of `draws` values of u over [0, 1). */
function histogram(k: number, s: number, draws = 100_000): number[] {
  const z = createZipf(k, s);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < draws; i++) counts[z.sample((i + 0.5) / draws)]++;
  return counts.map((c) => c / draws);
}

describe('createZipf', () => {
  it.each([
    { k: 1, s: 0 },
    { k: 10, s: 0 },
    { k: 10, s: 1.2 },
    { k: 100, s: 0.8 },
    { k: 1000, s: 2 },
  ])('k=$k s=$s: probabilities sum to 1, are non-increasing, and sampling matches them', ({ k, s }) => {
    const z = createZipf(k, s);
    let sum = 0;
    for (let i = 0; i < k; i++) {
      sum += z.probability(i);
      if (i > 0) expect(z.probability(i)).toBeLessThanOrEqual(z.probability(i - 1) + 1e-15);
    }
    expect(sum).toBeCloseTo(1, 9);
    const h = histogram(k, s);
    for (let i = 0; i < Math.min(k, 10); i++) expect(h[i]).toBeCloseTo(z.probability(i), 3);
  });

  it('s = 0 is uniform', () => {
    const h = histogram(20, 0);
    for (const p of h) expect(p).toBeCloseTo(1 / 20, 4);
  });

  it('s = 1.2 makes the first of 100 items far hotter than 1/k', () => {
    const z = createZipf(100, 1.2);
    expect(z.probability(0)).toBeGreaterThan(10 / 100);
    expect(z.probability(0) / z.probability(99)).toBeCloseTo(100 ** 1.2, 6);
  });

  it('sample is in range and non-decreasing in u (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (k, s, u1, u2) => {
          const z = createZipf(k, s);
          const [a, b] = u1 <= u2 ? [u1, u2] : [u2, u1];
          const ia = z.sample(a);
          const ib = z.sample(b);
          return Number.isInteger(ia) && ia >= 0 && ib < k && ia <= ib && z.cdf(ia) > a;
        },
      ),
    );
  });

  it('clamps u outside [0, 1) to the ends', () => {
    const z = createZipf(7, 1);
    expect(z.sample(-1)).toBe(0);
    expect(z.sample(Number.NaN)).toBe(0);
    expect(z.sample(1)).toBe(6);
    expect(z.sample(0.9999999999999999)).toBe(6);
  });

  it.each([
    { k: 0, s: 1 },
    { k: 1.5, s: 1 },
    { k: ZIPF_MAX_ITEMS + 1, s: 1 },
    { k: 10, s: -0.1 },
    { k: 10, s: ZIPF_MAX_EXPONENT + 1 },
    { k: 10, s: Number.NaN },
  ])('rejects k=$k s=$s', ({ k, s }) => {
    expect(() => createZipf(k, s)).toThrow(RangeError);
  });
});
