import type { Destinations, FaultEffect } from '../metrics/fault-types.js';
import { formatMs } from '../util/units.js';
import { faultFigureLine } from './fault-figures.js';
import { compareAroundFault, comparisonLine, type ComparedInterval, type FaultComparison } from './fault-comparison.js';
import type { Journal } from './journal-reader.js';
import { count as n } from './verdict.js';

/** One stretch of time a fault was active, ms from the run's start; `stoppedMs` null when the journal ends before its stop. */
export interface FaultWindow {
  startMs: number;
  stoppedMs: number | null;
  startedBy: string;
  stoppedBy: string | null;
}

/** summary.json's `faults[]`: when each fault was active, by whose hand, and what it did. */
export interface FaultSummary {
  name: string;
  kind: string;
  windows: FaultWindow[];
  /** ms active in all. */
  activeMs: number;
  /** Messages it changed; null when the journal holds no effect (killed before the end). */
  messages: number | null;
  examples: string[];
  details: Record<string, unknown>;
  /** A message fault's messages by where they went; absent for other faults or when not recorded. */
  destinations?: Destinations;
  /** Error rate, DLQ growth and latency before the fault's first start and while it was active; null when it never started. */
  comparison: FaultComparison | null;
  /**
   * Messages the fault changed that the pipeline took without a word: seen in the output, never
   * rejected nor dead-lettered ("a unit change nothing rejects"); null when it cannot be told (no
   * output read) or the fault changes no message.
   */
  acceptedSilently: number | null;
}

/** The faults of a run (pure, from its journal): those that ever started, and those with an effect; null without any. */
export function faultSummaries(journal: Pick<Journal, 'faults' | 'faultEffects'> & { intervals: readonly ComparedInterval[]; drains?: readonly Pick<Journal['drains'][number], 'tMs' | 'probes'>[] }): FaultSummary[] | null {
  const by = new Map<string, FaultSummary>();
  const get = (name: string, kind: string) => {
    let f = by.get(name);
    if (!f) by.set(name, (f = { name, kind, windows: [], activeMs: 0, messages: null, examples: [], details: {}, comparison: null, acceptedSilently: null }));
    return f;
  };
  for (const e of journal.faults) {
    const f = get(e.name, e.kind);
    if (e.type === 'fault-start') f.windows.push({ startMs: Math.round(e.tMs), stoppedMs: null, startedBy: e.by, stoppedBy: null });
    else {
      const w = f.windows.at(-1);
      if (w && w.stoppedMs === null) Object.assign(w, { stoppedMs: Math.round(e.tMs), stoppedBy: e.by });
      f.activeMs += Math.round(e.activeMs ?? 0);
    }
  }
  for (const x of journal.faultEffects ?? []) Object.assign(get(x.name, x.kind), effectFields(x));
  const compared = { intervals: [...journal.intervals, ...drainIntervals(journal.drains ?? [], journal.intervals.at(-1)?.endMs ?? 0)] };
  for (const f of by.values()) {
    const first = f.windows[0];
    if (first) f.comparison = compareAroundFault(compared, { startMs: first.startMs, stoppedMs: first.stoppedMs === null ? null : first.stoppedMs + EFFECT_LAG_MS }, { name: f.name });
    f.acceptedSilently = silentCount(f);
  }
  return by.size > 0 ? [...by.values()] : null;
}

/**
 * How long after a fault's stop its effects still count as its own, ms: a poisoned message
 * reaches the DLQ only after its retries (maxReceiveCount × the visibility timeout).
 */
export const EFFECT_LAG_MS = 30_000;

/** The probes' readings while they drained after the load, as intervals without arrivals (so the DLQ's late growth counts). */
function drainIntervals(drains: readonly Pick<Journal['drains'][number], 'tMs' | 'probes'>[], loadEndMs: number): ComparedInterval[] {
  let startMs = loadEndMs;
  return drains.map((d) => {
    const iv: ComparedInterval = { startMs, endMs: d.tMs, counts: { due: 0, completed: 0, failed: 0, dropped: 0 }, errors: {}, latency: { count: 0, p50: 0, p99: 0 }, probes: d.probes };
    startMs = d.tMs;
    return iv;
  });
}

