import { percentilesMs, round3, round6, type Histogram } from '../metrics/histogram.js';
import type { ComparedInterval, LatencyPair, SideFigures, SideHistograms } from './fault-comparison.js';

/** Error classes listed per side. */
export const TOP_ERROR_CLASSES = 3;

/**
 * One side of a fault comparison (before it, or while it was active) from the journal's
 * intervals at positions `ks`: counts, the error rate of the completions, the top error classes,
 * the DLQs' growth (messages, and per second over the intervals where a DLQ was read at both
 * closes), and latency — exact from the side's merged histograms when given, else an estimate
 * from the intervals' own percentiles (p99 an upper bound). Pure.
 */
export function sideFigures(iv: readonly ComparedInterval[], ks: number[], hists: SideHistograms | undefined): SideFigures {
  const s: SideFigures = {
    intervals: ks.length, spanMs: 0, startMs: ks.length ? iv[ks[0]].startMs : null, endMs: ks.length ? iv[ks[ks.length - 1]].endMs : null,
    due: 0, completed: 0, failed: 0, dropped: 0, errorRate: null, topErrors: [], dlq: null, latency: null, e2e: null,
  };
  const errors: Record<string, number> = {};
  let dlqGrowth = 0;
  let dlqMs = 0;
  let dlqSeen = false;
  let e2eP99: number | null = null;
  for (const k of ks) {
    const i = iv[k];
    s.spanMs += i.endMs - i.startMs;
    s.due += i.counts.due;
    s.completed += i.counts.completed;
    s.failed += i.counts.failed;
    s.dropped += i.counts.dropped;
    for (const cls in i.errors) errors[cls] = (errors[cls] ?? 0) + i.errors[cls];
    const d = k > 0 ? dlqChange(iv[k - 1], i) : null;
    if (d !== null) {
      dlqSeen = true;
      dlqGrowth += d;
      dlqMs += i.endMs - i.startMs;
    }
    const e = i.probes?.delivery?.e2eP99Ms;
    if (typeof e === 'number' && (e2eP99 === null || e > e2eP99)) e2eP99 = e;
  }
  s.spanMs = round3(s.spanMs);
  if (s.completed > 0) s.errorRate = round6(s.failed / s.completed);
  s.topErrors = Object.entries(errors)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_ERROR_CLASSES)
    .map(([outcome, n]) => ({ outcome, count: n }));
  if (dlqSeen) s.dlq = { growth: dlqGrowth, perSec: dlqMs > 0 ? round3((dlqGrowth * 1000) / dlqMs) : 0, measuredMs: round3(dlqMs) };
  s.latency = hists?.latency ? fromHistogram(hists.latency) : estimatedLatency(iv, ks);
  s.e2e = hists?.e2e ? fromHistogram(hists.e2e) : e2eP99 === null ? null : { p50: null, p99: e2eP99, exact: false };
  return s;
}

/** The change of the DLQs' visible depth from `prev`'s close to `cur`'s; null when no DLQ was read at both. */
function dlqChange(prev: ComparedInterval, cur: ComparedInterval): number | null {
  const now = cur.probes?.queues;
  const then = prev.probes?.queues;
  if (!now || !then) return null;
  let change: number | null = null;
  for (const q of now) {
    if (q.role !== 'dlq') continue;
    const p = then.find((x) => x.name === q.name && x.role === 'dlq');
    if (p) change = (change ?? 0) + q.visible - p.visible;
  }
  return change;
}

function fromHistogram(h: Histogram): LatencyPair | null {
  if (h.totalCount === 0) return null;
  const p = percentilesMs(h);
  return { p50: p.p50, p99: p.p99, exact: true };
}

/** p99: the worst interval's (an upper bound); p50: the count-weighted median of the intervals' p50. */
function estimatedLatency(iv: readonly ComparedInterval[], ks: number[]): LatencyPair | null {
  let p99: number | null = null;
  const p50s: [number, number][] = [];
  let total = 0;
  for (const k of ks) {
    const l = iv[k].latency;
    if (l.p99 !== null && (p99 === null || l.p99 > p99)) p99 = l.p99;
    if (l.p50 !== null && l.count > 0) {
      p50s.push([l.p50, l.count]);
      total += l.count;
    }
  }
  if (p99 === null && p50s.length === 0) return null;
  let p50: number | null = null;
  if (p50s.length > 0) {
    p50s.sort((a, b) => a[0] - b[0]);
    let acc = 0;
    for (const [v, n] of p50s) {
      acc += n;
      if (acc * 2 >= total) {
        p50 = v;
        break;
      }
    }
  }
  return { p50, p99, exact: false };
}
