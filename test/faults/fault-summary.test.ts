import { describe, expect, it } from 'vitest';
import type { Destinations } from '../../src/metrics/fault-types.js';
import { destinationLine, faultLine, faultLines, faultSummaries } from '../../src/results/fault-summary.js';
import type { JournalFault } from '../../src/results/journal-reader.js';

const ev = (type: JournalFault['type'], name: string, tMs: number, by: string, activeMs?: number): JournalFault => ({ type, at: '', tMs, name, kind: 'poison', by, ...(activeMs !== undefined ? { activeMs } : {}) });

describe('summary.json faults[] from the journal (pure)', () => {
  it('null without faults', () => {
    expect(faultSummaries({ faults: [], intervals: [] })).toBeNull();
  });

  it('windows, who started and stopped them, time active, and the effect', () => {
    const s = faultSummaries({
      faults: [ev('fault-start', 'p', 1000, 'schedule'), ev('fault-stop', 'p', 3000, 'schedule', 2000), ev('fault-start', 'p', 5000, 'manual'), ev('fault-stop', 'p', 5500, 'interrupted', 500)],
      faultEffects: [{ name: 'p', kind: 'poison', messages: 41, examples: ['a', 'b'], details: { idKept: 30 } }, { name: 'never', kind: 'poison', messages: 0, examples: [], details: {} }],
      intervals: [],
    })!;
    expect(s[0]).toEqual({
      name: 'p', kind: 'poison', activeMs: 2500, messages: 41, examples: ['a', 'b'], details: { idKept: 30 }, acceptedSilently: null,
      comparison: expect.objectContaining({ verdict: 'no-data' }),
      windows: [{ startMs: 1000, stoppedMs: 3000, startedBy: 'schedule', stoppedBy: 'schedule' }, { startMs: 5000, stoppedMs: 5500, startedBy: 'manual', stoppedBy: 'interrupted' }],
    });
    expect(faultLine(s[0])).toBe('fault p (poison): active 1.0s–3.0s, 5.0s–5.5s (manual) (2.50s in all); 41 message(s) changed');
    expect(faultLine(s[1])).toBe('fault never (poison): active never started; 0 message(s) changed');
  });

  it('a connection storm counts the connections it opened, not messages (it changes none)', () => {
    const [f] = faultSummaries({
      faults: [{ ...ev('fault-start', 's', 1000, 'schedule'), kind: 'connection-storm' }, { ...ev('fault-stop', 's', 3000, 'schedule', 2000), kind: 'connection-storm' }],
      faultEffects: [{ name: 's', kind: 'connection-storm', messages: 0, examples: [], details: { opened: 10, refused: { '503 too many clients already': 30 }, peakHeld: 10, released: 10 } }],
      intervals: [],
    })!;
    expect(faultLines(f).slice(0, 2)).toEqual([
      'fault s (connection-storm): active 1.0s–3.0s (2.00s in all); 10 connection(s) opened',
      '  connections: 10 opened, 30 refused (503 too many clients already ×30), peak held 10, 10 released',
    ]);
  });

  it('a run killed mid-fault: the window has no stop, and no effect was recorded', () => {
    const s = faultSummaries({ faults: [ev('fault-start', 'p', 1000, 'schedule')], intervals: [] })!;
    expect(s[0]).toMatchObject({ windows: [{ startMs: 1000, stoppedMs: null }], messages: null });
    expect(faultLine(s[0])).toBe('fault p (poison): active 1.0s–?; effect not recorded (the run did not end)');
  });
});

const dest = (o: Partial<Destinations>): Destinations => ({
  injected: 0, rejected: 0, rejectedBy: {}, dlq: 0, accepted: 0, unaccounted: 0, unanswered: 0, lost: 0, acceptedAlsoInDlq: 0, untraced: 0, read: { output: true, dlq: true }, dlqUnidentified: 0, ...o,
});

/** One clean 1-s interval (no errors, the DLQ at `dlq`), with the faults active in it. */
const iv = (i: number, dlq: number, faults?: string[], failed = 0) => ({
  startMs: i * 1000, endMs: (i + 1) * 1000, counts: { due: 100, completed: 100, failed, dropped: 0 }, errors: (failed ? { 400: failed } : {}) as Record<string, number>,
  latency: { count: 100, p50: 3, p99: 6 }, ...(faults ? { faults } : {}), probes: { queues: [{ name: 'dlq', role: 'dlq' as const, visible: dlq }] },
});

