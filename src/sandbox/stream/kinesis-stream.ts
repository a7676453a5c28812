import type { SandboxClock } from '../clock.js';
import type { DeadLetterQueue } from '../dead-letter-queue.js';
import { Deque } from '../deque.js';
import type { ProcessorFunction } from '../processor.js';
import type { Scheduler } from '../scheduler.js';
import type { StreamParams } from '../stream-params.js';
import { evenHashKeyRanges, HashKeyRouter, routeLane, routeShard, type HashKeyRange } from './hash-keys.js';
import { Shard, type StreamRecord } from './shard.js';
import { ShardConsumer, type ConsumerContext, type ShardStats } from './shard-consumer.js';
import type { ShardLane } from './shard-lane.js';
import { WriteLimit } from './write-limit.js';

export type { ShardStats } from './shard-consumer.js';
export type { StreamRecord } from './shard.js';

/** What the stream needs from the rest of the model. */
export interface StreamDeps {
  processor: ProcessorFunction;
  dlq: DeadLetterQueue;
  scheduler: Scheduler;
  clock: SandboxClock;
}

export interface StreamStats {
  name: string;
  shards: ShardStats[];
  /** The largest iteratorAgeMs of its shards (Lambda's IteratorAge metric of the mapping), ms. */
  iteratorAgeMs: number;
  /** Records not processed yet, all shards. */
  pending: number;
}

/** Streams built in this process, so an iterator of a stream replaced by `POST /reset` is told apart. */
let streamsBuilt = 0;

/**
 * The kinesis door's data stream and its event source mapping into the processor function
 * (README "Kinesis door"): `params.shards` open shards over an even split of the hash-key space
 * (hash-keys.ts), each an ordered log of at most `shardCapacity` records (shard.ts) with the
 * per-shard write limit (write-limit.ts), consumed by `parallelizationFactor` lanes per shard
 * (shard-consumer.ts, shard-lane.ts). The AWS API in front of it is aws/kinesis-api.ts; it reads
 * the logs itself (GetRecords), independently of the mapping.
 */
export class KinesisStream {
  readonly name: string;
  /** Epoch ms when the stream was built (StreamCreationTimestamp). */
  readonly createdAtEpochMs: number;
  /** Tells this stream's iterators from those of a stream built before it (reset). */
  readonly incarnation = ++streamsBuilt;
  readonly ranges: readonly HashKeyRange[];
  readonly shards: readonly Shard[];
  private readonly consumers: ShardConsumer[] = [];
  private readonly router: HashKeyRouter;
  private readonly ctx: ConsumerContext;
  private nextId = 1;

  constructor(
    readonly params: StreamParams,
    private readonly deps: StreamDeps,
  ) {
    const now = deps.clock.now();
    this.name = params.name;
    this.createdAtEpochMs = deps.clock.toEpochMs(now);
    this.ranges = evenHashKeyRanges(params.shards);
    this.router = new HashKeyRouter(this.ranges, params.parallelizationFactor);
    this.ctx = { params, fn: deps.processor, scheduler: deps.scheduler, clock: deps.clock, dlq: deps.dlq, waiting: new Deque<ShardLane>(16), closed: false };
    const shards: Shard[] = [];
    for (let i = 0; i < params.shards; i++) {
      const shard = new Shard(i, params.shardCapacity, params.writeLimit ? new WriteLimit(now) : null, (r) => consumer.trim(r));
      const consumer = new ShardConsumer(shard, this.ctx);
      shards.push(shard);
      this.consumers.push(consumer);
    }
    this.shards = shards;
  }

  get clock(): SandboxClock {
    return this.deps.clock;
  }

  /** The route (shard and lane, hash-keys.ts) of a record: by its partition key, or its ExplicitHashKey as 32 hex digits. */
  route(partitionKey: string, explicitHashHex?: string): number {
    return explicitHashHex === undefined ? this.router.route(partitionKey) : this.router.routeExplicit(partitionKey, explicitHashHex);
  }

  /** The shard index a route names. */
  shardOf(route: number): number {
    return routeShard(route);
  }

  /**
   * Writes one record to its route's shard (PutRecords' accepted entry): the record, with its
   * position, or undefined when the shard's write limit refused it. `body` is the Data decoded as
   * UTF-8; `data` the base64 as sent, only when it was not valid UTF-8; `limitBytes` what the write
   * limit counts (data + partition key).
   */
  put(route: number, partitionKey: string, body: string, data: string | undefined, dataBytes: number, limitBytes: number): StreamRecord | undefined {
    const index = routeShard(route);
    const shard = this.shards[index];
    const now = this.deps.clock.now();
    if (!shard.admit(now, limitBytes)) return undefined;
    const record = shard.append({ id: this.nextId++, body, data, bytes: dataBytes, partitionKey, lane: routeLane(route), arrivedAt: now });
    this.consumers[index].add(record, now);
    return record;
  }

  /** A function environment was freed: the lane that has waited longest for one tries again now. */
  notify(): void {
    const now = this.deps.clock.now();
    for (let lane = this.ctx.waiting.shift(); lane; lane = this.ctx.waiting.shift()) {
      if (!lane.waiting) continue; // it got an environment by itself since
      lane.wake(now);
      return;
    }
  }

  stats(): StreamStats {
    const now = this.deps.clock.now();
    const shards = this.consumers.map((c) => c.stats(now));
    let age = 0;
    let pending = 0;
    for (const s of shards) {
      age = Math.max(age, s.iteratorAgeMs);
      pending += s.pending;
    }
    return { name: this.name, shards, iteratorAgeMs: age, pending };
  }

  /** Stops every lane: nothing is invoked after this (the pipeline closes the scheduler). */
  close(): void {
    this.ctx.closed = true;
  }
}
