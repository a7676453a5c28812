import { initRange } from './cold-start.js';
import type { FunctionParams } from './params.js';
import { drawMs, type DurationRange, type Random } from './random.js';

export const INITIALIZING = 0;
export const BUSY = 1;
export const IDLE = 2;
export const RECLAIMED = 3;

/**
 * One function execution environment (a micro-VM running one invocation at a time).
 * `attachment` is what the function keeps across invocations (the processor's DB connection).
 */
export interface Environment<A> {
  readonly id: number;
  readonly provisioned: boolean;
  state: number;
  /** Monotonic ms when it last finished an invocation (or was created). */
  lastUsedAt: number;
  attachment: A | undefined;
}

/** What `acquire` hands out: the environment and, for a cold start, the init time to wait first. */
export interface Lease<A> {
  env: Environment<A>;
  cold: boolean;
  /** ms of init before the invocation can run; 0 when warm. */
  initMs: number;
}

export interface PoolStats {
  /** Initialized and idle, ready to take an invocation without a cold start. */
  warm: number;
  initializing: number;
  busy: number;
  environments: number;
  provisioned: number;
  coldStarts: number;
  throttles: number;
  reclaimed: number;
  /** Environments thrown away because their init failed (e.g. the database refused them). */
  initFailures: number;
  invocations: number;
  peakConcurrency: number;
}

/**
 * Function environments of one function (the ingest or the processor), the way a FaaS platform
 * manages them:
 * - An invocation takes the most recently used idle environment (so surplus ones stay idle and
 *   get reclaimed); with none idle it starts a new one, which costs an init time drawn from the
 *   runtime preset scaled by memory (or `initTime`) — a cold start.
 * - Concurrency (initializing + busy) never exceeds `reservedConcurrency`; an invocation past
 *   it is throttled: `acquire` returns null and the throttle is counted.
 * - `provisionedConcurrency` environments exist, initialized, from the start and are never
 *   reclaimed; the others are reclaimed by `sweep` once idle for `idleTimeout`, or thrown away
 *   by `discard` when their init fails.
 * The pool keeps no timers: the caller waits `initMs`, then calls `started`, and `release`s.
 */
export class EnvironmentPool<A> {
  private readonly idle: Environment<A>[] = [];
  private readonly initRange: DurationRange;
  private nextId = 1;
  private initializing = 0;
  private busy = 0;
  private coldStarts = 0;
  private throttles = 0;
  private reclaimed = 0;
  private initFailures = 0;
  private invocations = 0;
  private peak = 0;

  constructor(
    private readonly params: FunctionParams,
    private readonly random: Random,
    now: number,
    /** Called when an environment is reclaimed (e.g. to close its connection). */
    private readonly onReclaim: (env: Environment<A>) => void = () => {},
  ) {
    this.initRange = initRange(params.runtime, params.memory, params.initTime);
    for (let i = 0; i < params.provisionedConcurrency; i++) this.idle.push(this.create(true, IDLE, now));
  }

  /** The idle environments (at construction: the provisioned ones, to attach resources to). */
  idleEnvironments(): readonly Environment<A>[] {
    return this.idle;
  }

  /** Environments in use: initializing or running an invocation (the function's concurrency). */
  inUse(): number {
    return this.initializing + this.busy;
  }

  /** True when an invocation now would be throttled (concurrency at `reservedConcurrency`). */
  atCapacity(): boolean {
    return this.inUse() >= this.params.reservedConcurrency;
  }

  /** Counts a throttle seen by a caller that checked `atCapacity` itself. */
  countThrottle(): void {
    this.throttles++;
  }

  /** An environment for one invocation, or null when throttled (counted). */
  acquire(): Lease<A> | null {
    if (this.atCapacity()) {
      this.throttles++;
      return null;
    }
    this.invocations++;
    const warm = this.idle.pop();
    let lease: Lease<A>;
    if (warm) {
      warm.state = BUSY;
      this.busy++;
      lease = { env: warm, cold: false, initMs: 0 };
    } else {
      this.coldStarts++;
      this.initializing++;
      lease = { env: this.create(false, INITIALIZING, 0), cold: true, initMs: drawMs(this.initRange, this.random) };
    }
    this.peak = Math.max(this.peak, this.inUse());
    return lease;
  }

  /** A cold environment finished its init and now runs its first invocation. */
  started(env: Environment<A>): void {
    if (env.state !== INITIALIZING) return;
    env.state = BUSY;
    this.initializing--;
    this.busy++;
  }

  /** The invocation is over; the environment waits, warm, for the next one. */
  release(env: Environment<A>, now: number): void {
    if (env.state === INITIALIZING) this.started(env);
    if (env.state !== BUSY) return;
    env.state = IDLE;
    env.lastUsedAt = now;
    this.busy--;
    this.idle.push(env);
  }

  /** The environment's init failed: it is thrown away (the next invocation needs a new one). */
  discard(env: Environment<A>): void {
    if (env.state === INITIALIZING) this.initializing--;
    else if (env.state === BUSY) this.busy--;
    else return;
    env.state = RECLAIMED;
    this.initFailures++;
    this.onReclaim(env);
  }

  /** Reclaims environments idle for `idleTimeout` (not provisioned ones); returns how many. */
  sweep(now: number): number {
    const limit = now - this.params.idleTimeout;
    let kept = 0;
    let n = 0;
    for (const env of this.idle) {
      if (!env.provisioned && env.lastUsedAt <= limit) {
        env.state = RECLAIMED;
        n++;
        this.onReclaim(env);
      } else {
        this.idle[kept++] = env;
      }
    }
    this.idle.length = kept;
    this.reclaimed += n;
    return n;
  }

  stats(): PoolStats {
    return {
      warm: this.idle.length, initializing: this.initializing, busy: this.busy, environments: this.idle.length + this.inUse(),
      provisioned: this.params.provisionedConcurrency, coldStarts: this.coldStarts, throttles: this.throttles,
      reclaimed: this.reclaimed, initFailures: this.initFailures, invocations: this.invocations, peakConcurrency: this.peak,
    };
  }

  private create(provisioned: boolean, state: number, now: number): Environment<A> {
    return { id: this.nextId++, provisioned, state, lastUsedAt: now, attachment: undefined };
  }
}
