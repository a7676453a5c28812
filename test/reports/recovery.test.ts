import { describe, expect, it } from 'vitest';
import { recoveryEvents } from '../../src/reports/recovery.js';
import type { Journal } from '../../src/results/journal-reader.js';

const T0 = '2027-01-15T08:00:00.000Z';

/** A journal of 1 s intervals with these p99s (ms) and failed counts (of 100 due each), and one fault on [from, to) s. */
function journal(p99: (number | null)[], opts: { fault?: [number, number]; failed?: number[]; ended?: boolean } = {}) {
  const intervals = p99.map((p, i) => ({
    index: i, startMs: i * 1000, endMs: (i + 1) * 1000, at: T0, latency: { p99: p }, counts: { due: 100, failed: opts.failed?.[i] ?? 0 },
  }));
  const [from, to] = opts.fault ?? [3, 6];
  return {
    start: { at: T0 },
    faults: [
      { type: 'fault-start', tMs: from * 1000, at: T0, name: 'stall', kind: 'poison', by: 'schedule' },
      { type: 'fault-stop', tMs: to * 1000, at: T0, name: 'stall', kind: 'poison', by: 'schedule' },
    ],
    intervals,
    ...(opts.ended === false ? {} : { end: { tMs: p99.length * 1000, at: T0, reason: 'completed' } }),
  } as unknown as Pick<Journal, 'faults' | 'intervals' | 'end' | 'start'>;
}

describe('recovery to baseline after a fault (the report timeline)', () => {
  it.each([
    // baseline p99 10 ms (median of 10, 10, 12); after the stop at 6 s: 50, then 11, 12, 11: back at 7 s
    [[10, 10, 12, 500, 800, 900, 50, 11, 12, 11], { fault: [3, 6] }, 7000, /front door back to baseline after fault stall: p99 11.0ms \(baseline p99 10.0ms, failed 0\.00 %\), 1\.0 s after it stopped/],
    // one good interval is a blip, not a recovery: three in a row are needed
    [[10, 10, 10, 500, 500, 500, 10, 90, 10, 10, 10], { fault: [3, 6] }, 8000, /2\.0 s after it stopped/],
    // latency back but still failing: not back until the errors are too
    [[10, 10, 10, 500, 10, 10, 10, 10, 10], { fault: [3, 4], failed: [0, 0, 0, 50, 20, 0, 0, 0, 0] }, 5000, /1\.0 s after it stopped/],
    // a baseline of a few ms: within 2 ms above it counts as back
    [[1, 1, 1, 50, 2.9, 2.5, 2.8], { fault: [3, 4] }, 4000, /back to baseline/],
    // never back: said at the end
    [[10, 10, 10, 500, 400, 300, 200], { fault: [3, 4] }, 7000, /not back to baseline after fault stall by the end/],
  ] as const)('%j', (p99, opts, tMs, text) => {
    const events = recoveryEvents(journal([...p99], opts as { fault: [number, number]; failed?: number[] }));
    expect(events).toHaveLength(1);
    expect(events[0].kind).toBe('recovered');
    expect(events[0].tMs).toBe(tMs);
    expect(events[0].text).toMatch(text);
  });

  it('a fault from the very start has no baseline (no event); a killed run that is not back says nothing yet', () => {
    expect(recoveryEvents(journal([500, 500, 10, 10, 10], { fault: [0, 2] }))).toEqual([]);
    expect(recoveryEvents(journal([10, 10, 10, 500, 500], { fault: [3, 4], ended: false }))).toEqual([]);
  });
});
