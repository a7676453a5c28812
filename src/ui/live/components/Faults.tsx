import type { ReactElement } from 'react';
import type { LiveFault, LiveState } from '../live-state.js';
import { fmtSpan, gutter, Line } from './line.js';

/** The active faults, since when (run time) and by whom; one row. */
export function activeFaultLines(s: LiveState): ReactElement[] {
  const text = s.active.length
    ? s.active.map((f) => `${f.name} since ${fmtSpan(f.sinceMs)}${f.by === 'schedule' ? '' : ` (${f.by})`}`).join(' · ')
    : s.faults.length ? 'none active' : 'none in the plan';
  return [<Line key="fa" color={s.active.length ? 'magenta' : undefined}>{gutter('faults')}{s.active.length ? `active: ${text}` : text}</Line>];
}

/** Scheduled faults not started yet, soonest first; one row, none when there are none. */
export function upcomingFaults(s: LiveState): LiveFault[] {
  return s.faults
    .filter((f) => f.atMs !== null && !s.started.includes(f.name) && !s.active.some((a) => a.name === f.name))
    .sort((a, b) => (a.atMs ?? 0) - (b.atMs ?? 0));
}

export function upcomingFaultLines(s: LiveState): ReactElement[] {
  const next = upcomingFaults(s);
  if (!next.length) return [];
  const text = next.map((f) => `${f.name} at ${fmtSpan(f.atMs ?? 0)} (${(f.atMs ?? 0) > s.nowMs ? `in ${fmtSpan((f.atMs ?? 0) - s.nowMs)}` : 'due'})${f.forMs === null ? '' : ` for ${fmtSpan(f.forMs)}`}`).join(' · ');
  return [<Line key="fu">{gutter()}coming up: {text}</Line>];
}

function faultState(s: LiveState, f: LiveFault): string {
  const active = s.active.find((a) => a.name === f.name);
  if (active) return `● active since ${fmtSpan(active.sinceMs)}`;
  if (s.started.includes(f.name)) return 'stopped';
  return f.atMs === null ? 'manual, waiting' : `at ${fmtSpan(f.atMs)}`;
}

/**
 * The library: a title row, then one row per fault with its key ("1".."9"; none past the ninth).
 * `focus` (mode 'faults'): the title says how to use it.
 */
export function libraryLines(s: LiveState, focus: boolean): ReactElement[] {
  if (!s.faults.length) return focus ? [<Line key="lt" bold>fault library: this plan has no faults (esc to close)</Line>] : [];
  const title = focus ? 'fault library — press 1–9 to start/stop, esc to close' : 'fault library (f to open)';
  return [
    <Line key="lt" bold={focus} color={focus ? 'magenta' : undefined}>{`${gutter()}${title}`}</Line>,
    ...s.faults.map((f) => (
      <Line key={`lf-${f.name}`}>{`${gutter()}${f.key ? `[${f.key}]` : '   '} ${f.name.padEnd(20)} ${f.kind.padEnd(17)} ${f.forMs === null ? '' : `for ${fmtSpan(f.forMs)}  `}${faultState(s, f)}`}</Line>
    )),
  ];
}
