import type { EndReason, FaultTrigger, RunEvent } from '../../engine/events.js';
import type { IntervalSnapshot } from '../../metrics/interval-snapshot.js';
import type { FigureBound } from '../../metrics/latency-figures.js';
import type { ProbeReadings } from '../../metrics/probe-readings.js';
import type { ThresholdSpec } from '../../metrics/thresholds.js';
import type { RunPlan } from '../../scenario/run-plan.js';
import { targetLabel } from '../../targets/registry.js';
import { pushBounded } from './sparkline.js';
import { historyOf } from './live-history.js';
import { copyInterval, riskOf, shardCells } from './live-figures.js';

/**
 * The live view's state: plain, JSON-serializable data, bounded in size (series keep the last
 * SPARK_POINTS values, history the last HISTORY_LINES lines; everything else is bounded by the
 * plan: its phases, faults, thresholds, the target's shards). Times are run time in ms (the
 * events' `tMs`, an interval's `endMs`), rates per second, latencies in ms.
 */
export interface LiveState {
  name: string;
  /** A short description of the target, e.g. "http https://host/…" (masked by the plan). */
  target: string;
  intervalMs: number;
  phases: { name: string; kind: string; durationMs: number }[];
  /** Sum of the phases' durations, ms. */
  totalMs: number;
  /** The current phase; `pausedBeforeMs`: the paused time before it started (see pausedTotalMs). */
  phase: { index: number; name: string; kind: string; startMs: number; pausedBeforeMs: number } | null;
  /** Run time of the latest event, ms. */
  nowMs: number;
  paused: { sinceMs: number } | null;
  /** Paused time of the pauses that ended, ms. */
  pausedMs: number;
  /** The schedule's pace relative to the plan (rate events); 1: as planned. */
  pace: number;
  draining: boolean;
  ended: EndReason | null;
  /** A guardrail broke (a breach with `aborts`, or the end reason). */
  aborted: boolean;
  last: LastInterval | null;
  /** Since the run's start: dropped arrivals, failed completions by class. */
  totals: { dropped: number; errors: Record<string, number> };
  /** Last SPARK_POINTS intervals: achieved rate (/s) and p99 from the intended time (ms; null: none or never answered). */
  spark: { achieved: (number | null)[]; p99: (number | null)[] };
  /** Run time of the latest `generator-behind` warning, ms. */
  behindAtMs: number | null;
  /** The plan's faults in order; `key`: "1".."9" for the first nine, null after. */
  faults: LiveFault[];
  active: ActiveFault[];
  /** Names of the faults started at some point. */
  started: string[];
  thresholds: LiveThreshold[];
  pipeline: LivePipeline;
  /** Per-shard load of the last interval (Kinesis); empty for a target without shards. */
  shards: ShardCell[];
  history: HistoryLine[];
  /** Per warning code: when it last got a history line, and how many of it were held back since (see WARNING_REPEAT_MS). */
  warned: Record<string, { atMs: number; held: number }>;
  /** Lines ever added to the history (the last line's seq). */
  historySeq: number;
  notice: { text: string; atMs: number } | null;
  mode: LiveMode;
  size: { columns: number; rows: number };
}

export type LiveMode = 'main' | 'faults' | 'help';

/** What the facade dispatches besides the run's events. `ui-notice`: why a key does not apply. */
export type LiveAction =
  | { type: 'ui-mode'; mode: LiveMode }
  | { type: 'ui-notice'; text: string }
  | { type: 'ui-size'; columns: number; rows: number };

/** A latency figure (ms) and how it is known (≥ for `atLeast`). */
export interface Figure { value: number | null; bound: FigureBound }

/** Numbers copied from the last interval snapshot (rates per second, latencies in ms). */
export interface LastInterval {
  index: number;
  endMs: number;
  targetRate: number;
  achievedRate: number;
  answeredRate: number;
  inFlight: number;
  awaitingConnection: number;
  dropped: number;
  p50: Figure;
  p99: Figure;
  p999: Figure;
  serviceP99Ms: number | null;
  lagP99Ms: number | null;
  eventLoopLagMs: number;
}

