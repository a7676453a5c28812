import type { DeliveryTotals, ProbeReadings, QueueDepth } from '../metrics/probe-readings.js';
import type { Journal } from './journal-reader.js';
import { count as n } from './verdict.js';

/** summary.json's `delivery`: what the output consumer found, with the drain and the matcher's window. */
export interface DeliverySummary extends DeliveryTotals {
  drainMs: number;
  /** Seqs per vehicle the matcher kept: a message not seen within that many later ones of its vehicle counts as lost. */
  windowLimit: number;
}

/** summary.json's `queues[]`: each sampled queue's peak and final depth (visible messages). */
export interface QueueSummary {
  name: string;
  role: QueueDepth['role'];
  peakDepth: number;
  finalDepth: number;
}

/** The delivery block of a run whose probes read the output; null without one (or when killed before the drain ended). */
export function deliverySummary(journal: Journal): DeliverySummary | null {
  const d = journal.delivery;
  return d ? { ...d.totals, drainMs: d.drainMs, windowLimit: d.window } : null;
}

/** Every queue the probes sampled, across the load's intervals and the drain; null when none was. */
export function queueSummaries(journal: Journal): QueueSummary[] | null {
  const byName = new Map<string, QueueSummary>();
  for (const r of probeReadingsOf(journal)) {
    for (const q of r?.queues ?? []) {
      const s = byName.get(q.name) ?? { name: q.name, role: q.role, peakDepth: 0, finalDepth: 0 };
      s.peakDepth = Math.max(s.peakDepth, q.visible);
      s.finalDepth = q.visible;
      byName.set(q.name, s);
    }
  }
  return byName.size > 0 ? [...byName.values()] : null;
}

/** Every reading the probes took, in order: the load's intervals, then the drain's ticks. */
export function probeReadingsOf(journal: Journal): (ProbeReadings | undefined)[] {
  return [...journal.intervals.map((i) => (i as { probes?: ProbeReadings }).probes), ...journal.drains.map((d) => d.probes)];
}

/** "2 messages lost, 0 duplicated, 13 reordered, e2e p99 420ms" — never hidden when probes ran. */
export function deliveryLine(d: DeliverySummary, formatMs: (ms: number) => string): string {
  const e2e = d.e2eLatency.p99 === null ? 'e2e p99 –' : `e2e p50 ${formatMs(d.e2eLatency.p50 ?? 0)} p99 ${formatMs(d.e2eLatency.p99)}`;
  const extra = [d.unexpected ? `${d.unexpected.toLocaleString('en-US')} unexpected` : '', d.late ? `${d.late.toLocaleString('en-US')} late` : '', d.seenNotAccepted ? `${d.seenNotAccepted.toLocaleString('en-US')} seen though their send failed` : ''].filter(Boolean);
  return `delivery (${d.consumer}): ${n(d.accepted)} accepted, ${n(d.seen)} seen — ${n(d.lost)} lost, ${n(d.duplicated)} duplicated, ${n(d.reordered)} reordered${extra.length ? `, ${extra.join(', ')}` : ''}; ${e2e}; drained ${formatMs(d.drainMs)}`;
}
