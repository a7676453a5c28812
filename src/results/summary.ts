import { faultSummaries, type FaultSummary } from './fault-summary.js';
import type { ColdStartTax } from '../metrics/cold-start-tax.js';
import { percentilesMs, round3, round6, type Histogram, type Percentiles } from '../metrics/histogram.js';
import type { RequestCounts, SlowRequest } from '../metrics/interval-snapshot.js';
import { latencyFigures, type LatencyFigures } from '../metrics/latency-figures.js';
import type { SeriesName } from '../metrics/series.js';
import { evaluateThresholds, type ThresholdResult } from '../metrics/thresholds.js';
import { probeReadingsOf, deliverySummary, queueSummaries, type DeliverySummary, type QueueSummary } from './delivery-summary.js';
import { zeroRequests } from '../engine/counters.js';
import { estimatePlanCost } from '../scenario/describe-plan.js';
import { LIST_PRICES, type CostEstimate } from '../targets/cost.js';
import { actualCost } from '../targets/registry.js';
import { abortingBreach, type Journal } from './journal-reader.js';
import { summarizeShards, withIteratorAges, type ShardSummary } from './shards.js';
import { abortedBy, decideVerdict, type Fate, type Verdict } from './verdict.js';

export const SUMMARY_SCHEMA = 'rushhour.summary/1';

/**
 * summary.json: a stable, documented contract (README "summary.json"). Latencies in ms, rates
 * per second, shares 0..1 of the due arrivals.
 */
export interface Summary {
  schema: typeof SUMMARY_SCHEMA;
  name: string;
  description: string;
  scenario: string | null;
  seed: number;
  target: string;
  /** completed; interrupted (SIGINT/SIGTERM); aborted (a guardrail broke); incomplete (the process died: rebuilt from the journal). */
  status: 'completed' | 'interrupted' | 'incomplete' | 'aborted';
  /** PASS, FAIL, NO THRESHOLDS, INTERRUPTED, ABORTED or INCOMPLETE; `headline` says why, in one sentence. */
  verdict: Verdict;
  headline: string;
  startedAt: string;
  endedAt: string;
  /** ms from the clock's start (after warm-up) to the end, drain included. */
  durationMs: number;
  /** ms over which arrivals were due (the schedule, or up to the stop). Rates are over this window. */
  windowMs: number;
  /** Per second over windowMs: arrivals due; requests put on the wire; answers from the target (any status). */
  rate: { target: number; achieved: number; answered: number; peakTarget: number };
  /**
   * due = ok + failed + dropped + unfinished: every due arrival ends in exactly one of these. sent,
   * written, completed and answered count requests (handed over, on the wire, ended, answered).
   */
  counts: { planned: number; due: number; sent: number; written: number; completed: number; answered: number; ok: number; failed: number; dropped: number; unfinished: number };
  /**
   * Batch calls of a target that sends several messages per request (count, ok, failed and
   * `errors` by class, retries, records and bytes carried); null when each message is its own
   * request (http): then `counts` are the requests too.
   */
  requests: RequestCounts | null;
  /**
   * What the run cost on the target's service at the scenario's prices: the plan's estimate (run
   * and warm-up, before it started), the budget, and the actual units from the batch calls made
   * during the clock; null for targets not billed per use.
   */
  cost: { estimate: CostEstimate | null; budgetUsd: number | null; actual: CostEstimate | null } | null;
  /** Per shard (busiest first): records, bytes, throttled, share, peak records/s and bytes/s, hot and why; null for a target without shards. */
  shards: ShardSummary[] | null;
  /** Each fault of the run: when it was active, by whose hand, what it changed; null without faults. */
  faults: FaultSummary[] | null;
  /** What came out the other end (the probes' output consumer); null when none read it. */
  delivery: DeliverySummary | null;
  /** Queues the probes sampled (the DLQ): peak and final depth; null when none. */
  queues: QueueSummary[] | null;
  /** Failed arrivals by outcome class, e.g. {"5xx": 12, "timeout": 3}; sums to counts.failed. */
  errors: Record<string, number>;
  /** Shares of counts.due (0 when nothing was due): ok, failed, dropped, unfinished (these four sum to 1), answered. */
  okRate: number;
  errorRate: number;
  dropRate: number;
  unfinishedRate: number;
  answeredRate: number;
  /**
   * Latency from the intended time of EVERY due arrival: censored when some had no answer
   * (`atLeast`: lower bounds; `never`: null, decided by arrivals never answered).
   * answeredFraction: the share of due arrivals that got an answer.
   */
  latency: LatencyFigures & { answeredFraction: number };
  serviceTime: Percentiles;
  scheduleLag: Percentiles;
  warmup: Journal['start']['warmup'];
  /**
   * The generator's own health. cpuMs: CPU of the rushhour process (all threads, no child
   * processes) while the clock ran; cpuUsPerRequest = cpuMs / sent, in µs (null when unknown).
   */
  generator: { maxEventLoopLagMs: number; maxScheduleLagP99Ms: number; warnings: number; cpuMs: number | null; cpuUsPerRequest: number | null };
  slowest: SlowRequest[];
  warnings: { at: string; code: string; message: string }[];
  /** Latency (from the intended time) of the answered and timed-out arrivals per phase, ms. */
  phases: { name: string; kind: string; startMs: number; endMs: number; latency: Percentiles }[];
  /** The same for every non-idle part of the run outside the windows right after idle gaps. */
  baseline: Percentiles;
  /**
   * The first AFTER_GAP_WINDOW_MS after each idle phase (cold starts show here), against the
   * baseline; `tax`: the cold-start tax after that gap (first K requests vs the baseline, the
   * requests and ms until back within 1.2× the baseline p99, the sandbox's cold starts meanwhile:
   * src/metrics/cold-start-tax.ts), null when the journal has none (killed run, older journal).
   */
  afterIdleGaps: { gap: string; startMs: number; endMs: number; latency: Percentiles; p99VsBaseline: number | null; tax: ColdStartTax | null }[];
  thresholds: ThresholdResult[];
  /** The verdict is PASS. */
  passed: boolean;
  exitCode: number;
}

