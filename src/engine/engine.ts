import { systemClock, type Clock } from '../util/clock.js';
import { Accounting } from './accounting.js';
import type { EngineOptions, EngineResult } from './engine-types.js';
import { zeroCounts } from './counters.js';
import { Dispatcher, type DispatcherHost, type EngineState } from './dispatcher.js';
import type { EndReason, EngineEvent, EngineListener, WarmupResult } from './events.js';
import { createEventLoopLagProbe, type LagProbe } from './lag-probe.js';
import { InFlightSlots } from './slots.js';
import { Timeline, type FaultStatus, type TriggerResult } from './timeline.js';
import { TraceIds } from './trace-context.js';
import { emptyWarmup, runWarmup } from './warmup.js';
import { IntervalCloser } from './interval-closer.js';
import { dueInInterval } from './waiting.js';
import { ControlledSchedule } from '../load/controlled-schedule.js';

export type { EngineOptions, EngineResult, EngineSchedule, MessageSourceLike } from './engine-types.js';
export type { FaultStatus, ScheduledFault, TriggerResult } from './timeline.js';

/**
 * A run's life: the warm-up, then the clock — the dispatcher takes arrivals at their intended
 * times (dispatcher.ts), the timeline plays the phases and the faults (timeline.ts), the interval
 * closer books each interval (interval-closer.ts) — then the drain and the end. Latency is
 * recorded from the due time. Arrivals without an answer when the run ends count as unfinished,
 * at their age then. Consumers subscribe with `on()`.
 */
export class Engine implements DispatcherHost {
  private readonly listeners: EngineListener[] = [];
  readonly clock: Clock;
  private readonly lag: LagProbe;
  private readonly slots: InFlightSlots;
  private readonly books: Accounting;
  private readonly closer: IntervalCloser;
  private readonly dispatcher: Dispatcher;
  private readonly timeline: Timeline;
  private trace!: TraceIds;
  private t0 = 0;
  private startEpochMs = 0;
  private cpuAtStart: NodeJS.CpuUsage = { user: 0, system: 0 };
  private intervalTimer: unknown;
  private drainTimer: unknown;
  private runState: EngineState = 'idle';
  private stopCalled = false;
  private stopReason: EndReason = 'completed';
  private warmupDone: ((outcome: string, responded: boolean) => void) | undefined;
  private resolveRun!: (r: EngineResult) => void;
  private warmupResult: WarmupResult = emptyWarmup();
  private readonly abort = new AbortController();

  constructor(private readonly opts: EngineOptions) {
    this.clock = opts.clock ?? systemClock;
    this.lag = opts.lagProbe ?? createEventLoopLagProbe();
    this.slots = new InFlightSlots(opts.plan.engine.maxInFlight);
    this.books = new Accounting(opts.plan.engine.intervalMs, (i) => this.dueIn(i));
    this.dispatcher = new Dispatcher(opts, this.slots, this.books, this);
    const hooks = { clock: this.clock, emit: (e: EngineEvent) => this.emit(e), iso: (t: number) => this.iso(t), elapsed: () => this.elapsed() };
    this.timeline = new Timeline(opts.plan, opts.schedule, opts.faults ?? [], hooks);
    this.closer = new IntervalCloser({
      plan: opts.plan, schedule: opts.schedule, target: opts.target, slots: this.slots, books: this.books, lag: this.lag,
      emit: hooks.emit, iso: hooks.iso, elapsed: hooks.elapsed, traceId: (n) => this.trace.traceId(n), dueIn: (i) => this.dueIn(i),
      faults: (startMs, endMs) => this.timeline.takeIntervalFaults(startMs, endMs),
    });
  }

  on(listener: EngineListener): this {
    this.listeners.push(listener);
    return this;
  }

  /**
   * Stop sending (arrivals waiting in the backlog are not sent: they end unfinished), stop every
   * active fault, wait for requests on their way up to the drain bound, then end with `reason`:
   * 'interrupted' (by hand) or 'aborted' (a guardrail). Faults stop with `by: 'interrupted'` either way.
   */
  stop(reason: Extract<EndReason, 'interrupted' | 'aborted'> = 'interrupted'): void {
    if (this.state === 'done' || this.stopped) return;
    this.stopCalled = true;
    this.stopReason = reason;
    this.abort.abort();
    if (this.state === 'running') {
      this.dispatcher.stopTaking();
      this.beginDrain();
    } else if (this.state === 'draining') {
      this.timeline.end('interrupted');
      this.opts.target.flush();
      if (this.dispatcher.isDrained()) this.finish();
    }
  }

