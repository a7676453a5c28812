import type { ProbeReadings } from '../../metrics/probe-readings.js';
import type { ReportModel } from '../report-model.js';
import type { TimelineBucket } from '../timeline-buckets.js';

/** One point of a chart's line (or bar): a time in seconds from the run's start, a series, a value. */
export interface SeriesPoint {
  t: number;
  series: string;
  value: number;
}

/** A span of the run drawn behind a time chart: a fault that was active, or a phase that played. */
export interface Band {
  kind: 'fault' | 'phase';
  label: string;
  /** Seconds from the run's start. */
  from: number;
  to: number;
  /** Phases alternate shades (0, 1); faults are stacked in rows (0, 1, …) so overlapping ones stay legible. */
  row: number;
}

/** Most shards drawn in the per-shard chart: the hottest by records. */
export const MAX_CHART_SHARDS = 12;

const sec = (ms: number) => Math.round(ms) / 1000;
/** Each bucket's value at its midpoint, so lines sit over the span they describe. */
const mid = (b: TimelineBucket) => sec((b.startMs + b.endMs) / 2);

/** The span the time axis covers: the first bucket's start to the last one's end. */
export function timeDomain(model: ReportModel): [number, number] {
  const t = model.timeline;
  return t.length === 0 ? [0, 1] : [sec(t[0].startMs), sec(t.at(-1)!.endMs)];
}

/** Target (arrivals due), on the wire and answered per second, bucket by bucket. */
export function throughputPoints(model: ReportModel): SeriesPoint[] {
  return model.timeline.flatMap((b) => [
    { t: mid(b), series: 'target', value: b.targetRate },
    { t: mid(b), series: 'on the wire', value: b.wireRate },
    { t: mid(b), series: 'answered', value: b.answeredRate },
  ]);
}

/** p50 and p99 from the intended time, and of the service time (sent → done); buckets without a figure are left out. */
export function latencyPoints(model: ReportModel): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const b of model.timeline) {
    const add = (series: string, v: number | null | undefined) => {
      if (typeof v === 'number' && Number.isFinite(v)) out.push({ t: mid(b), series, value: v });
    };
    add('p50 (intended)', b.latency.p50);
    add('p99 (intended)', b.latency.p99);
    add('p50 (service)', b.serviceTime.p50);
    add('p99 (service)', b.serviceTime.p99);
  }
  return out;
}

/** Failed arrivals by outcome class, per bucket (only buckets and classes with failures). */
export function errorPoints(model: ReportModel): SeriesPoint[] {
  return model.timeline.flatMap((b) => Object.entries(b.errors).filter(([, n]) => n > 0).map(([series, value]) => ({ t: mid(b), series, value })));
}

/** The DLQ's visible depth at each bucket's close; empty when no DLQ was read. */
export function dlqPoints(model: ReportModel): SeriesPoint[] {
  return model.timeline.filter((b) => b.dlqDepth !== null).map((b) => ({ t: sec(b.endMs), series: 'DLQ depth', value: b.dlqDepth! }));
}

/** How far the output trails the load at each interval close: the consumer's lag and the oldest shard iterator age, ms; empty without readings. */
export function consumerLagPoints(model: ReportModel): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const i of model.journal?.intervals ?? []) {
    const probes = (i as { probes?: ProbeReadings }).probes;
    const lag = probes?.delivery?.lagMs;
    if (typeof lag === 'number') out.push({ t: sec(i.endMs), series: 'consumer lag', value: lag });
    const ages = probes?.shards?.map((s) => s.iteratorAgeMs) ?? [];
    if (ages.length > 0) out.push({ t: sec(i.endMs), series: 'oldest iterator age', value: Math.max(...ages) });
  }
  return out;
}

/** Records per second each shard accepted (and throttled, summed over shards), per interval; empty for a target without shards. */
export function shardPoints(model: ReportModel): SeriesPoint[] {
  const intervals = (model.journal?.intervals ?? []).filter((i) => i.shards && i.shards.length > 0);
  if (intervals.length === 0) return [];
  const totals = new Map<string, number>();
  for (const i of intervals) for (const s of i.shards!) totals.set(s.id, (totals.get(s.id) ?? 0) + s.records);
  const hottest = new Set([...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_CHART_SHARDS).map(([id]) => id));
  const anyThrottled = intervals.some((i) => i.shards!.some((s) => s.throttled > 0));
  const out: SeriesPoint[] = [];
  for (const i of intervals) {
    const secs = Math.max(1e-3, (i.endMs - i.startMs) / 1000);
    const t = sec((i.startMs + i.endMs) / 2);
    let throttled = 0;
    for (const s of i.shards!) {
      throttled += s.throttled;
      if (hottest.has(s.id)) out.push({ t, series: s.id, value: Math.round((s.records / secs) * 10) / 10 });
    }
    if (anyThrottled) out.push({ t, series: 'throttled (all shards)', value: Math.round((throttled / secs) * 10) / 10 });
  }
  return out;
}

/** Contiguous spans of buckets that share a phase, and of buckets in which each fault was active. */
export function bands(model: ReportModel): Band[] {
  const out: Band[] = [];
  const t = model.timeline;
  let phaseRow = 0;
  for (let i = 0; i < t.length; i++) {
    const start = i;
    while (i + 1 < t.length && t[i + 1].phase === t[start].phase) i++;
    out.push({ kind: 'phase', label: t[start].phase, from: sec(t[start].startMs), to: sec(t[i].endMs), row: phaseRow });
    phaseRow = 1 - phaseRow;
  }
  const names = [...new Set(t.flatMap((b) => b.faults))];
  names.forEach((name, row) => {
    for (let i = 0; i < t.length; i++) {
      if (!t[i].faults.includes(name)) continue;
      const start = i;
      while (i + 1 < t.length && t[i + 1].faults.includes(name)) i++;
      out.push({ kind: 'fault', label: name, from: sec(t[start].startMs), to: sec(t[i].endMs), row });
    }
  });
  return out;
}
