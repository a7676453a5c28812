import { recordedRun as record } from '../support/recorded-run.js';
import { describe, expect, it } from 'vitest';
import type { PhaseSpec } from '../../src/load/phase.js';
import { createHistogram, recordMs } from '../../src/metrics/histogram.js';
import {
  compareRuns, loadRunFigures, quantileInterval, quantileRankInterval, renderBaselineMarkdown, renderBaselineTable, twoProportionZ, type FigureVerdict,
} from '../../src/reports/baseline-compare.js';

/** A fake-clock run at 200/s for `seconds`; `respond(n, t)` gives request n (1-based), written at t ms, its latency and outcome. */
async function recordedRun(respond: (n: number, t: number) => { ms: number; outcome?: string }, seconds = 5): Promise<string> {
  const phases: PhaseSpec[] = [{ kind: 'constant', name: 'steady', durationMs: seconds * 1000, rate: 200 }];
  return record(phases, (n, t) => {
    const r = respond(n, t);
    return { atMs: t + r.ms, outcome: r.outcome ?? '2xx' };
  });
}

/** Latencies spread evenly over 1..20.8 ms in a scrambled order, plus `shift` (up to `cap`). */
const spread = (shift = 0, cap = Infinity) => (n: number) => ({ ms: Math.min(cap, 1 + ((n * 37) % 100) / 5 + shift) });
/** The same, but requests written in [2 s, 3 s) stall until 3 s. */
const stalled = (n: number, t: number) => ({ ms: t >= 2000 && t < 3000 ? 3000 - t : spread()(n).ms });

async function compare(before: string, after: string) {
  const c = compareRuns(await loadRunFigures(before), await loadRunFigures(after));
  const verdicts: Record<string, FigureVerdict> = Object.fromEntries(c.figures.map((f) => [f.figure, f.verdict]));
  return { c, verdicts };
}

describe('quantile confidence intervals (order statistics)', () => {
  it.each([
    // n, p, ranks n·p ± 1.96·√(n·p·(1−p)), rounded outwards and clamped
    [1000, 0.5, [469, 531]],
    [1000, 0.99, [983, 997]],
    [100, 0.99, [97, 100]],
    [10, 0.5, [1, 9]],
    [1000, 1, [998, 1000]],
    [1, 1, [1, 1]],
  ] as const)('n=%i p=%f → ranks %j', (n, p, ranks) => {
    expect(quantileRankInterval(n, p)).toEqual(ranks);
  });

  it('reads the values at those ranks; arrivals never answered rank above every value (+∞)', () => {
    const h = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(h, i);
    const [lo, hi] = quantileInterval(h, 1000, 0.5)!;
    expect(lo).toBeCloseTo(469, -1);
    expect(hi).toBeCloseTo(531, -1);
    expect(quantileInterval(h, 1010, 0.999)![1]).toBe(Infinity);
    expect(quantileInterval(createHistogram(), 0, 0.5)).toBeNull();
  });
});

describe('the two-proportion rule for rates', () => {
  it.each([
    // before x/n, after x/n, differs (|z| > 1.96), sign
    [10, 1000, 12, 1000, false, 1],
    [10, 1000, 30, 1000, true, 1],
    [30, 1000, 10, 1000, true, -1],
    [0, 1000, 0, 1000, false, 0],
    [1000, 1000, 1000, 1000, false, 0],
    [0, 1000, 3, 1000, false, 1],
    [0, 10_000, 10, 10_000, true, 1],
    [5, 0, 5, 100, false, 0],
  ] as const)('%i/%i vs %i/%i → changed %s', (bx, bn, ax, an, changed, sign) => {
    const z = twoProportionZ(bx, bn, ax, an);
    expect(Math.abs(z) > 1.96).toBe(changed);
    expect(Math.sign(z)).toBe(sign);
  });
});

describe('compareRuns (the regression view)', () => {
  it('a run against itself: every figure is the same, with a zero delta', async () => {
    const dir = await recordedRun(spread());
    const { c } = await compare(dir, dir);
    expect(c.regressed).toBe(0);
    expect(c.improved).toBe(0);
    expect(c.figures.map((f) => f.figure)).toEqual([
      'ok rate', 'error rate', 'drop rate', 'achieved rate', 'latency p50', 'latency p90', 'latency p99', 'latency p99.9', 'latency max', 'service time p99',
    ]);
    for (const f of c.figures) {
      expect(f.verdict, f.figure).toBe('same');
      expect(f.delta, f.figure).toBe(0);
    }
    expect(renderBaselineMarkdown(c)).toContain('SAME: all 10 figures within noise');
  });

  it('a run with a stall against one without: the tail regressed, the rates did not; the other way round it improved', async () => {
    const calm = await recordedRun(spread());
    const stall = await recordedRun(stalled);
    const { c, verdicts } = await compare(calm, stall);
    expect(verdicts['latency p99']).toBe('regressed');
    expect(verdicts['latency p99.9']).toBe('regressed');
    expect(verdicts['latency max']).toBe('regressed');
    expect(verdicts['ok rate']).toBe('same');
    expect(verdicts['error rate']).toBe('same');
    // the service time is written → done: the stall shows there too
    expect(verdicts['service time p99']).toBe('regressed');
    const p99 = c.figures.find((f) => f.figure === 'latency p99')!;
    expect(p99.after! - p99.before!).toBeGreaterThan(500);
    expect(p99.delta).toBeCloseTo(p99.after! - p99.before!, 3);
    const row = renderBaselineTable(c).find((l) => l.startsWith('| latency p99 |'))!;
    expect(row).toMatch(/\| \+[\d.]+(ms|s) \(\+[\d.]+%\) \| 🔴 regressed \|$/);
    expect(c.regressed).toBeGreaterThanOrEqual(4);
    const back = await compare(stall, calm);
    expect(back.verdicts['latency p99']).toBe('improved');
    expect(back.c.regressed).toBe(0);
  });

  it('a small difference within the noise is the same; a larger one is not', async () => {
    const base = await recordedRun(spread());
    // the bulk 0.1 ms slower, the same top (a bounded spread's max is known very precisely: its shift would count)
    const { c } = await compare(base, await recordedRun(spread(0.1, 20.8)));
    expect(c.figures.find((f) => f.figure === 'latency p50')!.delta).toBeGreaterThan(0);
    for (const f of c.figures) expect(f.verdict, f.figure).toBe('same');
    const far = await compare(base, await recordedRun(spread(5)));
    expect(far.verdicts['latency p50']).toBe('regressed');
    expect(far.verdicts['latency p90']).toBe('regressed');
  });

  it('rates: more 5xx is a regressed error and ok rate only beyond the two-proportion test', async () => {
    const every = (k: number) => (n: number) => ({ ms: 4, outcome: n % k === 0 ? '5xx' : '2xx' });
    const base = await recordedRun(every(50));
    const near = await compare(base, await recordedRun(every(45)));
    expect(near.verdicts['error rate']).toBe('same');
    expect(near.verdicts['ok rate']).toBe('same');
    const worse = await compare(base, await recordedRun(every(10)));
    expect(worse.verdicts['error rate']).toBe('regressed');
    expect(worse.verdicts['ok rate']).toBe('regressed');
    expect(worse.verdicts['drop rate']).toBe('same');
    const f = worse.c.figures.find((x) => x.figure === 'error rate')!;
    expect(f.before).toBeCloseTo(0.02, 3);
    expect(f.after).toBeCloseTo(0.1, 3);
    expect(f.basis).toMatch(/^two-proportion z = \d+\.\d\d \(20\/1,000 vs 100\/1,000\)$/);
  });
});
