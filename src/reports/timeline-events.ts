import type { Journal } from '../results/journal-reader.js';

/** What happened on the run's timeline, for the report's incident timeline. */
export type TimelineEventKind = 'start' | 'phase' | 'fault-start' | 'fault-stop' | 'breach' | 'recovery' | 'recovered' | 'pause' | 'resume' | 'rate' | 'warning' | 'end';

export interface TimelineEvent {
  kind: TimelineEventKind;
  /** ms from the run's start (the clock starts after the warm-up). */
  tMs: number;
  /** Wall-clock time, ISO 8601. */
  at: string;
  /** One line, e.g. "fault poison-0 (poison) started (schedule)". */
  text: string;
}

/** Most warnings the timeline lists (the rest are counted in one line). */
export const MAX_WARNING_EVENTS = 20;

/** The journal's events in time order: start, phases, faults on and off (by whose hand), threshold breaches (the first marked as the detection) and recoveries (a guardrail's abort), pauses, resumes and pace changes, warnings, `derived` events (e.g. the recoveries to baseline), the end. Pure. */
export function journalEvents(journal: Pick<Journal, 'start' | 'phases' | 'faults' | 'warnings' | 'end'> & Partial<Pick<Journal, 'thresholdEvents' | 'controls'>>, derived: readonly TimelineEvent[] = []): TimelineEvent[] {
  const events: TimelineEvent[] = [{ kind: 'start', tMs: 0, at: journal.start.at, text: `the clock starts (after a warm-up of ${journal.start.warmup.requests} request(s))` }];
  for (const p of journal.phases) events.push({ kind: 'phase', tMs: p.tMs, at: p.at, text: `phase ${p.index + 1} \`${p.name}\` (${p.kind}) begins` });
  for (const f of journal.faults) {
    const how = f.type === 'fault-start' ? `started (${f.by})` : `stopped (${f.by}) after ${((f.activeMs ?? 0) / 1000).toFixed(1)} s`;
    events.push({ kind: f.type, tMs: f.tMs, at: f.at, text: `fault ${f.name} (${f.kind}) ${how}` });
  }
  let first = true;
  for (const t of journal.thresholdEvents ?? []) {
    if (t.state === 'final') continue;
    const figure = t.actual === null ? 'no answer' : `${t.bound === 'atLeast' ? '≥ ' : ''}${t.actual}`;
    const where = t.windowMs === null ? 'so far' : `in ${(t.windowStartMs / 1000).toFixed(1)}–${(t.windowEndMs / 1000).toFixed(1)} s`;
    const lead = t.state === 'breach' && first ? 'first SLO breach (detection): ' : '';
    if (t.state === 'breach') first = false;
    const text = t.state === 'breach' ? `${lead}threshold \`${t.source}\` breached: ${figure} ${where}${t.aborts ? ' — guardrail: the run is aborted' : ''}` : `threshold \`${t.source}\` holds again (${figure} ${where})`;
    events.push({ kind: t.state, tMs: t.tMs, at: t.at, text });
  }
  for (const c of journal.controls ?? []) {
    const text = c.type === 'pause' ? `the load paused (${c.by}): nothing falls due until it resumes` : c.type === 'resume' ? `the load resumed (${c.by}) after ${(c.pausedMs / 1000).toFixed(1)} s paused` : `the pace set to ×${c.factor.toFixed(2)} the plan (${c.by})`;
    events.push({ kind: c.type, tMs: c.tMs, at: c.at, text });
  }
  const warnings = journal.warnings.slice(0, MAX_WARNING_EVENTS);
  for (const w of warnings) events.push({ kind: 'warning', tMs: w.tMs, at: w.at, text: `warning ${w.code}: ${w.message}` });
  events.push(...derived);
  const more = journal.warnings.length - warnings.length;
  const end = journal.end;
  if (end) events.push({ kind: 'end', tMs: end.tMs, at: end.at, text: `the run ends: ${end.reason}${more > 0 ? ` (${more} more warning(s) not listed)` : ''}` });
  // a stable sort: at equal times the order above (start, phases, faults, warnings, end) holds
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.tMs - b.e.tMs || a.i - b.i).map((x) => x.e);
}
