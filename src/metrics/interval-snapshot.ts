import type { Percentiles } from './histogram.js';
import type { LatencyFigures } from './latency-figures.js';
import type { CohortOutcome } from './outcome-ledger.js';

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

/**
 * What happened during one interval (or the whole run): plain integers, no samples. These count
 * events when they happen (a completion in the interval it completes in); the fate of the
 * arrivals DUE in an interval is in IntervalSnapshot.outcomes.
 */
export interface Counts {
  /** Arrivals whose intended time fell in the interval. */
  due: number;
  /** Requests handed to the target. */
  sent: number;
  /** Requests that went on the wire (a connection was free for them). */
  written: number;
  /** Requests that ended with an outcome (ok + failed). */
  completed: number;
  /** Of those, the ones the target answered (any status; a timeout is not an answer). */
  answered: number;
  /** Of those, the ones that failed before any answer (refused, reset, dns, tls, …): never answered. */
  unanswered: number;
  ok: number;
  failed: number;
  /** Arrivals not sent because the in-flight cap was reached: never answered. */
  dropped: number;
}

/**
 * Requests of a target that sends several messages per request (batch calls such as PutRecords),
 * counted when they ended. `records` and `bytes` are what they carried; `retries` how often they
 * (or some of their records) were sent again; failed ones by outcome class in `errors`.
 */
export interface RequestCounts {
  count: number;
  ok: number;
  failed: number;
  retries: number;
  records: number;
  bytes: number;
  errors: Record<string, number>;
}

/**
 * The load one shard (partition) of the target took in an interval: records and bytes it accepted,
 * records it throttled. Only targets that know their shards (kinesis) report it.
 */
export interface ShardLoad {
  id: string;
  records: number;
  bytes: number;
  throttled: number;
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
  /**
   * The fate of the arrivals due in this interval, and of earlier intervals' arrivals whose fate
   * changed during it (a later state of the same index replaces an earlier one; the last state's
   * `pending` is what stayed unfinished).
   */
  outcomes: CohortOutcome[];
  /** Arrivals of the run taken and not answered at the close: sent and not completed, or waiting in the backlog. */
  inFlight: number;
  /** Of those, requests still waiting for a free connection (not on the wire yet). */
  awaitingConnection: number;
  /** Arrivals per second due in this interval (the plan), put on the wire, and answered by the target. */
  targetRate: number;
  achievedRate: number;
  answeredRate: number;
  /**
   * Latency from the intended time of the arrivals resolved in this interval and of those still
   * waiting at its close for a whole interval or more (at the run's last close: all of them),
   * counted at their age (lower bounds); dropped and unanswered ones count as never answered.
   */
  latency: LatencyFigures;
  serviceTime: Percentiles;
  scheduleLag: Percentiles;
  /** Batch calls that ended in the interval; absent for a target that sends one message per request. */
  requests?: RequestCounts;
  /** Per-shard load of the interval; absent for a target without shards. */
  shards?: ShardLoad[];
  /** Names of the faults active at some point of the interval; absent when none was. */
  faults?: string[];
  /** Worst event-loop delay seen in the interval, ms: a saturated generator shows here. */
  eventLoopLagMs: number;
  slowest: SlowRequest[];
}
