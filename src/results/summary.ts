import { percentilesMs, round3, type Histogram, type Percentiles } from '../metrics/histogram.js';
import type { Counts, SlowRequest } from '../metrics/interval-snapshot.js';
import type { SeriesName } from '../metrics/series.js';
import { evaluateThresholds, type ThresholdResult } from '../metrics/thresholds.js';
import { ExitCode } from '../util/user-error.js';
import type { Journal } from './journal-reader.js';

export const SUMMARY_SCHEMA = 'rushhour.summary/1';

/** summary.json: a stable, documented contract (README "summary.json"). Latencies in ms, rates per second. */
export interface Summary {
  schema: typeof SUMMARY_SCHEMA;
  name: string;
  description: string;
  scenario: string | null;
  seed: number;
  target: string;
  /** completed; interrupted (SIGINT/SIGTERM); incomplete (the process died: rebuilt from the journal). */
  status: 'completed' | 'interrupted' | 'incomplete';
  startedAt: string;
  endedAt: string;
  /** ms from the clock's start (after warm-up) to the end, drain included. */
  durationMs: number;
  /** ms over which arrivals were due (the schedule, or up to the stop). Rates are over this window. */
  windowMs: number;
  /** target: arrivals due per second; achieved: requests put on the wire per second (both over windowMs). */
  rate: { target: number; achieved: number; peakTarget: number };
  counts: Counts & { planned: number; unfinished: number };
  errors: Record<string, number>;
  /** (failed + unfinished) / sent; 0 when nothing was sent. */
  errorRate: number;
  /** dropped / due. */
  dropRate: number;
  latency: Percentiles;
  serviceTime: Percentiles;
  scheduleLag: Percentiles;
  warmup: { requests: number; ok: number; failed: number; durationMs: number };
  /**
   * The generator's own health. cpuMs: CPU of the rushhour process (all threads, no child
   * processes) while the clock ran; cpuUsPerRequest = cpuMs / sent, in µs (null when unknown).
   */
  generator: { maxEventLoopLagMs: number; maxScheduleLagP99Ms: number; warnings: number; cpuMs: number | null; cpuUsPerRequest: number | null };
  slowest: SlowRequest[];
  warnings: { at: string; code: string; message: string }[];
  /** Latency (from the intended time) per phase, ms. */
  phases: { name: string; kind: string; startMs: number; endMs: number; latency: Percentiles }[];
  /** Latency of every non-idle part of the run outside the windows right after idle gaps. */
  baseline: Percentiles;
  /** The first AFTER_GAP_WINDOW_MS after each idle phase (cold starts show here), against the baseline. */
  afterIdleGaps: { gap: string; startMs: number; endMs: number; latency: Percentiles; p99VsBaseline: number | null }[];
  thresholds: ThresholdResult[];
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
  cumulative: Record<SeriesName, Histogram>;
  /** Planned arrivals and duration of the whole schedule, and its peak rate (per s). */
  planned: { arrivals: number; durationMs: number; peakRate: number };
  targetDescription: string;
  windows: WindowFigures;
}

function totalsFromIntervals(journal: Journal): { counts: Counts; errors: Record<string, number> } {
  const counts: Counts = { due: 0, sent: 0, written: 0, completed: 0, ok: 0, failed: 0, dropped: 0 };
  const errors: Record<string, number> = {};
  for (const i of journal.intervals) {
    for (const k of Object.keys(counts) as (keyof Counts)[]) counts[k] += i.counts[k];
    for (const [k, v] of Object.entries(i.errors)) errors[k] = (errors[k] ?? 0) + v;
  }
  return { counts, errors };
}

/** Pure: builds the summary from what the results directory holds. */
export function buildSummary(ctx: SummaryContext): Summary {
  const { journal, cumulative, planned } = ctx;
  const { counts, errors } = totalsFromIntervals(journal);
  const last = journal.intervals.at(-1);
  const durationMs = journal.end?.tMs ?? last?.endMs ?? 0;
  const status = journal.end ? (journal.end.reason === 'interrupted' ? 'interrupted' : 'completed') : 'incomplete';
  const windowMs = status === 'completed' ? planned.durationMs : Math.min(planned.durationMs, durationMs);
  const unfinished = journal.end?.unfinished ?? Math.max(0, counts.sent - counts.completed);
  const secs = Math.max(windowMs, 1) / 1000;
  const latency = percentilesMs(cumulative.latency);
  const serviceTime = percentilesMs(cumulative.serviceTime);
  const scheduleLag = percentilesMs(cumulative.scheduleLag);
  const errorRate = counts.sent === 0 ? 0 : (counts.failed + unfinished) / counts.sent;
  const dropRate = counts.due === 0 ? 0 : counts.dropped / counts.due;
  const rate = { target: round3(counts.due / secs), achieved: round3(counts.written / secs), peakTarget: planned.peakRate };
  const plan = journal.start.plan;
  const thresholds = evaluateThresholds(plan.thresholds, {
    latency, serviceTime, scheduleLag, errorRate, dropRate, achievedRatio: rate.target === 0 ? 1 : rate.achieved / rate.target,
  });
  const passed = thresholds.every((t) => t.pass);
  const exitCode = status !== 'completed' ? ExitCode.interrupted : passed ? ExitCode.ok : ExitCode.thresholdsFailed;
  return {
    schema: SUMMARY_SCHEMA, name: plan.name, description: plan.description, scenario: plan.source ?? null, seed: plan.seed,
    target: ctx.targetDescription, status,
    startedAt: journal.start.at, endedAt: journal.end?.at ?? last?.at ?? journal.start.at, durationMs: round3(durationMs), windowMs: round3(windowMs),
    rate, counts: { planned: planned.arrivals, ...counts, unfinished }, errors,
    errorRate: round6(errorRate), dropRate: round6(dropRate), latency, serviceTime, scheduleLag,
    warmup: journal.start.warmup,
    generator: {
      maxEventLoopLagMs: journal.intervals.reduce((m, i) => Math.max(m, i.eventLoopLagMs), 0),
      maxScheduleLagP99Ms: journal.intervals.reduce((m, i) => Math.max(m, i.scheduleLag.p99), 0),
      warnings: journal.warnings.length,
      cpuMs: journal.end?.generatorCpuMs ?? null,
      cpuUsPerRequest: journal.end?.generatorCpuMs !== undefined && counts.sent > 0 ? round3((journal.end.generatorCpuMs * 1000) / counts.sent) : null,
    },
    slowest: journal.intervals.flatMap((i) => i.slowest).sort((a, b) => b.latencyMs - a.latencyMs).slice(0, 10),
    warnings: journal.warnings.slice(0, 50).map((w) => ({ at: w.at, code: w.code, message: w.message })),
    phases: ctx.windows.phases,
    baseline: ctx.windows.baseline,
    afterIdleGaps: ctx.windows.afterIdleGaps.map((g) => ({ ...g, p99VsBaseline: ctx.windows.baseline.p99 > 0 && g.latency.count > 0 ? round3(g.latency.p99 / ctx.windows.baseline.p99) : null })),
    thresholds, passed, exitCode,
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
