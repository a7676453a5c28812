import { describe, expect, it } from 'vitest';
import { createHistogram, recordMs } from '../../src/metrics/histogram.js';
import type { FaultWindow } from '../../src/results/fault-summary.js';
import type { Journal } from '../../src/results/journal-reader.js';
import { compareAroundFault, comparisonLine, faultSides, sideAt, type ComparedInterval, type FaultComparison } from '../../src/results/fault-comparison.js';

/** One 5 s interval as the journal holds it, with only the fields the comparison reads. */
interface Spec {
  completed?: number;
  failed?: number;
  errors?: Record<string, number>;
  faults?: string[];
  /** The DLQ's visible depth at the close; omitted: no probes. */
  dlq?: number;
  e2eP99?: number;
  p50?: number;
  p99?: number;
}

const STEP = 5000;

function journal(specs: Spec[]): { intervals: ComparedInterval[] } {
  return {
    intervals: specs.map((s, k) => {
      const completed = s.completed ?? 1000;
      const failed = s.failed ?? 0;
      const i: ComparedInterval = {
        startMs: k * STEP,
        endMs: (k + 1) * STEP,
        counts: { due: completed, completed, failed, dropped: 0 },
        errors: s.errors ?? (failed > 0 ? { '5xx': failed } : {}),
        latency: { count: completed, p50: s.p50 ?? 10, p99: s.p99 ?? 40 },
        ...(s.faults ? { faults: s.faults } : {}),
      };
      if (s.dlq !== undefined || s.e2eP99 !== undefined) {
        i.probes = {
          ...(s.dlq !== undefined ? { queues: [{ name: 'ingest-dlq', role: 'dlq' as const, visible: s.dlq }, { name: 'ingest', role: 'queue' as const, visible: 5 }] } : {}),
          ...(s.e2eP99 !== undefined ? { delivery: { e2eP99Ms: s.e2eP99 } } : {}),
        };
      }
      return i;
    }),
  };
}

const F = ['drift-0'];
const clean = (n: number, s: Spec = {}): Spec[] => Array.from({ length: n }, () => ({ ...s }));

interface Case {
  name: string;
  specs: Spec[];
  window: { startMs: number; stoppedMs: number | null };
  want: {
    before: number[];
    during: number[];
    verdict: FaultComparison['verdict'];
    silent: boolean;
    errorRatePp?: number | null;
    beforeDlq?: number | null;
    duringDlq?: number | null;
    duringDlqPerSec?: number;
    reasons?: RegExp;
    concurrent?: string[];
    line?: string;
  };
}

