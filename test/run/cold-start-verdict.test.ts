import { describe, expect, it } from 'vitest';
import { classifyGaps } from '../../src/run/cold-start-verdict.js';

const s = (gapMs: number, cold: boolean | null) => ({ gapMs, cold });

describe('classifyGaps', () => {
  it.each<[string, number[], ReturnType<typeof s>[], object, RegExp]>([
    ['cold from the third gap', [60e3, 300e3, 600e3, 900e3], [s(60e3, false), s(300e3, false), s(600e3, true), s(900e3, true)],
      { coldFromMs: 600e3, largestWarmMs: 300e3, monotonic: true }, /between 5m and 10m/],
    ['never cold', [1000, 2000], [s(1000, false), s(2000, false)], { coldFromMs: null, largestWarmMs: 2000 }, /no cold start after any gap up to 2s/],
    ['cold from the smallest', [1000, 2000], [s(1000, true), s(2000, true)], { coldFromMs: 1000, largestWarmMs: null }, /already after the smallest gap \(1s\)/],
    ['warm again after a larger gap', [1000, 2000, 3000], [s(1000, false), s(2000, true), s(3000, false)], { coldFromMs: 2000, largestWarmMs: 1000, monotonic: false }, /warm again after a larger gap \(3s\)/],
    ['mixed repeats count as cold starts appearing', [1000, 2000], [s(1000, false), s(1000, false), s(2000, true), s(2000, false)], { coldFromMs: 2000, largestWarmMs: 1000 }, /from a 2s gap/],
    ['no answers', [1000], [s(1000, null)], { coldFromMs: null, largestWarmMs: null }, /nothing to conclude/],
  ])('%s', (_name, gaps, samples, want, text) => {
    const v = classifyGaps(gaps, samples);
    expect(v).toMatchObject(want);
    expect(v.conclusion).toMatch(text);
  });

  it('counts each gap\'s requests', () => {
    expect(classifyGaps([1000], [s(1000, true), s(1000, false), s(1000, null)]).gaps).toEqual([{ gapMs: 1000, requests: 3, cold: 1, warm: 1, failed: 1, verdict: 'mixed' }]);
  });
});
