import type { ReactElement } from 'react';
import { Text } from 'ink';
import { pausedTotalMs, type LiveState } from '../live-state.js';
import { bar, fmtSpan, Line } from './line.js';

/** The verdict so far: ABORTED, BREACHED n SLO(s) (in breach now) or holding; then PAUSED, draining, ended. */
export function verdictOf(s: LiveState): { text: string; color: string } {
  const breached = s.thresholds.filter((t) => t.breached).length;
  const head = s.aborted ? 'ABORTED' : breached > 0 ? `BREACHED ${breached} SLO${breached > 1 ? 's' : ''}` : 'holding';
  const tail = [s.paused ? 'PAUSED' : '', s.draining && !s.ended ? 'draining' : '', s.ended ? `ended (${s.ended})` : ''].filter(Boolean);
  const color = s.aborted || breached > 0 ? 'red' : s.paused ? 'yellow' : 'green';
  return { text: [head, ...tail].join(' · '), color };
}

/**
 * Time left, ms: of the phase (its duration less its unpaused time so far) and of the run (the
 * plan's phases less the run time, plus the time paused).
 */
export function timeLeft(s: LiveState): { phaseDone: number; phaseLeftMs: number | null; runLeftMs: number } {
  const paused = pausedTotalMs(s);
  const runLeftMs = Math.max(0, s.totalMs + paused - s.nowMs);
  const spec = s.phase ? s.phases[s.phase.index] : undefined;
  if (!s.phase || !spec) return { phaseDone: 0, phaseLeftMs: null, runLeftMs };
  const elapsed = Math.max(0, s.nowMs - s.phase.startMs - (paused - s.phase.pausedBeforeMs));
  const done = spec.durationMs > 0 ? Math.min(1, elapsed / spec.durationMs) : 1;
  return { phaseDone: done, phaseLeftMs: Math.max(0, spec.durationMs - elapsed), runLeftMs };
}

/** Two rows: scenario, target and verdict; phase with progress and time left. */
export function headerLines(s: LiveState): ReactElement[] {
  const v = verdictOf(s);
  const t = timeLeft(s);
  const phase = s.phase ? `phase ${s.phase.index + 1}/${s.phases.length} ${s.phase.name} (${s.phase.kind})` : 'phase –';
  const left = t.phaseLeftMs === null ? '' : `${fmtSpan(t.phaseLeftMs)} left`;
  return [
    <Line key="h1"><Text bold>{`rushhour ${s.name}`}</Text>{` → ${s.target}   `}<Text bold color={v.color}>{v.text}</Text></Line>,
    <Line key="h2">{`${phase}  [${bar(t.phaseDone, 12)}] ${Math.round(t.phaseDone * 100)}%  ${left} · run ${fmtSpan(s.nowMs)}, ${fmtSpan(t.runLeftMs)} left`}</Line>,
  ];
}
