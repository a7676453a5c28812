import type { SandboxClock } from '../clock.js';
import type { DeadLetterQueue } from '../dead-letter-queue.js';
import type { ProcessorFunction } from '../processor.js';
import type { Scheduler } from '../scheduler.js';
import type { StreamParams } from '../stream-params.js';

/** What the stream needs from the rest of the model. */
export interface StreamDeps {
  processor: ProcessorFunction;
  dlq: DeadLetterQueue;
  scheduler: Scheduler;
  clock: SandboxClock;
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
  /** Largest iteratorAgeMs seen so far. */
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

export interface StreamStats {
  name: string;
  shards: ShardStats[];
}

/** Placeholder until the stream model lands (issue 10): filled in by src/sandbox/stream/. */
export class KinesisStream {
  constructor(
    readonly params: StreamParams,
    private readonly deps: StreamDeps,
  ) {}

  /** Function environments were freed: lanes that were throttled may invoke now. */
  notify(): void {}

  stats(): StreamStats {
    return { name: this.params.name, shards: [] };
  }

  /** Stops every timer. */
  close(): void {}
}
