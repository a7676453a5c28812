import type { Percentiles } from './histogram.js';

/** One of the slowest requests, kept so a trace can be looked up in the pipeline's tracing. */
export interface SlowRequest {
  traceId: string;
  /** Latency from the intended time, ms. */
  latencyMs: number;
  /** Arrival number. */
  n: number;
  /** Offset of the intended time from the run's start, ms. */
  dueMs: number;
  outcome: string;
}

/** Counters of one interval (or of the whole run): plain integers, no samples. */
export interface Counts {
  /** Arrivals whose intended time fell in the interval. */
  due: number;
  /** Requests handed to the target. */
  sent: number;
  /** Requests that went on the wire (a connection was free for them). */
  written: number;
  /** Requests that completed (ok + failed). */
  completed: number;
  ok: number;
  failed: number;
  /** Arrivals not sent because the in-flight cap was reached. */
  dropped: number;
}

/** A snapshot at the close of an interval: what the journal stores and the live views show. */
export interface IntervalSnapshot {
  /** 0-based interval index. */
  index: number;
  /** Interval bounds, ms from the run's start (the clock starts after warm-up). */
  startMs: number;
  endMs: number;
  phase: string;
  counts: Counts;
  /** Failed completions by outcome class (e.g. "5xx", "429", "timeout"). */
  errors: Record<string, number>;
  /** Requests in flight at the close. */
  inFlight: number;
  /** Of those, requests still waiting in the client for a free connection (not on the wire yet). */
  awaitingConnection: number;
  /** Arrivals per second due in this interval (the plan) and put on the wire (what the target was offered). */
  targetRate: number;
  achievedRate: number;
  latency: Percentiles;
  serviceTime: Percentiles;
  scheduleLag: Percentiles;
  /** Worst event-loop delay seen in the interval, ms: a saturated generator shows here. */
  eventLoopLagMs: number;
  slowest: SlowRequest[];
}
