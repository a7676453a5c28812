/**
 * What a connection storm opens, one connection at a time, whatever the endpoint (HTTP, PostgreSQL,
 * the sandbox's database door). A connector never throws for a connection-level failure: a refusal
 * is an outcome with a reason, counted by the storm (DESIGN.md: failures are data).
 */

import type { Clock } from '../util/clock.js';

/**
 * What one attempt reports, each at most once and in this order: `refused` (never held) — or
 * `held`, then perhaps `dropped` (the other side closed it, or it broke, while held). Nothing is
 * reported after the storm called the attempt's `close()`.
 */
export interface StormReport {
  held(): void;
  /** The reason as counted: "53300 sorry, too many clients already", "ECONNREFUSED", "503 too many clients already", "timeout". */
  refused(reason: string): void;
  dropped(reason: string): void;
}

/** One connection, opening or held. */
export interface StormAttempt {
  /** Closes it whatever its state (aborts an attempt under way); resolves once the socket is closed. Never rejects. */
  close(): Promise<void>;
}

/** Opens one connection and reports on it; never throws. */
export type StormConnector = (report: StormReport) => StormAttempt;

/** Until an attempt is held or refused, ms: then it is refused as "timeout". */
export const OPEN_TIMEOUT_MS = 10_000;
/** A close that has not finished after this long, ms, is forced (the socket destroyed). */
export const CLOSE_GRACE_MS = 2_000;

/**
 * A socket error's code ("ECONNREFUSED", "ECONNRESET"), or its message when it has none; for an
 * AggregateError (a host name with several addresses, all tried) the first error's.
 */
export function errorReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  if (e instanceof AggregateError && e.errors.length > 0) return errorReason(e.errors[0]);
  return e instanceof Error && e.message !== '' ? e.message : String(e);
}

/**
 * One attempt's state, shared by the connectors: 'opening' until `hold` or `refuse`, 'held' until
 * `drop`, 'done' after (or after the storm's `close`). Each report goes out at most once, in
 * StormReport's order; a call in the wrong state does nothing. Until held or refused, a timer (on
 * `clock`) refuses the attempt as "timeout" after OPEN_TIMEOUT_MS.
 */
export class AttemptState {
  state: 'opening' | 'held' | 'done' = 'opening';
  private readonly timer: unknown;

  /** `socket`: destroyed on a refusal. The open timer starts now. */
  constructor(private readonly socket: { destroy(): void }, private readonly clock: Clock, private readonly report: StormReport) {
    this.timer = clock.setTimer(() => this.refuse('timeout'), OPEN_TIMEOUT_MS);
  }

  /** Opening → held: reported `held`. */
  hold(): void {
    if (this.state !== 'opening') return;
    this.state = 'held';
    this.clock.clearTimer(this.timer);
    this.report.held();
  }

  /** Opening → done: the socket destroyed, reported `refused`. */
  refuse(reason: string): void {
    if (this.state !== 'opening') return;
    this.state = 'done';
    this.clock.clearTimer(this.timer);
    this.socket.destroy();
    this.report.refused(reason);
  }

  /** Held → done: reported `dropped`. */
  drop(reason: string): void {
    if (this.state !== 'held') return;
    this.state = 'done';
    this.report.dropped(reason);
  }

  /** The storm closes the attempt: → done, nothing reported from now on. True when it was held (the caller closes the socket). */
  close(): boolean {
    const wasHeld = this.state === 'held';
    if (this.state === 'opening') this.clock.clearTimer(this.timer);
    this.state = 'done';
    return wasHeld;
  }
}