const cases: Case[] = [
  {
    name: 'no before data (the fault starts at 0 s), DLQ flat: nothing to compare, yet silent',
    specs: [{ dlq: 0, faults: F }, { dlq: 0, faults: F }, { dlq: 0 }],
    window: { startMs: 0, stoppedMs: 10_000 },
    want: { before: [], during: [0, 1], verdict: 'no-data', silent: true, errorRatePp: null, beforeDlq: null, duringDlq: 0, line: 'before – (no fault-free interval before it) → during 0.00 % errors, p99 ≤ 40.0ms, DLQ +0; nothing to compare' },
  },
  {
    name: 'no before data, but the DLQ grew during: worse (a DLQ should stay at 0)',
    specs: [{ dlq: 0, faults: F }, { dlq: 40, faults: F }, { dlq: 90, faults: F }],
    window: { startMs: 0, stoppedMs: null },
    want: { before: [], during: [0, 1, 2], verdict: 'worse', silent: false, beforeDlq: null, duringDlq: 90, duringDlqPerSec: 9, reasons: /DLQ \+90 \(none before\)/ },
  },
  {
    name: 'no probes: errors rise by 9.8 pp',
    specs: [...clean(4), { failed: 98, faults: F }, { failed: 98, faults: F }, {}],
    window: { startMs: 20_000, stoppedMs: 30_000 },
    want: { before: [0, 1, 2, 3], during: [4, 5], verdict: 'worse', silent: false, errorRatePp: 9.8, beforeDlq: null, duringDlq: null, reasons: /^error rate \+9\.80 pp$/, line: 'before 0.00 % errors, p99 ≤ 40.0ms → during 9.80 % errors, p99 ≤ 40.0ms; worse: error rate +9.80 pp' },
  },
  {
    name: 'no probes, errors under the threshold: no change, silent',
    specs: [...clean(4, { failed: 2 }), { failed: 9, faults: F }, {}],
    window: { startMs: 20_000, stoppedMs: 25_000 },
    want: { before: [0, 1, 2, 3], during: [4], verdict: 'no-change', silent: true, errorRatePp: 0.7 },
  },
  {
    name: 'a fault without a stop runs to the end of the load',
    specs: [...clean(3, { dlq: 0 }), ...clean(4, { dlq: 0, faults: F })],
    window: { startMs: 15_000, stoppedMs: null },
    want: { before: [0, 1, 2], during: [3, 4, 5, 6], verdict: 'no-change', silent: true, beforeDlq: 0, duringDlq: 0 },
  },
  {
    name: 'a fault that starts and stops inside intervals claims them whole',
    specs: clean(6),
    window: { startMs: 12_500, stoppedMs: 17_500 },
    want: { before: [0, 1], during: [2, 3], verdict: 'no-change', silent: true },
  },
  {
    name: 'DLQ grew before and during at a similar rate: no change, not silent',
    specs: [{ dlq: 0 }, { dlq: 10 }, { dlq: 20 }, { dlq: 30 }, { dlq: 45, faults: F }, { dlq: 60, faults: F }],
    window: { startMs: 20_000, stoppedMs: 30_000 },
    // the first interval has no reading before it: 3 intervals measured before, 2/s; 3/s during
    want: { before: [0, 1, 2, 3], during: [4, 5], verdict: 'no-change', silent: false, beforeDlq: 30, duringDlq: 30, duringDlqPerSec: 3 },
  },
  {
    name: 'DLQ grew before, and much faster during: worse',
    specs: [{ dlq: 0 }, { dlq: 10 }, { dlq: 20 }, { dlq: 30 }, { dlq: 440, faults: F }, { dlq: 850, faults: F }],
    window: { startMs: 20_000, stoppedMs: 30_000 },
    want: { before: [0, 1, 2, 3], during: [4, 5], verdict: 'worse', silent: false, beforeDlq: 30, duringDlq: 820, duringDlqPerSec: 82, reasons: /DLQ growing 82\/s \(2\.0\/s before\)/ },
  },
  {
    name: 'DLQ grew during only, with errors and e2e latency: the issue\'s line',
    specs: [...clean(4, { dlq: 0, e2eP99: 41 }), { dlq: 410, failed: 98, e2eP99: 52, faults: F }, { dlq: 820, failed: 98, e2eP99: 57, faults: F }],
    window: { startMs: 20_000, stoppedMs: 30_000 },
    want: {
      before: [0, 1, 2, 3], during: [4, 5], verdict: 'worse', silent: false, errorRatePp: 9.8, beforeDlq: 0, duringDlq: 820, duringDlqPerSec: 82,
      line: 'before 0.00 % errors, DLQ +0, e2e p99 ≤ 41.0ms → during 9.80 % errors, DLQ +820 (82/s), e2e p99 ≤ 57.0ms; worse: error rate +9.80 pp, DLQ +820 (none before)',
    },
  },
  {
    name: 'another fault active before: its intervals are left out of before, and it is listed when it overlaps',
    specs: [{ dlq: 0 }, { dlq: 0 }, { dlq: 50, faults: ['storm-1'] }, { dlq: 50 }, { dlq: 50, faults: ['drift-0', 'storm-1'] }, { dlq: 50, faults: F }],
    window: { startMs: 20_000, stoppedMs: 30_000 },
    // before = intervals 0, 1 and 3: the storm's DLQ jump (interval 2) is not the baseline
    want: { before: [0, 1, 3], during: [4, 5], verdict: 'no-change', silent: true, beforeDlq: 0, duringDlq: 0, concurrent: ['storm-1'] },
  },
  {
    name: 'an earlier stretch of the same fault is not a baseline either',
    specs: [{}, { faults: F, failed: 300 }, {}, { faults: F, failed: 300 }],
    window: { startMs: 15_000, stoppedMs: 20_000 },
    want: { before: [0, 2], during: [3], verdict: 'worse', silent: false, errorRatePp: 30 },
  },
  {
    name: 'e2e p99 doubled with no errors and no DLQ growth: worse, yet silent',
    specs: [...clean(3, { dlq: 0, e2eP99: 40 }), { dlq: 0, e2eP99: 95, faults: F }],
    window: { startMs: 15_000, stoppedMs: 20_000 },
    want: { before: [0, 1, 2], during: [3], verdict: 'worse', silent: true, reasons: /^e2e p99 ×2\.4$/ },
  },
  {
    name: 'a fault that never overlapped an interval: no data',
    specs: clean(2),
    window: { startMs: 10_000, stoppedMs: 10_000 },
    want: { before: [0, 1], during: [], verdict: 'no-data', silent: false },
  },
];

