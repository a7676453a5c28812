import type { Clock } from '../../src/util/clock.js';
import type { LagProbe } from '../../src/engine/lag-probe.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A deterministic clock for engine tests: time moves only through `advanceTo`/`runUntilIdle`.
 * Timers fire in (time, creation) order; `defer` runs at the current time after due timers.
 */
export class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(private readonly epochBase = 1_800_000_000_000) {}

  now(): number {
    return this.t;
  }

  epochMs(): number {
    return this.epochBase + this.t;
  }

  setTimer(fn: () => void, ms: number): unknown {
    const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    (handle as Timer).cancelled = true;
  }

  defer(fn: () => void): void {
    this.setTimer(fn, 0);
  }

  /** Fires every timer due up to `limit` (inclusive), in order, moving time along. */
  advanceTo(limit: number): void {
    for (;;) {
      const next = this.nextTimer();
      if (!next || next.at > limit) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.t = Math.max(this.t, next.at);
      if (!next.cancelled) next.fn();
    }
    this.t = Math.max(this.t, limit);
  }

  /** Runs until no timers remain (bounded so a bug cannot loop forever). */
  async runUntilIdle(maxMs = 3_600_000): Promise<void> {
    let idleChecks = 0;
    for (let guard = 0; guard < 10_000_000; guard++) {
      await Promise.resolve();
      const next = this.nextTimer();
      if (!next || next.at > maxMs) {
        // Let pending promise chains (e.g. the engine after its warm-up) schedule their timers.
        if (++idleChecks > 3) return;
        await new Promise((r) => setImmediate(r));
        continue;
      }
      idleChecks = 0;
      this.advanceTo(next.at);
    }
    throw new Error('FakeClock: too many timers');
  }

  private nextTimer(): Timer | undefined {
    let best: Timer | undefined;
    for (const tm of this.timers) {
      if (tm.cancelled) continue;
      if (!best || tm.at < best.at || (tm.at === best.at && tm.seq < best.seq)) best = tm;
    }
    this.timers = this.timers.filter((tm) => !tm.cancelled);
    return best;
  }
}

/** Moves time forward without firing timers: simulates CPU work inside a callback. */
export function spend(clock: FakeClock, ms: number): void {
  (clock as unknown as { t: number }).t += ms;
}

/** Event-loop delay means nothing under a fake clock: this probe always reports 0. */
export const noLagProbe: LagProbe = { start() {}, takeMaxMs: () => 0, stop() {} };
