import type { SandboxClock } from './clock.js';
import type { Database, DbConnection } from './database.js';
import { EnvironmentPool, type Environment, type Lease } from './environment-pool.js';
import { BoundedIdSet } from './id-set.js';
import type { MessageValidator, ProcessedMessage } from './message-validator.js';
import type { OutputLog } from './output-log.js';
import type { ProcessorParams } from './params.js';
import { drawMs, type Random } from './random.js';
import type { Scheduler } from './scheduler.js';

export interface ProcessorStats {
  /** Invocations that ran (each on one batch). */
  invocations: number;
  succeeded: number;
  failed: number;
  /** Failed because the database refused the environment's connection. */
  failedDbRefused: number;
  /** Failed because a message in the batch did not validate. */
  failedInvalid: number;
  /** Distinct messages written to the output. */
  processed: number;
  /** Writes of a messageId already written (duplicates at the output). */
  duplicates: number;
  /** Messages skipped because already processed (`idempotent: true`). */
  idempotentSkips: number;
}

/**
 * A message as the processor reads it, from a queue receive or a stream's batch. Times are
 * monotonic ms (the sandbox clock). `receiveCount` is the attempt that handed it out (1 = first).
 */
export interface BatchMessage {
  body: string;
  readonly enqueuedAt: number;
  receiveCount: number;
  /** Set by the processor once it has read the body. */
  messageId: string | null;
  lastError: string;
}

/** How an invocation ended. `error` is '' on success; else the messages before `failAt` were valid (and written). */
export interface InvocationResult {
  error: string;
  /** Index of the first invalid message, or -1 (all valid, or a failure of the whole invocation). */
  failAt: number;
  /** Messages at the head of the batch that were valid and written: 0..batch.length. */
  valid: number;
}

/**
 * Where a batch came from, told how its invocation ended (the event source mapping's side):
 * a queue deletes or returns messages, a stream shard advances or retries. Called once per
 * invocation, after the output was written and before the environment is free again.
 */
export interface BatchSource<M extends BatchMessage = BatchMessage> {
  settled(batch: M[], receipts: number[], result: InvocationResult): void;
}

/** One invocation on one batch; `receipts[i]` is the receive that handed out `batch[i]`. */
interface Invocation {
  env: Environment<DbConnection>;
  batch: BatchMessage[];
  source: BatchSource;
  receipts: number[];
  valid: ProcessedMessage[];
  /** Index of the first invalid message, or -1. */
  failAt: number;
  error: string;
  /** The environment's init failed: throw it away instead of keeping it warm. */
  discard: boolean;
}

/**
 * The processor function: consumes batches from an event source (queue or stream shard) and writes them to the output.
 *
 * An invocation: (cold start: init, then open the environment's database connection; refused →
 * the init fails: the invocation fails and the environment is thrown away) → validate
 * the batch in order (`deps.validator`), stopping at the first invalid message → after `workTime`, one write of
 * the valid messages before it (`queryTime`) → those are written to the output → then:
 * its batch source is told (`BatchSource.settled`): a queue deletes the batch or returns it
 * (queue-poller.ts), a stream shard advances or retries it (stream/shard-consumer.ts).
 * `idempotent: true` skips messages whose messageId was already written.
 */
export class ProcessorFunction {
  readonly pool: EnvironmentPool<DbConnection>;
  private readonly seen: BoundedIdSet;
  private readonly counts: ProcessorStats = {
    invocations: 0, succeeded: 0, failed: 0, failedDbRefused: 0, failedInvalid: 0, processed: 0, duplicates: 0, idempotentSkips: 0,
  };

  constructor(
    private readonly params: ProcessorParams,
    private readonly deps: {
      db: Database;
      output: OutputLog;
      scheduler: Scheduler;
      clock: SandboxClock;
      random: Random;
      /** Checks each message: schema v1, or the user's `sandbox.schema` (compiled once, before). */
      validator: MessageValidator;
      /** Called after every invocation, when its environment is free again. */
      onInvocationDone: () => void;
    },
  ) {
    const now = deps.clock.now();
    this.pool = new EnvironmentPool<DbConnection>(params, deps.random, now, (env) => this.closeConnection(env));
    this.seen = new BoundedIdSet(params.idempotencyCapacity);
    // Provisioned environments were initialized ahead of traffic: they open their connections now.
    for (const env of this.pool.idleEnvironments()) env.attachment = deps.db.connect() ?? undefined;
  }

