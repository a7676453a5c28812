import type { ShardLoad } from '../metrics/interval-snapshot.js';
import type { SendSink, Target, TargetContext } from '../targets/target.js';
import type { OutMessage } from '../telemetry/types.js';
import { JobQueue, SendJob } from './send-job.js';

export { SendJob } from './send-job.js';
export type { JobEndListener, RetryOwner } from './send-job.js';

/**
 * What a send fault plugs into the path while it is active. Every hook is synchronous and cheap.
 * - `admit` may hold an engine message (store-and-forward, reorder): it returns true and later
 *   hands it on with `SendPath.pass(job)` — at its stop and at `flush` at the latest.
 * - `sending` sees each engine message right before its first send (every hold passed): a retry
 *   storm takes it over here (`job.retry`).
 * - `sent` sees it right after its first send went to the inner target or the path's queue:
 *   later messages of a vehicle count from here (reorder), copies follow it (duplicate).
 * - `flush` (the engine's flush: the schedule ended, or the run stops): hand on everything held
 *   now. Called on every registered stage, active or not (a stopped one may still hold retries).
 * - `abort` (the run's signal): stop retrying; what waits for a retry ends with its last outcome.
 */
export interface SendStage {
  /** Lower goes first; unique (SendPath.orderFor). Holds rank before the stages acting on sends. */
  readonly order: number;
  admit?(job: SendJob): boolean;
  sending?(job: SendJob): void;
  sent?(job: SendJob): void;
  flush?(): void;
  abort?(): void;
}

/** Stage ranks: store-and-forward holds first, then reorder, then the stages acting on sends. */
export const RANK = { storeAndForward: 0, reorder: 1, retry: 2, duplicate: 3 } as const;

const NO_SINK: SendSink = { written() {}, done() {} };

/**
 * The target the engine sees when the plan has send faults: it wraps the real target, and the
 * send faults plug into it while they are active (SendStage).
 *
 * Capacity. The inner target never holds more than its own capacity: what does not fit — copies,
 * retries, a store-and-forward burst — waits in the path's FIFO queue and goes as the inner
 * target frees room (before any new arrival). `capacity` is the engine's messages the path holds
 * (`pending`: handed over, not yet reported back, wherever they are) plus the room left in the
 * inner target after what is in it and queued. So the engine hands over a new arrival exactly
 * when the inner target has room for it, while messages held back (buffered, held, waiting
 * for a backoff) never count against that room; when the inner target is full (a burst), new
 * arrivals wait in the engine's backlog, their latency still counted from the intended time.
 *
 * Hot path. With no fault active, `send` is one branch, two counter increments and the inner
 * send (under the engine's slot, with the path's own preallocated sink); `done` is one branch,
 * two decrements and the forward. No allocation. The engine hands every send the same sink (its
 * dispatcher's): the path reports to the last one it was given.
 *
 * Slots: engine messages keep the engine's slot on the inner target (a retry reuses it: its
 * previous send has ended); copies get slots of the path's own, negative (-1, -2, …, reused),
 * which the engine never sees.
 */
export class SendPath implements Target {
  readonly takeShardLoad?: () => ShardLoad[];
  /** The run was aborted (open's signal): no retries from now on. */
  aborted = false;
  private readonly stages: SendStage[] = [];
  private readonly registered: SendStage[] = [];
  private nextOrder = 0;
  private up: SendSink = NO_SINK;
  /** Engine messages handed over and not yet reported back (warm-up ones included). */
  private pending = 0;
  /** Sends on the inner target not yet done (engine messages, retries and copies). */
  private inInner = 0;
  private readonly queue = new JobQueue();
  /** Engine slot → the job whose outcome a stage wants (retry, burst), while on the inner target. */
  private readonly jobs: (SendJob | undefined)[] = [];
  private tracked = 0;
  /** Own slot k (sent as -(k + 1)) → the copy on the inner target. */
  private readonly own: (SendJob | undefined)[] = [];
  private readonly ownFree: number[] = [];
  private draining = false;

  constructor(readonly inner: Target) {
    if (inner.takeShardLoad) this.takeShardLoad = () => inner.takeShardLoad!();
  }

  get description(): string {
    return this.inner.description;
  }

  get endpoint(): string {
    return this.inner.endpoint;
  }

  /** Messages the engine may have out: those it has at the path plus the inner target's free room (see the class comment). */
  get capacity(): number {
    const room = this.inner.capacity - this.inInner - this.queue.length;
    return this.pending + (room > 0 ? room : 0);
  }

  /** Opens the inner target (when the caller has not already), and stops retries when `ctx.signal` aborts. */
  async open(ctx: TargetContext): Promise<void> {
    ctx.signal.addEventListener('abort', () => this.abort(), { once: true });
    await this.inner.open(ctx);
  }

  send(msg: OutMessage, slot: number, traceparent: string, sink: SendSink): void {
    this.up = sink;
    this.pending++;
    if (this.stages.length === 0) {
      this.inInner++;
      this.inner.send(msg, slot, traceparent, this.sink);
      return;
    }
    this.pass(new SendJob(msg, slot, traceparent));
  }