export interface LiveFault { name: string; kind: string; atMs: number | null; forMs: number | null; key: string | null }
export interface ActiveFault { name: string; kind: string; sinceMs: number; by: FaultTrigger }

/** `risk`: from the last interval's figure — 'at-risk' near or past the bound on the bad side; null: not computable. */
export interface LiveThreshold {
  source: string;
  metric: string;
  op: ThresholdSpec['op'];
  value: number;
  windowMs: number | null;
  guardrail: boolean;
  breached: boolean;
  everBreached: boolean;
  risk: 'at-risk' | 'ok' | null;
  /** The last interval's figure (ms, or a ratio 0..1 for rates). */
  lastActual: number | null;
}

/** What the probes read last; null where they read nothing. */
export interface LivePipeline {
  dlqDepth: number | null;
  delivery: { lost: number; duplicated: number; reordered: number; lagMs: number | null; e2eP99Ms: number | null } | null;
  /** Oldest stream shard iterator age, ms. */
  iteratorAgeMs: number | null;
  blockedShards: number;
}

/** `share`: of the interval's records (0..1); `hot`: over 1.5 × the mean share, or throttled. */
export interface ShardCell { id: string; records: number; throttled: number; share: number; hot: boolean }

export interface HistoryLine { seq: number; tMs: number; text: string; tone: 'info' | 'warn' | 'bad' | 'good' }

export const SPARK_POINTS = 60;
/** A warning repeated within this many ms of the last line for its code is counted, not printed (a saturated generator warns every interval). */
export const WARNING_REPEAT_MS = 30_000;
export const HISTORY_LINES = 200;
/** A `generator-behind` warning saturates the view for this long, ms of run time. */
export const BEHIND_WINDOW_MS = 5_000;
/** Schedule lag p99 at or over this (ms) in the last interval: the generator is saturated. */
export const SATURATED_LAG_MS = 100;

export function initialLiveState(): LiveState {
  return {
    name: '', target: '', intervalMs: 1000, phases: [], totalMs: 0, phase: null, nowMs: 0, paused: null, pausedMs: 0, pace: 1,
    draining: false, ended: null, aborted: false, last: null, totals: { dropped: 0, errors: {} }, spark: { achieved: [], p99: [] },
    behindAtMs: null, faults: [], active: [], started: [], thresholds: [], shards: [], history: [], warned: {}, historySeq: 0, notice: null,
    pipeline: { dlqDepth: null, delivery: null, iteratorAgeMs: null, blockedShards: 0 }, mode: 'main', size: { columns: 100, rows: 40 },
  };
}

/** Pure: the state after one run event or UI action; O(size of the event + the bounded series). */
export function reduceLive(state: LiveState, input: RunEvent | LiveAction): LiveState {
  switch (input.type) {
    case 'ui-mode': return { ...state, mode: input.mode };
    case 'ui-notice': return { ...state, notice: { text: input.text, atMs: state.nowMs } };
    case 'ui-size': return { ...state, size: { columns: Math.max(20, Math.floor(input.columns)), rows: Math.max(5, Math.floor(input.rows)) } };
    case 'start': return withHistory(fromPlan(state, input.plan), 0, `run ${input.plan.name} started`, 'info');
    case 'interval': return onInterval(state, input.snapshot, input.probes);
    case 'drain': return { ...withHistory(state, input.tMs, 'draining: the load ended, reading the pipeline', 'info', !state.draining), nowMs: input.tMs, draining: true, pipeline: pipelineOf(state.pipeline, input.probes) };
    case 'delivery': {
      const t = input.totals;
      const delivery = { lost: t.lost, duplicated: t.duplicated, reordered: t.reordered, lagMs: state.pipeline.delivery?.lagMs ?? null, e2eP99Ms: t.e2eLatency.p99 };
      return { ...state, nowMs: Math.max(state.nowMs, input.tMs), pipeline: { ...state.pipeline, delivery } };
    }
    case 'pause': return { ...withHistory(state, input.tMs, 'load paused (manual)', 'warn'), nowMs: input.tMs, paused: { sinceMs: input.tMs } };
    case 'resume': return { ...withHistory(state, input.tMs, `load resumed after ${(input.pausedMs / 1000).toFixed(1)} s`, 'info'), nowMs: input.tMs, paused: null, pausedMs: state.pausedMs + input.pausedMs };
    case 'rate': return { ...withHistory(state, input.tMs, `pace ×${input.factor.toFixed(2)} of the plan (manual)`, 'info'), nowMs: input.tMs, pace: input.factor };
    case 'end': return { ...withHistory(state, input.tMs, `run ended: ${input.reason}`, input.reason === 'completed' ? 'info' : 'bad'), nowMs: input.tMs, ended: input.reason, paused: null, aborted: state.aborted || input.reason === 'aborted' };
    default: return onTimeline(state, input);
  }
}