  /** Runs `batch` (received, non-empty) on the environment `lease` gave; `source` hears how it ended. */
  invoke<M extends BatchMessage>(lease: Lease<DbConnection>, batch: M[], source: BatchSource<M>): void {
    this.counts.invocations++;
    const receipts = batch.map((m) => m.receiveCount);
    const inv: Invocation = { env: lease.env, batch, source: source as BatchSource, receipts, valid: [], failAt: -1, error: '', discard: false };
    if (!lease.cold) {
      this.run(inv);
      return;
    }
    // The init ends by opening the environment's connection; refused, the init fails.
    this.deps.scheduler.after(lease.initMs, () => {
      this.pool.started(inv.env);
      inv.discard = !this.connect(inv.env);
      this.run(inv);
    });
  }

  stats(): ProcessorStats {
    return { ...this.counts };
  }

  /** Opens the environment's connection unless it has one; false when refused. */
  private connect(env: Environment<DbConnection>): boolean {
    if (!env.attachment?.open) env.attachment = this.deps.db.connect() ?? undefined;
    return env.attachment !== undefined;
  }

  private run(inv: Invocation): void {
    // Only a provisioned environment refused at start lacks a connection while warm: it retries.
    if (inv.discard || !this.connect(inv.env)) {
      this.counts.failedDbRefused++;
      this.settle(inv, `db: connection refused: sorry, too many clients already (max_connections ${this.deps.db.maxConnections})`);
      return;
    }
    this.validate(inv);
    this.deps.scheduler.afterWith(drawMs(this.params.workTime, this.deps.random), this.workDone, inv);
  }

  /** The handler's own work is done: write what was valid (one query), or fail right away. */
  private readonly workDone = (inv: Invocation): void => {
    const conn = inv.env.attachment;
    if (inv.valid.length === 0 || !conn) this.settle(inv, inv.error);
    else this.deps.db.query(conn, this.queryDone, inv);
  };

  private readonly queryDone = (inv: Invocation): void => this.settle(inv, inv.error);

  /** Reads the batch in order up to the first invalid message. */
  private validate(inv: Invocation): void {
    for (let i = 0; i < inv.batch.length; i++) {
      const msg = inv.batch[i];
      const result = this.deps.validator.validate(msg.body);
      if (typeof result === 'string') {
        msg.messageId ??= this.deps.validator.readMessageId(msg.body);
        inv.failAt = i;
        inv.error = result;
        return;
      }
      msg.messageId = result.messageId;
      inv.valid.push(result);
    }
  }

  /** Ends an invocation: writes what was valid, tells the batch's source, frees the environment. */
  private settle(inv: Invocation, error: string): void {
    const now = this.deps.clock.now();
    this.write(inv, now);
    if (error === '') this.counts.succeeded++;
    else {
      this.counts.failed++;
      if (inv.failAt >= 0) this.counts.failedInvalid++;
    }
    inv.source.settled(inv.batch, inv.receipts, { error, failAt: inv.failAt, valid: inv.valid.length });
    if (inv.discard) this.pool.discard(inv.env);
    else this.pool.release(inv.env, now);
    this.deps.onInvocationDone();
  }

  private write(inv: Invocation, now: number): void {
    if (inv.valid.length === 0) return;
    const { output, clock } = this.deps;
    const processedAt = clock.toEpochMs(now);
    for (let i = 0; i < inv.valid.length; i++) {
      const m = inv.valid[i];
      const first = this.seen.add(m.messageId);
      if (!first && this.params.idempotent) {
        this.counts.idempotentSkips++;
        continue;
      }
      if (first) this.counts.processed++;
      else this.counts.duplicates++;
      output.append({
        messageId: m.messageId, vehicleId: m.vehicleId, seq: m.seq, kind: m.kind, sentAt: m.sentAt,
        enqueuedAt: clock.toEpochMs(inv.batch[i].enqueuedAt), processedAt, receiveCount: inv.receipts[i],
      });
    }
  }

  private closeConnection(env: Environment<DbConnection>): void {
    if (env.attachment) this.deps.db.disconnect(env.attachment);
    env.attachment = undefined;
  }
}
