import type { Schedule } from './schedule.js';

/** One stretch of the run's clock at one pace: from `real` ms (run time) the plan's time advances `pace` ms per ms, from `plan` ms. */
interface Segment {
  real: number;
  plan: number;
  pace: number;
}

/** The fastest and slowest pace a nudge may set, relative to the plan. */
export const MIN_PACE = 0.1;
export const MAX_PACE = 10;

/**
 * A schedule whose pace can be changed by hand while it plays: paused (no arrival falls due,
 * the plan's time stands still, so the paused time is not counted as arrivals due) and resumed
 * where it stopped, or nudged faster or slower from now on. A time warp over the planned
 * schedule: run time t maps to plan time s(t), piecewise linear (pace 0 while paused); arrival n
 * is due at the first run time t with s(t) = plan.dueAt(n). What was already due keeps its time;
 * only what lies ahead moves. Every reader of the schedule (dispatcher, interval closer,
 * waiting ages, phase timeline) sees the warped times, so they agree. Times are ms of run time.
 *
 * dueAt is on the hot path: O(1) while the pace has not changed since the time asked about
 * (the last segment), a short scan of the few segments otherwise. While paused, what is not yet
 * due is due at +Infinity (the dispatcher then sleeps until resumed).
 */
export class ControlledSchedule implements Schedule {
  private readonly segments: Segment[] = [{ real: 0, plan: 0, pace: 1 }];
  private pausedAt: number | null = null;
  /** The pace to resume at (the one before the pause). */
  private resumePace = 1;

  constructor(private readonly base: Schedule) {}

  get count(): number {
    return this.base.count;
  }
  get phaseCount(): number {
    return this.base.phaseCount;
  }
  /** The run time at which the plan's end falls now (+Infinity while paused before it). */
  get durationMs(): number {
    return this.toReal(this.base.durationMs);
  }
  get paused(): boolean {
    return this.pausedAt !== null;
  }
  /** The pace relative to the plan (0 while paused). */
  get pace(): number {
    return this.last().pace;
  }

  /** Pauses at run time `nowMs`; false when already paused. */
  pause(nowMs: number): boolean {
    if (this.pausedAt !== null) return false;
    this.resumePace = this.last().pace;
    this.setSegment(nowMs, 0);
    this.pausedAt = nowMs;
    return true;
  }

  /** Resumes at run time `nowMs` at the pace before the pause; the time paused, ms, or null when not paused. */
  resume(nowMs: number): number | null {
    if (this.pausedAt === null) return null;
    const paused = Math.max(0, nowMs - this.pausedAt);
    this.pausedAt = null;
    this.setSegment(nowMs, this.resumePace);
    return paused;
  }

  /** Sets the pace from run time `nowMs` on (clamped to MIN_PACE..MAX_PACE); while paused, the pace it resumes at. Returns the pace set. */
  setPace(nowMs: number, pace: number): number {
    const p = Math.min(MAX_PACE, Math.max(MIN_PACE, pace));
    if (this.pausedAt !== null) this.resumePace = p;
    else this.setSegment(nowMs, p);
    return p;
  }

  dueAt(n: number): number {
    return this.toReal(this.base.dueAt(n));
  }
  rateAt(tMs: number): number {
    return this.base.rateAt(this.toPlan(tMs)) * this.paceAt(tMs);
  }
  countBefore(tMs: number): number {
    return this.base.countBefore(this.toPlan(tMs));
  }
  phaseIndexAt(tMs: number): number {
    return this.base.phaseIndexAt(this.toPlan(tMs));
  }
  phaseStartMs(i: number): number {
    return this.toReal(this.base.phaseStartMs(i));
  }
  phaseFirstArrival(i: number): number {
    return this.base.phaseFirstArrival(i);
  }
  /** The plan's peak rate times the fastest pace set so far. */
  peakRate(): number {
    return this.base.peakRate() * Math.max(1, ...this.segments.map((s) => s.pace));
  }

  /** Plan time at run time t. */
  toPlan(t: number): number {
    const s = this.segmentAt(t);
    return s.plan + (t - s.real) * s.pace;
  }

  /** The first run time at which the plan's time reaches `plan` (+Infinity while paused before it). */
  toReal(plan: number): number {
    const segs = this.segments;
    const last = segs[segs.length - 1];
    if (plan >= last.plan) return last.pace > 0 ? last.real + (plan - last.plan) / last.pace : plan === last.plan ? last.real : Infinity;
    for (let i = 0; i < segs.length - 1; i++) {
      const s = segs[i];
      if (s.pace > 0 && plan < segs[i + 1].plan) return s.real + (plan - s.plan) / s.pace;
    }
    return last.real;
  }

  private paceAt(t: number): number {
    return this.segmentAt(t).pace;
  }

  private segmentAt(t: number): Segment {
    const segs = this.segments;
    for (let i = segs.length - 1; i > 0; i--) if (segs[i].real <= t) return segs[i];
    return segs[0];
  }

  private last(): Segment {
    return this.segments[this.segments.length - 1];
  }

  /** A new segment from run time t at `pace` (replacing the last one when it starts at t). */
  private setSegment(t: number, pace: number): void {
    const plan = this.toPlan(t);
    const last = this.last();
    if (last.real >= t && this.segments.length > 1) this.segments.pop();
    this.segments.push({ real: Math.max(t, this.last().real), plan, pace });
  }
}
