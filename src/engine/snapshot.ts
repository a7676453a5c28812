import { percentilesMs, type Histogram } from '../metrics/histogram.js';
import type { IntervalSnapshot } from '../metrics/interval-snapshot.js';
import { latencyFigures } from '../metrics/latency-figures.js';
import type { SeriesName } from '../metrics/series.js';

export type SnapshotBase = Omit<IntervalSnapshot, 'targetRate' | 'achievedRate' | 'answeredRate' | 'latency' | 'serviceTime' | 'scheduleLag'>;

/**
 * Completes an interval's snapshot from its counters and histograms. Rates are per second. The
 * latency figures describe the arrivals resolved in the interval and the `overdue` ones still
 * waiting at its close (lower bounds); dropped and unanswered ones count as never answered.
 */
export function buildSnapshot(base: SnapshotBase, h: Record<SeriesName, Histogram>, overdue: Histogram): IntervalSnapshot {
  const seconds = Math.max(1e-3, (base.endMs - base.startMs) / 1000);
  const perSecond = (n: number) => Math.round((n / seconds) * 100) / 100;
  return {
    ...base,
    targetRate: perSecond(base.counts.due),
    achievedRate: perSecond(base.counts.written),
    answeredRate: perSecond(base.counts.answered),
    latency: latencyFigures(h.latency, overdue, base.counts.dropped + base.counts.unanswered),
    serviceTime: percentilesMs(h.serviceTime),
    scheduleLag: percentilesMs(h.scheduleLag),
  };
}
