import type { ShardLoad } from '../metrics/interval-snapshot.js';
import type { OutMessage } from '../telemetry/types.js';
import type { Clock } from '../util/clock.js';

/**
 * Where a target reports. `slot` is the engine's opaque token for one MESSAGE; a batching target
 * reports each message of a batch under its own slot.
 */
export interface SendSink {
  /**
   * The message went on the wire (its request was written to a connection). Service time is
   * measured from the last call; time spent before it — queued in the client, or lingering in a
   * batch being filled — is not service time: it shows in the latency from the intended time.
   */
  written(slot: number): void;
  /**
   * Called exactly once per `send`, asynchronously (never from inside `send`). `outcome` is an
   * interned outcome class (outcome.ts); `responded` is true when the target answered (any
   * status) or the request timed out — the caller waited the full latency — and false for
   * failures before any answer (refused, reset), which count as never answered.
   */
  done(slot: number, outcome: string, responded: boolean): void;
  /**
   * Request-level facts of a target that sends several messages per request (a batch call):
   * called once per request when it ends — `records` messages in it, `bytes` on the wire,
   * its `outcome` class, and `retries` of it (or of some of its records) before it ended.
   * A target that sends one message per request does not call it: its requests are its messages.
   */
  request?(records: number, bytes: number, outcome: string, retries: number): void;
}

/** What a target gets when it opens: the engine's time, and the run's end. */
export interface TargetContext {
  /** Linger timers and retry backoff run on this clock (a fake one in tests). */
  clock: Clock;
  /** Aborted when the run stops: stop retrying, send what is held (flush() follows). */
  signal: AbortSignal;
  /** The bodies are in the user's shape (a payload template or module), not schema v1: nothing may label them v1. */
  shapedBodies?: boolean;
}

/**
 * A destination for messages: a sink with a capacity counted in messages. Contract:
 * - `open(ctx)` prepares connections; it may throw a UserError for configuration problems
 *   (bad URL, missing stream or queue, rejected credentials).
 * - `send()` takes one message. It may send it as one request (http) or hold it for a batch
 *   (kinesis, sqs) that goes out when full or when its linger timer (on `ctx.clock`) fires.
 *   It never throws for a request-level failure: it reports the failure as an outcome. It must
 *   not block, and should allocate as little as possible (hot path).
 * - `flush()` sends every partly filled batch now: the engine calls it when the schedule has
 *   ended and when the run stops, so no message waits for a linger timer at the end. Never throws.
 * - `close()` releases connections; pending requests complete (or fail) before it resolves
 *   or are destroyed after its own bound.
 */
export interface Target {
  /** Human description for logs (never contains secrets). */
  readonly description: string;
  /** Where it connects, for error messages: host:port (never contains secrets). */
  readonly endpoint: string;
  /**
   * Most MESSAGES the target can hold at once — in batches being filled and in requests in
   * flight (e.g. connections × pipelining for http; batch size × concurrent calls for a batching
   * target). The engine hands over no more than this; later arrivals wait in the engine's own
   * compact backlog (their latency still counts from the intended time). Infinity for no limit.
   */
  readonly capacity: number;
  open(ctx: TargetContext): Promise<void>;
  send(msg: OutMessage, slot: number, traceparent: string, sink: SendSink): void;
  flush(): void;
  close(): Promise<void>;
  /**
   * For a target that knows its shards: the load each took since the last call (then reset).
   * The engine calls it at every interval close. Absent for targets without shards.
   */
  takeShardLoad?(): ShardLoad[];
}
