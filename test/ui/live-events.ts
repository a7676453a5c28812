import type { RunEvent } from '../../src/engine/events.js';
import type { IntervalSnapshot, ShardLoad } from '../../src/metrics/interval-snapshot.js';
import type { LatencyFigures } from '../../src/metrics/latency-figures.js';
import type { Percentiles } from '../../src/metrics/histogram.js';
import type { ProbeReadings } from '../../src/metrics/probe-readings.js';
import type { ThresholdSpec } from '../../src/metrics/thresholds.js';
import type { FaultConfig } from '../../src/scenario/faults-schema.js';
import type { RunPlan } from '../../src/scenario/run-plan.js';
import { initialLiveState, reduceLive, type LiveAction, type LiveState } from '../../src/ui/live/live-state.js';

/** Small factories of realistic run events for the live view's tests. */

const AT = '2025-01-01T00:00:00.000Z';

export function fault(name: string, kind: FaultConfig['kind'], atMs: number | null, forMs: number | null = null): FaultConfig {
  return { name, kind, atMs, forMs, select: { by: 'all' } } as FaultConfig;
}

export function threshold(source: string, metric: string, op: ThresholdSpec['op'], value: number, extra: Partial<ThresholdSpec> = {}): ThresholdSpec {
  return { source, metric, op, value, ...extra };
}

export function plan(over: Partial<RunPlan> = {}): RunPlan {
  return {
    name: 'gameday', description: '', seed: 1, fleet: {} as RunPlan['fleet'], rateSource: 'phases',
    phases: [
      { kind: 'ramp', name: 'warm', durationMs: 30_000, from: 10, to: 100 },
      { kind: 'constant', name: 'steady', durationMs: 60_000, rate: 100 },
      { kind: 'spike', name: 'rush', durationMs: 30_000, base: 100, peak: 500, atMs: 10_000, forMs: 5_000 },
    ],
    target: { kind: 'http', url: 'https://api.example.com/ingest' } as unknown as RunPlan['target'],
    thresholds: [threshold('p99 < 250ms', 'p99', '<', 250), threshold('error_rate < 1%', 'error_rate', '<', 0.01, { abortOnFail: true })],
    engine: { maxInFlight: 1000, intervalMs: 1000, warmupRequests: 10, drainTimeoutMs: 5000 },
    probes: {} as RunPlan['probes'],
    faults: [fault('poison-0', 'poison', 10_000, 20_000), fault('storm-1', 'connection-storm', 70_000), fault('dup-2', 'duplicate', null)],
    ...over,
  };
}

export function start(p: RunPlan = plan()): RunEvent {
  return {
    type: 'start', at: AT, startEpochMs: 0, plan: p,
    warmup: { requests: 10, ok: 10, failed: 0, answered: 10, unanswered: 0, errors: {}, durationMs: 200, gaveUp: false },
  };
}

function pct(p50: number | null, p99: number | null, p999: number | null = p99): Percentiles {
  return { count: 100, p50, p75: p50, p90: p99, p95: p99, p99, p999, max: p999, mean: p50 };
}

export interface IntervalOpts {
  rate?: number; achieved?: number; p50?: number; p99?: number | null; p999?: number; atLeast?: ('p99' | 'p999')[]; lagP99?: number;
  serviceP99?: number; ok?: number; failed?: number; dropped?: number; errors?: Record<string, number>; inFlight?: number; awaiting?: number;
  shards?: ShardLoad[]; probes?: ProbeReadings; phase?: string;
}

/** The interval ending at (i + 1) s. */
export function interval(i: number, o: IntervalOpts = {}): RunEvent {
  const rate = o.rate ?? 100;
  const ok = o.ok ?? rate;
  const failed = o.failed ?? 0;
  const latency: LatencyFigures = { ...pct(o.p50 ?? 12, o.p99 ?? 80, o.p999 ?? 120), censored: (o.atLeast ?? []).length > 0, atLeast: o.atLeast ?? [], never: [], recorded: ok + failed, waiting: 0, neverAnswered: 0 };
  const snapshot: IntervalSnapshot = {
    index: i, startMs: i * 1000, endMs: (i + 1) * 1000, phase: o.phase ?? 'steady',
    counts: { due: rate, sent: rate, written: rate, completed: ok + failed, answered: ok + failed, unanswered: 0, ok, failed, dropped: o.dropped ?? 0 },
    errors: o.errors ?? {}, outcomes: [], inFlight: o.inFlight ?? 20, awaitingConnection: o.awaiting ?? 0,
    targetRate: rate, achievedRate: o.achieved ?? rate, answeredRate: o.achieved ?? rate,
    latency, serviceTime: pct(8, o.serviceP99 ?? 40), scheduleLag: pct(0.2, o.lagP99 ?? 1),
    eventLoopLagMs: 3, slowest: [], ...(o.shards ? { shards: o.shards } : {}),
  };
  return { type: 'interval', at: AT, snapshot, histograms: {} as never, ...(o.probes ? { probes: o.probes } : {}) };
}

export const phase = (tMs: number, index: number, name: string, kind: string): RunEvent => ({ type: 'phase', at: AT, tMs, index, name, kind });
export const warning = (tMs: number, code: 'generator-behind' | 'in-flight-cap', message = `${code}!`): RunEvent => ({ type: 'warning', at: AT, tMs, code, message });
export const faultStart = (tMs: number, name: string, by: 'schedule' | 'manual' = 'schedule', kind = 'poison'): RunEvent => ({ type: 'fault-start', at: AT, tMs, name, kind, by });
export const faultStop = (tMs: number, name: string, activeMs: number, by: 'schedule' | 'manual' = 'schedule'): RunEvent => ({ type: 'fault-stop', at: AT, tMs, name, kind: 'poison', by, activeMs });
export const pause = (tMs: number): RunEvent => ({ type: 'pause', at: AT, tMs, by: 'manual' });
export const resume = (tMs: number, pausedMs: number): RunEvent => ({ type: 'resume', at: AT, tMs, by: 'manual', pausedMs });
export const rate = (tMs: number, factor: number): RunEvent => ({ type: 'rate', at: AT, tMs, by: 'manual', factor });
export const end = (tMs: number, reason: 'completed' | 'interrupted' | 'aborted'): RunEvent => ({
  type: 'end', at: AT, tMs, reason, totals: { due: 0, sent: 0, written: 0, completed: 0, answered: 0, unanswered: 0, ok: 0, failed: 0, dropped: 0 }, errors: {}, unfinished: 0, generatorCpuMs: 0,
});

export function breach(tMs: number, index: number, source: string, metric: string, actual: number, state: 'breach' | 'recovery' = 'breach', aborts = false): RunEvent {
  return { type: 'threshold', at: AT, tMs, state, index, source, metric, op: '<', value: 0, windowMs: null, windowStartMs: 0, windowEndMs: tMs, actual, bound: 'exact', ...(aborts ? { aborts } : {}) };
}

export function shards(records: number[], throttled: number[] = []): ShardLoad[] {
  return records.map((r, i) => ({ id: `shardId-00000000000${i}`, records: r, bytes: r * 200, throttled: throttled[i] ?? 0 }));
}

export function run(events: (RunEvent | LiveAction)[], from: LiveState = initialLiveState()): LiveState {
  return events.reduce(reduceLive, from);
}

/** `n` steady intervals starting at index `from`. */
export function intervals(n: number, from = 0, o: IntervalOpts = {}): RunEvent[] {
  return Array.from({ length: n }, (_, k) => interval(from + k, o));
}
