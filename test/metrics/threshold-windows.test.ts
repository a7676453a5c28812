import { describe, expect, it } from 'vitest';
import { createHistogram, recordMs, type Histogram } from '../../src/metrics/histogram.js';
import { ThresholdWindows, type WindowInterval } from '../../src/metrics/threshold-windows.js';
import { provenBroken, type ThresholdSpec } from '../../src/metrics/thresholds.js';
import { parseThreshold } from '../../src/scenario/thresholds.js';

const spec = (text: string): ThresholdSpec => {
  const s = parseThreshold(text);
  if ('error' in s) throw new Error(s.error);
  return s;
};

const hist = (values: number[]): Histogram => {
  const h = createHistogram();
  for (const v of values) recordMs(h, v);
  return h;
};

/** A 1 s interval `i` with `ms` latencies answered (all ok), `failed` failures, and `waiting` ages at its close. */
function iv(i: number, ms: number[], o: { failed?: number; waiting?: number[]; lost?: number; dlq?: number } = {}): WindowInterval {
  const failed = o.failed ?? 0;
  return {
    startMs: i * 1000, endMs: (i + 1) * 1000, latency: hist(ms), serviceTime: hist(ms), scheduleLag: hist([]), waiting: hist(o.waiting ?? []),
    counts: { due: ms.length + failed + (o.waiting?.length ?? 0), sent: ms.length + failed, written: ms.length + failed, completed: ms.length + failed, answered: ms.length + failed, unanswered: 0, ok: ms.length, failed, dropped: 0 },
    probes: {
      ...(o.lost !== undefined ? { delivery: { accepted: 0, seen: 0, lost: o.lost, pending: 0, duplicated: 0, reordered: 0, unexpected: 0, late: 0, seenNotAccepted: 0, acceptedAfterWindow: 0, lagMs: null } } : {}),
      ...(o.dlq !== undefined ? { queues: [{ name: 'dlq', role: 'dlq' as const, visible: o.dlq, notVisible: 0, delayed: 0 }] } : {}),
    },
  };
}

/** HDR keeps 3 significant digits: 10 ms reads 10.007. */
const ms0 = (x: number | null | undefined) => (x == null ? x : Math.round(x));

const fast = (n = 100) => Array.from({ length: n }, () => 10);
const slow = (n = 100) => Array.from({ length: n }, () => 1000);

describe('threshold syntax: over WINDOW', () => {
  it.each([
    ['p99 < 300ms over 30s', { metric: 'p99', op: '<', value: 300, windowMs: 30_000, source: 'p99 < 300ms over 30s' }],
    ['error_rate < 1% over 1m', { metric: 'error_rate', value: 0.01, windowMs: 60_000 }],
    ['lost == 0', { metric: 'lost', value: 0 }],
    ['  dlq_depth<10  ', { metric: 'dlq_depth', op: '<', value: 10, source: 'dlq_depth < 10' }],
  ])('%s', (text, expected) => {
    expect(parseThreshold(text)).toMatchObject(expected);
  });
  it('lost == 0 has no window', () => {
    expect(parseThreshold('lost == 0')).not.toHaveProperty('windowMs');
  });
  it.each([
    ['p99 < 300ms over 0s', /window length after "over"/],
    ['p99 < 300ms over soon', /window length after "over"/],
    ['p99 < 300 over 30s', /duration with a unit/],
    ['over 30s', /expected "<metric> <op> <value>"/],
  ])('%s is refused', (text, message) => {
    const r = parseThreshold(text);
    expect('error' in r && r.error).toMatch(message);
  });
});

describe('provenBroken (only a proven breach counts live)', () => {
  it.each([
    [100, 'exact', '<', 300, false], [300, 'exact', '<', 300, true], [300, 'exact', '<=', 300, false],
    [500, 'atLeast', '<', 300, true], [100, 'atLeast', '<', 300, false], [500, 'atLeast', '>', 300, false],
    [null, 'never', '<', 300, true], [null, 'never', '>', 300, false], [null, 'none', '<', 300, false],
    [1, 'exact', '==', 0, true], [1, 'atLeast', '==', 0, true], [0, 'atLeast', '==', 0, false],
  ] as const)('%s (%s) %s %s → broken %s', (actual, bound, op, value, broken) => {
    expect(provenBroken(actual, bound, op, value)).toBe(broken);
  });
});