  /** A manual trigger of a fault in the run's list (the live view's keys, `rushhour fault start`). */
  startFault(name: string): TriggerResult {
    return this.state === 'running' ? this.timeline.startFault(name) : { ok: false, reason: `the run is not sending (${this.state})` };
  }

  stopFault(name: string): TriggerResult {
    return this.timeline.stopFault(name);
  }

  faults(): FaultStatus[] {
    return this.timeline.status();
  }

  /**
   * The live view's load controls (the `p`, `+` and `-` keys): pause the load, resume it where it
   * stopped (the paused time is not counted as arrivals due), or set its pace relative to the
   * plan from now on. Each is journaled (`pause`, `resume`, `rate`, by `manual`). Refused with a
   * reason while the run is not sending, or when its schedule cannot be controlled.
   */
  pause(): TriggerResult {
    const s = this.controls();
    if (typeof s === 'string') return { ok: false, reason: s };
    if (!s.pause(this.elapsed())) return { ok: false, reason: 'the load is already paused' };
    this.emit({ type: 'pause', at: this.iso(this.elapsed()), tMs: this.elapsed(), by: 'manual' });
    this.dispatcher.rearm();
    return { ok: true };
  }

  resume(): TriggerResult {
    const s = this.controls();
    if (typeof s === 'string') return { ok: false, reason: s };
    const pausedMs = s.resume(this.elapsed());
    if (pausedMs === null) return { ok: false, reason: 'the load is not paused' };
    this.emit({ type: 'resume', at: this.iso(this.elapsed()), tMs: this.elapsed(), by: 'manual', pausedMs });
    this.dispatcher.rearm();
    return { ok: true };
  }

  /** Sets the pace to `factor` × the plan (clamped to 0.1–10); the pace set, or a refusal. */
  setPace(factor: number): TriggerResult & { pace?: number } {
    const s = this.controls();
    if (typeof s === 'string') return { ok: false, reason: s };
    const pace = s.setPace(this.elapsed(), factor);
    this.emit({ type: 'rate', at: this.iso(this.elapsed()), tMs: this.elapsed(), by: 'manual', factor: pace });
    if (!s.paused) this.dispatcher.rearm();
    return { ok: true, pace };
  }


  private controls(): ControlledSchedule | string {
    const s = this.opts.schedule;
    if (!(s instanceof ControlledSchedule)) return 'this run\'s schedule cannot be paused or nudged';
    if (this.state !== 'running') return `the run is not sending (${this.state})`;
    return s;
  }

  async run(): Promise<EngineResult> {
    this.lag.start();
    this.runState = 'warmup';
    const { plan, target } = this.opts;
    this.warmupResult = await runWarmup({
      source: this.opts.warmupSource, target, slots: this.slots, recorder: this.books.recorder, clock: this.clock,
      requests: plan.engine.warmupRequests, concurrency: target.capacity, timeoutMs: plan.engine.drainTimeoutMs,
      trace: new TraceIds(plan.seed ^ 0x2545f491, this.clock.epochMs()), engineDone: this.dispatcher.sink, onDone: (handler) => (this.warmupDone = handler), signal: this.abort.signal,
    });
    this.books.recorder.resetAll();
    this.lag.takeMaxMs();
    this.dispatcher.warmupOut = this.warmupResult.unanswered;
    if (this.stopped) return this.finishImmediately();
    try {
      this.opts.checkWarmup?.(this.warmupResult);
    } catch (e) {
      this.lag.stop();
      this.runState = 'done';
      throw e;
    }
    return new Promise<EngineResult>((resolve) => {
      this.resolveRun = resolve;
      this.start();
    });
  }

  // DispatcherHost: what the dispatcher reads and calls back.
  get state(): EngineState {
    return this.runState;
  }

  /** `stop()` was called: nothing more is handed to the target. */
  get stopped(): boolean {
    return this.stopCalled;
  }

