import type { SandboxClock } from '../clock.js';
import type { DbConnection } from '../database.js';
import type { DeadLetterQueue } from '../dead-letter-queue.js';
import type { Deque } from '../deque.js';
import type { EnvironmentPool, Lease } from '../environment-pool.js';
import type { BatchSource } from '../processor.js';
import type { Scheduler } from '../scheduler.js';
import type { StreamParams } from '../stream-params.js';
import type { LaneBatch } from './lane-batch.js';
import { sequenceNumber } from './sequence-numbers.js';
import type { Shard, StreamRecord } from './shard.js';
import { ShardLane } from './shard-lane.js';

/** The function a stream feeds (the processor): its environments and its invocation. */
export interface StreamFunction {
  readonly pool: Pick<EnvironmentPool<DbConnection>, 'atCapacity' | 'acquire' | 'countThrottle'>;
  invoke(lease: Lease<DbConnection>, batch: StreamRecord[], source: BatchSource<StreamRecord>): void;
}

/** What every lane of a stream shares. */
export interface ConsumerContext {
  readonly params: StreamParams;
  readonly fn: StreamFunction;
  readonly scheduler: Scheduler;
  readonly clock: SandboxClock;
  readonly dlq: DeadLetterQueue;
  /** Lanes throttled and waiting for an environment, longest waiting first (`KinesisStream.notify`). */
  readonly waiting: Deque<ShardLane>;
  closed: boolean;
}

/** One shard in `GET /stats` (`stream.shards[]`). Counters are totals since start. */
export interface ShardStats {
  id: string;
  /** Records written to this shard (accepted by PutRecords). */
  written: number;
  /** PutRecords entries refused by the shard's write limit. */
  throttled: number;
  /** Records not yet processed (behind the consumer's position). */
  pending: number;
  /** ms since the oldest unprocessed record arrived (Lambda's IteratorAge); 0 when caught up. */
  iteratorAgeMs: number;
  /** Largest iteratorAgeMs seen so far (sampled at each invocation start and each stats call). */
  iteratorAgeMsMax: number;
  /** A failing batch is being retried: the shard (that lane of it) does not move on. */
  blocked: boolean;
  /** Invocations that failed and were retried. */
  retries: number;
  /** Records given up on (retries ran out or too old) and sent to the on-failure destination. */
  discarded: number;
  /** Records trimmed before the consumer read them (shardCapacity). */
  trimmed: number;
}

/**
 * The event source mapping of one shard: `parallelizationFactor` lanes (shard-lane.ts), and the
 * shard's consumer-side counters. Records reach a lane when appended (`add`); a record trimmed
 * from the log before its lane took it is skipped and counted (`trimmed`), as Lambda skips
 * records past the retention period; records given up on go to the on-failure destination.
 */
export class ShardConsumer {
  readonly lanes: ShardLane[] = [];
  retries = 0;
  discarded = 0;
  trimmed = 0;
  private ageMax = 0;

  constructor(
    readonly shard: Shard,
    readonly ctx: ConsumerContext,
  ) {
    for (let i = 0; i < ctx.params.parallelizationFactor; i++) this.lanes.push(new ShardLane(this, i));
  }

  /** A record was appended to the shard at `now`: its lane will read it. */
  add(record: StreamRecord, now: number): void {
    const lane = this.lanes[record.lane];
    lane.queue.push(record);
    lane.added(now);
  }

  /**
   * The shard trimmed `record`. If its lane had not taken it yet it is the head of the lane's
   * queue (older records were trimmed before it): skip it. A record in a batch being retried is
   * dropped when the lane next invokes (`dropTrimmed`).
   */
  trim(record: StreamRecord): void {
    const lane = this.lanes[record.lane];
    if (lane.queue.peek() !== record) return;
    lane.queue.shift();
    this.trimmed++;
  }

  /** Drops the records of `batch` (at its head) that the shard has trimmed since they were taken. */
  dropTrimmed(batch: LaneBatch<StreamRecord>): void {
    const oldest = this.shard.oldestPosition;
    while (batch.active && batch.first.position < oldest) {
      batch.resolve(1);
      this.trimmed++;
    }
  }

  /** Gives up, before any attempt, on waiting records already `maxRecordAge` old at `now`. */
  expireWaiting(queue: Deque<StreamRecord>, now: number): void {
    const maxAge = this.ctx.params.maxRecordAge;
    if (maxAge === null) return;
    for (let head = queue.peek(); head && now - head.enqueuedAt >= maxAge; head = queue.peek()) {
      queue.shift();
      this.toFailureDestination(head, now);
    }
  }

  /** Gives up on the current range of `batch` (retries ran out, or too old): on-failure destination, then move on. */
  giveUp(batch: LaneBatch<StreamRecord>, now: number): void {
    const hi = batch.hi;
    for (let i = batch.lo; i < hi; i++) this.toFailureDestination(batch.records[i], now);
    batch.resolve(hi - batch.lo);
  }

  /** An invocation starts at `now`: samples the iterator age. */
  invoking(now: number): void {
    this.iteratorAge(now);
  }

  stats(now: number): ShardStats {
    let pending = 0;
    let blocked = false;
    for (const lane of this.lanes) {
      pending += lane.pending;
      blocked ||= lane.blocked;
    }
    const s = this.shard;
    return {
      id: s.id, written: s.nextPosition, throttled: s.throttled, pending, iteratorAgeMs: this.iteratorAge(now), iteratorAgeMsMax: this.ageMax,
      blocked, retries: this.retries, discarded: this.discarded, trimmed: this.trimmed,
    };
  }

  /** ms since the oldest unprocessed record of the shard arrived (0 when none); keeps the maximum. */
  private iteratorAge(now: number): number {
    let oldest = Infinity;
    for (const lane of this.lanes) oldest = Math.min(oldest, lane.oldestArrival());
    const age = oldest === Infinity ? 0 : Math.max(0, Math.round(now - oldest));
    if (age > this.ageMax) this.ageMax = age;
    return age;
  }

  /**
   * `onFailure: dlq`: one DLQ entry for the record (`queueMessageId` is its stream-wide number,
   * `receiveCount` the attempts made, `lastError` the last failure or why it expired, plus its
   * shard and sequence number); `discard`: dropped. Counted as `discarded` either way.
   */
  private toFailureDestination(r: StreamRecord, now: number): void {
    this.discarded++;
    const { params, dlq, clock } = this.ctx;
    if (params.onFailure !== 'dlq') return;
    const expired = params.maxRecordAge !== null && now - r.enqueuedAt >= params.maxRecordAge;
    const lastError = r.lastError !== '' ? r.lastError : expired ? `expired: older than maxRecordAge (${params.maxRecordAge} ms)` : 'retries exhausted';
    dlq.add({
      queueMessageId: r.id, messageId: r.messageId, receiveCount: r.receiveCount, lastError, body: r.body, bodyBytes: r.bytes,
      enqueuedAt: clock.toEpochMs(r.enqueuedAt), movedAt: clock.toEpochMs(now), shardId: this.shard.id, sequenceNumber: sequenceNumber(this.shard.index, r.position),
    });
  }
}