describe('where a fault\'s messages went, and whether anything noticed', () => {
  it.each([
    ['every destination', dest({ injected: 101, rejected: 7, rejectedBy: { 413: 7 }, dlq: 46, accepted: 48 }), 'where its 101 went: 7 rejected at the front door (413 ×7), 46 in the DLQ, 48 accepted silently (seen in the output) ⚠, 0 unaccounted'],
    ['the two kinds of unaccounted', dest({ injected: 5, unaccounted: 5, lost: 3, unanswered: 2 }), 'where its 5 went: 0 rejected at the front door, 0 in the DLQ, 0 accepted silently (seen in the output), 5 unaccounted (3 accepted at the door and seen nowhere, 2 without an answer)'],
    ['nothing read', dest({ injected: 2, unaccounted: 2, lost: 2, read: { output: false, dlq: false } }), 'where its 2 went: 0 rejected at the front door, DLQ not read, output not read, 2 unaccounted (2 accepted at the door and seen nowhere)'],
    ['unidentified DLQ entries', dest({ injected: 4, dlq: 2, unaccounted: 2, lost: 2, dlqUnidentified: 2 }), 'where its 4 went: 0 rejected at the front door, 2 in the DLQ, 0 accepted silently (seen in the output), 2 unaccounted (2 accepted at the door and seen nowhere), the DLQ holds 2 entries whose id was destroyed'],
    ['past the trace limit', dest({ injected: 3, accepted: 1, untraced: 2 }), 'where its 3 went: 0 rejected at the front door, 0 in the DLQ, 1 accepted silently (seen in the output) ⚠, 0 unaccounted, 2 not followed (over the trace limit)'],
  ])('%s', (_label, d, line) => {
    expect(destinationLine(d)).toBe(line);
  });

  const drift = (intervals: ReturnType<typeof iv>[], d: Destinations) => faultSummaries({
    faults: [{ type: 'fault-start', at: '', tMs: 3000, name: 'mph', kind: 'schema-drift', by: 'schedule' }, { type: 'fault-stop', at: '', tMs: 6000, name: 'mph', kind: 'schema-drift', by: 'end', activeMs: 3000 }],
    faultEffects: [{ name: 'mph', kind: 'schema-drift', messages: d.injected, examples: [], details: {}, destinations: d }],
    intervals,
  })![0];

  it('a drift the pipeline took without errors or DLQ growth is flagged as accepted silently', () => {
    const f = drift([iv(0, 0), iv(1, 0), iv(2, 0), iv(3, 0, ['mph']), iv(4, 0, ['mph']), iv(5, 0, ['mph'])], dest({ injected: 30, accepted: 30 }));
    expect(f.acceptedSilently).toBe(30);
    expect(faultLines(f).at(-1)).toContain('⚠ accepted silently: 30 changed message(s) reached the output');
  });

  it('a drift the DLQ noticed: the run got worse, and the messages that got through are still counted', () => {
    const f = drift([iv(0, 0), iv(1, 0), iv(2, 0), iv(3, 10, ['mph']), iv(4, 20, ['mph']), iv(5, 30, ['mph'])], dest({ injected: 60, accepted: 30, dlq: 30 }));
    expect(f.comparison?.verdict).toBe('worse');
    expect(f.acceptedSilently).toBe(30);
  });

  it('every changed message dead-lettered: nothing accepted silently', () => {
    const f = drift([iv(0, 0), iv(3, 10, ['mph'])], dest({ injected: 10, dlq: 10 }));
    expect(f.acceptedSilently).toBe(0);
    expect(faultLines(f).join('\n')).not.toContain('accepted silently:');
  });

  it('no output read: whether it was silent cannot be told', () => {
    const f = drift([iv(0, 0), iv(3, 0, ['mph'])], dest({ injected: 3, unaccounted: 3, lost: 3, read: { output: false, dlq: true } }));
    expect(f.acceptedSilently).toBeNull();
  });
});
