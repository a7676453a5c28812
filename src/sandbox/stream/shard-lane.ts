import type { BatchSource, InvocationResult } from '../processor.js';
import { MAX_THROTTLE_BACKOFF_MS } from '../queue-poller.js';
import { SLACK_MS } from '../scheduler.js';
import { Deque } from '../deque.js';
import { checkpointAfterFailure, LaneBatch, nextStepAfterFailure } from './lane-batch.js';
import type { StreamRecord } from './shard.js';
import type { ShardConsumer } from './shard-consumer.js';

/** First backoff (ms) of a lane after a throttle; it doubles per throttle in a row up to MAX_THROTTLE_BACKOFF_MS. */
export const FIRST_THROTTLE_BACKOFF_MS = 100;
/** Most bytes of Data in one batch (Lambda's 6 MB invocation payload; a batch holds at least one record). */
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;

/**
 * One lane of a shard's event source mapping: the records of the partition keys that hash to
 * it, in order, and at most ONE invocation at a time (with parallelizationFactor 1 the shard is
 * one lane). It works like Lambda's Kinesis poller:
 * - with fewer than `batchSize` records waiting it waits until the oldest has waited
 *   `batchWindow` (ms), then takes up to batchSize (and at most MAX_BATCH_BYTES) into a batch;
 * - records already `maxRecordAge` old when their turn comes are given up on without an attempt;
 * - if the function is at its reserved concurrency it counts a throttle and backs off
 *   (100 ms doubling to 2 s), or until `notify` hands it a freed environment (wake);
 * - on failure the lane does not move on: it retries (right after the failed invocation
 *   ends, no delay), bisects or gives up as lane-batch.ts decides, and is `blocked` until
 *   the whole batch is resolved.
 * No timer per record: one scheduler entry per lane wake-up, with no closure.
 */
export class ShardLane implements BatchSource<StreamRecord> {
  /** Records of this lane not taken into a batch yet, oldest first. */
  readonly queue = new Deque<StreamRecord>(16);
  readonly batch = new LaneBatch<StreamRecord>();
  /** In the stream's list of lanes waiting for an environment. */
  waiting = false;
  private inFlight = false;
  private pumpAt = Infinity;
  private backoffMs = 0;
  private backoffUntil = 0;

  constructor(
    private readonly owner: ShardConsumer,
    readonly index: number,
  ) {}

  /** A failed batch is being retried: the lane does not move on. */
  get blocked(): boolean {
    return this.batch.failed;
  }

  /** Records not processed yet: waiting, or in the current batch. */
  get pending(): number {
    return this.queue.length + this.batch.unresolved;
  }

  /** Arrival (monotonic ms) of the oldest record not processed yet; Infinity when none. */
  oldestArrival(): number {
    if (this.batch.active) return this.batch.first.enqueuedAt;
    const head = this.queue.peek();
    return head ? head.enqueuedAt : Infinity;
  }

  /** A record was pushed on `queue` at `now`: make sure a wake-up is due when its batch may start. */
  added(now: number): void {
    if (!this.inFlight) this.schedulePump(this.wantAt(now));
  }

  /** An environment was freed for this waiting lane: try again now, not at the end of the backoff. */
  wake(now: number): void {
    this.waiting = false;
    this.backoffUntil = 0;
    if (!this.inFlight) this.schedulePump(now);
  }

  /** The scheduler's call: pumps unless a later wake-up superseded this entry (see schedulePump). */
  timer(): void {
    if (this.pumpAt > this.owner.ctx.clock.now() + SLACK_MS) return;
    this.pumpAt = Infinity;
    this.pump();
  }

  settled(range: StreamRecord[], _receipts: number[], result: InvocationResult): void {
    this.inFlight = false;
    const now = this.owner.ctx.clock.now();
    if (result.error === '') this.batch.resolve(range.length);
    else this.failed(range, result, now);
    // The environment is released after this returns: the next invocation starts in a later tick.
    this.schedulePump(this.wantAt(now));
  }

