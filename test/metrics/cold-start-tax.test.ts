import { describe, expect, it } from 'vitest';
import { GapFollower, MAX_READINGS, nearestRank, type GapToFollow, type TaxBaseline } from '../../src/metrics/cold-start-tax.js';

/** Arrivals 1000.. due every 10 ms from the gap's end at 20 s. */
const span = (followed: number): GapToFollow => ({ gap: 'gap-1', endMs: 20_000, firstArrival: 1000, followed });
const dueAt = (n: number) => 20_000 + (n - 1000) * 10;
const baseline: TaxBaseline = { p50Ms: 4, p99Ms: 10 };

/** A follower fed latencies by arrival offset (null: never completed; negative: failed, at |l|). */
function follow(latencies: (number | null)[], k: number, followed = latencies.length): GapFollower {
  const f = new GapFollower(span(followed), k);
  // complete in reverse order: the follower must not depend on completion order
  for (let i = latencies.length - 1; i >= 0; i--) {
    const l = latencies[i];
    if (l === null) continue;
    f.completed(1000 + i, l >= 0, Math.abs(l), dueAt(1000 + i) + Math.abs(l));
  }
  return f;
}

const slow = (n: number, ms: number) => Array.from({ length: n }, () => ms);

describe('nearestRank', () => {
  it.each([
    [[], 0.5, null],
    [[7], 0.99, 7],
    [[1, 2, 3, 4], 0.5, 2],
    [Array.from({ length: 100 }, (_, i) => i + 1), 0.99, 99],
    [Array.from({ length: 20 }, (_, i) => i + 1), 0.99, 20],
  ])('%j at %d → %j', (values, q, want) => {
    expect(nearestRank(values, q)).toBe(want);
  });
});

describe('GapFollower.tax (first K, recovery, K=10, run of 3)', () => {
  const opts = { k: 10, run: 3, factor: 1.2 };
  it.each<{ name: string; lat: (number | null)[]; first: object; tax: number | null; back: object }>([
    {
      name: 'cold first 6, then warm',
      lat: [...slow(6, 500), ...slow(20, 3)],
      first: { due: 10, completed: 10, failed: 0, p50Ms: 500, p99Ms: 500, maxMs: 500, vsBaseline: { p50: 125, p99: 50, max: 50 } },
      tax: 496,
      back: { thresholdMs: 12, requests: 6, afterMs: 60, atMs: 20_060 },
    },
    {
      name: 'warm from the first request: no tax, back at once',
      lat: slow(20, 4),
      first: { completed: 10, p50Ms: 4, p99Ms: 4, maxMs: 4, vsBaseline: { p50: 1, p99: 0.4, max: 0.4 } },
      tax: 0,
      back: { requests: 0, afterMs: 0 },
    },
    {
      name: 'a failure, a drop and a slow one break the run of 3',
      lat: [900, 3, 3, -2, 3, 3, null, 3, 3, 13, 3, 3, 3, 3],
      first: { due: 10, completed: 9, failed: 1, p50Ms: 3, p99Ms: 900, maxMs: 900 },
      tax: -1,
      back: { requests: 10, afterMs: 100 },
    },
    {
      name: 'never back within the arrivals followed',
      lat: slow(12, 50),
      first: { p50Ms: 50 },
      tax: 46,
      back: { thresholdMs: 12, requests: null, afterMs: null, followed: 12 },
    },
  ])('$name', ({ lat, first, tax, back }) => {
    const t = follow(lat, 10).tax(baseline, dueAt, opts);
    expect(t.firstK).toMatchObject({ k: 10, ...first });
    expect(t.taxMs).toBe(tax);
    expect(t.recovery).toMatchObject({ run: 3, factor: 1.2, ...back });
  });

  it('without a baseline: figures, no ratios, no recovery', () => {
    const t = follow(slow(5, 20), 10).tax({ p50Ms: null, p99Ms: null }, dueAt, opts);
    expect(t.firstK).toMatchObject({ due: 5, completed: 5, p50Ms: 20, vsBaseline: { p50: null, p99: null, max: null } });
    expect(t.taxMs).toBeNull();
    expect(t.recovery).toMatchObject({ thresholdMs: null, requests: null });
  });

  it('a gap with no arrivals after it', () => {
    const t = follow([], 10).tax(baseline, dueAt, opts);
    expect(t.firstK).toMatchObject({ due: 0, completed: 0, p50Ms: null, maxMs: null });
    expect(t.recovery.requests).toBeNull();
    expect(t.coldStarts).toBeNull();
  });

  it('ignores arrivals outside its span', () => {
    const f = new GapFollower(span(5), 10);
    f.completed(999, true, 1e6, 0);
    f.completed(1005, true, 1e6, 0);
    expect(f.tax(baseline, dueAt, opts).firstK.completed).toBe(0);
  });
});

describe('GapFollower.tax: cold starts in the window', () => {
  const opts = { k: 10, run: 3 };
  it.each<{ name: string; readings: [number, number][]; lagMs: number; want: object | null }>([
    { name: 'no readings (not the sandbox)', readings: [], lagMs: 0, want: null },
    { name: 'only before the gap ended', readings: [[19_000, 4]], lagMs: 0, want: null },
    // window: gap end 20 s → back at 20.06 s, the first K done by 20.55 s (500 ms latency)
    { name: 'the diff across the window', readings: [[18_000, 3], [19_000, 4], [21_000, 9], [22_000, 12]], lagMs: 0, want: { count: 5, fromMs: 19_000, toMs: 21_000 } },
    { name: 'a reading lag moves the end reading later', readings: [[19_000, 4], [21_000, 9], [22_000, 12]], lagMs: 1000, want: { count: 8, fromMs: 19_000, toMs: 22_000 } },
    { name: 'the run ended first: its last reading', readings: [[19_000, 4], [20_200, 6]], lagMs: 0, want: { count: 2, fromMs: 19_000, toMs: 20_200 } },
  ])('$name', ({ readings, lagMs, want }) => {
    const f = follow([...slow(6, 500), ...slow(20, 3)], 10);
    for (const [t, c] of readings) f.reading(t, c);
    expect(f.tax(baseline, dueAt, { ...opts, readingLagMs: lagMs }).coldStarts).toEqual(want);
  });

  it('keeps at most MAX_READINGS readings after the gap', () => {
    const f = follow(slow(5, 3), 10);
    f.reading(19_000, 0);
    for (let i = 1; i <= MAX_READINGS + 50; i++) f.reading(20_000 + i, i);
    expect(f.tax(baseline, dueAt, { ...opts, readingLagMs: 1e9 }).coldStarts).toMatchObject({ count: MAX_READINGS });
  });
});
