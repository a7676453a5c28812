import type { Histogram } from '../metrics/histogram.js';
import type { ColdStartTax } from '../metrics/cold-start-tax.js';
import type { FaultEffect } from '../metrics/fault-types.js';
import type { DeliveryTotals, ProbeReadings } from '../metrics/probe-readings.js';
import type { Counts, IntervalSnapshot } from '../metrics/interval-snapshot.js';
import type { SeriesName } from '../metrics/series.js';
import type { ThresholdEventBody } from '../metrics/threshold-windows.js';
import type { RunPlan } from '../scenario/run-plan.js';

export type { Counts, IntervalSnapshot, SlowRequest } from '../metrics/interval-snapshot.js';
export type { DeliveryTotals } from '../metrics/probe-readings.js';

export type WarningCode = 'generator-behind' | 'in-flight-cap' | 'client-queue' | 'drain-timeout' | 'payload-error';

export type EngineEvent =
  | { type: 'start'; at: string; startEpochMs: number; plan: RunPlan; warmup: WarmupResult }
  | { type: 'phase'; at: string; tMs: number; index: number; name: string; kind: string }
  | { type: 'interval'; at: string; snapshot: IntervalSnapshot; histograms: Record<SeriesName, Histogram>; probes?: ProbeReadings; e2e?: Histogram }
  | { type: 'warning'; at: string; tMs: number; code: WarningCode; message: string }
  | { type: 'fault-start'; at: string; tMs: number; name: string; kind: string; by: FaultTrigger }
  | { type: 'fault-stop'; at: string; tMs: number; name: string; kind: string; by: FaultTrigger; activeMs: number }
  | { type: 'pause'; at: string; tMs: number; by: 'manual' }
  | { type: 'resume'; at: string; tMs: number; by: 'manual'; pausedMs: number }
  | { type: 'rate'; at: string; tMs: number; by: 'manual'; factor: number }
  | { type: 'end'; at: string; tMs: number; reason: EndReason; totals: Counts; errors: Record<string, number>; unfinished: number; generatorCpuMs: number };

/**
 * `pause` / `resume`: the load was paused by hand (no arrival falls due while paused; the
 * schedule resumes where it stopped, so the paused time is not counted as arrivals due);
 * `pausedMs`: how long it was. `rate`: the schedule's pace was nudged by hand; `factor` is the
 * pace from now on relative to the plan (1.1 after one +10 %, 1 back at the plan).
 */

/** completed: the schedule ran out; interrupted: stopped by hand (SIGINT/SIGTERM); aborted: stopped by a guardrail (a threshold with abortOnFail broke). */
export type EndReason = 'completed' | 'interrupted' | 'aborted';

/**
 * Who started or stopped a fault: its schedule (`at`, `for`), a manual trigger, or the run's end
 * or interruption (`interrupted` also when a guardrail aborted the run: the end reason tells them apart).
 */
export type FaultTrigger = 'schedule' | 'manual' | 'end' | 'interrupted';

/**
 * `e2e` (interval, drain): the end-to-end latencies of the messages first seen in that interval,
 * valid only during the call (reset right after); `drain.startMs`..`tMs` is its interval.
 *
 * The run's event stream: the engine's events, and what the run adds around them — the probes'
 * readings while they drain after the load (`drain`, one per interval), and the delivery
 * matcher's final word (`delivery`, before `end`), and what each fault did (`fault-effects`, just
 * before `end`), and the cold-start tax after each idle gap (`cold-start-tax`, just before `end`;
 * src/metrics/cold-start-tax.ts), and the live threshold checker's word at interval closes
 * (`threshold`: a breach or a recovery, right after the interval; each windowed threshold's
 * `final` verdict just before `end`; src/run/threshold-checker.ts). The engine emits none of them; the run service does.
 */
export type RunEvent =
  | EngineEvent
  | { type: 'drain'; at: string; tMs: number; probes: ProbeReadings; startMs: number; e2e?: Histogram }
  | { type: 'delivery'; at: string; tMs: number; drainMs: number; window: number; totals: DeliveryTotals }
  | { type: 'fault-effects'; at: string; tMs: number; effects: FaultEffect[] }
  | { type: 'cold-start-tax'; at: string; tMs: number; taxes: ColdStartTax[] }
  | ({ type: 'threshold'; at: string; tMs: number } & ThresholdEventBody);


/** The warm-up before the clock: closed-loop requests, reported apart from the run's figures. */
export interface WarmupResult {
  /** Requests sent. */
  requests: number;
  ok: number;
  /** Completed with any other outcome; `errors` by class. */
  failed: number;
  /** Got an answer from the target (any status; a timeout is not an answer). */
  answered: number;
  /** Still without an outcome when the warm-up stopped waiting (they finish during the run, uncounted). */
  unanswered: number;
  errors: Record<string, number>;
  durationMs: number;
  /** The warm-up stopped at a bound (no answer in time, or its overall limit) rather than when all requests were done. */
  gaveUp: boolean;
}

/**
 * A consumer of engine events (journal, hlog, loggers, live view). Called synchronously, in
 * order, on the engine's event loop: keep it cheap. `interval.histograms` are only valid during
 * the call (they are reset right after).
 */
export type EventListener = (event: RunEvent) => void;

/** What the engine itself calls: its own events only. */
export type EngineListener = (event: EngineEvent) => void;
