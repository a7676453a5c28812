import type { RunEvent } from '../../engine/events.js';
import { thresholdActual } from '../../results/verdict.js';
import { formatMs } from '../../util/units.js';
import type { HistoryLine } from './live-state.js';
import { FAULT_STOPPED_BY } from '../plain-logger.js';

type TimelineEvent = Extract<RunEvent, { type: 'phase' | 'warning' | 'fault-start' | 'fault-stop' | 'threshold' }>;


/** The history line of a timeline event (text without the run time); empty text: no line. Pure. */
export function historyOf(e: TimelineEvent | Extract<RunEvent, { type: 'fault-effects' | 'cold-start-tax' }>): { text: string; tone: HistoryLine['tone'] } {
  switch (e.type) {
    case 'phase': return { text: `phase ${e.index + 1}: ${e.name} (${e.kind})`, tone: 'info' };
    case 'warning': return { text: `warning: ${e.message}`, tone: 'warn' };
    case 'fault-start': return { text: `fault ${e.name} started${e.by === 'schedule' ? '' : ` (${e.by})`}`, tone: 'warn' };
    case 'fault-stop': return { text: `fault ${e.name} stopped after ${formatMs(e.activeMs)}${e.by === 'schedule' ? '' : ` (${FAULT_STOPPED_BY[e.by]})`}`, tone: 'info' };
    case 'threshold': return thresholdLine(e);
    default: return { text: '', tone: 'info' };
  }
}

function thresholdLine(e: Extract<RunEvent, { type: 'threshold' }>): { text: string; tone: HistoryLine['tone'] } {
  const actual = thresholdActual(e);
  if (e.state === 'breach') return { text: `SLO ${e.source} BREACHED: ${actual}${e.aborts ? ' — guardrail: ABORTING the run' : ''}`, tone: 'bad' };
  if (e.state === 'recovery') return { text: `SLO ${e.source} holds again: ${actual}`, tone: 'good' };
  return e.pass ? { text: `SLO ${e.source} held in every window`, tone: 'good' } : { text: `SLO ${e.source} BREACHED in its worst window: ${actual}`, tone: 'bad' };
}

/** "  12.0 s  fault poison-0 started (manual)": the run time in seconds, right-aligned. */
export function formatHistoryLine(l: HistoryLine): string {
  return `${(l.tMs / 1000).toFixed(1).padStart(6)} s  ${l.text}`;
}
