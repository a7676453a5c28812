import type { ProbeReadings } from '../metrics/probe-readings.js';
import type { Journal } from '../results/journal-reader.js';
import { count } from '../results/verdict.js';
import { formatMs } from '../util/units.js';

/**
 * The report's "Detection": which threshold fired first and when, how long after the fault that
 * preceded it (time to detect), and whether the pipeline's own signals — DLQ depth, the stream
 * consumer's iterator age, the output's lag — moved before the SLO did. Pure, from the journal.
 *
 * A signal "moved" at the first interval close at or after the fault's start (the run's start
 * without faults) where it exceeded what it read before: the DLQ any rise above its highest
 * depth before; iterator age and output lag above twice their highest before and by at least
 * SIGNAL_MIN_RISE_MS.
 */
export interface Detection {
  /** The first breach the live checker journaled; null when no threshold fired. */
  firstBreach: { source: string; tMs: number; at: string; aborts: boolean } | null;
  /** The fault the detection is measured from: the last to start at or before the breach (the first fault without a breach); null without faults. */
  fault: { name: string; kind: string; tMs: number } | null;
  /** breach − fault start, ms; null without a breach or a fault before it. */
  timeToDetectMs: number | null;
  signals: PipelineSignal[];
}

export interface PipelineSignal {
  name: 'DLQ depth' | 'iterator age' | 'output lag';
  /** messages for the DLQ, ms for the others. */
  unit: 'messages' | 'ms';
  /** The highest reading before the reference time (the fault's start, or 0). */
  before: number;
  /** When it first moved (ms from the start) and what it read then; null: it never moved. */
  movedAtMs: number | null;
  movedTo: number | null;
  /** The highest reading at or after the reference time. */
  peak: number;
  /** firstBreach − movedAt, ms: positive when the signal moved before the SLO broke; null without either. */
  leadMs: number | null;
}

export const SIGNAL_MIN_RISE_MS = 1000;

type Readings = { tMs: number; probes: ProbeReadings };

const READ: Record<PipelineSignal['name'], (p: ProbeReadings) => number | null> = {
  'DLQ depth': (p) => {
    const dlq = (p.queues ?? []).filter((q) => q.role === 'dlq');
    return dlq.length === 0 ? null : dlq.reduce((a, q) => a + q.visible + q.notVisible + q.delayed, 0);
  },
  'iterator age': (p) => (p.shards && p.shards.length > 0 ? Math.max(...p.shards.map((s) => s.iteratorAgeMs)) : null),
  'output lag': (p) => p.delivery?.lagMs ?? null,
};

export function detect(journal: Pick<Journal, 'faults' | 'thresholdEvents' | 'intervals' | 'drains'>): Detection {
  const b = journal.thresholdEvents.find((e) => e.state === 'breach');
  const firstBreach = b ? { source: b.source, tMs: b.tMs, at: b.at, aborts: b.aborts === true } : null;
  const starts = journal.faults.filter((f) => f.type === 'fault-start');
  const before = firstBreach ? starts.filter((f) => f.tMs <= firstBreach.tMs).at(-1) : undefined;
  const ref = before ?? (firstBreach ? undefined : starts[0]);
  const fault = ref ? { name: ref.name, kind: ref.kind, tMs: ref.tMs } : null;
  const readings: Readings[] = [
    ...journal.intervals.flatMap((i) => {
      const probes = (i as { probes?: ProbeReadings }).probes;
      return probes ? [{ tMs: i.endMs, probes }] : [];
    }),
    ...journal.drains.map((d) => ({ tMs: d.tMs, probes: d.probes })),
  ];
  const refMs = fault?.tMs ?? 0;
  const signals = (Object.keys(READ) as PipelineSignal['name'][])
    .map((name) => signal(name, readings, refMs, firstBreach?.tMs ?? null))
    .filter((s): s is PipelineSignal => s !== null);
  return { firstBreach, fault, timeToDetectMs: firstBreach && before ? firstBreach.tMs - before.tMs : null, signals };
}

function signal(name: PipelineSignal['name'], readings: readonly Readings[], refMs: number, breachMs: number | null): PipelineSignal | null {
  const series = readings.map((r) => ({ tMs: r.tMs, v: READ[name](r.probes) })).filter((r): r is { tMs: number; v: number } => r.v !== null);
  if (series.length === 0) return null;
  const pre = series.filter((r) => r.tMs < refMs);
  const post = series.filter((r) => r.tMs >= refMs);
  const before = pre.reduce((m, r) => Math.max(m, r.v), 0);
  const moved = post.find((r) => (name === 'DLQ depth' ? r.v > before : r.v > 2 * before && r.v - before >= SIGNAL_MIN_RISE_MS));
  return {
    name, unit: name === 'DLQ depth' ? 'messages' : 'ms', before,
    movedAtMs: moved?.tMs ?? null, movedTo: moved?.v ?? null, peak: post.reduce((m, r) => Math.max(m, r.v), 0),
    leadMs: moved && breachMs !== null ? breachMs - moved.tMs : null,
  };
}

/** The detection in sentences, for the report. */
export function detectionLines(d: Detection): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const out: string[] = [];
  if (d.firstBreach) {
    const after = d.fault && d.timeToDetectMs !== null ? `, ${s(d.timeToDetectMs)} after fault ${d.fault.name} (${d.fault.kind}) started at ${s(d.fault.tMs)}` : d.fault ? '' : ' (no fault ran: the load alone broke it)';
    out.push(`First to fire: \`${d.firstBreach.source}\` at ${s(d.firstBreach.tMs)} (${d.firstBreach.at.slice(11, 23)} UTC)${after}${d.firstBreach.aborts ? ' — the guardrail aborted the run' : ''}.`);
    if (d.timeToDetectMs !== null) out.push(`Time to detect: ${s(d.timeToDetectMs)}.`);
  } else out.push(d.fault ? `No threshold fired during or after fault ${d.fault.name} (${d.fault.kind}, from ${s(d.fault.tMs)}).` : 'No threshold fired.');
  if (d.signals.length === 0) out.push('No probe read the pipeline\'s own signals (DLQ depth, iterator age, output lag): whether they moved first is unknown.');
  const from = d.fault ? 'the fault' : 'the start';
  for (const g of d.signals) {
    const unit = (v: number) => (g.unit === 'ms' ? formatMs(v) : count(v));
    if (g.movedAtMs === null) {
      out.push(`${g.name}: did not move (${unit(g.before)} before ${from}, peak ${unit(g.peak)}).`);
      continue;
    }
    const lead = g.leadMs === null ? (d.firstBreach ? '' : ' — no SLO noticed: alarm on it') : g.leadMs > 0 ? ` — ${s(g.leadMs)} before the SLO broke` : g.leadMs === 0 ? ' — at the same close as the SLO breach' : ` — ${s(-g.leadMs)} after the SLO broke`;
    out.push(`${g.name}: rose from ${unit(g.before)} to ${unit(g.movedTo!)} at ${s(g.movedAtMs)}${d.fault ? ` (${s(g.movedAtMs - d.fault.tMs)} after the fault)` : ''}, peak ${unit(g.peak)}${lead}.`);
  }
  return out;
}
