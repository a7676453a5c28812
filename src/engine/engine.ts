import { systemClock, type Clock } from '../util/clock.js';
import { Accounting } from './accounting.js';
import type { EngineOptions, EngineResult } from './engine-types.js';
import { zeroCounts } from './counters.js';
import type { EndReason, EngineEvent, EngineListener, WarmupResult } from './events.js';
import { createEventLoopLagProbe, type LagProbe } from './lag-probe.js';
import { SlotBacklog } from './backlog.js';
import { InFlightSlots, SLOT_RUN, SLOT_WARMUP } from './slots.js';
import { TraceIds } from './trace-context.js';
import { emptyWarmup, runWarmup } from './warmup.js';
import { OK, PAYLOAD_ERROR } from '../targets/outcome.js';
import type { OutMessage } from '../telemetry/types.js';
import { IntervalCloser } from './interval-closer.js';
import { dueInInterval } from './waiting.js';

export type { EngineOptions, EngineResult, EngineSchedule, MessageSourceLike } from './engine-types.js';

/** Most arrivals sent in one tick before yielding to I/O, so responses are read during a backlog. */
const MAX_SENDS_PER_TICK = 512;

/**
 * The open-model dispatcher. Arrival n is due at t0 + schedule.dueAt(n); each wake-up sends
 * every arrival that is due, then sleeps until the next one. Latency is recorded from the due
 * time. Arrivals over the in-flight cap are counted as dropped; arrivals without an answer when
 * the run ends as unfinished, at their age then. Consumers subscribe with `on()`.
 */
export class Engine {
  private readonly listeners: EngineListener[] = [];
  private readonly clock: Clock;
  private readonly lag: LagProbe;
  private readonly slots: InFlightSlots;
  private readonly books: Accounting;
  private readonly closer: IntervalCloser;
  private trace!: TraceIds;
  private t0 = 0;
  private startEpochMs = 0;
  private next = 0;
  /** Arrivals that count as due: the whole schedule, or those taken before a stop. */
  private dueLimit: number;
  private cpuAtStart: NodeJS.CpuUsage = { user: 0, system: 0 };
  /** Requests handed to the target but not on the wire yet (waiting for a free connection). */
  private awaitingWire = 0;
  /** Requests handed to the target and not completed. */
  private outstanding = 0;
  /** Warm-up requests still out after the warm-up stopped waiting: they hold target capacity until they finish. */
  private warmupOut = 0;
  /** Arrivals taken but waiting for the target to have room. */
  private readonly backlog: SlotBacklog;
  private phaseIndex = -1;
  private dispatchTimer: unknown;
  private intervalTimer: unknown;
  private drainTimer: unknown;
  private endTimer: unknown;
  private state: 'idle' | 'warmup' | 'running' | 'draining' | 'done' = 'idle';
  private stopped = false;
  private payloadWarned = false;
  private stopReason: EndReason = 'completed';
  private warmupDone: ((outcome: string, responded: boolean) => void) | undefined;
  private resolveRun!: (r: EngineResult) => void;
  private warmupResult: WarmupResult = emptyWarmup();
  private readonly abort = new AbortController();

  constructor(private readonly opts: EngineOptions) {
    this.clock = opts.clock ?? systemClock;
    this.lag = opts.lagProbe ?? createEventLoopLagProbe();
    this.slots = new InFlightSlots(opts.plan.engine.maxInFlight);
    this.backlog = new SlotBacklog(opts.plan.engine.maxInFlight);
    this.dueLimit = opts.schedule.count;
    this.books = new Accounting(opts.plan.engine.intervalMs, (i) => this.dueIn(i));
    this.closer = new IntervalCloser({
      plan: opts.plan, schedule: opts.schedule, target: opts.target, slots: this.slots, books: this.books, lag: this.lag,
      emit: (e) => this.emit(e), iso: (t) => this.iso(t), elapsed: () => this.elapsed(), traceId: (n) => this.trace.traceId(n), dueIn: (i) => this.dueIn(i),
    });
  }

  on(listener: EngineListener): this {
    this.listeners.push(listener);
    return this;
  }

