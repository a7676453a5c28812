import { describe, expect, it } from 'vitest';
import { faultLine, faultSummaries } from '../../src/results/fault-summary.js';
import type { JournalFault } from '../../src/results/journal-reader.js';

const ev = (type: JournalFault['type'], name: string, tMs: number, by: string, activeMs?: number): JournalFault => ({ type, at: '', tMs, name, kind: 'poison', by, ...(activeMs !== undefined ? { activeMs } : {}) });

describe('summary.json faults[] from the journal (pure)', () => {
  it('null without faults', () => {
    expect(faultSummaries({ faults: [] })).toBeNull();
  });

  it('windows, who started and stopped them, time active, and the effect', () => {
    const s = faultSummaries({
      faults: [ev('fault-start', 'p', 1000, 'schedule'), ev('fault-stop', 'p', 3000, 'schedule', 2000), ev('fault-start', 'p', 5000, 'manual'), ev('fault-stop', 'p', 5500, 'interrupted', 500)],
      faultEffects: [{ name: 'p', kind: 'poison', messages: 41, examples: ['a', 'b'], details: { idKept: 30 } }, { name: 'never', kind: 'poison', messages: 0, examples: [], details: {} }],
    })!;
    expect(s[0]).toEqual({
      name: 'p', kind: 'poison', activeMs: 2500, messages: 41, examples: ['a', 'b'], details: { idKept: 30 },
      windows: [{ startMs: 1000, stoppedMs: 3000, startedBy: 'schedule', stoppedBy: 'schedule' }, { startMs: 5000, stoppedMs: 5500, startedBy: 'manual', stoppedBy: 'interrupted' }],
    });
    expect(faultLine(s[0])).toBe('fault p (poison): active 1.0s–3.0s, 5.0s–5.5s (manual) (2.50s in all); 41 message(s) changed');
    expect(faultLine(s[1])).toBe('fault never (poison): active never started; 0 message(s) changed');
  });

  it('a run killed mid-fault: the window has no stop, and no effect was recorded', () => {
    const s = faultSummaries({ faults: [ev('fault-start', 'p', 1000, 'schedule')] })!;
    expect(s[0]).toMatchObject({ windows: [{ startMs: 1000, stoppedMs: null }], messages: null });
    expect(faultLine(s[0])).toBe('fault p (poison): active 1.0s–?; effect not recorded (the run did not end)');
  });
});
