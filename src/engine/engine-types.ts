import type { Pacer } from '../load/pacer.js';
import type { DeliverySink } from '../metrics/probe-readings.js';
import type { RunPlan } from '../scenario/run-plan.js';
import type { Target } from '../targets/target.js';
import type { OutMessage } from '../telemetry/types.js';
import type { Clock } from '../util/clock.js';
import type { Counts, EndReason, WarmupResult } from './events.js';
import type { LagProbe } from './lag-probe.js';
import type { ScheduledFault } from '../metrics/fault-types.js';
import type { TriggerResult } from './timeline.js';

/** The schedule the engine follows: a Pacer over the whole run that also knows its phases. */
export interface EngineSchedule extends Pacer {
  phaseIndexAt(tMs: number): number;
}

/** Turns arrival n into a message; `sentAtMs` is epoch ms. */
export interface MessageSourceLike {
  next(n: number, sentAtMs: number): OutMessage;
}

export interface EngineOptions {
  plan: RunPlan;
  schedule: EngineSchedule;
  source: MessageSourceLike;
  /** A separate source for warm-up messages, so the run's own messages are unaffected. */
  warmupSource: MessageSourceLike;
  target: Target;
  clock?: Clock;
  lagProbe?: LagProbe;
  /**
   * Called with the warm-up's result before the clock starts; it may throw (a UserError: the
   * target is unreachable) to end the run there, before anything is recorded.
   */
  checkWarmup?: (warmup: WarmupResult) => void;
  /** Told of each run arrival sent and accepted, for the end-to-end delivery checks (probes). */
  delivery?: DeliverySink;
  /** The faults the timeline starts and stops (src/faults applies them; the run service wires them). */
  faults?: ScheduledFault[];
  /** Told of every run arrival's completion (never the warm-up's); absent: nothing is called. */
  completions?: CompletionWatch;
}

/**
 * Sees each run arrival end, for results that need single requests rather than interval
 * histograms (a poisoned message's answer, the first requests after an idle gap). Called on the
 * hot path: it must be cheap, must not throw, and should return at once for arrivals it does not
 * follow. Times are ms from the run's start: `dueMs` the intended time, `doneMs` the completion.
 */
export interface CompletionWatch {
  completed(n: number, outcome: string, dueMs: number, doneMs: number): void;
}

export interface EngineResult {
  reason: EndReason;
  startEpochMs: number;
  /** Elapsed ms from the clock's start to the end event. */
  durationMs: number;
  totals: Counts;
  errors: Record<string, number>;
  unfinished: number;
  warmup: WarmupResult;
}

/**
 * What a running run offers its caller: stop (Ctrl-C, the live view's `q`), the load's pace
 * (`p`, `+`, `-`) and the manual faults (`f`, 1–9). Each refusal says why.
 */
export interface RunControl {
  stop(): void;
  pause(): TriggerResult;
  resume(): TriggerResult;
  /** Pace relative to the plan, clamped to 0.1–10. */
  setPace(factor: number): TriggerResult & { pace?: number };
  startFault(name: string): TriggerResult;
  stopFault(name: string): TriggerResult;
}
