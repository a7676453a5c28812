import type { RunPlan } from '../scenario/run-plan.js';
import type { Target } from '../targets/target.js';
import type { Accounting } from './accounting.js';
import type { EngineSchedule } from './engine-types.js';
import type { EngineEvent } from './events.js';
import type { LagProbe } from './lag-probe.js';
import type { InFlightSlots } from './slots.js';
import { recordWaiting } from './waiting.js';
import { WarningPolicy } from './warning-policy.js';

/** What a close reads of the dispatcher at that moment. */
export interface DispatchView {
  /** The next arrival the dispatcher will take, and how many count as due (the schedule, or up to a stop). */
  next: number;
  dueLimit: number;
  /** Taken and not answered: handed to the target, or waiting in the backlog. */
  inFlight: number;
  /** Of those, not on the wire yet. */
  awaitingConnection: number;
}

export interface IntervalCloserOptions {
  plan: RunPlan;
  schedule: EngineSchedule;
  target: Target;
  slots: InFlightSlots;
  books: Accounting;
  lag: LagProbe;
  emit: (e: EngineEvent) => void;
  /** ms from the run's start → ISO time; ms since the run's start now. */
  iso: (tMs: number) => string;
  elapsed: () => number;
  traceId: (n: number) => string;
  dueIn: (index: number) => number;
  /** Names of the faults active at some point of the interval being closed (the timeline's). */
  faults?: (startMs: number, endMs: number) => string[];
}

/**
 * Closes the engine's intervals: records what is still waiting, takes the target's shard load,
 * builds the snapshot from the books and emits it with the warnings it deserves. One per run.
 */
export class IntervalCloser {
  private index = 0;
  private readonly warnings = new WarningPolicy();

  constructor(private readonly o: IntervalCloserOptions) {}

  /** Start of the interval being recorded, ms from the run's start. */
  get openStartMs(): number {
    return this.index * this.o.plan.engine.intervalMs;
  }

  /** End of the interval being recorded. */
  get openEndMs(): number {
    return (this.index + 1) * this.o.plan.engine.intervalMs;
  }

  /**
   * Closes the open interval at `endMs`. `final`: the run is over, so every arrival still waiting
   * counts in its figures; before that only those waiting a whole interval or more (younger ones
   * resolve in the next).
   */
  close(endMs: number, view: DispatchView, final: boolean): void {
    const { plan, schedule } = this.o;
    const index = this.index;
    const intervalMs = plan.engine.intervalMs;
    const startMs = index * intervalMs;
    recordWaiting(this.o.books.recorder, this.o.slots, schedule, view.next, view.dueLimit, this.o.elapsed(), final ? 0 : intervalMs);
    // An interval is labelled with the phase playing at its start.
    const phase = plan.phases[schedule.phaseIndexAt(startMs)];
    const shards = this.o.target.takeShardLoad?.();
    const faults = this.o.faults?.(startMs, endMs) ?? [];
    const base = {
      index, startMs, endMs, phase: phase?.name ?? '', inFlight: view.inFlight, awaitingConnection: view.awaitingConnection,
      eventLoopLagMs: this.o.lag.takeMaxMs(), ...(shards ? { shards } : {}), ...(faults.length > 0 ? { faults } : {}),
    };
    this.o.books.close(base, this.o.dueIn(index), this.o.traceId, (snapshot, histograms) => {
      this.o.emit({ type: 'interval', at: this.o.iso(endMs), snapshot, histograms });
      for (const w of this.warnings.check(snapshot, plan.engine.maxInFlight)) this.o.emit({ type: 'warning', at: this.o.iso(endMs), tMs: endMs, ...w });
    });
    this.index++;
  }
}
