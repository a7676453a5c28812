import { OK, PAYLOAD_ERROR } from '../targets/outcome.js';
import type { SendSink } from '../targets/target.js';
import type { OutMessage } from '../telemetry/types.js';
import type { Clock } from '../util/clock.js';
import type { Accounting } from './accounting.js';
import { SlotBacklog } from './backlog.js';
import type { EngineOptions } from './engine-types.js';
import type { EngineEvent } from './events.js';
import type { DispatchView } from './interval-closer.js';
import { SLOT_RUN, SLOT_WARMUP, type InFlightSlots } from './slots.js';
import type { TraceIds } from './trace-context.js';

/** Most arrivals sent in one tick before yielding to I/O, so responses are read during a backlog. */
const MAX_SENDS_PER_TICK = 512;

export type EngineState = 'idle' | 'warmup' | 'running' | 'draining' | 'done';

/** What the dispatcher needs of the engine around it: its state, its time, and where the run's ends go. */
export interface DispatcherHost {
  readonly state: EngineState;
  /** Set once `stop()` was called: nothing more is handed to the target. */
  readonly stopped: boolean;
  clock: Clock;
  elapsed(): number;
  epochMsAt(tMs: number): number;
  emit(e: EngineEvent): void;
  iso(tMs: number): string;
  /** The dispatcher took every arrival of the schedule (or the schedule's time ran out): drain. */
  scheduleEnded(): void;
  /** While draining, the last request of the run completed. */
  drained(): void;
  /** The time is `tMs` (after each tick): the timeline's phase may change. */
  at(tMs: number): void;
  /** A warm-up request completed (the warm-up waits for them; late ones only free capacity). */
  warmupCompleted(outcome: string, responded: boolean): void;
}

/**
 * The open-model dispatcher, the engine's hot path: arrival n is due at t0 + schedule.dueAt(n);
 * each wake-up takes every arrival that is due (the schedule lag is measured there), sends it or
 * queues it while the target is full, then sleeps until the next one. Completions come back
 * through `sink`, are booked, and free room for what waits. Arrivals over the in-flight cap are
 * dropped. Allocation-free in the common case.
 */
export class Dispatcher {
  private next = 0;
  /** Arrivals that count as due: the whole schedule, or those taken before a stop. */
  private dueLimit: number;
  /** Requests handed to the target but not on the wire yet (waiting for a free connection). */
  private awaitingWire = 0;
  /** Requests handed to the target and not completed. */
  private outstanding = 0;
  /** Warm-up requests still out after the warm-up stopped waiting: they hold target capacity until they finish. */
  warmupOut = 0;
  /** Arrivals taken but waiting for the target to have room. */
  private readonly backlog: SlotBacklog;
  private dispatchTimer: unknown;
  private endTimer: unknown;
  private payloadWarned = false;
  private trace!: TraceIds;

  constructor(
    private readonly opts: EngineOptions,
    private readonly slots: InFlightSlots,
    private readonly books: Accounting,
    private readonly host: DispatcherHost,
  ) {
    this.backlog = new SlotBacklog(opts.plan.engine.maxInFlight);
    this.dueLimit = opts.schedule.count;
  }

  /** The clock started: take arrivals from now on, with trace ids from `trace`. */
  begin(trace: TraceIds): void {
    this.trace = trace;
    this.tick();
  }

  /** Arrivals due in an interval count up to here (the schedule, or up to a stop). */
  get due(): number {
    return this.dueLimit;
  }

  /** What an interval close reads now. While running, arrivals due and not yet taken wait too; after a stop or the schedule's end none do. */
  view(): DispatchView {
    const dueLimit = this.host.state === 'running' ? this.dueLimit : this.next;
    return { next: this.next, dueLimit, inFlight: this.outstanding + this.backlog.length, awaitingConnection: this.awaitingWire + this.backlog.length };
  }

  /** Taken and not answered: handed to the target or waiting for room. */
  get unfinished(): number {
    return this.outstanding + this.backlog.length;
  }

  /** Nothing of the run is on its way: every request handed over has completed, and the backlog is empty or abandoned by a stop. */
  isDrained(): boolean {
    return this.outstanding === 0 && (this.host.stopped || this.backlog.length === 0);
  }

  /** A stop: arrivals not taken yet no longer count as due. */
  stopTaking(): void {
    this.dueLimit = this.next;
  }

  /** No more wake-ups (the run drains or ends). */
  disarm(): void {
    for (const t of [this.dispatchTimer, this.endTimer]) if (t !== undefined) this.host.clock.clearTimer(t);
    this.dispatchTimer = undefined;
    this.endTimer = undefined;
  }

