import type { Journal } from '../results/journal-reader.js';
import { formatMs } from '../util/units.js';
import type { TimelineEvent } from './timeline-events.js';

/**
 * When the front door (the target's answers: latency and failures) was back to its baseline after
 * each fault, for the report's timeline. Pure, from the journal's intervals.
 *
 * Baseline: the intervals that ended before the fault first started — their median interval p99
 * (ms, from the intended time) and their share of failed arrivals. Back: the first interval, from
 * the fault's last stop, that starts RECOVERY_RUN in a row whose p99 is within RECOVERY_FACTOR ×
 * the baseline p99 (or RECOVERY_SLACK_MS above it, for a baseline of a few ms) and whose failed
 * share is at most the baseline's plus RECOVERY_ERROR_SLACK. A fault that started at the very
 * beginning has no baseline and gets no event; one never back says so at the end.
 */
export const RECOVERY_FACTOR = 1.2;
export const RECOVERY_SLACK_MS = 2;
export const RECOVERY_ERROR_SLACK = 0.005;
export const RECOVERY_RUN = 3;

type Interval = Journal['intervals'][number];

export function recoveryEvents(journal: Pick<Journal, 'faults' | 'intervals' | 'end' | 'start'>): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const name of [...new Set(journal.faults.map((f) => f.name))]) {
    const mine = journal.faults.filter((f) => f.name === name);
    const start = mine.find((f) => f.type === 'fault-start');
    const stop = mine.filter((f) => f.type === 'fault-stop').at(-1);
    if (!start || !stop || stop.tMs < start.tMs) continue;
    const before = journal.intervals.filter((i) => i.endMs <= start.tMs && (i.counts?.due ?? 0) > 0);
    const p99s = before.map((i) => i.latency?.p99).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
    if (p99s.length === 0) continue;
    const baseP99 = p99s[Math.floor(p99s.length / 2)];
    const baseErr = failedShare(before);
    const limit = Math.max(baseP99 * RECOVERY_FACTOR, baseP99 + RECOVERY_SLACK_MS);
    const after = journal.intervals.filter((i) => i.startMs >= stop.tMs);
    const ok = (i: Interval) => typeof i.latency?.p99 === 'number' && i.latency.p99 <= limit && failedShare([i]) <= baseErr + RECOVERY_ERROR_SLACK;
    const k = after.findIndex((_, j) => after.length - j >= RECOVERY_RUN && after.slice(j, j + RECOVERY_RUN).every(ok));
    const base = `baseline p99 ${formatMs(baseP99)}, failed ${(baseErr * 100).toFixed(2)} %`;
    if (k >= 0) {
      const i = after[k];
      out.push({ kind: 'recovered', tMs: i.startMs, at: new Date(Date.parse(journal.start.at) + i.startMs).toISOString(), text: `front door back to baseline after fault ${name}: p99 ${formatMs(i.latency.p99!)} (${base}), ${((i.startMs - stop.tMs) / 1000).toFixed(1)} s after it stopped` });
    } else if (journal.end) {
      out.push({ kind: 'recovered', tMs: journal.end.tMs, at: journal.end.at, text: `front door not back to baseline after fault ${name} by the end (${base}; ${after.length} interval(s) after it stopped)` });
    }
  }
  return out;
}

function failedShare(intervals: readonly Interval[]): number {
  const due = intervals.reduce((a, i) => a + (i.counts?.due ?? 0), 0);
  return due === 0 ? 0 : intervals.reduce((a, i) => a + (i.counts?.failed ?? 0), 0) / due;
}