/** Phase, warning, fault and threshold events: a history line and their part of the state. */
function onTimeline(state: LiveState, e: Exclude<RunEvent, { type: 'start' | 'interval' | 'drain' | 'delivery' | 'pause' | 'resume' | 'rate' | 'end' }>): LiveState {
  if (e.type === 'fault-effects' || e.type === 'cold-start-tax') return state;
  const h = historyOf(e);
  const w = e.type === 'warning' ? warningLine(state, e.code, e.tMs, h.text) : null;
  const text = w ? w.text : h.text;
  const next: LiveState = { ...withHistory(state, e.tMs, text, h.tone, text !== ''), nowMs: Math.max(state.nowMs, e.tMs) };
  if (w && e.type === 'warning') next.warned = { ...state.warned, [e.code]: w.warned };
  switch (e.type) {
    case 'phase': next.phase = { index: e.index, name: e.name, kind: e.kind, startMs: e.tMs, pausedBeforeMs: pausedTotalMs(state) }; break;
    case 'warning': if (e.code === 'generator-behind') next.behindAtMs = e.tMs; break;
    case 'fault-start':
      next.active = [...state.active.filter((f) => f.name !== e.name), { name: e.name, kind: e.kind, sinceMs: e.tMs, by: e.by }];
      if (!state.started.includes(e.name)) next.started = [...state.started, e.name];
      break;
    case 'fault-stop': next.active = state.active.filter((f) => f.name !== e.name); break;
    case 'threshold': {
      const t = state.thresholds[e.index];
      if (!t) break;
      const breached = e.state === 'final' ? e.pass === false : e.state === 'breach';
      next.thresholds = state.thresholds.map((x, i) => (i === e.index ? { ...x, breached, everBreached: x.everBreached || breached } : x));
      if (e.state === 'breach' && e.aborts) next.aborted = true;
      break;
    }
  }
  return next;
}

function fromPlan(state: LiveState, plan: RunPlan): LiveState {
  const phases = plan.phases.map((p) => ({ name: p.name, kind: p.kind, durationMs: p.durationMs }));
  const first = phases[0];
  return {
    ...state, name: plan.name, target: describeTarget(plan.target), intervalMs: plan.engine.intervalMs, phases,
    totalMs: phases.reduce((a, p) => a + p.durationMs, 0),
    phase: first ? { index: 0, name: first.name, kind: first.kind, startMs: 0, pausedBeforeMs: 0 } : null,
    faults: plan.faults.map((f, i) => ({ name: f.name, kind: f.kind, atMs: f.atMs, forMs: f.forMs, key: i < 9 ? String(i + 1) : null })),
    thresholds: plan.thresholds.map((t) => ({
      source: t.source, metric: t.metric, op: t.op, value: t.value, windowMs: t.windowMs ?? null, guardrail: t.abortOnFail === true,
      breached: false, everBreached: false, risk: null, lastActual: null,
    })),
  };
}

