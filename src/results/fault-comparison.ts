import { round3, type Histogram, type Percentiles } from '../metrics/histogram.js';
import type { Counts } from '../metrics/interval-snapshot.js';
import type { QueueDepth } from '../metrics/probe-readings.js';
import { formatMs } from '../util/units.js';
import { sideFigures } from './fault-side-figures.js';
import { count } from './verdict.js';

/**
 * What a fault did to the pipeline: the run's figures before the fault started against those
 * while it was active, from the journal's intervals (pure, no I/O). Works for any fault: poison,
 * schema drift, storms, ….
 *
 * Sides, each a set of whole intervals of the load (drain ticks are not part of either):
 * - `before`: intervals that ENDED at or before the fault's start, in which NO fault was active
 *   (the interval's `faults` is empty: not this one from an earlier stretch, not any other), that
 *   start at or after `warmupExcludeMs`. Walking back from the start, fault-active intervals are
 *   skipped, and the walk stops once the collected intervals span `lookbackMs` (default
 *   BEFORE_LOOKBACK_MS, 60 s): a long run compares the last minute before the fault, like with
 *   like, not the whole run.
 * - `during`: intervals that overlap the active stretch [startMs, stoppedMs) — the timeline's own
 *   rule for an interval's `faults` — or, without a stop, every interval that ends after the start
 *   (to the end of the load). An interval the fault started or stopped in is in `during` whole.
 *
 * Figures per side: span, arrivals due, completions, failures, drops; error rate = failed /
 * completed (Counts.completed = ok + failed; drops are not completions); the top error classes;
 * DLQ growth (below); request latency and end-to-end latency p50/p99 (below).
 *
 * DLQ growth: the change of the visible depth of every queue with role `dlq` (summed; a queue is
 * matched by name) from the previous interval's close to each side interval's close, summed over
 * the side; per second over the intervals whose change was measurable. An interval without a
 * reading (or whose previous interval had none — the run's first interval has no reading before
 * it) adds nothing; a side with no measurable interval has `dlq: null`. Net change: it goes
 * negative when the DLQ is drained or redriven.
 *
 * Latency: exact when the caller passes the side's merged histograms (`opts.histograms`): the
 * journal holds none — the intervals' latency and end-to-end histograms are in latency.hlog
 * (tags of the latency series and `e2e`). Without them they are estimated from the intervals'
 * own figures (`exact: false`): p99 is the worst interval's p99 (an upper bound of the side's
 * p99), p50 the median of the intervals' p50 weighted by their counts; the end-to-end p99 is the
 * worst interval's `probes.delivery.e2eP99Ms` (messages first seen in that interval), p50 unknown.
 */

/** How far back `before` reaches by default, ms of fault-free intervals. */
export const BEFORE_LOOKBACK_MS = 60_000;
/** The error rate rose by this many percentage points or more: worse. */
export const ERROR_RATE_WORSE_PP = 1;
/** The DLQ grew during at this many times its growth rate before (when it grew before too): worse. */
export const DLQ_RATE_WORSE_RATIO = 2;
/** A p99 (request or end-to-end) during at this many times the one before: worse. */
export const P99_WORSE_RATIO = 2;

/** What the comparison reads of an interval: a journal interval fits (IntervalSnapshot plus the `probes` the writer adds). */
export interface ComparedInterval {
  startMs: number;
  endMs: number;
  counts: Pick<Counts, 'due' | 'completed' | 'failed' | 'dropped'>;
  errors: Record<string, number>;
  latency: Pick<Percentiles, 'count' | 'p50' | 'p99'>;
  faults?: readonly string[];
  probes?: {
    queues?: readonly Pick<QueueDepth, 'name' | 'role' | 'visible'>[];
    delivery?: { e2eP99Ms?: number | null };
  };
}

/** An active stretch of a fault, ms from the run's start (FaultWindow fits). */
export interface ComparedWindow {
  startMs: number;
  stoppedMs: number | null;
}

/** The side's merged histograms (µs, as the hlog holds them), when the caller read them. */
export interface SideHistograms {
  /** The `latency` series of the side's intervals (recorded values: answers and timeouts). */
  latency?: Histogram;
  /** The `e2e` series of the side's intervals. */
  e2e?: Histogram;
}

export interface CompareOptions {
  /** The fault's name: other faults active during it are listed in `concurrent`. */
  name?: string;
  /** Reach of `before`, ms of fault-free intervals (default BEFORE_LOOKBACK_MS; Infinity: all). */
  lookbackMs?: number;
  /** Intervals starting before this (ms from the run's start) are never part of `before` (a cold start). */
  warmupExcludeMs?: number;
  /** Exact latency from merged histograms; a side without them falls back to the intervals' figures. */
  histograms?: { before?: SideHistograms; during?: SideHistograms };
}