/** The changed messages that went through to the output: nobody rejected or dead-lettered them (null: the output was not read). */
function silentCount(f: FaultSummary): number | null {
  const d = f.destinations;
  return d && d.read.output ? d.accepted : null;
}

function effectFields(x: FaultEffect): Pick<FaultSummary, 'messages' | 'examples' | 'details' | 'destinations'> {
  return { messages: x.messages, examples: x.examples, details: x.details, ...(x.destinations ? { destinations: x.destinations } : {}) };
}

/** The final summary's lines of a fault: what it did, then where its messages went. */
export function faultLines(f: FaultSummary): string[] {
  const lines = [faultLine(f)];
  const figures = f.messages === null ? null : faultFigureLine(f.kind, f.details);
  if (figures) lines.push(`  ${figures}`);
  if (f.destinations) lines.push(`  ${destinationLine(f.destinations)}`);
  const c = f.comparison;
  if (c && c.verdict !== 'no-data') lines.push(`  ${comparisonLine(c)}${c.concurrent.length > 0 ? ` (with ${c.concurrent.join(', ')} active too)` : ''}`);
  if (f.acceptedSilently) lines.push(`  ⚠ accepted silently: ${f.acceptedSilently.toLocaleString('en-US')} changed message(s) reached the output — nothing in the pipeline rejected or dead-lettered them`);
  return lines;
}

/**
 * "where they went: 7 rejected at the front door (413 ×7), 46 in the DLQ, 48 accepted silently
 * (seen in the output), 0 unaccounted" — with what could not be read said plainly.
 */
export function destinationLine(d: Destinations): string {
  const by = Object.entries(d.rejectedBy).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ×${n(v)}`).join(', ');
  const parts = [`${n(d.rejected)} rejected at the front door${by ? ` (${by})` : ''}`];
  parts.push(d.read.dlq ? `${n(d.dlq)} in the DLQ` : 'DLQ not read');
  parts.push(d.read.output ? `${n(d.accepted)} accepted silently (seen in the output)${d.accepted > 0 ? ' ⚠' : ''}` : 'output not read');
  const why = [d.lost > 0 ? `${n(d.lost)} accepted at the door and seen nowhere` : '', d.unanswered > 0 ? `${n(d.unanswered)} without an answer` : ''].filter(Boolean).join(', ');
  parts.push(`${n(d.unaccounted)} unaccounted${why ? ` (${why})` : ''}`);
  if (d.dlqUnidentified > 0 && d.unaccounted > 0) parts.push(`the DLQ holds ${n(d.dlqUnidentified)} entr${d.dlqUnidentified === 1 ? 'y' : 'ies'} whose id was destroyed`);
  if (d.untraced > 0) parts.push(`${n(d.untraced)} not followed (over the trace limit)`);
  return `where its ${n(d.injected)} went: ${parts.join(', ')}`;
}

/** What a fault's `messages` counts, by kind (message faults: changed). */
const WHAT_IT_DID: Readonly<Record<string, string>> = {
  'retry-storm': 'message(s) retried',
  duplicate: 'message(s) sent twice',
  reorder: 'message(s) held back',
  'store-and-forward': 'message(s) buffered, then flushed',
  'connection-storm': 'connection(s) opened',
};

/** "fault poison-0 (poison): active 10.0s–30.0s; 412 messages changed" — the first line of a fault, for the final summary. */
export function faultLine(f: FaultSummary): string {
  const when = f.windows.length === 0 ? 'never started' : f.windows.map((w) => `${(w.startMs / 1000).toFixed(1)}s–${w.stoppedMs === null ? '?' : `${(w.stoppedMs / 1000).toFixed(1)}s`}${w.startedBy === 'manual' ? ' (manual)' : ''}`).join(', ');
  const count = f.kind === 'connection-storm' && typeof f.details.opened === 'number' ? f.details.opened : f.messages; // a storm changes no message: its count is the connections it opened
  const changed = count === null ? 'effect not recorded (the run did not end)' : `${count.toLocaleString('en-US')} ${WHAT_IT_DID[f.kind] ?? 'message(s) changed'}`;
  return `fault ${f.name} (${f.kind}): active ${when}${f.activeMs ? ` (${formatMs(f.activeMs)} in all)` : ''}; ${changed}`;
}
