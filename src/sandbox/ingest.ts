import type { SandboxClock } from './clock.js';
import { EnvironmentPool, type Environment } from './environment-pool.js';
import type { IngestParams } from './params.js';
import type { Queue } from './queue.js';
import { drawMs, type Random } from './random.js';
import type { Scheduler } from './scheduler.js';
import { TokenBucket } from './token-bucket.js';

/** Why a request was turned away; goes in the `x-sandbox-reason` header. */
export type RejectReason = 'rate-limit' | 'concurrency' | 'too-large' | 'queue-full';

/**
 * How the ingest answered one request. `env`/`cold`/`initMs` are ground truth for `x-sandbox-*`
 * headers. The object is reused: it is valid only during the `IngestReply` call.
 */
export interface IngestAnswer {
  status: 202 | 413 | 429 | 503;
  /** The queue's id for an accepted message; 0 otherwise. */
  queueId: number;
  reason: RejectReason | '';
  /** The ingest environment that ran the request (0 when none did). */
  env: number;
  cold: boolean;
  initMs: number;
}

/** Called once per handled request with the caller's `ctx` (a long-lived function: no closure per request). */
export type IngestReply<C> = (ctx: C, answer: IngestAnswer) => void;

export interface IngestStats {
  /** Requests that reached the ingest (every POST /ingest). */
  received: number;
  /** Answered 202: the message is on the queue. */
  accepted: number;
  /** 429 from the gateway's own rate limit (token bucket). */
  rateLimited: number;
  /** 429 because the ingest function was at its reserved concurrency. */
  throttled: number;
  /** 413 over `maxBodySize`. */
  tooLarge: number;
  /** 503 because the queue was full (`maxMessages` / `maxBytes`). */
  queueFull: number;
}

interface Pending {
  env: Environment<never>;
  body: string;
  bytes: number;
  traceparent: string | null;
  cold: boolean;
  initMs: number;
  workMs: number;
  ctx: unknown;
  reply: IngestReply<unknown>;
}

/**
 * The ingest path, API gateway → ingest function → queue, answered synchronously:
 * 1. `admit`: the gateway's token bucket (`rateLimit`, `burst`); over it → 429 `rate-limit`.
 * 2. The body must fit `maxBodySize` (the HTTP layer enforces it and calls `tooLarge`) → 413.
 * 3. `handle`: an ingest environment from its pool; at `reservedConcurrency` → 429 `concurrency`.
 *    A cold environment first waits its init time: this is what a client sees of a cold start.
 * 4. After `workTime` the body goes on the queue → 202, or 503 `queue-full`.
 * The body is not parsed here: validation is the processor's job, so poison reaches the DLQ.
 */
export class IngestFunction {
  readonly pool: EnvironmentPool<never>;
  private readonly bucket: TokenBucket | null;
  private readonly counts: IngestStats = { received: 0, accepted: 0, rateLimited: 0, throttled: 0, tooLarge: 0, queueFull: 0 };
  private readonly scratch: IngestAnswer = { status: 202, queueId: 0, reason: '', env: 0, cold: false, initMs: 0 };

  constructor(
    private readonly params: IngestParams,
    private readonly deps: {
      queue: Queue;
      scheduler: Scheduler;
      clock: SandboxClock;
      random: Random;
      /** Called after each message is enqueued. */
      onEnqueued: () => void;
    },
  ) {
    const now = deps.clock.now();
    this.pool = new EnvironmentPool<never>(params, deps.random, now);
    this.bucket = params.rateLimit === null ? null : new TokenBucket(params.rateLimit, params.burst, now);
  }

  get maxBodySize(): number {
    return this.params.maxBodySize;
  }

  /** Step 1, before the body is read: false means answer 429 (`rate-limit`, counted). */
  admit(): boolean {
    this.counts.received++;
    if (!this.bucket || this.bucket.tryTake(this.deps.clock.now())) return true;
    this.counts.rateLimited++;
    return false;
  }

  /** Step 2 failed: the body is over `maxBodySize`. */
  tooLarge(): void {
    this.counts.tooLarge++;
  }

  /** Steps 3 and 4 for an admitted body of `bytes` bytes; `reply(ctx, …)` is called once, later or now. */
  handle<C>(body: string, bytes: number, reply: IngestReply<C>, ctx: C, traceparent: string | null = null): void {
    const lease = this.pool.acquire();
    if (!lease) {
      this.counts.throttled++;
      reply(ctx, this.answer(429, 0, 'concurrency', 0, false, 0));
      return;
    }
    const workMs = drawMs(this.params.workTime, this.deps.random);
    const p: Pending = { env: lease.env, body, bytes, traceparent, cold: lease.cold, initMs: lease.initMs, workMs, ctx, reply: reply as IngestReply<unknown> };
    if (lease.cold) this.deps.scheduler.afterWith(lease.initMs, this.initDone, p);
    else this.deps.scheduler.afterWith(workMs, this.workDone, p);
  }

  stats(): IngestStats {
    return { ...this.counts };
  }

  private readonly initDone = (p: Pending): void => {
    this.pool.started(p.env);
    this.deps.scheduler.afterWith(p.workMs, this.workDone, p);
  };

  private readonly workDone = (p: Pending): void => {
    const now = this.deps.clock.now();
    const msg = this.deps.queue.send(p.body, p.bytes, now, p.traceparent);
    this.pool.release(p.env, now);
    if (!msg) {
      this.counts.queueFull++;
      p.reply(p.ctx, this.answer(503, 0, 'queue-full', p.env.id, p.cold, p.initMs));
      return;
    }
    this.counts.accepted++;
    p.reply(p.ctx, this.answer(202, msg.id, '', p.env.id, p.cold, p.initMs));
    this.deps.onEnqueued();
  };

  private answer(status: IngestAnswer['status'], queueId: number, reason: IngestAnswer['reason'], env: number, cold: boolean, initMs: number): IngestAnswer {
    const a = this.scratch;
    a.status = status;
    a.queueId = queueId;
    a.reason = reason;
    a.env = env;
    a.cold = cold;
    a.initMs = initMs;
    return a;
  }
}
