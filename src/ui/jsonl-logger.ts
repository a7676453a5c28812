import type { RunEvent } from '../engine/events.js';
import { publicPlan } from '../results/journal-writer.js';

/** Consumer that prints every event as one JSON line (histograms left out, secrets masked). */
export function createJsonlLogger(write: (line: string) => void): (e: RunEvent) => void {
  return (e) => {
    if (e.type === 'interval') write(JSON.stringify({ type: 'interval', at: e.at, ...e.snapshot }));
    else if (e.type === 'start') write(JSON.stringify({ ...e, plan: publicPlan(e.plan) }));
    else write(JSON.stringify(e));
  };
}
