import { systemSandboxClock, type SandboxClock } from './clock.js';
import { Database, type DbConnection, type DbStats } from './database.js';
import { DeadLetterQueue, type DlqEntry } from './dead-letter-queue.js';
import type { PoolStats } from './environment-pool.js';
import { IngestFunction, type IngestStats } from './ingest.js';
import { OutputLog, type OutputEntry } from './output-log.js';
import { messageValidatorFor, type MessageValidator } from './message-validator.js';
import type { SandboxParams } from './params.js';
import { ProcessorFunction, type ProcessorStats } from './processor.js';
import { Queue } from './queue.js';
import { QueuePoller } from './queue-poller.js';
import { seededRandom } from './random.js';
import type { Page } from './ring-buffer.js';
import { Scheduler } from './scheduler.js';
import { KinesisStream, type StreamStats } from './stream/kinesis-stream.js';

/** `GET /stats`: what a dashboard of the pipeline would show. Counters are totals since start (or reset). */
export interface SandboxStats {
  uptimeMs: number;
  ingest: IngestStats;
  ingestFunction: PoolStats;
  queue: {
    /** Visible messages waiting (SQS ApproximateNumberOfMessagesVisible). */
    depth: number;
    /** Received, not yet deleted (ApproximateNumberOfMessagesNotVisible). */
    inFlight: number;
    bytes: number;
    enqueued: number;
    /** Receives (a message received three times counts three). */
    receives: number;
    /** Messages done: processed and deleted. */
    deleted: number;
  };
  dlq: { depth: number };
  processorFunction: PoolStats;
  /** `scalingLimit`: concurrent invocations the queue poller allows itself now. */
  processor: ProcessorStats & { scalingLimit: number };
  db: DbStats;
  output: { written: number; capacity: number; oldestCursor: number; nextCursor: number };
  /** The front door (`sandbox.ingest.door`). */
  door: SandboxParams['ingest']['door'];
  /** The kinesis door's stream: per-shard write counts, iterator age, blocked shards. */
  stream?: StreamStats;
}

/**
 * The whole model wired together: a front door (http: ingest function → queue; sqs: the queue
 * itself; kinesis: a stream whose shards feed the processor) → poller → processor → database
 * and output, with the DLQ. Everything runs on one Scheduler and one seeded Random; `close()`
 * stops all timers.
 */
export class Pipeline {
  readonly ingest: IngestFunction;
  private readonly scheduler: Scheduler;
  private readonly queue: Queue;
  private readonly dlq: DeadLetterQueue;
  private readonly output: OutputLog;
  private readonly db: Database;
  private readonly processor: ProcessorFunction;
  private readonly poller: QueuePoller;
  private readonly startedAt: number;
  /** The kinesis door's stream; undefined at the other doors. */
  readonly stream: KinesisStream | undefined;

  constructor(
    readonly params: SandboxParams,
    private readonly clock: SandboxClock = systemSandboxClock,
    /** Pass one built once to share it between pipelines (reset); by default built from params. */
    validator: MessageValidator = messageValidatorFor(params),
  ) {
    const random = seededRandom(params.seed);
    this.startedAt = clock.now();
    this.scheduler = new Scheduler(clock.now);
    this.dlq = new DeadLetterQueue(params.queue.dlqCapacity);
    this.queue = new Queue(params.queue, this.dlq, clock);
    this.output = new OutputLog(params.output.capacity);
    this.db = new Database(params.db, this.scheduler, random);
    const common = { queue: this.queue, scheduler: this.scheduler, clock, random };
    this.processor = new ProcessorFunction(params.processor, {
      scheduler: this.scheduler, clock, random, db: this.db, output: this.output, validator, onInvocationDone: () => this.invocationDone(),
    });
    this.poller = new QueuePoller(params.processor, this.queue, this.processor, this.scheduler, clock);
    this.ingest = new IngestFunction(params.ingest, { ...common, onEnqueued: () => this.poller.notify() });
    this.stream = params.ingest.door === 'kinesis' ? new KinesisStream(params.stream, { processor: this.processor, dlq: this.dlq, scheduler: this.scheduler, clock }) : undefined;
    this.sweepEvery(this.ingest.pool, params.ingest.idleTimeout);
    this.sweepEvery(this.processor.pool, params.processor.idleTimeout);
  }

  stats(): SandboxStats {
    const q = this.queue;
    return {
      uptimeMs: Math.round(this.clock.now() - this.startedAt),
      ingest: this.ingest.stats(),
      ingestFunction: this.ingest.pool.stats(),
      queue: { depth: q.visible, inFlight: q.inFlight, bytes: q.bytes, enqueued: q.enqueued, receives: q.receives, deleted: q.deleted },
      dlq: { depth: this.dlq.depth },
      processorFunction: this.processor.pool.stats(),
      processor: { ...this.processor.stats(), scalingLimit: this.poller.scalingLimit },
      db: this.db.stats(),
      output: { written: this.output.written, capacity: this.output.capacity, oldestCursor: this.output.oldestCursor, nextCursor: this.output.written },
      door: this.params.ingest.door,
      ...(this.stream ? { stream: this.stream.stats() } : {}),
    };
  }

  /** The sqs door: one message straight onto the queue. Its queue id, or 0 when the queue is full. */
  enqueue(body: string, bytes: number): number {
    const msg = this.queue.send(body, bytes, this.clock.now());
    if (!msg) return 0;
    this.poller.notify();
    return msg.id;
  }

  /** Queue and DLQ depths now, as SQS's Approximate… attributes count them. */
  depths(): { visible: number; inFlight: number; dlq: number } {
    return { visible: this.queue.visible, inFlight: this.queue.inFlight, dlq: this.dlq.depth };
  }

  /**
   * One connection to the database from outside the processor (`GET /db/connect`, a connection
   * storm): taken like an environment's, so it counts against `maxConnections`; null when refused.
   * Give it back with `disconnectDb`.
   */
  connectDb(): DbConnection | null {
    return this.db.connect();
  }

  disconnectDb(conn: DbConnection): void {
    this.db.disconnect(conn);
  }

  readOutput(cursor: number, limit: number): Page<OutputEntry> {
    return this.output.read(cursor, limit);
  }

  readDlq(cursor: number, limit: number): Page<DlqEntry> {
    return this.dlq.read(cursor, limit);
  }

  /** Stops every timer; pending ingest requests are never answered (the server closes them). */
  close(): void {
    this.poller.close();
    this.stream?.close();
    this.scheduler.close();
  }

  /** A processor environment is free again: whichever event source waits for one may go on. */
  private invocationDone(): void {
    this.poller.notify();
    this.stream?.notify();
  }

  /**
   * Reclaims idle environments: a sweep every idleTimeout/5 (10–250 ms), so an environment is
   * reclaimed between idleTimeout and idleTimeout + that period after its last invocation.
   */
  private sweepEvery(pool: { sweep(now: number): number }, idleTimeoutMs: number): void {
    const period = Math.min(250, Math.max(10, idleTimeoutMs / 5));
    const tick = (): void => {
      pool.sweep(this.clock.now());
      this.scheduler.after(period, tick);
    };
    this.scheduler.after(period, tick);
  }
}
