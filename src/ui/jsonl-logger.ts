import type { RunEvent } from '../engine/events.js';
import { eventRecord } from '../results/event-record.js';

/** Consumer that prints every event as one JSON line: the journal's own line (src/results/event-record.ts). */
export function createJsonlLogger(write: (line: string) => void): (e: RunEvent) => void {
  return (e) => write(JSON.stringify(eventRecord(e)));
}