describe('compareAroundFault (pure): before against during', () => {
  it('takes a journal and a fault summary\'s window as they are (a compile-time check)', () => {
    const wire = (j: Journal, w: FaultWindow): FaultComparison => compareAroundFault(j, w, { name: 'drift-0' });
    expect(typeof wire).toBe('function');
  });


  it.each(cases)('$name', ({ specs, window, want }) => {
    const j = journal(specs);
    const sides = faultSides(j, window);
    expect(sides).toEqual({ before: want.before, during: want.during });
    const c = compareAroundFault(j, window, { name: 'drift-0' });
    expect([c.before.intervals, c.during.intervals]).toEqual([want.before.length, want.during.length]);
    expect(c.before.spanMs).toBe(want.before.length * STEP);
    expect(c.verdict).toBe(want.verdict);
    expect(c.silent).toBe(want.silent);
    if (want.errorRatePp !== undefined) expect(c.deltas.errorRatePp).toBe(want.errorRatePp);
    if (want.beforeDlq !== undefined) expect(c.before.dlq?.growth ?? null).toBe(want.beforeDlq);
    if (want.duringDlq !== undefined) expect(c.during.dlq?.growth ?? null).toBe(want.duringDlq);
    if (want.duringDlqPerSec !== undefined) expect(c.during.dlq?.perSec).toBe(want.duringDlqPerSec);
    if (want.reasons) expect(c.reasons.join(', ')).toMatch(want.reasons);
    if (want.verdict !== 'worse') expect(c.reasons).toEqual([]);
    expect(c.concurrent).toEqual(want.concurrent ?? []);
    if (want.line) expect(comparisonLine(c)).toBe(want.line);
  });

  it('counts and classes per side: failures over completions, top classes most first', () => {
    const j = journal([{ completed: 500, failed: 5, errors: { timeout: 5 } }, { completed: 400, failed: 40, errors: { '5xx': 25, '429': 10, timeout: 3, reset: 2 }, faults: F }]);
    const c = compareAroundFault(j, { startMs: 5000, stoppedMs: null });
    expect(c.before).toMatchObject({ due: 500, completed: 500, failed: 5, errorRate: 0.01, topErrors: [{ outcome: 'timeout', count: 5 }], startMs: 0, endMs: 5000 });
    expect(c.during).toMatchObject({ completed: 400, failed: 40, errorRate: 0.1, topErrors: [{ outcome: '5xx', count: 25 }, { outcome: '429', count: 10 }, { outcome: 'timeout', count: 3 }] });
    expect(c.deltas.errorRatePp).toBe(9);
    // no name given: every fault seen during is listed
    expect(c.concurrent).toEqual(['drift-0']);
  });

  it('before reaches back lookbackMs (60 s by default) of fault-free intervals, and skips the cold start', () => {
    const j = journal([...clean(30, { failed: 200 }), ...clean(20), { faults: F }]);
    const start = { startMs: 250_000, stoppedMs: 255_000 };
    expect(faultSides(j, start).before).toEqual([38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    expect(compareAroundFault(j, start).before.errorRate).toBe(0);
    expect(faultSides(j, start, { lookbackMs: 10_000 }).before).toEqual([48, 49]);
    expect(faultSides(j, start, { lookbackMs: Infinity, warmupExcludeMs: 140_000 }).before).toEqual([28, 29, ...Array.from({ length: 20 }, (_, k) => 30 + k)]);
  });

  it('the request p99 estimate is the worst interval\'s, p50 the count-weighted median; doubling it is worse', () => {
    const j = journal([{ completed: 100, p50: 5, p99: 30 }, { completed: 900, p50: 8, p99: 20 }, { completed: 1000, p50: 30, p99: 90, faults: F }]);
    const c = compareAroundFault(j, { startMs: 10_000, stoppedMs: 15_000 });
    expect(c.before.latency).toEqual({ p50: 8, p99: 30, exact: false });
    expect(c.deltas.latencyP99Ratio).toBe(3);
    expect(c.reasons).toEqual(['request p99 ×3.0']);
    expect(c.silent).toBe(true);
  });

  it('merged histograms give exact figures, and sideAt says where an hlog interval goes', () => {
    const j = journal([...clean(2, { e2eP99: 999 }), { faults: F, e2eP99: 999 }]);
    const window = { startMs: 10_000, stoppedMs: 15_000 };
    const sides = faultSides(j, window);
    const h = { before: { latency: createHistogram(), e2e: createHistogram() }, during: { latency: createHistogram(), e2e: createHistogram() } };
    for (let v = 1; v <= 100; v++) {
      recordMs(h.before.latency, v);
      recordMs(h.before.e2e, v * 10);
      recordMs(h.during.latency, v * 3);
      recordMs(h.during.e2e, v * 20);
    }
    expect([sideAt(j, sides, 2500), sideAt(j, sides, 7500), sideAt(j, sides, 12_500), sideAt(j, sides, 99_000)]).toEqual(['before', 'before', 'during', null]);
    const c = compareAroundFault(j, window, { histograms: h });
    // HDR values are the highest equivalent of their bucket (3 significant digits)
    expect(c.before.latency?.exact).toBe(true);
    expect([c.before.latency?.p50, c.before.latency?.p99, c.before.e2e?.p50, c.before.e2e?.p99].map((x) => Math.round(x!))).toEqual([50, 99, 500, 990]);
    expect(c.deltas.e2eP99Ratio).toBeCloseTo(2, 2);
    expect(c.deltas.latencyP99Ratio).toBeCloseTo(3, 2);
    expect(c.verdict).toBe('worse');
    expect(comparisonLine(c)).toMatch(/^before 0\.00 % errors, e2e p99 990ms → during 0\.00 % errors, e2e p99 1\.98s; worse: /);
  });

  it('a DLQ that drains shows as negative growth; a DLQ read only in some intervals measures only those', () => {
    const j = journal([{ dlq: 100 }, { dlq: 60 }, {}, { dlq: 60, faults: F }, { dlq: 70, faults: F }]);
    const c = compareAroundFault(j, { startMs: 15_000, stoppedMs: null });
    expect(c.before.dlq).toEqual({ growth: -40, perSec: -8, measuredMs: 5000 });
    expect(c.during.dlq).toEqual({ growth: 10, perSec: 2, measuredMs: 5000 });
    expect(c.verdict).toBe('worse');
    expect(comparisonLine(c)).toBe('before 0.00 % errors, p99 ≤ 40.0ms, DLQ -40 (-8.0/s) → during 0.00 % errors, p99 ≤ 40.0ms, DLQ +10 (2.0/s); worse: DLQ +10 (none before)');
  });
});