/** p50/p99 in ms; `exact` false: estimated from per-interval figures (p99 an upper bound). */
export interface LatencyPair {
  p50: number | null;
  p99: number | null;
  exact: boolean;
}

export interface DlqGrowth {
  /** Net change of the DLQs' visible depth across the side (messages). */
  growth: number;
  perSec: number;
  /** ms of the intervals whose change was measured. */
  measuredMs: number;
}

export interface SideFigures {
  /** Number of intervals in the side. */
  intervals: number;
  /** Sum of their lengths, ms. */
  spanMs: number;
  /** First interval's start and last interval's end; null for an empty side. */
  startMs: number | null;
  endMs: number | null;
  due: number;
  completed: number;
  failed: number;
  dropped: number;
  /** failed / completed, 0..1; null when nothing completed. */
  errorRate: number | null;
  /** Most frequent failure classes, most first (at most TOP_ERROR_CLASSES). */
  topErrors: { outcome: string; count: number }[];
  /** null without a DLQ reading. */
  dlq: DlqGrowth | null;
  /** Request latency (from the intended time); null without samples. */
  latency: LatencyPair | null;
  /** End-to-end latency (intended time → seen in the output); null without a probe of the output. */
  e2e: LatencyPair | null;
}

export type ComparisonVerdict = 'worse' | 'no-change' | 'no-data';

export interface FaultComparison {
  before: SideFigures;
  during: SideFigures;
  /** Other faults active in some interval of `during` (needs `opts.name`; without it, every fault seen there). */
  concurrent: string[];
  deltas: {
    /** during − before error rate, percentage points. */
    errorRatePp: number | null;
    /** during − before DLQ growth, messages per second. */
    dlqPerSecChange: number | null;
    /** during / before. */
    e2eP99Ratio: number | null;
    latencyP99Ratio: number | null;
  };
  /**
   * `worse` when any of: the error rate rose by ERROR_RATE_WORSE_PP or more; the DLQ grew during
   * and did not before (no reading before counts as no growth: a DLQ should stay at 0), or grew
   * DLQ_RATE_WORSE_RATIO times as fast; a p99 (request or end-to-end) rose P99_WORSE_RATIO times.
   * Otherwise `no-change` when at least one of those could be compared, and `no-data` when none
   * could (nothing during, or no `before` — e.g. a fault from 0 s — and a DLQ that did not grow).
   */
  verdict: ComparisonVerdict;
  /** Why it is worse, e.g. "error rate +9.80 pp"; empty otherwise. */
  reasons: string[];
  /**
   * Errors did not rise (by the rule above; without a baseline: an error rate under
   * ERROR_RATE_WORSE_PP % during) and the DLQ did not grow during (or was not read: see
   * `during.dlq`), with completions during. Latency is not considered. Whether the fault changed
   * any message is for the caller to add.
   */
  silent: boolean;
}

/** The positions (in `journal.intervals`, in order) of each side's intervals. */
export interface FaultSides {
  before: number[];
  during: number[];
}

/** The intervals of each side (see the module's comment). */
export function faultSides(journal: { intervals: readonly ComparedInterval[] }, window: ComparedWindow, opts: Pick<CompareOptions, 'lookbackMs' | 'warmupExcludeMs'> = {}): FaultSides {
  const iv = journal.intervals;
  const lookbackMs = opts.lookbackMs ?? BEFORE_LOOKBACK_MS;
  const warmup = opts.warmupExcludeMs ?? 0;
  const start = window.startMs;
  // a stretch of no length still claims the interval it happened in
  const stop = window.stoppedMs === null ? Infinity : Math.max(window.stoppedMs, start + 1);
  const before: number[] = [];
  const during: number[] = [];
  let span = 0;
  for (let k = iv.length - 1; k >= 0 && span < lookbackMs; k--) {
    const i = iv[k];
    if (i.endMs > start || i.startMs < warmup || (i.faults !== undefined && i.faults.length > 0)) continue;
    before.push(k);
    span += i.endMs - i.startMs;
  }
  before.reverse();
  for (let k = 0; k < iv.length; k++) if (iv[k].startMs < stop && iv[k].endMs > start) during.push(k);
  return { before, during };
}

/** The side an hlog interval belongs to, by its midpoint (ms from the run's start): for merging its histograms. */
export function sideAt(journal: { intervals: readonly ComparedInterval[] }, sides: FaultSides, midMs: number): 'before' | 'during' | null {
  const inside = (ks: number[]) => ks.some((k) => midMs >= journal.intervals[k].startMs && midMs < journal.intervals[k].endMs);
  return inside(sides.during) ? 'during' : inside(sides.before) ? 'before' : null;
}