  /** The target reports here: `written` when a request goes on the wire, `done` once per request. */
  readonly sink: SendSink = {
    written: (slot: number): void => {
      const slots = this.slots;
      slots.writtenMs[slot] = this.host.elapsed();
      if (slots.onWire[slot] === 0 && slots.kind[slot] === SLOT_RUN) {
        slots.onWire[slot] = 1;
        this.awaitingWire--;
        this.books.open.written++;
      }
    },
    done: (slot: number, outcome: string, responded: boolean): void => this.onDone(slot, outcome, responded),
    request: (records: number, bytes: number, outcome: string, retries: number): void => {
      const state = this.host.state;
      if (state === 'running' || state === 'draining') this.books.request(records, bytes, outcome, retries);
    },
  };

  private readonly tick = (): void => {
    this.dispatchTimer = undefined;
    if (this.host.state !== 'running') return;
    const schedule = this.opts.schedule;
    const count = schedule.count;
    const now = this.host.elapsed();
    let budget = MAX_SENDS_PER_TICK;
    let due = 0;
    while (this.next < count) {
      due = schedule.dueAt(this.next);
      if (due > now) break;
      if (budget-- === 0) {
        this.host.clock.defer(this.tick);
        return;
      }
      this.dispatch(this.next, due);
      this.next++;
    }
    this.host.at(now);
    // While the load is paused the next arrival (or the schedule's end) is due at +Infinity: no
    // timer then; rearm() wakes the dispatcher when the pace changes.
    if (this.next < count) {
      // Timers have 1 ms granularity: wake at most 1 ms early (then sleep again), never spin.
      const wait = due - this.host.elapsed(); // `due`: the next arrival's due time, read by the loop before it broke off
      if (wait !== Infinity) this.dispatchTimer = this.host.clock.setTimer(this.tick, Math.max(1, Math.floor(wait)));
    } else {
      const rest = schedule.durationMs - this.host.elapsed();
      if (rest === Infinity) return;
      if (rest > 0) this.endTimer = this.host.clock.setTimer(() => this.host.scheduleEnded(), Math.ceil(rest));
      else this.host.scheduleEnded();
    }
  };

  /** The schedule's pace changed (a pause, a resume, a nudge): forget the wake-ups planned on the old times and plan again. */
  rearm(): void {
    this.disarm();
    this.tick();
  }

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
    slots.takenMs[slot] = this.host.elapsed();
    slots.arrival[slot] = n;
    if (this.outstanding + this.warmupOut < this.opts.target.capacity) this.sendSlot(slot);
    else this.backlog.push(slot);
  }

  /** Builds the message (sentAt = now) and hands it to the target. */
  private sendSlot(slot: number): void {
    const slots = this.slots;
    const sent = this.host.elapsed();
    const n = slots.arrival[slot];
    let msg: OutMessage;
    try {
      msg = this.opts.source.next(n, Math.round(this.host.epochMsAt(sent)));
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
    const now = this.host.elapsed();
    this.books.complete(due, taken, now, now, arrival, PAYLOAD_ERROR, false);
    this.opts.completions?.completed(arrival, PAYLOAD_ERROR, due, now);
    if (this.payloadWarned) return;
    this.payloadWarned = true;
    const stack = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.host.emit({ type: 'warning', at: this.host.iso(now), tMs: now, code: 'payload-error', message: `the payload module failed to build arrival ${arrival} (counted as payload-error; later failures are only counted): ${stack}` });
  }

  /** Completion of one request: the hot path's other half. */
  private onDone(slot: number, outcome: string, responded: boolean): void {
    const slots = this.slots;
    if (slots.kind[slot] === SLOT_WARMUP) {
      slots.release(slot);
      if (this.warmupOut > 0) {
        this.warmupOut--;
        this.pump();
      }
      this.host.warmupCompleted(outcome, responded);
      return;
    }
    const due = slots.dueMs[slot];
    const taken = slots.takenMs[slot];
    const written = slots.writtenMs[slot];
    const n = slots.arrival[slot];
    if (slots.onWire[slot] === 0) this.awaitingWire--;
    this.outstanding--;
    slots.release(slot);
    const state = this.host.state;
    if (state === 'done') return;
    if (outcome === OK) this.opts.delivery?.accepted(n);
    const now = this.host.elapsed();
    this.books.complete(due, taken, written, now, n, outcome, responded);
    this.opts.completions?.completed(n, outcome, due, now);
    this.pump();
    if (this.host.state === 'draining' && this.isDrained()) this.host.drained();
  }

  /**
   * Hands waiting arrivals to the target while it has room (not after a stop). While draining,
   * the last of them must not wait for a batching target's linger timer: flush once they are in.
   */
  pump(): void {
    const state = this.host.state;
    if (this.host.stopped || (state !== 'running' && state !== 'draining')) return;
    let handed = 0;
    while (this.backlog.length > 0 && this.outstanding + this.warmupOut < this.opts.target.capacity) {
      this.sendSlot(this.backlog.shift());
      handed++;
    }
    if (handed > 0 && state === 'draining' && this.backlog.length === 0) this.opts.target.flush();
  }
}