  /**
   * Stop sending (arrivals waiting in the backlog are not sent: they end unfinished), wait for
   * requests on their way up to the drain bound, then end ('interrupted').
   */
  stop(): void {
    if (this.state === 'done' || this.stopped) return;
    this.stopped = true;
    this.stopReason = 'interrupted';
    this.abort.abort();
    if (this.state === 'running') {
      this.dueLimit = this.next;
      this.beginDrain();
    } else if (this.state === 'draining') {
      this.opts.target.flush();
      if (this.drained()) this.finish();
    }
  }

  async run(): Promise<EngineResult> {
    this.lag.start();
    this.state = 'warmup';
    const { plan, target } = this.opts;
    this.warmupResult = await runWarmup({
      source: this.opts.warmupSource, target, slots: this.slots, recorder: this.books.recorder, clock: this.clock,
      requests: plan.engine.warmupRequests, concurrency: target.capacity, timeoutMs: plan.engine.drainTimeoutMs,
      trace: new TraceIds(plan.seed ^ 0x2545f491, this.clock.epochMs()), engineDone: this.sink, onDone: (handler) => (this.warmupDone = handler), signal: this.abort.signal,
    });
    this.books.recorder.resetAll();
    this.lag.takeMaxMs();
    this.warmupOut = this.warmupResult.unanswered;
    if (this.stopReason === 'interrupted') return this.finishImmediately();
    try {
      this.opts.checkWarmup?.(this.warmupResult);
    } catch (e) {
      this.lag.stop();
      this.state = 'done';
      throw e;
    }
    return new Promise<EngineResult>((resolve) => {
      this.resolveRun = resolve;
      this.start();
    });
  }

  private start(): void {
    this.state = 'running';
    this.opts.target.takeShardLoad?.(); // what the warm-up put on the shards is not the run's
    this.cpuAtStart = process.cpuUsage();
    this.startClock();
    this.trace = new TraceIds(this.opts.plan.seed, this.startEpochMs);
    this.updatePhase(0);
    this.scheduleIntervalClose();
    this.tick();
  }

  /** t0 of the run: every time in events and snapshots is measured from here. Emits `start`. */
  private startClock(): void {
    this.t0 = this.clock.now();
    this.startEpochMs = this.clock.epochMs();
    this.emit({ type: 'start', at: this.iso(0), startEpochMs: this.startEpochMs, plan: this.opts.plan, warmup: this.warmupResult });
  }

  private elapsed(): number {
    return this.clock.now() - this.t0;
  }

