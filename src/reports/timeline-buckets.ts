import type { HlogVisitor } from '../metrics/hlog-stream.js';
import { createHistogram, percentilesMs, type Histogram, type Percentiles } from '../metrics/histogram.js';
import type { IntervalSnapshot } from '../metrics/interval-snapshot.js';
import { latencyFigures, type LatencyFigures } from '../metrics/latency-figures.js';
import type { CohortOutcome } from '../metrics/outcome-ledger.js';

/**
 * One row of a report's timeline: whole intervals folded together. Counts add; percentiles come
 * from the merged hlog histograms of its intervals — recorded latencies of all of them, plus the
 * last one's waiting arrivals (lower bounds) and what was never answered, as for the whole run.
 */
export interface TimelineBucket {
  /** ms from the run's start. */
  startMs: number;
  endMs: number;
  /** The phase playing at its start. */
  phase: string;
  /** Faults active in some interval of it. */
  faults: string[];
  /** The fate of the arrivals due in it (the journal's last word on each interval's cohort). */
  due: number;
  ok: number;
  failed: number;
  dropped: number;
  unfinished: number;
  /** Per second over its span: arrivals due, requests on the wire, answers. */
  targetRate: number;
  wireRate: number;
  answeredRate: number;
  errors: Record<string, number>;
  latency: LatencyFigures;
  serviceTime: Percentiles;
  /** The DLQ's visible depth at its last interval's close (the deepest DLQ); null without a reading. */
  dlqDepth: number | null;
}

interface Group {
  first: number;
  last: number;
  startMs: number;
  endMs: number;
  latency: Histogram;
  serviceTime: Histogram;
  waiting: Histogram | undefined;
}

/**
 * Folds the journal's intervals into at most `maxRows` buckets of equal numbers of intervals and,
 * as an hlog visitor, merges each interval histogram into the bucket its midpoint falls in.
 */
export class TimelineBuckets {
  private readonly groups: Group[] = [];

  constructor(private readonly intervals: readonly IntervalSnapshot[], maxRows: number) {
    const per = Math.max(1, Math.ceil(intervals.length / maxRows));
    for (let i = 0; i < intervals.length; i += per) {
      const last = Math.min(intervals.length, i + per) - 1;
      this.groups.push({ first: i, last, startMs: intervals[i].startMs, endMs: intervals[last].endMs, latency: createHistogram(), serviceTime: createHistogram(), waiting: undefined });
    }
  }

  readonly visit: HlogVisitor = (series, startSec, endSec, h) => {
    const mid = ((startSec + endSec) / 2) * 1000;
    const g = this.groups.find((x) => mid >= x.startMs && mid < x.endMs);
    if (!g) return;
    if (series === 'latency') g.latency.add(h);
    else if (series === 'serviceTime') g.serviceTime.add(h);
    // waiting is not cumulative: the bucket keeps its last interval's (the hlog is in time order)
    else if (series === 'waiting') g.waiting = h;
  };

  rows(outcomes: readonly CohortOutcome[]): TimelineBucket[] {
    const fate = new Map(outcomes.map((o) => [o.index, o]));
    return this.groups.map((g) => this.row(g, fate));
  }

  private row(g: Group, fate: Map<number, CohortOutcome>): TimelineBucket {
    const iv = this.intervals.slice(g.first, g.last + 1);
    const secs = Math.max(1e-3, (g.endMs - g.startMs) / 1000);
    const errors: Record<string, number> = {};
    const f = { due: 0, ok: 0, failed: 0, dropped: 0, unfinished: 0 };
    let written = 0;
    let answered = 0;
    let unanswered = 0;
    for (const i of iv) {
      const o = fate.get(i.index);
      if (o) {
        f.due += o.due; f.ok += o.ok; f.failed += o.failed; f.dropped += o.dropped; f.unfinished += o.pending;
        for (const [k, v] of Object.entries(o.errors)) errors[k] = (errors[k] ?? 0) + v;
      }
      written += i.counts.written;
      answered += i.counts.answered ?? 0;
      unanswered += i.counts.unanswered ?? 0;
    }
    const faults = [...new Set(iv.flatMap((i) => i.faults ?? []))];
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      startMs: g.startMs, endMs: g.endMs, phase: iv[0].phase, faults, ...f,
      targetRate: round(f.due / secs), wireRate: round(written / secs), answeredRate: round(answered / secs), errors,
      latency: latencyFigures(g.latency, g.waiting, f.dropped + unanswered), serviceTime: percentilesMs(g.serviceTime), dlqDepth: dlqAt(iv.at(-1)!),
    };
  }
}

function dlqAt(i: IntervalSnapshot): number | null {
  const queues = (i as { probes?: { queues?: { role: string; visible: number }[] } }).probes?.queues?.filter((q) => q.role === 'dlq') ?? [];
  return queues.length === 0 ? null : Math.max(...queues.map((q) => q.visible));
}