  elapsed(): number {
    return this.clock.now() - this.t0;
  }

  epochMsAt(tMs: number): number {
    return this.startEpochMs + tMs;
  }

  iso(tMs: number): string {
    return new Date(this.startEpochMs + tMs).toISOString();
  }

  emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  at(tMs: number): void {
    this.timeline.at(tMs);
  }

  scheduleEnded(): void {
    this.beginDrain();
  }

  drained(): void {
    this.finish();
  }

  warmupCompleted(outcome: string, responded: boolean): void {
    this.warmupDone?.(outcome, responded);
  }

  private start(): void {
    this.runState = 'running';
    this.opts.target.takeShardLoad?.(); // what the warm-up put on the shards is not the run's
    this.cpuAtStart = process.cpuUsage();
    this.startClock();
    this.trace = new TraceIds(this.opts.plan.seed, this.startEpochMs);
    this.timeline.at(0);
    this.timeline.begin();
    this.scheduleIntervalClose();
    this.dispatcher.begin(this.trace);
  }

  /** t0 of the run: every time in events and snapshots is measured from here. Emits `start`. */
  private startClock(): void {
    this.t0 = this.clock.now();
    this.startEpochMs = this.clock.epochMs();
    this.emit({ type: 'start', at: this.iso(0), startEpochMs: this.startEpochMs, plan: this.opts.plan, warmup: this.warmupResult });
  }

  /** Arrivals due in interval `index` (by intended time), within the arrivals that count as due. */
  private dueIn(index: number): number {
    return dueInInterval(this.opts.schedule, this.opts.plan.engine.intervalMs, this.dispatcher.due, index);
  }

  private scheduleIntervalClose(): void {
    const endMs = this.closer.openEndMs;
    this.intervalTimer = this.clock.setTimer(() => {
      this.intervalTimer = undefined;
      this.timeline.at(endMs);
      this.closer.close(endMs, this.dispatcher.view(), false);
      if (this.state === 'running' || this.state === 'draining') this.scheduleIntervalClose();
    }, Math.max(0, Math.ceil(endMs - this.elapsed())));
  }

  /** The schedule has ended (or the run stopped): faults end, nothing waits for a linger timer, then wait for what is on its way. */
  private beginDrain(): void {
    if (this.state !== 'running') return;
    this.runState = 'draining';
    this.dispatcher.disarm();
    this.timeline.end(this.stopped ? 'interrupted' : 'end');
    this.opts.target.flush();
    if (this.dispatcher.isDrained()) return this.finish();
    this.drainTimer = this.clock.setTimer(() => {
      const left = this.dispatcher.unfinished;
      this.emit({ type: 'warning', at: this.iso(this.elapsed()), tMs: this.elapsed(), code: 'drain-timeout', message: `${left} arrival(s) still without an answer after the ${this.opts.plan.engine.drainTimeoutMs} ms drain bound; counted as unfinished, at their age then` });
      this.finish();
    }, this.opts.plan.engine.drainTimeoutMs);
  }

  private finish(): void {
    if (this.state === 'done') return;
    for (const t of [this.intervalTimer, this.drainTimer]) if (t !== undefined) this.clock.clearTimer(t);
    this.dispatcher.disarm();
    this.timeline.end(this.stopped ? 'interrupted' : 'end');
    const endMs = this.elapsed();
    const unfinished = this.dispatcher.unfinished;
    const openStart = this.closer.openStartMs;
    const c = this.books.open;
    // The last close carries the waiting histogram of the unfinished arrivals and their cohorts' final state.
    if (c.sent + c.completed + c.dropped > 0 || unfinished > 0 || endMs - openStart >= this.opts.plan.engine.intervalMs / 2) {
      this.closer.close(Math.max(endMs, openStart), this.dispatcher.view(), true);
    }
    this.runState = 'done';
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
    this.runState = 'done';
    this.lag.stop();
    this.emit({ type: 'end', at: this.iso(0), tMs: 0, reason: this.stopReason, totals: zeroCounts(), errors: {}, unfinished: 0, generatorCpuMs: 0 });
    return { reason: this.stopReason, startEpochMs: this.startEpochMs, durationMs: 0, totals: zeroCounts(), errors: {}, unfinished: 0, warmup: this.warmupResult };
  }
}
