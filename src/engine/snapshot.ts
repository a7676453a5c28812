import { percentilesMs, type Histogram } from '../metrics/histogram.js';
import type { SeriesName } from '../metrics/series.js';
import type { IntervalSnapshot } from './events.js';

export type SnapshotBase = Omit<IntervalSnapshot, 'targetRate' | 'achievedRate' | 'latency' | 'serviceTime' | 'scheduleLag'>;

/** Completes an interval's snapshot from its counters and histograms. Rates are per second. */
export function buildSnapshot(base: SnapshotBase, h: Record<SeriesName, Histogram>): IntervalSnapshot {
  const seconds = Math.max(1e-3, (base.endMs - base.startMs) / 1000);
  return {
    ...base,
    targetRate: Math.round((base.counts.due / seconds) * 100) / 100,
    achievedRate: Math.round((base.counts.written / seconds) * 100) / 100,
    latency: percentilesMs(h.latency),
    serviceTime: percentilesMs(h.serviceTime),
    scheduleLag: percentilesMs(h.scheduleLag),
  };
}
