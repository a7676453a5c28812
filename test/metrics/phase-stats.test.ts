import { describe, expect, it } from 'vitest';
import { createHistogram, recordMs } from '../../src/metrics/histogram.js';
import { comparisonWindows, WindowAccumulator, windowFigures, type PhaseSpan } from '../../src/metrics/phase-stats.js';

const phases: PhaseSpan[] = [
  { index: 0, name: 'warm', kind: 'constant', startMs: 0, endMs: 10_000 },
  { index: 1, name: 'gap-1', kind: 'idle', startMs: 10_000, endMs: 18_000 },
  { index: 2, name: 'burst', kind: 'constant', startMs: 18_000, endMs: 30_000 },
];

describe('phase and after-gap windows', () => {
  it('builds one window per phase and a 5 s window after each idle phase', () => {
    const w = comparisonWindows(phases);
    expect(w.phases.map((x) => x.label)).toEqual(['phase:warm', 'phase:gap-1', 'phase:burst']);
    expect(w.afterGaps).toEqual([{ label: 'after:gap-1', startMs: 18_000, endMs: 23_000 }]);
    expect(w.baselineExcludes.map((x) => x.label)).toEqual(['after:gap-1', 'phase:gap-1']);
  });

  it('a trailing idle phase has no after-gap window', () => {
    expect(comparisonWindows([phases[0], phases[1]]).afterGaps).toEqual([]);
  });

  it('assigns intervals by midpoint and compares the after-gap window with the baseline', () => {
    const w = comparisonWindows(phases);
    const acc = new WindowAccumulator([...w.phases, ...w.afterGaps], w.baselineExcludes);
    for (let s = 0; s < 30; s++) {
      const h = createHistogram();
      if (s >= 10 && s < 18) {
        acc.visit('latency', s, s + 1, h); // idle: nothing recorded
        continue;
      }
      recordMs(h, s >= 18 && s < 20 ? 1500 : 40); // cold starts in the first 2 s after the gap
      acc.visit('latency', s, s + 1, h);
      acc.visit('serviceTime', s, s + 1, h); // other series are ignored
    }
    const f = windowFigures(phases, acc, w.afterGaps);
    expect(f.phases.map((p) => p.latency.count)).toEqual([10, 0, 12]);
    expect(f.afterIdleGaps[0].latency.count).toBe(5);
    expect(f.afterIdleGaps[0].latency.max).toBeGreaterThan(1490);
    expect(f.baseline.count).toBe(17);
    expect(f.baseline.max).toBeLessThan(41);
  });
});
