import type { ScheduledFault } from '../metrics/fault-types.js';
import type { RunPlan } from '../scenario/run-plan.js';
import type { Clock } from '../util/clock.js';
import type { EngineSchedule } from './engine-types.js';
import type { EngineEvent, FaultTrigger } from './events.js';

export type { ScheduledFault } from '../metrics/fault-types.js';

/** A fault's state, for `fault list` and the journal. Times are ms from the run's start. */
export interface FaultStatus {
  name: string;
  kind: string;
  manual: boolean;
  active: boolean;
  startedMs: number | null;
  stoppedMs: number | null;
}

/** What a manual trigger got: done, or why not (an unknown name, already in that state, the run is over). */
export type TriggerResult = { ok: true } | { ok: false; reason: string };

interface Slot {
  f: ScheduledFault;
  active: boolean;
  startedMs: number | null;
  stoppedMs: number | null;
  /** Its active stretches [start, stop) not yet behind every closed interval, ms; stop null while active. */
  windows: { startMs: number; stopMs: number | null }[];
  timer: unknown;
}

export interface TimelineHooks {
  clock: Clock;
  emit: (e: EngineEvent) => void;
  iso: (tMs: number) => string;
  elapsed: () => number;
}

/**
 * The engine's second timeline, beside the arrivals: the phase playing now (a `phase` event when
 * it changes; the dispatcher and the interval closer tell it the time, as they run anyway) and the
 * faults, started and stopped on the Clock at their `atMs` / `atMs + forMs` or by a manual trigger,
 * each with a `fault-start` / `fault-stop` event naming who did it. `end(by)` stops every active
 * fault (the run is over, aborted or interrupted) and disarms the timers: after it nothing starts.
 */
export class Timeline {
  private phaseIndex = -1;
  private readonly slots: Slot[];
  private over = false;

  constructor(
    private readonly plan: Pick<RunPlan, 'phases'>,
    private readonly schedule: Pick<EngineSchedule, 'phaseIndexAt'>,
    faults: readonly ScheduledFault[],
    private readonly hooks: TimelineHooks,
  ) {
    this.slots = faults.map((f) => ({ f, active: false, startedMs: null, stoppedMs: null, windows: [], timer: undefined }));
  }

  /** The clock started: arms the scheduled faults; one due at 0 starts now, before the first arrival is taken. */
  begin(): void {
    for (const s of this.slots) {
      if (s.f.atMs === 0) this.startSlot(s, 'schedule');
      else if (s.f.atMs !== null) this.arm(s, s.f.atMs, () => this.startSlot(s, 'schedule'));
    }
  }

  /** The time is `tMs`: emits `phase` when the phase playing changed. */
  at(tMs: number): void {
    const idx = this.schedule.phaseIndexAt(tMs);
    if (idx === this.phaseIndex || idx < 0) return;
    this.phaseIndex = idx;
    const phase = this.plan.phases[idx];
    this.hooks.emit({ type: 'phase', at: this.hooks.iso(tMs), tMs, index: idx, name: phase.name, kind: phase.kind });
  }

  startFault(name: string): TriggerResult {
    const s = this.find(name);
    if (typeof s === 'string') return { ok: false, reason: s };
    if (s.active) return { ok: false, reason: `fault ${name} is already active` };
    this.startSlot(s, 'manual');
    return { ok: true };
  }

  stopFault(name: string): TriggerResult {
    const s = this.find(name);
    if (typeof s === 'string') return { ok: false, reason: s };
    if (!s.active) return { ok: false, reason: `fault ${name} is not active` };
    this.stopSlot(s, 'manual');
    return { ok: true };
  }

  status(): FaultStatus[] {
    return this.slots.map((s) => ({ name: s.f.name, kind: s.f.kind, manual: s.f.atMs === null, active: s.active, startedMs: s.startedMs, stoppedMs: s.stoppedMs }));
  }

  /**
   * Names of the faults active at some point of the interval [startMs, endMs) being closed, by
   * their start and stop times (not by when the close runs, which may be late). Intervals close in
   * order: stretches that ended before `endMs` are forgotten after.
   */
  takeIntervalFaults(startMs: number, endMs: number): string[] {
    const names: string[] = [];
    for (const s of this.slots) {
      if (s.windows.some((w) => w.startMs < endMs && (w.stopMs === null || w.stopMs > startMs))) names.push(s.f.name);
      s.windows = s.windows.filter((w) => w.stopMs === null || w.stopMs > endMs);
    }
    return names;
  }

  /** The run is over (`end`), or stopped (`interrupted`): every active fault is stopped, nothing starts after. */
  end(by: Extract<FaultTrigger, 'end' | 'interrupted'>): void {
    if (this.over) return;
    this.over = true;
    for (const s of this.slots) {
      if (s.timer !== undefined) this.hooks.clock.clearTimer(s.timer);
      s.timer = undefined;
      if (s.active) this.stopSlot(s, by);
    }
  }

  private find(name: string): Slot | string {
    if (this.over) return 'the run is over';
    const s = this.slots.find((x) => x.f.name === name);
    if (s) return s;
    const known = this.slots.map((x) => x.f.name);
    return `no fault named ${name} in this run${known.length ? ` (its faults: ${known.join(', ')})` : ' (the scenario has no faults: list)'}`;
  }

  private arm(s: Slot, atMs: number, fn: () => void): void {
    if (s.timer !== undefined) this.hooks.clock.clearTimer(s.timer);
    s.timer = this.hooks.clock.setTimer(() => {
      s.timer = undefined;
      if (!this.over) fn();
    }, Math.max(0, Math.ceil(atMs - this.hooks.elapsed())));
  }

  private startSlot(s: Slot, by: FaultTrigger): void {
    const tMs = this.hooks.elapsed();
    s.active = true;
    s.windows.push({ startMs: tMs, stopMs: null });
    s.startedMs = tMs;
    s.stoppedMs = null;
    s.f.apply.start();
    this.hooks.emit({ type: 'fault-start', at: this.hooks.iso(tMs), tMs, name: s.f.name, kind: s.f.kind, by });
    if (s.f.forMs !== null) this.arm(s, tMs + s.f.forMs, () => this.stopSlot(s, 'schedule'));
  }

  private stopSlot(s: Slot, by: FaultTrigger): void {
    if (s.timer !== undefined) this.hooks.clock.clearTimer(s.timer);
    s.timer = undefined;
    const tMs = this.hooks.elapsed();
    s.active = false;
    s.stoppedMs = tMs;
    const w = s.windows.at(-1);
    if (w && w.stopMs === null) w.stopMs = tMs;
    s.f.apply.stop();
    this.hooks.emit({ type: 'fault-stop', at: this.hooks.iso(tMs), tMs, name: s.f.name, kind: s.f.kind, by, activeMs: tMs - (s.startedMs ?? tMs) });
  }
}
