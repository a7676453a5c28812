import type { FaultEffect } from '../metrics/fault-types.js';
import { formatMs } from '../util/units.js';
import type { Journal } from './journal-reader.js';

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
}

/** The faults of a run (pure, from its journal): those that ever started, and those with an effect; null without any. */
export function faultSummaries(journal: Pick<Journal, 'faults' | 'faultEffects'>): FaultSummary[] | null {
  const by = new Map<string, FaultSummary>();
  const get = (name: string, kind: string) => {
    let f = by.get(name);
    if (!f) by.set(name, (f = { name, kind, windows: [], activeMs: 0, messages: null, examples: [], details: {} }));
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
  return by.size > 0 ? [...by.values()] : null;
}

function effectFields(x: FaultEffect): Pick<FaultSummary, 'messages' | 'examples' | 'details'> {
  return { messages: x.messages, examples: x.examples, details: x.details };
}

/** "fault poison-0 (poison): active 10.0s–30.0s; 412 messages changed" — one line a fault, for the final summary. */
export function faultLine(f: FaultSummary): string {
  const when = f.windows.length === 0 ? 'never started' : f.windows.map((w) => `${(w.startMs / 1000).toFixed(1)}s–${w.stoppedMs === null ? '?' : `${(w.stoppedMs / 1000).toFixed(1)}s`}${w.startedBy === 'manual' ? ' (manual)' : ''}`).join(', ');
  const changed = f.messages === null ? 'effect not recorded (the run did not end)' : `${f.messages.toLocaleString('en-US')} message(s) changed`;
  return `fault ${f.name} (${f.kind}): active ${when}${f.activeMs ? ` (${formatMs(f.activeMs)} in all)` : ''}; ${changed}`;
}
