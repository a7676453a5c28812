import type { RunEvent } from '../engine/events.js';
import { probeLine } from './probe-line.js';
import type { IntervalSnapshot } from '../metrics/interval-snapshot.js';
import { formatFigure } from '../metrics/latency-figures.js';
import { warmupLine } from '../results/summary-text.js';
import { thresholdActual } from '../results/verdict.js';
import { formatMs } from '../util/units.js';

/**
 * Formats one interval as a single plain line (for CI logs and non-TTY output). Pure.
 * `rate A/T/s`: put on the wire / due per second; `answered N/s`: answers from the target.
 * Latency figures include arrivals waiting a whole interval or more at the close (≥: a lower bound; never: never answered; –: none).
 */
export function formatIntervalLine(s: IntervalSnapshot): string {
  // Whole seconds for regular intervals; one decimal for the short last one (the drain).
  const t = (s.endMs % 1000 === 0 ? (s.endMs / 1000).toFixed(0) : (s.endMs / 1000).toFixed(1)).padStart(5);
  const errs = Object.entries(s.errors).map(([k, v]) => `${k}=${v}`).join(' ');
  const parts = [
    `t=${t}s`,
    `rate ${fmtRate(s.achievedRate)}/${fmtRate(s.targetRate)}/s`,
    `answered ${fmtRate(s.answeredRate ?? 0)}/s`,
    `p50 ${formatFigure(s.latency, 'p50', formatMs)}`,
    `p99 ${formatFigure(s.latency, 'p99', formatMs)}`,
    `ok ${s.counts.ok}`,
    `err ${s.counts.failed}${errs ? ` (${errs})` : ''}`,
    `drop ${s.counts.dropped}`,
    `inflight ${s.inFlight}`,
    `[${s.phase}]`,
  ];
  return parts.join('  ');
}

function fmtRate(r: number): string {
  return r >= 100 ? r.toFixed(0) : r.toFixed(1);
}

/** Why a fault stopped, when not on its own schedule. */
export const FAULT_STOPPED_BY = { manual: 'manual', end: 'the load ended', interrupted: 'the run was interrupted', schedule: 'schedule' } as const;

/**
 * Consumer of engine events that prints one plain line per interval, plus phase changes,
 * threshold breaches and recoveries, and warnings, to `write` (stdout when it is not a TTY, stderr under --json).
 */
export function createPlainLogger(write: (line: string) => void): (e: RunEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'start':
        if (e.warmup.gaveUp) write(warmupLine(e.warmup));
        write(`rushhour: ${e.plan.name} — warm-up ${e.warmup.requests} request(s) in ${formatMs(e.warmup.durationMs)} (${e.warmup.failed} failed${e.warmup.unanswered ? `, ${e.warmup.unanswered} unanswered` : ''}), clock started`);
        break;
      case 'phase':
        write(`-- phase ${e.index + 1}: ${e.name} (${e.kind}) at ${(e.tMs / 1000).toFixed(1)}s`);
        break;
      case 'interval': {
        const probes = probeLine(e.probes);
        write(probes ? `${formatIntervalLine(e.snapshot)}  ${probes}` : formatIntervalLine(e.snapshot));
        break;
      }
      case 'drain':
        write(`t=${(e.tMs / 1000).toFixed(1).padStart(6)}s  draining: ${probeLine(e.probes)}`);
        break;
      case 'delivery': {
        const t = e.totals;
        write(`-- delivery after a ${formatMs(e.drainMs)} drain: ${t.seen} seen, ${t.lost} lost, ${t.duplicated} duplicated, ${t.reordered} reordered`);
        break;
      }
      case 'warning':
        write(`warning: ${e.message}`);
        break;
      case 'fault-start':
        write(`-- fault ${e.name} (${e.kind}) started at ${(e.tMs / 1000).toFixed(1)}s${e.by === 'schedule' ? '' : ` (${e.by})`}`);
        break;
      case 'fault-stop':
        write(`-- fault ${e.name} (${e.kind}) stopped at ${(e.tMs / 1000).toFixed(1)}s after ${formatMs(e.activeMs)}${e.by === 'schedule' ? '' : ` (${FAULT_STOPPED_BY[e.by]})`}`);
        break;
      case 'threshold':
        if (e.state === 'final') break;
        write(`-- threshold ${e.source} ${e.state === 'breach' ? 'BREACHED' : 'holds again'} at ${(e.tMs / 1000).toFixed(1)}s: ${thresholdActual(e)}${e.windowMs === null ? ' (run so far)' : ` in ${(e.windowStartMs / 1000).toFixed(1)}–${(e.windowEndMs / 1000).toFixed(1)}s`}${e.aborts ? ' — guardrail: aborting the run' : ''}`);
        break;
      case 'end':
        write(`-- ${e.reason} after ${(e.tMs / 1000).toFixed(1)}s: sent ${e.totals.sent}, answered ${e.totals.answered}, ok ${e.totals.ok}, failed ${e.totals.failed}, dropped ${e.totals.dropped}${e.unfinished ? `, unfinished ${e.unfinished}` : ''}`);
        break;
    }
  };
}
