import type { RunEvent } from '../engine/events.js';
import { JOURNAL_VERSION, publicPlan } from './journal-writer.js';

/**
 * The one serialization of a run event, shared by journal.jsonl and `--log jsonl` (so a line
 * on stdout is exactly the journal's line): histograms left out (they go to latency.hlog), the
 * interval's snapshot flattened with its probe readings, secrets of the plan masked.
 */
export function eventRecord(e: RunEvent): object {
  switch (e.type) {
    case 'start':
      return { type: 'start', version: JOURNAL_VERSION, at: e.at, startEpochMs: e.startEpochMs, plan: publicPlan(e.plan), warmup: e.warmup };
    case 'interval':
      return { type: 'interval', at: e.at, ...e.snapshot, ...(e.probes ? { probes: e.probes } : {}) };
    case 'drain': {
      const { e2e: _e2e, ...rest } = e;
      return rest;
    }
    default:
      return e;
  }
}
