import type { FaultStatus } from '../engine/timeline.js';
import { UserError } from '../util/user-error.js';
import { controlRequest } from './fault-control.js';

/** Starts or stops fault `name` of the run in `dir`; a UserError (exit 2) when the run refuses, with its reason. */
export async function triggerFault(dir: string, name: string, action: 'start' | 'stop'): Promise<string> {
  const r = await controlRequest(dir, 'POST', `/faults/${encodeURIComponent(name)}/${action}`);
  if (!r.ok) throw new UserError(`cannot ${action} fault ${name}: ${r.reason ?? 'refused'}`, { hint: `rushhour fault list --run ${dir} shows the run's faults` });
  return `fault ${name} ${action === 'start' ? 'started' : 'stopped'} (journaled as manual)`;
}

/** One line a fault of the run in `dir`: name, kind, manual or scheduled, active now, last start and stop (s from the run's start). */
export async function listFaults(dir: string): Promise<string[]> {
  const r = await controlRequest(dir, 'GET', '/faults');
  return (r.faults ?? []).map(faultStatusLine);
}

export function faultStatusLine(f: FaultStatus): string {
  const s = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)}s`);
  return `${f.name.padEnd(20)} ${f.kind.padEnd(13)} ${(f.manual ? 'manual' : 'scheduled').padEnd(9)} ${(f.active ? 'ACTIVE' : 'idle').padEnd(6)} started ${s(f.startedMs)} stopped ${s(f.stoppedMs)}`;
}