  /** Starts the next invocation if the rules allow, else arranges the wake-up that may. */
  private pump(): void {
    const { ctx } = this.owner;
    if (ctx.closed || this.inFlight) return;
    const now = ctx.clock.now();
    this.owner.dropTrimmed(this.batch);
    if (!this.batch.active && !this.readyToTake(now)) return;
    if (now + SLACK_MS < this.backoffUntil) {
      this.schedulePump(this.backoffUntil);
      return;
    }
    const pool = ctx.fn.pool;
    if (pool.atCapacity()) {
      this.throttled(now);
      return;
    }
    const lease = pool.acquire();
    if (!lease) return; // unreachable: atCapacity was false
    this.backoffMs = 0;
    this.waiting = false;
    if (!this.batch.active) this.batch.start(this.take());
    const range = this.batch.range();
    for (let i = 0; i < range.length; i++) range[i].receiveCount++;
    this.inFlight = true;
    this.owner.invoking(now);
    ctx.fn.invoke(lease, range, this);
  }

  /** Whether a new batch may start now (records waiting, window over); else schedules the wake-up. */
  private readyToTake(now: number): boolean {
    this.owner.expireWaiting(this.queue, now);
    const head = this.queue.peek();
    if (!head) return false;
    const { batchSize, batchWindow } = this.owner.ctx.params;
    if (this.queue.length < batchSize && head.enqueuedAt + batchWindow > now + SLACK_MS) {
      this.schedulePump(head.enqueuedAt + batchWindow);
      return false;
    }
    return true;
  }

  /** Up to batchSize waiting records (at most MAX_BATCH_BYTES, at least one), oldest first. */
  private take(): StreamRecord[] {
    const { batchSize } = this.owner.ctx.params;
    const out: StreamRecord[] = [];
    let bytes = 0;
    while (out.length < batchSize) {
      const r = this.queue.peek();
      if (!r || (out.length > 0 && bytes + r.bytes > MAX_BATCH_BYTES)) break;
      this.queue.shift();
      bytes += r.bytes;
      out.push(r);
    }
    return out;
  }

  /** The invocation of `range` failed: checkpoint, then retry, bisect or give up (lane-batch.ts). */
  private failed(range: StreamRecord[], r: InvocationResult, now: number): void {
    const { params } = this.owner.ctx;
    const b = this.batch;
    b.failed = true;
    const other = `batch failed: ${r.error}`;
    for (let i = 0; i < range.length; i++) range[i].lastError = i === r.failAt || r.failAt < 0 ? r.error : other;
    const checkpoint = checkpointAfterFailure(r, params);
    if (checkpoint > 0) b.resolve(checkpoint);
    const facts = { remaining: range.length - checkpoint, checkpointed: checkpoint > 0, retries: b.retries, oldestAgeMs: now - range[checkpoint].enqueuedAt };
    const step = nextStepAfterFailure(facts, params);
    if (step === 'bisect') b.bisect();
    else if (step === 'retry') {
      b.retries++;
      this.owner.retries++;
    } else this.owner.giveUp(b, now);
  }

  private throttled(now: number): void {
    const { ctx } = this.owner;
    ctx.fn.pool.countThrottle();
    this.backoffMs = this.backoffMs === 0 ? FIRST_THROTTLE_BACKOFF_MS : Math.min(this.backoffMs * 2, MAX_THROTTLE_BACKOFF_MS);
    this.backoffUntil = now + this.backoffMs;
    if (!this.waiting) {
      this.waiting = true;
      ctx.waiting.push(this);
    }
    this.schedulePump(this.backoffUntil);
  }

  /** When the lane next wants to pump (monotonic ms): now for a batch in hand, else by the window; Infinity when idle. */
  private wantAt(now: number): number {
    let at = now;
    if (!this.batch.active) {
      const head = this.queue.peek();
      if (!head) return Infinity;
      if (this.queue.length < this.owner.ctx.params.batchSize) at = head.enqueuedAt + this.owner.ctx.params.batchWindow;
    }
    return Math.max(at, this.backoffUntil);
  }

  /**
   * Keeps one wake-up: a new one is scheduled only when earlier than the one due. An entry that
   * was superseded finds `pumpAt` later than now (or Infinity) when it fires, and does nothing.
   */
  private schedulePump(at: number): void {
    if (at >= this.pumpAt) return;
    this.pumpAt = at;
    this.owner.ctx.scheduler.atWith(at, laneTimer, this);
  }
}

/** One function for every lane's scheduler entries (no closure per wake-up). */
function laneTimer(lane: ShardLane): void {
  lane.timer();
}