function describeTarget(target: RunPlan['target']): string {
  try {
    return targetLabel(target);
  } catch {
    return target.kind;
  }
}

function onInterval(state: LiveState, s: IntervalSnapshot, probes: ProbeReadings | undefined): LiveState {
  const last = copyInterval(s);
  const errors = { ...state.totals.errors };
  for (const [k, v] of Object.entries(s.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    ...state,
    nowMs: Math.max(state.nowMs, s.endMs),
    last,
    totals: { dropped: state.totals.dropped + s.counts.dropped, errors },
    spark: {
      achieved: pushBounded(state.spark.achieved, s.achievedRate, SPARK_POINTS),
      p99: pushBounded(state.spark.p99, last.p99.bound === 'never' ? null : last.p99.value, SPARK_POINTS),
    },
    thresholds: state.thresholds.map((t) => ({ ...t, ...riskOf(t, s) })),
    shards: s.shards ? shardCells(s.shards) : state.shards,
    pipeline: probes ? pipelineOf(state.pipeline, probes) : state.pipeline,
  };
}

function pipelineOf(prev: LivePipeline, p: ProbeReadings): LivePipeline {
  const dlqs = (p.queues ?? []).filter((q) => q.role === 'dlq');
  const d = p.delivery;
  const ages = p.shards ?? [];
  return {
    dlqDepth: dlqs.length ? dlqs.reduce((a, q) => a + q.visible + q.notVisible + q.delayed, 0) : prev.dlqDepth,
    delivery: d ? { lost: d.lost, duplicated: d.duplicated, reordered: d.reordered, lagMs: d.lagMs, e2eP99Ms: d.e2eP99Ms ?? null } : prev.delivery,
    iteratorAgeMs: ages.length ? Math.max(...ages.map((a) => a.iteratorAgeMs)) : prev.iteratorAgeMs,
    blockedShards: ages.length ? ages.filter((a) => a.blocked).length : prev.blockedShards,
  };
}

/** Appends a history line (when `add`), keeping the last HISTORY_LINES. */
/** A warning's history text ('' to hold it back as a repeat) and its code's new count. */
function warningLine(state: LiveState, code: string, tMs: number, text: string): { text: string; warned: { atMs: number; held: number } } {
  const prev = state.warned[code];
  if (prev && tMs - prev.atMs < WARNING_REPEAT_MS) return { text: '', warned: { atMs: prev.atMs, held: prev.held + 1 } };
  const more = prev && prev.held > 0 ? ` (${prev.held} more like it held back since ${(prev.atMs / 1000).toFixed(1)} s)` : '';
  return { text: text + more, warned: { atMs: tMs, held: 0 } };
}

function withHistory(state: LiveState, tMs: number, text: string, tone: HistoryLine['tone'], add = true): LiveState {
  if (!add) return state;
  const seq = state.historySeq + 1;
  return { ...state, historySeq: seq, history: pushBounded(state.history, { seq, tMs, text, tone }, HISTORY_LINES) };
}

/** Paused time so far, ms: ended pauses plus the current one. */
export function pausedTotalMs(s: LiveState): number {
  return s.pausedMs + (s.paused ? Math.max(0, s.nowMs - s.paused.sinceMs) : 0);
}

/** Saturated: schedule lag p99 ≥ SATURATED_LAG_MS in the last interval, or a generator-behind warning in the last BEHIND_WINDOW_MS. */
export function isSaturated(s: LiveState): boolean {
  if (s.last?.lagP99Ms != null && s.last.lagP99Ms >= SATURATED_LAG_MS) return true;
  return s.behindAtMs !== null && s.nowMs - s.behindAtMs <= BEHIND_WINDOW_MS;
}

/** History lines after `seq` (for an append-only list fed to ink's <Static>). */
export function historyAfter(s: LiveState, seq: number): HistoryLine[] {
  return s.history.filter((l) => l.seq > seq);
}