/** Latency by window, read from the hlog (see phase-stats.ts). */
export interface WindowFigures {
  phases: Summary['phases'];
  baseline: Percentiles;
  afterIdleGaps: { gap: string; startMs: number; endMs: number; latency: Percentiles }[];
}

export interface SummaryContext {
  journal: Journal;
  /** From the hlog: the cumulative series, and `waiting` of its last interval. */
  cumulative: Record<SeriesName, Histogram>;
  /** Planned arrivals and duration of the whole schedule, and its peak rate (per s). */
  planned: { arrivals: number; durationMs: number; peakRate: number };
  targetDescription: string;
  windows: WindowFigures;
  /** Each windowed threshold's worst window, judged from the journal and the hlog (src/reports/threshold-replay.ts), by index; absent without windowed thresholds (one without its result fails: no data). */
  windowed?: (ThresholdResult | undefined)[];
}

/** The fate of the due arrivals from the journal's outcomes; what is still pending there is unfinished. */
export function fateOf(journal: Journal): Fate {
  const f: Fate = { due: 0, ok: 0, failed: 0, dropped: 0, unfinished: 0, errors: {} };
  for (const o of journal.outcomes) {
    f.due += o.due;
    f.ok += o.ok;
    f.failed += o.failed;
    f.dropped += o.dropped;
    f.unfinished += o.pending;
    for (const [k, v] of Object.entries(o.errors)) f.errors[k] = (f.errors[k] ?? 0) + v;
  }
  return f;
}

/** Requests, as the intervals counted them when they happened. */
function requestTotals(journal: Journal) {
  const t = { sent: 0, written: 0, completed: 0, answered: 0, unanswered: 0 };
  for (const i of journal.intervals) {
    t.sent += i.counts.sent;
    t.written += i.counts.written;
    t.completed += i.counts.completed;
    // journals older than `answered` count every completion that was not a failure before an answer
    t.answered += i.counts.answered ?? i.counts.ok;
    t.unanswered += i.counts.unanswered ?? 0;
  }
  return t;
}

/** The batch calls the intervals recorded, or null when the target reported none. */
function batchRequests(journal: Journal): RequestCounts | null {
  const withRequests = journal.intervals.filter((i) => i.requests !== undefined);
  if (withRequests.length === 0) return null;
  const t = zeroRequests();
  for (const { requests: r } of withRequests) {
    t.count += r!.count;
    t.ok += r!.ok;
    t.failed += r!.failed;
    t.retries += r!.retries;
    t.records += r!.records;
    t.bytes += r!.bytes;
    for (const [k, v] of Object.entries(r!.errors)) t.errors[k] = (t.errors[k] ?? 0) + v;
  }
  return t;
}

