import type { SandboxClock } from './clock.js';
import type { DbConnection } from './database.js';
import type { EnvironmentPool, Lease } from './environment-pool.js';
import type { ProcessorParams } from './params.js';
import type { BatchSource, InvocationResult } from './processor.js';
import type { Queue, QueueMessage } from './queue.js';
import { ScalingLimit } from './scaling-limit.js';
import type { Scheduler } from './scheduler.js';

/** The poller's backoff after throttles doubles up to this (ms). */
export const MAX_THROTTLE_BACKOFF_MS = 2000;
/** Most concurrent invocations the poller scales to (AWS: 1,250 for a standard queue). */
export const MAX_POLLER_CONCURRENCY = 1250;

/** The function side of the poller: where batches go. */
export interface BatchConsumer {
  readonly pool: EnvironmentPool<DbConnection>;
  invoke(lease: Lease<DbConnection>, batch: QueueMessage[], source: BatchSource<QueueMessage>): void;
}

/**
 * The event source mapping between the queue and the processor function (like Lambda's SQS
 * poller). It wakes when messages become visible or an invocation ends, then:
 * - with fewer than `batchSize` visible, waits until the oldest has been visible `batchWindow`;
 * - scales out gradually: at most `ScalingLimit` invocations at once (`initialConcurrency`,
 *   growing by `scaleUpRate` while messages wait, up to 1,250); at that limit it waits;
 * - if the function is at its reserved concurrency, counts a throttle and backs off
 *   (`throttleBackoff`, doubling per throttle in a row, up to 2 s); nothing is received, so a
 *   throttle never costs a message a receive;
 * - else receives a batch and invokes, and repeats while messages and concurrency remain.
 * It also runs the queue's visibility timeouts: one scheduler entry for the earliest one.
 * When an invocation ends (`settled`): all valid → the batch is deleted; else it stays in flight
 * and comes back after the visibility timeout (so messages already written are written again:
 * duplicates), or with `reportBatchItemFailures` only the failed message and those after it.
 */
export class QueuePoller implements BatchSource<QueueMessage> {
  private pumpAt = Infinity;
  private backoffMs = 0;
  private backoffUntil = 0;
  private expiryAt = Infinity;
  private closed = false;
  private readonly scaling: ScalingLimit;

  constructor(
    private readonly params: ProcessorParams,
    private readonly queue: Queue,
    private readonly consumer: BatchConsumer,
    private readonly scheduler: Scheduler,
    private readonly clock: SandboxClock,
  ) {
    const p = params;
    // The poller does not know the function's reserved concurrency: past it, invocations throttle.
    this.scaling = new ScalingLimit(p.initialConcurrency, p.scaleUpRate, MAX_POLLER_CONCURRENCY, p.idleTimeout, clock.now());
  }

  /** The poller's current scaling limit (concurrent invocations). */
  get scalingLimit(): number {
    return this.scaling.current;
  }

  /** Messages may have become visible, or concurrency freed: poll when the rules allow. */
  notify(): void {
    const now = this.clock.now();
    this.scaling.active(now);
    const head = this.queue.peekVisible();
    if (!head || this.closed) return;
    let at = now;
    if (this.queue.visible < this.params.batchSize) at = Math.max(at, head.visibleSince + this.params.batchWindow);
    this.schedulePump(Math.max(at, this.backoffUntil));
  }

  close(): void {
    this.closed = true;
  }

  private schedulePump(at: number): void {
    if (at >= this.pumpAt) return;
    this.pumpAt = at;
    this.scheduler.at(at, () => {
      if (this.pumpAt !== at) return; // superseded by an earlier pump
      this.pumpAt = Infinity;
      this.pump();
    });
  }

  private pump(): void {
    const now = this.clock.now();
    const { pool } = this.consumer;
    for (let head = this.queue.peekVisible(); head && !this.closed; head = this.queue.peekVisible()) {
      if (this.queue.visible < this.params.batchSize && head.visibleSince + this.params.batchWindow > now) {
        this.schedulePump(head.visibleSince + this.params.batchWindow);
        return;
      }
      if (!this.scaling.allows(pool.inUse(), now)) {
        this.schedulePump(this.scaling.nextStepAt(now));
        return;
      }
      if (pool.atCapacity()) {
        this.throttled(now);
        return;
      }
      this.backoffMs = 0;
      const batch: QueueMessage[] = [];
      if (this.queue.receive(this.params.batchSize, now, batch) === 0) continue; // all moved to the DLQ
      this.watchExpiry();
      this.consumer.invoke(pool.acquire() as Lease<DbConnection>, batch, this);
    }
  }

  settled(batch: QueueMessage[], receipts: number[], r: InvocationResult): void {
    const keep = r.error === '' ? batch.length : this.params.reportBatchItemFailures ? r.valid : 0;
    for (let i = 0; i < batch.length; i++) {
      const msg = batch[i];
      if (i < keep) this.queue.delete(msg, receipts[i]);
      else if (msg.receiveCount === receipts[i]) msg.lastError = i === r.failAt || r.failAt < 0 ? r.error : `batch failed: ${r.error}`;
    }
  }

  private throttled(now: number): void {
    this.consumer.pool.countThrottle();
    this.backoffMs = this.backoffMs === 0 ? this.params.throttleBackoff : Math.min(this.backoffMs * 2, MAX_THROTTLE_BACKOFF_MS);
    this.backoffUntil = now + this.backoffMs;
    this.schedulePump(this.backoffUntil);
  }

  /** Keeps one scheduler entry at the earliest visibility timeout. */
  private watchExpiry(): void {
    const next = this.queue.nextExpiryAt();
    if (next === Infinity || next >= this.expiryAt) return;
    this.expiryAt = next;
    this.scheduler.at(next, () => {
      if (this.expiryAt !== next) return;
      this.expiryAt = Infinity;
      if (this.queue.expire(this.clock.now()) > 0) this.notify();
      this.watchExpiry();
    });
  }
}
