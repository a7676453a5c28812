import type { Percentiles } from './histogram.js';

/**
 * What the probes read from the pipeline (src/probes), as the run's events carry it: queue
 * depths and the delivery matcher's counts. Lives here, below the engine and the probes, so that
 * both the run's event stream and its consumers (journal, loggers, summary) share one shape.
 */

/** One queue's depth at a sampling instant (SQS's ApproximateNumberOf… attributes; messages). */
export interface QueueDepth {
  /** The queue's name as configured (a URL is masked). */
  name: string;
  /** `dlq`: a dead-letter queue (its depth should stay 0); `queue`: any other. */
  role: 'dlq' | 'queue';
  visible: number;
  notVisible: number;
  delayed: number;
}

/**
 * The matcher's running counts (messages, since the run's start): every accepted message is
 * seen, lost or still pending (accepted = seen + lost + pending); the others are observations.
 */
export interface DeliveryCounts {
  /** The target accepted it (an ok outcome). */
  accepted: number;
  /** First sightings of accepted messages in the pipeline's output. */
  seen: number;
  /** Accepted, not seen, and out of the matcher's window (or the drain ended). */
  lost: number;
  /** Accepted, not seen yet, still in the window. */
  pending: number;
  /** Seen again after a first sighting. */
  duplicated: number;
  /** First seen after a later message of the same vehicle. */
  reordered: number;
  /** Seen but never sent by this run (another producer, or a corrupted id). */
  unexpected: number;
  /** Seen after its window had passed (lost before, or a duplicate: the matcher cannot tell). */
  late: number;
  /** Seen, though its send failed (the pipeline processed it anyway). */
  seenNotAccepted: number;
  /** Ok outcomes that arrived after their seq had left the matcher's window: not matched, not in `accepted`. */
  acceptedAfterWindow: number;
}

/** The delivery matcher's final counts, with end-to-end latency (ms, intended time → seen in the output) and examples. */
export interface DeliveryTotals extends DeliveryCounts {
  /** What read the output (e.g. "sandbox /output"). */
  consumer: string;
  /** Percentiles over every first sighting, ms (null: none seen). */
  e2eLatency: Percentiles;
  /** Up to 20 lost messages. */
  lostExamples: { messageId: string; vehicleId: string; seq: number }[];
}

/** One stream shard's consumer at a sampling instant (Lambda's IteratorAge for that shard). */
export interface ShardAge {
  id: string;
  /** ms since the oldest record the consumer has not processed arrived; 0 when caught up. */
  iteratorAgeMs: number;
  /** A failing batch is being retried: the shard does not move on. */
  blocked: boolean;
}

/** Readings taken at one instant (an interval's close, or a tick of the drain). */
export interface ProbeReadings {
  queues?: QueueDepth[];
  /** Per-shard iterator age of a stream's consumer (the sandbox's kinesis door). */
  shards?: ShardAge[];
  /**
   * Cold starts of the pipeline's functions, counters since the sandbox started (its GET /stats:
   * the ingest function that answers the requests, the processor behind the queue). Only the sandbox has them.
   */
  coldStarts?: { ingest: number; processor: number };
  delivery?: DeliveryCounts & {
    /** ms since the newest message the consumer saw was due (how far the output trails the load); null before any. */
    lagMs: number | null;
    /** p99 of the end-to-end latency of the messages first seen in this interval, ms; null when none (or not known). */
    e2eP99Ms?: number | null;
  };
}

/**
 * What the engine tells the delivery matcher about each arrival n of the run (not the warm-up's):
 * `sent` when it is handed to the target, `accepted` when its outcome is ok. Called on the hot
 * path: implementations must be cheap and allocation-free.
 */
export interface DeliverySink {
  sent(n: number): void;
  accepted(n: number): void;
}