describe('sliding windows (pure)', () => {
  it('p99 over 2s: merged histograms of the intervals inside the window, breach then recovery', () => {
    const w = new ThresholdWindows([spec('p99 < 300ms over 2s')]);
    const states = [fast(), fast(), slow(), fast(), fast(), fast()].map((ms, i) => {
      const { checks, transitions } = w.transitions(iv(i, ms));
      return [ms0(checks[0].actual), checks[0].windowStartMs, transitions.map((t) => t.state).join()];
    });
    expect(states).toEqual([
      [10, 0, ''], [10, 0, ''], [1000, 1000, 'breach'], [1000, 2000, ''], [10, 3000, 'recovery'], [10, 4000, ''],
    ]);
    expect(w.final()[0]).toMatchObject({ pass: false, bound: 'exact', windowEndMs: 3000 });
    expect(ms0(w.final()[0]!.actual)).toBe(1000);
  });

  it('never averages percentiles: 99 fast intervals and 1 slow one in a 100 s window give the merged p99', () => {
    const w = new ThresholdWindows([spec('p99 < 300ms over 100s'), spec('p999 < 300ms over 100s')]);
    let last;
    for (let i = 0; i < 100; i++) last = w.close(iv(i, i === 50 ? slow(10) : fast(99)));
    // 10 slow of 9,811: p99 is fast, p999 is slow (an average of interval p99s would say 19.9ms)
    expect(last!.map((c) => ms0(c.actual))).toEqual([10, 1000]);
  });

  it('requests in flight longer than the bound break a latency bound while nothing completes (a hang)', () => {
    const w = new ThresholdWindows([spec('p99 < 300ms over 2s')]);
    w.close(iv(0, fast()));
    const hung = w.close(iv(1, [], { waiting: Array.from({ length: 100 }, (_, k) => k * 10) }));
    expect(hung[0]).toMatchObject({ bound: 'atLeast', broken: true });
    expect(hung[0].actual).toBeGreaterThanOrEqual(300);
    // young in-flight arrivals prove nothing
    const young = new ThresholdWindows([spec('p99 < 300ms over 2s')]).close(iv(0, fast(), { waiting: [50] }));
    expect(young[0].broken).toBe(false);
  });

  it('rates over the window from its counts; an empty window proves nothing', () => {
    const w = new ThresholdWindows([spec('error_rate < 10% over 2s'), spec('error_rate < 10%')]);
    const r = [w.close(iv(0, fast(90), { failed: 10 })), w.close(iv(1, fast(50), { failed: 50 })), w.close(iv(2, fast(100))), w.close(iv(3, fast(100)))];
    expect(r.map((c) => c.map((x) => Math.round((x.actual ?? -1) * 1000) / 1000))).toEqual([[0.1, 0.1], [0.3, 0.3], [0.25, 0.2], [0, 0.15]]);
    expect(new ThresholdWindows([spec('error_rate < 10% over 2s')]).close(iv(0, []))[0]).toMatchObject({ bound: 'none', broken: false });
  });

  it('lost and dlq_depth: the run so far, or what the window added', () => {
    const w = new ThresholdWindows([spec('lost == 0'), spec('lost == 0 over 2s'), spec('dlq_depth < 10'), spec('dlq_depth < 10 over 2s')]);
    const rows = [
      iv(0, fast(), { lost: 0, dlq: 0 }), iv(1, fast(), { lost: 3, dlq: 12 }), iv(2, fast(), { lost: 3, dlq: 4 }), iv(3, fast(), { lost: 3, dlq: 2 }),
    ].map((x) => w.close(x).map((c) => c.actual));
    expect(rows).toEqual([[0, 0, 0, 0], [3, 3, 12, 12], [3, 3, 12, 12], [3, 0, 12, 4]]);
  });

  it('final: a windowed threshold that held in every window passes with its worst figure; one without data fails', () => {
    const w = new ThresholdWindows([spec('p99 < 300ms over 2s'), spec('p99 > 1ms over 2s'), spec('lost == 0')]);
    for (let i = 0; i < 3; i++) w.close(iv(i, i === 1 ? Array.from({ length: 100 }, () => 200) : fast()));
    expect(w.final().map((r) => r && [r.pass, ms0(r.actual)])).toEqual([[true, 200], [true, 10], undefined]);
    expect(new ThresholdWindows([spec('p99 < 300ms over 2s')]).final()[0]).toMatchObject({ pass: false, bound: 'none' });
  });
});