/** Before against during for one active stretch of a fault (pure). */
export function compareAroundFault(journal: { intervals: readonly ComparedInterval[] }, window: ComparedWindow, opts: CompareOptions = {}): FaultComparison {
  const sides = faultSides(journal, window, opts);
  const before = sideFigures(journal.intervals, sides.before, opts.histograms?.before);
  const during = sideFigures(journal.intervals, sides.during, opts.histograms?.during);
  const concurrent: string[] = [];
  for (const k of sides.during) for (const n of journal.intervals[k].faults ?? []) if (n !== opts.name && !concurrent.includes(n)) concurrent.push(n);

  const errorRatePp = before.errorRate === null || during.errorRate === null ? null : round3((during.errorRate - before.errorRate) * 100);
  const dlqPerSecChange = before.dlq === null || during.dlq === null ? null : round3(during.dlq.perSec - before.dlq.perSec);
  const e2eP99Ratio = ratio(during.e2e?.p99, before.e2e?.p99);
  const latencyP99Ratio = ratio(during.latency?.p99, before.latency?.p99);

  const reasons: string[] = [];
  if (errorRatePp !== null && errorRatePp >= ERROR_RATE_WORSE_PP) reasons.push(`error rate +${errorRatePp.toFixed(2)} pp`);
  const grewDuring = during.dlq !== null && during.dlq.growth > 0;
  const grewBefore = before.dlq !== null && before.dlq.growth > 0;
  if (grewDuring && !grewBefore) reasons.push(`DLQ +${count(during.dlq!.growth)} (none before)`);
  else if (grewDuring && during.dlq!.perSec >= DLQ_RATE_WORSE_RATIO * before.dlq!.perSec) reasons.push(`DLQ growing ${rate(during.dlq!.perSec)}/s (${rate(before.dlq!.perSec)}/s before)`);
  if (e2eP99Ratio !== null && e2eP99Ratio >= P99_WORSE_RATIO) reasons.push(`e2e p99 ×${e2eP99Ratio.toFixed(1)}`);
  if (latencyP99Ratio !== null && latencyP99Ratio >= P99_WORSE_RATIO) reasons.push(`request p99 ×${latencyP99Ratio.toFixed(1)}`);
  const compared = errorRatePp !== null || dlqPerSecChange !== null || e2eP99Ratio !== null || latencyP99Ratio !== null;
  const verdict: ComparisonVerdict = during.intervals === 0 ? 'no-data' : reasons.length > 0 ? 'worse' : compared ? 'no-change' : 'no-data';

  const errorsRose = errorRatePp !== null ? errorRatePp >= ERROR_RATE_WORSE_PP : (during.errorRate ?? 0) * 100 >= ERROR_RATE_WORSE_PP;
  const silent = during.completed > 0 && !errorsRose && !grewDuring;
  return { before, during, concurrent, deltas: { errorRatePp, dlqPerSecChange, e2eP99Ratio, latencyP99Ratio }, verdict, reasons, silent };
}

/**
 * "before 0.00 % errors, DLQ +0, e2e p99 41ms → during 9.80 % errors, DLQ +1,640 (82/s), e2e p99 57ms; worse: …".
 * DLQ and e2e appear when either side has them; request p99 when neither side has an e2e figure.
 * An estimated p99 (no histograms) reads "≤ 57ms"; the verdict follows the semicolon.
 */
export function comparisonLine(c: FaultComparison): string {
  const withDlq = c.before.dlq !== null || c.during.dlq !== null;
  const withE2e = c.before.e2e !== null || c.during.e2e !== null;
  const side = (s: SideFigures) => {
    const parts = [`${s.errorRate === null ? '–' : `${(s.errorRate * 100).toFixed(2)} %`} errors`];
    if (!withE2e) parts.push(`p99 ${p99Text(s.latency)}`);
    if (withDlq) parts.push(`DLQ ${s.dlq === null ? '–' : `${s.dlq.growth >= 0 ? '+' : ''}${count(s.dlq.growth)}${s.dlq.growth !== 0 ? ` (${rate(s.dlq.perSec)}/s)` : ''}`}`);
    if (withE2e) parts.push(`e2e p99 ${p99Text(s.e2e)}`);
    return parts.join(', ');
  };
  const before = c.before.intervals === 0 ? 'before – (no fault-free interval before it)' : `before ${side(c.before)}`;
  const during = c.during.intervals === 0 ? 'during – (no interval)' : `during ${side(c.during)}`;
  const verdict = c.verdict === 'worse' ? `worse: ${c.reasons.join(', ')}` : c.verdict === 'no-change' ? 'no change' : 'nothing to compare';
  return `${before} → ${during}; ${verdict}`;
}

function p99Text(l: LatencyPair | null): string {
  if (l === null || l.p99 === null) return '–';
  return l.exact ? formatMs(l.p99) : `≤ ${formatMs(l.p99)}`;
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined || b <= 0 ? null : round3(a / b);
}


function rate(perSec: number): string {
  return Math.abs(perSec) >= 10 ? Math.round(perSec).toLocaleString('en-US') : perSec.toFixed(1);
}
