import type { Clock } from '../util/clock.js';

/** A running ramp; `cancel()` stops it (idempotent): no `open` call after it returns. */
export interface Ramp {
  cancel(): void;
  /** How many `open` calls it has made so far. */
  readonly opened: number;
}

/**
 * Calls `open(i)` for i = 0 … count−1, the i-th due at `start + i × rampMs / count` (ms, on
 * `clock`; rampMs 0: all at once, in the first tick). Pacing is math on absolute time, as the
 * engine's pacers are: each wake-up opens every connection that is due, then sleeps until the next
 * one, so a late timer never stretches the ramp. The first call happens on a timer, never inside
 * `startRamp` (a fault's `start()` stays cheap). `open` must not throw.
 */
export function startRamp(clock: Clock, count: number, rampMs: number, open: (i: number) => void): Ramp {
  const start = clock.now();
  const dueAt = (i: number): number => start + (i * rampMs) / count;
  let next = 0;
  let handle: unknown = null;
  let cancelled = false;
  const wake = (): void => {
    handle = null;
    const now = clock.now();
    while (!cancelled && next < count && dueAt(next) <= now) open(next++);
    if (!cancelled && next < count) handle = clock.setTimer(wake, Math.max(0, dueAt(next) - clock.now()));
  };
  handle = clock.setTimer(wake, 0);
  return {
    cancel: () => {
      cancelled = true;
      if (handle !== null) clock.clearTimer(handle);
      handle = null;
    },
    get opened() {
      return next;
    },
  };
}