/** Pure: builds the summary from what the results directory holds. */
export function buildSummary(ctx: SummaryContext): Summary {
  const { journal, cumulative, planned } = ctx;
  const fate = fateOf(journal);
  const req = requestTotals(journal);
  const last = journal.intervals.at(-1);
  const durationMs = journal.end?.tMs ?? last?.endMs ?? 0;
  const status = journal.end ? (journal.end.reason === 'completed' ? 'completed' : journal.end.reason) : 'incomplete';
  const windowMs = status === 'completed' ? planned.durationMs : Math.min(planned.durationMs, durationMs);
  const secs = Math.max(windowMs, 1) / 1000;
  const shareOf = (n: number) => (fate.due === 0 ? 0 : round6(n / fate.due));
  const latency = { ...latencyFigures(cumulative.latency, cumulative.waiting, fate.dropped + req.unanswered), answeredFraction: shareOf(req.answered) };
  const serviceTime = percentilesMs(cumulative.serviceTime);
  const scheduleLag = percentilesMs(cumulative.scheduleLag);
  const rate = { target: round3(fate.due / secs), achieved: round3(req.written / secs), answered: round3(req.answered / secs), peakTarget: planned.peakRate };
  const rates = { okRate: shareOf(fate.ok), errorRate: shareOf(fate.failed), dropRate: shareOf(fate.dropped), unfinishedRate: shareOf(fate.unfinished), answeredRate: shareOf(req.answered) };
  const plan = journal.start.plan;
  const delivery = deliverySummary(journal);
  const queues = queueSummaries(journal);
  const dlqs = queues?.filter((q) => q.role === 'dlq') ?? [];
  const thresholds = evaluateThresholds(plan.thresholds, {
    latency, serviceTime, scheduleLag, ...rates, achievedRatio: rate.target === 0 ? 1 : rate.achieved / rate.target,
    ...(delivery ? { delivery } : {}), ...(dlqs.length ? { dlqPeakDepth: Math.max(...dlqs.map((q) => q.peakDepth)) } : {}), windowed: ctx.windowed,
  });
  const requests = batchRequests(journal);
  const decision = decideVerdict({ status, fate, latency, specs: plan.thresholds, thresholds, ...abortedBy(abortingBreach(journal)) });
  return {
    schema: SUMMARY_SCHEMA, name: plan.name, description: plan.description, scenario: plan.source ?? null, seed: plan.seed,
    target: ctx.targetDescription, status, verdict: decision.verdict, headline: decision.headline,
    startedAt: journal.start.at, endedAt: journal.end?.at ?? last?.at ?? journal.start.at, durationMs: round3(durationMs), windowMs: round3(windowMs),
    rate,
    counts: { planned: planned.arrivals, due: fate.due, sent: req.sent, written: req.written, completed: req.completed, answered: req.answered, ok: fate.ok, failed: fate.failed, dropped: fate.dropped, unfinished: fate.unfinished },
    requests, cost: costSummary(journal, requests, durationMs), faults: faultSummaries(journal), shards: withIteratorAges(summarizeShards(journal.intervals), probeReadingsOf(journal)), delivery, queues, errors: fate.errors, ...rates, latency, serviceTime, scheduleLag,
    warmup: journal.start.warmup,
    generator: {
      maxEventLoopLagMs: journal.intervals.reduce((m, i) => Math.max(m, i.eventLoopLagMs), 0),
      maxScheduleLagP99Ms: journal.intervals.reduce((m, i) => Math.max(m, i.scheduleLag.p99 ?? 0), 0),
      warnings: journal.warnings.length,
      cpuMs: journal.end?.generatorCpuMs ?? null,
      cpuUsPerRequest: journal.end?.generatorCpuMs !== undefined && req.sent > 0 ? round3((journal.end.generatorCpuMs * 1000) / req.sent) : null,
    },
    slowest: journal.slowest,
    warnings: journal.warnings.slice(0, 50).map((w) => ({ at: w.at, code: w.code, message: w.message })),
    phases: ctx.windows.phases,
    baseline: ctx.windows.baseline,
    afterIdleGaps: ctx.windows.afterIdleGaps.map((g) => ({
      ...g, p99VsBaseline: ratio(g.latency.p99, ctx.windows.baseline.p99), tax: journal.coldStartTax?.find((t) => t.gap === g.gap && t.gapEndMs === round3(g.startMs)) ?? null,
    })),
    thresholds, passed: decision.verdict === 'PASS', exitCode: decision.exitCode,
  };
}

function costSummary(journal: Journal, requests: RequestCounts | null, durationMs: number): Summary['cost'] {
  const plan = journal.start.plan;
  const prices = plan.cost?.prices ?? LIST_PRICES;
  const estimate = estimatePlanCost(plan) ?? null;
  const actual = requests ? (actualCost(plan.target, requests, durationMs, prices) ?? null) : null;
  if (!estimate && !actual) return null;
  return { estimate, budgetUsd: plan.cost?.budgetUsd ?? null, actual };
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b <= 0 ? null : round3(a / b);
}
