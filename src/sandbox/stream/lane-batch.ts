import type { InvocationResult } from '../processor.js';
import type { StreamParams } from '../stream-params.js';

/**
 * What a lane of the event source mapping does with a batch that failed, as Lambda's Kinesis
 * mapping does (pure decision logic; the lane applies it):
 * 1. With `reportBatchItemFailures`, the records before the failed one (`failAt`) are
 *    checkpointed: they were written and are not sent again. Without it nothing is: the retry
 *    sends them again (duplicates downstream). A failure of the whole invocation (failAt -1, e.g.
 *    the database refused the connection) checkpoints nothing either way.
 * 2. Then, for what remains:
 *    - `expired`: its oldest record is `maxRecordAge` old or older → given up on;
 *    - `bisect`: with `bisectOnError`, nothing checkpointed and more than one record → split in
 *      two halves, each retried in order (a split is not a retry);
 *    - `exhausted`: `maxRetries` retries of this range were made already → given up on;
 *    - `retry`: invoked again, right away, counted as a retry.
 * With both reportBatchItemFailures and bisectOnError, the checkpoint is the split (AWS:
 * "bisected at the returned sequence number"): the rest is retried, and bisected if it fails again.
 */
export type FailureStep = 'retry' | 'bisect' | 'expired' | 'exhausted';

export type FailurePolicy = Pick<StreamParams, 'reportBatchItemFailures' | 'bisectOnError' | 'maxRetries' | 'maxRecordAge'>;

/** Records at the head of the failed range that are checkpointed (0..failAt). */
export function checkpointAfterFailure(r: Pick<InvocationResult, 'failAt'>, p: Pick<FailurePolicy, 'reportBatchItemFailures'>): number {
  return p.reportBatchItemFailures && r.failAt > 0 ? r.failAt : 0;
}

export interface FailureFacts {
  /** Records left in the range after the checkpoint (>= 1). */
  remaining: number;
  /** Whether step 1 checkpointed any. */
  checkpointed: boolean;
  /** Retries of this range made so far. */
  retries: number;
  /** Age (ms) of the oldest record left. */
  oldestAgeMs: number;
}

export function nextStepAfterFailure(f: FailureFacts, p: FailurePolicy): FailureStep {
  if (p.maxRecordAge !== null && f.oldestAgeMs >= p.maxRecordAge) return 'expired';
  if (p.bisectOnError && !f.checkpointed && f.remaining > 1) return 'bisect';
  if (p.maxRetries !== null && f.retries >= p.maxRetries) return 'exhausted';
  return 'retry';
}

/**
 * The records a lane took for one batch, until each is resolved (written and checkpointed, or
 * given up on). The lane invokes one range `[lo, hi)` of them at a time: the whole batch first;
 * a bisect pushes the end of the first half, so the ranges form a stack of ends, and when a range
 * resolves the next one is the rest of its parent. `retries` counts retries of the current range
 * (a new range, by bisect or by moving on, starts at 0). Holds at most one batch (batchSize).
 */
export class LaneBatch<R> {
  records: R[] = [];
  /** First unresolved record. */
  lo = 0;
  retries = 0;
  /** A range of this batch failed at least once: the lane is blocked until the batch is resolved. */
  failed = false;
  private readonly ends: number[] = [];

  /** Whether records are taken and not all resolved. */
  get active(): boolean {
    return this.ends.length > 0;
  }

  /** End (exclusive) of the current range. */
  get hi(): number {
    return this.ends[this.ends.length - 1];
  }

  /** Records taken and not resolved yet (the current range and those after it). */
  get unresolved(): number {
    return this.active ? this.records.length - this.lo : 0;
  }

  /** The first unresolved record; only while active. */
  get first(): R {
    return this.records[this.lo];
  }

  start(records: R[]): void {
    this.records = records;
    this.lo = 0;
    this.retries = 0;
    this.failed = false;
    this.ends.length = 0;
    if (records.length > 0) this.ends.push(records.length);
  }

  /** The current range, as the array to invoke with. */
  range(): R[] {
    return this.lo === 0 && this.hi === this.records.length ? this.records : this.records.slice(this.lo, this.hi);
  }

  /** The first `n` records of the current range are resolved; resolving it all moves to the next range. */
  resolve(n: number): void {
    this.lo = Math.min(this.lo + n, this.hi);
    if (this.lo < this.hi) return;
    while (this.ends.length > 0 && this.lo >= this.hi) this.ends.pop();
    this.retries = 0;
    if (!this.active) this.start([]);
  }

  /** Splits the current range (of two or more) in halves; the first half, rounded up, is current. */
  bisect(): void {
    const size = this.hi - this.lo;
    if (size < 2) return;
    this.ends.push(this.lo + Math.ceil(size / 2));
    this.retries = 0;
  }
}