  private iso(tMs: number): string {
    return new Date(this.startEpochMs + tMs).toISOString();
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Arrivals due in interval `index` (by intended time), within the arrivals that count as due. */
  private dueIn(index: number): number {
    return dueInInterval(this.opts.schedule, this.opts.plan.engine.intervalMs, this.dueLimit, index);
  }

  private readonly tick = (): void => {
    this.dispatchTimer = undefined;
    if (this.state !== 'running') return;
    const schedule = this.opts.schedule;
    const count = schedule.count;
    const now = this.elapsed();
    let budget = MAX_SENDS_PER_TICK;
    while (this.next < count) {
      const due = schedule.dueAt(this.next);
      if (due > now) break;
      if (budget-- === 0) {
        this.clock.defer(this.tick);
        return;
      }
      this.dispatch(this.next, due);
      this.next++;
    }
    this.updatePhase(now);
    if (this.next < count) {
      // Timers have 1 ms granularity: wake at most 1 ms early (then sleep again), never spin.
      const wait = schedule.dueAt(this.next) - this.elapsed();
      this.dispatchTimer = this.clock.setTimer(this.tick, Math.max(1, Math.floor(wait)));
    } else {
      const rest = schedule.durationMs - this.elapsed();
      if (rest > 0) this.endTimer = this.clock.setTimer(() => this.beginDrain(), Math.ceil(rest));
      else this.beginDrain();
    }
  };

  /** Arrival n is due: take it (the schedule lag is measured here), send it or queue it. */
  private dispatch(n: number, due: number): void {
    const slot = this.slots.acquire();
    if (slot < 0) {
      this.books.drop(due);
      return;
    }
    const slots = this.slots;
    slots.kind[slot] = SLOT_RUN;
    slots.dueMs[slot] = due;
    slots.takenMs[slot] = this.elapsed();
    slots.arrival[slot] = n;
    if (this.outstanding + this.warmupOut < this.opts.target.capacity) this.sendSlot(slot);
    else this.backlog.push(slot);
  }

  /** Builds the message (sentAt = now) and hands it to the target. */
  private sendSlot(slot: number): void {
    const slots = this.slots;
    const sent = this.elapsed();
    const n = slots.arrival[slot];
    let msg: OutMessage;
    try {
      msg = this.opts.source.next(n, Math.round(this.startEpochMs + sent));
    } catch (e) {
      return this.unbuilt(slot, e);
    }
    slots.writtenMs[slot] = sent; // until the target says it went on the wire
    slots.onWire[slot] = 0;
    this.awaitingWire++;
    this.outstanding++;
    this.books.open.sent++;
    this.opts.delivery?.sent(n);
    this.opts.target.send(msg, slot, this.trace.traceparent(n), this.sink);
  }

  /**
   * The message for the arrival in `slot` could not be built (the user's payload module threw):
   * it ends as `payload-error`, never sent; the first stack is shown once, later ones only counted.
   */
  private unbuilt(slot: number, e: unknown): void {
    const slots = this.slots;
    const due = slots.dueMs[slot];
    const taken = slots.takenMs[slot];
    const arrival = slots.arrival[slot];
    slots.release(slot);
    const now = this.elapsed();
    this.books.complete(due, taken, now, now, arrival, PAYLOAD_ERROR, false);
    if (this.payloadWarned) return;
    this.payloadWarned = true;
    const stack = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.emit({ type: 'warning', at: this.iso(now), tMs: now, code: 'payload-error', message: `the payload module failed to build arrival ${arrival} (counted as payload-error; later failures are only counted): ${stack}` });
  }

  /** The target reports here: `written` when a request goes on the wire, `done` once per request. */
  private readonly sink = {
    written: (slot: number): void => {
      const slots = this.slots;
      slots.writtenMs[slot] = this.clock.now() - this.t0;
      if (slots.onWire[slot] === 0 && slots.kind[slot] === SLOT_RUN) {
        slots.onWire[slot] = 1;
        this.awaitingWire--;
        this.books.open.written++;
      }
    },
    done: (slot: number, outcome: string, responded: boolean): void => this.onDone(slot, outcome, responded),
    request: (records: number, bytes: number, outcome: string, retries: number): void => {
      if (this.state === 'running' || this.state === 'draining') this.books.request(records, bytes, outcome, retries);
    },
  };

  /** Completion of one request: the hot path's other half. Allocation-free in the common case. */
  private onDone(slot: number, outcome: string, responded: boolean): void {
    const slots = this.slots;
    if (slots.kind[slot] === SLOT_WARMUP) {
      slots.release(slot);
      if (this.warmupOut > 0) {
        this.warmupOut--;
        this.pump();
      }
      this.warmupDone?.(outcome, responded);
      return;
    }
    const due = slots.dueMs[slot];
    const taken = slots.takenMs[slot];
    const written = slots.writtenMs[slot];
    const n = slots.arrival[slot];
    if (slots.onWire[slot] === 0) this.awaitingWire--;
    this.outstanding--;
    slots.release(slot);
    if (this.state === 'done') return;
    if (outcome === OK) this.opts.delivery?.accepted(n);
    this.books.complete(due, taken, written, this.elapsed(), n, outcome, responded);
    this.pump();
    if (this.state === 'draining' && this.drained()) this.finish();
  }

  /**
   * Hands waiting arrivals to the target while it has room (not after a stop). While draining,
   * the last of them must not wait for a batching target's linger timer: flush once they are in.
   */
  private pump(): void {
    if (this.stopped || (this.state !== 'running' && this.state !== 'draining')) return;
    let handed = 0;
    while (this.backlog.length > 0 && this.outstanding + this.warmupOut < this.opts.target.capacity) {
      this.sendSlot(this.backlog.shift());
      handed++;
    }
    if (handed > 0 && this.state === 'draining' && this.backlog.length === 0) this.opts.target.flush();
  }

  /** Nothing of the run is on its way: every request handed over has completed, and the backlog is empty or abandoned by a stop. */
  private drained(): boolean {
    return this.outstanding === 0 && (this.stopped || this.backlog.length === 0);
  }

  private updatePhase(tMs: number): void {
    const schedule = this.opts.schedule;
    const idx = schedule.phaseIndexAt(tMs);
    if (idx === this.phaseIndex || idx < 0) return;
    this.phaseIndex = idx;
    const phase = this.opts.plan.phases[idx];
    this.emit({ type: 'phase', at: this.iso(tMs), tMs, index: idx, name: phase.name, kind: phase.kind });
  }

  private scheduleIntervalClose(): void {
    const endMs = this.closer.openEndMs;
    this.intervalTimer = this.clock.setTimer(() => {
      this.intervalTimer = undefined;
      this.updatePhase(endMs);
      this.closeInterval(endMs);
      if (this.state === 'running' || this.state === 'draining') this.scheduleIntervalClose();
    }, Math.max(0, Math.ceil(endMs - this.elapsed())));
  }

  private closeInterval(endMs: number, final = false): void {
    // While running, arrivals due and not yet taken are waiting too; after a stop or the schedule's end there are none.
    const dueLimit = this.state === 'running' ? this.dueLimit : this.next;
    this.closer.close(endMs, { next: this.next, dueLimit, inFlight: this.outstanding + this.backlog.length, awaitingConnection: this.awaitingWire + this.backlog.length }, final);
  }

  private beginDrain(): void {
    if (this.state !== 'running') return;
    this.state = 'draining';
    for (const t of [this.dispatchTimer, this.endTimer]) if (t !== undefined) this.clock.clearTimer(t);
    // The schedule has ended (or the run stopped): nothing held for a batch waits for its linger timer.
    this.opts.target.flush();
    if (this.drained()) return this.finish();
    this.drainTimer = this.clock.setTimer(() => {
      const left = this.outstanding + this.backlog.length;
      this.emit({ type: 'warning', at: this.iso(this.elapsed()), tMs: this.elapsed(), code: 'drain-timeout', message: `${left} arrival(s) still without an answer after the ${this.opts.plan.engine.drainTimeoutMs} ms drain bound; counted as unfinished, at their age then` });
      this.finish();
    }, this.opts.plan.engine.drainTimeoutMs);
  }

  private finish(): void {
    if (this.state === 'done') return;
    for (const t of [this.intervalTimer, this.drainTimer, this.dispatchTimer, this.endTimer]) if (t !== undefined) this.clock.clearTimer(t);
    const endMs = this.elapsed();
    const unfinished = this.outstanding + this.backlog.length;
    const openStart = this.closer.openStartMs;
    const c = this.books.open;
    // The last close carries the waiting histogram of the unfinished arrivals and their cohorts' final state.
    if (c.sent + c.completed + c.dropped > 0 || unfinished > 0 || endMs - openStart >= this.opts.plan.engine.intervalMs / 2) this.closeInterval(Math.max(endMs, openStart), true);
    this.state = 'done';
    this.lag.stop();
    // CPU of this process (all its threads, not child processes such as the sandbox) while the clock ran.
    const cpu = process.cpuUsage(this.cpuAtStart);
    const generatorCpuMs = Math.round((cpu.user + cpu.system) / 100) / 10;
    const totals = { ...this.books.totals };
    const errors = { ...this.books.totalErrors };
    this.emit({ type: 'end', at: this.iso(endMs), tMs: endMs, reason: this.stopReason, totals, errors, unfinished, generatorCpuMs });
    this.resolveRun({ reason: this.stopReason, startEpochMs: this.startEpochMs, durationMs: endMs, totals, errors, unfinished, warmup: this.warmupResult });
  }

  /** Interrupted during warm-up: the clock never ran, but the journal still gets a start and an end. */
  private finishImmediately(): EngineResult {
    this.startClock();
    this.state = 'done';
    this.lag.stop();
    this.emit({ type: 'end', at: this.iso(0), tMs: 0, reason: 'interrupted', totals: zeroCounts(), errors: {}, unfinished: 0, generatorCpuMs: 0 });
    return { reason: 'interrupted', startEpochMs: this.startEpochMs, durationMs: 0, totals: zeroCounts(), errors: {}, unfinished: 0, warmup: this.warmupResult };
  }
}