  /** Hands on everything held (every stage's flush), then flushes the inner target; from now on what the path sends later is flushed too. */
  flush(): void {
    this.draining = true;
    for (const s of this.registered) s.flush?.();
    this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The run stops: no more retries (each stage's abort), everything held handed on. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const s of this.registered) s.abort?.();
    this.flush();
  }

  // The faults' side.

  /** A unique order key for a stage of `rank` (RANK): lower ranks first, then by registration. */
  orderFor(rank: number): number {
    return rank * 1_000_000 + this.nextOrder++;
  }

  /** A fault's stage, known to the path for flush and abort from its creation on. */
  register(stage: SendStage): void {
    if (!this.registered.includes(stage)) this.registered.push(stage);
  }

  /** The fault started: its hooks see the engine's messages from now on. */
  install(stage: SendStage): void {
    this.register(stage);
    if (this.stages.includes(stage)) return;
    let i = this.stages.length;
    while (i > 0 && this.stages[i - 1].order > stage.order) i--;
    this.stages.splice(i, 0, stage);
  }

  /** The fault stopped: its hooks see nothing more (what it holds, it hands on itself). */
  uninstall(stage: SendStage): void {
    const i = this.stages.indexOf(stage);
    if (i >= 0) this.stages.splice(i, 1);
  }

  /** Takes `job` through the active stages after the one that last had it; past them, its first send. */
  pass(job: SendJob): void {
    const stages = this.stages;
    for (let i = 0; i < stages.length; i++) {
      const s = stages[i];
      if (s.order <= job.at) continue;
      job.at = s.order;
      if (s.admit?.(job)) return;
    }
    this.forward(job);
  }

  /** Sends a failed attempt of `job` again (its retry owner decided so). */
  resend(job: SendJob): void {
    job.attempts++;
    this.toInner(job);
  }

  /** Sends a copy of a message under a slot of the path's own; `end` gets the copy's outcome (never the engine). */
  sendCopy(msg: OutMessage, traceparent: string, end: (outcome: string) => void): void {
    const k = this.ownFree.length > 0 ? this.ownFree.pop()! : this.own.length;
    this.own[k] = undefined;
    const job = new SendJob(msg, -(k + 1), traceparent);
    job.copyEnd = end;
    job.attempts = 1;
    this.own[k] = job; // reserved now, so a queued copy keeps its slot
    this.toInner(job);
  }

  /** What the path holds, for tests and the live view: engine messages out, sends on the inner target, queued. */
  get load(): { pending: number; inInner: number; queued: number } {
    return { pending: this.pending, inInner: this.inInner, queued: this.queue.length };
  }

  private forward(job: SendJob): void {
    const stages = this.stages;
    for (let i = 0; i < stages.length; i++) stages[i].sending?.(job);
    job.attempts = 1;
    this.toInner(job);
    for (let i = 0; i < stages.length; i++) stages[i].sent?.(job);
  }

  private toInner(job: SendJob): void {
    if (this.queue.length === 0 && this.inInner < this.inner.capacity) {
      this.wire(job);
      if (this.draining) this.inner.flush();
    } else {
      this.queue.push(job);
    }
  }

  private wire(job: SendJob): void {
    this.inInner++;
    if (job.slot >= 0 && (job.retry !== undefined || job.onEnd !== undefined)) {
      this.jobs[job.slot] = job;
      this.tracked++;
    }
    this.inner.send(job.msg, job.slot, job.traceparent, this.sink);
  }

  /** Queued sends go while the inner target has room (FIFO); while draining, a batching target is flushed after them. */
  private pump(): void {
    let moved = false;
    while (this.queue.length > 0 && this.inInner < this.inner.capacity) {
      this.wire(this.queue.shift());
      moved = true;
    }
    if (moved && this.draining && this.queue.length === 0) this.inner.flush();
  }

  /** The inner target reports here. */
  private readonly sink: SendSink = {
    written: (slot: number): void => {
      if (slot >= 0) this.up.written(slot);
    },
    done: (slot: number, outcome: string, responded: boolean): void => {
      this.inInner--;
      if (this.tracked === 0 && slot >= 0) {
        if (this.queue.length !== 0) this.pump();
        this.pending--;
        this.up.done(slot, outcome, responded);
        return;
      }
      this.settle(slot, outcome, responded);
    },
    request: (records: number, bytes: number, outcome: string, retries: number): void => {
      this.up.request?.(records, bytes, outcome, retries);
    },
  };

  /** A send ended that a stage follows: a copy, or an engine message with a retry owner or an end listener. */
  private settle(slot: number, outcome: string, responded: boolean): void {
    if (slot < 0) {
      const k = -slot - 1;
      const copy = this.own[k];
      this.own[k] = undefined;
      this.ownFree.push(k);
      this.pump();
      copy?.copyEnd?.(outcome);
      return;
    }
    const job = this.jobs[slot];
    if (job !== undefined) {
      this.jobs[slot] = undefined;
      this.tracked--;
      if (job.retry !== undefined && job.retry.ended(job, outcome, responded)) {
        this.pump();
        return;
      }
      job.onEnd?.ended(job, outcome);
    }
    this.pump();
    this.pending--;
    this.up.done(slot, outcome, responded);
  }

  /** Reports an engine message the path ends itself (a retry abandoned at the run's abort): asynchronously, as a target would. */
  endNow(job: SendJob, outcome: string, responded: boolean, defer: (fn: () => void) => void): void {
    defer(() => {
      job.onEnd?.ended(job, outcome);
      this.pending--;
      this.up.done(job.slot, outcome, responded);
    });
  }
}
