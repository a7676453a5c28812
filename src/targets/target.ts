import type { OutMessage } from '../telemetry/types.js';

/**
 * Where a target reports on each request. `slot` is the engine's opaque token for the request.
 */
export interface SendSink {
  /**
   * The request went on the wire (written to a connection). Service time is measured from the
   * last call; time spent queued in the client before it (all connections busy) is not service
   * time — it shows in the latency from the intended time. Optional: without it, service time
   * is measured from the hand-over to the target.
   */
  written(slot: number): void;
  /**
   * Called exactly once per `send`, asynchronously (never from inside `send`). `outcome` is an
   * interned outcome class (outcome.ts); `responded` is true when the target answered (any
   * status) or the request timed out — the caller waited the full latency — and false for
   * failures before any answer (refused, reset), which count as errors but not in latency.
   */
  done(slot: number, outcome: string, responded: boolean): void;
}

/**
 * A destination for messages. Contract:
 * - `open()` prepares connections; it may throw a UserError for configuration problems
 *   (bad URL, unreachable endpoint at start).
 * - `send()` never throws for a request-level failure: it reports the failure as an outcome.
 *   It must not block, and should allocate as little as possible (hot path).
 * - `close()` releases connections; pending requests complete (or fail) before it resolves
 *   or are destroyed after its own bound.
 */
export interface Target {
  /** Human description for logs (never contains secrets). */
  readonly description: string;
  /** Where it connects, for error messages: host:port (never contains secrets). */
  readonly endpoint: string;
  /**
   * Most requests the target can have outstanding at once (e.g. connections × pipelining).
   * The engine hands over no more than this; later arrivals wait in the engine's own compact
   * backlog (their latency still counts from the intended time). Infinity for no limit.
   */
  readonly capacity: number;
  open(): Promise<void>;
  send(msg: OutMessage, slot: number, traceparent: string, sink: SendSink): void;
  close(): Promise<void>;
}
