import { describe, expect, it } from 'vitest';
import { createHistogram, recordMs } from '../../src/metrics/histogram.js';
import { figureBound, formatFigure, latencyFigures } from '../../src/metrics/latency-figures.js';
import { formatMs } from '../../src/util/units.js';

function hist(values: number[]) {
  const h = createHistogram();
  for (const v of values) recordMs(h, v);
  return h;
}
const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('latency figures over every due arrival (pure)', () => {
  it('with nothing censored they are the recorded percentiles, exact', () => {
    const f = latencyFigures(hist(range(1000, (i) => i + 1)), hist([]), 0);
    expect(f).toMatchObject({ count: 1000, censored: false, atLeast: [], never: [], recorded: 1000, waiting: 0, neverAnswered: 0 });
    expect(f.p50).toBeCloseTo(500, -1);
    expect(f.p99).toBeCloseTo(990, -1);
    expect(f.max).toBeCloseTo(1000, -1);
  });

  it('no arrivals at all: every figure is null and none is censored ("–", never 0)', () => {
    const f = latencyFigures(hist([]), undefined, 0);
    expect(f.count).toBe(0);
    expect([f.p50, f.p99, f.max, f.mean]).toEqual([null, null, null, null]);
    expect(figureBound(f, 'p50')).toBe('none');
    expect(formatFigure(f, 'p99', formatMs)).toBe('–');
  });

  it.each([
    // [recorded values, waiting ages, never answered, figure, expected value, expected bound]
    // waiting values above every answer: the top figures become lower bounds, the median stays exact
    [range(90, () => 10), range(10, () => 5000), 0, 'p50', 10, 'exact'],
    [range(90, () => 10), range(10, () => 5000), 0, 'p90', 10, 'exact'],
    [range(90, () => 10), range(10, () => 5000), 0, 'p95', 5000, 'atLeast'],
    [range(90, () => 10), range(10, () => 5000), 0, 'max', 5000, 'atLeast'],
    [range(90, () => 10), range(10, () => 5000), 0, 'mean', 509, 'atLeast'],
    // a waiting value BELOW the figure makes it a lower bound too (its true value may lie above)
    [range(60, () => 100), range(40, () => 1), 0, 'p75', 100, 'atLeast'],
    // …unless enough answers lie at or below it: 60 answers <= 100 ms decide the median whatever the 40 waiting turn out to be
    [range(60, () => 100), range(40, () => 1), 0, 'p50', 100, 'exact'],
    [range(60, () => 100), range(40, () => 1), 0, 'p999', 100, 'atLeast'],
    // one young arrival in flight among 400 answers moves the median by one rank: still exact (within 1 %)
    [range(400, (i) => 2.9 + i / 4000), [0.5], 0, 'p50', 2.95, 'exact'],
    [range(400, (i) => 2.9 + i / 4000), [0.5], 0, 'p99', 3, 'exact'],
    [range(400, (i) => 2.9 + i / 4000), [0.5], 0, 'max', 3, 'atLeast'],
    // …but a wide bracket is only a lower bound: 50 at 1 ms, 50 at 100 ms, 10 waiting at 0.5 ms
    [[...range(50, () => 1), ...range(50, () => 100)], range(10, () => 0.5), 0, 'p50', 1, 'atLeast'],
    // never answered ranks above everything
    [range(50, () => 10), [], 50, 'p50', 10, 'exact'],
    [range(50, () => 10), [], 50, 'p75', null, 'never'],
    [range(50, () => 10), [], 50, 'max', null, 'never'],
    [range(50, () => 10), [], 50, 'mean', null, 'never'],
    // a hung pipeline: 32 timeouts at 10 s, 4968 waiting, 5000 dropped
    [range(32, () => 10_000), range(4968, (i) => 20_000 - i), 5000, 'p50', 19_980, 'atLeast'],
    [range(32, () => 10_000), range(4968, (i) => 20_000 - i), 5000, 'p99', null, 'never'],
    // refused everything
    [[], [], 2000, 'p50', null, 'never'],
  ] as const)('recorded %#: %s → %s (%s)', (recorded, waiting, never, key, value, bound) => {
    const f = latencyFigures(hist([...recorded]), hist([...waiting]), never);
    expect(f.count).toBe(recorded.length + waiting.length + never);
    expect(figureBound(f, key)).toBe(bound);
    if (value === null) expect(f[key]).toBeNull();
    else expect(f[key]!).toBeCloseTo(value, value > 1000 ? -2 : value >= 100 ? -1 : 0);
    expect(f.censored).toBe(bound !== 'exact' || f.atLeast.length + f.never.length > 0);
  });

  it('prints bounds for people: ≥ for a lower bound, never for never answered', () => {
    const f = latencyFigures(hist(range(10, () => 5)), hist(range(40, () => 12_000)), 50);
    expect(formatFigure(f, 'p50', formatMs)).toMatch(/^≥ 12\.0s$/);
    expect(formatFigure(f, 'p99', formatMs)).toBe('never');
    expect(formatFigure(latencyFigures(hist([5]), undefined, 0), 'p50', formatMs)).toBe('5.00ms');
  });

  it('never changes the histograms it reads', () => {
    const r = hist([1, 2, 3]);
    const w = hist([4000]);
    latencyFigures(r, w, 7);
    expect([r.totalCount, w.totalCount]).toEqual([3, 1]);
  });
});
