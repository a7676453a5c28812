import { performance } from 'node:perf_hooks';

/**
 * Time as the engine and the targets see it (targets run linger timers and backoff on it). `now()` is monotonic milliseconds (float, sub-ms resolution);
 * `epochMs()` is wall-clock time for timestamps that leave the process. Tests swap in a fake.
 */
export interface Clock {
  now(): number;
  epochMs(): number;
  /** Run fn after at least `ms` ms (0 = as soon as the event loop allows after I/O). */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Run fn after pending I/O callbacks (lets responses be processed during a backlog). */
  defer(fn: () => void): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  epochMs: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
  defer: (fn) => void setImmediate(fn),
};
